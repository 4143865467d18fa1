import type { RecordShape } from 'neo4j-driver';
import type { Neo4jStatus, Readiness } from './executor';

/**
 * What the API needs from the database, as interfaces: the Executor (executor.ts) is the real one; the
 * middle test tier passes a stub to `createServer` to run the whole server in-process with no Neo4j.
 */
export interface Database {
  /** A reader bound to one GraphQL request (its id in transaction metadata, its round trips counted). */
  forRequest(requestId: string): CypherReader;
  /** Whether the database answers now; never throws. */
  ping(): Promise<Neo4jStatus>;
  /** Whether the API is still warming up, recovering from a restart of its Neo4j, or ready (`ok` if absent). */
  readonly readiness?: Readiness;
}

/** Runs the statements of one write transaction: all of them commit together or none does. */
export interface WriteTransaction {
  run<R extends RecordShape = RecordShape>(
    queryName: string,
    cypher: string,
    params?: Record<string, unknown>,
  ): Promise<R[]>;
}

/** Runs read statements for one request. Rows are plain objects; repositories decode them. */
export interface CypherReader {
  readonly requestId: string;
  /** Cypher round trips made for this request so far (the N+1 guard's measure). */
  roundTrips: number;
  read<R extends RecordShape = RecordShape>(
    queryName: string,
    cypher: string,
    params?: Record<string, unknown>,
  ): Promise<R[]>;
  /**
   * Runs `work` in one write transaction (a managed one: a transient failure such as a deadlock runs `work`
   * again from the start) and commits when it resolves; if it throws, nothing it wrote remains. Driver
   * errors reach the caller mapped as reads' are (SERVICE_UNAVAILABLE, QUERY_TIMEOUT), never swallowed.
   */
  write<T>(name: string, work: (tx: WriteTransaction) => Promise<T>): Promise<T>;
}
