import type { RequestDb } from './executor';
import { toEntity } from './graph-loaders';
import type { SearchHitModel } from './models';

export type SearchKind = SearchHitModel['kind'];

/**
 * Full-text search through Neo4j's full-text indexes (created by the loader): `treatyArticleText` over
 * treaty article titles and texts, `textVersionText` over every language version of provision and
 * recommendation texts. One hit per entity, with its best-matching text.
 */
export class SearchRepository {
  constructor(private readonly db: RequestDb) {}

  private static readonly HITS = `
    CALL () {
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

  async search(query: string, kinds: SearchKind[], terms: string[], offset: number, limit: number): Promise<SearchHitModel[]> {
    const rows = await this.db.read<{
      kind: SearchKind;
      labels: string[];
      props: Record<string, unknown>;
      best: { language: string; text: string; score: number };
    }>(
      'search',
      `// search
       ${SearchRepository.HITS}
       ORDER BY best.score DESC, entity.id
       SKIP $offset LIMIT $limit
       RETURN kind, labels(entity) AS labels, properties(entity) AS props, best`,
      { query, kinds, offset, limit },
    );
    return rows.map((row) => ({
      kind: row.kind,
      entity: toEntity(row.labels, row.props),
      language: row.best.language,
      text: row.best.text,
      score: row.best.score,
      terms,
    }));
  }

  async count(query: string, kinds: SearchKind[]): Promise<number> {
    const [row] = await this.db.read<{ total: number }>(
      'searchCount',
      `// searchCount
       ${SearchRepository.HITS}
       RETURN count(*) AS total`,
      { query, kinds },
    );
    return row?.total ?? 0;
  }
}
