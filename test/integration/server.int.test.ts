import { resolve } from 'node:path';
import { startApp } from '../../src/app';
import { parseConfig } from '../../src/config';
import { startLocalNeo4j, type LocalNeo4j } from '../../tools/local-neo4j/local-neo4j';
import { silentLogger } from '../../src/logger';
import {
  openTestDriver,
  postGraphQL,
  queryOk,
  startTestServer,
  testConfig,
  testNeo4jUri,
  type TestServer,
} from '../support/harness';

const ABOUT = /* GraphQL */ `
  query About {
    about {
      neo4jVersion
      neo4jEdition
      nodeCount
      relationshipCount
    }
  }
`;

type AboutData = {
  about: { neo4jVersion: string; neo4jEdition: string; nodeCount: number; relationshipCount: number };
};

describe('the API over HTTP, answered from Neo4j', () => {
  let test: TestServer;

  beforeAll(async () => {
    test = await startTestServer();
  });
  afterAll(async () => {
    await test.close();
  });

  it('answers `about` from the database: the node count follows what is in the graph', async () => {
    const before = await queryOk<AboutData>(test.server.graphqlUrl, ABOUT);
    expect(before.about.neo4jVersion).toMatch(/^5\.26\.\d+$/);
    expect(before.about.neo4jEdition).toBe('community');

    const session = test.driver.session();
    try {
      await session.run('CREATE (:ServerTestProbe), (:ServerTestProbe)');
      const after = await queryOk<AboutData>(test.server.graphqlUrl, ABOUT);
      expect(after.about.nodeCount).toBe(before.about.nodeCount + 2);
    } finally {
      await session.run('MATCH (n:ServerTestProbe) DELETE n');
      await session.close();
    }
  });

  it('reports Neo4j as reachable on the health endpoint', async () => {
    const response = await fetch(`${test.server.url}/health`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; neo4j: { reachable: boolean; version: string } };
    expect(body.status).toBe('ok');
    expect(body.neo4j.reachable).toBe(true);
    expect(body.neo4j.version).toMatch(/^Neo4j\/5\.26/);
  });

  it('gives every response a request id, and echoes one the client sends', async () => {
    const plain = await postGraphQL(test.server.graphqlUrl, ABOUT);
    expect(plain.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const response = await fetch(test.server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-42' },
      body: JSON.stringify({ query: ABOUT }),
    });
    expect(response.headers.get('x-request-id')).toBe('trace-42');
  });

  it('rejects a malformed query with a parse error the client can act on, not a 500', async () => {
    // As application/json, the GraphQL-over-HTTP specification asks for 200 on a document that does not
    // parse; as application/graphql-response+json, for 400.
    const response = await postGraphQL(test.server.graphqlUrl, '{ about { nodeCount ');
    expect(response.status).toBe(200);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');

    const strict = await fetch(test.server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: '{ about { nodeCount ' }),
    });
    expect(strict.status).toBe(400);
    expect(strict.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
    expect(
      ((await strict.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]?.extensions.code,
    ).toBe('GRAPHQL_PARSE_FAILED');
  });
});

describe('with NEO4J_URI set', () => {
  it('connects to that Neo4j and starts no local one', async () => {
    const config = parseConfig({ NEO4J_URI: testNeo4jUri(), PORT: '0', ...credentials() });
    const app = await startApp(config, silentLogger);
    try {
      expect(app.local).toBeUndefined();
      const data = await queryOk<AboutData>(app.server.graphqlUrl, ABOUT);
      expect(data.about.neo4jEdition).toBe('community');
    } finally {
      await app.stop();
    }
    // startApp resolves once the database is warm (every named statement planned: issue 9), which on the
    // shared 2-core machine takes longer than jest's default 5 s.
  }, 120_000);
});

/** The tests' NEO4J_USER and NEO4J_PASSWORD, read by the same rules as the API's. */
function credentials(): Record<string, string> {
  const external = testConfig().external;
  return external ? { NEO4J_USER: external.user, NEO4J_PASSWORD: external.password } : {};
}

describe('when the Neo4j the API uses goes away and comes back', () => {
  // A Neo4j of its own: the shared test instance must stay up for the other tests.
  let neo4j: LocalNeo4j;
  let test: TestServer;
  const options = {
    projectRoot: resolve(__dirname, '..', '..'),
    instanceName: `${testConfig().instanceName}-outage`,
    boltPort: testConfig().outageBoltPort,
  };

  beforeAll(async () => {
    neo4j = await startLocalNeo4j({ ...options, fresh: true });
    test = await startTestServer({ driver: openTestDriver(neo4j.uri) });
  }, 180_000);
  afterAll(async () => {
    await test?.close();
    await test?.driver.close();
    await neo4j?.stop();
  }, 60_000);

  it('reports the outage, fails queries with SERVICE_UNAVAILABLE, stays up, and answers again once Neo4j is back', async () => {
    await queryOk<AboutData>(test.server.graphqlUrl, ABOUT);

    await neo4j.stop();

    const health = await fetch(`${test.server.url}/health`);
    expect(health.status).toBe(503);
    const healthBody = (await health.json()) as { status: string; neo4j: { reachable: boolean; error: string } };
    expect(healthBody.status).toBe('unavailable');
    expect(healthBody.neo4j.reachable).toBe(false);
    expect(healthBody.neo4j.error).toEqual(expect.any(String));

    // The operation ran and its field failed: HTTP 200 with `data` (null) and the code in extensions, by the
    // GraphQL-over-HTTP specification; /health is what says 503.
    const failed = await postGraphQL(test.server.graphqlUrl, ABOUT);
    expect(failed.status).toBe(200);
    expect(failed.body.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(failed.body.errors?.[0]?.message).toMatch(/unavailable/);

    // Same data folder, so this is a warm restart of the very database the API was using.
    neo4j = await startLocalNeo4j(options);

    const again = await queryOk<AboutData>(test.server.graphqlUrl, ABOUT);
    expect(again.about.neo4jEdition).toBe('community');
    expect((await fetch(`${test.server.url}/health`)).status).toBe(200);
  }, 180_000);
});
