import { request } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { createLogger } from '../../src/logger';
import { LIMITS } from '../../src/limits';
import { createServer, type AppServer } from '../../src/server';
import { KAZ, nodesById, stubDatabase, unavailable, type Answer } from './stub-database';

/**
 * POST /graphql is served without Express (src/graphql-post.ts). The same requests sent to a server on that
 * path and to one that serves them through Express must get the same status, headers and body, byte for
 * byte: successes, GraphQL errors, limits, masked errors and bodies that are not GraphQL.
 */

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Which path served the request: the module that called Apollo's executeHTTPGraphQLRequest. */
  servedBy: string | undefined;
}

interface GraphQLBody {
  errors: Array<{ extensions: Record<string, unknown> }>;
}

const answer: Answer = (statement) => {
  if (statement.queryName === 'nodesById') return nodesById(statement, [KAZ]);
  if (statement.queryName.startsWith('Query.states')) throw unavailable(statement.queryName);
  throw new Error('secret detail: not stubbed');
};

let fast: AppServer;
let viaExpress: AppServer;
let lastCaller: string | undefined;
let spy: jest.SpyInstance;

beforeAll(async () => {
  const logger = createLogger('error', () => undefined);
  fast = await createServer({ host: '127.0.0.1', port: 0 }, { executor: stubDatabase(answer), logger });
  viaExpress = await createServer(
    { host: '127.0.0.1', port: 0 },
    { executor: stubDatabase(answer), logger, graphqlPost: 'express' },
  );
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const original = ApolloServer.prototype.executeHTTPGraphQLRequest;
  spy = jest.spyOn(ApolloServer.prototype, 'executeHTTPGraphQLRequest').mockImplementation(function (
    this: ApolloServer,
    ...args: Parameters<typeof original>
  ) {
    const stack = new Error().stack ?? '';
    lastCaller = stack.includes('/src/graphql-post.') ? 'fast' : stack.includes('/express5/') ? 'express' : 'other';
    return original.apply(this, args);
  });
});

afterAll(async () => {
  spy.mockRestore();
  await Promise.all([fast.stop(), viaExpress.stop()]);
});

/** Sends these exact bytes with these headers (Content-Length set from the body unless `chunked`). */
function send(
  server: AppServer,
  body: Buffer | string,
  headers: Record<string, string> = {},
  { path = '/graphql', chunked = false }: { path?: string; chunked?: boolean } = {},
): Promise<Reply> {
  lastCaller = undefined;
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const url = new URL(server.url);
  return new Promise((resolveReply, rejectReply) => {
    const outgoing = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-request-id': 'same-request-id',
          ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(bytes.length) }),
          ...headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const { date: _date, ...rest } = response.headers;
          resolveReply({
            status: response.statusCode ?? 0,
            headers: rest,
            body: Buffer.concat(chunks).toString('utf8'),
            servedBy: lastCaller,
          });
        });
      },
    );
    outgoing.on('error', rejectReply);
    outgoing.end(bytes);
  });
}

/** Sends the same request to both servers; the fast server must serve it on its own path. */
async function both(
  body: Buffer | string,
  headers: Record<string, string> = {},
  options: { path?: string; chunked?: boolean } = {},
): Promise<{ fast: Reply; express: Reply }> {
  const fastReply = await send(fast, body, headers, options);
  const expressReply = await send(viaExpress, body, headers, options);
  return { fast: fastReply, express: expressReply };
}

function expectSame(replies: { fast: Reply; express: Reply }): void {
  const { servedBy: _fastPath, ...fastSeen } = replies.fast;
  const { servedBy: _expressPath, ...expressSeen } = replies.express;
  expect(fastSeen).toEqual(expressSeen);
}

const query = (text: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query: text, variables });

describe('POST /graphql without Express answers exactly as through Express', () => {
  it('a successful query: same status, headers (ETag included) and body, and only the fast server skips Express', async () => {
    const replies = await both(query('{ state(id: "KAZ") { id name } }'));
    expect(replies.fast.servedBy).toBe('fast');
    expect(replies.express.servedBy).toBe('express');
    expect(replies.fast.status).toBe(200);
    expect(JSON.parse(replies.fast.body)).toEqual({ data: { state: { id: 'state:KAZ', name: 'Kazakhstan' } } });
    expect(replies.fast.headers['x-request-id']).toBe('same-request-id');
    expect(replies.fast.headers.etag).toMatch(/^W\/"[0-9a-f]+-[\w+/]{27}"$/);
    expectSame(replies);
  });

  it('with a query string, a charset, a byte-order mark, and the graphql-response media type asked for', async () => {
    const replies = await both(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(query('{ state(id: "KAZ") { name } }'))]),
      { 'content-type': 'application/json; charset=utf-8', accept: 'application/graphql-response+json' },
      { path: '/graphql?trace=1' },
    );
    expect(replies.fast.servedBy).toBe('fast');
    expect(replies.fast.headers['content-type']).toBe('application/graphql-response+json; charset=utf-8');
    expectSame(replies);
  });

  it('errors: a field that fails with a code (200), a masked unexpected error, an invalid query (400), no query', async () => {
    for (const body of [
      query('{ states(first: 2) { nodes { id } } }'),
      query('{ state(id: "KAZ") { id } treaty(id: "CRC") { id } }'),
      query('{ state(id: "KAZ") { nope } }'),
      query('query Q($id: ID!) { state(id: $id) { id } }', { id: 5.5 }),
      JSON.stringify({ variables: {} }),
      '{}',
      '[]',
    ]) {
      const replies = await both(body);
      expect(replies.fast.servedBy).toBe('fast');
      expectSame(replies);
    }
  });

  it('the limits: depth, aliases, cost and tokens are refused with the same 400 and the same body', async () => {
    const deep = `{ ${'recommendations(first: 1) { edges { node { relatedByArticle(first: 1) { edges { node { '.repeat(2)}id${' } } } } } }'.repeat(2)} }`;
    const aliases = `{ ${Array.from({ length: LIMITS.maxAliases + 1 }, (_, i) => `a${i}: state(id: "KAZ") { id }`).join(' ')} }`;
    const costly =
      '{ recommendations(first: 100) { edges { node { relatedByArticle(first: 100) { edges { node { texts { text } } } } } } } }';
    const tokens = `{ ${'state(id: "KAZ") { id } '.repeat(LIMITS.maxTokens)} }`;
    for (const text of [deep, aliases, costly, tokens]) {
      const replies = await both(query(text));
      expect(replies.fast.servedBy).toBe('fast');
      expect(replies.fast.status).toBe(400);
      expect((JSON.parse(replies.fast.body) as GraphQLBody).errors[0]?.extensions.limit).toBeDefined();
      expectSame(replies);
    }
  });

  it('bad input: JSON that does not parse, a top-level string, whitespace only, an empty body (as {})', async () => {
    for (const body of ['{"query": ', '"{ state(id: \\"KAZ\\") { id } }"', '  \n ', '\ufeff', 'null']) {
      const replies = await both(body);
      expect(replies.fast.status).toBeGreaterThanOrEqual(400);
      expectSame(replies);
    }
  });

  it('leaves to Express what it does not take: chunked, compressed, other types, other paths, too large', async () => {
    const body = query('{ state(id: "KAZ") { id } }');
    const cases: Array<[Record<string, string>, { path?: string; chunked?: boolean }, Buffer | string]> = [
      [{}, { chunked: true }, body],
      [{ 'content-encoding': 'gzip' }, {}, body],
      [{ 'content-type': 'text/plain' }, {}, body],
      [{ 'content-type': 'application/json; charset=utf-16' }, {}, body],
      [{}, { path: '/graphql/' }, body],
      [{}, {}, ''],
      [{}, {}, Buffer.alloc(LIMITS.maxBodyBytes + 1, 0x20)],
    ];
    for (const [headers, options, sent] of cases) {
      const replies = await both(sent, headers, options);
      expect(replies.fast.servedBy).not.toBe('fast');
      expectSame(replies);
    }
  });
});
