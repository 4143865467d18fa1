/**
 * Rows (or values) the importer could not use. Nothing is dropped silently: every one is a reject,
 * listed with the row number a spreadsheet user sees, the column and the reason, and written to a
 * rejects CSV next to the import. In strict mode the first reject stops the import.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { UhriColumn } from './columns';

/** ROW_SKIPPED: the row was not imported. VALUE_DROPPED: the row was imported without that value. */
export type RejectAction = 'ROW_SKIPPED' | 'VALUE_DROPPED';

export interface Reject {
  /** The row as a spreadsheet user counts it: the header row is row 1. */
  rowNumber: number;
  /** The column the problem is in; null for a problem of the row as a whole (a duplicate). */
  column: UhriColumn | null;
  /** The offending value as the file wrote it ('' for an empty cell). */
  value: string;
  reason: string;
  action: RejectAction;
  annotationId: string | null;
}

/** Thrown in strict mode at the first reject. */
export class UhriStrictError extends Error {
  constructor(
    readonly reject: Reject,
    fileName: string,
  ) {
    super(
      `${fileName}, row ${reject.rowNumber}${reject.column ? `, column "${reject.column}"` : ''}: ${reject.reason} (strict mode stops at the first reject)`,
    );
    this.name = 'UhriStrictError';
  }
}

export const REJECTS_CSV_COLUMNS = ['row', 'column', 'value', 'reason', 'action', 'annotation id'] as const;

/**
 * Streams rejects to a CSV file: RFC 4180 (CRLF, fields quoted where needed), UTF-8 with a byte-order
 * mark so that Excel shows Cyrillic and other non-Latin text correctly. Waits for the file to drain, so
 * a long run of rejects does not pile up in memory.
 */
export class RejectsCsvWriter {
  private readonly stringifier = stringify({
    bom: true,
    header: true,
    columns: [...REJECTS_CSV_COLUMNS],
    record_delimiter: 'windows',
    // A line break inside a field is quoted too (csv-stringify quotes only the record delimiter itself).
    quoted_match: /[\r\n]/,
  });
  private readonly file: ReturnType<typeof createWriteStream>;
  private count = 0;

  constructor(readonly path: string) {
    this.file = createWriteStream(path);
    this.stringifier.pipe(this.file);
  }

  async write(reject: Reject): Promise<void> {
    this.count += 1;
    const ok = this.stringifier.write([
      reject.rowNumber,
      reject.column ?? '',
      reject.value,
      reject.reason,
      reject.action,
      reject.annotationId ?? '',
    ]);
    if (!ok) await once(this.stringifier, 'drain');
  }

  /** Ends the file; resolves once it is on disk. Returns how many rejects were written. */
  async close(): Promise<number> {
    this.stringifier.end();
    await finished(this.file);
    return this.count;
  }
}

/** Writes all the given rejects to `path` (see RejectsCsvWriter). */
export async function writeRejectsCsv(
  path: string,
  rejects: Iterable<Reject> | AsyncIterable<Reject>,
): Promise<number> {
  const writer = new RejectsCsvWriter(path);
  for await (const reject of rejects) await writer.write(reject);
  return writer.close();
}
