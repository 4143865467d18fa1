import { GraphQLError } from 'graphql';
import { APPLICATION_JSON, GRAPHQL_RESPONSE_JSON, responseMediaType, responseStatus } from '../../src/http-status';

const error = (code: string, extra: Record<string, unknown> = {}, message = 'x') =>
  new GraphQLError(message, { extensions: { code, ...extra } });

describe('the media type of a response follows the Accept header as Apollo Server negotiates it', () => {
  it.each([
    [undefined, APPLICATION_JSON],
    ['', APPLICATION_JSON],
    ['*/*', APPLICATION_JSON],
    ['application/json', APPLICATION_JSON],
    ['application/graphql-response+json', GRAPHQL_RESPONSE_JSON],
    ['application/graphql-response+json, application/json', GRAPHQL_RESPONSE_JSON],
    ['application/json, application/graphql-response+json', APPLICATION_JSON],
    ['application/json;q=0.9, application/graphql-response+json', GRAPHQL_RESPONSE_JSON],
    ['application/*', APPLICATION_JSON],
    ['text/html', null],
    ['application/json;q=0', null],
  ])('Accept %p gives %p', (accept, expected) => {
    expect(responseMediaType(accept)).toBe(expected);
  });
});

describe('HTTP status codes by the GraphQL-over-HTTP specification', () => {
  it('answers 200 whenever the response carries data, whatever its errors say, with either media type', () => {
    for (const mediaType of [APPLICATION_JSON, GRAPHQL_RESPONSE_JSON] as const) {
      expect(responseStatus(true, [error('NOT_FOUND', { http: { status: 404 } })], mediaType, 404)).toBe(200);
      expect(responseStatus(true, [error('SERVICE_UNAVAILABLE')], mediaType, 503)).toBe(200);
      expect(responseStatus(true, [], mediaType, undefined)).toBe(200);
    }
  });

  it('answers a refusal by a protective limit with 400 whatever the media type', () => {
    for (const mediaType of [APPLICATION_JSON, GRAPHQL_RESPONSE_JSON] as const) {
      expect(responseStatus(false, [error('QUERY_TOO_COSTLY', { limit: 50_000 })], mediaType, 400)).toBe(400);
      expect(responseStatus(false, [error('GRAPHQL_VALIDATION_FAILED', { limit: 30 })], mediaType, 400)).toBe(400);
      expect(
        responseStatus(
          false,
          [
            error(
              'GRAPHQL_PARSE_FAILED',
              {},
              'Syntax Error: Document contains more that 3000 tokens. Parsing aborted.',
            ),
          ],
          mediaType,
          400,
        ),
      ).toBe(400);
    }
  });

  it('answers a document, operation or variable error with 200 as application/json and 400 as application/graphql-response+json', () => {
    for (const code of [
      'GRAPHQL_PARSE_FAILED',
      'GRAPHQL_VALIDATION_FAILED',
      'OPERATION_RESOLUTION_FAILURE',
      'BAD_USER_INPUT',
    ]) {
      expect(responseStatus(false, [error(code)], APPLICATION_JSON, 400)).toBe(200);
      expect(responseStatus(false, [error(code)], GRAPHQL_RESPONSE_JSON, 400)).toBe(400);
    }
  });

  it('keeps the status of anything else that stopped a request before it ran', () => {
    expect(responseStatus(false, [error('INTERNAL_SERVER_ERROR')], APPLICATION_JSON, 500)).toBe(500);
    expect(responseStatus(false, [error('INTERNAL_SERVER_ERROR')], GRAPHQL_RESPONSE_JSON, 500)).toBe(500);
  });
});
