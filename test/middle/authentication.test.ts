import { createLogger } from '../../src/logger';
import { INVALID_TOKEN_MESSAGE } from '../../src/modules/identity/authenticate';
import { issueToken } from '../../src/modules/identity/tokens';
import { createServer, type AppServer } from '../../src/server';
import { stubDatabase, unavailable, type Answer } from './stub-database';

/**
 * Authentication through the whole server in-process, over a stub database that answers the user look-up:
 * what a client gets when the graph holds its user, holds a revoked one, or cannot be asked. The integration
 * tier (test/integration/identity.int.test.ts) does the same against a real Neo4j.
 */

const running: AppServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
});

async function serve(answer: Answer) {
  const logs: string[] = [];
  const database = stubDatabase(answer);
  const server = await createServer(
    { host: '127.0.0.1', port: 0 },
    { executor: database, logger: createLogger('debug', (line) => logs.push(line)) },
  );
  running.push(server);
  return { server, statements: database.statements, logs };
}

async function askViewer(server: AppServer, authorization: string) {
  const response = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization },
    body: JSON.stringify({ query: '{ viewer { id roles editorStates authenticatedBy } }' }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as {
      data?: unknown;
      errors?: Array<{ message: string; extensions?: { code?: string } }>;
    },
  };
}

function storedUser(stored: { tokenHash: string; tokenSalt: string }, revokedAt: string | null = null) {
  return {
    user: {
      id: 'user:8d3c2b1a-0000-4000-8000-000000000001',
      name: 'Stub Editor',
      organisation: 'Stub Org',
      admin: false,
      editorStates: ['KAZ'],
      editorBodies: [],
      createdAt: '2026-12-01T02:03:04.567Z',
      revokedAt,
      jwtSubject: null,
    },
    tokenHash: stored.tokenHash,
    tokenSalt: stored.tokenSalt,
  };
}

describe('the request is made as the user its token names', () => {
  it('looks the user up by token id, once, and names the user in the request log', async () => {
    const issued = await issueToken();
    const { server, statements, logs } = await serve(({ queryName }) =>
      queryName === 'Identity.credentialByTokenId' ? [storedUser(issued)] : [],
    );
    const response = await askViewer(server, `Bearer ${issued.token}`);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toMatchObject({
      viewer: { id: 'user:8d3c2b1a-0000-4000-8000-000000000001', roles: ['EDITOR'], authenticatedBy: 'TOKEN' },
    });
    const lookups = statements.filter((statement) => statement.queryName === 'Identity.credentialByTokenId');
    expect(lookups.map((statement) => statement.params)).toEqual([{ tokenId: issued.tokenId }]);
    const requestLine = logs
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.message === 'graphql request');
    expect(requestLine).toMatchObject({ userId: 'user:8d3c2b1a-0000-4000-8000-000000000001' });
    expect(logs.join('\n')).not.toContain(issued.token.slice(-43));
  });

  it('refuses a revoked user’s real token with the message an unknown token gets', async () => {
    const issued = await issueToken();
    const { server } = await serve(({ queryName }) =>
      queryName === 'Identity.credentialByTokenId' ? [storedUser(issued, '2026-12-01T03:00:00.000Z')] : [],
    );
    const response = await askViewer(server, `Bearer ${issued.token}`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="child-rights-graph", error="invalid_token"');
    expect(response.body).toEqual({
      errors: [{ message: INVALID_TOKEN_MESSAGE, extensions: { code: 'UNAUTHENTICATED' } }],
    });
  });

  it('fails the request with SERVICE_UNAVAILABLE when the graph cannot be asked, instead of reading as anonymous', async () => {
    const issued = await issueToken();
    const { server, statements } = await serve(({ queryName }) => {
      if (queryName === 'Identity.credentialByTokenId') throw unavailable(queryName);
      return [];
    });
    const response = await askViewer(server, `Bearer ${issued.token}`);
    expect(response.status).toBe(503);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(statements.map((statement) => statement.queryName)).toEqual(['Identity.credentialByTokenId']);
  });
});
