/**
 * Imports one UHRI export file into Neo4j, all or nothing: the whole file is written in ONE
 * transaction, committed only after the last row (docs/model.md, "Imported data"; the measured cost of
 * that choice is in bench/uhri-notes.md). A failure, a `--strict` reject or an abort (Ctrl-C) rolls it
 * back, and a killed importer's transaction is rolled back by Neo4j when its connection drops, so
 * readers see the graph before the import or after it, never between.
 */
import type { Driver, Transaction } from 'neo4j-driver';
import { parseUhriExport, type ParseOptions, type ParseSummary } from './index';
import type { UhriRecord } from './models';
import { RejectsCsvWriter, type Reject } from './rejects';
import { emptyCounts, uhriSource, UhriGraphWriter, type ChangeCounts } from './graph-writer';
import { basename } from 'node:path';
import { stat } from 'node:fs/promises';

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
}

export class ImportAbortedError extends Error {
  override readonly name = 'ImportAbortedError';
}

/** The rejects kept in the report (all are written to the rejects file). */
const REJECTS_KEPT = 1_000;

export async function importUhriFile(driver: Driver, path: string, options: ImportOptions = {}): Promise<ImportReport> {
  const started = Date.now();
  const batchSize = options.batchSize ?? 2_000;
  const exportDate = options.exportDate ?? (await stat(path)).mtime.toISOString().slice(0, 10);
  const source = uhriSource(basename(path), exportDate);
  const writer = new UhriGraphWriter(source);
  const progress = { bytesRead: 0, totalBytes: 0 };
  const rejectsFile = options.rejectsPath ? new RejectsCsvWriter(options.rejectsPath) : null;
  const rejects: Reject[] = [];
  const counts = emptyCounts();
  let summary: ParseSummary | null = null;

  const session = driver.session({
    database: options.database,
    defaultAccessMode: options.dryRun ? 'READ' : 'WRITE',
  });
  let tx: Transaction | null = null;
  let committed = false;
  try {
    tx = session.beginTransaction({ metadata: { app: 'import:uhri', file: source.fileName } });
    const open = tx;
    if (!options.dryRun) await writer.writeSource(open);

    let batch: UhriRecord[] = [];
    // One batch is written while the next is parsed: statements on one transaction run in order.
    let inFlight: Promise<void> = Promise.resolve();
    const flush = async () => {
      const records = batch;
      batch = [];
      await inFlight;
      inFlight = (options.dryRun ? classifyOnly(writer, open, records) : writer.write(open, records)).then((c) =>
        addCounts(counts, c),
      );
      // Surface a failure now rather than after the whole file has been parsed.
      inFlight.catch(() => undefined);
    };

    let rows = 0;
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
    if (options.dryRun) {
      await open.rollback();
    } else {
      await open.commit();
      committed = true;
    }
    tx = null;
  } finally {
    if (tx !== null && tx.isOpen()) await tx.rollback().catch(() => undefined);
    await session.close();
    await rejectsFile?.close();
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
  };
}

async function classifyOnly(
  writer: UhriGraphWriter,
  tx: Transaction,
  records: readonly UhriRecord[],
): Promise<ChangeCounts> {
  const counts = emptyCounts();
  for (const c of await writer.classify(tx, records)) {
    counts[c.change] += 1;
    if (c.curatedTexts !== null) counts.matchedCurated += 1;
  }
  return counts;
}

function addCounts(into: ChangeCounts, add: ChangeCounts): void {
  for (const key of Object.keys(into) as (keyof ChangeCounts)[]) into[key] += add[key];
}
