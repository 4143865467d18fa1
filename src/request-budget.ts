import type { GraphQLError } from 'graphql';
import { limitRefusal } from './errors';

/**
 * The database time of one request: all its Cypher transactions must end within `budgetMs` of the first
 * one's start. Each new transaction gets at most what is left as its timeout (Neo4j ends it there), and
 * none starts once nothing is left.
 *
 * A deadline, not a sum of the transactions' times: root fields and batched loaders run transactions side
 * by side, and on a busy machine their times in flight add up to many times the wall-clock time without
 * the request asking for more; a sum would refuse ordinary requests under load. How many transactions
 * can run side by side is bounded by the cost limit (LIMITS.maxCost and roundTripCost).
 */
export class DatabaseBudget {
  private startedAt: number | undefined;

  constructor(
    readonly budgetMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** What is left of the budget now, in ms (never negative; all of it before the first transaction). */
  remainingMs(): number {
    if (this.startedAt === undefined) return this.budgetMs;
    return Math.max(0, this.budgetMs - (this.now() - this.startedAt));
  }

  /**
   * Starts one transaction: returns its timeout (at most `timeoutMs`, at most what is left) and whether the
   * budget, not `timeoutMs`, set it. Throws QUERY_TIMEOUT when nothing is left.
   */
  begin(queryName: string, timeoutMs: number): { timeoutMs: number; limitedByBudget: boolean } {
    const remaining = Math.floor(this.remainingMs());
    if (remaining < 1) throw budgetSpent(this.budgetMs, queryName);
    this.startedAt ??= this.now();
    return { timeoutMs: Math.min(timeoutMs, remaining), limitedByBudget: remaining < timeoutMs };
  }
}

/** The error of a read refused (or cut short) because the request's database time is spent. */
export function budgetSpent(budgetMs: number, queryName: string): GraphQLError {
  return limitRefusal(
    'QUERY_TIMEOUT',
    `The request used up its database time budget of ${budgetMs} ms (at ${queryName}); ask for less in one request.`,
    budgetMs,
  );
}
