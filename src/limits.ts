import { GraphQLError, getNamedType, isListType, getNullableType, type GraphQLSchema, type DocumentNode } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';

/**
 * The API's protective limits. Each is reported to the client with the limit and the actual value when hit.
 */
export const LIMITS = {
  /** Most items one page of a connection may hold (`first`). */
  maxPageSize: 100,
  /** Deepest selection a query may make (fields nested in fields). */
  maxDepth: 12,
  /** Highest estimated cost of a query: every field costs 1, multiplied by the page sizes above it. */
  maxCost: 50_000,
  /** Assumed size of a plain (unpaginated) list field when estimating cost. */
  assumedListSize: 5,
  /** Most ids `nodes(ids:)` takes at once. */
  maxIds: 100,
};

/**
 * Validation rule: queries nested deeper than LIMITS.maxDepth are rejected before they run. The library
 * throws its error by default, which escapes validation and reaches the client as a 500; reported through
 * the validation context instead, it is a GRAPHQL_VALIDATION_FAILED error with status 400.
 */
export const depthLimitRule = maxDepthRule({
  n: LIMITS.maxDepth,
  flattenFragments: true,
  propagateOnRejection: false,
  onReject: [
    (context, error) =>
      context?.reportError(
        new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { limit: LIMITS.maxDepth } }),
      ),
  ],
});

/**
 * Cost of a field = 1 + the cost of its selection, times the number of items it may return: `first` for
 * connections (or the argument's default), an assumed size for plain lists. So `recommendations(first: 100)
 * { edges { node { texts { text } } } }` costs about 100 × (1 + 5 × 2).
 */
export const costEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  const firstArg = field.args.find((arg) => arg.name === 'first');
  if (firstArg) {
    const requested = typeof args.first === 'number' ? args.first : Number(firstArg.defaultValue ?? 1);
    return 1 + Math.max(requested, 1) * childComplexity;
  }
  const type = getNullableType(field.type);
  if (isListType(type) && !getNamedType(type).name.endsWith('Edge')) {
    return 1 + LIMITS.assumedListSize * childComplexity;
  }
  return 1 + childComplexity;
};

/** The estimated cost of an operation; throws a client error naming the limit and the excess when over it. */
export function enforceCostLimit(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, operationName?: string): number {
  const cost = getComplexity({ schema, query: document, variables, operationName, estimators: [costEstimator] });
  if (cost > LIMITS.maxCost) {
    throw new GraphQLError(
      `Query cost ${cost} exceeds the limit of ${LIMITS.maxCost} by ${cost - LIMITS.maxCost}. Ask for smaller pages (first) or fewer nested lists.`,
      { extensions: { code: 'QUERY_TOO_COSTLY', limit: LIMITS.maxCost, cost, http: { status: 400 } } },
    );
  }
  return cost;
}

/** Checks a page size against the cap; returns it when valid. */
export function checkPageSize(first: number | null | undefined, argumentPath: string, fallback = 20): number {
  const value = first ?? fallback;
  if (!Number.isInteger(value) || value < 0 || value > LIMITS.maxPageSize) {
    throw new GraphQLError(
      `${argumentPath} must be between 0 and ${LIMITS.maxPageSize} (got ${value}); page through larger results with \`after\`.`,
      { extensions: { code: 'BAD_USER_INPUT', argument: argumentPath, limit: LIMITS.maxPageSize, http: { status: 400 } } },
    );
  }
  return value;
}
