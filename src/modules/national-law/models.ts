import { z } from 'zod';
import type { Connection } from '../../pagination';
import { entityModel, optional, sourced, type LinkModel } from '../common/models';
import type { TreatyArticleModel } from '../treaties/models';

export const legalInstrumentModel = entityModel('LegalInstrument', {
  ...sourced,
  stateId: z.string(),
  kind: z.string(),
  number: optional(z.string()),
  title: z.string(),
  titleOriginalLanguage: optional(z.string()),
  titleOriginalText: optional(z.string()),
  adopted: optional(z.string()),
  inForce: z.string(),
  enteredIntoForce: optional(z.string()),
  officialCode: optional(z.string()),
});
export type LegalInstrumentModel = ReturnType<typeof legalInstrumentModel.decode>;

export const provisionModel = entityModel('Provision', {
  ...sourced,
  instrumentId: z.string(),
  stateId: z.string(),
  article: z.string(),
  paragraph: optional(z.string()),
  /** The numbered item (sub-point) within the article or paragraph, e.g. 4-1. */
  item: optional(z.string()),
  heading: optional(z.string()),
});
export type ProvisionModel = ReturnType<typeof provisionModel.decode>;

export const IMPLEMENTATION_EXTENTS = ['FULL', 'PARTIAL', 'DECLARATIVE_ONLY'] as const;
export type ImplementationExtent = (typeof IMPLEMENTATION_EXTENTS)[number];

/** National law implementing a treaty article (IMPLEMENTS): a provision, or an instrument as a whole. */
export type ImplementationModel = LinkModel<ProvisionModel | LegalInstrumentModel, TreatyArticleModel>;
/** One instrument amending another (AMENDS). */
export type AmendmentModel = LinkModel<LegalInstrumentModel, LegalInstrumentModel>;
/** The law an instrument, body or mechanism rests on (ISSUED_UNDER, ESTABLISHED_BY, MANDATED_BY, GROUNDED_IN). */
export type LegalBasisModel = LinkModel<{ id: string }, ProvisionModel | LegalInstrumentModel>;

export type LegalInstrumentConnectionModel = Connection<LegalInstrumentModel>;
export type ProvisionConnectionModel = Connection<ProvisionModel>;
export type ImplementationConnectionModel = Connection<ImplementationModel>;
