/**
 * Writes a validated corpus (corpus.ts) into Neo4j, all or nothing.
 *
 * The graph's labels, relationship types and provenance properties: src/graph/vocabulary.ts. Node
 * properties and where each link's provenance comes from: plan.ts. Constraints and indexes:
 * schema-statements.ts. The write statements: write.ts. docs/model.md describes all of it for readers.
 *
 * ## Loading
 * Validation (readCorpus) happens before any write. Schema statements (constraints, indexes) run first,
 * each in its own transaction, and are idempotent. Then one write transaction: delete the corpus
 * relationships between Entity nodes, delete Entity nodes no longer in the corpus (matched by kind label
 * and id), MERGE every node by id with its properties replaced, recreate the relationships, write
 * CorpusMeta. Any failure rolls the whole transaction back, leaving the graph as it was. Every statement
 * is UNWIND over a parameter list; labels and types come only from the vocabulary.
 */
import neo4j, { type Driver } from 'neo4j-driver';
import { countCorpus, readCorpus, type Corpus } from './corpus';
import { planGraph } from './plan';
import { ensureSchema, SCHEMA_STATEMENTS } from './schema-statements';
import { writePlan, type WriteCounts } from './write';
import { checkpointAndAwaitIndexes } from '../src/db/warm-up';

export interface LoadOptions {
  /** The database to write to; the server's default when undefined. */
  database?: string;
  /** Progress lines (one per step). */
  log?: (line: string) => void;
}

export interface LoadReport extends WriteCounts {
  version: string;
  /** Wall-clock time of the whole load, schema included. */
  ms: number;
}

/** The whole load is one transaction; it must be allowed longer than a request's query. */
const WRITE_TIMEOUT_MS = 10 * 60_000;

/**
 * Writes the corpus in one transaction: afterwards the graph's Entity nodes and their relationships are
 * exactly the corpus's, or, on any error, exactly what they were before.
 */
export async function loadCorpus(driver: Driver, corpus: Corpus, options: LoadOptions = {}): Promise<LoadReport> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  await ensureSchema(driver, options.database);
  log(`schema ready (${SCHEMA_STATEMENTS.length} constraints and indexes)`);

  const plan = planGraph(corpus);
  const counts = countCorpus(corpus);
  const session = driver.session({ database: options.database, defaultAccessMode: neo4j.session.WRITE });
  try {
    const written = await session.executeWrite((tx) => writePlan(tx, plan, corpus, log), {
      timeout: WRITE_TIMEOUT_MS,
      metadata: { app: 'child-rights-graph', query: 'loadCorpus', corpusVersion: corpus.version },
    });
    // A checkpoint now, so that a crash soon after the load does not replay it, and every index online
    // before anything reads (src/db/warm-up.ts).
    await checkpointAndAwaitIndexes(driver, options.database, log);
    const report: LoadReport = { version: corpus.version, ...written, ms: Date.now() - started };
    log(
      `corpus ${corpus.version.slice(0, 12)} loaded: ${report.nodeCount} nodes, ${report.relationshipCount} relationships ` +
        `(${counts.recommendation} recommendations), ${report.deletedNodes} stale nodes removed, in ${report.ms} ms`,
    );
    return report;
  } finally {
    await session.close();
  }
}

// ---------------------------------------------------------------- loading only what changed

/** The corpus version the graph holds, or null when no corpus has been loaded. */
export async function readLoadedVersion(driver: Driver, database?: string): Promise<string | null> {
  const session = driver.session({ database, defaultAccessMode: neo4j.session.READ });
  try {
    const result = await session.executeRead((tx) =>
      tx.run(`// readCorpusVersion\nMATCH (m:CorpusMeta {id: 'corpus'}) RETURN m.version AS version`),
    );
    const version: unknown = result.records[0]?.get('version');
    return typeof version === 'string' ? version : null;
  } finally {
    await session.close();
  }
}

export interface LoadIfChangedResult {
  loaded: boolean;
  version: string;
  /** Present when it loaded. */
  report?: LoadReport;
}

/**
 * Reads and validates the corpus in `dir`; loads it only when the graph holds another version (or none).
 * A corpus that fails validation throws CorpusValidationError before anything is written.
 */
export async function loadIfChanged(
  driver: Driver,
  dir: string,
  options: LoadOptions = {},
): Promise<LoadIfChangedResult> {
  const corpus = await readCorpus(dir);
  const loaded = await readLoadedVersion(driver, options.database);
  if (loaded === corpus.version) {
    options.log?.(`the graph already holds corpus ${corpus.version.slice(0, 12)}: not reloading`);
    return { loaded: false, version: corpus.version };
  }
  options.log?.(
    `the graph holds corpus ${loaded?.slice(0, 12) ?? '(none)'}; loading ${corpus.version.slice(0, 12)} from ${dir}`,
  );
  const report = await loadCorpus(driver, corpus, options);
  return { loaded: true, version: corpus.version, report };
}
