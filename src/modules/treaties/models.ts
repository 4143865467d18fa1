import { z } from 'zod';
import type { Connection } from '../../pagination';
import { entityModel, list, optional, sourced } from '../common/models';

export const treatyModel = entityModel('Treaty', {
  ...sourced,
  shortName: z.string(),
  title: z.string(),
  adopted: optional(z.string()),
  adoptedBy: optional(z.string()),
  entryIntoForce: optional(z.string()),
});
export type TreatyModel = ReturnType<typeof treatyModel.decode>;

export const treatyArticleModel = entityModel('TreatyArticle', {
  ...sourced,
  treatyId: z.string(),
  number: z.number().int(),
  title: optional(z.string()),
  part: optional(z.string()),
  paragraphs: list(z.string()),
  text: optional(z.string()),
});
export type TreatyArticleModel = ReturnType<typeof treatyArticleModel.decode>;

export type TreatyConnectionModel = Connection<TreatyModel>;
export type TreatyArticleConnectionModel = Connection<TreatyArticleModel>;
