import neo4j from 'neo4j-driver';
import type { Logger } from '../logger';

/**
 * The debug line written for each Cypher statement: its name (the `// queryName` the statement starts
 * with), the request it ran for, how long it took, how many rows came back (or that it failed), and its
 * parameters in a short form. Parameters are for reading, not replaying: long strings and lists are cut,
 * and any parameter whose name says it is a secret is never written at all.
 */
export function logStatement(
  logger: Logger,
  statement: {
    queryName: string;
    requestId: string;
    params: Record<string, unknown>;
    startedAt: number;
    rows: number | undefined;
  },
): void {
  // Two per statement on the hot path: the parameters' summary is built only when the line is written.
  if (logger.enabled?.('debug') === false) return;
  logger.debug('cypher', {
    query: statement.queryName,
    requestId: statement.requestId,
    durationMs: Math.round((performance.now() - statement.startedAt) * 10) / 10,
    ...(statement.rows === undefined ? { failed: true } : { rows: statement.rows }),
    params: summarizeParams(statement.params),
  });
}

const MAX_STRING = 80;
const MAX_ITEMS = 5;
const MAX_DEPTH = 3;
/** Parameter names that may carry a credential, at any depth: their values are replaced, whatever they hold. */
const SECRET_NAME = /password|passphrase|secret|token|credential|authorization|api[-_]?key|cookie/i;

export function summarizeParams(params: Record<string, unknown>): Record<string, unknown> {
  return summarizeObject(params, 0);
}

function summarizeObject(value: Record<string, unknown>, depth: number): Record<string, unknown> {
  const summary: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    summary[key] = SECRET_NAME.test(key) ? '[redacted]' : summarize(item, depth + 1);
  }
  return summary;
}

function summarize(value: unknown, depth: number): unknown {
  if (typeof value === 'string') {
    return value.length <= MAX_STRING ? value : `${value.slice(0, MAX_STRING)}… (${value.length} chars)`;
  }
  if (neo4j.isInt(value)) return value.toNumber();
  if (Array.isArray(value)) {
    const shown = value.slice(0, MAX_ITEMS).map((item) => summarize(item, depth + 1));
    return value.length <= MAX_ITEMS ? shown : [...shown, `… (${value.length} items)`];
  }
  if (value !== null && typeof value === 'object') {
    return depth >= MAX_DEPTH ? '[object]' : summarizeObject(value as Record<string, unknown>, depth);
  }
  return value;
}
