/**
 * Side-by-side benchmark: this project's API against the Neo4j GraphQL Library (@neo4j/graphql 7.x on Apollo
 * Server) over the same Neo4j and the same data, plus the raw-driver ceiling of the project's own Cypher
 * (NOT a test: it prints figures; it fails only when the two servers' answers differ or a request fails).
 *
 *   npm run bench:peer                                   # full run: real corpus, then the 100× corpus
 *   npm run bench:peer -- --smoke                        # a few seconds per question, real corpus only
 *   npm run bench:peer -- --corpus real --duration 20 --warmup 5 --connections 10
 *
 * Flags (defaults in brackets):
 *   --corpus real|100x|both   which corpora to measure [both]; 100x grows the real corpus with synthetic states
 *   --scale N                 size of the synthetic corpus, × the real corpus's node count [100]
 *   --duration S              measured seconds per question and server [30]
 *   --warmup S                unmeasured seconds per question and server first [10]
 *   --turns N                 the measured seconds cut into N turns, the servers alternating project, library,
 *                             library, project, … so that a machine slowing down or speeding up during the
 *                             run weighs on both alike [4]
 *   --connections N           concurrent HTTP connections (and raw-driver workers) [10]
 *   --only a,b                only these questions (article, recommendations, deep, gaps, search)
 *   --no-ceiling              skip the raw-driver ceiling
 *   --check-only              only check that both servers give the same answers (no load)
 *   --direct                  servers and ceiling connect to Neo4j directly, not through the counting proxies
 *                             (no statement or byte counts; shows what the proxies cost)
 *   --smoke                   --corpus real --duration 3 --warmup 2
 *   --search TEXT             search words ["children"]
 *   --port 7775               Bolt port of the benchmark's own Neo4j (instance `peer`, fresh each run)
 *   --project-port 7780 --library-port 7781   HTTP ports of the two servers
 *   --heap 2g --pagecache 1g --seed 42
 *
 * Each server runs in its own Node process (the project exactly as `npm start` runs it, with NEO4J_URI; the
 * library as its manual sets it up, bench/peer/library-server.ts), each behind its own counting Bolt proxy
 * (bench/peer/bolt-proxy.ts). The load generator is autocannon in this process. Method: bench/notes.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import neo4j, { type Driver } from 'neo4j-driver';
import { createDriver } from '../../src/db/driver';
import { startLocalNeo4j, type LocalNeo4j } from '../../tools/local-neo4j/local-neo4j';
import { silentLogger } from '../../src/logger';
import { createServer } from '../../src/server';
import { DEFAULT_CORPUS_DIR, readCorpus } from '../../seed/corpus';
import { loadCorpus } from '../../seed/loader';
import { graphNodes, growSynthetic } from '../grow';
import { summarize, type Summary } from '../repository-harness';
import { BoltProxy } from './bolt-proxy';
import { RecordingExecutor, type RecordedStatement } from './recording-executor';
import { firstDifference, questions, type Asked, type Json, type Question, type QuestionScope } from './questions';

const PROJECT_ROOT = resolve(__dirname, '..', '..');

// ---------------------------------------------------------------- options

interface Options {
  corpus: 'real' | '100x' | 'both';
  scale: number;
  duration: number;
  warmup: number;
  /** The measured seconds of each server are cut into this many turns, the two servers taking turns. */
  turns: number;
  connections: number;
  only: string[] | null;
  ceiling: boolean;
  direct: boolean;
  checkOnly: boolean;
  search: string;
  port: number;
  projectPort: number;
  libraryPort: number;
  heap: string;
  pageCache: string;
  seed: number;
}

export function parseOptions(argv: string[]): { options: Options; problems: string[] } {
  const options: Options = {
    corpus: 'both',
    scale: 100,
    duration: 30,
    warmup: 10,
    turns: 4,
    connections: 10,
    only: null,
    ceiling: true,
    direct: false,
    checkOnly: false,
    search: 'children',
    port: 7775,
    projectPort: 7780,
    libraryPort: 7781,
    heap: '2g',
    pageCache: '1g',
    seed: 42,
  };
  const problems: string[] = [];
  const numeric: Record<
    string,
    'scale' | 'duration' | 'warmup' | 'turns' | 'connections' | 'port' | 'projectPort' | 'libraryPort' | 'seed'
  > = {
    '--scale': 'scale',
    '--duration': 'duration',
    '--warmup': 'warmup',
    '--turns': 'turns',
    '--connections': 'connections',
    '--port': 'port',
    '--project-port': 'projectPort',
    '--library-port': 'libraryPort',
    '--seed': 'seed',
  };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i] as string;
    const [name, inline] = flag.includes('=') ? (flag.split('=', 2) as [string, string]) : [flag, undefined];
    const value = () => inline ?? argv[++i];
    if (name === '--smoke') Object.assign(options, { corpus: 'real', duration: 3, warmup: 2 });
    else if (name === '--no-ceiling') options.ceiling = false;
    else if (name === '--direct') options.direct = true;
    else if (name === '--check-only') options.checkOnly = true;
    else if (name === '--corpus') {
      const v = value();
      if (v === 'real' || v === '100x' || v === 'both') options.corpus = v;
      else problems.push(`--corpus needs real, 100x or both (got ${String(v)})`);
    } else if (name === '--only') options.only = (value() ?? '').split(',').filter(Boolean);
    else if (name === '--search') options.search = value() ?? '';
    else if (name === '--heap') options.heap = value() ?? '';
    else if (name === '--pagecache') options.pageCache = value() ?? '';
    else if (numeric[name]) {
      const raw = value();
      const parsed = Number(raw);
      if (raw === undefined || !Number.isFinite(parsed) || parsed <= 0)
        problems.push(`${name} needs a number > 0 (got ${String(raw)})`);
      else options[numeric[name]] = parsed;
    } else problems.push(`unknown flag ${flag}`);
  }
  return { options, problems };
}

// ---------------------------------------------------------------- the two servers

interface RunningServer {
  name: 'project' | 'library';
  url: string;
  child: ChildProcess;
  proxy: BoltProxy;
  /** Round trips the project logged per request (its JSON request log), since the last reset. */
  loggedRoundTrips: number[];
}

async function spawnServer(
  name: RunningServer['name'],
  proxy: BoltProxy,
  boltUri: string,
  port: number,
): Promise<RunningServer> {
  const args =
    name === 'project'
      ? ['--import', 'tsx', resolve(PROJECT_ROOT, 'src', 'main.ts')]
      : ['--import', 'tsx', resolve(__dirname, 'library-server.ts'), boltUri, String(port)];
  const env =
    name === 'project'
      ? {
          ...process.env,
          NEO4J_URI: boltUri,
          NEO4J_USER: 'neo4j',
          NEO4J_PASSWORD: '',
          SEED_ON_START: 'false',
          PORT: String(port),
          HOST: '127.0.0.1',
          LOG_LEVEL: 'info',
        }
      : { ...process.env };
  const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const server: RunningServer = { name, url: `http://127.0.0.1:${port}/graphql`, child, proxy, loggedRoundTrips: [] };
  const stderr: string[] = [];
  child.stderr?.on('data', (data: Buffer) => stderr.push(data.toString()));
  const ready = new Promise<void>((resolveReady, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (name === 'library' && line.startsWith('listening ')) resolveReady();
      if (name === 'project' && line.startsWith('{')) {
        try {
          const entry = JSON.parse(line) as { message?: string; roundTrips?: number; level?: string };
          if (entry.message?.startsWith('API ready')) resolveReady();
          else if (entry.message === 'graphql request' && typeof entry.roundTrips === 'number')
            server.loggedRoundTrips.push(entry.roundTrips);
          else if (entry.level === 'error' || entry.level === 'warn')
            process.stderr.write(`[project ${entry.level}] ${line.slice(0, 500)}\n`);
        } catch {
          // not a log line
        }
      }
    });
    child.once('exit', (code) =>
      reject(
        new Error(
          `the ${name} server exited (code ${String(code)}) before it served:\n${stderr.join('').slice(-3000)}`,
        ),
      ),
    );
  });
  // Generous: on a loaded machine the warm-up (every named statement planned) alone can take minutes.
  const timeout = setTimeout(() => child.kill('SIGTERM'), 300_000);
  try {
    await ready;
  } finally {
    clearTimeout(timeout);
  }
  return server;
}

async function stopServer(server: RunningServer | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null) return;
  server.child.kill('SIGTERM');
  await Promise.race([once(server.child, 'exit'), new Promise((r) => setTimeout(r, 10_000))]);
  if (server.child.exitCode === null) server.child.kill('SIGKILL');
}

async function post(url: string, asked: Asked): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(asked),
  });
  const text = await response.text();
  let body: { data?: Record<string, unknown> | null; errors?: unknown[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`non-JSON response ${response.status} from ${url}: ${text.slice(0, 500)}`);
  }
  if (response.status !== 200 || body.errors?.length || !body.data)
    throw new Error(
      `request to ${url} failed (${response.status}): ${text.slice(0, 2000)}\nQuery:\n${asked.query}\nVariables: ${JSON.stringify(asked.variables)}`,
    );
  return body.data;
}

// ---------------------------------------------------------------- load

interface Measured {
  requests: number;
  seconds: number;
  rps: number;
  latency: Summary;
  errors: number;
  /** CPU time (user + system) the server process spent per request during the run, in ms; null if unknown. */
  cpuMsPerRequest: number | null;
}

/** What one request costs in Neo4j traffic, counted exactly: sequential requests, nothing else in flight. */
interface Cost {
  /** Cypher statements (Bolt RUN messages) per request. */
  statements: number;
  /** Bytes Neo4j sent per request. */
  bytes: number;
  /** The project's own count of round trips per request (its JSON request log); null for the others. */
  logged: number | null;
}

/** A body is an answer when it carries data and no errors (a GraphQL error can come with status 200). */
function isAnswer(body: string | Buffer | undefined): boolean {
  const text = body === undefined ? '' : body.toString();
  return text.startsWith('{"data":') && !text.includes('"errors":[');
}

/** One run of load on one server: Measured, with its latencies and CPU time kept to be summed over turns. */
interface LoadTurn extends Measured {
  latencies: number[];
  cpuMs: number | null;
}

/** The turns of one server as one measurement: requests, seconds, CPU and latencies summed. */
function combineTurns(turns: LoadTurn[]): Measured {
  const requests = turns.reduce((sum, turn) => sum + turn.requests, 0);
  const seconds = turns.reduce((sum, turn) => sum + turn.seconds, 0);
  const cpu = turns.every((turn) => turn.cpuMs !== null) ? turns.reduce((sum, turn) => sum + turn.cpuMs!, 0) : null;
  return {
    requests,
    seconds,
    rps: requests / seconds,
    latency: summarize(turns.flatMap((turn) => turn.latencies)),
    errors: turns.reduce((sum, turn) => sum + turn.errors, 0),
    cpuMsPerRequest: cpu !== null && requests > 0 ? cpu / requests : null,
  };
}

async function load(
  server: RunningServer,
  asked: Asked,
  seconds: number,
  connections: number,
  measure: boolean,
): Promise<LoadTurn> {
  const latencies: number[] = [];
  const started = performance.now();
  const cpuBefore = processCpuMs(server.child.pid);
  const result = await new Promise<autocannon.Result>((resolveRun, reject) => {
    const instance = autocannon(
      {
        url: server.url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(asked),
        connections,
        duration: seconds,
        verifyBody: isAnswer,
      },
      (error, result) =>
        error ? reject(error instanceof Error ? error : new Error(String(error))) : resolveRun(result),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      if (measure) latencies.push(responseTime);
    });
  });
  const elapsed = (performance.now() - started) / 1000;
  const cpuAfter = processCpuMs(server.child.pid);
  const requests = result.requests.total;
  return {
    requests,
    seconds: elapsed,
    rps: requests / elapsed,
    latency: summarize(latencies),
    errors: result.errors + result.timeouts + result.non2xx + result.mismatches,
    cpuMsPerRequest: cpuBefore !== null && cpuAfter !== null && requests > 0 ? (cpuAfter - cpuBefore) / requests : null,
    latencies,
    cpuMs: cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null,
  };
}

/**
 * CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat (Linux; null elsewhere).
 * Per request it is the server's own cost, a steadier figure than requests per second on a shared machine.
 */
function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which is in parentheses and may hold spaces): utime is the 14th field.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}
/** USER_HZ, which Linux fixes at 100 for /proc's tick counts on every common architecture. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Waits until no Bolt traffic has passed the proxy for `quietMs` (requests cut off at the end of a load
 * run may still be finishing), so that a count starts from rest. */
async function settle(proxy: BoltProxy, quietMs = 500, maxMs = 30_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  let last = proxy.counts().bytesFromServer;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, quietMs));
    const now = proxy.counts().bytesFromServer;
    if (now === last) return;
    last = now;
  }
}

async function cost(
  proxy: BoltProxy,
  ask: () => Promise<unknown>,
  logged: () => number[] | null,
  n = 5,
): Promise<Cost> {
  await settle(proxy);
  const before = proxy.counts();
  const loggedBefore = logged()?.length ?? 0;
  for (let i = 0; i < n; i += 1) await ask();
  await settle(proxy, 200);
  const after = proxy.counts();
  const lines = logged()?.slice(loggedBefore);
  return {
    statements: (after.statements - before.statements) / n,
    bytes: (after.bytesFromServer - before.bytesFromServer) / n,
    logged: lines && lines.length > 0 ? lines.reduce((a, b) => a + b, 0) / lines.length : null,
  };
}

// ---------------------------------------------------------------- raw-driver ceiling

type Statement = RecordedStatement;

/** Groups statements into waves: those the project ran concurrently (DataLoader batches of one level). */
function waves(statements: Statement[]): Statement[][] {
  const result: Statement[][] = [];
  let waveEnd = -Infinity;
  for (const statement of statements) {
    const current = result[result.length - 1];
    if (current && statement.started < waveEnd) {
      current.push(statement);
      waveEnd = Math.max(waveEnd, statement.ended);
    } else {
      result.push([statement]);
      waveEnd = statement.ended;
    }
  }
  return result;
}

/** The project's statements for one request, by asking an in-process copy of the project once. */
async function captureStatements(driver: Driver, asked: Asked): Promise<Statement[][]> {
  const executor = new RecordingExecutor(driver, { database: undefined, queryTimeoutMs: 60_000, logger: silentLogger });
  const server = await createServer({ host: '127.0.0.1', port: 0 }, { executor, logger: silentLogger });
  try {
    await post(server.graphqlUrl, asked);
    executor.recorded = [];
    await post(server.graphqlUrl, asked);
    return waves(executor.recorded);
  } finally {
    await server.stop();
  }
}

async function runStatement(driver: Driver, statement: Statement): Promise<unknown[]> {
  const session = driver.session({ defaultAccessMode: neo4j.session.READ });
  try {
    // An auto-commit read, as the project's Executor runs each read statement (src/db/executor.ts).
    const result = await session.run(statement.cypher, statement.params, { timeout: 60_000 });
    return result.records.map((record) => record.toObject());
  } finally {
    await session.close();
  }
}

/** One request's statements, wave by wave. */
async function replay(driver: Driver, plan: Statement[][]): Promise<void> {
  for (const wave of plan) await Promise.all(wave.map((statement) => runStatement(driver, statement)));
}

/** The same statements, wave by wave, each in its own auto-commit read transaction (as the project's
 * Executor runs them), records turned into objects, by `connections` workers for `seconds`. */
async function ceiling(
  driver: Driver,
  plan: Statement[][],
  seconds: number,
  connections: number,
  measure: boolean,
): Promise<Measured> {
  const latencies: number[] = [];
  let requests = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        try {
          await replay(driver, plan);
          requests += 1;
          if (measure) latencies.push(performance.now() - t);
        } catch {
          errors += 1;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  // The ceiling runs in this process, next to the load generator: its CPU time is not its own.
  return {
    requests,
    seconds: elapsed,
    rps: requests / elapsed,
    latency: summarize(latencies),
    errors,
    cpuMsPerRequest: null,
  };
}

// ---------------------------------------------------------------- corpora

async function firstRow<T>(
  driver: Driver,
  cypher: string,
  params: Record<string, unknown> = {},
): Promise<T | undefined> {
  const session = driver.session({ defaultAccessMode: neo4j.session.READ });
  try {
    const result = await session.run(cypher, params);
    return result.records[0]?.toObject();
  } finally {
    await session.close();
  }
}

/** The state's treaty article with the most implementing provisions (the first question's article). */
async function mostImplementedArticle(driver: Driver, stateId: string): Promise<string> {
  const row = await firstRow<{ id: string }>(
    driver,
    `MATCH (p:Provision {stateId: $state})-[:IMPLEMENTS]->(a:TreatyArticle) RETURN a.id AS id, count(*) AS n ORDER BY n DESC, id LIMIT 1`,
    { state: stateId },
  );
  if (!row) throw new Error(`${stateId} implements no treaty article`);
  return row.id;
}

// ---------------------------------------------------------------- reporting

const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '—');
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '—');
const kib = (n: number) => (Number.isFinite(n) ? (n / 1024).toFixed(1) : '—');

interface Side {
  load: Measured;
  /** Null when the servers are not behind the counting proxies (--direct). */
  cost: Cost | null;
}

interface Row {
  question: Question;
  project: Side;
  library: Side;
  ceiling: Side | null;
}

const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? (a / b).toFixed(2) : '—');

const cpu = (ms: number | null): string => (ms === null ? '—' : ms.toFixed(2));

function table(rows: Row[]): string[] {
  const lines = [
    '| question | project req/s | library req/s | ratio project / library | project p50 / p95 ms | library p50 / p95 ms | Cypher statements per request, project / library | KiB from Neo4j per request, project / library | raw-driver ceiling req/s (p50 / p95 ms) | project / ceiling | server CPU ms per request, project / library | errors project / library / ceiling |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const { question, project, library, ceiling: c } of rows) {
    const p = project.load;
    const l = library.load;
    // The project's own request log should agree with the proxy; where it does not, both are shown.
    const logged = project.cost?.logged;
    const loggedNote =
      logged !== null && logged !== undefined && Math.abs(logged - (project.cost?.statements ?? NaN)) > 0.05
        ? ` (its log: ${f1(logged)})`
        : '';
    lines.push(
      `| ${question.title} | ${f0(p.rps)} | ${f0(l.rps)} | **${ratio(p.rps, l.rps)}** | ${f1(p.latency.p50)} / ${f1(p.latency.p95)} | ${f1(l.latency.p50)} / ${f1(l.latency.p95)} | ` +
        `${f1(project.cost?.statements ?? NaN)}${loggedNote} / ${f1(library.cost?.statements ?? NaN)} | ${kib(project.cost?.bytes ?? NaN)} / ${kib(library.cost?.bytes ?? NaN)} | ` +
        `${c ? `${f0(c.load.rps)} (${f1(c.load.latency.p50)} / ${f1(c.load.latency.p95)})` : '—'} | ${c ? ratio(p.rps, c.load.rps) : '—'} | ${cpu(p.cpuMsPerRequest)} / ${cpu(l.cpuMsPerRequest)} | ${p.errors} / ${l.errors} / ${c ? c.load.errors : '—'} |`,
    );
  }
  return lines;
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const { options, problems } = parseOptions(process.argv.slice(2));
  if (problems.length > 0) {
    process.stderr.write(`bench:peer: ${problems.join('; ')}\nSee the header of bench/peer/run.ts for the flags.\n`);
    process.exit(2);
  }
  const say = (line = '') => process.stdout.write(`${line}\n`);
  say(`# Side by side: the project vs @neo4j/graphql, ${new Date().toISOString()}`);
  say(`command: npm run bench:peer -- ${process.argv.slice(2).join(' ')}`);
  say(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; node ${process.version}`,
  );
  say(
    `load: ${options.connections} connections, ${options.warmup} s warm-up then ${options.duration} s measured, per question and server, in ${options.turns} turns taken by the two servers alternately (project, library, library, project, …)`,
  );

  let local: LocalNeo4j | undefined;
  let driver: Driver | undefined;
  let ceilingDriver: Driver | undefined;
  const proxies = {
    project: undefined as BoltProxy | undefined,
    library: undefined as BoltProxy | undefined,
    ceiling: undefined as BoltProxy | undefined,
  };
  const servers: { project?: RunningServer; library?: RunningServer } = {};
  const stopAll = async () => {
    await stopServer(servers.project);
    await stopServer(servers.library);
    await ceilingDriver?.close().catch(() => undefined);
    await driver?.close().catch(() => undefined);
    for (const proxy of Object.values(proxies)) await proxy?.stop();
    await local?.stop().catch(() => undefined);
  };
  process.once('SIGINT', () => {
    process.stderr.write('\ninterrupted: stopping the servers and the benchmark Neo4j…\n');
    void stopAll().then(() => process.exit(130));
  });

  let failures = 0;
  try {
    local = await startLocalNeo4j({
      projectRoot: PROJECT_ROOT,
      instanceName: 'peer',
      boltPort: options.port,
      fresh: true,
      heapSize: options.heap,
      pageCacheSize: options.pageCache,
      readyTimeoutMs: 300_000,
      log: (message) => say(`[neo4j] ${message}`),
    });
    driver = createDriver(local.uri, undefined, { retryTimeMs: 30_000 }, silentLogger);
    const report = await loadCorpus(driver, await readCorpus(DEFAULT_CORPUS_DIR), {});
    say(
      `real corpus: ${report.nodeCount} nodes, ${report.relationshipCount} relationships (seed/loader.ts, ${report.ms} ms)`,
    );

    const target = { host: '127.0.0.1', port: options.port };
    proxies.project = new BoltProxy(target);
    proxies.library = new BoltProxy(target);
    proxies.ceiling = new BoltProxy(target);
    const [projectBolt, libraryBolt, ceilingBolt] = options.direct
      ? [local.uri, local.uri, local.uri]
      : [await proxies.project.start(), await proxies.library.start(), await proxies.ceiling.start()];
    servers.project = await spawnServer('project', proxies.project, projectBolt, options.projectPort);
    servers.library = await spawnServer('library', proxies.library, libraryBolt, options.libraryPort);
    // The ceiling's driver is configured as the project's (createDriver), through its own counting proxy.
    ceilingDriver = createDriver(ceilingBolt, undefined, { retryTimeMs: 2_000 }, silentLogger);
    say(
      `servers: project ${servers.project.url} (pid ${servers.project.child.pid}), library ${servers.library.url} (pid ${servers.library.child.pid}); Neo4j ${local.version} on ${local.uri}`,
    );

    const stages: Array<{ name: string; state: string; grow?: number }> = [];
    if (options.corpus !== '100x') stages.push({ name: 'real corpus', state: 'KAZ' });
    if (options.corpus !== 'real')
      stages.push({ name: `${options.scale}× synthetic corpus`, state: 'XAA', grow: options.scale * report.nodeCount });

    for (const stage of stages) {
      say('');
      if (stage.grow !== undefined) await growSynthetic(driver, stage.grow, options.seed, say);
      const nodes = await graphNodes(driver);
      const scope: QuestionScope = {
        state: stage.state,
        article: await mostImplementedArticle(driver, `state:${stage.state}`),
        searchText: options.search,
      };
      say(
        `## ${stage.name}: ${nodes.toLocaleString('en')} nodes; state ${stage.state}, article ${scope.article}, search "${scope.searchText}"`,
      );
      const rows: Row[] = [];
      // Correctness first, for every question before any timing (which also warms both servers' code paths
      // and Neo4j's plans for every question): the same answer from both, or that question is not timed.
      const checked: Question[] = [];
      for (const question of questions(scope)) {
        if (options.only && !options.only.includes(question.name)) continue;
        const answers: Partial<Record<'project' | 'library', Json>> = {};
        for (const side of ['project', 'library'] as const) {
          const ask = async () => {
            const data = await post(servers[side]!.url, question[side]);
            return side === 'project' ? question.normaliseProject(data) : question.normaliseLibrary(data);
          };
          try {
            answers[side] = await ask();
          } catch (error) {
            // A first request can fail on a cold server (e.g. a plan built while the machine is busy): say so,
            // count it as a failure of the run, and ask once more so that the rest can still be measured.
            failures += 1;
            say(
              `  ✗ ${question.name}: the ${side}'s first answer FAILED: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}; asking once more`,
            );
            try {
              answers[side] = await ask();
            } catch (again) {
              say(
                `  ✗ ${question.name}: the ${side} failed again, not timed: ${(again instanceof Error ? again.message : String(again)).split('\n')[0]}`,
              );
            }
          }
        }
        if (answers.project === undefined || answers.library === undefined) continue;
        const difference = firstDifference(answers.project, answers.library);
        if (difference) {
          failures += 1;
          say(
            `  ✗ ${question.name}: ANSWERS DIFFER, not timed. First difference (project vs library) at ${difference}`,
          );
          continue;
        }
        say(`  ✓ ${question.name}: same answer from both (${JSON.stringify(answers.project).length} bytes normalised)`);
        checked.push(question);
      }
      for (const question of options.checkOnly ? [] : checked) {
        say(`  ${question.name}:`);
        try {
          const measured: Partial<Record<'project' | 'library', Side>> = {};
          // Both warmed, then the measured seconds in turns: project, library, library, project, …
          for (const side of ['project', 'library'] as const)
            await load(servers[side]!, question[side], options.warmup, options.connections, false);
          const turns: Record<'project' | 'library', LoadTurn[]> = { project: [], library: [] };
          const turnSeconds = options.duration / options.turns;
          for (let turn = 0; turn < options.turns; turn += 1) {
            const order = turn % 2 === 0 ? (['project', 'library'] as const) : (['library', 'project'] as const);
            for (const side of order)
              turns[side].push(await load(servers[side]!, question[side], turnSeconds, options.connections, true));
          }
          for (const side of ['project', 'library'] as const) {
            const server = servers[side]!;
            const asked = question[side];
            const loaded = combineTurns(turns[side]);
            const counted = options.direct
              ? null
              : await cost(
                  server.proxy,
                  () => post(server.url, asked),
                  () => (side === 'project' ? server.loggedRoundTrips : null),
                );
            measured[side] = { load: loaded, cost: counted };
            say(
              `    ${side}: ${loaded.requests} requests in ${loaded.seconds.toFixed(1)} s, ${f0(loaded.rps)} req/s, errors ${loaded.errors}, CPU ${loaded.cpuMsPerRequest === null ? '?' : loaded.cpuMsPerRequest.toFixed(2)} ms per request`,
            );
          }
          let ceilingSide: Side | null = null;
          if (options.ceiling) {
            const plan = await captureStatements(driver, question.project);
            await ceiling(ceilingDriver, plan, options.warmup, options.connections, false);
            const loaded = await ceiling(ceilingDriver, plan, options.duration, options.connections, true);
            const counted = options.direct
              ? null
              : await cost(
                  proxies.ceiling,
                  () => replay(ceilingDriver!, plan),
                  () => null,
                );
            ceilingSide = { load: loaded, cost: counted };
            say(
              `    raw driver (the project's ${plan.flat().length} statements in ${plan.length} waves): ${loaded.requests} requests, ${f0(loaded.rps)} req/s, errors ${loaded.errors}`,
            );
          }
          const row: Row = { question, project: measured.project!, library: measured.library!, ceiling: ceilingSide };
          if (row.project.load.errors + row.library.load.errors + (ceilingSide?.load.errors ?? 0) > 0) failures += 1;
          rows.push(row);
        } catch (error) {
          failures += 1;
          say(
            `  ✗ ${question.name}: timing FAILED, left out of the table: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`,
          );
        }
      }
      if (rows.length > 0) {
        say('');
        for (const line of table(rows)) say(line);
      }
    }
    say('');
    say(
      `load average at the end: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await stopAll();
  }
  if (failures > 0) {
    process.stderr.write(
      `bench:peer: ${failures} failure(s): differing answers or failed requests (marked ✗ or counted as errors above)\n`,
    );
    process.exit(1);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `bench:peer failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}
