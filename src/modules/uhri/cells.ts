/**
 * Cell values as UHRI exports write them: multi-valued cells and publication dates.
 */

/** A cell as the readers hand it over: text, a number (xlsx), a date (a date-formatted xlsx cell) or nothing. */
export type CellValue = string | number | Date | null;

/** The cell as text (numbers in plain decimal notation), or '' for an empty cell. */
export function cellText(value: CellValue): string {
  if (value === null) return '';
  if (value instanceof Date) return value.toISOString();
  return String(value).trim();
}

/**
 * A multi-valued cell: one value per line, each line prefixed "- ". A cell holding a single value
 * without the prefix is read as that value; blank lines are skipped.
 */
export function splitMultiValue(value: CellValue): string[] {
  const text = cellText(value);
  if (text === '') return [];
  const values: string[] = [];
  // split('\n') and trim() (which also drops a CR) rather than regular expressions: this runs several
  // times on every row.
  for (const line of text.split('\n')) {
    let item = line.trim();
    if (item.startsWith('-')) item = item.slice(1).trim();
    if (item !== '') values.push(item);
  }
  return values;
}

/** The first value of a cell UHRI writes with the multi-value prefix even when it holds one value. */
export function singleValue(value: CellValue): string {
  return splitMultiValue(value).join('\n');
}

/** Day order for text dates whose day and month are both 12 or less (03/04/2015). */
export type DateOrder = 'dmy' | 'mdy';

export type DateResult = { ok: true; date: string } | { ok: false; reason: string };

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Excel's 1900 date system: serial 1 is 1900-01-01, and Excel counts a 29 February 1900 that never was. */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

/** UN documents indexed by UHRI date from 1945 at the earliest; a serial outside this span is not a date. */
const FIRST_SERIAL = 16_438; // 1945-01-01
const LAST_SERIAL = 73_051; // 2100-01-01

function iso(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function fromSerial(serial: number): DateResult {
  if (!Number.isFinite(serial) || serial < FIRST_SERIAL || serial >= LAST_SERIAL) {
    return { ok: false, reason: `${serial} is not an Excel date serial between 1945 and 2099` };
  }
  // Serials above 60 (all of ours) are offset by Excel's phantom 1900-02-29, which the 1899-12-30 epoch absorbs.
  const date = new Date(EXCEL_EPOCH_MS + Math.floor(serial) * DAY_MS);
  return { ok: true, date: date.toISOString().slice(0, 10) };
}

/** Excel writes two-digit years with a pivot at 1930: 00–29 are 2000–2029, 30–99 are 1930–1999. */
function fullYear(text: string): number {
  const year = Number(text);
  if (text.length === 4) return year;
  return year < 30 ? 2000 + year : 1900 + year;
}

function checked(year: number, month: number, day: number, text: string): DateResult {
  const date = iso(year, month, day);
  return date === null ? { ok: false, reason: `"${text}" is not a calendar date` } : { ok: true, date };
}

/**
 * Reads `Document Publication Date`: an Excel serial number (as an xlsx cell, or as the text a CSV
 * holds when the cell had no date format), a date-formatted xlsx cell, or the text an Excel locale
 * wrote into a CSV: ISO (2015-10-30), day-first with dots (30.10.2015), slashes or dashes (30/10/2015,
 * 10/30/2015), or an English month name (30-Oct-2015, 30 October 2015, October 30, 2015).
 *
 * A slash or dash date whose day and month are both 12 or less could be either; unless the caller says
 * which order the file uses (`order`), it is reported, never guessed.
 */
export function parsePublicationDate(value: CellValue, order?: DateOrder): DateResult | null {
  if (value === null) return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return { ok: false, reason: 'invalid date cell' };
    return { ok: true, date: value.toISOString().slice(0, 10) };
  }
  if (typeof value === 'number') return fromSerial(value);
  const text = value.trim();
  if (text === '') return null;

  if (/^\d+(\.\d+)?$/.test(text)) return fromSerial(Number(text));
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text))) {
    return checked(Number(m[1]), Number(m[2]), Number(m[3]), text);
  }
  if ((m = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(text)))
    return checked(Number(m[1]), Number(m[2]), Number(m[3]), text);
  // Dots: the day-first locales (German, Russian, Kazakh …) write d.m.yyyy; no locale writes m.d.yyyy.
  if ((m = /^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})$/.exec(text))) {
    return checked(fullYear(m[3]!), Number(m[2]), Number(m[1]), text);
  }
  // A time after the date (Excel writes "30/10/2015 00:00" for a date-time cell) does not change the date.
  if ((m = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})(?: \d{1,2}:\d{2}(?::\d{2})?)?$/.exec(text))) {
    const first = Number(m[1]);
    const second = Number(m[2]);
    const year = fullYear(m[3]!);
    if (first > 12 && second > 12) return { ok: false, reason: `"${text}" has no month` };
    if (first > 12) return checked(year, second, first, text);
    if (second > 12) return checked(year, first, second, text);
    if (first === second) return checked(year, first, second, text);
    if (order === 'dmy') return checked(year, second, first, text);
    if (order === 'mdy') return checked(year, first, second, text);
    return {
      ok: false,
      reason: `"${text}" is ambiguous: day and month could be either way round (set the file's date order to read it)`,
    };
  }
  if ((m = /^(\d{1,2})[- ]([A-Za-z]{3,9})\.?[- ,]+(\d{4}|\d{2})$/.exec(text))) {
    const month = MONTHS.indexOf(m[2]!.slice(0, 3).toLowerCase()) + 1;
    if (month > 0) return checked(fullYear(m[3]!), month, Number(m[1]), text);
  }
  if ((m = /^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})$/.exec(text))) {
    const month = MONTHS.indexOf(m[1]!.slice(0, 3).toLowerCase()) + 1;
    if (month > 0) return checked(Number(m[3]), month, Number(m[2]), text);
  }
  return { ok: false, reason: `"${text}" is not a date this reader knows` };
}
