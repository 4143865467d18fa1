// The expect of @jest/globals, not the global one: @types/jest types asymmetric matchers (expect.any,
// expect.stringContaining …) as `any`, @jest/globals as AsymmetricMatcher.
import { expect } from '@jest/globals';
import { buildSchema, type GraphQLError, parse, specifiedRules, validate } from 'graphql';
import { enforceCostLimit, limitRules, LIMITS, ROOT_FIELD_ROUND_TRIPS } from '../../src/limits';
import { loadTypeDefs } from '../../src/schema';

/** The request-shape limits, checked against the real schema without a server or a database. */
const schema = buildSchema(loadTypeDefs().join('\n'));

function refusals(query: string): GraphQLError[] {
  return [...validate(schema, parse(query), [...specifiedRules, ...limitRules])];
}

function cost(query: string, variables: Record<string, unknown> = {}): number {
  return enforceCostLimit(schema, parse(query), variables);
}

const aliased = (count: number, field: string) =>
  `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

describe('a hostile query shape is refused before it runs', () => {
  it('refuses more aliases than LIMITS.maxAliases, naming the limit, and lets the limit itself through', () => {
    const within = `{ treaty(id: "CRC") { ${Array.from({ length: LIMITS.maxAliases }, (_, i) => `t${i}: title`).join(' ')} } }`;
    expect(refusals(within)).toEqual([]);
    const over = `{ treaty(id: "CRC") { ${Array.from({ length: LIMITS.maxAliases + 1 }, (_, i) => `t${i}: title`).join(' ')} } }`;
    const [error, ...others] = refusals(over);
    expect(others).toEqual([]);
    expect(error?.message).toBe(`Aliases limit of ${LIMITS.maxAliases} exceeded, found ${LIMITS.maxAliases + 1}.`);
    expect(error?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: LIMITS.maxAliases });
  });

  it('refuses more root fields than LIMITS.maxRootFields, counting fields spread from fragments', () => {
    expect(refusals(aliased(LIMITS.maxRootFields, 'about { nodeCount }'))).toEqual([]);
    const overByFragment = `
      { ...Counts ${Array.from({ length: LIMITS.maxRootFields - 1 }, (_, i) => `a${i}: about { nodeCount }`).join(' ')} }
      fragment Counts on Query { x: about { nodeCount } y: about { corpusVersion } }`;
    const messages = refusals(overByFragment).map((error) => error.message);
    expect(messages).toEqual([
      `Root field limit of ${LIMITS.maxRootFields} exceeded, found ${LIMITS.maxRootFields + 1}.`,
    ]);
  });

  it('refuses more directives than LIMITS.maxDirectives', () => {
    const directives = Array.from({ length: LIMITS.maxDirectives + 1 }, () => '@include(if: true)').join(' ');
    const messages = refusals(`{ about ${directives} { nodeCount } }`).map((error) => error.message);
    expect(messages).toContain(
      `Directives limit of ${LIMITS.maxDirectives} exceeded, found ${LIMITS.maxDirectives + 1}.`,
    );
  });

  it('stops parsing a document longer than LIMITS.maxTokens tokens', () => {
    const tokens = (query: string) => () => parse(query, { maxTokens: LIMITS.maxTokens });
    // 500 aliased searches: 11 tokens each.
    expect(tokens(aliased(500, 'search(text: "child") { __typename }'))).toThrow(
      /Document contains more th[ae]t? 3000 tokens/,
    );
  });
});

describe('the cost of a query counts the database round trips of its root fields', () => {
  it('prices a root look-up at one round trip and a search at one', () => {
    expect(cost('{ treaty(id: "CRC") { id } }')).toBe(LIMITS.roundTripCost + 2);
    // search(first: 20 by default) { __typename }: its one statement (page and count together), plus 1 + 20 × 1.
    expect(cost('{ search(text: "child") { __typename } }')).toBe(LIMITS.roundTripCost + 1 + 20 * 1);
  });

  it('prices the analysis queries by their measured weight', () => {
    expect(cost('{ treatyCoverage(treaty: "CRC", state: "KAZ") { summary { articleCount } } }')).toBe(
      ROOT_FIELD_ROUND_TRIPS.treatyCoverage! * LIMITS.roundTripCost + 3,
    );
  });

  it('prices the follow-up board like the gap analysis, times its page size', () => {
    expect(cost('{ followUp(state: "KAZ", first: 10) { totalCount } }')).toBe(
      ROOT_FIELD_ROUND_TRIPS.followUp! * LIMITS.roundTripCost + 1 + 10 * 1,
    );
  });

  it('lets through as many aliased searches as the cost limit pays for, and refuses one more before any runs', () => {
    const search = 'search(text: "child", first: 100) { totalCount edges { node { score excerpt } } }';
    const each = cost(`{ ${search} }`);
    const affordable = Math.floor(LIMITS.maxCost / each);
    expect(affordable).toBeLessThan(LIMITS.maxRootFields);
    expect(refusals(aliased(affordable + 1, search))).toEqual([]);
    expect(cost(aliased(affordable, search))).toBe(affordable * each);
    expect(() => cost(aliased(affordable + 1, search))).toThrow(
      expect.objectContaining({
        extensions: expect.objectContaining({ code: 'QUERY_TOO_COSTLY', limit: LIMITS.maxCost }),
      }),
    );
  });

  it('gives the same answers for a document asked again (its costs are kept), variable by variable', () => {
    const document = parse(
      'query($first: Int) { recommendations(first: $first) { totalCount edges { node { id } } } }',
    );
    const costOf = (first: number) => enforceCostLimit(schema, document, { first });
    const ten = costOf(10);
    const hundred = costOf(100);
    expect(hundred).toBeGreaterThan(ten);
    expect([costOf(10), costOf(100), costOf(10)]).toEqual([ten, hundred, ten]);
    // A refusal is not kept as an answer: asked again, it is refused again.
    for (let i = 0; i < 2; i += 1) expect(() => costOf(500)).toThrow(/got 500/);
    const search = 'search(text: "child", first: 100) { totalCount edges { node { score excerpt } } }';
    const over = parse(aliased(Math.floor(LIMITS.maxCost / cost(`{ ${search} }`)) + 1, search));
    for (let i = 0; i < 2; i += 1)
      expect(() => enforceCostLimit(schema, over, {})).toThrow(
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'QUERY_TOO_COSTLY' }) }),
      );
  });

  it('refuses a page size or an id list over its cap before the query runs, naming the argument', () => {
    expect(() => cost('{ recommendations(first: 101) { edges { node { id } } } }')).toThrow(
      'recommendations(first:) must be between 0 and 100 (got 101); page through larger results with `after`.',
    );
    expect(() => cost('query($first: Int) { recommendations(first: $first) { totalCount } }', { first: 500 })).toThrow(
      /got 500/,
    );
    const ids = Array.from({ length: LIMITS.maxIds + 1 }, (_, i) => `"x:${i}"`).join(', ');
    expect(() => cost(`{ nodes(ids: [${ids}]) { id } }`)).toThrow(
      `nodes(ids:) holds ${LIMITS.maxIds + 1} ids; the limit is ${LIMITS.maxIds}.`,
    );
  });

  it('answers a variable of the wrong type with BAD_USER_INPUT (the code Apollo gives it), not an unexpected error', () => {
    const query = 'query Q($s: GapStrictness) { recommendationGaps(state: "KAZ", strictness: $s) { testedCount } }';
    let thrown: unknown;
    try {
      cost(query, { s: 'SOMETIMES' });
    } catch (error) {
      thrown = error;
    }
    expect((thrown as GraphQLError | undefined)?.message).toBe(
      'Variable "$s" got invalid value "SOMETIMES"; Value "SOMETIMES" does not exist in "GapStrictness" enum.',
    );
    expect((thrown as GraphQLError).extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('never prices introspection as database work', () => {
    expect(cost('{ __schema { queryType { name } } }')).toBeLessThan(LIMITS.roundTripCost);
  });
});
