import {
  GraphQLError,
  Kind,
  getNamedType,
  isListType,
  getNullableType,
  type ASTVisitor,
  type DocumentNode,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { badUserInput, limitRefusal, type ErrorCode } from './errors';

/**
 * Every cap the API applies, in one table (the README's "Limits" table lists them). A request over one of
 * the request-shape limits (tokens to maxCost) is refused before any Cypher runs, with HTTP 400, an
 * `extensions.code`, `extensions.limit` and the limit in the message.
 */
export const LIMITS = {
  /** Largest request body, in bytes. */
  maxBodyBytes: 1_048_576,
  /** Most lexical tokens in one GraphQL document (checked while parsing, so a huge document is not parsed). */
  maxTokens: 3_000,
  /** Most aliases in one operation (fragments counted where they are spread; `__typename` is free). */
  maxAliases: 30,
  /** Most fields selected at the root of one operation (fragments counted where they are spread). */
  maxRootFields: 20,
  /** Most directives in one operation. */
  maxDirectives: 50,
  /** Deepest selection a query may make (fields nested in fields). */
  maxDepth: 12,
  /**
   * Highest estimated cost of a query: every field costs 1, multiplied by the page sizes above it, and every
   * root field adds the database round trips it makes itself, at `roundTripCost` each.
   */
  maxCost: 50_000,
  /**
   * Cost of one Cypher round trip made by a root field (see ROOT_FIELD_ROUND_TRIPS): with maxCost, at most 25
   * round trips of root fields in one request (19 searches of a full page, 5 coverage matrices).
   */
  roundTripCost: 2_000,
  /** Assumed size of a plain (unpaginated) list field when estimating cost. */
  assumedListSize: 5,
  /** Most items one page of a connection may hold (`first`). */
  maxPageSize: 100,
  /** Most ids `nodes(ids:)` takes at once. */
  maxIds: 100,
  /**
   * Most items an unpaginated list of a whole vocabulary returns (`Treaty.actions`, `State.treatyActions`,
   * `themes`): far above what exists (a treaty's actions are a handful per state), a backstop, not a page.
   */
  maxUnpagedList: 1_000,
  /** Longest search text accepted, in characters. */
  maxSearchLength: 200,
  /** Most words of a search text used in the query (later words are ignored). */
  maxSearchTerms: 16,
  /** Longest reiteration chain followed (`reiterationChain`, `reiteratedRecommendations(minLength:)`). */
  maxChainLength: 12,
  /** Most relationships `path` may follow (`path(maxHops:)`). */
  maxPathHops: 6,
  /**
   * Database time of one request, in ms: all its Cypher transactions must end within this time of the first
   * one's start (src/request-budget.ts). Each transaction's timeout is the smaller of QUERY_TIMEOUT_MS and
   * what is left; once nothing is left, the request's further reads fail with QUERY_TIMEOUT without
   * reaching Neo4j.
   */
  requestDatabaseBudgetMs: 15_000,
  /**
   * Failed authentications (a bad, unknown or revoked token or JWT) one client address may make within
   * `authFailureWindowMs`; past it, requests from that address that carry credentials are refused with
   * TOO_MANY_REQUESTS (429, `Retry-After`) until the window ends, without checking the credentials (so
   * neither the database nor scrypt is asked). Requests without credentials are not affected.
   */
  authFailuresPerWindow: 10,
  /** The window of `authFailuresPerWindow`, in ms; it starts at an address's first failure. */
  authFailureWindowMs: 60_000,
  /** Most client addresses whose failures are remembered at once (the oldest are forgotten first). */
  authFailureAddresses: 10_000,
  /**
   * Verified tokens remembered, so a repeated request skips scrypt (the user is still read from the graph on
   * every request: a revoked token is refused at once, whatever this cache holds).
   */
  verifiedTokenCacheSize: 1_000,
  /** How long a verified token is remembered, in ms. */
  verifiedTokenCacheMs: 10 * 60_000,
};

/**
 * Cypher round trips a root field makes itself, before the batched look-ups of what it names. A root field
 * not listed makes one (a look-up by id); connections make two (the page and, when asked, totalCount);
 * `search` makes one (its statement ranks, pages and counts at once: src/modules/search/repository.ts). The
 * analysis queries are single statements that each do the work of many look-ups: they are weighted by their
 * p50 latency on the 100× corpus in the benchmark (README, "The analysis queries on large corpora")
 * relative to `path`'s single round trip (3.6 ms), rounded: `recommendationGaps` 30 ms, `treatyCoverage`
 * 37 ms, `implementationChain` 16 ms, `reiteratedRecommendations` 9 ms (rounded up). The follow-up board
 * (`followUp`) is one statement over every recommendation of the state and the measures answering each, the
 * shape of `recommendationGaps`'s: it is priced the same until it is measured on a quiet machine (the
 * `npm run bench:followup` figures in the README were taken under heavy load).
 */
export const ROOT_FIELD_ROUND_TRIPS: Readonly<Record<string, number>> = {
  __typename: 0,
  __schema: 0,
  __type: 0,
  search: 1,
  reiteratedRecommendations: 3,
  implementationChain: 4,
  recommendationGaps: 8,
  followUp: 8,
  treatyCoverage: 10,
};

/** The error every request-shape refusal carries: a code, the limit, and the limit named in the message. */
function refusal(
  message: string,
  limit: number,
  code: ErrorCode = 'GRAPHQL_VALIDATION_FAILED',
  extra: Record<string, unknown> = {},
): GraphQLError {
  return limitRefusal(code, message, limit, extra);
}

/** graphql-armor's rules throw by default, which would escape validation as a 500: report through the context. */
function reportTo(limit: number) {
  return (context: ValidationContext | null, error: GraphQLError) =>
    context?.reportError(refusal(error.message.replace(/^Syntax Error: /, ''), limit));
}

/**
 * Validation rule: queries nested deeper than LIMITS.maxDepth are rejected before they run, as a
 * GRAPHQL_VALIDATION_FAILED error with status 400.
 */
export const depthLimitRule = maxDepthRule({
  n: LIMITS.maxDepth,
  flattenFragments: true,
  propagateOnRejection: false,
  onReject: [reportTo(LIMITS.maxDepth)],
});

/** Validation rule: at most LIMITS.maxAliases aliases per operation (500 aliased searches are refused here). */
export const aliasLimitRule = maxAliasesRule({
  n: LIMITS.maxAliases,
  propagateOnRejection: false,
  onReject: [reportTo(LIMITS.maxAliases)],
});

/** Validation rule: at most LIMITS.maxDirectives directives per operation. */
export const directiveLimitRule = maxDirectivesRule({
  n: LIMITS.maxDirectives,
  propagateOnRejection: false,
  onReject: [reportTo(LIMITS.maxDirectives)],
});

/** Validation rule: at most LIMITS.maxRootFields fields at the root of each operation, fragments included. */
export function rootFieldLimitRule(context: ValidationContext): ASTVisitor {
  const count = (selectionSet: SelectionSetNode, seen: Set<string>): number =>
    selectionSet.selections.reduce((total, selection) => {
      if (selection.kind === Kind.FIELD) return total + 1;
      if (selection.kind === Kind.INLINE_FRAGMENT) return total + count(selection.selectionSet, seen);
      if (seen.has(selection.name.value)) return total;
      seen.add(selection.name.value);
      const fragment = context.getFragment(selection.name.value);
      return fragment ? total + count(fragment.selectionSet, seen) : total;
    }, 0);
  return {
    OperationDefinition(operation) {
      const found = count(operation.selectionSet, new Set());
      if (found > LIMITS.maxRootFields) {
        context.reportError(
          refusal(`Root field limit of ${LIMITS.maxRootFields} exceeded, found ${found}.`, LIMITS.maxRootFields),
        );
      }
    },
  };
}

export const limitRules = [depthLimitRule, aliasLimitRule, directiveLimitRule, rootFieldLimitRule];

/** graphql-js's own message when a document has more tokens than `maxTokens` (it reads "more that"). */
const TOKEN_LIMIT_MESSAGE = /Document contains more th[ae]t? \d+ tokens/;

/** Whether a parse error is the token limit's refusal rather than a syntax error in the document. */
export function isTokenLimitError(message: string): boolean {
  return TOKEN_LIMIT_MESSAGE.test(message);
}

/**
 * Cost of a field = 1 + the cost of its selection, times the number of items it may return: `first` for
 * connections (or the argument's default), `ids` for `nodes`, an assumed size for plain lists. So
 * `recommendations(first: 100) { edges { node { texts { text } } } }` costs about 100 × (1 + 5 × 2), plus
 * the root field's own round trips. Page sizes, id counts and search texts over their caps are refused
 * here, before anything runs.
 */
export const costEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const own =
    type.name === 'Query'
      ? LIMITS.roundTripCost *
        rootFieldRoundTrips(
          field.name,
          field.args.some((arg) => arg.name === 'first'),
        )
      : 0;
  const firstArg = field.args.find((arg) => arg.name === 'first');
  if (firstArg) {
    const requested = checkPageSize(
      typeof args.first === 'number' ? args.first : undefined,
      `${field.name}(first:)`,
      Number(firstArg.defaultValue ?? 1),
    );
    return own + 1 + Math.max(requested, 1) * childComplexity;
  }
  if (field.name === 'search' && typeof args.text === 'string') checkSearchLength(args.text);
  if (Array.isArray(args.ids)) {
    checkIdCount(args.ids.length, `${field.name}(ids:)`);
    return own + 1 + Math.max(args.ids.length, 1) * childComplexity;
  }
  const nullable = getNullableType(field.type);
  if (isListType(nullable) && !getNamedType(nullable).name.endsWith('Edge')) {
    return own + 1 + LIMITS.assumedListSize * childComplexity;
  }
  return own + 1 + childComplexity;
};

function rootFieldRoundTrips(name: string, paginated: boolean): number {
  return ROOT_FIELD_ROUND_TRIPS[name] ?? (paginated ? 2 : 1);
}

/** The estimated cost of an operation; throws a client error naming the limit and the excess when over it. */
/**
 * Costs already estimated, by schema and document (the parsed document Apollo's document store hands out
 * again for the same query text) and then by operation name and variables: the estimate is a function of
 * these alone, and walking the document again for every request was 4% of the CPU of a search. Only costs
 * that were estimated without an error are kept, at most COSTS_PER_DOCUMENT per document (the oldest go
 * first); a document no longer in the store takes its costs with it.
 */
const estimatedCosts = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, number>>>();
const COSTS_PER_DOCUMENT = 256;

function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
  operationName: string | undefined,
): number {
  let bySchema = estimatedCosts.get(schema);
  if (!bySchema) estimatedCosts.set(schema, (bySchema = new WeakMap()));
  let byDocument = bySchema.get(document);
  if (!byDocument) bySchema.set(document, (byDocument = new Map<string, number>()));
  const key = `${operationName ?? ''}\n${JSON.stringify(variables)}`;
  const known = byDocument.get(key);
  if (known !== undefined) return known;
  const cost = getComplexity({ schema, query: document, variables, operationName, estimators: [costEstimator] });
  if (byDocument.size >= COSTS_PER_DOCUMENT) byDocument.delete(byDocument.keys().next().value as string);
  byDocument.set(key, cost);
  return cost;
}

export function enforceCostLimit(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
  operationName?: string,
): number {
  let cost: number;
  try {
    cost = estimateCost(schema, document, variables, operationName);
  } catch (error) {
    // graphql-query-complexity coerces the variables before graphql-js's execution does: a variable of the
    // wrong type fails here first, and must be the client's BAD_USER_INPUT (Apollo's own code for it, same
    // message), not an unexpected error masked as INTERNAL_SERVER_ERROR.
    if (error instanceof GraphQLError && error.message.startsWith('Variable "$')) {
      throw new GraphQLError(error.message, {
        nodes: error.nodes,
        extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
      });
    }
    throw error;
  }
  if (cost > LIMITS.maxCost) {
    throw refusal(
      `Query cost ${cost} exceeds the limit of ${LIMITS.maxCost} by ${cost - LIMITS.maxCost}. Ask for smaller pages (first), fewer nested lists or fewer root fields (each database round trip a root field makes costs ${LIMITS.roundTripCost}).`,
      LIMITS.maxCost,
      'QUERY_TOO_COSTLY',
      { cost },
    );
  }
  return cost;
}

/** Checks a page size against the cap; returns it when valid. */
export function checkPageSize(first: number | null | undefined, argumentPath: string, fallback = 20): number {
  const value = first ?? fallback;
  if (!Number.isInteger(value) || value < 0 || value > LIMITS.maxPageSize) {
    throw badUserInput(
      `${argumentPath} must be between 0 and ${LIMITS.maxPageSize} (got ${value}); page through larger results with \`after\`.`,
      argumentPath,
      { limit: LIMITS.maxPageSize },
    );
  }
  return value;
}

/** Checks a search text against LIMITS.maxSearchLength. */
export function checkSearchLength(text: string): void {
  if (text.length > LIMITS.maxSearchLength) {
    throw badUserInput(
      `search(text:) is ${text.length} characters long; the limit is ${LIMITS.maxSearchLength}.`,
      'search(text:)',
      {
        limit: LIMITS.maxSearchLength,
      },
    );
  }
}

/** Checks the number of ids of `nodes(ids:)` against the cap. */
export function checkIdCount(count: number, argumentPath: string): void {
  if (count > LIMITS.maxIds) {
    throw badUserInput(`${argumentPath} holds ${count} ids; the limit is ${LIMITS.maxIds}.`, argumentPath, {
      limit: LIMITS.maxIds,
    });
  }
}
