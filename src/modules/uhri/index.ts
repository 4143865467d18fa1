/**
 * Reading a UHRI export into the model's typed records, with no database: the parsing and mapping
 * layer of the UHRI import. A graph writer consumes the events of parseUhriExport in order.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { DateOrder } from './cells';
import type { HeaderReport } from './columns';
import { mapRow, type MapContext } from './map-row';
import type { UhriRecord } from './models';
import { readUhriExport, type ReadProgress } from './read-export';
import { detached } from './shared-strings';
import { UhriStrictError, type Reject } from './rejects';

export * from './bodies';
export * from './cells';
export * from './columns';
export * from './countries';
export * from './map-row';
export * from './models';
export * from './paragraphs';
export * from './read-export';
export * from './rejects';
export * from './shared-strings';
export * from './symbols';
export * from './tags';

export interface ParseOptions {
  /** Any reject stops the parse with a UhriStrictError. */
  strict?: boolean;
  /** The day the export was made (YYYY-MM-DD); default: the file's modification day. */
  exportDate?: string;
  /** How to read text dates such as 03/04/2015; unset: such dates are rejects. */
  dateOrder?: DateOrder;
  /** Updated with the bytes of the file read so far (for a progress line). */
  progress?: ReadProgress;
}

export interface ParseSummary {
  fileName: string;
  headers: HeaderReport;
  /** Data rows read (blank rows not counted). */
  rows: number;
  records: number;
  rowsSkipped: number;
  rejects: number;
}

export type UhriEvent =
  | { kind: 'headers'; fileName: string; headers: HeaderReport }
  | { kind: 'record'; record: UhriRecord }
  | { kind: 'reject'; reject: Reject }
  | { kind: 'end'; summary: ParseSummary };

/**
 * Streams a UHRI export (.xlsx or .csv) as events: the header report first, then for each row its
 * record and/or rejects, then a summary. Memory stays bounded apart from one short entry per
 * recommendation id seen, kept to report a paragraph that appears twice.
 */
export async function* parseUhriExport(path: string, options: ParseOptions = {}): AsyncGenerator<UhriEvent> {
  const fileName = basename(path);
  if (options.exportDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.exportDate)) {
    throw new Error(`exportDate must be YYYY-MM-DD, not "${options.exportDate}"`);
  }
  const context: MapContext = {
    fileName,
    exportDate: options.exportDate ?? (await stat(path)).mtime.toISOString().slice(0, 10),
    exportDateSource: options.exportDate === undefined ? 'file-modified' : 'given',
    ...(options.dateOrder === undefined ? {} : { dateOrder: options.dateOrder }),
  };
  /** recommendation id → row it was first seen in and a digest of its text. */
  const seen = new Map<string, { rowNumber: number; digest: string }>();
  let headers: HeaderReport | null = null;
  let rows = 0;
  let records = 0;
  let rowsSkipped = 0;
  let rejectCount = 0;

  const emitReject = (reject: Reject): UhriEvent => {
    rejectCount += 1;
    if (options.strict) throw new UhriStrictError(reject, fileName);
    return { kind: 'reject', reject };
  };

  for await (const event of readUhriExport(path, options.progress)) {
    if (event.kind === 'headers') {
      headers = event.headers;
      yield { kind: 'headers', fileName, headers };
      continue;
    }
    rows += 1;
    const { record, rejects } = mapRow(event, context);
    for (const reject of rejects) yield emitReject(reject);
    if (record === null) {
      rowsSkipped += 1;
      continue;
    }
    const id = record.recommendation.id;
    const digest = createHash('sha1').update(record.recommendation.text).digest('base64');
    const first = seen.get(id);
    if (first !== undefined) {
      rowsSkipped += 1;
      yield emitReject({
        rowNumber: event.rowNumber,
        column: null,
        value: id,
        reason:
          first.digest === digest
            ? `repeats row ${first.rowNumber} (${id}, same text)`
            : `${id} is also row ${first.rowNumber}, with a different text; neither is preferred, the later row is skipped`,
        action: 'ROW_SKIPPED',
        annotationId: record.recommendation.provenance.annotationId,
      });
      continue;
    }
    // Copied: the id may be built from slices of the parser's buffers, which the map would keep alive.
    seen.set(detached(id), { rowNumber: event.rowNumber, digest });
    records += 1;
    yield { kind: 'record', record };
  }
  if (headers === null) throw new Error(`${fileName}: no header row was read`);
  yield { kind: 'end', summary: { fileName, headers, rows, records, rowsSkipped, rejects: rejectCount } };
}

/** The whole of a (small) export in memory: for tests and previews, not for full-size files. */
export async function collectUhriExport(path: string, options: ParseOptions = {}) {
  const records: UhriRecord[] = [];
  const rejects: Reject[] = [];
  let summary: ParseSummary | null = null;
  for await (const event of parseUhriExport(path, options)) {
    if (event.kind === 'record') records.push(event.record);
    else if (event.kind === 'reject') rejects.push(event.reject);
    else if (event.kind === 'end') summary = event.summary;
  }
  return { records, rejects, summary: summary! };
}
