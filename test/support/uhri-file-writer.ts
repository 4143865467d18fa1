/**
 * Writes UHRI-shaped files (.xlsx or .csv) one row at a time, for the test fixtures and the benchmark.
 * Not part of the importer: it exists so that the files the reader is tested on are produced by a
 * script anyone can re-run, with the same library (exceljs) that reads them.
 *
 * Cells: a string (multi-values already joined as "- a\n- b"), a number (an unformatted cell, e.g. an
 * Excel date serial), a Date (a date-formatted cell: dd/mm/yyyy in the xlsx; in a CSV, the text an
 * Excel with a day-first locale writes, 30/10/2015), or null.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { extname } from 'node:path';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';

export type UhriFileCell = string | number | Date | null;

export interface UhriFileWriter {
  addRow(values: readonly UhriFileCell[]): Promise<void>;
  close(): Promise<void>;
}

/** Days since Excel's 1900 epoch (as Excel counts them, its phantom 29 February 1900 included). */
export function excelSerial(isoDate: string): number {
  return Math.round((Date.parse(`${isoDate}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86_400_000);
}

function ddmmyyyy(date: Date): string {
  const dd = String(date.getUTCDate()).padStart(2, '0');
  const mm = String(date.getUTCMonth() + 1).padStart(2, '0');
  return `${dd}/${mm}/${date.getUTCFullYear()}`;
}

/**
 * exceljs's streaming writer applies no back-pressure (its StreamBuf.write always returns true): the
 * rows a generator commits queue up in front of the zip compressor, and memory grows with the file.
 * This waits until the compressor's input has drained. It reads exceljs 4.4 internals (the sheet's
 * StreamBuf and the stream it pipes into), so it checks that they are there and fails loudly if an
 * exceljs upgrade moves them.
 */
async function compressorCaughtUp(sheet: ExcelJS.Worksheet): Promise<void> {
  type Queue = { _writableState?: { length: number; highWaterMark: number } };
  const buffer = (sheet as unknown as { stream?: { pipes?: Queue[] } }).stream;
  if (buffer?.pipes === undefined) throw new Error('exceljs internals changed: no sheet stream to wait on');
  for (;;) {
    // The compressor's input is a readable-stream 3 PassThrough, which has no writableLength getter.
    const state = buffer.pipes[0]?._writableState;
    if (buffer.pipes.length > 0 && state === undefined)
      throw new Error('exceljs internals changed: no queue length to wait on');
    if (state !== undefined && state.length <= state.highWaterMark) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

export interface WriterOptions {
  /** xlsx only: store texts in the shared-string table, as Excel does (the writer then holds them all until the end). */
  sharedStrings?: boolean;
}

export async function openUhriFileWriter(
  path: string,
  headers: readonly string[],
  options: WriterOptions = {},
): Promise<UhriFileWriter> {
  const extension = extname(path).toLowerCase();
  if (extension === '.csv') return csvWriter(path, headers);
  if (extension === '.xlsx') return xlsxWriter(path, headers, options);
  throw new Error(`cannot write ${extension} files`);
}

async function csvWriter(path: string, headers: readonly string[]): Promise<UhriFileWriter> {
  // Excel's "CSV UTF-8": a byte-order mark and CRLF between records; line breaks inside a cell stay LF.
  const stringifier = stringify({ bom: true, record_delimiter: 'windows', quoted_match: /[\r\n]/ });
  const file = createWriteStream(path);
  stringifier.pipe(file);
  const write = async (values: readonly UhriFileCell[]) => {
    const record = values.map((v) => (v === null ? '' : v instanceof Date ? ddmmyyyy(v) : String(v)));
    if (!stringifier.write(record)) await once(stringifier, 'drain');
  };
  await write(headers);
  return {
    addRow: write,
    async close() {
      stringifier.end();
      await finished(file);
    },
  };
}

async function xlsxWriter(path: string, headers: readonly string[], options: WriterOptions): Promise<UhriFileWriter> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: path,
    useStyles: true,
    useSharedStrings: options.sharedStrings ?? false,
  });
  // Fixed dates keep the generated workbook's metadata the same on every run.
  workbook.created = new Date(Date.UTC(2026, 0, 1));
  workbook.modified = new Date(Date.UTC(2026, 0, 1));
  const sheet = workbook.addWorksheet('Export');
  sheet.addRow([...headers]).commit();
  let rows = 0;
  return {
    async addRow(values) {
      rows += 1;
      if (rows % 200 === 0) await compressorCaughtUp(sheet);
      const row = sheet.addRow(values.map((v) => v));
      values.forEach((value, i) => {
        const cell = row.getCell(i + 1);
        if (value instanceof Date) cell.numFmt = 'dd/mm/yyyy';
        else if (typeof value === 'string' && value.includes('\n')) cell.alignment = { wrapText: true };
      });
      row.commit();
    },
    async close() {
      sheet.commit();
      await workbook.commit();
    },
  };
}
