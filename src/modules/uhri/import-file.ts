/**
 * Imports one UHRI export file into Neo4j, all or nothing (docs/model.md, "Imported data"):
 *
 * 1. staging: batch by batch, each in its own transaction, the file's new nodes are written with the
 *    labels `UhriStaged` and `UhriStaged<Kind>` and no `Entity` label, which no reader matches (texts
 *    also get their `TextVersion` label, so that they enter the full-text index here, and search skips
 *    texts without `Entity` whose owner has none); then the inferred links, a state per transaction;
 * 2. publishing, one transaction: the staged nodes except texts get `Entity` and their kind label, and
 *    the rows that change nodes already in the graph (curated paragraphs, updated rows) are written;
 * 3. clean-up, in slices: the texts of published owners get `Entity`, and the staging labels are removed.
 *
 * A failure, a `--strict` reject or an abort (Ctrl-C) before step 2 commits deletes what was staged; a
 * killed importer leaves staged nodes that the next run deletes first (or, killed during step 3,
 * published nodes with staging labels, which the next run cleans). Readers see the graph before the
 * import or after it, never between. Why not one transaction for the whole file: its state is held in
 * Neo4j's heap, and with the default 512 MiB heap it failed at about 10,000 rows (bench/uhri-notes.md).
 */
import type { Driver, Session, Transaction } from 'neo4j-driver';
import { parseUhriExport, type ParseOptions, type ParseSummary } from './index';
import type { UhriRecord } from './models';
import { RejectsCsvWriter, type Reject } from './rejects';
import {
  countRow,
  emptyCounts,
  uhriSource,
  UhriGraphWriter,
  type ChangeCounts,
  type InferredState,
} from './graph-writer';
import { basename } from 'node:path';
import { stat } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import {
  checkPublishLoad,
  mib,
  publishEstimate,
  readPublishCapacity,
  type PublishCapacity,
  type PublishLoad,
} from './publish-capacity';

export interface ImportOptions extends Omit<ParseOptions, 'progress'> {
  /** Report what would change (new, updated, unchanged) and write nothing. */
  dryRun?: boolean;
  /** Write the rejects (row, column, reason) to this CSV file. */
  rejectsPath?: string;
  database?: string;
  /** Rows per write statement batch. */
  batchSize?: number;
  /** Aborting rolls the import back. */
  signal?: AbortSignal;
  /** Called every `progressEveryRows` rows (and at the end) with the running figures. */
  onProgress?: (progress: ImportProgress) => void;
  /** Called when a phase after the reading starts (inferring links, publishing, cleaning up). */
  onPhase?: (phase: string) => void;
  /**
   * The publishing transaction's budget, instead of the one read from the server's settings (tests and
   * benchmarks; `null`: none, nothing is refused). See publish-capacity.ts.
   */
  publishCapacity?: PublishCapacity | null;
  /**
   * Awaited after staging and the inferred links, just before the publishing transaction begins: the
   * moment a reader is furthest from seeing the file yet sees none of it (tests).
   */
  beforePublish?: () => Promise<void>;
}

export interface ImportProgress {
  rows: number;
  bytesRead: number;
  totalBytes: number;
  elapsedMs: number;
}

export interface ImportReport extends ChangeCounts {
  fileName: string;
  sourceId: string;
  summary: ParseSummary;
  rejects: Reject[];
  dryRun: boolean;
  committed: boolean;
  ms: number;
  /** Milliseconds per write statement. */
  timings: Record<string, number>;
  /** The publishing transaction: what it holds, its estimate and budget, and (when it ran) Neo4j's own figure. */
  publish: PublishReport;
}

export interface PublishReport extends PublishLoad {
  /** `publishEstimate(load)`, bytes (a dry run knows no inferred links yet: it counts none). */
  estimatedBytes: number;
  /** The budget and where its limit comes from; null when the server states no limit. */
  capacity: PublishCapacity | null;
  /** Whether the estimate is within the budget (true when there is none). */
  fits: boolean;
  /** The transaction's memory as Neo4j estimated it just before its commit (null: not published, or not readable). */
  measuredBytes: number | null;
  /** Milliseconds the publishing transaction took, commit included (null: not published). */
  ms: number | null;
}

export class ImportAbortedError extends Error {
  override readonly name = 'ImportAbortedError';
}

/** Another import is running against the same database: this one did nothing. */
export class UhriImportBusyError extends Error {
  override readonly name = 'UhriImportBusyError';
}

/** The import committed, but the clean-up after it failed. */
export class UhriCleanupError extends Error {
  override readonly name = 'UhriCleanupError';
}

/** Inferred links per writing transaction (those of whole states: a state's links are never split). */
const INFERRED_LINKS_PER_WRITE = 20_000;

/** The rejects kept in the report (all are written to the rejects file). */
const REJECTS_KEPT = 1_000;

export async function importUhriFile(driver: Driver, path: string, options: ImportOptions = {}): Promise<ImportReport> {
  const started = Date.now();
  const batchSize = options.batchSize ?? 2_000;
  const exportDate = options.exportDate ?? (await stat(path)).mtime.toISOString().slice(0, 10);
  const source = uhriSource(basename(path), exportDate);
  const progress = { bytesRead: 0, totalBytes: 0 };
  const rejectsFile = options.rejectsPath ? new RejectsCsvWriter(options.rejectsPath) : null;
  const rejects: Reject[] = [];
  const counts = emptyCounts();
  let summary: ParseSummary | null = null;

  // One import at a time: the next one would delete this one's pending rows as a killed run's.
  const releaseLock = options.dryRun ? null : await takeImportLock(driver, options.database, source.fileName);
  const session = driver.session({ database: options.database, defaultAccessMode: 'WRITE' });
  const writer = new UhriGraphWriter(source);
  let committed = false;
  let staged = false;
  let capacity: PublishCapacity | null = null;
  /** Tags the publishing transaction, so that its memory can be read (`SHOW TRANSACTIONS`) before it commits. */
  const publishToken = randomUUID();
  let rows = 0;
  const publish: PublishReport = {
    newRows: 0,
    sharedNodes: 0,
    keptRows: 0,
    keptLinks: 0,
    estimatedBytes: 0,
    capacity: null,
    fits: true,
    measuredBytes: null,
    ms: null,
  };
  /** A dry run's shared nodes (states, documents, tags) of new or changed rows, whether in the graph or not. */
  const sharedSeen = new Set<string>();
  /** What the publish would hold with what staging has found so far. */
  const load = (): PublishLoad =>
    options.dryRun
      ? { newRows: counts.new, sharedNodes: sharedSeen.size, keptRows: counts.updated, keptLinks: 0 }
      : {
          newRows: counts.new,
          sharedNodes: writer.stagedShared,
          keptRows: writer.deferredRows,
          keptLinks: writer.deferredLinkCount,
        };
  // One batch is written while the next is parsed.
  let inFlight: Promise<void> = Promise.resolve();
  try {
    capacity =
      options.publishCapacity !== undefined
        ? options.publishCapacity
        : await readPublishCapacity(session).catch((error: Error) => {
            // A server that does not let this user read its settings: said, and the publish is not checked.
            options.onPhase?.(
              `the server's memory settings could not be read (${error.message}): the publish's size is not checked`,
            );
            return null;
          });
    publish.capacity = capacity;
    if (!options.dryRun) {
      for (const statement of UhriGraphWriter.schemaStatements()) await session.run(statement);
      await session.run('CALL db.awaitIndexes(300)');
      // A killed run leaves pending and staged nodes behind (invisible to readers), or, killed after its
      // publish, published nodes not yet cleaned: the next run cleans the latter and deletes the former first.
      await cleanUp(session);
      await discard(session);
      staged = true;
      await inTransaction(session, (tx) => writer.stageSource(tx));
    }

    let batch: UhriRecord[] = [];
    const flush = async () => {
      const records = batch;
      batch = [];
      await inFlight;
      // A file whose publish would not fit is refused as soon as staging has seen enough of it (dry run: reported).
      if (!options.dryRun) checkPublishLoad(capacity, load(), rows);
      inFlight = inTransaction(session, (tx) =>
        options.dryRun ? classifyOnly(writer, tx, records, sharedSeen) : writer.stage(tx, records),
      ).then((c) => addCounts(counts, c));
      // Surfaced at the next flush or at the end, not as an unhandled rejection meanwhile.
      inFlight.catch(() => undefined);
    };

    for await (const event of parseUhriExport(path, { ...options, exportDate, progress })) {
      if (options.signal?.aborted) throw new ImportAbortedError('import aborted: nothing was written');
      if (event.kind === 'record') {
        rows += 1;
        batch.push(event.record);
        if (batch.length >= batchSize) await flush();
        if (options.onProgress && rows % 1_000 === 0)
          options.onProgress({ rows, ...progress, elapsedMs: Date.now() - started });
      } else if (event.kind === 'reject') {
        if (rejects.length < REJECTS_KEPT) rejects.push(event.reject);
        await rejectsFile?.write(event.reject);
      } else if (event.kind === 'end') {
        summary = event.summary;
      }
    }
    if (batch.length > 0) await flush();
    await inFlight;
    if (options.signal?.aborted) throw new ImportAbortedError('import aborted: nothing was written');
    options.onProgress?.({ rows: summary?.rows ?? rows, ...progress, elapsedMs: Date.now() - started });
    if (!options.dryRun) {
      // Inferred links, state by state (each state's paragraphs are read from the spool and the graph:
      // memory stays bounded). The rules run on the next states (CPU, and a read for a state the graph
      // holds paragraphs of) while the links found so far are written (another session).
      options.onPhase?.(`inferring links for the ${writer.touched.size} states with new or changed rows`);
      const linkSession = driver.session({ database: options.database, defaultAccessMode: 'WRITE' });
      let writing: Promise<void> = Promise.resolve();
      try {
        // The links of several states are written together, about INFERRED_LINKS_PER_WRITE a transaction:
        // a transaction per state cost a few round trips for a few thousand links each.
        let pending: InferredState[] = [];
        let pendingLinks = 0;
        const writeLinks = async () => {
          const inferred = UhriGraphWriter.mergeInferred(pending);
          pending = [];
          pendingLinks = 0;
          await writing;
          writing = inTransaction(linkSession, (tx) => writer.writeInferred(tx, inferred)).then((found) => {
            counts.inferredConcerns += found.concerns;
            counts.inferredReiterations += found.reiterations;
          });
          writing.catch(() => undefined);
        };
        const withParagraphs = await writer.statesWithParagraphs(session, [...writer.touched]);
        for (const stateId of writer.touched) {
          if (options.signal?.aborted) throw new ImportAbortedError('import aborted: nothing was written');
          const inferred = withParagraphs.has(stateId)
            ? await inTransaction(session, (tx) => writer.inferState(tx, stateId))
            : await writer.inferState(null, stateId);
          pending.push(inferred);
          pendingLinks += inferred.concerns.length + inferred.reiterations.length;
          if (pendingLinks >= INFERRED_LINKS_PER_WRITE) await writeLinks();
        }
        if (pending.length > 0) await writeLinks();
        await writing;
      } finally {
        await writing.catch(() => undefined);
        await linkSession.close();
      }
      // The one transaction readers can see: the staged nodes become entities, the kept rows are written.
      checkPublishLoad(capacity, load(), rows);
      await options.beforePublish?.();
      if (options.signal?.aborted) throw new ImportAbortedError('import aborted: nothing was written');
      options.onPhase?.(
        `publishing (one transaction; estimated ${mib(publishEstimate(load()))}` +
          `${capacity ? ` of the ${mib(capacity.budgetBytes)} planned for it` : ''})`,
      );
      const publishStarted = Date.now();
      const finished = await inTransaction(
        session,
        async (tx) => {
          const result = await writer.finish(tx);
          publish.measuredBytes = await transactionHeap(driver, options.database, publishToken);
          return result;
        },
        { app: 'import:uhri', publish: publishToken },
      );
      publish.ms = Date.now() - publishStarted;
      counts.textClaims += finished.textClaims;
      committed = true;
      options.onPhase?.('published; removing the pending and staging labels');
      // Published: the pending and staging labels go, a slice per transaction (readers see the rows either way).
      await cleanUp(session).catch((error: Error) => {
        throw new UhriCleanupError(
          `the file was imported and published, but removing the staging labels failed (harmless to readers; the next import finishes it): ${error.message}`,
        );
      });
    }
  } finally {
    Object.assign(publish, load());
    publish.estimatedBytes = publishEstimate(publish);
    publish.fits = capacity === null || publish.estimatedBytes <= capacity.budgetBytes;
    try {
      // The batch still being written must end before its nodes can be deleted (and the session is free).
      await inFlight.catch(() => undefined);
      if (staged && !committed) await discard(session);
    } finally {
      await session.close();
      await rejectsFile?.close();
      await writer.close();
      await releaseLock?.();
    }
  }
  return {
    ...counts,
    fileName: source.fileName,
    sourceId: source.id,
    summary: summary!,
    rejects,
    dryRun: options.dryRun ?? false,
    committed,
    ms: Date.now() - started,
    timings: Object.fromEntries(writer.timings),
    publish,
  };
}

/**
 * The memory Neo4j estimates for the open transaction tagged `token` (`SHOW TRANSACTIONS`, from another
 * session); null when the server does not show it (a user without the privilege to see it).
 */
async function transactionHeap(driver: Driver, database: string | undefined, token: string): Promise<number | null> {
  const session = driver.session({ database, defaultAccessMode: 'READ' });
  try {
    const result = await session.run(
      `// uhriPublishHeap
SHOW TRANSACTIONS YIELD metaData, estimatedUsedHeapMemory WHERE metaData.publish = $token
RETURN estimatedUsedHeapMemory AS heap`,
      { token },
    );
    const heap = result.records[0]?.get('heap') as { toNumber(): number } | number | null | undefined;
    return heap === null || heap === undefined ? null : typeof heap === 'number' ? heap : heap.toNumber();
  } catch {
    return null;
  } finally {
    await session.close();
  }
}

/** The transaction metadata of the import lock (`takeImportLock`): how another import finds it. */
const LOCK_APP = 'import:uhri-lock';

/**
 * Takes the import lock, for as long as this import runs: a transaction of its own holding Neo4j's write
 * lock on one `UhriImportLock` node, never committed; the returned function rolls it back. A killed
 * importer's connection closes and Neo4j rolls the transaction back, so a lock never outlives its import.
 * Another import is found by that transaction's metadata (`SHOW TRANSACTIONS`), and refused with
 * `UhriImportBusyError` naming its file and start. A server that does not show other users' transactions
 * (an Enterprise user without the privilege) makes a second import wait for the lock instead: the imports
 * then run one after the other.
 */
async function takeImportLock(
  driver: Driver,
  database: string | undefined,
  fileName: string,
): Promise<() => Promise<void>> {
  const session = driver.session({ database, defaultAccessMode: 'WRITE' });
  try {
    const running = await session
      .run(
        `// uhriImportLockHolder
SHOW TRANSACTIONS YIELD metaData, startTime WHERE metaData.app = $app
RETURN metaData.file AS file, toString(startTime) AS since`,
        { app: LOCK_APP },
      )
      .catch(() => null);
    const other = running?.records[0];
    if (other)
      throw new UhriImportBusyError(
        `another UHRI import is running against this database (${String(other.get('file'))}, since ` +
          `${String(other.get('since'))}), so nothing was done: imports run one at a time, since each deletes ` +
          `the unpublished rows it finds as a killed run's. Wait for it to finish, then import again.`,
      );
    await session.run(`// uhriImportLockNode
MERGE (:UhriImportLock {id: 'uhri-import'})`);
    const tx = session.beginTransaction({ metadata: { app: LOCK_APP, file: fileName } });
    await tx.run(`// uhriImportLock
MATCH (l:UhriImportLock {id: 'uhri-import'})
SET l.heldSince = datetime()`);
    return async () => {
      await tx.rollback().catch(() => undefined);
      await session.close();
    };
  } catch (error) {
    await session.close();
    throw error;
  }
}

/** Runs `work` in an explicit transaction, committed when it resolves and rolled back when it throws. */
async function inTransaction<T>(
  session: Session,
  work: (tx: Transaction) => Promise<T>,
  metadata: Record<string, string> = { app: 'import:uhri' },
): Promise<T> {
  const tx = session.beginTransaction({ metadata });
  try {
    const result = await work(tx);
    await tx.commit();
    return result;
  } finally {
    if (tx.isOpen()) await tx.rollback().catch(() => undefined);
  }
}

/**
 * After a publish (this run's, or a killed run's): the pending label is removed from the published rows
 * and the marker deleted, the texts an earlier version staged get `Entity`, and the staging labels are
 * removed from the published shared nodes; a slice per transaction. Does nothing when no run published.
 */
async function cleanUp(session: Session): Promise<void> {
  await inSlices(session, UhriGraphWriter.releasePendingCypher());
  await session.run(UhriGraphWriter.unmarkCypher());
  await inSlices(session, UhriGraphWriter.publishTextsCypher());
  await inSlices(session, UhriGraphWriter.cleanupCypher());
}

/** Deletes every pending or staged node that was never published, kind by kind, a slice per transaction. */
async function discard(session: Session): Promise<void> {
  for (const statement of UhriGraphWriter.discardStatements()) await inSlices(session, statement);
}

/** Runs a slice statement (deleting or cleaning staged nodes) until a slice finds nothing to do. */
async function inSlices(session: Session, cypher: string): Promise<void> {
  for (;;) {
    const result = await session.run(cypher);
    const done = result.records[0]?.get(0) as { toNumber(): number } | number | undefined;
    if ((typeof done === 'number' ? done : (done?.toNumber() ?? 0)) === 0) return;
  }
}

/** A dry run's batch: how each record compares, and the shared nodes of those that would be written. */
async function classifyOnly(
  writer: UhriGraphWriter,
  tx: Transaction,
  records: readonly UhriRecord[],
  shared: Set<string>,
): Promise<ChangeCounts> {
  const counts = emptyCounts();
  (await writer.classify(tx, records)).forEach((c, i) => {
    countRow(counts, c);
    if (c.change === 'unchanged') return;
    const { document, recommendation, states } = records[i]!;
    shared.add(`Document ${document.id}`);
    for (const state of states) shared.add(`State ${state.id}`);
    for (const tag of [...recommendation.themes, ...recommendation.affectedPersons, ...recommendation.sdgTargets])
      shared.add(`Tag ${tag.id}`);
  });
  return counts;
}

function addCounts(into: ChangeCounts, add: ChangeCounts): void {
  for (const key of Object.keys(into) as (keyof ChangeCounts)[]) into[key] += add[key];
}
