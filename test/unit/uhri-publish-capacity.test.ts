/**
 * The publishing transaction's budget (src/modules/uhri/publish-capacity.ts): read from the server's
 * settings as `SHOW SETTINGS` writes them, and the refusal of a file whose publish would not fit.
 */
import { expect } from '@jest/globals';
import {
  capacityFromSettings,
  checkPublishLoad,
  maxSharedNodes,
  parseNeo4jSize,
  PUBLISH_BYTES,
  publishEstimate,
  UhriPublishTooLargeError,
} from '../../src/modules/uhri/publish-capacity';

/** The settings of the embedded Neo4j 5.26 with its default 512 MiB heap, as SHOW SETTINGS gives them. */
const EMBEDDED_DEFAULT = new Map([
  ['db.memory.transaction.max', '0B'],
  ['db.memory.transaction.total.max', '0B'],
  ['dbms.memory.transaction.total.max', '358.40MiB'],
  ['server.memory.heap.max_size', '512.00MiB'],
]);

describe('parseNeo4jSize', () => {
  test('reads the sizes Neo4j writes in its settings', () => {
    expect(parseNeo4jSize('358.40MiB')).toBe(Math.round(358.4 * 1024 * 1024));
    expect(parseNeo4jSize('0B')).toBe(0);
    expect(parseNeo4jSize('2.00GiB')).toBe(2 * 1024 ** 3);
    expect(parseNeo4jSize('512m')).toBe(512 * 1024 ** 2);
    expect(parseNeo4jSize('1024')).toBe(1024);
    expect(parseNeo4jSize('lots')).toBeNull();
    expect(parseNeo4jSize('3 parsecs')).toBeNull();
  });
});

describe('capacityFromSettings', () => {
  test('the embedded default: the total transaction limit, half of it for the publish', () => {
    const capacity = capacityFromSettings(EMBEDDED_DEFAULT)!;
    expect(capacity.limitBytes).toBe(Math.round(358.4 * 1024 * 1024));
    expect(capacity.limitSource).toBe('dbms.memory.transaction.total.max = 358.40MiB');
    expect(capacity.budgetBytes).toBe(Math.floor(capacity.limitBytes / 2));
    // About 58,000 new states, documents and tags fit the default heap: far more than the whole UHRI brings.
    expect(maxSharedNodes(capacity)).toBeGreaterThan(50_000);
  });

  test('the smallest limit that is set applies, and never more than 70 % of the heap', () => {
    const perTransaction = new Map([...EMBEDDED_DEFAULT, ['db.memory.transaction.max', '100.00MiB']]);
    expect(capacityFromSettings(perTransaction)!.limitSource).toBe('db.memory.transaction.max = 100.00MiB');
    const unlimited = new Map([
      ['dbms.memory.transaction.total.max', '0B'],
      ['server.memory.heap.max_size', '2.00GiB'],
    ]);
    const capacity = capacityFromSettings(unlimited)!;
    expect(capacity.limitBytes).toBe(Math.floor(2 * 1024 ** 3 * 0.7));
    expect(capacity.limitSource).toBe('70 % of server.memory.heap.max_size = 2.00GiB');
    const overHeap = new Map([
      ['dbms.memory.transaction.total.max', '10.00GiB'],
      ['server.memory.heap.max_size', '1.00GiB'],
    ]);
    expect(capacityFromSettings(overHeap)!.limitBytes).toBe(Math.floor(1024 ** 3 * 0.7));
  });

  test('a server that states neither gives no capacity (nothing is refused)', () => {
    expect(capacityFromSettings(new Map())).toBeNull();
    expect(() =>
      checkPublishLoad(null, { newRows: 0, sharedNodes: 10_000_000, keptRows: 0, keptLinks: 0 }, 1),
    ).not.toThrow();
  });
});

describe('checkPublishLoad', () => {
  const capacity = capacityFromSettings(EMBEDDED_DEFAULT)!;

  test('new rows cost the publish nothing, however many (they are published by one marker node)', () => {
    const whole = { newRows: 270_000, sharedNodes: 5_000, keptRows: 0, keptLinks: 0 };
    expect(publishEstimate(whole)).toBe(5_000 * PUBLISH_BYTES.sharedNode);
    expect(() => checkPublishLoad(capacity, whole, 270_000)).not.toThrow();
    expect(publishEstimate({ ...whole, newRows: 10_000_000 })).toBe(publishEstimate(whole));
  });

  test('a load past the budget is refused, naming what it holds and the heap setting', () => {
    const fits = { newRows: 0, sharedNodes: maxSharedNodes(capacity), keptRows: 0, keptLinks: 0 };
    expect(() => checkPublishLoad(capacity, fits, 1)).not.toThrow();
    const large = { newRows: 1_000, sharedNodes: 0, keptRows: 5_000, keptLinks: 20 };
    let error: unknown;
    try {
      checkPublishLoad(capacity, large, 6_000);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UhriPublishTooLargeError);
    const message = (error as Error).message;
    expect(message).toContain('by row 6000');
    expect(message).toContain('5000 rows changing paragraphs already in the graph');
    expect(message).toContain('20 inferred links');
    expect(message).toContain('dbms.memory.transaction.total.max = 358.40MiB');
    // 5,000 × 90 kB = 429 MiB, which needs a heap of 429 / 0.35 MiB: 2 GiB, rounded up.
    expect(message).toContain('LOCAL_NEO4J_HEAP=2g');
    expect(message).toContain('server.memory.heap.max_size');
    expect(message).toContain('Readers saw nothing of it, and nothing of it is left in the graph');
  });

  test('kept rows (rewritten in the publish) weigh far more than new shared nodes', () => {
    expect(PUBLISH_BYTES.keptRow).toBeGreaterThan(5 * PUBLISH_BYTES.sharedNode);
    expect(() =>
      checkPublishLoad(capacity, { newRows: 0, sharedNodes: 0, keptRows: 10_000, keptLinks: 0 }, 10_000),
    ).toThrow(UhriPublishTooLargeError);
  });
});
