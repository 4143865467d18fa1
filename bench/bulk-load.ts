/**
 * Writes generated rows (the loader's GraphPlan format) in many small transactions, for graphs far larger
 * than the project's loader is meant for: seed/loader.ts writes the whole corpus in one transaction (all or
 * nothing, right for the real corpus), which for a million nodes would hold every change in memory at once.
 *
 * Nodes first (MERGE by id, so each batch uses the `<label>_id` uniqueness constraint's index), then
 * relationships (both ends MATCHed through the `entity_id` constraint's index). Every statement is UNWIND
 * over a parameter list of at most `batchSize` rows, one statement per transaction. The statements are the
 * loader's own (seed/write.ts), so the benchmark's graph is written exactly as the loader writes it. The
 * schema (ensureSchema) must already exist, or every MATCH would be a label scan.
 */
import neo4j, { type Driver, type ManagedTransaction } from 'neo4j-driver';
import { NODE_LABELS, RELATIONSHIP_TYPES } from '../src/graph/vocabulary';
import type { GraphPlan } from '../seed/plan';
import { batches, writeNodeRows, writeRelationshipRows } from '../seed/write';

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
        for (const rows of batches(plan.nodes[label], this.options.batchSize)) {
          this.totals.nodes += await this.run(session, (tx) => writeNodeRows(tx, label, rows));
        }
      }
      for (const type of RELATIONSHIP_TYPES) {
        for (const rows of batches(plan.relationships[type], this.options.batchSize)) {
          const created = await this.run(session, (tx) => writeRelationshipRows(tx, type, rows));
          // MATCH drops a row whose end is missing: that is a generator bug, not something to skip silently.
          if (created !== rows.length)
            throw new Error(
              `${rows.length - created} of ${rows.length} ${type} relationships had a missing end (first row: ${JSON.stringify(rows[0])})`,
            );
          this.totals.relationships += created;
        }
      }
    } finally {
      await session.close();
      this.totals.ms += Date.now() - started;
    }
  }

  /** One statement, one transaction. */
  private async run(
    session: ReturnType<Driver['session']>,
    write: (tx: ManagedTransaction) => Promise<number>,
  ): Promise<number> {
    const count = await session.executeWrite(write, {
      timeout: 10 * 60_000,
      metadata: { app: 'child-rights-graph-bench' },
    });
    this.totals.transactions += 1;
    return count;
  }
}
