import { z } from 'zod';
import type { CypherReader } from '../../db/database';
import { decodeWith } from '../common/models';
import { decodeEntity } from '../entities';
import { SEARCH_KINDS, type SearchHitModel, type SearchKind } from './models';

/**
 * Full-text search through Neo4j's full-text indexes (created by the loader): `treatyArticleText` over
 * treaty article titles and texts, `textVersionText` over every language version of provision and
 * recommendation texts. One hit per entity, with its best-matching text (highest score, then language).
 *
 * One statement answers a page and its total, and pays for the search once:
 *
 * 1. Rank. An index not asked for (by `$kinds`) is not queried. Each hit is reduced to what ranking needs:
 *    the id of the entity it belongs to (a treaty article's own id; a text version's `ownerId`, written by the
 *    loader beside the `HAS_TEXT` link), its node and its score. A text version's `ownerLabel` is read only
 *    when `$kinds` asks for one of provisions and recommendations but not both (the loader writes text
 *    versions for those two labels only). No owner is expanded, no text is read here. A text version is
 *    skipped unless it or its owner has the `Entity` label: the UHRI importer stages texts with their
 *    `TextVersion` label (so they enter the index batch by batch), publishes their owners in one transaction
 *    and gives the texts `Entity` in slices after it (docs/model.md, "All or nothing: staging"), so search
 *    never finds a half-imported file. A text with `Entity` (every one, once published) costs a label test.
 * 2. Deduplicate: the texts of one entity become one hit, its best text. The language, the tie-break between
 *    equal scores, is read only for an entity's texts that tie for the best score.
 * 3. Order all hits (score, then entity id) and collect them once: `total` is the size of that list, so
 *    `totalCount` costs nothing more, whether or not it is selected.
 * 4. Expand only the page (`$limit` hits from `$offset`): the owner of each text version through `HAS_TEXT`
 *    (its labels give the kind), the entity's properties, the matched text and its language.
 *
 * bench/search-profile.ts runs this beside the previous Cypher (page, then count) and checks them equal.
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
WITH key, textNode, score ORDER BY score DESC
WITH key, collect({node: textNode, score: score}) AS texts
WITH key, [text IN texts WHERE text.score = texts[0].score] AS top
WITH key, reduce(best = head(top), text IN tail(top) |
       CASE WHEN text.node.language < best.node.language THEN text ELSE best END) AS best
ORDER BY best.score DESC, key
WITH collect(best) AS hits
WITH size(hits) AS total, hits[$offset..($offset + $limit)] AS page
RETURN total, COLLECT {
  UNWIND range(0, size(page) - 1) AS position
  WITH position, page[position].node AS textNode, page[position].score AS score
  OPTIONAL MATCH (owner:Entity)-[:HAS_TEXT]->(textNode) WHERE NOT textNode:TreatyArticle
  WITH position, textNode, score, CASE WHEN textNode:TreatyArticle THEN textNode ELSE owner END AS entity
  ORDER BY position
  RETURN {
    kind: CASE WHEN entity:TreatyArticle THEN 'TREATY_ARTICLE' WHEN entity:Provision THEN 'PROVISION' WHEN entity:Recommendation THEN 'RECOMMENDATION' END,
    entity: {labels: labels(entity), props: properties(entity)},
    best: {language: CASE WHEN textNode:TreatyArticle THEN 'en' ELSE textNode.language END, text: textNode.text, score: score}
  }
} AS page`,
};

const hit = z.object({
  kind: z.enum(SEARCH_KINDS),
  entity: z.unknown(),
  best: z.object({ language: z.string(), text: z.string(), score: z.number() }),
});
/** Exactly one row: the number of hits in all, and the page. */
const searchRows = z.tuple([z.object({ total: z.number().int(), page: z.array(hit) })]);

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
  ): Promise<SearchResult> {
    const [{ total, page }] = decodeWith(
      searchRows,
      await this.db.read('Query.search', SEARCH_STATEMENTS.search, { query, kinds, offset, limit }),
      'search rows',
    );
    const hits = page.map((row): SearchHitModel => {
      const found = { language: row.best.language, text: row.best.text, score: row.best.score, terms };
      switch (row.kind) {
        case 'TREATY_ARTICLE':
          return { ...found, kind: row.kind, entity: decodeEntity(row.entity, ['TreatyArticle']) };
        case 'PROVISION':
          return { ...found, kind: row.kind, entity: decodeEntity(row.entity, ['Provision']) };
        case 'RECOMMENDATION':
          return { ...found, kind: row.kind, entity: decodeEntity(row.entity, ['Recommendation']) };
      }
    });
    return { hits, total };
  }
}
