/**
 * Warming the database before the API serves (issue 9): a cold Neo4j plans each statement on its first
 * run, and twenty identical requests arriving at once each paid for a plan of the same large statement
 * (recommendationGaps timed out for all of them). So:
 *
 * - after the corpus is loaded, a checkpoint (a crash soon after the first load then replays nothing) and
 *   a wait for every index to be online (`checkpointAndAwaitIndexes`, called by seed/loader.ts);
 * - before the API reports ready, and again after the embedded Neo4j comes back from a restart, a wait for
 *   the indexes and one plan (EXPLAIN) of every named statement of the repositories (`warmUp`, over the
 *   registry of src/modules/statements.ts), through the executor's plan cache of its own, so that
 *   statements built per request are still planned once for all concurrent identical requests.
 */
import neo4j, { type Driver } from 'neo4j-driver';
import type { Executor } from './executor';
import type { Logger } from '../logger';

/** A statement to plan: its name, its text, and parameters of the types the API sends. */
export interface WarmStatement {
  name: string;
  cypher: string;
  params: Record<string, unknown>;
}

/** How long to wait for indexes to come online (a rebuild after a crash on a loaded machine included). */
const AWAIT_INDEXES_SECONDS = 600;
/** Plans in flight at once: the machine this runs on may have two cores. */
const PLAN_CONCURRENCY = 2;

async function runSystemStatement(driver: Driver, database: string | undefined, cypher: string, name: string) {
  const session = driver.session({ database, defaultAccessMode: neo4j.session.WRITE });
  try {
    await session.run(cypher, {}, { metadata: { app: 'child-rights-graph', query: name } });
  } finally {
    await session.close();
  }
}

/** Waits until every index is ONLINE (throws if one failed or the wait ran out). */
export function awaitIndexes(driver: Driver, database: string | undefined): Promise<void> {
  return runSystemStatement(driver, database, `CALL db.awaitIndexes(${AWAIT_INDEXES_SECONDS})`, 'awaitIndexes');
}

/**
 * After a load: flush it to the store files (Neo4j checkpoints every 15 minutes by default, and a crash
 * before then replays every transaction of the load and rebuilds every index), then wait for the indexes.
 * `CALL db.checkpoint()` is an Enterprise procedure: on Community (the embedded Neo4j) it is not registered,
 * and the embedded Neo4j's own setting (db.checkpoint.interval.time=30s, tools/local-neo4j) stands in.
 */
export async function checkpointAndAwaitIndexes(
  driver: Driver,
  database: string | undefined,
  log: (line: string) => void = () => undefined,
): Promise<void> {
  const started = Date.now();
  try {
    await runSystemStatement(driver, database, 'CALL db.checkpoint()', 'checkpoint');
    log(`checkpoint done in ${Date.now() - started} ms`);
  } catch (error) {
    if (!isProcedureMissing(error)) throw error;
    log('this Neo4j has no db.checkpoint() (Community): the load is flushed at its next scheduled checkpoint');
  }
  const indexesFrom = Date.now();
  await awaitIndexes(driver, database);
  log(`every index online after ${Date.now() - indexesFrom} ms`);
}

/** Neo4j refused the statement itself (syntax, semantics, a missing parameter): Neo.ClientError.Statement.*. */
function isStatementError(error: unknown): boolean {
  const { code } = error as { code?: unknown };
  return typeof code === 'string' && code.startsWith('Neo.ClientError.Statement.');
}

/** Neo.ClientError.Procedure.ProcedureNotFound (GQL 42N08): the edition does not have the procedure. */
function isProcedureMissing(error: unknown): boolean {
  const { code, gqlStatus } = error as { code?: unknown; gqlStatus?: unknown };
  return code === 'Neo.ClientError.Procedure.ProcedureNotFound' || gqlStatus === '42N08';
}

export interface WarmUpReport {
  statements: number;
  indexesMs: number;
  planMs: number;
}

/**
 * Waits for the indexes, then plans every statement once (through the executor, so the plans it records
 * are the ones requests wait on). Throws, naming them, if Neo4j refuses any statement; a planning that fails
 * otherwise (out of time, terminated: a busy machine) is logged and left to the statement's first use.
 */
export async function warmUp(
  executor: Executor,
  database: string | undefined,
  statements: readonly WarmStatement[],
  logger: Logger,
): Promise<WarmUpReport> {
  const started = Date.now();
  await awaitIndexes(executor.driver, database);
  const indexesMs = Date.now() - started;
  const planStarted = Date.now();
  const failures: string[] = [];
  const timedOut: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < statements.length) {
      const statement = statements[next]!;
      next += 1;
      await executor.plan(statement.name, statement.cypher, statement.params, 'warm-up').catch((error: unknown) => {
        // Only a statement Neo4j refuses (a Neo.ClientError.Statement.* error) stops the start: anything else
        // (a planning over its time limit, a terminated transaction) says the machine is busy, not that the
        // statement is wrong, and the statement is planned on its first use (the executor forgot the failed
        // planning). bench:kill and the embedded test saw `npm start` fail here, treatyCoverage's planning
        // terminated after its 60 s at a load average of 25-35.
        const message = `${statement.name}: ${error instanceof Error ? error.message : String(error)}`;
        if (isStatementError(error)) failures.push(message);
        else timedOut.push(message);
      });
    }
  };
  await Promise.all(Array.from({ length: PLAN_CONCURRENCY }, worker));
  if (failures.length > 0)
    throw new Error(`Could not plan ${failures.length} of ${statements.length} statements: ${failures.join('; ')}`);
  if (timedOut.length > 0)
    logger.warn('could not plan these statements now (a busy machine); each is planned on its first use instead', {
      component: 'warm-up',
      statements: timedOut,
    });
  const report = { statements: statements.length, indexesMs, planMs: Date.now() - planStarted };
  logger.info('database warm: indexes online, every named statement planned', { component: 'warm-up', ...report });
  return report;
}
