/**
 * The local Neo4j by hand:
 *
 *   npx tsx tools/local-neo4j/cli.ts fetch
 *       fetch the jars pom.xml pins (once; later runs find them in place)
 *   npx tsx tools/local-neo4j/cli.ts start [--name default] [--port 7690] [--fresh] [--heap 512m] [--pagecache 128m]
 *       start an instance, print its URI, and stop it cleanly on Ctrl-C or SIGTERM; a flag left out takes
 *       the value of the variable the API reads (LOCAL_NEO4J_INSTANCE, _BOLT_PORT, _HEAP, _PAGECACHE)
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, parseLocalNeo4jSettings } from '../../src/config';
import { ensureNeo4jJars, LOCAL_NEO4J_DEFAULTS, LocalNeo4jError, startLocalNeo4j } from './local-neo4j';

/** pom.xml and .neo4j/ live at the project root, two folders up from this file. */
const PROJECT_ROOT = resolve(__dirname, '..', '..');

const USAGE = `usage:
  npx tsx tools/local-neo4j/cli.ts fetch        (npm run neo4j:fetch)
  npx tsx tools/local-neo4j/cli.ts start [--name default] [--port 7690] [--fresh] [--heap ${LOCAL_NEO4J_DEFAULTS.heapSize}] [--pagecache ${LOCAL_NEO4J_DEFAULTS.pageCacheSize}]`;

const log = (message: string) => process.stdout.write(`[local-neo4j] ${message}\n`);

async function fetchJars(): Promise<void> {
  const result = await ensureNeo4jJars(PROJECT_ROOT, log);
  const size = (result.bytes / 1024 / 1024).toFixed(1);
  const verb = result.fetched ? 'fetched' : 'already in place:';
  process.stdout.write(
    `Neo4j ${result.version}: ${verb} ${result.jarCount} jars, ${size} MiB in ${result.libDir} (${(result.millis / 1000).toFixed(1)} s)\n`,
  );
}

async function start(argv: string[]): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        name: { type: 'string' },
        port: { type: 'string' },
        fresh: { type: 'boolean', default: false },
        heap: { type: 'string' },
        pagecache: { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new LocalNeo4jError(`${(error as Error).message}\n${USAGE}`);
  }
  // Unset flags fall back to the LOCAL_NEO4J_* variables, as `npm start` reads them.
  let settings;
  try {
    settings = parseLocalNeo4jSettings(process.env, values);
  } catch (error) {
    if (error instanceof ConfigError) throw new LocalNeo4jError(`${error.message}\n${USAGE}`);
    throw error;
  }
  const neo4j = await startLocalNeo4j({
    projectRoot: PROJECT_ROOT,
    ...settings,
    fresh: values.fresh,
    log,
  });
  process.stdout.write(`${neo4j.uri}\n`);
  log(`pid ${neo4j.pid}; log ${neo4j.logFile}; Ctrl-C stops it`);

  const stopAndExit = (signal: string) => {
    log(`${signal}: stopping Neo4j`);
    neo4j.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`stopping Neo4j failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stopAndExit('SIGINT'));
  process.once('SIGTERM', () => stopAndExit('SIGTERM'));
  // The JVM also ends on its own if it crashes, or when Ctrl-C reaches it directly (same process group).
  const { code, signal } = await neo4j.exited;
  await neo4j.stop();
  if (code !== 0 && signal === null && code !== 130 && code !== 143) {
    process.stderr.write(`Neo4j exited with code ${String(code)}; see ${neo4j.logFile}\n`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'fetch':
      return fetchJars();
    case 'start':
      return start(rest);
    default:
      process.stderr.write(`${USAGE}\n`);
      process.exit(command === undefined || command === '--help' || command === '-h' ? 0 : 2);
  }
}

main().catch((error: unknown) => {
  if (error instanceof LocalNeo4jError) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
