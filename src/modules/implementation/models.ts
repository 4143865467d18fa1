import { z } from 'zod';
import type { Connection } from '../../pagination';
import { entityModel, optional, sourced, type LinkModel } from '../common/models';

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
});
export type MechanismModel = ReturnType<typeof mechanismModel.decode>;

/** A mechanism run by a body (RUN_BY). */
export type MechanismOperatorModel = LinkModel<MechanismModel, BodyModel>;

export type BodyConnectionModel = Connection<BodyModel>;
export type MechanismConnectionModel = Connection<MechanismModel>;
