import { z } from 'zod';
import type { CypherReader } from '../../db/database';
import { decodeWith } from '../common/models';
import { decodeEntity } from '../entities';
import { SEARCH_KINDS, type SearchHitModel, type SearchKind } from './models';

/**
 * Full-text search through Neo4j's full-text indexes (created by the loader): `treatyArticleText` over
 * treaty article titles and texts, `textVersionText` over every language version of provision and
 * recommendation texts. One hit per entity, with its best-matching text.
 *
 * One statement answers a page and its total, and pays for the search once:
 *
 * 1. Rank: every hit of both indexes, reduced to what ranking needs: its kind, the id of the entity it
 *    belongs to (a treaty article's own id; a text version's `ownerId`, its kind from `ownerLabel`, both
 *    written by the loader beside the `HAS_TEXT` link), its language, score and node. No owner is expanded
 *    and no text is read here.
 * 2. Deduplicate: several texts of one entity become one hit, its best text (highest score, then language).
 * 3. Order all hits (score, then entity id), collect them once: `total` is the size of that list, so
 *    `totalCount` costs nothing more, whether or not it is selected.
 * 4. Expand only the page (`$offset`, `$limit` items): the owner of each text version through `HAS_TEXT`,
 *    the entity's properties and the matched text.
 */
export const SEARCH_STATEMENTS = {
  search: `// Query.search
CALL () {
  CALL db.index.fulltext.queryNodes('treatyArticleText', $query) YIELD node, score
  WHERE 'TREATY_ARTICLE' IN $kinds
  RETURN 'TREATY_ARTICLE' AS kind, node.id AS key, 'en' AS language, node AS textNode, score
  UNION ALL
  CALL db.index.fulltext.queryNodes('textVersionText', $query) YIELD node, score
  WITH node, score,
       CASE node.ownerLabel WHEN 'Provision' THEN 'PROVISION' WHEN 'Recommendation' THEN 'RECOMMENDATION' END AS kind
  WHERE kind IN $kinds
  RETURN kind, node.ownerId AS key, node.language AS language, node AS textNode, score
}
WITH kind, key, language, textNode, score ORDER BY score DESC, language
WITH kind, key, head(collect({language: language, node: textNode, score: score})) AS best
ORDER BY best.score DESC, key
WITH collect({kind: kind, best: best}) AS hits
WITH size(hits) AS total, hits[$offset..($offset + $limit)] AS page
RETURN total, COLLECT {
  UNWIND range(0, size(page) - 1) AS position
  WITH position, page[position] AS hit
  WITH position, hit, hit.best.node AS textNode
  OPTIONAL MATCH (owner:Entity)-[:HAS_TEXT]->(textNode) WHERE hit.kind <> 'TREATY_ARTICLE'
  WITH position, hit, textNode, CASE hit.kind WHEN 'TREATY_ARTICLE' THEN textNode ELSE owner END AS entity
  ORDER BY position
  RETURN {
    kind: hit.kind,
    entity: {labels: labels(entity), props: properties(entity)},
    best: {language: hit.best.language, text: textNode.text, score: hit.best.score}
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
