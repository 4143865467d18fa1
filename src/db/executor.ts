import neo4j, { type Driver, type QueryResult, type RecordShape } from 'neo4j-driver';
import { GraphQLError } from 'graphql';
import { queryTimeout, serviceUnavailable } from '../errors';
import type { Logger } from '../logger';
import { LIMITS } from '../limits';
import { DatabaseBudget, budgetSpent } from '../request-budget';
import { logStatement } from './query-log';

/**
 * The one place that runs Cypher for the API: sessions, managed read transactions (which retry
 * transient failures), a per-transaction timeout, transaction metadata naming the query and the
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
    const session = this.driver.session({ database: this.options.database, defaultAccessMode: neo4j.session.READ });
    const startedAt = performance.now();
    let rows: number | undefined;
    try {
      const result = await session.executeRead((tx) => tx.run<R>(cypher, params), {
        timeout: timeoutMs,
        metadata: { app: 'child-rights-graph', query: queryName, requestId },
      });
      rows = result.records.length;
      return result;
    } catch (error) {
      throw toGraphQLError(error, queryName);
    } finally {
      logStatement(this.options.logger, { queryName, requestId, params, startedAt, rows });
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

/** Map a driver error to a GraphQL error with a code; anything unexpected is returned as it is (and masked later). */
export function toGraphQLError(error: unknown, queryName: string): unknown {
  if (error instanceof GraphQLError) return error;
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) {
    return serviceUnavailable(code, error instanceof Error ? error : undefined);
  }
  if (typeof code === 'string' && TIMEOUT_CODES.has(code)) {
    return queryTimeout(queryName, error instanceof Error ? error : undefined);
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
