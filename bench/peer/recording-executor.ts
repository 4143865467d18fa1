import { performance } from 'node:perf_hooks';
import type { QueryResult, RecordShape } from 'neo4j-driver';
import { Executor } from '../../src/db/executor';

/** One statement the project ran: its text and parameters as the Executor sent them, and when it ran. */
export interface RecordedStatement {
  cypher: string;
  params: Record<string, unknown>;
  started: number;
  ended: number;
}

/**
 * The project's Executor, recording every statement it runs (text, parameters, start and end), in order:
 * bench:peer replays them straight through the driver (the ceiling), bench/browse-profile.ts PROFILEs them.
 */
export class RecordingExecutor extends Executor {
  recorded: RecordedStatement[] = [];
  override async run<R extends RecordShape>(
    queryName: string,
    cypher: string,
    params: Record<string, unknown>,
    requestId: string,
  ): Promise<QueryResult<R>> {
    const statement: RecordedStatement = { cypher, params, started: performance.now(), ended: NaN };
    this.recorded.push(statement);
    try {
      return await super.run<R>(queryName, cypher, params, requestId);
    } finally {
      statement.ended = performance.now();
    }
  }
}
