import type { Connection } from '../../pagination';
import type { ProvisionModel } from '../national-law/models';
import type { TreatyArticleModel } from '../treaties/models';
import type { RecommendationModel } from '../un-documents/models';

export const SEARCH_KINDS = ['TREATY_ARTICLE', 'PROVISION', 'RECOMMENDATION'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export type SearchHitModel = {
  /** The language of the best-matching text; null when the query shows neither it nor an excerpt (not read). */
  language: string | null;
  /** The best-matching text; null when the query shows no excerpt (not read). */
  text: string | null;
  score: number;
  /** The searched words, to cut the excerpt around. */
  terms: string[];
} & (
  | { kind: 'TREATY_ARTICLE'; entity: TreatyArticleModel }
  | { kind: 'PROVISION'; entity: ProvisionModel }
  | { kind: 'RECOMMENDATION'; entity: RecommendationModel }
);

export type SearchHitConnectionModel = Connection<SearchHitModel>;
