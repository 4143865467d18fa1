import type { Connection } from '../../pagination';
import { GraphDataError } from '../../errors';
import { isPathRelationshipType, PATH_RELATIONSHIP_TYPES, type PathRelationshipType } from '../../graph/vocabulary';
import type { LinkProps, Related } from '../common/models';
import type { EntityModel } from '../entities';
import type { BodyModel, MechanismModel } from '../implementation/models';
import type { LegalInstrumentModel, ProvisionModel } from '../national-law/models';
import type { StateModel } from '../states/models';
import type { TreatyArticleModel, TreatyModel } from '../treaties/models';
import type { DocumentModel, RecommendationModel } from '../un-documents/models';
import type { FindingModel, StatisticModel } from '../evidence/models';

/** Why a recommendation is a gap (the GapReason enum of schema/analysis.graphql). */
export const GAP_REASONS = [
  'NO_ANSWER',
  'ONLY_INEFFECTIVE_MECHANISMS',
  'ONLY_PARTIAL_MECHANISMS',
  'LAW_WITHOUT_MECHANISM',
  'NO_LEGAL_BASIS_IN_FORCE',
  'LEGAL_BASIS_NOT_IDENTIFIED',
  'MECHANISM_STATUS_UNKNOWN',
  'NO_ACTIVE_BODY',
] as const;
export type GapReason = (typeof GAP_REASONS)[number];

export interface GapModel {
  recommendation: RecommendationModel;
  reasons: GapReason[];
  /**
   * Read by the gaps statement itself, as far as the query selects them (repository.ts GapReading); null
   * where the query does not select the field that shows them.
   */
  mechanisms: MechanismModel[] | null;
  provisionIds: string[] | null;
  bodyIds: string[] | null;
  answers: Array<Related<MechanismModel | ProvisionModel | LegalInstrumentModel | BodyModel>> | null;
}

export type GapConnectionModel = Connection<GapModel> & { testedCount: number };

export interface CoverageRowModel {
  article: TreatyArticleModel;
  /** `provision` is the implementing end: a provision, or an instrument implementing the article as a whole. */
  implementations: Array<{ provision: ProvisionModel | LegalInstrumentModel; rel: LinkProps }>;
  bodyIds: string[];
  mechanismIds: string[];
  recommendationIds: string[];
  openRecommendationCount: number;
  statisticIds: string[];
  findingIds: string[];
}

export interface CoverageModel {
  treaty: TreatyModel;
  state: StateModel;
  rows: CoverageRowModel[];
}

export interface ChainProvisionModel {
  article: TreatyArticleModel;
  /** A provision, or an instrument implementing the article as a whole. */
  provision: ProvisionModel | LegalInstrumentModel;
  rel: LinkProps;
  bodies: ChainBodyModel[];
  mechanisms: MechanismModel[];
}

/** A body established or mandated by a provision, with the relationship's type and provenance. */
export interface ChainBodyModel {
  body: BodyModel;
  relation: string;
  rel: LinkProps;
}

export interface ChainRecommendationModel {
  recommendation: RecommendationModel;
  article: TreatyArticleModel;
  concern: LinkProps;
  document: DocumentModel;
  relatedDocuments: DocumentModel[];
}

export interface ChainModel {
  article: TreatyArticleModel;
  state: StateModel;
  provisions: ChainProvisionModel[];
  mechanisms: MechanismModel[];
  evidence: Array<StatisticModel | FindingModel>;
  recommendations: ChainRecommendationModel[];
}

export interface ReiterationChainModel {
  /** Oldest first. */
  recommendations: RecommendationModel[];
  /** Links oldest first: links[i] is recommendations[i + 1] REITERATES recommendations[i]. */
  links: LinkProps[];
  latestAnswered: boolean;
}

export type ReiterationChainConnectionModel = Connection<ReiterationChainModel>;

/**
 * The relationship types a path may follow (the PathRelationship enum of schema/analysis.graphql): the
 * graph vocabulary's, which test/unit/vocabulary.test.ts checks against the enum.
 */
export const PATH_RELATIONSHIPS = PATH_RELATIONSHIP_TYPES;
export type PathRelationship = PathRelationshipType;

export function pathRelationship(type: string): PathRelationship {
  if (!isPathRelationshipType(type))
    throw new GraphDataError(`A path followed ${type}, which is not a PathRelationship`);
  return type;
}

export interface PathStepModel {
  type: PathRelationship;
  from: EntityModel;
  to: EntityModel;
  forward: boolean;
  rel: LinkProps;
}

export interface PathModel {
  nodes: EntityModel[];
  steps: PathStepModel[];
}
