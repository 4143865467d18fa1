import { z } from 'zod';
import type { CypherReader } from '../../db/database';
import { decodeWith } from '../common/models';
import { GraphDataError } from '../../errors';
import { decodeEntity, fromProjected, type Projection } from '../entities';
import { OWNER_TEXT, visible } from '../../graph/vocabulary';
import { SEARCH_KINDS, type SearchHitModel, type SearchKind } from './models';

/**
 * Full-text search through Neo4j's full-text indexes (created by the loader): `treatyArticleText` over treaty
 * article titles and texts, and an index per kind of text owner over the texts of every language
 * (`provisionTextVersionText` over the texts labelled `ProvisionText`, `recommendationTextVersionText` over
 * `RecommendationText`: src/graph/vocabulary.ts OWNER_TEXT). One hit per entity, scored by its best-matching
 * text; hits in order of score, then entity id.
 *
 * One statement answers a page and its total, and pays for the search once. What it costs, measured on the 100×
 * corpus: bench/results/search-2026-12-02.md.
 *
 * 1. Find. Only the indexes of the kinds asked for (`$kinds`) are queried, so no text is read to tell its owner's
 *    kind. Each hit is reduced to the id of the entity it belongs to (a treaty article's own id; a text's
 *    `ownerId`, written by the loader beside the `HAS_TEXT` link) and its score; no owner is expanded and no text
 *    is read. A text is taken when it has the `Entity` label and is visible (graph/vocabulary.ts `visible`): the
 *    UHRI importer writes a new text with its labels and the pending label, batch by batch (so it enters the
 *    index in its batch's transaction), and publishes the whole file by writing one marker node, so search
 *    never finds a text of an unpublished file. A published text costs two label tests. Its owner (step 5) is
 *    matched only when visible, and so are the texts step 6 reads.
 * 2. One hit per entity, its best score (`max`), and the hits sorted by score alone: a sort on a number. Sorting
 *    by score and id instead compares ids throughout the groups of equal scores, which are large (the 100×
 *    corpus's 8,613 hits for "children" have 32 distinct scores, one shared by 1,647), and cost a quarter of the
 *    statement.
 * 3. The page in order of score and id. The scores and ids are collected as two lists (in score order), and
 *    only the hits whose score lies between the page's first and last scores (the page, and the hits tied with
 *    its ends) are sorted by score and then id; the page is sliced from them. This is the order of sorting every
 *    hit by score and id. (A top-k, `ORDER BY … LIMIT $offset + $limit`, over a collected list instead is held
 *    by Neo4j's memory accounting as the whole list for every row it keeps: on page 300 of "children" it passed
 *    the transaction memory limit.)
 * 4. `total` is the number of hits, counted from the same hits: `totalCount` costs no second search.
 * 5. Expand only the page: its entities by id (through the `entity_id` index), the properties the query
 *    selects (`$entityProps`, a projection, or null for every property).
 * 6. The best-matching text of each entity of the page, only when the query shows its language or an excerpt
 *    (`$best`): an entity with one text has that one; for an entity with several, the indexes of the page's
 *    kinds are queried again and only the texts of those entities are kept (a comparison of nodes, with no
 *    property read), the best being the highest score, then the language, then the text's id. The matched text
 *    itself is read only when the query shows an excerpt (`$withText`).
 *
 * bench/search-profile.ts runs this beside a plain statement that sorts every hit (the reference) and checks
 * them equal.
 */
export const SEARCH_STATEMENTS = {
  search: `// Query.search
CALL () {
  WITH 1 AS wanted WHERE 'TREATY_ARTICLE' IN $kinds
  CALL db.index.fulltext.queryNodes('treatyArticleText', $query) YIELD node, score
  RETURN node, score, true AS visible
  UNION ALL
  WITH 1 AS wanted WHERE 'PROVISION' IN $kinds
  CALL db.index.fulltext.queryNodes('${OWNER_TEXT.Provision.index}', $query) YIELD node, score
  RETURN node, score, false AS visible
  UNION ALL
  WITH 1 AS wanted WHERE 'RECOMMENDATION' IN $kinds
  CALL db.index.fulltext.queryNodes('${OWNER_TEXT.Recommendation.index}', $query) YIELD node, score
  RETURN node, score, false AS visible
}
WITH node, score, visible WHERE visible OR (node:Entity AND ${visible('node')})
// A text without ownerId (never written so) keys as '', which no entity has: the page then fails to decode
// rather than the lists below falling out of step (collect skips nulls).
WITH coalesce(CASE WHEN visible THEN node.id ELSE node.ownerId END, '') AS key, score
WITH key, max(score) AS score
ORDER BY score DESC
WITH collect(score) AS scores, collect(key) AS keys
WITH scores, keys, size(keys) AS total,
     CASE WHEN $offset + $limit < size(keys) THEN $offset + $limit ELSE size(keys) END AS end
WITH scores, keys, total, end,
     CASE WHEN $offset < end THEN scores[$offset] END AS high,
     CASE WHEN $offset < end THEN scores[end - 1] END AS low
WITH scores, keys, total, end, high, low, size([s IN scores[..$offset] WHERE s > high]) AS first
WITH scores, keys, total, first,
     CASE WHEN high IS NULL THEN first ELSE end + size([s IN scores[end..] WHERE s = low]) END AS last
CALL (scores, keys, first, last) {
  UNWIND range(first, last - 1) AS i
  WITH [-scores[i], keys[i]] AS hit ORDER BY hit
  WITH collect(hit) AS tied
  RETURN tied[($offset - first)..($offset - first + $limit)] AS pageRows
}
CALL (pageRows) {
  UNWIND range(0, size(pageRows) - 1) AS position
  OPTIONAL MATCH (owner:Entity {id: pageRows[position][1]})
  WHERE ${visible('owner')}
  WITH position, owner ORDER BY position
  RETURN collect([owner]) AS owners
}
CALL (owners) {
  UNWIND CASE WHEN $best THEN owners ELSE [] END AS one
  WITH one[0] AS owner WHERE owner IS NOT NULL AND NOT owner:TreatyArticle
  MATCH (owner)-[:HAS_TEXT]->(text)
  WHERE ${visible('text')}
  WITH owner, collect(text) AS texts
  WITH collect(CASE WHEN size(texts) = 1 THEN [owner.id, texts[0]] END) AS single,
       reduce(all = [], more IN collect(CASE WHEN size(texts) > 1 THEN texts END) | all + more) AS several
  CALL (several) {
    CALL (several) {
      WITH 1 AS wanted WHERE any(text IN several WHERE text:${OWNER_TEXT.Provision.label})
      CALL db.index.fulltext.queryNodes('${OWNER_TEXT.Provision.index}', $query) YIELD node, score
      RETURN node, score
      UNION ALL
      WITH 1 AS wanted WHERE any(text IN several WHERE text:${OWNER_TEXT.Recommendation.label})
      CALL db.index.fulltext.queryNodes('${OWNER_TEXT.Recommendation.index}', $query) YIELD node, score
      RETURN node, score
    }
    WITH node, score WHERE node IN several
    WITH node.ownerId AS key, node, score ORDER BY score DESC, node.language, node.id
    WITH key, collect(node)[0] AS text
    RETURN collect([key, text]) AS found
  }
  RETURN single + found AS bests
}
WITH total, pageRows, [i IN range(0, size(pageRows) - 1) | [owners[i][0],
       CASE WHEN owners[i][0]:TreatyArticle THEN owners[i][0] ELSE [b IN bests WHERE b[0] = owners[i][0].id][0][1] END]] AS page
RETURN total, [i IN range(0, size(page) - 1) | {
    kind: CASE WHEN page[i][0]:TreatyArticle THEN 'TREATY_ARTICLE' WHEN page[i][0]:Provision THEN 'PROVISION' WHEN page[i][0]:Recommendation THEN 'RECOMMENDATION' END,
    entity: {labels: labels(page[i][0]), props: CASE WHEN $entityProps IS NULL THEN properties(page[i][0]) END,
             values: CASE WHEN $entityProps IS NULL THEN null ELSE [k IN $entityProps | page[i][0][k]] END},
    score: -pageRows[i][0],
    best: CASE WHEN $best AND page[i][1] IS NOT NULL THEN {language: CASE WHEN page[i][1]:TreatyArticle THEN 'en' ELSE page[i][1].language END,
                                text: CASE WHEN $withText THEN page[i][1].text END} END
  }] AS page`,
};

const hit = z.object({
  kind: z.enum(SEARCH_KINDS),
  entity: z.object({
    labels: z.array(z.string()),
    props: z.record(z.string(), z.unknown()).nullable(),
    values: z.array(z.unknown()).nullable(),
  }),
  score: z.number(),
  /** The best-matching text, when `$best`. */
  best: z.object({ language: z.string(), text: z.string().nullable() }).nullable(),
});
/** Exactly one row: the number of hits in all, and the page. */
const searchRows = z.tuple([z.object({ total: z.number().int(), page: z.array(hit) })]);

/**
 * What a search reads of each hit, from the query's selection (search/resolvers.ts): the entity's properties (a
 * projection of the properties its selected fields read, or `full`), whether the best-matching text is picked
 * (its language or an excerpt shown), and whether that text itself is read (an excerpt).
 */
export interface SearchReading {
  entities: Projection | 'full';
  best: boolean;
  text: boolean;
}

/** Every property and the text (for callers without a selection). */
export const SEARCH_READ_WHOLLY: SearchReading = { entities: 'full', best: true, text: true };

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
        best: reading.best || reading.text,
        withText: reading.text,
      }),
      'search rows',
    );
    const hits = page.map((row): SearchHitModel => {
      const best = row.best;
      if ((reading.best || reading.text) && best === null)
        throw new GraphDataError(`A search hit (${row.entity.labels.join(', ')}) has no best-matching text`);
      if (reading.text && typeof best?.text !== 'string')
        throw new GraphDataError(`A search hit's text (of ${row.entity.labels.join(', ')}) has no text`);
      const found = { language: best?.language ?? null, text: best?.text ?? null, score: row.score, terms };
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
