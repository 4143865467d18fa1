import { z } from 'zod';
import type { Connection } from '../../pagination';
import { entityModel, optional, sourced, type LinkModel } from '../common/models';

/** What the sources say of a mechanism's legal basis (the LegalBasisStatus enum of schema/implementation.graphql). */
export const LEGAL_BASIS_STATUSES = ['IDENTIFIED', 'NONE', 'NOT_IDENTIFIED'] as const;

export const bodyModel = entityModel('Body', {
  ...sourced,
  stateId: z.string(),
  name: z.string(),
  nameOriginalLanguage: optional(z.string()),
  nameOriginalText: optional(z.string()),
  kind: z.string(),
  level: z.string(),
  status: z.string(),
  established: optional(z.string()),
  description: optional(z.string()),
});
export type BodyModel = ReturnType<typeof bodyModel.decode>;

export const mechanismModel = entityModel('Mechanism', {
  ...sourced,
  stateId: z.string(),
  name: z.string(),
  kind: z.string(),
  status: z.string(),
  description: optional(z.string()),
  since: optional(z.string()),
  /** Always written by the loader: whether the sources identify the mechanism's legal basis. */
  legalBasis: z.enum(LEGAL_BASIS_STATUSES),
});
export type MechanismModel = ReturnType<typeof mechanismModel.decode>;

/** A mechanism run by a body (RUN_BY). */
export type MechanismOperatorModel = LinkModel<MechanismModel, BodyModel>;

export type BodyConnectionModel = Connection<BodyModel>;
export type MechanismConnectionModel = Connection<MechanismModel>;
