import { z } from 'zod';
import type { CypherReader } from '../../db/database';
import { GraphDataError } from '../../errors';
import { decodeWith } from '../common/models';
import { graphInfoSchema, type GraphInfo } from './models';

export const SYSTEM_STATEMENTS = {
  graphInfo: `// graphInfo
CALL dbms.components() YIELD name, versions, edition
WHERE name = 'Neo4j Kernel'
CALL () { MATCH (n) RETURN count(n) AS nodeCount }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationshipCount }
OPTIONAL MATCH (meta:CorpusMeta {id: 'corpus'})
RETURN versions[0] AS neo4jVersion, edition AS neo4jEdition, nodeCount, relationshipCount,
       meta.version AS corpusVersion, toString(meta.loadedAt) AS corpusLoadedAt`,
};

/** Facts about the database itself. */
export class SystemRepository {
  constructor(private readonly db: CypherReader) {}

  async graphInfo(): Promise<GraphInfo> {
    const [row] = decodeWith(
      z.array(graphInfoSchema),
      await this.db.read('graphInfo', SYSTEM_STATEMENTS.graphInfo),
      'graphInfo rows',
    );
    if (!row) throw new GraphDataError('dbms.components() returned no Neo4j Kernel row');
    return row;
  }
}
