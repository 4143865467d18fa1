import type { Connection } from '../pagination';
import type { EntityModel, LinkProps, RecommendationModel, TreatyArticleModel, StateModel, TreatyModel } from './models';

export type GapReason =
  | 'NO_ANSWER'
  | 'ONLY_INEFFECTIVE_MECHANISMS'
  | 'ONLY_PARTIAL_MECHANISMS'
  | 'LAW_WITHOUT_MECHANISM'
  | 'NO_LEGAL_BASIS_IN_FORCE'
  | 'LEGAL_BASIS_NOT_IDENTIFIED'
  | 'MECHANISM_STATUS_UNKNOWN'
  | 'NO_ACTIVE_BODY';

export interface GapModel {
  recommendation: RecommendationModel;
  reasons: GapReason[];
  mechanismIds: string[];
  provisionIds: string[];
  bodyIds: string[];
}

export type GapConnectionModel = Connection<GapModel> & { testedCount: number };

/** A relationship as returned by an analysis query: the entity at its other end and its properties. */
export interface RelatedIds {
  id: string;
  rel: LinkProps;
}

export interface CoverageRowModel {
  article: TreatyArticleModel;
  implementations: Array<{ provision: EntityModel; rel: LinkProps }>;
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
  provision: EntityModel;
  rel: LinkProps;
  bodies: Array<{ id: string; relation: string; rel: LinkProps }>;
  mechanismIds: string[];
}

export interface ChainRecommendationModel {
  recommendation: RecommendationModel;
  article: TreatyArticleModel;
  concern: LinkProps;
  documentId: string;
  relatedDocumentIds: string[];
}

export interface ChainModel {
  article: TreatyArticleModel;
  state: StateModel;
  provisions: ChainProvisionModel[];
  mechanismIds: string[];
  evidenceIds: string[];
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

export interface PathStepModel {
  type: string;
  from: EntityModel;
  to: EntityModel;
  forward: boolean;
  rel: LinkProps;
}

export interface PathModel {
  nodes: EntityModel[];
  steps: PathStepModel[];
}
