/**
 * Writes generated rows (the loader's GraphPlan format) in many small transactions, for graphs far larger
 * than the project's loader is meant for: seed/loader.ts writes the whole corpus in one transaction (all or
 * nothing, right for the real corpus), which for a million nodes would hold every change in memory at once.
 *
 * Nodes first (MERGE by id, so each batch uses the `<label>_id` uniqueness constraint's index), then
 * relationships (both ends MATCHed through the `entity_id` constraint's index). Every statement is UNWIND
 * over a parameter list of at most `batchSize` rows, one statement per transaction. The schema (ensureSchema)
 * must already exist, or every MATCH would be a label scan.
 */
import neo4j, { type Driver } from 'neo4j-driver';
import { NODE_LABELS, RELATIONSHIP_TYPES, type NodeLabel, type RelationshipType } from '../src/graph/vocabulary';
import type { GraphPlan } from '../seed/loader';

const EXTRA_LABELS: Partial<Record<NodeLabel, string>> = { Statistic: 'Evidence', Finding: 'Evidence' };

const upsertNodes = (label: NodeLabel) => `// benchUpsert${label}Nodes
UNWIND $rows AS row
MERGE (n:Entity:${label} {id: row.id})
SET n = row.props${EXTRA_LABELS[label] ? `\nSET n:${EXTRA_LABELS[label]}` : ''}
RETURN count(n) AS written`;

const createRelationships = (type: RelationshipType) => `// benchCreate${type}Relationships
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
CREATE (a)-[r:${type}]->(b)
SET r = row.props
RETURN count(r) AS created`;

export interface BulkLoadTotals {
  nodes: number;
  relationships: number;
  transactions: number;
  ms: number;
}

export class BulkWriter {
  readonly totals: BulkLoadTotals = { nodes: 0, relationships: 0, transactions: 0, ms: 0 };

  constructor(
    private readonly driver: Driver,
    private readonly options: { batchSize: number; database?: string },
  ) {}

  /** Writes every node of the plan, then every relationship; throws if a relationship's end is missing. */
  async write(plan: GraphPlan): Promise<void> {
    const started = Date.now();
    const session = this.driver.session({ database: this.options.database, defaultAccessMode: neo4j.session.WRITE });
    try {
      for (const label of NODE_LABELS) {
        for (const rows of chunks(plan.nodes[label], this.options.batchSize)) {
          const written = await this.run(session, upsertNodes(label), rows, 'written');
          this.totals.nodes += written;
        }
      }
      for (const type of RELATIONSHIP_TYPES) {
        for (const rows of chunks(plan.relationships[type], this.options.batchSize)) {
          const created = await this.run(session, createRelationships(type), rows, 'created');
          // MATCH drops a row whose end is missing: that is a generator bug, not something to skip silently.
          if (created !== rows.length) throw new Error(`${rows.length - created} of ${rows.length} ${type} relationships had a missing end (first row: ${JSON.stringify(rows[0])})`);
          this.totals.relationships += created;
        }
      }
    } finally {
      await session.close();
      this.totals.ms += Date.now() - started;
    }
  }

  private async run(session: ReturnType<Driver['session']>, cypher: string, rows: unknown[], key: string): Promise<number> {
    const result = await session.executeWrite((tx) => tx.run(cypher, { rows }), { timeout: 10 * 60_000, metadata: { app: 'child-rights-graph-bench' } });
    this.totals.transactions += 1;
    const value: unknown = result.records[0]?.get(key);
    return neo4j.isInt(value) ? (value as { toNumber(): number }).toNumber() : Number(value);
  }
}

function* chunks<T>(rows: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < rows.length; start += size) yield rows.slice(start, start + size);
}
