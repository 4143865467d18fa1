import { GraphQLError } from 'graphql';
import { DatabaseBudget } from '../../src/request-budget';

/** A clock the test moves by hand. */
function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("a request's database time budget", () => {
  it('gives each transaction the per-query timeout while the budget is larger, and what is left once it is not', () => {
    const time = clock();
    const budget = new DatabaseBudget(1_000, time.now);
    const first = budget.begin('a', 400);
    expect(first).toMatchObject({ timeoutMs: 400, limitedByBudget: false });
    time.advance(300);
    first.end();
    const second = budget.begin('b', 400);
    time.advance(350);
    second.end();
    expect(budget.remainingMs()).toBe(350);
    expect(budget.begin('c', 400)).toMatchObject({ timeoutMs: 350, limitedByBudget: true });
  });

  it('counts transactions in flight at the same time each against the budget', () => {
    const time = clock();
    const budget = new DatabaseBudget(1_000, time.now);
    budget.begin('a', 10_000);
    budget.begin('b', 10_000);
    time.advance(300);
    expect(budget.remainingMs()).toBe(400);
  });

  it('refuses a transaction once the budget is spent, with QUERY_TIMEOUT naming the budget', () => {
    const time = clock();
    const budget = new DatabaseBudget(500, time.now);
    const only = budget.begin('slow', 10_000);
    time.advance(600);
    only.end();
    let refusal: unknown;
    try {
      budget.begin('next', 10_000);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(GraphQLError);
    expect((refusal as GraphQLError).extensions).toMatchObject({ code: 'QUERY_TIMEOUT', limit: 500 });
    expect((refusal as GraphQLError).message).toBe('The request used up its database time budget of 500 ms (at next); ask for less in one request.');
  });

  it('counts a transaction once even if it is ended twice', () => {
    const time = clock();
    const budget = new DatabaseBudget(1_000, time.now);
    const transaction = budget.begin('a', 10_000);
    time.advance(100);
    transaction.end();
    time.advance(100);
    transaction.end();
    expect(budget.remainingMs()).toBe(900);
  });
});
