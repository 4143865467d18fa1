import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLResponse } from '@apollo/server';

/**
 * POST /graphql straight from node:http to Apollo Server, without Express: the route every GraphQL client
 * takes. Express's router, body parser and `res.send` cost more CPU per request than the rest of the HTTP
 * layer together; this handler does what they did for this one route, byte for byte (the middle test
 * test/middle/graphql-post.test.ts compares the two paths' statuses, headers and bodies).
 *
 * It takes only the plain case, a POST to exactly /graphql (a query string allowed) with a JSON body of
 * known length within the limit, sent as is (no content encoding) in UTF-8; `take` returns false for
 * anything else (GET with its ETag and 304, GraphiQL, a body too large, chunked, compressed or of another
 * type, other paths), which Express then serves as before.
 */
export interface GraphQLPostOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  /** The request's context, as for the Express path (the id, the viewer, the reader). */
  context: (req: IncomingMessage, res: ServerResponse) => Promise<TContext>;
  /** The body parser's limit (LIMITS.maxBodyBytes): a longer body goes to Express, which answers 413. */
  maxBodyBytes: number;
  /** What Express answers for a body that is not JSON (server.ts's bodyErrorHandler), status and body. */
  notJson: { status: number; body: unknown };
  /** Where a failure outside Apollo's own handling goes (Apollo answers every GraphQL error itself). */
  onError: (error: unknown, req: IncomingMessage, res: ServerResponse) => void;
}

/** `application/json`, with no parameter but `charset=utf-8`: what express.json() reads as UTF-8 JSON. */
const JSON_UTF8 = /^application\/json[ \t]*(?:;[ \t]*charset[ \t]*=[ \t]*(?:utf-8|"utf-8")[ \t]*)?$/i;

/** Returns a handler that serves the request and returns true, or returns false at once (nothing read). */
export function graphqlPostHandler<TContext extends BaseContext>(
  options: GraphQLPostOptions<TContext>,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== 'POST') return false;
    const url = req.url ?? '';
    if (url.length > 8 ? !url.startsWith('/graphql?') : url !== '/graphql') return false;
    const headers = req.headers;
    const length = headers['content-length'];
    if (length === undefined || !/^\d{1,9}$/.test(length)) return false;
    const bytes = Number(length);
    if (bytes === 0 || bytes > options.maxBodyBytes) return false;
    if (headers['transfer-encoding'] !== undefined) return false;
    const encoding = headers['content-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
    const type = headers['content-type'];
    if (type === undefined || !JSON_UTF8.test(type)) return false;
    const search = url.length > 8 ? url.slice(8) : '';
    readBody(req, bytes).then(
      (raw) => serve(options, req, res, raw, search),
      () => undefined, // the client went away before sending its body: nobody to answer
    );
    return true;
  };
}

/** The body, read whole; node:http has already held it to its content-length. */
function readBody(req: IncomingMessage, bytes: number): Promise<Buffer> {
  return new Promise((resolveBody, rejectBody) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolveBody(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, bytes)));
    req.once('error', rejectBody);
    req.once('aborted', () => rejectBody(new Error('request aborted')));
    // After 'end' this does nothing; before it, the connection closed with the body unsent.
    req.once('close', () => rejectBody(new Error('request closed before its body was read')));
  });
}

async function serve<TContext extends BaseContext>(
  options: GraphQLPostOptions<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
  raw: Buffer,
  search: string,
): Promise<void> {
  try {
    const body = parseJson(raw.toString('utf8'));
    if (body === NOT_JSON) {
      res.statusCode = options.notJson.status;
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      send(res, JSON.stringify(options.notJson.body));
      return;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const response: HTTPGraphQLResponse = await options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers, search, body },
      context: () => options.context(req, res),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      send(res, response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  } catch (error) {
    options.onError(error, req, res);
  }
}

const NOT_JSON = Symbol('not JSON');

/**
 * The body as express.json() (body-parser, strict) reads it: a leading byte-order mark dropped (iconv-lite's
 * decoding), and only an object or an array at the top (anything else, or JSON that does not parse, is
 * NOT_JSON).
 */
function parseJson(raw: string): unknown {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  // body-parser's special case: an empty body reads as {} (a body of only a byte-order mark is empty here).
  if (text.length === 0) return {};
  const first = /^[ \t\n\r]*([^ \t\n\r]|$)/.exec(text)?.[1];
  if (first !== '{' && first !== '[') return NOT_JSON;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_JSON;
  }
}

/**
 * Ends the response with this body as Express's `res.send` of a string does for a POST: Content-Length and
 * a weak ETag of the bytes (Express's default `etag fn`: the length in hex and the SHA-1, base64, cut to 27).
 */
function send(res: ServerResponse, text: string): void {
  const chunk = Buffer.from(text, 'utf8');
  res.setHeader('Content-Length', chunk.length);
  if (!res.hasHeader('ETag')) res.setHeader('ETag', weakETag(chunk));
  res.end(chunk);
}

function weakETag(chunk: Buffer): string {
  if (chunk.length === 0) return 'W/"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"';
  const hash = createHash('sha1').update(chunk).digest('base64').substring(0, 27);
  return `W/"${chunk.length.toString(16)}-${hash}"`;
}
