import type { LogLevel } from './config';

/** One structured JSON line per event, on stdout (errors on stderr), so logs can be grepped and shipped as they are. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /**
   * Whether a line at `level` would be written. Callers whose fields cost something to build (the per-statement
   * debug line) ask first; a logger without it (a test's stub) is taken to write everything.
   */
  enabled?(level: LogLevel): boolean;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(level: LogLevel, write: (line: string, level: LogLevel) => void = defaultWrite): Logger {
  const emit =
    (at: LogLevel) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      if (rank[at] < rank[level]) return;
      write(JSON.stringify({ time: new Date().toISOString(), level: at, message, ...fields }, errorReplacer), at);
    };
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    enabled: (at) => rank[at] >= rank[level],
  };
}

/** A logger that drops everything, for tests that do not look at logs. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, enabled: () => false };

/**
 * Lines for stdout not yet written. One write (a system call, synchronous for a pipe or a file) per line
 * was the request log's main cost under load: lines are gathered and written together once the event loop
 * has run what it had (setImmediate), and at the latest when the process exits.
 */
let pending: string[] = [];
let flushScheduled = false;

function flushStdout(): void {
  flushScheduled = false;
  if (pending.length === 0) return;
  const text = pending.join('');
  pending = [];
  process.stdout.write(text);
}

let flushOnExit = false;

function defaultWrite(line: string, level: LogLevel): void {
  if (level === 'error' || level === 'warn') {
    // Warnings and errors are written at once (after the lines before them), never held back.
    flushStdout();
    process.stderr.write(`${line}\n`);
    return;
  }
  pending.push(`${line}\n`);
  if (!flushOnExit) {
    // Hooked on first use, not on import: a module imported by many test files adds no listener to each.
    flushOnExit = true;
    process.on('exit', flushStdout);
  }
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flushStdout);
  }
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    return {
      name: value.name,
      message: value.message,
      code: (value as { code?: unknown }).code,
      stack: stackOf(value),
    };
  }
  return value;
}

/**
 * Source maps for the stack traces the API logs, and for nothing else (issue 9). Run by tsx (or with
 * --enable-source-maps), Node maps every stack trace it formats back to the TypeScript source, and the
 * Neo4j driver formats one for every statement it runs (its Result keeps `new Error('').stack` to attach to
 * a later failure): mapped, that was about 5% of the server's CPU time, three times the cost of the plain
 * trace. Node reads a module's source map when it loads the module, with mapping on; so `npm start` loads
 * every module with mapping on, then turns it off here, and the logger turns it on again for the one moment
 * it formats the stack of an error it writes. An error whose stack was formatted before it reached the
 * logger keeps the positions in the transpiled JavaScript (same files, same function names).
 */
let mapsForLogsOnly = false;

/** Turns stack-trace source mapping off except where the logger writes a stack; a no-op when mapping was off. */
export function sourceMapsForLogsOnly(): void {
  if (!process.sourceMapsEnabled) return;
  process.setSourceMapsEnabled(false);
  mapsForLogsOnly = true;
}

function stackOf(error: Error): string | undefined {
  if (!mapsForLogsOnly) return error.stack;
  process.setSourceMapsEnabled(true);
  try {
    return error.stack;
  } finally {
    process.setSourceMapsEnabled(false);
  }
}
