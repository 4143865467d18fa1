/**
 * Links the UHRI has no column for, derived by rules from a paragraph's words and tags: which treaty
 * articles it concerns, and which earlier paragraph it repeats. Pure functions, no database: the UHRI
 * importer calls them and writes the links with `origin: 'INFERRED'`, `basis: 'INFERRED'`.
 */
import { findArticleCitations, isCrcFamily } from './article-citations';
import type { InferParagraph, InferredConcern } from './models';
import { clusterOfTheme } from './theme-clusters';

export * from './article-citations';
export * from './from-record';
export * from './models';
export * from './reiterations';
export * from './theme-clusters';

/**
 * The treaty articles a paragraph concerns: those it cites (ARTICLE_CITATION), then, for a paragraph of
 * the Committee on the Rights of the Child, the articles of the clusters its UHRI themes belong to
 * (THEME_CLUSTER, theme-clusters.yaml). Each article once: a citation wins over a theme, and the first
 * theme over later ones.
 */
export function inferConcerns(paragraph: InferParagraph): InferredConcern[] {
  const out: InferredConcern[] = findArticleCitations(paragraph).map((citation) => ({
    recommendationId: paragraph.id,
    articleId: citation.articleId,
    inference: 'ARTICLE_CITATION',
    evidence: citation.evidence,
    sourceIds: [],
    locators: [],
    verification: 'UNVERIFIED',
  }));
  if (!isCrcFamily(paragraph)) return out;
  const seen = new Set(out.map((concern) => concern.articleId));
  for (const theme of paragraph.themes) {
    const cluster = clusterOfTheme(theme);
    if (cluster === null) continue;
    for (const number of cluster.articles) {
      const articleId = `treaty:CRC:art:${number}`;
      if (seen.has(articleId)) continue;
      seen.add(articleId);
      out.push({
        recommendationId: paragraph.id,
        articleId,
        inference: 'THEME_CLUSTER',
        evidence: `theme "${theme}" → cluster "${cluster.title}"`,
        sourceIds: cluster.sources.map((s) => s.source),
        locators: cluster.sources.map((s) => s.locator),
        verification: cluster.verification,
      });
    }
  }
  return out;
}
