import { Neo4jError, type Driver } from 'neo4j-driver';
import type { GraphQLError } from 'graphql';
import { Executor, toGraphQLError } from '../../src/db/executor';
import { warmUp } from '../../src/db/warm-up';
import { silentLogger } from '../../src/logger';

/**
 * The executor's one-plan-per-statement gate (issue 9), over a driver stand-in that records what is sent:
 * what Neo4j does with an EXPLAIN is tested against a real Neo4j (test/integration/warm-up.int.test.ts).
 */
function recordingDriver() {
  const sent: string[] = [];
  const releases: Array<() => void> = [];
  const run = async (cypher: string) => {
    sent.push(cypher);
    if (cypher.startsWith('EXPLAIN')) await new Promise<void>((resolve) => releases.push(resolve));
    return { records: [] };
  };
  const driver = {
    session: () => ({
      // Plans (EXPLAIN) run in a managed transaction, statements as auto-commit reads.
      executeRead: async (work: (tx: { run: (cypher: string) => Promise<unknown> }) => Promise<unknown>) =>
        work({ run }),
      run,
      close: async () => undefined,
    }),
  } as unknown as Driver;
  return { driver, sent, releaseAll: () => releases.splice(0).forEach((release) => release()) };
}

describe('planning each statement once (Executor.plan)', () => {
  it('plans identical concurrent statements once, and again after Neo4j restarts (forgetPlans)', async () => {
    const { driver, sent, releaseAll } = recordingDriver();
    const executor = new Executor(driver, { database: undefined, queryTimeoutMs: 1_000, logger: silentLogger });
    const runs = Array.from({ length: 20 }, (_, i) => executor.run('gaps', '// gaps\nRETURN 1', {}, `r${i}`));
    await new Promise((resolve) => setImmediate(resolve));
    // One EXPLAIN in flight, and no statement ran before it was planned.
    expect(sent).toEqual(['EXPLAIN // gaps\nRETURN 1']);
    releaseAll();
    await Promise.all(runs);
    expect(sent.filter((cypher) => cypher.startsWith('EXPLAIN'))).toHaveLength(1);
    expect(sent.filter((cypher) => cypher === '// gaps\nRETURN 1')).toHaveLength(20);
    expect(executor.isPlanned('// gaps\nRETURN 1')).toBe(true);

    executor.forgetPlans();
    expect(executor.isPlanned('// gaps\nRETURN 1')).toBe(false);
    const again = executor.run('gaps', '// gaps\nRETURN 1', {}, 'after-restart');
    await new Promise((resolve) => setImmediate(resolve));
    releaseAll();
    await again;
    expect(sent.filter((cypher) => cypher.startsWith('EXPLAIN'))).toHaveLength(2);
  });
});

describe('a QUERY_TIMEOUT message', () => {
  const timedOut = Object.assign(new Error('timed out'), { code: 'Neo.ClientError.Transaction.TransactionTimedOut' });

  it('blames the query when the database was not catching up', () => {
    const error = toGraphQLError(timedOut, 'recommendationGaps') as GraphQLError;
    expect(error.message).toBe(
      'The query took longer than the per-query time limit (recommendationGaps); narrow it or ask for fewer items.',
    );
    expect(error.extensions.cause).toBeUndefined();
  });

  it('says the database is catching up, and to retry, when it was', () => {
    const error = toGraphQLError(timedOut, 'recommendationGaps', true) as GraphQLError;
    expect(error.extensions.code).toBe('QUERY_TIMEOUT');
    expect(error.extensions.cause).toBe('DATABASE_CATCHING_UP');
    expect(error.message).not.toMatch(/narrow it/);
    expect(error.message).toMatch(/busy catching up.*try again shortly/);
  });
});

describe('requests while the API is starting or recovering (Executor.whenReady, RequestDb)', () => {
  it('holds a request while starting, and runs it once the API is warm', async () => {
    const { driver, sent, releaseAll } = recordingDriver();
    const executor = new Executor(driver, { database: undefined, queryTimeoutMs: 1_000, logger: silentLogger });
    executor.readiness = 'starting';
    let answered = false;
    const read = executor
      .forRequest('held')
      .read('about', '// about\nRETURN 1')
      .then(() => (answered = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Nothing reached Neo4j while the API was warming up.
    expect(sent).toEqual([]);
    executor.readiness = 'ok';
    await new Promise((resolve) => setImmediate(resolve));
    releaseAll();
    await read;
    expect(answered).toBe(true);
    expect(sent).toEqual(['EXPLAIN // about\nRETURN 1', '// about\nRETURN 1']);
  });

  it('holds a request while starting for at most its bound, then runs it anyway', async () => {
    const { driver } = recordingDriver();
    const executor = new Executor(driver, { database: undefined, queryTimeoutMs: 1_000, logger: silentLogger });
    executor.readiness = 'starting';
    const started = Date.now();
    await executor.whenReady(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(executor.readiness).toBe('starting');
  });

  it('refuses at once with SERVICE_UNAVAILABLE while recovering, without asking Neo4j', async () => {
    const { driver, sent } = recordingDriver();
    const executor = new Executor(driver, { database: undefined, queryTimeoutMs: 1_000, logger: silentLogger });
    executor.readiness = 'recovering';
    const db = executor.forRequest('recovering');
    await expect(db.read('about', '// about\nRETURN 1')).rejects.toMatchObject({
      extensions: { code: 'SERVICE_UNAVAILABLE', cause: 'RECOVERING' },
    });
    await expect(db.write('measure', async () => 1)).rejects.toMatchObject({
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    });
    expect(sent).toEqual([]);
  });

  it('refuses a request held while starting when the embedded Neo4j dies meanwhile', async () => {
    const { driver } = recordingDriver();
    const executor = new Executor(driver, { database: undefined, queryTimeoutMs: 1_000, logger: silentLogger });
    executor.readiness = 'starting';
    const held = executor.whenReady();
    executor.readiness = 'recovering';
    await expect(held).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
  });

  it('answers SERVICE_UNAVAILABLE from the planning when Neo4j cannot be reached, without running the statement too', async () => {
    let attempts = 0;
    const driver = {
      session: () => ({
        executeRead: async () => {
          attempts += 1;
          throw Object.assign(new Error('connection refused'), { code: 'ServiceUnavailable' });
        },
        close: async () => undefined,
      }),
    } as unknown as Driver;
    const executor = new Executor(driver, { database: undefined, queryTimeoutMs: 1_000, logger: silentLogger });
    await expect(executor.run('about', '// about\nRETURN 1', {}, 'down')).rejects.toMatchObject({
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    });
    // One managed transaction (the EXPLAIN), not a second one (the statement) retrying as long again.
    expect(attempts).toBe(1);
    expect(executor.isPlanned('// about\nRETURN 1')).toBe(false);
  });
});

describe('the warm-up (warmUp)', () => {
  /** A driver whose EXPLAIN of `failing` fails with `error`; every other statement plans. */
  function driverFailing(failing: string, error: Error) {
    const planned: string[] = [];
    const driver = {
      session: () => ({
        run: async () => ({ records: [] }),
        executeRead: async (work: (tx: { run: (cypher: string) => Promise<unknown> }) => Promise<unknown>) =>
          work({
            run: async (cypher: string) => {
              if (cypher === `EXPLAIN ${failing}`) throw error;
              planned.push(cypher);
              return { records: [] };
            },
          }),
        close: async () => undefined,
      }),
    } as unknown as Driver;
    return { driver, planned };
  }
  const statements = [
    { name: 'a', cypher: '// a\nRETURN 1', params: {} },
    { name: 'coverage', cypher: '// coverage\nRETURN 2', params: {} },
    { name: 'c', cypher: '// c\nRETURN 3', params: {} },
  ];

  it('leaves a statement whose planning was terminated (no Neo4j code at all) to its first use', async () => {
    const { driver, planned } = driverFailing(
      '// coverage\nRETURN 2',
      new Error('The transaction has been terminated.'),
    );
    const executor = new Executor(driver, { database: undefined, queryTimeoutMs: 1_000, logger: silentLogger });
    await warmUp(executor, undefined, statements, silentLogger);
    expect(planned).toHaveLength(2);
    expect(executor.isPlanned('// coverage\nRETURN 2')).toBe(false);
  });

  it('leaves a statement whose planning ran out of time to its first use, and still reports warm', async () => {
    const timedOut = Object.assign(new Error('timed out'), {
      code: 'Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration',
    });
    const { driver, planned } = driverFailing('// coverage\nRETURN 2', timedOut);
    const executor = new Executor(driver, { database: undefined, queryTimeoutMs: 1_000, logger: silentLogger });
    const report = await warmUp(executor, undefined, statements, silentLogger);
    expect(report.statements).toBe(3);
    expect(planned.sort()).toEqual(['EXPLAIN // a\nRETURN 1', 'EXPLAIN // c\nRETURN 3']);
    // Planned again on its first use.
    expect(executor.isPlanned('// coverage\nRETURN 2')).toBe(false);
  });

  it('fails, naming it, when a statement cannot be planned for another reason', async () => {
    const syntax = Object.assign(new Error('Invalid input'), { code: 'Neo.ClientError.Statement.SyntaxError' });
    const { driver } = driverFailing('// coverage\nRETURN 2', syntax);
    const executor = new Executor(driver, { database: undefined, queryTimeoutMs: 1_000, logger: silentLogger });
    await expect(warmUp(executor, undefined, statements, silentLogger)).rejects.toThrow(
      /Could not plan 1 of 3 statements: coverage: Invalid input/,
    );
  });
});

describe('reads as auto-commit transactions (Executor.run)', () => {
  /** An error as the driver makes it from a server failure (its code decides whether it is retryable). */
  const neo4jError = (message: string, code: string) =>
    new Neo4jError(message, code, '50N42', 'error: general processing exception', {
      OPERATION: '',
      OPERATION_CODE: '0',
      CURRENT_SCHEMA: '/',
    });

  /** A driver whose sessions' run fails with these errors, one per attempt, then answers. */
  function failingDriver(failures: Error[]) {
    const attempts: Array<{ cypher: string; config: unknown }> = [];
    const driver = {
      session: () => ({
        executeRead: async () => ({ records: [] }),
        run: async (cypher: string, _params: unknown, config: unknown) => {
          attempts.push({ cypher, config });
          const failure = failures.shift();
          if (failure) throw failure;
          return { records: [{ toObject: () => ({ answer: 1 }) }] };
        },
        close: async () => undefined,
      }),
    } as unknown as Driver;
    return { driver, attempts };
  }

  it('sends the timeout and metadata with the statement, and retries a transient failure as the driver would', async () => {
    const { driver, attempts } = failingDriver([
      neo4jError('deadlock', 'Neo.TransientError.Transaction.DeadlockDetected'),
    ]);
    const executor = new Executor(driver, { database: undefined, queryTimeoutMs: 1_000, logger: silentLogger });
    const result = await executor.run('about', '// about\nRETURN 1', {}, 'r1', 750);
    expect(result.records).toHaveLength(1);
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).toEqual({
      cypher: '// about\nRETURN 1',
      config: { timeout: 750, metadata: { app: 'child-rights-graph', query: 'about', requestId: 'r1' } },
    });
  });

  it('does not retry a failure the driver would not retry, and maps it as before', async () => {
    const { driver, attempts } = failingDriver([
      neo4jError('timed out', 'Neo.ClientError.Transaction.TransactionTimedOut'),
    ]);
    const executor = new Executor(driver, { database: undefined, queryTimeoutMs: 1_000, logger: silentLogger });
    await expect(executor.run('about', '// about\nRETURN 1', {}, 'r2')).rejects.toMatchObject({
      extensions: { code: 'QUERY_TIMEOUT' },
    });
    expect(attempts).toHaveLength(1);
  });
});
