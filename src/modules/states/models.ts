import { z } from 'zod';
import type { Connection } from '../../pagination';
import { entityModel, optional, sourced } from '../common/models';

export const stateModel = entityModel('State', {
  ...sourced,
  iso3: z.string(),
  name: z.string(),
  officialName: optional(z.string()),
});
export type StateModel = ReturnType<typeof stateModel.decode>;

export const treatyActionModel = entityModel('TreatyAction', {
  ...sourced,
  stateId: z.string(),
  treatyId: z.string(),
  kind: z.string(),
  date: optional(z.string()),
  place: optional(z.string()),
  description: optional(z.string()),
});
export type TreatyActionModel = ReturnType<typeof treatyActionModel.decode>;

export type StateConnectionModel = Connection<StateModel>;
