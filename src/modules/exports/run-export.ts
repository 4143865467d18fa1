import { stringify } from 'csv-stringify/sync';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { CypherReader } from '../../db/database';
import { ERROR_CODES, type ErrorCode } from '../../errors';
import { LIMITS } from '../../limits';

/**
 * The core of the CSV exports, with no HTTP and no CLI: an export is a definition (its parameters, its
 * columns, and how its rows are read through the GraphQL API) run page by page. Every row comes from a
 * GraphQL operation run as the request's viewer through the same schema, argument checks, limits and error
 * masking as /graphql, so an export can never show what the API would not, nor answer a filter differently.
 */

/** A GraphQL result as a client sees it: data and formatted (masked) errors. */
export interface GraphQLResult {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
}

/** Runs one GraphQL operation as the export's viewer; each call is one page with its own limits. */
export type ExecuteGraphQL = (query: string, variables: Record<string, unknown>) => Promise<GraphQLResult>;

export interface ExportContext {
  execute: ExecuteGraphQL;
  /** A database reader for the few reads GraphQL does not expose (each call a fresh request budget). */
  reader(): CypherReader;
  /** A failed read of `reader()` as the client sees it: logged in full and masked unless its code is a client's. */
  failure(error: unknown): ExportError;
}

/** An export refused or failed: the errors as GraphQL would send them, with the HTTP status of the first code. */
export class ExportError extends Error {
  override readonly name = 'ExportError';

  constructor(readonly errors: readonly GraphQLFormattedError[]) {
    super(errors.map((error) => error.message).join(' '));
  }

  /** The HTTP status src/errors.ts gives the first error's code (500 for an unknown or masked one). */
  get status(): number {
    const code = this.errors[0]?.extensions?.code;
    return typeof code === 'string' && code in ERROR_CODES ? ERROR_CODES[code as ErrorCode].status : 500;
  }

  /** The JSON body: `{ errors }`, the shape /graphql answers with. */
  body(): { errors: readonly GraphQLFormattedError[] } {
    return { errors: this.errors };
  }
}

/** A refusal of the export's own making (unknown export, unknown parameter), formatted like the API's errors. */
export function exportRefusal(code: ErrorCode, message: string, details: Record<string, unknown> = {}): ExportError {
  return new ExportError([{ message, extensions: { code, ...details } }]);
}

/**
 * A failed read outside GraphQL as the client would see it through GraphQL: `mask` is the server's
 * formatError (src/server.ts), so an unexpected error is masked with the request id and logged by the caller.
 */
export function readFailure(
  error: unknown,
  mask: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError,
): ExportError {
  const graphQLError =
    error instanceof GraphQLError
      ? error
      : new GraphQLError(error instanceof Error ? error.message : String(error), {
          originalError: error instanceof Error ? error : undefined,
        });
  return new ExportError([mask(graphQLError.toJSON(), graphQLError)]);
}

/** Runs one operation and returns its data; any error (even beside data) fails the export: nothing is left out silently. */
export async function dataOf<T>(context: ExportContext, query: string, variables: Record<string, unknown>): Promise<T> {
  const result = await context.execute(query, variables);
  if (result.errors?.length) throw new ExportError(result.errors);
  if (!result.data) throw exportRefusal('INTERNAL_SERVER_ERROR', 'The export received no data.');
  // The shape is the GraphQL schema's: the operation's selection fixes it.
  return result.data as T;
}

interface Connection<T> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: Array<{ node: T }>;
}

/**
 * The pages of a connection, LIMITS.maxPageSize items each, as a client would page through it: `pick` finds
 * the connection in a page's data (null: its parent does not exist, and `missing` is the error).
 */
export async function* connectionPages<T>(
  context: ExportContext,
  query: string,
  variables: Record<string, unknown>,
  pick: (data: Record<string, unknown>) => Connection<T> | null,
  missing: () => ExportError,
): AsyncGenerator<T[]> {
  let after: string | null = null;
  for (;;) {
    const data: Record<string, unknown> = await dataOf(context, query, {
      ...variables,
      first: LIMITS.maxPageSize,
      after,
    });
    const connection = pick(data);
    if (!connection) throw missing();
    yield connection.edges.map((edge) => edge.node);
    if (!connection.pageInfo.hasNextPage || !connection.pageInfo.endCursor) return;
    after = connection.pageInfo.endCursor;
  }
}

/** A cell: text, a number, or nothing. Lists are joined one value per line (Excel shows them in one cell). */
export type Cell = string | number | null | undefined | readonly string[];

export interface Column<Row> {
  header: string;
  value(row: Row): Cell;
}

/** A query-string parameter (`?state=KAZ`, `--state KAZ`) and the GraphQL variable it fills. */
export interface ExportParameter {
  name: string;
  description: string;
  required?: boolean;
  /** Repeated (`?articles=a&articles=b`) or comma-separated (`?articles=a,b`) values. */
  list?: boolean;
}

export type ExportArguments = Record<string, string | string[]>;

export interface ExportDefinition<Row = unknown> {
  /** The name in `/export/<name>.csv` and `npm run export -- <name>`. */
  name: string;
  description: string;
  parameters: readonly ExportParameter[];
  columns: readonly Column<Row>[];
  /** The rows, read through the API. Errors before the first row reach the client as a JSON body. */
  rows(context: ExportContext, args: ExportArguments): AsyncIterable<Row>;
}

/**
 * Reads `?name=value` pairs into an export's arguments: an unknown parameter, a repeated single one or a
 * missing required one is BAD_USER_INPUT (400), as a wrong GraphQL argument is. Values are not checked
 * here: the GraphQL operation checks them (an unknown enum value is its BAD_USER_INPUT).
 */
export function parseArguments(definition: ExportDefinition, query: Record<string, unknown>): ExportArguments {
  const known = new Map(definition.parameters.map((parameter) => [parameter.name, parameter]));
  const args: ExportArguments = {};
  for (const [name, raw] of Object.entries(query)) {
    const parameter = known.get(name);
    if (!parameter) {
      throw exportRefusal(
        'BAD_USER_INPUT',
        `Unknown parameter "${name}" for the export ${definition.name}; it takes: ${definition.parameters.map((p) => p.name).join(', ')}.`,
        { argument: name },
      );
    }
    const values = (Array.isArray(raw) ? raw : [raw]).map((value) => {
      if (typeof value !== 'string')
        throw exportRefusal('BAD_USER_INPUT', `Parameter "${name}" must be text.`, { argument: name });
      return value;
    });
    if (parameter.list) {
      args[name] = values
        .flatMap((value) => value.split(','))
        .map((value) => value.trim())
        .filter((value) => value !== '');
    } else if (values.length !== 1) {
      throw exportRefusal('BAD_USER_INPUT', `Parameter "${name}" takes one value (got ${values.length}).`, {
        argument: name,
      });
    } else {
      args[name] = values[0]!;
    }
  }
  for (const parameter of definition.parameters) {
    if (parameter.required && (args[parameter.name] === undefined || args[parameter.name] === '')) {
      throw exportRefusal(
        'BAD_USER_INPUT',
        `The export ${definition.name} needs the parameter "${parameter.name}" (${parameter.description}).`,
        {
          argument: parameter.name,
        },
      );
    }
  }
  return args;
}

/** The GraphQL variables of arguments: lists stay lists, absent ones are left out (the field's default applies). */
export function variablesOf(args: ExportArguments, names: readonly string[]): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const name of names) {
    const value = args[name];
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    variables[name] = value;
  }
  return variables;
}

const BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One cell as text. A text that Excel would run as a formula (starting with = + - @, a tab or a carriage
 * return: OWASP's "CSV injection") gets a leading apostrophe, which Excel hides and does not run; the
 * texts come from UN documents and users' imports, not from us.
 */
export function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return String(cell);
  const text = typeof cell === 'string' ? cell : cell.join('\n');
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * RFC 4180 lines: CRLF between records, quotes doubled, and a field quoted when it holds a comma, a quote or
 * a line break (csv-stringify quotes only the record delimiter itself by default, so a bare LF inside a
 * multi-value cell needs `quoted_match`).
 */
export function csvLines(records: string[][]): string {
  return stringify(records, { record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}

/** Where the CSV goes: an HTTP response or a file. `write` resolves when the sink can take more. */
export interface CsvSink {
  /** Called once, just before the first byte: the export will succeed at least up to its first rows. */
  start(): void;
  write(chunk: string): Promise<void>;
}

/**
 * Streams an export as CSV: UTF-8 with a byte-order mark (so that Excel reads Cyrillic as UTF-8), the
 * header row, then the rows as they are read, a page at a time. The first page is read before `start`, so
 * a refused filter or an unknown state is an ExportError with nothing written. A failure after that is
 * rethrown; the caller must then end the output as failed (cut the connection, delete the file), never
 * as a complete file. Returns the number of rows written.
 */
export async function streamCsv<Row>(
  definition: ExportDefinition<Row>,
  context: ExportContext,
  args: ExportArguments,
  sink: CsvSink,
): Promise<number> {
  const iterator = definition.rows(context, args)[Symbol.asyncIterator]();
  let next = await iterator.next();
  sink.start();
  await sink.write(BOM + csvLines([definition.columns.map((column) => column.header)]));
  let count = 0;
  let batch: string[][] = [];
  while (!next.done) {
    const row = next.value;
    batch.push(definition.columns.map((column) => cellText(column.value(row))));
    count += 1;
    if (batch.length >= LIMITS.maxPageSize) {
      await sink.write(csvLines(batch));
      batch = [];
    }
    next = await iterator.next();
  }
  if (batch.length > 0) await sink.write(csvLines(batch));
  return count;
}

const ABOUT = /* GraphQL */ `
  query ExportCorpusVersion {
    about {
      corpusVersion
    }
  }
`;

/** The corpus version of the graph (CorpusMeta), as `about` gives it; null when no corpus was ever loaded. */
export async function corpusVersion(context: ExportContext): Promise<string | null> {
  const data = await dataOf<{ about: { corpusVersion: string | null } }>(context, ABOUT, {});
  return data.about.corpusVersion;
}

/**
 * The file name of an export: what, for which state, from which corpus version, made when, e.g.
 * `recommendation-gaps_KAZ_corpus-3f2a9c1b7d4e_2026-12-01T02-30-00Z.csv`. The provenance is in the name,
 * not in extra first lines, so that the file opens as a clean table (header row first) in Excel and in any
 * CSV parser; colons are replaced so that the name is valid on Windows too.
 */
export function exportFileName(name: string, args: ExportArguments, version: string | null, madeAt: Date): string {
  const state = typeof args.state === 'string' ? args.state.replace(/^state:/, '').replace(/[^A-Za-z0-9-]/g, '') : '';
  const stamp = madeAt
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-');
  const corpus = version ? `corpus-${version.replace(/[^A-Za-z0-9]/g, '').slice(0, 12)}` : 'corpus-none';
  return [name, state, corpus, stamp].filter((part) => part !== '').join('_') + '.csv';
}
