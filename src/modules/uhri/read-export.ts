/**
 * Streaming readers for a UHRI export as downloaded (.xlsx) or as saved from Excel (.csv).
 *
 * Both yield the header report first and then one row at a time, so memory stays bounded however
 * large the file: the xlsx reader is exceljs's streaming WorkbookReader (the workbook is never loaded
 * whole) and the csv reader is csv-parse's stream parser.
 */
import { createReadStream, type ReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import type { CellValue } from './cells';
import { SharedStringTable } from './shared-strings';
import { matchHeaders, UHRI_COLUMNS, UhriFormatError, type HeaderReport, type UhriColumn } from './columns';

/** One data row: its number as a spreadsheet user counts it (the header row is row 1) and its UHRI cells. */
export interface UhriRow {
  rowNumber: number;
  cells: Partial<Record<UhriColumn, CellValue>>;
}

export type UhriReadEvent = { kind: 'headers'; headers: HeaderReport } | ({ kind: 'row' } & UhriRow);

export type UhriFileFormat = 'xlsx' | 'csv';

export function formatOf(path: string): UhriFileFormat {
  const extension = extname(path).toLowerCase();
  if (extension === '.xlsx') return 'xlsx';
  if (extension === '.csv') return 'csv';
  throw new UhriFormatError(
    `${basename(path)}: a UHRI export is read from .xlsx or .csv, not "${extension || 'no extension'}"`,
  );
}

/** How far a read has got in the file, for a progress line (bytes of the file itself, not of its unzipped parts). */
export interface ReadProgress {
  bytesRead: number;
  totalBytes: number;
}

/** Reads the export at `path` as a stream of header report, then rows. Fully blank rows are skipped. */
export async function* readUhriExport(path: string, progress?: ReadProgress): AsyncGenerator<UhriReadEvent> {
  // A missing file is the file system's error (ENOENT), not "not an xlsx workbook".
  const size = (await stat(path)).size;
  const counter = progress ?? { bytesRead: 0, totalBytes: size };
  counter.totalBytes = size;
  counter.bytesRead = 0;
  // Its bytesRead is copied on each row: a 'data' listener would start the stream before the parser is piped.
  const input = createReadStream(path);
  const source = formatOf(path) === 'xlsx' ? xlsxRows(path, input) : csvRows(path, input);
  const fileName = basename(path);
  let positions: [UhriColumn, number][] | null = null;
  for await (const { rowNumber, values } of source) {
    counter.bytesRead = input.bytesRead;
    if (values.every((value) => value === null || (typeof value === 'string' && value.trim() === ''))) continue;
    if (positions === null) {
      // The first non-blank row is the header row.
      const headers = matchHeaders(
        values.map((value) => (value === null ? '' : String(value))),
        fileName,
      );
      positions = UHRI_COLUMNS.flatMap((column) => {
        const position = headers.found[column];
        return position === undefined ? [] : [[column, position] as [UhriColumn, number]];
      });
      yield { kind: 'headers', headers };
      continue;
    }
    const cells: Partial<Record<UhriColumn, CellValue>> = {};
    for (const [column, position] of positions) cells[column] = values[position] ?? null;
    yield { kind: 'row', rowNumber, cells };
  }
  if (positions === null) throw new UhriFormatError(`${fileName} is empty: it has no header row`);
}

interface RawRow {
  rowNumber: number;
  values: CellValue[];
}

// ------------------------------------------------------------------------------------------- xlsx

/** exceljs's value of a cell, reduced to what a UHRI cell can hold. */
function fromExcel(value: ExcelJS.CellValue): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || value instanceof Date) return value;
  if (typeof value === 'boolean') return String(value);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : fromExcel(value.text);
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as ExcelJS.CellFormulaValue).result;
    return result === undefined || (typeof result === 'object' && !(result instanceof Date)) ? null : fromExcel(result);
  }
  if ('error' in value) return null;
  return null;
}

/** A shared string as exceljs emits it: plain text, or rich text in runs. */
function sharedText(text: unknown): string {
  if (typeof text === 'string') return text;
  if (text !== null && typeof text === 'object' && 'richText' in text) {
    return (text as ExcelJS.CellRichTextValue).richText.map((run) => run.text ?? '').join('');
  }
  return '';
}

async function* xlsxRows(path: string, input: ReadStream): AsyncGenerator<RawRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    // Emitted, not cached: the table goes to SharedStringTable, which keeps long texts on disk.
    sharedStrings: 'emit',
    // Styles are read so that date-formatted cells arrive as dates; unformatted serials arrive as numbers.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const strings = new SharedStringTable();
  try {
    // parse() yields worksheets as { eventType: 'worksheet', value } and, in 'emit' mode, shared strings
    // as bare { index, text }. With shared strings emitted, exceljs spools every worksheet to a temporary
    // file and parses it after the whole table has been read, so the table is complete before row 1.
    for await (const event of asyncIterable(reader.parse())) {
      if (!isRecord(event)) continue;
      if (typeof event.index === 'number' && 'text' in event) {
        strings.add(event.index, sharedText(event.text));
        continue;
      }
      if (event.eventType !== 'worksheet') continue;
      for await (const row of event.value as AsyncIterable<ExcelJS.Row>) {
        // row.values is 1-based: index 0 is always empty.
        const values = (row.values as ExcelJS.CellValue[]).slice(1);
        yield {
          rowNumber: row.number,
          values: Array.from(values, (value) => {
            if (value !== null && typeof value === 'object' && 'sharedString' in value) {
              return strings.get((value as { sharedString: number }).sharedString) ?? null;
            }
            return fromExcel(value);
          }),
        };
      }
      // A UHRI export has one sheet; any further sheet is not the data.
      break;
    }
  } catch (error) {
    if (error instanceof UhriFormatError) throw error;
    throw new UhriFormatError(`${basename(path)} could not be read as an xlsx workbook: ${(error as Error).message}`);
  } finally {
    strings.close();
  }
}

// -------------------------------------------------------------------------------------------- csv

/**
 * The delimiter of a CSV saved from Excel: a comma, or a semicolon where the locale's decimal separator
 * is a comma (German, Russian, French …), or a tab. Decided from the header row, which holds no quotes.
 */
async function sniffDelimiter(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const firstLine = buffer.subarray(0, bytesRead).toString('utf8').split(/\r?\n/, 1)[0] ?? '';
    const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length - 1] as const);
    const best = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
    return best[1] > 0 ? best[0] : ',';
  } finally {
    await handle.close();
  }
}

async function* csvRows(path: string, input: ReadStream): AsyncGenerator<RawRow> {
  const delimiter = await sniffDelimiter(path);
  const parser = input.pipe(
    parse({
      bom: true,
      delimiter,
      relax_column_count: true,
      // Blank records are kept so that record numbers stay the row numbers Excel shows.
      skip_empty_lines: false,
    }),
  );
  let rowNumber = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      // One record is one spreadsheet row, however many lines its quoted multi-value cells span.
      rowNumber += 1;
      yield { rowNumber, values: record };
    }
  } catch (error) {
    if (error instanceof UhriFormatError) throw error;
    throw new UhriFormatError(`${basename(path)} could not be read as CSV: ${(error as Error).message}`);
  }
}

/** exceljs types `parse()` as a bare AsyncIterator; `for await` needs the iterable around it. */
function asyncIterable<T>(iterator: AsyncIterator<T>): AsyncIterable<T> {
  return { [Symbol.asyncIterator]: () => iterator };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
