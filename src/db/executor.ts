import neo4j, { type Driver, type QueryResult, type RecordShape } from 'neo4j-driver';
import { GraphQLError } from 'graphql';
import { queryTimeout, serviceUnavailable } from '../errors';
import type { Logger } from '../logger';
import { LIMITS } from '../limits';
import { DatabaseBudget, budgetSpent } from '../request-budget';
import { logStatement } from './query-log';
import { retryTimeOf } from './driver';
import type { WriteTransaction } from './database';

/**
 * Where the API is in its life: `starting` until the first warm-up is done, `recovering` from the moment
 * the embedded Neo4j dies until it is back and warm again, `ok` otherwise. /health answers 503 with the
 * first two.
 */
export type Readiness = 'starting' | 'recovering' | 'ok';

/**
 * The one place that runs Cypher for the API: sessions, auto-commit reads and managed write transactions
 * (both retry transient failures), a per-transaction timeout, transaction metadata naming the query and the
 * request (visible in Neo4j's query log and `SHOW TRANSACTIONS`), a count of round trips per request,
 * and the mapping of driver errors to GraphQL errors a client can act on.
 */
export class Executor {
  constructor(
    readonly driver: Driver,
    private readonly options: {
      database: string | undefined;
      queryTimeoutMs: number;
      logger: Logger;
      requestDatabaseBudgetMs?: number;
    },
  ) {}

  /** Set by the app (startApp): `ok` for an executor nobody warms (tests, tools). */
  get readiness(): Readiness {
    return this.current;
  }
  set readiness(value: Readiness) {
    this.current = value;
    if (value !== 'starting') for (const release of this.heldWhileStarting.splice(0)) release();
  }
  private current: Readiness = 'ok';
  /** Requests held while the API warms up, released when it is warm (or recovering), or at their bound. */
  private readonly heldWhileStarting: Array<() => void> = [];

  /**
   * Where a request's database work waits for the API to be ready (issue 9: traffic arriving cold):
   * - while `starting`, it is held until the warm-up is done (every index online, every named statement
   *   planned), for at most `holdMs`, then runs anyway; requests answered during the warm-up competed
   *   with it for the machine and each planned its statements cold, and on a loaded 2-core machine ran out
   *   of their database time budget (QUERY_TIMEOUT) where a request held until warm is answered;
   * - while `recovering` (the embedded Neo4j died and is being started and warmed again), it fails at once
   *   with SERVICE_UNAVAILABLE, as /health says: Neo4j is known to be away, and waiting for the driver's
   *   retries would only make the client wait longer for the same answer (and, during the warm-up after
   *   the restart, run on cold plans).
   */
  async whenReady(holdMs = STARTING_HOLD_MS): Promise<void> {
    if (this.current === 'starting') {
      let release: () => void = () => undefined;
      const released = new Promise<void>((resolveHold) => {
        release = resolveHold;
        this.heldWhileStarting.push(resolveHold);
      });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([released, new Promise<void>((resolveHold) => (timer = setTimeout(resolveHold, holdMs)))]);
      clearTimeout(timer);
      const index = this.heldWhileStarting.indexOf(release);
      if (index >= 0) this.heldWhileStarting.splice(index, 1);
    }
    if (this.current === 'recovering') throw serviceUnavailable('RECOVERING');
  }

  /**
   * Statement texts planned since Neo4j (re)started, each as the promise of its one planning: the first
   * caller of a text plans it (EXPLAIN with its own parameters, which fills Neo4j's plan cache), and
   * identical statements arriving meanwhile wait for that one plan instead of each compiling their own.
   */
  private readonly planned = new Map<string, Promise<void>>();
  /** Statement texts that have run once (to the end or to a failure) since Neo4j (re)started. */
  private readonly ran = new Set<string>();

  /**
   * Plans `cypher` once (EXPLAIN, no rows read) unless it was planned already since Neo4j (re)started;
   * concurrent callers share one planning. A planning that fails rejects and is forgotten, so a later call
   * tries again.
   */
  plan(queryName: string, cypher: string, params: Record<string, unknown>, requestId: string): Promise<void> {
    let planning = this.planned.get(cypher);
    if (!planning) {
      planning = this.explain(queryName, cypher, params, requestId).catch((error: unknown) => {
        if (this.planned.get(cypher) === planning) this.planned.delete(cypher);
        throw error;
      });
      this.planned.set(cypher, planning);
    }
    return planning;
  }

  /** Whether this statement text has been planned (or is being planned) since Neo4j (re)started. */
  isPlanned(cypher: string): boolean {
    return this.planned.has(cypher);
  }

  /** Neo4j restarted (its plan cache is empty): plan every statement again on its next use. */
  forgetPlans(): void {
    this.planned.clear();
    this.ran.clear();
  }

  private async explain(
    queryName: string,
    cypher: string,
    params: Record<string, unknown>,
    requestId: string,
  ): Promise<void> {
    const session = this.driver.session({ database: this.options.database, defaultAccessMode: neo4j.session.READ });
    try {
      await session.executeRead((tx) => tx.run(`EXPLAIN ${cypher}`, params), {
        timeout: Math.max(this.options.queryTimeoutMs, PLAN_TIMEOUT_MS),
        metadata: { app: 'child-rights-graph', query: `${queryName}:plan`, requestId },
      });
    } finally {
      await session.close();
    }
  }

  /**
   * A handle bound to one GraphQL request: its id goes into transaction metadata, its round trips are
   * counted, and its transactions share one database time budget (LIMITS.requestDatabaseBudgetMs).
   */
  forRequest(requestId: string): RequestDb {
    const budget = new DatabaseBudget(this.options.requestDatabaseBudgetMs ?? LIMITS.requestDatabaseBudgetMs);
    return new RequestDb(this, requestId, budget);
  }

  /** The time limit of each transaction (QUERY_TIMEOUT_MS). */
  get queryTimeoutMs(): number {
    return this.options.queryTimeoutMs;
  }

  async run<R extends RecordShape>(
    queryName: string,
    cypher: string,
    params: Record<string, unknown>,
    requestId: string,
    timeoutMs: number = this.options.queryTimeoutMs,
  ): Promise<QueryResult<R>> {
    const startedAt = performance.now();
    let rows: number | undefined;
    try {
      // A statement that cannot be planned fails in its own run below, with its own error; but when Neo4j
      // cannot be reached, the planning's error is the answer (running it would retry as long again).
      await this.plan(queryName, cypher, params, requestId).catch((error: unknown) => {
        if (isUnavailable(error)) throw error;
      });
      const result = await this.autoCommitRead<R>(cypher, params, {
        timeout: timeoutMs,
        metadata: { app: 'child-rights-graph', query: queryName, requestId },
      });
      rows = result.records.length;
      this.ran.add(cypher);
      return result;
    } catch (error) {
      // A timeout while Neo4j catches up (starting, recovering, or this statement's first run since it
      // started, on cold caches) is not the query's fault: the message says so, and a retry is told apart.
      const catchingUp = this.readiness !== 'ok' || !this.ran.has(cypher);
      if (!isUnavailable(error)) this.ran.add(cypher);
      throw toGraphQLError(error, queryName, catchingUp);
    } finally {
      logStatement(this.options.logger, { queryName, requestId, params, startedAt, rows });
    }
  }

  /**
   * One read statement as an auto-commit transaction: RUN and PULL leave in one write and come back in one
   * round trip, where a managed transaction sends BEGIN, RUN and PULL, then COMMIT, each flushed and waited
   * for on its own (three round trips for one statement; a single read has nothing to commit). What the
   * managed transaction gave is kept: the timeout and metadata travel with the RUN; a retryable failure
   * (Neo4j unreachable, a session expired, a transient error) is tried again, with the driver's own rule
   * (`isRetryableError`) and schedule (1 s, doubling, ±20% jitter, until its maxTransactionRetryTime has
   * passed); each attempt has its own session, as each managed retry has its own transaction. The API reads
   * with no bookmarks (every read is its own session), so none are lost.
   */
  private async autoCommitRead<R extends RecordShape>(
    cypher: string,
    params: Record<string, unknown>,
    config: { timeout: number; metadata: Record<string, unknown> },
  ): Promise<QueryResult<R>> {
    const firstFailureAt: { ms?: number } = {};
    let delayMs = RETRY_INITIAL_DELAY_MS;
    for (;;) {
      const session = this.driver.session({ database: this.options.database, defaultAccessMode: neo4j.session.READ });
      try {
        return await runWithoutStack(() => session.run<R>(cypher, params, config));
      } catch (error) {
        firstFailureAt.ms ??= Date.now();
        if (!neo4j.isRetryableError(error) || Date.now() - firstFailureAt.ms > retryTimeOf(this.driver)) throw error;
      } finally {
        await session.close();
      }
      const jitter = delayMs * RETRY_JITTER;
      await new Promise((resolveWait) => setTimeout(resolveWait, delayMs - jitter + Math.random() * 2 * jitter));
      delayMs *= RETRY_MULTIPLIER;
    }
  }

  /**
   * Runs `work` in one managed write transaction (the driver runs it again on a transient failure, e.g. a
   * deadlock between two editors) with the per-transaction timeout and the request's metadata; every
   * statement is logged as reads are. A driver error is mapped as a read's; an error `work` throws rolls
   * the transaction back and reaches the caller as it is.
   */
  async write<T>(
    name: string,
    work: (tx: WriteTransaction) => Promise<T>,
    requestId: string,
    timeoutMs: number = this.options.queryTimeoutMs,
  ): Promise<T> {
    const session = this.driver.session({ database: this.options.database, defaultAccessMode: neo4j.session.WRITE });
    try {
      return await session.executeWrite(
        (tx) =>
          work({
            run: async <R extends RecordShape>(
              queryName: string,
              cypher: string,
              params: Record<string, unknown> = {},
            ): Promise<R[]> => {
              const startedAt = performance.now();
              let rows: number | undefined;
              try {
                const result = await tx.run<R>(cypher, integerParams(params));
                rows = result.records.length;
                return result.records.map((record) => record.toObject());
              } finally {
                logStatement(this.options.logger, { queryName, requestId, params, startedAt, rows });
              }
            },
          }),
        { timeout: timeoutMs, metadata: { app: 'child-rights-graph', query: name, requestId } },
      );
    } catch (error) {
      throw toGraphQLError(error, name);
    } finally {
      await session.close();
    }
  }

  /** Whether Neo4j answers now, and what it is; never throws. */
  async ping(): Promise<Neo4jStatus> {
    const started = Date.now();
    try {
      const info = await this.driver.getServerInfo({ database: this.options.database });
      return { reachable: true, address: info.address, version: info.agent, latencyMs: Date.now() - started };
    } catch (error) {
      return { reachable: false, error: describe(error), latencyMs: Date.now() - started };
    }
  }
}

export interface Neo4jStatus {
  reachable: boolean;
  address?: string;
  version?: string;
  error?: string;
  latencyMs: number;
}

export class RequestDb {
  /** Cypher round trips made for this request so far (the N+1 guard's measure). */
  roundTrips = 0;

  constructor(
    private readonly executor: Executor,
    readonly requestId: string,
    private readonly budget = new DatabaseBudget(LIMITS.requestDatabaseBudgetMs),
  ) {}

  async read<R extends RecordShape>(
    queryName: string,
    cypher: string,
    params: Record<string, unknown> = {},
  ): Promise<R[]> {
    // Held while the API warms up, refused while its Neo4j recovers (before the budget's clock starts).
    await this.executor.whenReady();
    // Refused here, before Neo4j sees it, once the request's database time is spent.
    const transaction = this.budget.begin(queryName, this.executor.queryTimeoutMs);
    this.roundTrips += 1;
    try {
      const result = await this.executor.run<R>(
        queryName,
        cypher,
        integerParams(params),
        this.requestId,
        transaction.timeoutMs,
      );
      return result.records.map((record) => record.toObject());
    } catch (error) {
      const timedOut = error instanceof GraphQLError && error.extensions.code === 'QUERY_TIMEOUT';
      throw timedOut && transaction.limitedByBudget ? budgetSpent(this.budget.budgetMs, queryName) : error;
    }
  }

  async write<T>(name: string, work: (tx: WriteTransaction) => Promise<T>): Promise<T> {
    await this.executor.whenReady();
    const transaction = this.budget.begin(name, this.executor.queryTimeoutMs);
    this.roundTrips += 1;
    try {
      return await this.executor.write(name, work, this.requestId, transaction.timeoutMs);
    } catch (error) {
      const timedOut = error instanceof GraphQLError && error.extensions.code === 'QUERY_TIMEOUT';
      throw timedOut && transaction.limitedByBudget ? budgetSpent(this.budget.budgetMs, name) : error;
    }
  }
}

/**
 * JavaScript numbers go over Bolt as floats, which Cypher refuses for SKIP, LIMIT and list slices; every
 * whole-number parameter of the API (page offsets and sizes, years) is sent as an integer.
 */
export function integerParams(params: Record<string, unknown>): Record<string, unknown> {
  const converted: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    converted[key] = typeof value === 'number' && Number.isSafeInteger(value) ? neo4j.int(value) : value;
  }
  return converted;
}

/**
 * Starts a statement without the stack trace the driver captures for it: the driver's Result formats a
 * `new Error('').stack` on every statement (neo4j-driver-core's captureStacktrace), only to put it on the
 * error should the statement fail; about 2% of the server's CPU. `start` runs with no stack frames
 * recorded (it is synchronous: nothing else runs meanwhile), and a failure gets the stack of where it is
 * awaited here, which names the same callers (this executor, the repository, the resolver) as the driver's.
 */
async function runWithoutStack<T>(start: () => Promise<T>): Promise<T> {
  const limit = Error.stackTraceLimit;
  let started: Promise<T>;
  Error.stackTraceLimit = 0;
  try {
    started = start();
  } finally {
    Error.stackTraceLimit = limit;
  }
  try {
    return await started;
  } catch (error) {
    if (error instanceof Error) {
      const here = new Error();
      error.stack = `${String(error)}\n${here.stack?.split('\n').slice(1).join('\n') ?? ''}`;
    }
    throw error;
  }
}

/** Driver and server error codes that mean "Neo4j cannot be reached or cannot serve now": retry later. */
const UNAVAILABLE_CODES = new Set([
  neo4j.error.SERVICE_UNAVAILABLE,
  neo4j.error.SESSION_EXPIRED,
  'Neo.TransientError.General.DatabaseUnavailable',
  'Neo.ClientError.Database.DatabaseNotFound',
  'Neo.ClientError.Security.Unauthorized',
  'Neo.ClientError.Security.AuthenticationRateLimit',
]);

const TIMEOUT_CODES = new Set([
  'Neo.ClientError.Transaction.TransactionTimedOut',
  'Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration',
]);

/** The driver's retry schedule for managed transactions (neo4j-driver-core's TransactionExecutor), kept for reads. */
const RETRY_INITIAL_DELAY_MS = 1_000;
const RETRY_MULTIPLIER = 2;
const RETRY_JITTER = 0.2;

/** Planning a large statement on a busy machine may take longer than a request's query limit. */
const PLAN_TIMEOUT_MS = 60_000;

/**
 * How long a request arriving while the API warms up is held before it runs anyway. The warm-up plans 238
 * statements; on the 2-core machine at a load average of 13-18 (other engineers' test runs) planning them
 * one after the other took 112 s, recommendationGaps alone 39 s (README, Figures: traffic arriving cold).
 */
export const STARTING_HOLD_MS = 120_000;

/** Whether a driver (or already mapped) error means Neo4j cannot be reached or cannot serve now. */
function isUnavailable(error: unknown): boolean {
  if (error instanceof GraphQLError) return error.extensions.code === 'SERVICE_UNAVAILABLE';
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && UNAVAILABLE_CODES.has(code);
}

/**
 * Map a driver error to a GraphQL error with a code; anything unexpected is returned as it is (and masked
 * later). `catchingUp`: the database was warming up or recovering when the statement timed out.
 */
export function toGraphQLError(error: unknown, queryName: string, catchingUp = false): unknown {
  if (error instanceof GraphQLError) return error;
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) {
    return serviceUnavailable(code, error instanceof Error ? error : undefined);
  }
  if (typeof code === 'string' && TIMEOUT_CODES.has(code)) {
    return queryTimeout(queryName, error instanceof Error ? error : undefined, catchingUp);
  }
  return error;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && code !== '' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
