import { z } from 'zod';
import type { CypherReader } from '../../db/database';
import { decodeWith } from '../common/models';
import { decodeEntity } from '../entities';
import { SEARCH_KINDS, type SearchHitModel, type SearchKind } from './models';

/**
 * Full-text search through Neo4j's full-text indexes (created by the loader): `treatyArticleText` over
 * treaty article titles and texts, `textVersionText` over every language version of provision and
 * recommendation texts. One hit per entity, with its best-matching text.
 */
const HITS = `CALL () {
  CALL db.index.fulltext.queryNodes('treatyArticleText', $query) YIELD node, score
  WHERE 'TREATY_ARTICLE' IN $kinds
  RETURN 'TREATY_ARTICLE' AS kind, node AS entity, 'en' AS language, node.text AS text, score
  UNION ALL
  CALL db.index.fulltext.queryNodes('textVersionText', $query) YIELD node, score
  MATCH (owner:Entity)-[:HAS_TEXT]->(node)
  WITH owner, node, score,
       CASE WHEN owner:Provision THEN 'PROVISION' WHEN owner:Recommendation THEN 'RECOMMENDATION' END AS kind
  WHERE kind IN $kinds
  RETURN kind, owner AS entity, node.language AS language, node.text AS text, score
}
WITH kind, entity, language, text, score ORDER BY score DESC, language
WITH kind, entity, head(collect({language: language, text: text, score: score})) AS best`;

export const SEARCH_STATEMENTS = {
  search: `// Query.search
${HITS}
ORDER BY best.score DESC, entity.id
SKIP $offset LIMIT $limit
RETURN kind, {labels: labels(entity), props: properties(entity)} AS entity, best`,
  searchCount: `// Query.search:count
${HITS}
RETURN count(*) AS total`,
};

const hitRows = z.array(
  z.object({
    kind: z.enum(SEARCH_KINDS),
    entity: z.unknown(),
    best: z.object({ language: z.string(), text: z.string(), score: z.number() }),
  }),
);
const totalRows = z.array(z.object({ total: z.number().int() }));

export class SearchRepository {
  constructor(private readonly db: CypherReader) {}

  async search(
    query: string,
    kinds: readonly SearchKind[],
    terms: string[],
    offset: number,
    limit: number,
  ): Promise<SearchHitModel[]> {
    const rows = decodeWith(
      hitRows,
      await this.db.read('Query.search', SEARCH_STATEMENTS.search, { query, kinds, offset, limit }),
      'search rows',
    );
    return rows.map((row): SearchHitModel => {
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
  }

  async count(query: string, kinds: readonly SearchKind[]): Promise<number> {
    const [row] = decodeWith(
      totalRows,
      await this.db.read('Query.search:count', SEARCH_STATEMENTS.searchCount, { query, kinds }),
      'search rows',
    );
    return row?.total ?? 0;
  }
}
