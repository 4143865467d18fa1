import { z } from 'zod';
import type { Connection } from '../../pagination';
import { entityModel, list, optional } from '../common/models';

export const sourceModel = entityModel('Source', {
  kind: z.string(),
  reliability: z.string(),
  title: z.string(),
  authors: list(z.string()),
  publisher: optional(z.string()),
  published: optional(z.string()),
  url: optional(z.string()),
  /** Why the source has no address, where none is known; null when `url` is set. */
  addressUnknown: optional(z.string()),
  note: optional(z.string()),
});
export type SourceModel = ReturnType<typeof sourceModel.decode>;

export type SourceConnectionModel = Connection<SourceModel>;
