/**
 * Links the UHRI has no column for, derived by rules from a paragraph's words and tags: which treaty
 * articles it concerns, and which earlier paragraph it repeats. Pure functions, no database: the UHRI
 * importer calls them and writes the links with `origin: 'INFERRED'`, `basis: 'INFERRED'`.
 */
import { findArticleCitations } from './article-citations';
import type { InferParagraph, InferredConcern } from './models';

export * from './article-citations';
export * from './models';

/** The treaty articles a paragraph concerns by its own citations, each article once. */
export function inferConcerns(paragraph: InferParagraph): InferredConcern[] {
  return findArticleCitations(paragraph).map((citation) => ({
    recommendationId: paragraph.id,
    articleId: citation.articleId,
    inference: 'ARTICLE_CITATION',
    evidence: citation.evidence,
    sourceIds: [],
    locators: [],
    verification: 'UNVERIFIED',
  }));
}
export * from './reiterations';
