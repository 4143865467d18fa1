import neo4j from 'neo4j-driver';
import { logStatement, summarizeParams } from '../../src/db/query-log';
import { createLogger } from '../../src/logger';
import type { LogLevel } from '../../src/config';

function captured(level: LogLevel): { lines: Record<string, unknown>[]; logger: ReturnType<typeof createLogger> } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(level, (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  return { lines, logger };
}

describe('the Cypher statement log', () => {
  it('writes one debug line per statement with its name, request, row count, duration and parameters', () => {
    const { lines, logger } = captured('debug');
    logStatement(logger, {
      queryName: 'treatyArticles',
      requestId: 'req-1',
      params: { ids: ['treaty:CRC:art:19'], first: neo4j.int(20) },
      startedAt: performance.now() - 12,
      rows: 3,
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'debug',
      message: 'cypher',
      query: 'treatyArticles',
      requestId: 'req-1',
      rows: 3,
      params: { ids: ['treaty:CRC:art:19'], first: 20 },
    });
    expect(lines[0]?.durationMs).toBeGreaterThanOrEqual(12);
  });

  it('says a statement failed instead of giving a row count', () => {
    const { lines, logger } = captured('debug');
    logStatement(logger, {
      queryName: 'search',
      requestId: 'r',
      params: {},
      startedAt: performance.now(),
      rows: undefined,
    });
    expect(lines[0]).toMatchObject({ query: 'search', failed: true });
    expect(lines[0]).not.toHaveProperty('rows');
  });

  it('writes nothing unless LOG_LEVEL is debug', () => {
    for (const level of ['info', 'warn', 'error'] as const) {
      const { lines, logger } = captured(level);
      logStatement(logger, { queryName: 'search', requestId: 'r', params: {}, startedAt: performance.now(), rows: 0 });
      expect(lines).toEqual([]);
    }
  });
});

describe('parameters in the statement log', () => {
  it('cuts long strings and says how long they were', () => {
    const summary = summarizeParams({ query: 'x'.repeat(500), short: 'child' });
    expect(summary.short).toBe('child');
    expect(summary.query).toBe(`${'x'.repeat(80)}… (500 chars)`);
  });

  it('shows the first items of a long list and how many there were', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `rec:${i}`);
    expect(summarizeParams({ ids }).ids).toEqual(['rec:0', 'rec:1', 'rec:2', 'rec:3', 'rec:4', '… (1000 items)']);
  });

  it('never writes a value whose name says it is a secret, however deep', () => {
    const summary = summarizeParams({
      password: 'hunter2',
      accessToken: 'eyJhbGciOi',
      nested: { apiKey: 'k-123' },
      rows: [{ clientSecret: 's3cr3t', name: 'kept' }],
    });
    const written = JSON.stringify(summary);
    for (const secret of ['hunter2', 'eyJhbGciOi', 'k-123', 's3cr3t']) expect(written).not.toContain(secret);
    expect(summary).toEqual({
      password: '[redacted]',
      accessToken: '[redacted]',
      nested: { apiKey: '[redacted]' },
      rows: [{ clientSecret: '[redacted]', name: 'kept' }],
    });
  });

  it('turns driver integers back into numbers and stops at a bounded depth', () => {
    expect(summarizeParams({ offset: neo4j.int(40), deep: { a: { b: { c: 1 } } } })).toEqual({
      offset: 40,
      deep: { a: { b: '[object]' } },
    });
  });

  it('never writes the token id, hash or salt of a user, whatever statement sends them', () => {
    const stored = {
      id: 'user:1',
      tokenId: '0123456789abcdef01234567',
      tokenHash: 'scrypt:16384:8:1:c2VjcmV0LWhhc2g=',
      tokenSalt: 'c2FsdA==',
      authorization: 'Bearer crg_0123456789abcdef01234567_x',
    };
    expect(summarizeParams({ ...stored, users: [stored] })).toEqual({
      id: 'user:1',
      tokenId: '[redacted]',
      tokenHash: '[redacted]',
      tokenSalt: '[redacted]',
      authorization: '[redacted]',
      users: [
        {
          id: 'user:1',
          tokenId: '[redacted]',
          tokenHash: '[redacted]',
          tokenSalt: '[redacted]',
          authorization: '[redacted]',
        },
      ],
    });
  });
});
