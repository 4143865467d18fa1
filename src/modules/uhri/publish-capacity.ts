/**
 * How much an import's publishing transaction may hold, and whether a file's rows fit in it
 * (docs/model.md, "All or nothing: staging", "How large a file one publish can take").
 *
 * The publishing transaction is the one step readers can observe, so it must be one transaction; Neo4j
 * keeps a transaction's changes in its heap and stops one that passes its transaction memory limit
 * (`dbms.memory.transaction.total.max`, 70 % of the heap unless set: 358 MiB with the embedded 512 MiB
 * heap). A label added to a node costs transaction memory whatever label it is (about 0.7 kB a node
 * for a label with no index, 2.8 kB for `Entity` and `Recommendation` with their indexes; bench/results/
 * uhri-publish-2026-12-01.md). The new rows are written pending and published by one marker node
 * (src/graph/vocabulary.ts `visible`), so they cost the publish nothing, however many; what it changes
 * is the shared nodes the file brings (states, documents, tags: their labels), the rows that change
 * paragraphs already visible (kept rows, rewritten in it) and the inferred links from visible
 * paragraphs. The importer estimates that from what staging found and refuses, before anything is
 * visible and as soon as the estimate passes the budget, a file whose publish would not fit, naming the
 * setting that would let it.
 */
import type { Session } from 'neo4j-driver';

/**
 * Transaction memory of the publish per item, as Neo4j estimates it (`estimatedUsedHeapMemory`),
 * measured on Neo4j 5.26 with the importer's shapes, rounded up (bench/results/uhri-publish-2026-12-01.md):
 * - a new shared node (a state, a document, a tag, the export's Source): it gets `Entity` and its kind
 *   label with their index entries (2.8 kB for a recommendation's two labels, the most indexed kind);
 * - a new row: nothing (written pending, published by the marker);
 * - a kept row (an updated row or a curated paragraph): its earlier UHRI side deleted and written again
 *   in the publish (node, text with its full-text entry, citation, tags);
 * - a kept inferred link (from a node already visible), merged in the publish.
 */
export const PUBLISH_BYTES = { sharedNode: 3_200, keptRow: 90_000, keptLink: 300 } as const;

/**
 * The share of the limit one publish may plan to use: the limit is shared by every transaction of the
 * database (the API's readers too), and a heap filled to its limit spends its time in garbage collection.
 */
export const PUBLISH_SHARE = 0.5;

/** What the publish will hold, counted while staging. */
export interface PublishLoad {
  /** New rows: reported, and costing the publish nothing (they are published by the marker). */
  newRows: number;
  /** Shared nodes staged (states, documents, tags, the Source); in a dry run, an upper bound. */
  sharedNodes: number;
  keptRows: number;
  keptLinks: number;
}

export interface PublishCapacity {
  /** The transaction memory limit that applies, in bytes. */
  limitBytes: number;
  /** What the limit comes from, as the server states it (e.g. `dbms.memory.transaction.total.max = 358.40MiB`). */
  limitSource: string;
  /** `limitBytes * PUBLISH_SHARE`: the most a publish is planned to hold. */
  budgetBytes: number;
}

/** The publish's estimated transaction memory, in bytes. */
export function publishEstimate(load: PublishLoad): number {
  return (
    load.sharedNodes * PUBLISH_BYTES.sharedNode +
    load.keptRows * PUBLISH_BYTES.keptRow +
    load.keptLinks * PUBLISH_BYTES.keptLink
  );
}

/** The largest number of new shared nodes one publish takes under `capacity` (no kept rows). */
export function maxSharedNodes(capacity: PublishCapacity): number {
  return Math.floor(capacity.budgetBytes / PUBLISH_BYTES.sharedNode);
}

const UNITS: Record<string, number> = {
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

/** A size as Neo4j writes its settings (`358.40MiB`, `0B`, `2g`, `1024`); null when it is not one. */
export function parseNeo4jSize(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!match) return null;
  const unit = UNITS[(match[2] || 'b').toLowerCase()];
  return unit === undefined ? null : Math.round(Number(match[1]) * unit);
}

const LIMIT_SETTINGS = [
  'db.memory.transaction.max',
  'db.memory.transaction.total.max',
  'dbms.memory.transaction.total.max',
];
const HEAP_SETTING = 'server.memory.heap.max_size';
/** Neo4j's own default for `dbms.memory.transaction.total.max`: 70 % of the heap. */
const DEFAULT_LIMIT_OF_HEAP = 0.7;

/**
 * The capacity from the server's settings (name → value as `SHOW SETTINGS` gives them): the smallest
 * transaction memory limit that is set (0 means unlimited), and never more than 70 % of the heap, since
 * the publish's state lives there (`db.tx_state.memory_allocation` ON_HEAP, Community's only choice).
 * Null when the settings say nothing about either.
 */
export function capacityFromSettings(settings: ReadonlyMap<string, string>): PublishCapacity | null {
  const candidates: { bytes: number; source: string }[] = [];
  for (const name of LIMIT_SETTINGS) {
    const value = settings.get(name);
    const bytes = value === undefined ? null : parseNeo4jSize(value);
    if (bytes !== null && bytes > 0) candidates.push({ bytes, source: `${name} = ${value}` });
  }
  const heapValue = settings.get(HEAP_SETTING);
  const heap = heapValue === undefined ? null : parseNeo4jSize(heapValue);
  if (heap !== null && heap > 0)
    candidates.push({
      bytes: Math.floor(heap * DEFAULT_LIMIT_OF_HEAP),
      source: `70 % of ${HEAP_SETTING} = ${heapValue}`,
    });
  if (candidates.length === 0) return null;
  const limit = candidates.reduce((a, b) => (b.bytes < a.bytes ? b : a));
  return { limitBytes: limit.bytes, limitSource: limit.source, budgetBytes: Math.floor(limit.bytes * PUBLISH_SHARE) };
}

/** Reads the capacity from the server (`SHOW SETTINGS`); null when the server does not say. */
export async function readPublishCapacity(session: Session): Promise<PublishCapacity | null> {
  const result = await session.run(
    `// uhriPublishCapacity
SHOW SETTINGS YIELD name, value WHERE name IN $names RETURN name, value`,
    { names: [...LIMIT_SETTINGS, HEAP_SETTING] },
  );
  return capacityFromSettings(
    new Map(result.records.map((row) => [row.get('name') as string, String(row.get('value'))])),
  );
}

/** A byte count as whole MiB, for messages. */
export const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

/** The publish would not fit: refused before anything was visible; what was staged is deleted. */
export class UhriPublishTooLargeError extends Error {
  override readonly name = 'UhriPublishTooLargeError';
  /** `found`: when and how the load was found, e.g. `by row 60000, staging had found`. */
  constructor(
    readonly load: PublishLoad,
    readonly capacity: PublishCapacity,
    found: string,
  ) {
    const needed = publishEstimate(load);
    // The heap a publish of this size needs: the budget scales with the heap (70 % of it, half of that).
    const heapGiB = Math.max(1, Math.ceil(needed / (DEFAULT_LIMIT_OF_HEAP * PUBLISH_SHARE) / 1024 ** 3));
    super(
      `this file cannot be published in one transaction by this Neo4j, so nothing was imported: ${found} ` +
        `${load.keptRows} rows changing paragraphs already in the graph and ${load.sharedNodes} new states, documents ` +
        `and tags` +
        `${load.keptLinks > 0 ? ` (and ${load.keptLinks} inferred links from paragraphs already in the graph)` : ''}, whose publishing transaction ` +
        `needs about ${mib(needed)} of Neo4j's transaction memory, more than the ${mib(capacity.budgetBytes)} an import may ` +
        `plan on (half of ${capacity.limitSource}). Give Neo4j a larger heap and import again: for the embedded Neo4j, ` +
        `at least LOCAL_NEO4J_HEAP=${heapGiB}g for these rows (npm start, or npm run neo4j:start -- --heap ${heapGiB}g); ` +
        `on your own server, server.memory.heap.max_size (and dbms.memory.transaction.total.max if you set it). Or split ` +
        `the file: about ${Math.floor(capacity.budgetBytes / PUBLISH_BYTES.keptRow)} rows changing paragraphs already in ` +
        `the graph, or ${maxSharedNodes(capacity)} new states, documents and tags, fit one publish with this heap (new ` +
        `rows cost it nothing). Readers saw nothing of it, and nothing of it is left in the graph.`,
    );
  }
}

/**
 * Checks a load against a capacity (null: unknown, nothing is refused); throws `UhriPublishTooLargeError`
 * when the publish would pass the budget.
 */
export function checkPublishLoad(capacity: PublishCapacity | null, load: PublishLoad, atRow: number): void {
  if (capacity !== null && publishEstimate(load) > capacity.budgetBytes)
    throw new UhriPublishTooLargeError(load, capacity, `by row ${atRow}, staging had found`);
}
