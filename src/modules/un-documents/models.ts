import { z } from 'zod';
import type { Connection } from '../../pagination';
import { entityModel, optional, sourced, type LinkModel } from '../common/models';
import type { BodyModel, MechanismModel } from '../implementation/models';
import type { LegalInstrumentModel, ProvisionModel } from '../national-law/models';
import type { TreatyArticleModel } from '../treaties/models';

export const documentModel = entityModel('Document', {
  ...sourced,
  symbol: optional(z.string()),
  kind: z.string(),
  title: z.string(),
  committee: z.string(),
  cycle: optional(z.string()),
  date: optional(z.string()),
  year: optional(z.number().int()),
  received: optional(z.string()),
  session: optional(z.number().int()),
  originalLanguage: optional(z.string()),
});
export type DocumentModel = ReturnType<typeof documentModel.decode>;

export const recommendationModel = entityModel('Recommendation', {
  ...sourced,
  // Optional in the model although the loader always writes them: a node missing one fails only the
  // fields that need it (Recommendation.summary, Recommendation.label), not every field of the node.
  documentId: optional(z.string()),
  documentSymbol: optional(z.string()),
  paragraph: z.number().int(),
  subParagraph: optional(z.string()),
  kind: z.string(),
  summary: optional(z.string()),
  year: optional(z.number().int()),
  cycle: optional(z.string()),
});
export type RecommendationModel = ReturnType<typeof recommendationModel.decode>;

export const themeModel = entityModel('Theme', {
  name: z.string(),
  description: z.string(),
});
export type ThemeModel = ReturnType<typeof themeModel.decode>;

export const ANSWER_EXTENTS = ['FULL', 'PARTIAL', 'FORMAL_ONLY'] as const;
export type AnswerExtent = (typeof ANSWER_EXTENTS)[number];

/** A recommendation concerning a treaty article (CONCERNS). */
export type ArticleConcernModel = LinkModel<RecommendationModel, TreatyArticleModel>;
/** A later recommendation repeating an earlier one (REITERATES). */
export type ReiterationModel = LinkModel<RecommendationModel, RecommendationModel>;
/** What answers a recommendation (ANSWERS): a mechanism, provision, instrument or body. */
export type AnswerModel = LinkModel<
  MechanismModel | ProvisionModel | LegalInstrumentModel | BodyModel,
  RecommendationModel
>;
export const ANSWERER_LABELS = ['Mechanism', 'Provision', 'LegalInstrument', 'Body'] as const;

export type DocumentConnectionModel = Connection<DocumentModel>;
export type RecommendationConnectionModel = Connection<RecommendationModel>;
