import { GraphQLError } from 'graphql';

/**
 * Every error code the API sends in `extensions.code`, with the HTTP status it carries and whether it
 * reaches the client as it is. Apollo Server's own codes first, then the API's. The masking allowlist
 * (`isClientCode`) is derived from this table, so a code cannot be added without deciding whether a
 * client may see it.
 */
export const ERROR_CODES = {
  // Apollo Server's codes.
  GRAPHQL_PARSE_FAILED: { status: 400, exposed: true },
  GRAPHQL_VALIDATION_FAILED: { status: 400, exposed: true },
  BAD_USER_INPUT: { status: 400, exposed: true },
  BAD_REQUEST: { status: 400, exposed: true },
  PERSISTED_QUERY_NOT_FOUND: { status: 200, exposed: true },
  PERSISTED_QUERY_NOT_SUPPORTED: { status: 200, exposed: true },
  OPERATION_RESOLUTION_FAILURE: { status: 400, exposed: true },
  /** Anything unexpected: logged in full, masked for the client (with the request id). */
  INTERNAL_SERVER_ERROR: { status: 500, exposed: false },
  // The API's codes.
  NOT_FOUND: { status: 404, exposed: true },
  SERVICE_UNAVAILABLE: { status: 503, exposed: true },
  QUERY_TIMEOUT: { status: 504, exposed: true },
  QUERY_TOO_COSTLY: { status: 400, exposed: true },
  // For the writes and identity of the next issues.
  UNAUTHENTICATED: { status: 401, exposed: true },
  FORBIDDEN: { status: 403, exposed: true },
  CONFLICT: { status: 409, exposed: true },
} as const satisfies Record<string, { status: number; exposed: boolean }>;

export type ErrorCode = keyof typeof ERROR_CODES;

const CLIENT_CODES: ReadonlySet<string> = new Set(
  Object.entries(ERROR_CODES)
    .filter(([, entry]) => entry.exposed)
    .map(([code]) => code),
);

/** Whether an error with this code reaches the client as it is (anything else is masked). */
export function isClientCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && CLIENT_CODES.has(code);
}

/** A GraphQL error with its code and the code's HTTP status, plus any details a client can act on. */
export function apiError(
  code: ErrorCode,
  message: string,
  details: Record<string, unknown> = {},
  originalError?: Error,
): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code, ...details, http: { status: ERROR_CODES[code].status } },
    ...(originalError ? { originalError } : {}),
  });
}

/** A bad argument, named as `field(argument:)`. */
export function badUserInput(message: string, argument: string, details: Record<string, unknown> = {}): GraphQLError {
  return apiError('BAD_USER_INPUT', message, { argument, ...details });
}

/** An analysis asked about an entity that does not exist. */
export function notFound(what: string, id: string, argument: string): GraphQLError {
  return apiError('NOT_FOUND', `No ${what} with id ${JSON.stringify(id)} (argument ${argument}).`, { argument });
}

export function serviceUnavailable(cause: string, originalError?: Error): GraphQLError {
  return apiError('SERVICE_UNAVAILABLE', 'The graph database is unavailable right now; try again shortly.', { cause }, originalError);
}

export function queryTimeout(queryName: string, originalError?: Error): GraphQLError {
  return apiError(
    'QUERY_TIMEOUT',
    `The query took longer than the per-query time limit (${queryName}); narrow it or ask for fewer items.`,
    {},
    originalError,
  );
}

/**
 * The graph holds something the API's model does not allow (a row that fails its decoder, a required link
 * that is missing). Unexpected: masked for the client, logged in full.
 */
export class GraphDataError extends Error {
  override readonly name = 'GraphDataError';
}
