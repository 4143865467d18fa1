import type { Driver } from 'neo4j-driver';
import { parseTestConfig, type TestConfig } from '../../src/config';
import { createDriver } from '../../src/db/driver';
import { Executor } from '../../src/db/executor';
import { silentLogger, type Logger } from '../../src/logger';
import type { AuthConfig } from '../../src/config';
import type { Authenticator } from '../../src/modules/identity/authenticate';
import { createServer, type AppServer } from '../../src/server';
import { SEED_DATA_DIR } from '../../src/app';
import { loadIfChanged } from '../../seed/loader';

/** The tests' settings (src/config.ts's rules); in a worker, NEO4J_URI is the Neo4j global setup started. */
export function testConfig(): TestConfig {
  return parseTestConfig();
}

/** The Neo4j the integration tests run against (set by global setup). */
export function testNeo4jUri(): string {
  const uri = testConfig().external?.uri;
  if (!uri)
    throw new Error('NEO4J_URI is not set: integration tests must run through jest (global setup starts Neo4j).');
  return uri;
}

export function openTestDriver(uri: string = testNeo4jUri()): Driver {
  const external = testConfig().external;
  const auth = external ? { user: external.user, password: external.password } : undefined;
  return createDriver(uri, auth, { retryTimeMs: 1_000 }, silentLogger);
}

export interface TestServer {
  server: AppServer;
  driver: Driver;
  executor: Executor;
  close(): Promise<void>;
}

/** The real HTTP server on a free port, against the test Neo4j (or the given driver). */
export async function startTestServer(
  options: {
    driver?: Driver;
    logger?: Logger;
    queryTimeoutMs?: number;
    /** Single sign-on settings (AUTH_JWKS_URL …); none by default. */
    auth?: AuthConfig;
    /** An authenticator of the test's own (e.g. with other failure limits). */
    authenticator?: Authenticator;
  } = {},
): Promise<TestServer> {
  const driver = options.driver ?? openTestDriver();
  const logger = options.logger ?? silentLogger;
  const executor = new Executor(driver, {
    database: testConfig().database,
    queryTimeoutMs: options.queryTimeoutMs ?? 10_000,
    logger,
  });
  const server = await createServer(
    // Operations compiled from their first execution, so that every test runs the compiled code.
    { host: '127.0.0.1', port: 0, execution: 'jit-first', ...(options.auth ? { auth: options.auth } : {}) },
    { executor, logger, ...(options.authenticator ? { authenticator: options.authenticator } : {}) },
  );
  return {
    server,
    driver,
    executor,
    close: async () => {
      await server.stop();
      if (!options.driver) await driver.close();
    },
  };
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: {
    data?: T | null;
    errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }>;
  };
}

/** POST a GraphQL operation as a client would (with extra headers such as `authorization`, if given). */
export async function postGraphQL<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: GraphQLResponse<T>['body'];
  try {
    body = JSON.parse(text) as GraphQLResponse<T>['body'];
  } catch {
    throw new Error(`Non-JSON response (${response.status}) to:\n${query}\n---\n${text}`);
  }
  return { status: response.status, headers: response.headers, body };
}

/** Like postGraphQL, but fails with the query and the whole response when there are errors or no data. */
export async function queryOk<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const response = await postGraphQL<T>(url, query, variables);
  if (response.status !== 200 || response.body.errors?.length || !response.body.data) {
    throw new Error(
      `Expected a successful GraphQL response.\nQuery:\n${query}\nVariables: ${JSON.stringify(variables)}\n` +
        `Status: ${response.status}\nBody: ${JSON.stringify(response.body, null, 2)}`,
    );
  }
  return response.body.data;
}

/**
 * Makes sure the graph holds the real corpus of seed/data (tests that change the graph, such as the
 * loader's, leave another corpus behind; this reloads only when the recorded version differs).
 */
export async function ensureRealCorpus(driver: Driver): Promise<void> {
  await loadIfChanged(driver, SEED_DATA_DIR, { database: testConfig().database });
}
