import type { RequestDb } from './executor';

export interface GraphInfo {
  neo4jVersion: string;
  neo4jEdition: string;
  nodeCount: number;
  relationshipCount: number;
  corpusVersion: string | null;
  corpusLoadedAt: string | null;
}

/** Facts about the database itself: what the `about` field answers. */
export class SystemRepository {
  constructor(private readonly db: RequestDb) {}

  async graphInfo(): Promise<GraphInfo> {
    const [row] = await this.db.read<{
      version: string;
      edition: string;
      nodeCount: number;
      relationshipCount: number;
      corpusVersion: string | null;
      corpusLoadedAt: string | null;
    }>(
      'graphInfo',
      `// graphInfo
       CALL dbms.components() YIELD name, versions, edition
       WHERE name = 'Neo4j Kernel'
       CALL () { MATCH (n) RETURN count(n) AS nodeCount }
       CALL () { MATCH ()-[r]->() RETURN count(r) AS relationshipCount }
       OPTIONAL MATCH (meta:CorpusMeta {id: 'corpus'})
       RETURN versions[0] AS version, edition, nodeCount, relationshipCount,
              meta.version AS corpusVersion, toString(meta.loadedAt) AS corpusLoadedAt`,
    );
    if (!row) throw new Error('dbms.components() returned no Neo4j Kernel row');
    return {
      neo4jVersion: row.version,
      neo4jEdition: row.edition,
      nodeCount: row.nodeCount,
      relationshipCount: row.relationshipCount,
      corpusVersion: row.corpusVersion,
      corpusLoadedAt: row.corpusLoadedAt,
    };
  }
}
