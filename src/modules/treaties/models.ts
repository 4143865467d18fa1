import { z } from 'zod';
import type { Connection } from '../../pagination';
import { entityModel, lazy, list, optional, sourced } from '../common/models';

export const treatyModel = entityModel('Treaty', {
  ...sourced,
  shortName: z.string(),
  title: z.string(),
  adopted: optional(z.string()),
  adoptedBy: optional(z.string()),
  entryIntoForce: optional(z.string()),
});
export type TreatyModel = ReturnType<typeof treatyModel.decode>;

/**
 * A treaty article. Its text (`paragraphs`, `text`: most of the bytes of an article) is read by lists and
 * links only when the query selects it, so the model says it may be absent; the resolvers of those fields
 * read it by id when it is.
 */
export const treatyArticleModel = entityModel(
  'TreatyArticle',
  {
    ...sourced,
    treatyId: z.string(),
    number: z.number().int(),
    title: optional(z.string()),
    part: optional(z.string()),
    paragraphs: lazy(list(z.string())),
    text: lazy(optional(z.string())),
  },
  ['paragraphs', 'text'],
);
export type TreatyArticleModel = ReturnType<typeof treatyArticleModel.decode>;

export type TreatyConnectionModel = Connection<TreatyModel>;
export type TreatyArticleConnectionModel = Connection<TreatyArticleModel>;
