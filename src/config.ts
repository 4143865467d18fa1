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
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export function parseConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problems.push(`${name}=${JSON.stringify(raw)} must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };
  const boolean = (name: string, fallback: boolean): boolean => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    problems.push(`${name}=${JSON.stringify(raw)} must be true or false`);
    return fallback;
  };
  const memory = (name: string, fallback: string): string => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    if (!/^\d+[kmg]$/i.test(raw)) {
      problems.push(`${name}=${JSON.stringify(raw)} must be a size such as 512m or 1g`);
      return fallback;
    }
    return raw.toLowerCase();
  };

  const port = integer('PORT', 4000, 0, 65535);
  const host = text('HOST') ?? '127.0.0.1';
  const database = text('NEO4J_DATABASE');
  if (database !== undefined && !/^[A-Za-z][A-Za-z0-9.\-]{2,62}$/.test(database)) {
    problems.push(`NEO4J_DATABASE=${JSON.stringify(database)} is not a valid Neo4j database name`);
  }

  const uri = text('NEO4J_URI');
  let neo4j: Config['neo4j'];
  if (uri !== undefined) {
    if (!/^(neo4j|bolt)(\+s|\+ssc)?:\/\/[^\s/]+/.test(uri)) {
      problems.push(
        `NEO4J_URI=${JSON.stringify(uri)} must be a Bolt or routing URI such as bolt://localhost:7687, neo4j://host:7687 or neo4j+s://<id>.databases.neo4j.io`,
      );
    }
    const user = text('NEO4J_USER') ?? 'neo4j';
    const password = env.NEO4J_PASSWORD ?? '';
    for (const name of ['LOCAL_NEO4J_BOLT_PORT', 'LOCAL_NEO4J_HEAP', 'LOCAL_NEO4J_PAGECACHE', 'LOCAL_NEO4J_INSTANCE']) {
      if (text(name) !== undefined) problems.push(`${name} applies only to the embedded Neo4j; unset it or unset NEO4J_URI`);
    }
    neo4j = { mode: 'external', uri, user, password };
  } else {
    for (const name of ['NEO4J_USER', 'NEO4J_PASSWORD']) {
      if (text(name) !== undefined) {
        problems.push(`${name} is set but NEO4J_URI is not: set NEO4J_URI to use your own Neo4j, or unset ${name} to use the embedded one`);
      }
    }
    const instanceName = text('LOCAL_NEO4J_INSTANCE') ?? 'default';
    if (!/^[a-z0-9][a-z0-9-]{0,40}$/.test(instanceName)) {
      problems.push(`LOCAL_NEO4J_INSTANCE=${JSON.stringify(instanceName)} must be lower-case letters, digits and hyphens`);
    }
    neo4j = {
      mode: 'embedded',
      boltPort: integer('LOCAL_NEO4J_BOLT_PORT', 7690, 1, 65535),
      instanceName,
      heapSize: memory('LOCAL_NEO4J_HEAP', '512m'),
      pageCacheSize: memory('LOCAL_NEO4J_PAGECACHE', '128m'),
    };
  }

  const logLevel = (text('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push(`LOG_LEVEL=${JSON.stringify(logLevel)} must be one of ${LOG_LEVELS.join(', ')}`);
  }

  const config: Config = {
    host,
    port,
    neo4j,
    database,
    seedOnStart: boolean('SEED_ON_START', neo4j.mode === 'embedded'),
    queryTimeoutMs: integer('QUERY_TIMEOUT_MS', 10_000, 100, 600_000),
    retryTimeMs: integer('NEO4J_RETRY_MS', 2_000, 0, 600_000),
    logLevel: logLevel as LogLevel,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
