import type { Resolvers } from '../generated/graphql';
import { analysisResolvers } from './analysis/resolvers';
import { commonResolvers } from './common/resolvers';
import { evidenceResolvers } from './evidence/resolvers';
import { followUpBoardResolvers } from './followup-board/resolvers';
import { implementationResolvers } from './implementation/resolvers';
import { nationalLawResolvers } from './national-law/resolvers';
import { searchResolvers } from './search/resolvers';
import { sourcesResolvers } from './sources/resolvers';
import { statesResolvers } from './states/resolvers';
import { systemResolvers } from './system/resolvers';
import { treatiesResolvers } from './treaties/resolvers';
import { unDocumentsResolvers } from './un-documents/resolvers';

/**
 * One resolver map per domain, named as its schema file: schema/<domain>.graphql is resolved by
 * src/modules/<domain>/resolvers.ts. Each domain's Query fields are its own.
 */
const domains: Resolvers[] = [
  analysisResolvers,
  commonResolvers,
  evidenceResolvers,
  followUpBoardResolvers,
  implementationResolvers,
  nationalLawResolvers,
  searchResolvers,
  sourcesResolvers,
  statesResolvers,
  systemResolvers,
  treatiesResolvers,
  unDocumentsResolvers,
];

/** Every domain's resolvers in one map; each domain's Query fields merged into one Query. */
function mergeDomains(parts: readonly Resolvers[]): Resolvers {
  const merged: Resolvers = {};
  const query: NonNullable<Resolvers['Query']> = {};
  for (const part of parts) {
    Object.assign(merged, part);
    Object.assign(query, part.Query ?? {});
  }
  return { ...merged, Query: query };
}

export const resolvers: Resolvers = mergeDomains(domains);
