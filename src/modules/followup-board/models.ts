import type { MeasureModel, MeasureStatus } from '../followup/models';
import type { StateModel } from '../states/models';
import type { RecommendationModel } from '../un-documents/models';

export interface FollowUpRowModel {
  recommendation: RecommendationModel;
  measures: MeasureModel[];
  measureCount: number;
  overdueCount: number;
}

export interface LeadBodyCountModel {
  bodyId: string | null;
  measureCount: number;
  overdueCount: number;
}

export interface FollowUpSummaryModel {
  recommendationCount: number;
  recommendationsWithoutMeasure: number;
  measureCount: number;
  overdueMeasureCount: number;
  byLeadBody: LeadBodyCountModel[];
}

export interface FollowUpBoardModel {
  state: StateModel;
  asOf: string;
  edges: Array<{ cursor: string; node: FollowUpRowModel }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
  summary: FollowUpSummaryModel;
}

/** What the board is asked for: the recommendation scope, the measure filters, and who is reading. */
export interface BoardFilter {
  /** The state's corpus id, `state:KAZ`. */
  state: string;
  /** Its ISO code, `KAZ`: what a follow-up record's `stateId` holds (CONTRACTS C, followup/models.ts). */
  stateCode: string;
  /** ISO codes of the states whose INTERNAL measures the reader may see (internalStatesOf). */
  internalStates: string[];
  statuses: MeasureStatus[] | null;
  overdue: boolean | null;
  leadBodies: string[] | null;
  articles: string[] | null;
  themes: string[] | null;
  cycles: string[] | null;
  documents: string[] | null;
  withoutMeasure: boolean | null;
  includeWithdrawn: boolean;
  /** YYYY-MM-DD: a measure due before this day and still under way is overdue. */
  asOf: string;
}
