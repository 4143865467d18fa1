import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import { isRequestErrorCode } from './errors';
import { isTokenLimitError } from './limits';

export const APPLICATION_JSON = 'application/json';
export const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';
const CANDIDATES = [APPLICATION_JSON, GRAPHQL_RESPONSE_JSON] as const;
export type ResponseMediaType = (typeof CANDIDATES)[number];

/**
 * The media type of a GraphQL response for an `Accept` header, chosen as Apollo Server chooses it (highest
 * quality, then the most specific range, then the client's order, then application/json): no header or
 * `*∕*` gives application/json. Null when neither is acceptable (Apollo then answers 406).
 */
export function responseMediaType(accept: string | null | undefined): ResponseMediaType | null {
  if (!accept || accept.trim() === '') return APPLICATION_JSON;
  const ranges = accept.split(',').map((part, index) => {
    const [range = '', ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    const q = params.map((param) => /^q=([\d.]+)$/.exec(param)).find(Boolean);
    return { range, q: q ? Number(q[1]) : 1, index };
  });
  let best: { type: ResponseMediaType; q: number; specificity: number; index: number; order: number } | null = null;
  CANDIDATES.forEach((type, order) => {
    const [major] = type.split('/');
    const matches = ranges
      .map((entry) => ({
        ...entry,
        specificity: entry.range === type ? 2 : entry.range === `${major}/*` ? 1 : entry.range === '*/*' ? 0 : -1,
      }))
      .filter((entry) => entry.specificity >= 0)
      .sort((a, b) => b.specificity - a.specificity);
    const match = matches[0];
    if (!match || !(match.q > 0)) return;
    const candidate = { type, q: match.q, specificity: match.specificity, index: match.index, order };
    if (
      !best ||
      candidate.q > best.q ||
      (candidate.q === best.q && candidate.specificity > best.specificity) ||
      (candidate.q === best.q && candidate.specificity === best.specificity && candidate.index < best.index)
    ) {
      best = candidate;
    }
  });
  return (best as { type: ResponseMediaType } | null)?.type ?? null;
}

/** A refusal by one of the API's protective limits (LIMITS): it carries the limit, or is the token limit's parse error. */
export function isLimitRefusal(error: GraphQLError): boolean {
  if (typeof error.extensions?.limit === 'number') return true;
  return error.extensions?.code === 'GRAPHQL_PARSE_FAILED' && isTokenLimitError(error.message);
}

/**
 * The HTTP status of a GraphQL response, by the GraphQL-over-HTTP specification:
 * - a response that carries `data` (even `null`: the operation ran) is 200, whatever its errors say; the
 *   errors' codes stay in `extensions.code`;
 * - a request the API's protective limits refuse (nothing ran) is 400 with either media type;
 * - a parse, validation, operation or variable error (nothing ran) is 200 with application/json, as the
 *   specification asks of that media type, and keeps its 4xx (400, or the error's own) with
 *   application/graphql-response+json;
 * - anything else that stopped the request before it ran keeps the status it carries (500 when none).
 */
export function responseStatus(
  hasData: boolean,
  errors: readonly GraphQLError[],
  mediaType: ResponseMediaType | null,
  current: number | undefined,
): number {
  if (hasData) return 200;
  if (errors.some(isLimitRefusal)) return 400;
  if (mediaType === APPLICATION_JSON && errors.length > 0 && errors.every(isDocumentError)) return 200;
  return current && current >= 400 ? current : 400;
}

/**
 * Errors the specification calls request errors of a well-formed request: the document, the operation or
 * the variables (the `requestError` column of ERROR_CODES in src/errors.ts).
 */
function isDocumentError(error: GraphQLError): boolean {
  return isRequestErrorCode(error.extensions?.code);
}

/** Sets the response's media type and HTTP status as `responseStatus` says. */
export function httpStatusPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ request, response, errors }) {
          if (response.body.kind !== 'single') return;
          const mediaType = responseMediaType(request.http?.headers.get('accept'));
          // Fixed here so that the status and the media type are decided together (Apollo would choose the
          // same type after this hook); left unset when neither is acceptable, so Apollo answers 406.
          if (mediaType) response.http.headers.set('content-type', `${mediaType}; charset=utf-8`);
          response.http.status = responseStatus(
            response.body.singleResult.data !== undefined,
            errors ?? [],
            mediaType,
            response.http.status,
          );
        },
      };
    },
  };
}
