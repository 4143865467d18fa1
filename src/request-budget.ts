import { GraphQLError } from 'graphql';

/**
 * The database time one request may use across all its Cypher transactions. Time is counted while a
 * transaction is in flight, so concurrent transactions (root fields resolve in parallel) each draw on it;
 * every new transaction gets at most what is left as its timeout, and none starts once it is spent.
 */
export class DatabaseBudget {
  private spentMs = 0;
  private readonly inFlight = new Set<{ started: number }>();

  constructor(
    readonly budgetMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** What is left of the budget now, in ms (never negative). */
  remainingMs(): number {
    const at = this.now();
    let used = this.spentMs;
    for (const transaction of this.inFlight) used += at - transaction.started;
    return Math.max(0, this.budgetMs - used);
  }

  /**
   * Starts accounting for one transaction: returns its timeout (at most `timeoutMs`, at most what is left)
   * and a function to call when it ends. Throws QUERY_TIMEOUT when nothing is left.
   */
  begin(queryName: string, timeoutMs: number): { timeoutMs: number; limitedByBudget: boolean; end(): void } {
    const remaining = Math.floor(this.remainingMs());
    if (remaining < 1) throw budgetSpent(this.budgetMs, queryName);
    const transaction = { started: this.now() };
    this.inFlight.add(transaction);
    return {
      timeoutMs: Math.min(timeoutMs, remaining),
      limitedByBudget: remaining < timeoutMs,
      end: () => {
        if (!this.inFlight.delete(transaction)) return;
        this.spentMs += this.now() - transaction.started;
      },
    };
  }
}

/** The error of a read refused (or cut short) because the request's database time is spent. */
export function budgetSpent(budgetMs: number, queryName: string): GraphQLError {
  return new GraphQLError(
    `The request used up its database time budget of ${budgetMs} ms (at ${queryName}); ask for less in one request.`,
    { extensions: { code: 'QUERY_TIMEOUT', limit: budgetMs, http: { status: 504 } } },
  );
}
