import type { CypherReader } from '../db/database';
import { AnalysisRepository } from './analysis/repository';
import { CommonRepository } from './common/repository';
import { EvidenceRepository } from './evidence/repository';
import { FollowUpBoardRepository } from './followup-board/repository';
import { FollowUpRepository } from './followup/repository';
import { GraphReader } from './graph-reader';
import { ANONYMOUS, type Viewer } from './identity/viewer';
import { ImplementationRepository } from './implementation/repository';
import { NationalLawRepository } from './national-law/repository';
import { SearchRepository } from './search/repository';
import { SourcesRepository } from './sources/repository';
import { StatesRepository } from './states/repository';
import { SystemRepository } from './system/repository';
import { TreatiesRepository } from './treaties/repository';
import { UnDocumentsRepository } from './un-documents/repository';

/**
 * One repository per domain (src/modules/<domain>/repository.ts), made for each request: they share the
 * request's batched loaders, so a request reads each entity at most once. Resolvers reach them only here,
 * through `context.repositories`. The follow-up repository reads and writes as the request's viewer.
 */
export function createRepositories(db: CypherReader, viewer: Viewer = ANONYMOUS) {
  const graph = new GraphReader(db);
  return {
    common: new CommonRepository(graph),
    treaties: new TreatiesRepository(graph),
    states: new StatesRepository(graph),
    nationalLaw: new NationalLawRepository(graph),
    implementation: new ImplementationRepository(graph),
    unDocuments: new UnDocumentsRepository(graph),
    evidence: new EvidenceRepository(graph),
    sources: new SourcesRepository(graph),
    search: new SearchRepository(db),
    analysis: new AnalysisRepository(db),
    system: new SystemRepository(db),
    followUpBoard: new FollowUpBoardRepository(db),
    followUp: new FollowUpRepository(db, viewer),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
