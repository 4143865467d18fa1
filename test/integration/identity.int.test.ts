import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { print } from 'graphql';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import neo4j, { type Driver } from 'neo4j-driver';
import { ensureSchemaStatements } from '../../seed/schema-statements';
import { ViewerDocument, type ViewerQuery } from '../../src/generated/client/graphql';
import { createLogger } from '../../src/logger';
import { Authenticator, INVALID_TOKEN_MESSAGE } from '../../src/modules/identity/authenticate';
import { runUsersCommand } from '../../src/modules/identity/cli';
import { IDENTITY_CONSTRAINTS } from '../../src/modules/identity/users';
import {
  openTestDriver,
  postGraphQL,
  startTestServer,
  type GraphQLResponse,
  type TestServer,
} from '../support/harness';

/**
 * Signing in, as an administrator and a client would do it: `npm run users -- add` prints a token, the
 * client sends it as `Authorization: Bearer …`, `viewer` says who they are; a revoked, unknown or mistyped
 * token fails the request with 401; single sign-on JWTs are checked against the identity provider's keys
 * (a JWKS served by this test); and no credential ever reaches the log.
 */

const database = process.env.NEO4J_DATABASE;
const ISSUER = 'https://sso.example.test/';
const AUDIENCE = 'child-rights-graph';
const VIEWER = print(ViewerDocument);

let driver: Driver;
let test: TestServer;
let jwksServer: Server;
let signingKey: KeyLike;
let strangerKey: KeyLike;
const logLines: string[] = [];
/** Ids of the users this file creates, deleted at the end. */
const created: string[] = [];

/** Runs `npm run users -- …` as the CLI does, against the test Neo4j; returns its output lines. */
async function users(...argv: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runUsersCommand(argv, { driver, database, out: (line) => lines.push(line) });
  for (const line of lines) {
    const id = /^created (user:[0-9a-f-]{36})/.exec(line)?.[1];
    if (id) created.push(id);
  }
  return { code, lines };
}

/** Adds a user through the CLI; returns its id and the token it printed. */
async function addUser(...flags: string[]): Promise<{ id: string; token: string; lines: string[] }> {
  const { code, lines } = await users('add', ...flags);
  expect(code).toBe(0);
  const id = /^created (user:\S+)/.exec(lines[0] ?? '')?.[1];
  const token = /(crg_\S+)$/.exec(lines[1] ?? '')?.[1];
  if (!id || !token) throw new Error(`Unexpected output of users add:\n${lines.join('\n')}`);
  return { id, token, lines };
}

function asking(credential: string | undefined, server: TestServer = test): Promise<GraphQLResponse<ViewerQuery>> {
  return postGraphQL<ViewerQuery>(
    server.server.graphqlUrl,
    VIEWER,
    {},
    credential === undefined ? {} : { authorization: credential },
  );
}

function describeResponse(response: GraphQLResponse<unknown>): string {
  return `Status: ${response.status}\nBody: ${JSON.stringify(response.body, null, 2)}`;
}

/** The request failed as a whole with 401, the Bearer challenge, and this message. */
function expectUnauthenticated(response: GraphQLResponse<unknown>, message: string | RegExp): void {
  try {
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    if (typeof message === 'string') expect(response.body.errors?.[0]?.message).toBe(message);
    else expect(response.body.errors?.[0]?.message).toMatch(message);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${describeResponse(response)}`, { cause: error });
  }
}

async function jwt(claims: Record<string, unknown>, options: { key?: KeyLike; expiresIn?: string } = {}) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: options.key === strangerKey ? 'stranger' : 'test-key' })
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '5m')
    .sign(options.key ?? signingKey);
}

beforeAll(async () => {
  driver = openTestDriver();
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  jwksServer = createHttpServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((resolveListen) => jwksServer.listen(0, '127.0.0.1', resolveListen));
  const { port } = jwksServer.address() as AddressInfo;
  const auth = {
    jwt: { jwksUrl: `http://127.0.0.1:${port}/jwks.json`, issuer: ISSUER, audience: AUDIENCE, subjectClaim: 'sub' },
  };
  const logger = createLogger('debug', (line) => logLines.push(line));
  // Every request of this file comes from 127.0.0.1: a generous allowance, so the limiter (tested below with
  // its own server) does not refuse the failures this file makes on purpose.
  const authenticator = new Authenticator({
    jwt: auth.jwt,
    logger,
    limits: { maxFailures: 1_000, windowMs: 60_000, maxAddresses: 100 },
  });
  test = await startTestServer({ driver, logger, auth, authenticator });
}, 60_000);

afterAll(async () => {
  const session = driver.session({ database, defaultAccessMode: neo4j.session.WRITE });
  try {
    await session.run('MATCH (u:User) WHERE u.id IN $ids DETACH DELETE u', { ids: created });
  } finally {
    await session.close();
  }
  await test.close();
  await new Promise((resolveClose) => jwksServer.close(resolveClose));
  await driver.close();
});

describe('a user created with npm run users signs in with the token it printed', () => {
  it('is anonymous without a header, and the user named by the token with it', async () => {
    const anonymous = await asking(undefined);
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toEqual({ data: { viewer: null } });

    const { id, token } = await addUser(
      '--name',
      'Aigerim Test',
      '--organisation',
      'Ministry of Education (test)',
      '--editor',
      'KAZ,UZB',
      '--body',
      'body:KAZ:test-committee',
    );
    const response = await asking(`Bearer ${token}`);
    expect(response.body).toEqual({
      data: {
        viewer: {
          id,
          name: 'Aigerim Test',
          organisation: 'Ministry of Education (test)',
          roles: ['EDITOR'],
          editorStates: ['KAZ', 'UZB'],
          editorBodyIds: ['body:KAZ:test-committee'],
          authenticatedBy: 'TOKEN',
        },
      },
    });
    // Verified once with scrypt, then remembered: the second request is answered the same.
    expect((await asking(`bearer  ${token}`)).body).toEqual(response.body);
  }, 30_000);

  it('an administrator is ADMIN and not by itself an editor', async () => {
    const { token } = await addUser('--name', 'Admin Test', '--organisation', 'Test Office', '--admin');
    const response = await asking(`Bearer ${token}`);
    expect(response.body.data?.viewer).toMatchObject({ roles: ['ADMIN'], editorStates: [], editorBodyIds: [] });
  }, 30_000);

  it('list shows every user with roles and never a token, a secret or a hash', async () => {
    const { id, token } = await addUser('--name', 'Listed Test', '--organisation', 'List Org', '--editor', 'KAZ');
    const { code, lines } = await users('list');
    expect(code).toBe(0);
    const line = lines.find((entry) => entry.startsWith(id));
    expect(line).toMatch(
      /"Listed Test" {2}"List Org" {2}EDITOR of KAZ {2}created \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
    );
    const secret = token.slice(-43);
    for (const entry of lines) {
      expect(entry).not.toContain(secret);
      expect(entry).not.toContain('scrypt');
    }
  }, 30_000);

  it('a bad command line or a bad state code is refused before anything is written', async () => {
    await expect(users('add', '--organisation', 'No Name')).rejects.toThrow('--name is required');
    await expect(users('add', '--name', 'X', '--organisation', 'Y', '--editor', 'kz')).rejects.toThrow(
      /"kz" is not an ISO 3166 alpha-3 code/,
    );
    await expect(users('rename')).rejects.toThrow('unknown command "rename"');
  });
});

describe('a request whose credentials are not accepted fails as a whole with 401', () => {
  it('a revoked token stops working on the next request', async () => {
    const { id, token } = await addUser('--name', 'Revoked Test', '--organisation', 'Gone Org', '--editor', 'KAZ');
    expect((await asking(`Bearer ${token}`)).body.data?.viewer?.id).toBe(id);
    const revoked = await users('revoke', id);
    expect(revoked.code).toBe(0);
    expect(revoked.lines[0]).toMatch(new RegExp(`^revoked ${id} .* REVOKED \\d{4}-`));
    // The same process remembers the scrypt check, but reads the user every request: refused at once.
    expectUnauthenticated(await asking(`Bearer ${token}`), INVALID_TOKEN_MESSAGE);
    expect((await users('list', '--active')).lines.some((line) => line.startsWith(id))).toBe(false);
    expect((await users('revoke', 'user:00000000-0000-4000-8000-000000000000')).code).toBe(1);
  }, 30_000);

  it('an unknown token and a wrong secret get the same message as a revoked one', async () => {
    const { token } = await addUser('--name', 'Secret Test', '--organisation', 'Org');
    const unknown = `crg_${'0'.repeat(24)}_${'A'.repeat(43)}`;
    const wrongSecret = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const mistyped = token.slice(0, -1);
    for (const credential of [unknown, wrongSecret, mistyped]) {
      expectUnauthenticated(await asking(`Bearer ${credential}`), INVALID_TOKEN_MESSAGE);
    }
  }, 30_000);

  it('a header that is not a bearer token says what form it must have', async () => {
    expectUnauthenticated(await asking('Basic dXNlcjpwYXNz'), /must be "Bearer <token>"/);
    expectUnauthenticated(await asking('Bearer not-a-token'), /neither a token of this API \(crg_…\) nor a JWT/);
  });
});

describe('single sign-on: JWTs checked against the identity provider’s keys', () => {
  it('a JWT whose subject is a user signs in as that user, with the user’s roles', async () => {
    const { id } = await addUser(
      '--name',
      'SSO Test',
      '--organisation',
      'SSO Org',
      '--editor',
      'KAZ',
      '--jwt-subject',
      'sso|test-1',
    );
    const token = await jwt({ sub: 'sso|test-1', iss: ISSUER, aud: AUDIENCE });
    const response = await asking(`Bearer ${token}`);
    expect(response.body.data?.viewer).toMatchObject({ id, roles: ['EDITOR'], authenticatedBy: 'JWT' });
  }, 30_000);

  it('refuses a JWT that is expired, for another audience or issuer, signed by another key, or of no user', async () => {
    await addUser('--name', 'SSO Other', '--organisation', 'SSO Org', '--jwt-subject', 'sso|test-2');
    const claims = { sub: 'sso|test-2', iss: ISSUER, aud: AUDIENCE };
    expectUnauthenticated(await asking(`Bearer ${await jwt(claims, { expiresIn: '-1m' })}`), /it has expired/);
    expectUnauthenticated(
      await asking(`Bearer ${await jwt({ ...claims, aud: 'another-service' })}`),
      /its "aud" claim is not accepted/,
    );
    expectUnauthenticated(
      await asking(`Bearer ${await jwt({ ...claims, iss: 'https://elsewhere.test/' })}`),
      /its "iss" claim is not accepted/,
    );
    expectUnauthenticated(
      await asking(`Bearer ${await jwt(claims, { key: strangerKey })}`),
      /its signature does not match a key of the identity provider/,
    );
    expectUnauthenticated(
      await asking(`Bearer ${await jwt({ ...claims, sub: 'sso|nobody' })}`),
      /is not a user of this API or has been revoked/,
    );
  }, 30_000);
});

describe('repeated failed authentication from one address is slowed down', () => {
  it('past the allowance, credentialed requests get 429 with Retry-After; anonymous ones still work', async () => {
    const logger = createLogger('error', () => undefined);
    const strict = await startTestServer({
      driver,
      logger,
      authenticator: new Authenticator({
        jwt: null,
        logger,
        limits: { maxFailures: 3, windowMs: 60_000, maxAddresses: 10 },
      }),
    });
    try {
      const { token } = await addUser('--name', 'Limited Test', '--organisation', 'Org');
      const wrong = `crg_${'1'.repeat(24)}_${'B'.repeat(43)}`;
      for (let i = 0; i < 3; i += 1)
        expectUnauthenticated(await asking(`Bearer ${wrong}`, strict), INVALID_TOKEN_MESSAGE);
      // Even the right token waits now: the address is not checked again until its window ends.
      for (const credential of [wrong, token]) {
        const refused = await asking(`Bearer ${credential}`, strict);
        expect(refused.status).toBe(429);
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(refused.body.errors?.[0]?.extensions?.code).toBe('TOO_MANY_REQUESTS');
      }
      expect((await asking(undefined, strict)).body).toEqual({ data: { viewer: null } });
    } finally {
      await strict.close();
    }
  }, 30_000);
});

describe('users work on a graph loaded before they existed', () => {
  it('their constraints are created when missing, and creating them again is a no-op', async () => {
    const session = driver.session({ database, defaultAccessMode: neo4j.session.WRITE });
    try {
      await session.run('DROP CONSTRAINT user_token_id IF EXISTS');
    } finally {
      await session.close();
    }
    await expect(ensureSchemaStatements(driver, IDENTITY_CONSTRAINTS, database)).resolves.toEqual(['user_token_id']);
    await expect(ensureSchemaStatements(driver, IDENTITY_CONSTRAINTS, database)).resolves.toEqual([]);
  });
});

describe('no credential reaches the log', () => {
  it('neither a token, its secret, its stored hash and salt, nor a JWT appears in any log line', async () => {
    const { id, token } = await addUser('--name', 'Logged Test', '--organisation', 'Org', '--jwt-subject', 'sso|log');
    const jwtToken = await jwt({ sub: 'sso|log', iss: ISSUER, aud: AUDIENCE });
    expect((await asking(`Bearer ${token}`)).status).toBe(200);
    expect((await asking(`Bearer ${jwtToken}`)).status).toBe(200);
    expect((await asking(`Bearer ${token.slice(0, -2)}xx`)).status).toBe(401);

    const session = driver.session({ database, defaultAccessMode: neo4j.session.READ });
    let stored: { hash: string; salt: string };
    try {
      const result = await session.run('MATCH (u:User {id: $id}) RETURN u.tokenHash AS hash, u.tokenSalt AS salt', {
        id,
      });
      stored = { hash: result.records[0]?.get('hash') as string, salt: result.records[0]?.get('salt') as string };
    } finally {
      await session.close();
    }
    const log = logLines.join('\n');
    // The log did record these requests: the look-ups at debug level, the failure as a warning.
    expect(log).toContain('"query":"Identity.credentialByTokenId"');
    expect(log).toContain('"reason":"WRONG_SECRET"');
    for (const secret of [
      token,
      token.slice(-43),
      token.slice(0, -2),
      stored.hash,
      stored.salt.slice(0, 20),
      jwtToken,
    ]) {
      expect(log).not.toContain(secret);
    }
    expect(log).not.toMatch(/crg_[0-9a-f]{24}_/);
    expect(log).not.toMatch(/bearer /i);
  }, 30_000);
});
