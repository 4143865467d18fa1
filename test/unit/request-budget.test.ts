import { GraphQLError } from 'graphql';
import { DatabaseBudget } from '../../src/request-budget';

/** A clock the test moves by hand. */
function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("a request's database time budget", () => {
  it('gives each transaction the per-query timeout while more is left, and what is left once less is', () => {
    const time = clock();
    const budget = new DatabaseBudget(1_000, time.now);
    expect(budget.begin('a', 400)).toEqual({ timeoutMs: 400, limitedByBudget: false });
    time.advance(650);
    expect(budget.remainingMs()).toBe(350);
    expect(budget.begin('b', 400)).toEqual({ timeoutMs: 350, limitedByBudget: true });
  });

  it('runs from the first transaction, not from the request: time spent before any Cypher is not counted', () => {
    const time = clock();
    const budget = new DatabaseBudget(1_000, time.now);
    time.advance(5_000);
    expect(budget.remainingMs()).toBe(1_000);
    expect(budget.begin('first', 10_000)).toEqual({ timeoutMs: 1_000, limitedByBudget: true });
  });

  it('counts transactions side by side once: a deadline, not a sum of their times', () => {
    const time = clock();
    const budget = new DatabaseBudget(1_000, time.now);
    budget.begin('a', 10_000);
    budget.begin('b', 10_000);
    time.advance(300);
    expect(budget.remainingMs()).toBe(700);
  });

  it('refuses a transaction once the budget is spent, with QUERY_TIMEOUT naming the budget', () => {
    const time = clock();
    const budget = new DatabaseBudget(500, time.now);
    budget.begin('slow', 10_000);
    time.advance(600);
    let refusal: unknown;
    try {
      budget.begin('next', 10_000);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(GraphQLError);
    expect((refusal as GraphQLError).extensions).toMatchObject({ code: 'QUERY_TIMEOUT', limit: 500 });
    expect((refusal as GraphQLError).message).toBe(
      'The request used up its database time budget of 500 ms (at next); ask for less in one request.',
    );
  });
});
