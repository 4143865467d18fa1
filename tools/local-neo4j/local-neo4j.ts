/**
 * A local Neo4j Community 5.26 for development and tests, with no Docker and no tarball: the server
 * jars come from Maven Central (through the download-only pom.xml at the project root) and the server
 * class runs in one JVM that this module starts, watches and stops.
 *
 * Layout under <projectRoot>/.neo4j/ (git-ignored):
 *   lib/                       the jars, plus lib/.fetched.json once a fetch has completed
 *   instances/<name>/conf/     neo4j.conf, rewritten on every start
 *   instances/<name>/data/     the databases (wiped by `fresh`)
 *   instances/<name>/logs/     Neo4j's own logs, and console.log: the JVM's stdout and stderr
 *   instances/<name>/run/      launcher.pid while the instance runs
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  openSync,
  promises as fs,
  readdirSync,
  readFileSync,
  statSync,
  writeSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import neo4j from 'neo4j-driver';

/** A problem the person starting Neo4j can act on; the message says what is wrong and what to do. */
export class LocalNeo4jError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalNeo4jError';
  }
}

export interface LocalNeo4jOptions {
  /** Where pom.xml is; the jars go to <projectRoot>/.neo4j/lib. */
  projectRoot: string;
  /** e.g. 'default' or 'test'; conf, data and logs live under <projectRoot>/.neo4j/instances/<name>/. */
  instanceName: string;
  /** Bolt listens on 127.0.0.1:<boltPort> only. */
  boltPort: number;
  /** Wipe the instance's data folder before starting (tests). */
  fresh?: boolean;
  /** JVM heap, used for both -Xms and -Xmx (e.g. '512m'). */
  heapSize?: string;
  /** Page cache for the store files (e.g. '128m'). */
  pageCacheSize?: string;
  /** How long to wait for Bolt to answer before giving up (and stopping the JVM). */
  readyTimeoutMs?: number;
  /** How long stop() waits after SIGTERM before it sends SIGKILL. */
  stopTimeoutMs?: number;
  /** Progress lines for a person watching the start. */
  log?: (message: string) => void;
}

export interface LocalNeo4j {
  /** bolt://127.0.0.1:<port>; authentication is off. */
  uri: string;
  /** The JVM's process id. */
  pid: number;
  /** The JVM's stdout and stderr (Neo4j's user log in console mode, and any JVM crash output). */
  logFile: string;
  /** The version the server reports, e.g. '5.26.30'. */
  version: string;
  instanceDir: string;
  /** Settles when the JVM exits, whether through stop() or not. */
  exited: Promise<ProcessExit>;
  /** SIGTERM, wait (then SIGKILL if it hangs); safe to call more than once. */
  stop(): Promise<void>;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface FetchResult {
  libDir: string;
  /** False when complete jars for the pinned version were already in place. */
  fetched: boolean;
  millis: number;
  version: string;
  jarCount: number;
  /** Total size of the jars. */
  bytes: number;
}

export const LOCAL_NEO4J_DEFAULTS = {
  heapSize: '512m',
  pageCacheSize: '128m',
  readyTimeoutMs: 120_000,
  stopTimeoutMs: 30_000,
} as const;

/** The JVM options Neo4j 5.26's default neo4j.conf passes through `server.jvm.additional` (the
 * official launcher adds them; a bare `java -cp` does not, so they must be repeated here). The
 * three --add-opens, --enable-native-access and -Dlog4j2.disable.jmx are also what the 5.26 jars'
 * own config migrator (org.neo4j.commandline.dbms.ConfigFileMigrator) inserts. */
export const NEO4J_DEFAULT_JVM_FLAGS: readonly string[] = [
  '-XX:+UseG1GC',
  '-XX:-OmitStackTraceInFastThrow',
  '-XX:+AlwaysPreTouch',
  '-XX:+UnlockExperimentalVMOptions',
  '-XX:+TrustFinalNonStaticFields',
  '-XX:+DisableExplicitGC',
  '-Djdk.nio.maxCachedBufferSize=1024',
  '-Dio.netty.tryReflectionSetAccessible=true',
  '-Djdk.tls.ephemeralDHKeySize=2048',
  '-Djdk.tls.rejectClientInitiatedRenegotiation=true',
  '-XX:FlightRecorderOptions=stackdepth=256',
  '-XX:+UnlockDiagnosticVMOptions',
  '-XX:+DebugNonSafepoints',
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '--enable-native-access=ALL-UNNAMED',
  '-Dlog4j2.disable.jmx=true',
  '-Dlog4j.layout.jsonTemplate.maxStringLength=32768',
];

export const NEO4J_MAIN_CLASS = 'org.neo4j.server.CommunityEntryPoint';
const MIN_JAVA = 17;
const TESTED_JAVA = [17, 21];
const MARKER_FILE = '.fetched.json';
const LOG_TAIL_LINES = 30;
const MAVEN_TAIL_LINES = 40;
const CONSOLE_LOG_ROTATE_BYTES = 20 * 1024 * 1024;
const MEMORY_SIZE = /^\d+[kmg]$/i;
const INSTANCE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export interface ResolvedLocalNeo4jOptions {
  projectRoot: string;
  instanceName: string;
  boltPort: number;
  fresh: boolean;
  heapSize: string;
  pageCacheSize: string;
  readyTimeoutMs: number;
  stopTimeoutMs: number;
  log: (message: string) => void;
}

/** Fills in the defaults and checks every option, listing all problems at once. */
export function resolveLocalNeo4jOptions(options: LocalNeo4jOptions): ResolvedLocalNeo4jOptions {
  const resolved: ResolvedLocalNeo4jOptions = {
    projectRoot: resolve(options.projectRoot),
    instanceName: options.instanceName,
    boltPort: options.boltPort,
    fresh: options.fresh ?? false,
    heapSize: (options.heapSize ?? LOCAL_NEO4J_DEFAULTS.heapSize).toLowerCase(),
    pageCacheSize: (options.pageCacheSize ?? LOCAL_NEO4J_DEFAULTS.pageCacheSize).toLowerCase(),
    readyTimeoutMs: options.readyTimeoutMs ?? LOCAL_NEO4J_DEFAULTS.readyTimeoutMs,
    stopTimeoutMs: options.stopTimeoutMs ?? LOCAL_NEO4J_DEFAULTS.stopTimeoutMs,
    log: options.log ?? (() => {}),
  };
  const problems: string[] = [];
  if (!INSTANCE_NAME.test(resolved.instanceName)) {
    problems.push(
      `instanceName ${JSON.stringify(resolved.instanceName)} must be letters, digits, '-' or '_' (it names a folder under .neo4j/instances)`,
    );
  }
  if (!Number.isInteger(resolved.boltPort) || resolved.boltPort < 1 || resolved.boltPort > 65535) {
    problems.push(`boltPort ${String(resolved.boltPort)} must be a whole number from 1 to 65535`);
  }
  if (!MEMORY_SIZE.test(resolved.heapSize))
    problems.push(`heapSize ${JSON.stringify(resolved.heapSize)} must be a size such as 512m or 1g`);
  if (!MEMORY_SIZE.test(resolved.pageCacheSize))
    problems.push(`pageCacheSize ${JSON.stringify(resolved.pageCacheSize)} must be a size such as 128m or 1g`);
  for (const key of ['readyTimeoutMs', 'stopTimeoutMs'] as const) {
    if (!Number.isFinite(resolved[key]) || resolved[key] <= 0)
      problems.push(`${key} must be a positive number of milliseconds`);
  }
  if (problems.length > 0)
    throw new LocalNeo4jError(`Invalid local Neo4j options:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return resolved;
}

export interface LocalNeo4jPaths {
  pomFile: string;
  libDir: string;
  instanceDir: string;
  confDir: string;
  confFile: string;
  dataDir: string;
  logsDir: string;
  runDir: string;
  importDir: string;
  pluginsDir: string;
  consoleLog: string;
  pidFile: string;
}

export function localNeo4jPaths(projectRoot: string, instanceName: string): LocalNeo4jPaths {
  const root = resolve(projectRoot);
  const instanceDir = join(root, '.neo4j', 'instances', instanceName);
  const confDir = join(instanceDir, 'conf');
  const logsDir = join(instanceDir, 'logs');
  const runDir = join(instanceDir, 'run');
  return {
    pomFile: join(root, 'pom.xml'),
    libDir: join(root, '.neo4j', 'lib'),
    instanceDir,
    confDir,
    confFile: join(confDir, 'neo4j.conf'),
    dataDir: join(instanceDir, 'data'),
    logsDir,
    runDir,
    importDir: join(instanceDir, 'import'),
    pluginsDir: join(instanceDir, 'plugins'),
    consoleLog: join(logsDir, 'console.log'),
    pidFile: join(runDir, 'launcher.pid'),
  };
}

/** A minimal neo4j.conf. Only 5.26 keys: strict validation refuses to start on an unknown one. */
export function renderNeo4jConf(settings: {
  paths: LocalNeo4jPaths;
  boltPort: number;
  heapSize: string;
  pageCacheSize: string;
}): string {
  const { paths, boltPort } = settings;
  const lines = [
    '# Written by tools/local-neo4j/local-neo4j.ts on every start: edits here are overwritten.',
    '# A local development/test instance: loopback only, no authentication.',
    '',
    `server.directories.data=${paths.dataDir}`,
    `server.directories.logs=${paths.logsDir}`,
    `server.directories.run=${paths.runDir}`,
    `server.directories.import=${paths.importDir}`,
    `server.directories.plugins=${paths.pluginsDir}`,
    '',
    'server.default_listen_address=127.0.0.1',
    'server.default_advertised_address=127.0.0.1',
    'server.bolt.enabled=true',
    `server.bolt.listen_address=127.0.0.1:${boltPort}`,
    `server.bolt.advertised_address=127.0.0.1:${boltPort}`,
    'server.http.enabled=false',
    'server.https.enabled=false',
    '',
    'dbms.security.auth_enabled=false',
    'dbms.usage_report.enabled=false',
    '',
    // Community has no db.checkpoint() procedure. Checkpoint within 30 s of a write rather than the default
    // 15 minutes, so that a crash soon after the corpus load does not replay the whole load and rebuild every
    // index; the API only reads between loads, and a checkpoint with nothing new to flush is skipped.
    'db.checkpoint.interval.time=30s',
    '',
    // The JVM gets -Xms/-Xmx on its command line; stating the heap here too keeps Neo4j's own
    // memory checks (which read these settings) in agreement with the JVM.
    `server.memory.heap.initial_size=${settings.heapSize}`,
    `server.memory.heap.max_size=${settings.heapSize}`,
    `server.memory.pagecache.size=${settings.pageCacheSize}`,
    // Otherwise every new transaction log file is written out to its full 256 MiB up front.
    'db.tx_log.preallocate=false',
    '',
    // Netty waits a 5 s "quiet period" per event loop group on shutdown, which made every stop take
    // about 10 s; with 0 a stop takes well under a second. An internal setting, but declared (and so
    // accepted by strict validation) in 5.26: if a later 5.26.x drops it, start-up fails naming it.
    'internal.dbms.bolt.netty_server_shutdown_quiet_period=0',
    '',
  ];
  return lines.join('\n');
}

/** The whole java command line after the executable, as the official `neo4j console` would build it. */
export function neo4jJavaArguments(settings: { paths: LocalNeo4jPaths; heapSize: string }): string[] {
  const { paths } = settings;
  return [
    `-Xms${settings.heapSize}`,
    `-Xmx${settings.heapSize}`,
    ...NEO4J_DEFAULT_JVM_FLAGS,
    // The official launcher adds this one itself, outside neo4j.conf.
    '-Dfile.encoding=UTF-8',
    '-cp',
    `${paths.libDir}/*`,
    NEO4J_MAIN_CLASS,
    `--home-dir=${paths.instanceDir}`,
    `--config-dir=${paths.confDir}`,
    '--console-mode',
  ];
}

// ---------------------------------------------------------------------------------------------------
// The jars

export interface PinnedNeo4j {
  version: string;
  /** Any edit to the POM (a version bump, an added artifact) invalidates fetched jars. */
  pomSha256: string;
}

export function readPinnedNeo4j(pomFile: string): PinnedNeo4j {
  let pom: string;
  try {
    pom = readFileSync(pomFile, 'utf8');
  } catch (error) {
    throw new LocalNeo4jError(
      `Cannot read ${pomFile}, which lists the Neo4j jars to fetch: ${(error as Error).message}. Is projectRoot the project's root folder?`,
      {
        cause: error,
      },
    );
  }
  const version = /<neo4j\.version>\s*([^<\s]+)\s*<\/neo4j\.version>/.exec(pom)?.[1];
  if (!version)
    throw new LocalNeo4jError(
      `${pomFile} has no <neo4j.version> property: it should pin the Neo4j version, e.g. <neo4j.version>5.26.30</neo4j.version>.`,
    );
  return { version, pomSha256: createHash('sha256').update(pom).digest('hex') };
}

interface JarsMarker {
  neo4jVersion: string;
  pomSha256: string;
  fetchedAt: string;
  jars: Array<{ name: string; bytes: number }>;
}

export type JarsCheck = { complete: true; jarCount: number; bytes: number } | { complete: false; reason: string };

/** Whether libDir holds the complete jar set of a fetch made from this very POM. */
export function checkJars(libDir: string, pinned: PinnedNeo4j): JarsCheck {
  let marker: JarsMarker;
  try {
    marker = JSON.parse(readFileSync(join(libDir, MARKER_FILE), 'utf8')) as JarsMarker;
  } catch {
    return { complete: false, reason: existsSync(libDir) ? 'no record of a completed fetch' : 'no jars yet' };
  }
  if (marker.neo4jVersion !== pinned.version)
    return { complete: false, reason: `jars are for Neo4j ${marker.neo4jVersion}, pom.xml pins ${pinned.version}` };
  if (marker.pomSha256 !== pinned.pomSha256)
    return { complete: false, reason: 'pom.xml changed since the jars were fetched' };
  if (!Array.isArray(marker.jars) || marker.jars.length === 0)
    return { complete: false, reason: 'the fetch record lists no jars' };
  let bytes = 0;
  for (const jar of marker.jars) {
    let size: number;
    try {
      size = statSync(join(libDir, jar.name)).size;
    } catch {
      return { complete: false, reason: `${jar.name} is missing` };
    }
    if (size !== jar.bytes) return { complete: false, reason: `${jar.name} has ${size} bytes, expected ${jar.bytes}` };
    bytes += size;
  }
  return { complete: true, jarCount: marker.jars.length, bytes };
}

/**
 * Makes sure <projectRoot>/.neo4j/lib holds the jars pom.xml pins, fetching them with Maven when they
 * are missing, incomplete, or from another POM. A fetch goes to a scratch folder that replaces lib/
 * only once it has succeeded, so an interrupted fetch never leaves a half-filled lib/ behind.
 */
export async function ensureNeo4jJars(
  projectRoot: string,
  log: (message: string) => void = () => {},
): Promise<FetchResult> {
  const started = Date.now();
  const paths = localNeo4jPaths(projectRoot, 'default');
  const pinned = readPinnedNeo4j(paths.pomFile);
  const present = checkJars(paths.libDir, pinned);
  if (present.complete) {
    return {
      libDir: paths.libDir,
      fetched: false,
      millis: Date.now() - started,
      version: pinned.version,
      jarCount: present.jarCount,
      bytes: present.bytes,
    };
  }

  await checkJava(log);
  log(`fetching Neo4j ${pinned.version} jars from Maven Central (${present.reason}; about 125 MiB the first time)…`);
  const scratch = `${paths.libDir}.partial-${process.pid}-${Date.now()}`;
  await fs.rm(scratch, { recursive: true, force: true });
  const args = [
    '-B',
    '-q',
    '-Dstyle.color=never',
    '-f',
    paths.pomFile,
    'dependency:copy-dependencies',
    `-DoutputDirectory=${scratch}`,
  ];
  const result = await runCollecting('mvn', args, resolve(projectRoot));
  if (result.spawnError?.code === 'ENOENT') {
    await fs.rm(scratch, { recursive: true, force: true });
    throw new LocalNeo4jError(
      'Maven (`mvn`) is not installed or not on the PATH. It is needed once, to fetch the Neo4j jars from Maven Central: ' +
        'install it (e.g. `sudo apt-get install maven`, or `brew install maven`) and start again.',
    );
  }
  if (result.spawnError || result.code !== 0) {
    await fs.rm(scratch, { recursive: true, force: true });
    const why = result.spawnError ? `could not run: ${result.spawnError.message}` : `exit code ${String(result.code)}`;
    throw new LocalNeo4jError(
      `Maven could not fetch the Neo4j ${pinned.version} jars from Maven Central (${why}). ` +
        'Check the network connection and any proxy or mirror in ~/.m2/settings.xml, then run `npm run neo4j:fetch` again. ' +
        `To see Maven's full output: mvn -f ${paths.pomFile} dependency:copy-dependencies -DoutputDirectory=${paths.libDir}\n` +
        `Last lines of Maven's output:\n${indent(lastLines(stripAnsi(result.output), MAVEN_TAIL_LINES))}`,
    );
  }

  const jars = readdirSync(scratch)
    .filter((name) => name.endsWith('.jar'))
    .sort()
    .map((name) => ({ name, bytes: statSync(join(scratch, name)).size }));
  const required = [
    `neo4j-${pinned.version}.jar`,
    `neo4j-server-${pinned.version}.jar`,
    `neo4j-bolt-${pinned.version}.jar`,
  ];
  const missing = required.filter((name) => !jars.some((jar) => jar.name === name));
  if (missing.length > 0) {
    await fs.rm(scratch, { recursive: true, force: true });
    throw new LocalNeo4jError(
      `Maven finished, but ${missing.join(', ')} did not arrive. Check that pom.xml lists org.neo4j.app:neo4j-server, org.neo4j:neo4j and org.neo4j:neo4j-bolt at ${pinned.version}.`,
    );
  }
  const marker: JarsMarker = {
    neo4jVersion: pinned.version,
    pomSha256: pinned.pomSha256,
    fetchedAt: new Date().toISOString(),
    jars,
  };
  await fs.writeFile(join(scratch, MARKER_FILE), `${JSON.stringify(marker, null, 2)}\n`);

  // Another process (say, the tests beside `npm start`) may have finished the same fetch meanwhile.
  if (!checkJars(paths.libDir, pinned).complete) {
    await fs.rm(paths.libDir, { recursive: true, force: true });
    try {
      await fs.rename(scratch, paths.libDir);
    } catch (error) {
      if (!checkJars(paths.libDir, pinned).complete) throw error;
    }
  }
  await fs.rm(scratch, { recursive: true, force: true });
  const bytes = jars.reduce((sum, jar) => sum + jar.bytes, 0);
  const millis = Date.now() - started;
  log(`fetched ${jars.length} jars (${mebibytes(bytes)} MiB) in ${seconds(millis)} s`);
  return { libDir: paths.libDir, fetched: true, millis, version: pinned.version, jarCount: jars.length, bytes };
}

// ---------------------------------------------------------------------------------------------------
// Java

/** The major version in `java -version` output: 17 for "17.0.15", 8 for "1.8.0_292". */
export function parseJavaMajorVersion(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

/** JAVA_HOME's java when JAVA_HOME is set (as Maven does), else the one on the PATH. */
export function javaExecutable(env: NodeJS.ProcessEnv = process.env): string {
  return env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : 'java';
}

async function checkJava(log: (message: string) => void): Promise<{ command: string; major: number }> {
  const command = javaExecutable();
  const result = await runCollecting(command, ['-version'], process.cwd());
  if (result.spawnError) {
    const where = command === 'java' ? 'on the PATH' : `at ${command} (from JAVA_HOME)`;
    throw new LocalNeo4jError(
      `No Java found ${where}. Neo4j 5.26 needs Java ${MIN_JAVA} or 21: install a JDK (e.g. \`sudo apt-get install openjdk-17-jre-headless\`) ` +
        'or point JAVA_HOME at one.',
      { cause: result.spawnError },
    );
  }
  const major = parseJavaMajorVersion(result.output);
  if (major === undefined || major < MIN_JAVA) {
    throw new LocalNeo4jError(
      `${command} is Java ${major ?? '(unknown version)'}, but Neo4j 5.26 needs Java ${MIN_JAVA} or 21. ` +
        `Install one and put it first on the PATH, or set JAVA_HOME to it. \`${command} -version\` said:\n${indent(result.output.trim())}`,
    );
  }
  if (!TESTED_JAVA.includes(major))
    log(`warning: Java ${major} is not one Neo4j 5.26 supports (17 or 21); trying anyway`);
  return { command, major };
}

// ---------------------------------------------------------------------------------------------------
// Ports and running instances

/** Whether nothing listens on host:port (tried by listening on it briefly). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolvePromise, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolvePromise(false);
      else reject(error);
    });
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolvePromise(true)));
  });
}

function portTakenError(port: number): LocalNeo4jError {
  return new LocalNeo4jError(
    `Bolt port ${port} on 127.0.0.1 is already in use, perhaps by another Neo4j. ` +
      `Stop whatever listens there (\`ss -ltnp 'sport = :${port}'\` shows it), or pick another port: ` +
      `LOCAL_NEO4J_BOLT_PORT=<port> for the API, TEST_NEO4J_BOLT_PORT=<port> for the tests, \`--port <port>\` for the local-neo4j CLI.`,
  );
}

function storeLockError(dataDir: string, holder: string): LocalNeo4jError {
  return new LocalNeo4jError(
    `Another Neo4j server (${holder}) is already using the data folder ${dataDir}: Neo4j allows one server per store. ` +
      'Stop that server first (Ctrl-C in its terminal), or start this one under another instance name (`--name <name>` for the CLI).',
  );
}

/** The pid of a still-running JVM that this launcher started for the same instance, if any. */
function runningInstancePid(paths: LocalNeo4jPaths): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(paths.pidFile, 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
  } catch {
    return undefined;
  }
  // The pid may have been reused by an unrelated process since: on Linux, ask what it runs.
  try {
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return commandLine.includes(NEO4J_MAIN_CLASS) && commandLine.includes(paths.instanceDir) ? pid : undefined;
  } catch {
    return existsSync('/proc/self') ? undefined : pid;
  }
}

// ---------------------------------------------------------------------------------------------------
// Start and stop

/** Recognises, from the JVM's output, why a start failed. */
export function classifyStartFailure(
  logText: string,
): 'store-lock' | 'port-taken' | 'bad-config' | 'missing-classes' | 'java-options' | 'unknown' {
  if (/Lock file has been locked by another process|FileLockException|store_lock/.test(logText)) return 'store-lock';
  if (/BindException|Address already in use|PortBindException/.test(logText)) return 'port-taken';
  if (
    /Unrecognized setting|Error evaluating value for setting|Failed to read config|Invalid value|strict_validation/i.test(
      logText,
    )
  )
    return 'bad-config';
  if (/ClassNotFoundException|NoClassDefFoundError|Could not find or load main class/.test(logText))
    return 'missing-classes';
  if (/Unrecognized option|Could not create the Java Virtual Machine|Unrecognized VM option/.test(logText))
    return 'java-options';
  return 'unknown';
}

export async function startLocalNeo4j(options: LocalNeo4jOptions): Promise<LocalNeo4j> {
  const o = resolveLocalNeo4jOptions(options);
  const started = Date.now();
  const java = await checkJava(o.log);
  await ensureNeo4jJars(o.projectRoot, o.log);
  const paths = localNeo4jPaths(o.projectRoot, o.instanceName);

  const holder = runningInstancePid(paths);
  if (holder !== undefined)
    throw storeLockError(paths.dataDir, `pid ${holder}, started by this launcher as instance "${o.instanceName}"`);
  if (!(await isPortFree(o.boltPort))) throw portTakenError(o.boltPort);

  if (o.fresh) await fs.rm(paths.dataDir, { recursive: true, force: true });
  for (const dir of [paths.confDir, paths.dataDir, paths.logsDir, paths.runDir, paths.importDir, paths.pluginsDir]) {
    await fs.mkdir(dir, { recursive: true });
  }
  await fs.writeFile(
    paths.confFile,
    renderNeo4jConf({ paths, boltPort: o.boltPort, heapSize: o.heapSize, pageCacheSize: o.pageCacheSize }),
  );
  await rotateIfLarge(paths.consoleLog);

  const args = neo4jJavaArguments({ paths, heapSize: o.heapSize });
  // The JVM writes straight into the file (an undrained pipe could block it), appended so that the
  // previous run's output is still there when this one fails; tails are read from logStart on.
  const logStart = existsSync(paths.consoleLog) ? statSync(paths.consoleLog).size : 0;
  const fd = openSync(paths.consoleLog, 'a');
  let child: ChildProcess;
  try {
    writeSync(
      fd,
      `\n---- local-neo4j: starting instance "${o.instanceName}" at ${new Date().toISOString()}\n---- ${java.command} ${args.join(' ')}\n`,
    );
    // Its own process group: a Ctrl-C in the terminal signals the whole foreground group, and Neo4j would
    // otherwise shut down at the same moment as the API, under the driver's open connections. The API stops
    // it itself, after draining requests and closing the driver; the orphan guard below covers the rest.
    child = spawn(java.command, args, { cwd: paths.instanceDir, stdio: ['ignore', fd, fd], detached: true });
  } finally {
    closeSync(fd);
  }
  const exited = new Promise<ProcessExit>((resolveExit) => {
    child.once('exit', (code, signal) => resolveExit({ code, signal }));
    child.once('error', () => resolveExit({ code: null, signal: null }));
  });
  const pid = child.pid;
  if (pid === undefined) {
    await exited;
    throw new LocalNeo4jError(`Could not start ${java.command}; see ${paths.consoleLog}.`);
  }
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
    liveJvms.delete(pid);
  });

  liveJvms.add(pid);
  guardAgainstOrphans();
  await fs.writeFile(paths.pidFile, `${pid}\n`);
  o.log(
    `starting Neo4j (pid ${pid}, instance "${o.instanceName}", heap ${o.heapSize}, page cache ${o.pageCacheSize}; log ${paths.consoleLog})`,
  );

  let stopping: Promise<void> | undefined;
  let stopRequested = false;
  const stop = (): Promise<void> => {
    stopRequested = true;
    stopping ??= (async () => {
      const stopStarted = Date.now();
      if (!hasExited) {
        signalPid(pid, 'SIGTERM');
        if (!(await settlesWithin(exited, o.stopTimeoutMs))) {
          o.log(`Neo4j (pid ${pid}) did not stop within ${seconds(o.stopTimeoutMs)} s of SIGTERM; sending SIGKILL`);
          signalPid(pid, 'SIGKILL');
          await settlesWithin(exited, 10_000);
        }
        o.log(`Neo4j stopped (pid ${pid}) in ${seconds(Date.now() - stopStarted)} s`);
      }
      liveJvms.delete(pid);
      await removePidFile(paths.pidFile, pid);
    })();
    return stopping;
  };

  const uri = `bolt://127.0.0.1:${o.boltPort}`;
  let version: string;
  try {
    version = await waitUntilReady({
      uri,
      exited,
      deadline: started + o.readyTimeoutMs,
      readyTimeoutMs: o.readyTimeoutMs,
      paths,
      logStart,
      stop,
      isExited: () => hasExited,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  void exited.then(({ code, signal }) => {
    if (!stopRequested) {
      o.log(`Neo4j (pid ${pid}) exited unexpectedly (${describeExit(code, signal)}); see ${paths.consoleLog}`);
      void removePidFile(paths.pidFile, pid);
    }
  });
  o.log(`Neo4j ${version} ready on ${uri} in ${seconds(Date.now() - started)} s`);
  return { uri, pid, logFile: paths.consoleLog, version, instanceDir: paths.instanceDir, exited, stop };
}

/** JVMs started by this process and not yet seen to exit. */
const liveJvms = new Set<number>();
const ORPHAN_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let orphanGuardInstalled = false;

/**
 * Keeps a JVM from outliving this Node process when nobody calls stop(): on process exit (an uncaught
 * error, process.exit) each live JVM gets SIGTERM. A signal that would kill Node because nothing else
 * listens for it (the default action) does the same, then is re-raised so that Node still dies of it;
 * when the application has its own handler, that handler is in charge of calling stop(). Nothing can
 * be done when Node itself is SIGKILLed.
 */
function guardAgainstOrphans(): void {
  if (orphanGuardInstalled) return;
  orphanGuardInstalled = true;
  process.on('exit', () => {
    for (const pid of liveJvms) signalPid(pid, 'SIGTERM');
  });
  for (const signal of ORPHAN_SIGNALS) {
    const onSignal = () => {
      if (process.listenerCount(signal) > 1) return;
      for (const pid of liveJvms) signalPid(pid, 'SIGTERM');
      process.off(signal, onSignal);
      process.kill(process.pid, signal);
    };
    // First in line, so that it counts the other listeners before a `once` listener removes itself.
    process.prependListener(signal, onSignal);
  }
}

async function waitUntilReady(context: {
  uri: string;
  exited: Promise<ProcessExit>;
  deadline: number;
  readyTimeoutMs: number;
  paths: LocalNeo4jPaths;
  logStart: number;
  stop: () => Promise<void>;
  isExited: () => boolean;
}): Promise<string> {
  const { uri, exited, deadline, paths, logStart } = context;
  // No auth token: the instance runs with authentication off.
  const driver = neo4j.driver(uri, undefined, {
    connectionTimeout: 2_000,
    connectionAcquisitionTimeout: 3_000,
    maxConnectionPoolSize: 1,
    telemetryDisabled: true,
    userAgent: 'local-neo4j-launcher',
  });
  let lastError: unknown;
  try {
    for (;;) {
      if (context.isExited()) {
        const { code, signal } = await exited;
        throw await earlyExitError(paths, logStart, code, signal);
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      try {
        const info = await withTimeout(driver.getServerInfo(), remaining);
        if (info) return (info.agent ?? 'Neo4j/unknown').replace(/^Neo4j\//, '');
      } catch (error) {
        lastError = error;
      }
      await Promise.race([sleep(Math.min(250, Math.max(0, deadline - Date.now()))), exited]);
    }
  } finally {
    await driver.close().catch(() => undefined);
  }
  // Stop first, so that the tail includes whatever the JVM said on its way down.
  await context.stop();
  const tail = await readLogTail(paths.consoleLog, logStart);
  throw new LocalNeo4jError(
    `Neo4j did not answer on ${uri} within ${seconds(context.readyTimeoutMs)} s` +
      (lastError instanceof Error ? ` (last attempt: ${lastError.message})` : '') +
      `, so it has been stopped. If the machine is just slow, allow more time (readyTimeoutMs). ` +
      `Last lines of ${paths.consoleLog}:\n${indent(tail)}`,
  );
}

async function earlyExitError(
  paths: LocalNeo4jPaths,
  logStart: number,
  code: number | null,
  signal: NodeJS.Signals | null,
): Promise<LocalNeo4jError> {
  const tail = await readLogTail(paths.consoleLog, logStart);
  const whole = await readLogFrom(paths.consoleLog, logStart);
  const shown = `Last lines of ${paths.consoleLog}:\n${indent(tail)}`;
  switch (classifyStartFailure(whole)) {
    case 'store-lock':
      return new LocalNeo4jError(`${storeLockError(paths.dataDir, 'found from the store lock').message}\n${shown}`);
    case 'port-taken':
      return new LocalNeo4jError(
        `Neo4j could not listen on its Bolt port: another program took it after the launcher's check. ${portTakenError(portFromConf(paths)).message}\n${shown}`,
      );
    case 'bad-config':
      return new LocalNeo4jError(
        `Neo4j refused its configuration ${paths.confFile} (strict validation stops start-up on any unknown or invalid setting; the launcher writes that file, so check renderNeo4jConf against the pinned Neo4j version).\n${shown}`,
      );
    case 'missing-classes':
      return new LocalNeo4jError(
        `The Neo4j jars in ${paths.libDir} are incomplete or damaged. Delete that folder and run \`npm run neo4j:fetch\`.\n${shown}`,
      );
    case 'java-options':
      return new LocalNeo4jError(`The JVM refused its options (is this Java ${MIN_JAVA} or 21?).\n${shown}`);
    default:
      return new LocalNeo4jError(`Neo4j exited during start-up (${describeExit(code, signal)}).\n${shown}`);
  }
}

function portFromConf(paths: LocalNeo4jPaths): number {
  try {
    return Number(/^server\.bolt\.listen_address=.*:(\d+)$/m.exec(readFileSync(paths.confFile, 'utf8'))?.[1] ?? NaN);
  } catch {
    return NaN;
  }
}

// ---------------------------------------------------------------------------------------------------
// Small helpers

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

async function removePidFile(pidFile: string, pid: number): Promise<void> {
  try {
    if ((await fs.readFile(pidFile, 'utf8')).trim() === String(pid)) await fs.rm(pidFile, { force: true });
  } catch {
    // Already gone.
  }
}

async function rotateIfLarge(file: string): Promise<void> {
  try {
    if ((await fs.stat(file)).size > CONSOLE_LOG_ROTATE_BYTES) await fs.rename(file, `${file}.1`);
  } catch {
    // No log yet.
  }
}

async function readLogFrom(file: string, offset: number): Promise<string> {
  try {
    const content = await fs.readFile(file);
    return content.subarray(Math.min(offset, content.length)).toString('utf8');
  } catch {
    return '';
  }
}

async function readLogTail(file: string, offset: number): Promise<string> {
  const text = lastLines(await readLogFrom(file, offset), LOG_TAIL_LINES);
  return text === '' ? '(the log is empty)' : text;
}

function lastLines(text: string, count: number): string {
  return text.replace(/\s+$/, '').split('\n').slice(-count).join('\n');
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `killed by ${signal}`;
  return code === null ? 'could not be started' : `exit code ${code}`;
}

function seconds(millis: number): string {
  return (millis / 1000).toFixed(1);
}

function mebibytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

function sleep(millis: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, millis));
}

async function settlesWithin(promise: Promise<unknown>, millis: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolveTimeout) => {
    timer = setTimeout(() => resolveTimeout(false), millis);
  });
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function withTimeout<T>(promise: Promise<T>, millis: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${seconds(millis)} s`)), millis);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface CollectedRun {
  code: number | null;
  output: string;
  spawnError?: NodeJS.ErrnoException;
}

/** Runs a short-lived command (mvn, java -version), keeping its combined output. */
function runCollecting(command: string, args: string[], cwd: string): Promise<CollectedRun> {
  return new Promise((resolveRun) => {
    let output = '';
    let spawnError: NodeJS.ErrnoException | undefined;
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.length > 1_000_000) output = output.slice(-500_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', (error: NodeJS.ErrnoException) => {
      spawnError = error;
    });
    child.once('close', (code) => resolveRun({ code, output, spawnError }));
  });
}
