/**
 * The columns of a UHRI export, matched by header name (never by position).
 *
 * OHCHR's export spells two headers "Reccomending" (sic); those spellings are what the files carry, so
 * they are the canonical names here. The correct spelling is accepted as well, so that a file keeps
 * loading if OHCHR ever fixes the typo.
 */
export const UHRI_COLUMNS = [
  'Text',
  'Countries Concerned',
  'Reccomending Body',
  'Document Symbol',
  'Themes',
  'Affected Persons',
  'Sdgs',
  'Document Publication Date',
  'Type',
  'OHCHR Annotation Id',
  'UPR Session',
  'UPR Position',
  'UPR Reccomending States',
  'Regions',
] as const;

export type UhriColumn = (typeof UHRI_COLUMNS)[number];

/**
 * Without these a row cannot become a recommendation: its text, its state, its body and the symbol the
 * document id and the recommendation id are built from. The others are optional: a missing optional
 * column leaves its field empty on every row.
 */
export const REQUIRED_COLUMNS: readonly UhriColumn[] = [
  'Text',
  'Countries Concerned',
  'Reccomending Body',
  'Document Symbol',
];

const ALIASES: Readonly<Record<string, UhriColumn>> = {
  'recommending body': 'Reccomending Body',
  'upr recommending states': 'UPR Reccomending States',
};

const BY_NORMALISED = new Map<string, UhriColumn>([
  ...UHRI_COLUMNS.map((name) => [normaliseHeader(name), name] as const),
  ...Object.entries(ALIASES),
]);

/** Case, surrounding blanks, doubled blanks and a byte-order mark do not distinguish headers. */
function normaliseHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

/** What a file's header row turned out to hold. */
export interface HeaderReport {
  /** Each UHRI column found, with its 0-based position in the file. */
  found: Partial<Record<UhriColumn, number>>;
  /** UHRI columns the file lacks (only optional ones: a missing required column is an error). */
  missingOptional: UhriColumn[];
  /** Headers the file has that are not UHRI columns; they are ignored. */
  ignored: string[];
}

/** Thrown when a file is not a UHRI export (or cannot be read as one); the message says why. */
export class UhriFormatError extends Error {
  constructor(
    message: string,
    readonly missingHeaders: UhriColumn[] = [],
  ) {
    super(message);
    this.name = 'UhriFormatError';
  }
}

/**
 * Matches a header row against the UHRI columns. Throws one UhriFormatError naming every missing
 * required header; a column named twice is an error too, since either copy could be the real one.
 */
export function matchHeaders(headers: readonly string[], fileName: string): HeaderReport {
  const found: Partial<Record<UhriColumn, number>> = {};
  const ignored: string[] = [];
  const duplicated: UhriColumn[] = [];
  headers.forEach((header, position) => {
    if (header.trim() === '') return;
    const column = BY_NORMALISED.get(normaliseHeader(header));
    if (column === undefined) ignored.push(header);
    else if (found[column] !== undefined) duplicated.push(column);
    else found[column] = position;
  });
  const missingRequired = REQUIRED_COLUMNS.filter((column) => found[column] === undefined);
  if (missingRequired.length > 0) {
    throw new UhriFormatError(
      `${fileName} is not a UHRI export: its first row lacks the required header${missingRequired.length > 1 ? 's' : ''} ` +
        `${missingRequired.map((c) => `"${c}"`).join(', ')} (headers found: ${
          headers
            .filter((h) => h.trim() !== '')
            .map((h) => `"${h}"`)
            .join(', ') || 'none'
        })`,
      missingRequired,
    );
  }
  if (duplicated.length > 0) {
    throw new UhriFormatError(
      `${fileName} names the column${duplicated.length > 1 ? 's' : ''} ${duplicated.map((c) => `"${c}"`).join(', ')} more than once`,
    );
  }
  return { found, missingOptional: UHRI_COLUMNS.filter((column) => found[column] === undefined), ignored };
}
