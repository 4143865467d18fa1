import { GraphQLError } from 'graphql';

/**
 * Every error code the API sends in `extensions.code`, with the HTTP status it carries, whether it
 * reaches the client as it is, and whether it is a request error in the GraphQL-over-HTTP sense (the
 * document, the operation or the variables are wrong, so nothing ran: src/http-status.ts answers those
 * 200 with application/json). Apollo Server's own codes first, then the API's. The masking allowlist
 * (`isClientCode`) and the HTTP status plugin are derived from this table, so a code cannot be added
 * without deciding whether a client may see it and what status it carries.
 */
export const ERROR_CODES = {
  // Apollo Server's codes.
  GRAPHQL_PARSE_FAILED: { status: 400, exposed: true, requestError: true },
  GRAPHQL_VALIDATION_FAILED: { status: 400, exposed: true, requestError: true },
  BAD_USER_INPUT: { status: 400, exposed: true, requestError: true },
  BAD_REQUEST: { status: 400, exposed: true, requestError: false },
  PERSISTED_QUERY_NOT_FOUND: { status: 200, exposed: true, requestError: false },
  PERSISTED_QUERY_NOT_SUPPORTED: { status: 200, exposed: true, requestError: false },
  OPERATION_RESOLUTION_FAILURE: { status: 400, exposed: true, requestError: true },
  /** Anything unexpected: logged in full, masked for the client (with the request id). */
  INTERNAL_SERVER_ERROR: { status: 500, exposed: false, requestError: false },
  // The API's codes.
  NOT_FOUND: { status: 404, exposed: true, requestError: false },
  SERVICE_UNAVAILABLE: { status: 503, exposed: true, requestError: false },
  /** A transaction over its time limit, or a request over its database time budget (LIMITS.requestDatabaseBudgetMs). */
  QUERY_TIMEOUT: { status: 504, exposed: true, requestError: false },
  QUERY_TOO_COSTLY: { status: 400, exposed: true, requestError: false },
  /** The request's credentials (Authorization header) are missing where needed, malformed, unknown or revoked. */
  UNAUTHENTICATED: { status: 401, exposed: true, requestError: false },
  /** Signed in, but without the permission the operation needs (named in the message). */
  FORBIDDEN: { status: 403, exposed: true, requestError: false },
  CONFLICT: { status: 409, exposed: true, requestError: false },
  /** Too many failed authentications from one address (LIMITS.authFailures…): retry after `retryAfterSeconds`. */
  TOO_MANY_REQUESTS: { status: 429, exposed: true, requestError: false },
} as const satisfies Record<string, { status: number; exposed: boolean; requestError: boolean }>;

export type ErrorCode = keyof typeof ERROR_CODES;

const CLIENT_CODES: ReadonlySet<string> = new Set(
  Object.entries(ERROR_CODES)
    .filter(([, entry]) => entry.exposed)
    .map(([code]) => code),
);

const REQUEST_ERROR_CODES: ReadonlySet<string> = new Set(
  Object.entries(ERROR_CODES)
    .filter(([, entry]) => entry.requestError)
    .map(([code]) => code),
);

/** Whether this code is a request error: the document, the operation or the variables are wrong (nothing ran). */
export function isRequestErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && REQUEST_ERROR_CODES.has(code);
}

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

/**
 * A refusal by one of the API's protective limits (LIMITS): the code, the limit in `extensions.limit`
 * (which marks a limit refusal for the HTTP status, see src/http-status.ts) and any further details.
 */
export function limitRefusal(
  code: ErrorCode,
  message: string,
  limit: number,
  details: Record<string, unknown> = {},
): GraphQLError {
  return apiError(code, message, { limit, ...details });
}

/** An analysis asked about an entity that does not exist. */
export function notFound(what: string, id: string, argument: string): GraphQLError {
  return apiError('NOT_FOUND', `No ${what} with id ${JSON.stringify(id)} (argument ${argument}).`, { argument });
}

/**
 * The request's credentials are not accepted, or are needed and missing. HTTP 401 with `WWW-Authenticate:
 * Bearer` (RFC 6750). The message says what is wrong with the request's own credentials, never anything
 * about other users.
 */
export function unauthenticated(message: string, details: Record<string, unknown> = {}): GraphQLError {
  const challenge = details.invalidToken ? 'Bearer realm="child-rights-graph", error="invalid_token"' : BEARER;
  const rest = Object.fromEntries(Object.entries(details).filter(([key]) => key !== 'invalidToken'));
  return new GraphQLError(message, {
    extensions: {
      code: 'UNAUTHENTICATED',
      ...rest,
      http: { status: ERROR_CODES.UNAUTHENTICATED.status, headers: new Map([['www-authenticate', challenge]]) },
    },
  });
}

const BEARER = 'Bearer realm="child-rights-graph"';

/**
 * Signed in (or anonymous, for reads that need no sign-in), but the operation needs a permission the viewer
 * lacks, named in the message and in `extensions.requires`: `forbidden('EDITOR of KAZ')` says "Forbidden:
 * requires EDITOR of KAZ.". For an anonymous viewer where sign-in would help, use `unauthenticated`.
 */
export function forbidden(requirement: string, details: Record<string, unknown> = {}): GraphQLError {
  return apiError('FORBIDDEN', `Forbidden: requires ${requirement}.`, { requires: requirement, ...details });
}

/** Too many failed authentications from the request's address; says when to try again. */
export function tooManyFailedAuthentications(retryAfterSeconds: number, maxFailures: number): GraphQLError {
  return new GraphQLError(`Too many failed authentications from this address; try again in ${retryAfterSeconds} s.`, {
    extensions: {
      code: 'TOO_MANY_REQUESTS',
      retryAfterSeconds,
      maxFailures,
      http: {
        status: ERROR_CODES.TOO_MANY_REQUESTS.status,
        headers: new Map([['retry-after', String(retryAfterSeconds)]]),
      },
    },
  });
}

export function serviceUnavailable(cause: string, originalError?: Error): GraphQLError {
  return apiError(
    'SERVICE_UNAVAILABLE',
    'The graph database is unavailable right now; try again shortly.',
    { cause },
    originalError,
  );
}

/**
 * A statement over its time limit. `catchingUp`: it ran while the database was starting, recovering, or
 * running that statement for the first time since it started, so the cause is the database, not the query.
 */
export function queryTimeout(queryName: string, originalError?: Error, catchingUp = false): GraphQLError {
  return apiError(
    'QUERY_TIMEOUT',
    catchingUp
      ? `The graph database is busy catching up (starting, recovering or preparing this query, ${queryName}) and the query ran out of time; try again shortly.`
      : `The query took longer than the per-query time limit (${queryName}); narrow it or ask for fewer items.`,
    catchingUp ? { cause: 'DATABASE_CATCHING_UP' } : {},
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
