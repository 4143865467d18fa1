/**
 * The publishing transaction's budget (src/modules/uhri/publish-capacity.ts): read from the server's
 * settings as `SHOW SETTINGS` writes them, and the refusal of a file whose publish would not fit.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import {
  capacityFromSettings,
  checkFileUpFront,
  checkPublishLoad,
  countCsvRows,
  maxNewRows,
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
    // About 58,000 new rows fit the default heap; the whole UHRI (270,000 rows) does not.
    expect(maxNewRows(capacity)).toBeGreaterThan(50_000);
    expect(maxNewRows(capacity)).toBeLessThan(270_000);
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
    expect(() => checkPublishLoad(null, { newRows: 10_000_000, keptRows: 0, keptLinks: 0 }, 1)).not.toThrow();
  });
});

describe('checkPublishLoad', () => {
  const capacity = capacityFromSettings(EMBEDDED_DEFAULT)!;

  test('a load within the budget passes; one past it is refused naming the heap setting', () => {
    const fits = { newRows: maxNewRows(capacity), keptRows: 0, keptLinks: 0 };
    expect(() => checkPublishLoad(capacity, fits, 1)).not.toThrow();
    const whole = { newRows: 270_000, keptRows: 0, keptLinks: 0 };
    expect(publishEstimate(whole)).toBe(270_000 * PUBLISH_BYTES.newRow);
    let error: unknown;
    try {
      checkPublishLoad(capacity, whole, 270_000);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UhriPublishTooLargeError);
    const message = (error as Error).message;
    expect(message).toContain('270000 new rows');
    expect(message).toContain('dbms.memory.transaction.total.max = 358.40MiB');
    // 270,000 × 3.2 kB = 824 MiB, which needs a heap of 824 / 0.35 MiB: 3 GiB, rounded up.
    expect(message).toContain('LOCAL_NEO4J_HEAP=3g');
    expect(message).toContain('server.memory.heap.max_size');
    expect(message).toContain('Readers saw nothing of it, and nothing of it is left in the graph');
  });

  test('kept rows (rewritten in the publish) weigh far more than new ones', () => {
    expect(PUBLISH_BYTES.keptRow).toBeGreaterThan(5 * PUBLISH_BYTES.newRow);
    expect(() => checkPublishLoad(capacity, { newRows: 0, keptRows: 10_000, keptLinks: 0 }, 10_000)).toThrow(
      UhriPublishTooLargeError,
    );
  });
});

describe('up front, for a CSV file', () => {
  test('countCsvRows counts records after the header, a line break inside quotes included in its field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'uhri-count-'));
    try {
      const file = join(dir, 'export.csv');
      await writeFile(
        file,
        'Text,Countries Concerned\r\n"65. The Committee, ""quoted""\n(a) on two lines",Latvia\r\nB,Kazakhstan',
      );
      expect(await countCsvRows(file)).toBe(2);
      await writeFile(file, 'Text,Countries Concerned\nA,Latvia\n');
      expect(await countCsvRows(file)).toBe(1);
      await writeFile(file, '');
      expect(await countCsvRows(file)).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a file whose rows cannot all be new within the budget is refused before staging', () => {
    const capacity = capacityFromSettings(EMBEDDED_DEFAULT)!;
    expect(() => checkFileUpFront(capacity, maxNewRows(capacity))).not.toThrow();
    expect(() => checkFileUpFront(capacity, 270_000)).toThrow(
      /before staging \(the file has 270000 rows.*LOCAL_NEO4J_HEAP=3g/s,
    );
    expect(() => checkFileUpFront(null, 270_000)).not.toThrow();
  });
});
