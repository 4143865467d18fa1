import { z } from 'zod';
import type { CypherReader } from '../../db/database';
import { decodeWith } from '../common/models';
import { GraphDataError } from '../../errors';
import { decodeEntity, fromProjected, type Projection } from '../entities';
import { SEARCH_KINDS, type SearchHitModel, type SearchKind } from './models';

/**
 * Full-text search through Neo4j's full-text indexes (created by the loader): `treatyArticleText` over
 * treaty article titles and texts, `textVersionText` over every language version of provision and
 * recommendation texts. One hit per entity, with its best-matching text (highest score, then language).
 *
 * One statement answers a page and its total, and pays for the search once:
 *
 * 1. Find. An index not asked for (by `$kinds`) is not queried. Each hit is reduced to what ranking needs:
 *    the id of the entity it belongs to (a treaty article's own id; a text version's `ownerId`, written by the
 *    loader beside the `HAS_TEXT` link), its node and its score. A text version's `ownerLabel` is read only
 *    when `$kinds` asks for one of provisions and recommendations but not both (the loader writes text
 *    versions for those two labels only). No owner is expanded, no text is read here. A text version is
 *    skipped unless it or its owner has the `Entity` label: the UHRI importer stages texts with their
 *    `TextVersion` label (so they enter the index batch by batch), publishes their owners in one transaction
 *    and gives the texts `Entity` in slices after it (docs/model.md, "All or nothing: staging"), so search
 *    never finds a half-imported file. A text with `Entity` (every one, once published) costs a label test.
 *    (Joining each text to its owner through `HAS_TEXT` instead costs three times the database hits on the
 *    100x corpus: bench/results/analysis-search-2026-12-02.md.)
 * 2. Deduplicate: the texts of one entity become one hit, its best score (no sort of the texts). The
 *    language, the tie-break between an entity's texts of equal score, is read only for those that tie.
 * 3. Rank only what the page needs. The page's last place (`$offset + $limit`) has an edge score: the lowest
 *    of the best `$offset + $limit` scores (a top-k by score alone). Only the hits scoring at least that are
 *    ordered by score and then entity id (the page, and the hits tied with its last one), not every hit. The
 *    page is the same as ordering every hit by score and id.
 * 4. `total` is the number of hits, counted from the same hits: `totalCount` costs no second search.
 * 5. Expand only the page: the owner of each text version through `HAS_TEXT` (its labels give the kind), the
 *    properties the query selects (`$entityProps`, a projection, or null for every property), the language,
 *    and the matched text only when the query shows an excerpt (`$withText`).
 *
 * bench/search-profile.ts runs this beside the earlier statements (main's, and page then count) and checks
 * them equal.
 */
export const SEARCH_STATEMENTS = {
  search: `// Query.search
CALL () {
  WITH 1 AS wanted WHERE 'TREATY_ARTICLE' IN $kinds
  CALL db.index.fulltext.queryNodes('treatyArticleText', $query) YIELD node, score
  RETURN node.id AS key, node AS textNode, score
  UNION ALL
  WITH 1 AS wanted WHERE 'PROVISION' IN $kinds OR 'RECOMMENDATION' IN $kinds
  CALL db.index.fulltext.queryNodes('textVersionText', $query) YIELD node, score
  WITH node, score
  WHERE (node:Entity OR EXISTS { MATCH (:Entity)-[:HAS_TEXT]->(node) })
    AND (('PROVISION' IN $kinds AND 'RECOMMENDATION' IN $kinds)
     OR CASE node.ownerLabel WHEN 'Provision' THEN 'PROVISION' WHEN 'Recommendation' THEN 'RECOMMENDATION' END IN $kinds)
  RETURN node.ownerId AS key, node AS textNode, score
}
WITH key, max(score) AS score, collect({node: textNode, score: score}) AS texts
WITH key, score, [text IN texts WHERE text.score = score] AS top
WITH key, score, reduce(best = head(top), text IN tail(top) |
       CASE WHEN text.node.language < best.node.language THEN text ELSE best END).node AS textNode
WITH collect({key: key, text: textNode, score: score}) AS hits
CALL (hits) {
  UNWIND hits AS hit
  WITH hit.score AS score ORDER BY score DESC LIMIT $offset + $limit
  RETURN min(score) AS edge
}
CALL (hits, edge) {
  UNWIND [hit IN hits WHERE hit.score >= edge] AS hit
  WITH hit ORDER BY hit.score DESC, hit.key
  WITH collect(hit)[$offset..($offset + $limit)] AS page
  UNWIND range(0, size(page) - 1) AS position
  WITH position, page[position] AS hit, page[position].text AS text
  OPTIONAL MATCH (owner:Entity)-[:HAS_TEXT]->(text) WHERE NOT text:TreatyArticle
  WITH position, hit {.text, .score, owner: CASE WHEN text:TreatyArticle THEN text ELSE owner END} AS hit
  ORDER BY position
  RETURN collect(hit) AS page
}
RETURN size(hits) AS total, [hit IN page | {
    kind: CASE WHEN hit.owner:TreatyArticle THEN 'TREATY_ARTICLE' WHEN hit.owner:Provision THEN 'PROVISION' WHEN hit.owner:Recommendation THEN 'RECOMMENDATION' END,
    entity: {labels: labels(hit.owner), props: CASE WHEN $entityProps IS NULL THEN properties(hit.owner) END,
             values: CASE WHEN $entityProps IS NULL THEN null ELSE [k IN $entityProps | hit.owner[k]] END},
    best: {language: CASE WHEN hit.text:TreatyArticle THEN 'en' ELSE hit.text.language END,
           text: CASE WHEN $withText THEN hit.text.text END, score: hit.score}
  }] AS page`,
};

const hit = z.object({
  kind: z.enum(SEARCH_KINDS),
  entity: z.object({
    labels: z.array(z.string()),
    props: z.record(z.string(), z.unknown()).nullable(),
    values: z.array(z.unknown()).nullable(),
  }),
  best: z.object({ language: z.string(), text: z.string().nullable(), score: z.number() }),
});
/** Exactly one row: the number of hits in all, and the page. */
const searchRows = z.tuple([z.object({ total: z.number().int(), page: z.array(hit) })]);

/**
 * What a search reads of each hit, from the query's selection (search/resolvers.ts): the entity's properties (a
 * projection of the properties its selected fields read, or `full`), and whether the matched text (an excerpt).
 */
export interface SearchReading {
  entities: Projection | 'full';
  text: boolean;
}

/** Every property and the text (for callers without a selection). */
export const SEARCH_READ_WHOLLY: SearchReading = { entities: 'full', text: true };

/** One page of hits and the number of hits in all. */
export interface SearchResult {
  hits: SearchHitModel[];
  total: number;
}

export class SearchRepository {
  constructor(private readonly db: CypherReader) {}

  /** The hits from position `offset` on (at most `limit` of them), and the number of hits in all. */
  async search(
    query: string,
    kinds: readonly SearchKind[],
    terms: string[],
    offset: number,
    limit: number,
    reading: SearchReading = SEARCH_READ_WHOLLY,
  ): Promise<SearchResult> {
    const only = reading.entities === 'full' ? undefined : reading.entities.only;
    const [{ total, page }] = decodeWith(
      searchRows,
      await this.db.read('Query.search', SEARCH_STATEMENTS.search, {
        query,
        kinds,
        offset,
        limit,
        entityProps: only ?? null,
        withText: reading.text,
      }),
      'search rows',
    );
    const hits = page.map((row): SearchHitModel => {
      if (reading.text && row.best.text === null)
        throw new GraphDataError(`A search hit's text (of ${row.entity.labels.join(', ')}) has no text`);
      const found = { language: row.best.language, text: row.best.text ?? '', score: row.best.score, terms };
      const entity = fromProjected(row.entity, only, 'Search');
      switch (row.kind) {
        case 'TREATY_ARTICLE':
          return { ...found, kind: row.kind, entity: decodeEntity(entity, ['TreatyArticle'], only) };
        case 'PROVISION':
          return { ...found, kind: row.kind, entity: decodeEntity(entity, ['Provision'], only) };
        case 'RECOMMENDATION':
          return { ...found, kind: row.kind, entity: decodeEntity(entity, ['Recommendation'], only) };
      }
    });
    return { hits, total };
  }
}
