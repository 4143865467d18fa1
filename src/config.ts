/**
 * Configuration, parsed once at start-up from the environment. Every problem is collected so that
 * a misconfigured deployment is told about all of them at once, not one per restart.
 */

export interface ExternalNeo4jConfig {
  mode: 'external';
  uri: string;
  user: string;
  password: string;
}

export interface EmbeddedNeo4jConfig {
  mode: 'embedded';
  /** Bolt port of the local Neo4j the API starts itself (127.0.0.1 only). */
  boltPort: number;
  /** Name of its folder under .neo4j/instances/ (data, logs). */
  instanceName: string;
  heapSize: string;
  pageCacheSize: string;
}

/**
 * Single sign-on: JWTs signed by a key of `jwksUrl`, with this issuer and audience, are accepted; the claim
 * `subjectClaim` names the user (a User whose `jwtSubject` equals it), whose roles are the User's.
 */
export interface JwtConfig {
  jwksUrl: string;
  issuer: string;
  audience: string;
  subjectClaim: string;
}

export interface AuthConfig {
  /** Null: only the API's own tokens (`npm run users`) are accepted. */
  jwt: JwtConfig | null;
}

export interface Config {
  host: string;
  port: number;
  neo4j: ExternalNeo4jConfig | EmbeddedNeo4jConfig;
  /** The database to use; undefined means the server's default database. */
  database: string | undefined;
  /** Load the corpus at start-up when the graph's recorded corpus version differs. */
  seedOnStart: boolean;
  /** Per-transaction timeout for Cypher run on behalf of a request. */
  queryTimeoutMs: number;
  /** How long the driver keeps retrying a transaction that failed transiently (e.g. Neo4j unreachable). */
  retryTimeMs: number;
  logLevel: LogLevel;
  auth: AuthConfig;
  /**
   * How operations are executed (GRAPHQL_EXECUTION): `jit` compiles an operation at its second execution
   * (src/graphql-jit.ts), `jit-first` at its first (the tests, so that they run the compiled code),
   * `graphql-js` never.
   */
  execution: GraphQLExecution;
}

export const GRAPHQL_EXECUTIONS = ['jit', 'jit-first', 'graphql-js'] as const;
export type GraphQLExecution = (typeof GRAPHQL_EXECUTIONS)[number];

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

/**
 * The rules for reading one setting, shared by every entry point (the API, `npm run seed`, the local Neo4j
 * CLI, the tests' harness and the benchmark), so that a value one accepts the others accept too. Each read
 * records a problem instead of throwing; `finish` throws them all at once.
 */
export class SettingsReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  /** The trimmed value; undefined when unset or blank. */
  text(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  /** The value exactly as given (a password may have spaces); undefined when unset. */
  raw(name: string): string | undefined {
    return this.env[name];
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.text(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      this.problems.push(`${name}=${JSON.stringify(raw)} must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return value;
  }

  port(name: string, fallback: number, allowZero = false): number {
    return this.integer(name, fallback, allowZero ? 0 : 1, 65535);
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.text(name);
    if (raw === undefined) return fallback;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    this.problems.push(`${name}=${JSON.stringify(raw)} must be true or false`);
    return fallback;
  }

  /** A JVM memory size such as 512m or 1g, lower-cased. */
  memory(name: string, fallback: string): string {
    const raw = this.text(name);
    if (raw === undefined) return fallback;
    if (!/^\d+[kmg]$/i.test(raw)) {
      this.problems.push(`${name}=${JSON.stringify(raw)} must be a size such as 512m or 1g`);
      return fallback;
    }
    return raw.toLowerCase();
  }

  /** A folder name under .neo4j/instances/. */
  instanceName(name: string, fallback: string): string {
    const value = this.text(name) ?? fallback;
    if (!/^[a-z0-9][a-z0-9-]{0,40}$/.test(value)) {
      this.problems.push(`${name}=${JSON.stringify(value)} must be lower-case letters, digits and hyphens`);
    }
    return value;
  }

  /** A Bolt or routing URI; undefined when unset. */
  neo4jUri(name: string): string | undefined {
    const uri = this.text(name);
    if (uri !== undefined && !/^(neo4j|bolt)(\+s|\+ssc)?:\/\/[^\s/]+/.test(uri)) {
      this.problems.push(
        `${name}=${JSON.stringify(uri)} must be a Bolt or routing URI such as bolt://localhost:7687, neo4j://host:7687 or neo4j+s://<id>.databases.neo4j.io`,
      );
    }
    return uri;
  }

  /** A Neo4j database name; undefined (the server's default) when unset. */
  database(name: string): string | undefined {
    const database = this.text(name);
    if (database !== undefined && !/^[A-Za-z][A-Za-z0-9.-]{2,62}$/.test(database)) {
      this.problems.push(`${name}=${JSON.stringify(database)} is not a valid Neo4j database name`);
    }
    return database;
  }

  oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T {
    const value = (this.text(name) ?? fallback).toLowerCase();
    if (!(values as readonly string[]).includes(value)) {
      this.problems.push(`${name}=${JSON.stringify(value)} must be one of ${values.join(', ')}`);
      return fallback;
    }
    return value as T;
  }

  /** Throws every problem recorded so far at once. */
  finish(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }
}

/** Settings of the embedded Neo4j, read from the LOCAL_NEO4J_* variables. */
function readEmbedded(read: SettingsReader): EmbeddedNeo4jConfig {
  return {
    mode: 'embedded',
    boltPort: read.port('LOCAL_NEO4J_BOLT_PORT', LOCAL_NEO4J_BOLT_PORT_DEFAULT),
    instanceName: read.instanceName('LOCAL_NEO4J_INSTANCE', 'default'),
    heapSize: read.memory('LOCAL_NEO4J_HEAP', '512m'),
    pageCacheSize: read.memory('LOCAL_NEO4J_PAGECACHE', '128m'),
  };
}

const LOCAL_NEO4J_BOLT_PORT_DEFAULT = 7690;

/**
 * NEO4J_URI with its credentials, or, without it, a refusal of credentials that would be silently ignored.
 * Credentials default to neo4j / empty, which a Neo4j with auth disabled accepts too.
 */
function readExternal(read: SettingsReader): ExternalNeo4jConfig | undefined {
  const uri = read.neo4jUri('NEO4J_URI');
  if (uri === undefined) {
    for (const name of ['NEO4J_USER', 'NEO4J_PASSWORD']) {
      if (read.text(name) !== undefined) {
        read.problems.push(
          `${name} is set but NEO4J_URI is not: set NEO4J_URI to use your own Neo4j, or unset ${name} to use the embedded one`,
        );
      }
    }
    return undefined;
  }
  return {
    mode: 'external',
    uri,
    user: read.text('NEO4J_USER') ?? 'neo4j',
    password: read.raw('NEO4J_PASSWORD') ?? '',
  };
}

/**
 * AUTH_JWKS_URL with AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE (all three, or none: a JWT accepted whatever its
 * issuer or audience would let a token meant for another service in), and AUTH_JWT_SUBJECT_CLAIM.
 */
export function readAuth(read: SettingsReader): AuthConfig {
  const jwksUrl = read.text('AUTH_JWKS_URL');
  const issuer = read.text('AUTH_JWT_ISSUER');
  const audience = read.text('AUTH_JWT_AUDIENCE');
  const subjectClaim = read.text('AUTH_JWT_SUBJECT_CLAIM') ?? 'sub';
  if (jwksUrl === undefined) {
    for (const name of ['AUTH_JWT_ISSUER', 'AUTH_JWT_AUDIENCE', 'AUTH_JWT_SUBJECT_CLAIM']) {
      if (read.text(name) !== undefined)
        read.problems.push(`${name} is set but AUTH_JWKS_URL is not: set both or neither`);
    }
    return { jwt: null };
  }
  let url: URL | undefined;
  try {
    url = new URL(jwksUrl);
  } catch {
    read.problems.push(`AUTH_JWKS_URL=${JSON.stringify(jwksUrl)} is not a URL`);
  }
  const local = url !== undefined && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url && !(url.protocol === 'https:' || (url.protocol === 'http:' && local))) {
    read.problems.push(`AUTH_JWKS_URL=${JSON.stringify(jwksUrl)} must be an https:// URL (http:// only for localhost)`);
  }
  if (issuer === undefined)
    read.problems.push('AUTH_JWT_ISSUER is required with AUTH_JWKS_URL (the `iss` JWTs must carry)');
  if (audience === undefined)
    read.problems.push('AUTH_JWT_AUDIENCE is required with AUTH_JWKS_URL (the `aud` JWTs must carry)');
  if (!/^[A-Za-z_][\w.:/-]{0,100}$/.test(subjectClaim)) {
    read.problems.push(`AUTH_JWT_SUBJECT_CLAIM=${JSON.stringify(subjectClaim)} is not a claim name`);
  }
  return { jwt: { jwksUrl, issuer: issuer ?? '', audience: audience ?? '', subjectClaim } };
}

/** The API's configuration (`npm start`). */
export function parseConfig(env: Env = process.env): Config {
  const read = new SettingsReader(env);
  const port = read.port('PORT', 4000, true);
  const host = read.text('HOST') ?? '127.0.0.1';
  const database = read.database('NEO4J_DATABASE');

  const external = readExternal(read);
  if (external) {
    for (const name of ['LOCAL_NEO4J_BOLT_PORT', 'LOCAL_NEO4J_HEAP', 'LOCAL_NEO4J_PAGECACHE', 'LOCAL_NEO4J_INSTANCE']) {
      if (read.text(name) !== undefined)
        read.problems.push(`${name} applies only to the embedded Neo4j; unset it or unset NEO4J_URI`);
    }
  }
  const neo4j: Config['neo4j'] = external ?? readEmbedded(read);
  const logLevel = read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info');

  const config: Config = {
    host,
    port,
    neo4j,
    database,
    seedOnStart: read.boolean('SEED_ON_START', neo4j.mode === 'embedded'),
    queryTimeoutMs: read.integer('QUERY_TIMEOUT_MS', 10_000, 100, 600_000),
    retryTimeMs: read.integer('NEO4J_RETRY_MS', 2_000, 0, 600_000),
    logLevel,
    auth: readAuth(read),
    execution: read.oneOf('GRAPHQL_EXECUTION', GRAPHQL_EXECUTIONS, 'jit'),
  };
  read.finish();
  return config;
}

/** `npm run seed`: the Neo4j to load into, which must be named. */
export interface SeedConfig {
  neo4j: ExternalNeo4jConfig;
  database: string | undefined;
}

export function parseSeedConfig(env: Env = process.env): SeedConfig {
  const read = new SettingsReader(env);
  const database = read.database('NEO4J_DATABASE');
  const external = readExternal(read);
  if (!external && read.problems.length === 0) {
    read.problems.push(
      'NEO4J_URI is not set: name the Neo4j to load into, e.g. NEO4J_URI=bolt://127.0.0.1:7690 NEO4J_USER=neo4j NEO4J_PASSWORD=… npm run seed ' +
        '(`npm start` without NEO4J_URI starts its own Neo4j and loads the corpus itself when it has changed)',
    );
  }
  read.finish();
  return { neo4j: external as ExternalNeo4jConfig, database };
}

/** `npm run users`: the Neo4j the API would use, NEO4J_URI or else the embedded default (which must be running). */
export interface UsersConfig {
  neo4j: ExternalNeo4jConfig | EmbeddedNeo4jConfig;
  database: string | undefined;
}

export function parseUsersConfig(env: Env = process.env): UsersConfig {
  const read = new SettingsReader(env);
  const database = read.database('NEO4J_DATABASE');
  const neo4j = readExternal(read) ?? readEmbedded(read);
  read.finish();
  return { neo4j, database };
}

/** Where a command-line tool connects: NEO4J_URI with its credentials, or the embedded Neo4j on its port. */
export function boltTarget(config: UsersConfig): { uri: string; auth: { user: string; password: string } | undefined } {
  return config.neo4j.mode === 'external'
    ? { uri: config.neo4j.uri, auth: { user: config.neo4j.user, password: config.neo4j.password } }
    : { uri: `bolt://127.0.0.1:${config.neo4j.boltPort}`, auth: undefined };
}

/**
 * For command-line tools: the configuration `parse` reads, or null after writing its problems to stderr (the
 * tool then exits with 2, the usage-error status). Any other error propagates.
 */
export function configOrReport<T>(parse: () => T): T | null {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return null;
    }
    throw error;
  }
}

/**
 * The integration tests' Neo4j: NEO4J_URI (a throw-away database: the tests replace its data), or else
 * local instances of their own on TEST_NEO4J_BOLT_PORT and the next two ports (one stopped and restarted by
 * the outage test, one for the embedded-default test), in folders named after TEST_NEO4J_INSTANCE.
 */
export interface TestConfig {
  /** Set when NEO4J_URI names the Neo4j to test against (global setup sets it for the workers too). */
  external: ExternalNeo4jConfig | undefined;
  database: string | undefined;
  boltPort: number;
  instanceName: string;
  outageBoltPort: number;
  embeddedBoltPort: number;
}

export function parseTestConfig(env: Env = process.env): TestConfig {
  const read = new SettingsReader(env);
  const database = read.database('NEO4J_DATABASE');
  const external = readExternal(read);
  const boltPort = read.port('TEST_NEO4J_BOLT_PORT', 7691);
  const config: TestConfig = {
    external,
    database,
    boltPort,
    instanceName: read.instanceName('TEST_NEO4J_INSTANCE', 'test'),
    outageBoltPort: read.port('TEST_OUTAGE_NEO4J_BOLT_PORT', boltPort + 1),
    embeddedBoltPort: read.port('TEST_EMBEDDED_NEO4J_BOLT_PORT', boltPort + 2),
  };
  read.finish();
  return config;
}

/** Command-line values that take the place of the LOCAL_NEO4J_* variables (the local Neo4j CLI's flags). */
export interface LocalNeo4jFlags {
  name?: string;
  port?: string;
  heap?: string;
  pagecache?: string;
}

/**
 * The local Neo4j's settings for `npm run neo4j:start`: each flag when given, else the variable the API reads
 * (so that the CLI starts the instance `npm start` would), checked by the same rules.
 */
export function parseLocalNeo4jSettings(
  env: Env = process.env,
  flags: LocalNeo4jFlags = {},
): Omit<EmbeddedNeo4jConfig, 'mode'> {
  const values: Env = {};
  const name = (flag: keyof LocalNeo4jFlags, variable: string): string => {
    const key = flags[flag] !== undefined ? `--${flag}` : variable;
    values[key] = flags[flag] ?? env[variable];
    return key;
  };
  const read = new SettingsReader(values);
  const settings = {
    boltPort: read.port(name('port', 'LOCAL_NEO4J_BOLT_PORT'), LOCAL_NEO4J_BOLT_PORT_DEFAULT),
    instanceName: read.instanceName(name('name', 'LOCAL_NEO4J_INSTANCE'), 'default'),
    heapSize: read.memory(name('heap', 'LOCAL_NEO4J_HEAP'), '512m'),
    pageCacheSize: read.memory(name('pagecache', 'LOCAL_NEO4J_PAGECACHE'), '128m'),
  };
  read.finish();
  return settings;
}
