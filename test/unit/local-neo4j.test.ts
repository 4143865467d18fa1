import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  checkJars,
  classifyStartFailure,
  isPortFree,
  LOCAL_NEO4J_DEFAULTS,
  localNeo4jPaths,
  LocalNeo4jError,
  NEO4J_MAIN_CLASS,
  neo4jJavaArguments,
  parseJavaMajorVersion,
  readPinnedNeo4j,
  renderNeo4jConf,
  resolveLocalNeo4jOptions,
} from '../../tools/local-neo4j/local-neo4j';

const PROJECT_ROOT = resolve(__dirname, '..', '..');

/** neo4j.conf as a key → values map (server.jvm.additional may repeat; nothing else may). */
function parseConf(text: string): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const at = line.indexOf('=');
    expect(at).toBeGreaterThan(0);
    const key = line.slice(0, at);
    settings.set(key, [...(settings.get(key) ?? []), line.slice(at + 1)]);
  }
  return settings;
}

describe('the local Neo4j options', () => {
  it('fills in a small heap and page cache, a two-minute readiness wait, and no wipe', () => {
    const options = resolveLocalNeo4jOptions({ projectRoot: '.', instanceName: 'default', boltPort: 7690 });
    expect(options).toMatchObject({
      fresh: false,
      heapSize: '512m',
      pageCacheSize: '128m',
      readyTimeoutMs: 120_000,
      stopTimeoutMs: 30_000,
    });
    expect(options.projectRoot).toBe(resolve('.'));
    expect(LOCAL_NEO4J_DEFAULTS.heapSize).toBe('512m');
  });

  it('lists every bad option at once, and refuses an instance name that would leave .neo4j/instances', () => {
    const attempt = () =>
      resolveLocalNeo4jOptions({
        projectRoot: '.',
        instanceName: '../escape',
        boltPort: 70000,
        heapSize: '512',
        readyTimeoutMs: 0,
      });
    expect(attempt).toThrow(LocalNeo4jError);
    expect(attempt).toThrow(
      /instanceName "\.\.\/escape"[\s\S]*boltPort 70000[\s\S]*heapSize "512"[\s\S]*readyTimeoutMs/,
    );
  });
});

describe('the neo4j.conf written for an instance', () => {
  const paths = localNeo4jPaths('/projects/crg', 'test');
  const conf = renderNeo4jConf({ paths, boltPort: 7691, heapSize: '256m', pageCacheSize: '64m' });
  const settings = parseConf(conf);
  const value = (key: string) => settings.get(key)?.[0];

  it('listens for Bolt on loopback at the chosen port, with HTTP and HTTPS off', () => {
    expect(value('server.bolt.enabled')).toBe('true');
    expect(value('server.bolt.listen_address')).toBe('127.0.0.1:7691');
    expect(value('server.default_listen_address')).toBe('127.0.0.1');
    expect(value('server.http.enabled')).toBe('false');
    expect(value('server.https.enabled')).toBe('false');
  });

  it('turns off authentication, usage reporting and transaction log preallocation', () => {
    expect(value('dbms.security.auth_enabled')).toBe('false');
    expect(value('dbms.usage_report.enabled')).toBe('false');
    expect(value('db.tx_log.preallocate')).toBe('false');
  });

  it('sizes memory from the options', () => {
    expect(value('server.memory.heap.initial_size')).toBe('256m');
    expect(value('server.memory.heap.max_size')).toBe('256m');
    expect(value('server.memory.pagecache.size')).toBe('64m');
  });

  it('keeps data, logs, run files, imports and plugins inside the instance folder', () => {
    const directories = [...settings.keys()].filter((key) => key.startsWith('server.directories.'));
    expect(directories.sort()).toEqual(
      ['data', 'import', 'logs', 'plugins', 'run'].map((name) => `server.directories.${name}`),
    );
    for (const key of directories) expect(value(key)).toMatch(/^\/projects\/crg\/\.neo4j\/instances\/test\//);
  });

  it('sets each key once, since strict validation rejects duplicates', () => {
    for (const [key, values] of settings) expect({ key, count: values.length }).toEqual({ key, count: 1 });
  });
});

describe('the java command line', () => {
  const paths = localNeo4jPaths('/projects/crg', 'default');
  const args = neo4jJavaArguments({ paths, heapSize: '512m' });

  it('fixes the heap and carries the module openings of Neo4j’s default configuration', () => {
    expect(args.slice(0, 2)).toEqual(['-Xms512m', '-Xmx512m']);
    expect(args).toEqual(
      expect.arrayContaining([
        '--add-opens=java.base/java.nio=ALL-UNNAMED',
        '--add-opens=java.base/java.io=ALL-UNNAMED',
        '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
        '--enable-native-access=ALL-UNNAMED',
        '-XX:+UseG1GC',
      ]),
    );
  });

  it('runs the Community entry point in console mode from the fetched jars, with the instance as home', () => {
    const classpath = args.indexOf('-cp');
    expect(args[classpath + 1]).toBe('/projects/crg/.neo4j/lib/*');
    expect(args.slice(classpath + 2)).toEqual([
      NEO4J_MAIN_CLASS,
      '--home-dir=/projects/crg/.neo4j/instances/default',
      '--config-dir=/projects/crg/.neo4j/instances/default/conf',
      '--console-mode',
    ]);
  });
});

describe('the Java version check', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15', 17],
    ['openjdk version "21" 2023-09-19', 21],
    ['java version "1.8.0_292"', 8],
    ['java version "11.0.2" 2019-01-15 LTS', 11],
  ])('reads %j as Java %i', (output, major) => {
    expect(parseJavaMajorVersion(output)).toBe(major);
  });

  it('gives up on output it does not recognise', () => {
    expect(parseJavaMajorVersion('bash: java: command not found')).toBeUndefined();
  });
});

describe('the Bolt port check', () => {
  let server: Server;
  let port: number;

  beforeEach(async () => {
    server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as { port: number }).port;
  });
  afterEach(async () => {
    if (server.listening) await new Promise((done) => server.close(done));
  });

  it('sees a port another program listens on as taken, and as free once it lets go', async () => {
    expect(await isPortFree(port)).toBe(false);
    await new Promise((done) => server.close(done));
    expect(await isPortFree(port)).toBe(true);
  });
});

describe('knowing whether the jars are already in place', () => {
  let libDir: string;
  const pinned = { version: '5.26.30', pomSha256: 'abc123' };
  const writeMarker = (marker: object) => writeFileSync(join(libDir, '.fetched.json'), JSON.stringify(marker));

  beforeEach(() => {
    libDir = mkdtempSync(join(tmpdir(), 'local-neo4j-lib-'));
    writeFileSync(join(libDir, 'neo4j-5.26.30.jar'), 'x'.repeat(10));
    writeFileSync(join(libDir, 'neo4j-server-5.26.30.jar'), 'x'.repeat(20));
  });
  afterEach(() => rmSync(libDir, { recursive: true, force: true }));

  const jars = [
    { name: 'neo4j-5.26.30.jar', bytes: 10 },
    { name: 'neo4j-server-5.26.30.jar', bytes: 20 },
  ];

  it('needs a fetch when jars are there but no fetch was recorded as complete (an interrupted copy)', () => {
    expect(checkJars(libDir, pinned)).toEqual({ complete: false, reason: 'no record of a completed fetch' });
    expect(checkJars(join(libDir, 'absent'), pinned)).toEqual({ complete: false, reason: 'no jars yet' });
  });

  it('skips the fetch when the record matches the POM and every jar is there at its recorded size', () => {
    writeMarker({ neo4jVersion: '5.26.30', pomSha256: 'abc123', fetchedAt: '2026-11-22T00:00:00Z', jars });
    expect(checkJars(libDir, pinned)).toEqual({ complete: true, jarCount: 2, bytes: 30 });
  });

  it('fetches again when pom.xml pins another version, or changed in any other way', () => {
    writeMarker({ neo4jVersion: '5.26.29', pomSha256: 'abc123', fetchedAt: '2026-11-22T00:00:00Z', jars });
    expect(checkJars(libDir, pinned)).toMatchObject({
      complete: false,
      reason: 'jars are for Neo4j 5.26.29, pom.xml pins 5.26.30',
    });
    writeMarker({ neo4jVersion: '5.26.30', pomSha256: 'older', fetchedAt: '2026-11-22T00:00:00Z', jars });
    expect(checkJars(libDir, pinned)).toMatchObject({
      complete: false,
      reason: 'pom.xml changed since the jars were fetched',
    });
  });

  it('fetches again when a recorded jar is missing or truncated', () => {
    writeMarker({
      neo4jVersion: '5.26.30',
      pomSha256: 'abc123',
      fetchedAt: '2026-11-22T00:00:00Z',
      jars: [...jars, { name: 'neo4j-bolt-5.26.30.jar', bytes: 5 }],
    });
    expect(checkJars(libDir, pinned)).toMatchObject({ complete: false, reason: 'neo4j-bolt-5.26.30.jar is missing' });
    writeFileSync(join(libDir, 'neo4j-bolt-5.26.30.jar'), 'xx');
    expect(checkJars(libDir, pinned)).toMatchObject({
      complete: false,
      reason: 'neo4j-bolt-5.26.30.jar has 2 bytes, expected 5',
    });
  });
});

describe('the pinned version', () => {
  it('is an exact 5.26.x in the project’s pom.xml, the last line that runs on Java 17', () => {
    expect(readPinnedNeo4j(join(PROJECT_ROOT, 'pom.xml')).version).toMatch(/^5\.26\.\d+$/);
  });

  it('says what to do when the POM is missing', () => {
    expect(() => readPinnedNeo4j('/nonexistent/pom.xml')).toThrow(
      /Cannot read \/nonexistent\/pom\.xml.*Is projectRoot the project's root folder\?/,
    );
  });
});

describe('recognising why a start failed, from the JVM output', () => {
  it.each([
    [
      'store-lock',
      'org.neo4j.io.locker.FileLockException: Lock file has been locked by another process: /x/data/databases/store_lock.',
    ],
    ['port-taken', 'Caused by: java.net.BindException: Address already in use'],
    ['bad-config', 'Unrecognized setting. No declared setting with name: server.bolt.listen_adress.'],
    ['missing-classes', 'Error: Could not find or load main class org.neo4j.server.CommunityEntryPoint'],
    [
      'java-options',
      'Unrecognized option: --enable-native-access=ALL-UNNAMED\nError: Could not create the Java Virtual Machine.',
    ],
    ['unknown', 'Error occurred during initialization of VM\nToo small maximum heap'],
  ])('calls it %s', (kind, output) => {
    expect(classifyStartFailure(output)).toBe(kind);
  });
});
