/**
 * Load and outage figures of the embedded default, as a user meets them (issue 9; a benchmark that prints
 * figures, not a test). `npm start` runs as a child process on its own ports and its own data folder
 * (`.neo4j/instances/bench-cold/`), and N connections (one request at a time each, Node's fetch) load it
 * with a mix of browse and analysis queries. Not autocannon: it drops the requests in flight when its
 * time is up, and right after a start, while the API holds requests until it is warm, that is all of them.
 *
 *   npm run bench:cold                      # mode cold, then mode existing
 *   npm run bench:cold -- --mode cold       # a fresh data folder: Neo4j creates its store, the corpus is loaded
 *   npm run bench:cold -- --mode existing   # the data folder of an earlier run (corpus already loaded)
 *   npm run bench:kill                      # = --mode kill: SIGKILL the Neo4j JVM under load
 *   npm run bench:cold -- --mode outage-uri # the same outage with NEO4J_URI (your own Neo4j, not restarted)
 *
 * Options: --port (API, default $PORT or 4050), --bolt (embedded Neo4j, default $LOCAL_NEO4J_BOLT_PORT or
 * 7800), --connections (50 for cold/existing, 20 for kill), --seconds (60 for cold/existing; kill: load
 * time after the kill, 90), --out <file> (the report is also written there).
 *
 * Modes cold and existing: the load starts as soon as the API's port accepts a TCP connection, without
 * waiting for /health to say ok. Before that, a client polls the port every 100 ms, as a user retrying a
 * refused connection would; those refused attempts are one figure of their own ("refused before
 * listening"), not errors of the run. Once the port accepts, every request counts: a connection error, a
 * timeout, a non-2xx status or a GraphQL error (counted by extensions.code).
 *
 * Mode kill: the API is started (existing data folder if there is one) and warmed, a steady load runs for
 * 10 s, then the Neo4j JVM is killed with SIGKILL (its pid from the launcher's pid file); the load goes on
 * while the API restarts and warms Neo4j, and a prober sends one light query every 250 ms (the way a user
 * sees an outage: how long until an error, which error). Printed per second: answers ok, SERVICE_UNAVAILABLE
 * errors, any other code, non-2xx, /health's status; and the times kill → first SERVICE_UNAVAILABLE,
 * kill → /health recovering, kill → /health ok, /health ok → first normal answer.
 *
 * Mode outage-uri: the same data folder served by a Neo4j this script starts, and `npm start` with
 * NEO4J_URI pointing at it (so the API neither restarts nor re-warms it); the JVM is killed with SIGKILL,
 * a prober sends `{ about { nodeCount } }` one after the other for 20 s (how long each takes to come back
 * with SERVICE_UNAVAILABLE: the driver's retries, NEO4J_RETRY_MS), then Neo4j is started again and the
 * time to the first normal answer is taken. Run it after a mode that loaded the corpus.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { questions } from './peer/questions';
import { startLocalNeo4j } from '../tools/local-neo4j/local-neo4j';

const root = resolve(__dirname, '..');
const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
};
const mode = flag('mode') ?? 'cold+existing';
if (!['cold', 'existing', 'cold+existing', 'kill', 'outage-uri'].includes(mode)) {
  process.stderr.write(`unknown --mode ${mode}: cold, existing, kill or outage-uri\n`);
  process.exit(2);
}
const port = Number(flag('port') ?? process.env.PORT ?? 4050);
const bolt = Number(flag('bolt') ?? process.env.LOCAL_NEO4J_BOLT_PORT ?? 7800);
const connections = Number(flag('connections') ?? (mode === 'kill' ? 20 : 50));
const seconds = Number(flag('seconds') ?? (mode === 'kill' ? 90 : 60));
const outFile = flag('out');
const instance = 'bench-cold';
const instanceDir = resolve(root, '.neo4j', 'instances', instance);
const base = `http://127.0.0.1:${port}`;

const lines: string[] = [];
function say(line = ''): void {
  lines.push(line);
  process.stdout.write(`${line}\n`);
}
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');

// ---------------------------------------------------------------- the mix

interface Mixed {
  name: string;
  query: string;
  variables: Record<string, unknown>;
}

/** The peer benchmark's browse questions (this API's side) and the README's analysis examples. */
function mix(): Mixed[] {
  const peer = questions({ state: 'KAZ', article: 'treaty:CRC:art:19', searchText: 'children' }).map((q) => ({
    name: `peer:${q.name}`,
    query: q.project.query,
    variables: q.project.variables,
  }));
  const examples = [
    'kazakhstan-gaps',
    'crc-coverage',
    'article-19-chain',
    'reiterated-recommendations',
    'search-english',
    'kazakhstan-follow-up-board',
  ].map((file) => ({
    name: `example:${file}`,
    query: readFileSync(resolve(root, 'examples', `${file}.graphql`), 'utf8'),
    variables: {},
  }));
  return [...peer, ...examples];
}

/** A request unanswered after this is counted as a timeout of the run (the API's own limits answer well before). */
const REQUEST_TIMEOUT_MS = 300_000;

/** A light query for the outage prober: one statement. */
const PROBE = '{ about { nodeCount } }';

// ---------------------------------------------------------------- the API under test

interface Api {
  child: ChildProcess;
  startedAt: number;
  log: string[];
}

function startApi(fresh: boolean, extraEnv: Record<string, string> = {}): Api {
  if (fresh) rmSync(instanceDir, { recursive: true, force: true });
  const startedAt = Date.now();
  // `npm start` as a user types it, in a process group of its own (so that one signal reaches npm and node).
  const env: Record<string, string | undefined> = {
    ...process.env,
    PORT: String(port),
    LOCAL_NEO4J_BOLT_PORT: String(bolt),
    LOCAL_NEO4J_INSTANCE: instance,
    LOG_LEVEL: 'info',
    ...extraEnv,
  };
  // With NEO4J_URI the embedded Neo4j's settings are refused (src/config.ts), as they should be.
  if (env.NEO4J_URI) for (const name of ['LOCAL_NEO4J_BOLT_PORT', 'LOCAL_NEO4J_INSTANCE']) delete env[name];
  const child = spawn('npm', ['start', '--silent'], {
    cwd: root,
    detached: true,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) log.push(`${Date.now() - startedAt} ${line}`);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return { child, startedAt, log };
}

async function stopApi(api: Api): Promise<void> {
  // The API's whole log, beside the report (its lines are prefixed with ms since npm start).
  if (outFile)
    writeFileSync(outFile.replace(/(\.md)?$/, `.${mode}-${api.startedAt}.api.log`), `${api.log.join('\n')}\n`);
  if (api.child.exitCode !== null) return;
  const exited = new Promise((done) => api.child.once('exit', done));
  process.kill(-api.child.pid!, 'SIGINT');
  const timer = setTimeout(() => {
    try {
      process.kill(-api.child.pid!, 'SIGKILL');
    } catch {
      // gone already
    }
  }, 60_000);
  await exited;
  clearTimeout(timer);
}

function jvmPid(): number {
  return Number(readFileSync(resolve(instanceDir, 'run', 'launcher.pid'), 'utf8').trim());
}

function portAccepts(): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/** Polls the port every 100 ms until it accepts; returns the refused attempts. */
async function waitForPort(api: Api): Promise<{ refused: number; listeningMs: number }> {
  let refused = 0;
  for (;;) {
    if (api.child.exitCode !== null) throw new Error(`the API exited with code ${api.child.exitCode}`);
    if (await portAccepts()) return { refused, listeningMs: Date.now() - api.startedAt };
    refused += 1;
    if (Date.now() - api.startedAt > 600_000) throw new Error('the API did not listen within 600 s');
    await sleep(100);
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

// ---------------------------------------------------------------- /health, watched throughout

interface HealthWatch {
  /** Status changes: time (ms since epoch), HTTP status, body status. */
  changes: Array<{ at: number; label: string }>;
  current(): string;
  firstAt(label: string, after?: number): number | undefined;
  stop(): void;
}

function watchHealth(everyMs = 200): HealthWatch {
  const changes: Array<{ at: number; label: string }> = [];
  let current = 'refused';
  let running = true;
  void (async () => {
    while (running) {
      let label: string;
      try {
        const response = await fetch(`${base}/health`, { signal: AbortSignal.timeout(5_000) });
        const body = (await response.json()) as { status?: string };
        label = `${response.status} ${body.status ?? '?'}`;
      } catch (error) {
        label = (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED' ? 'refused' : 'no answer';
      }
      if (label !== current || changes.length === 0) changes.push({ at: Date.now(), label });
      current = label;
      await sleep(everyMs);
    }
  })();
  return {
    changes,
    current: () => current,
    firstAt: (label, after = 0) => changes.find((change) => change.label === label && change.at >= after)?.at,
    stop: () => {
      running = false;
    },
  };
}

/** Waits until the API listens and its /health says ok (warm); fails if the API exits meanwhile. */
async function waitUntilWarm(api: Api, health: HealthWatch): Promise<void> {
  await waitForPort(api);
  while (health.current() !== '200 ok') {
    if (api.child.exitCode !== null) throw new Error('the API exited');
    await sleep(200);
  }
}

// ---------------------------------------------------------------- the load

interface Second {
  ok: number;
  codes: Record<string, number>;
  non2xx: Record<string, number>;
  health: string;
}

interface LoadResult {
  requests: number;
  elapsedS: number;
  latencies: number[];
  ok: number;
  codes: Record<string, number>;
  non2xx: Record<string, number>;
  connectionErrors: Record<string, number>;
  timeouts: number;
  firstOkAt: number | undefined;
  perSecond: Map<number, Second>;
  /** Per query of the mix: answers ok / with errors. */
  byQuery: Map<string, { ok: number; failed: number }>;
  firstAt: Map<string, number>;
  lastErrorAt: number | undefined;
  samples: Map<string, string>;
}

function runLoad(
  queries: Mixed[],
  options: { connections: number; seconds: number; health: HealthWatch; t0: number },
): { done: Promise<LoadResult>; result: LoadResult } {
  const result: LoadResult = {
    requests: 0,
    elapsedS: 0,
    latencies: [],
    ok: 0,
    codes: {},
    non2xx: {},
    connectionErrors: {},
    timeouts: 0,
    firstOkAt: undefined,
    perSecond: new Map(),
    byQuery: new Map(queries.map((q) => [q.name, { ok: 0, failed: 0 }])),
    firstAt: new Map(),
    lastErrorAt: undefined,
    samples: new Map(),
  };
  const second = (at: number): Second => {
    const key = Math.floor((at - options.t0) / 1000);
    let entry = result.perSecond.get(key);
    if (!entry) {
      entry = { ok: 0, codes: {}, non2xx: {}, health: options.health.current() };
      result.perSecond.set(key, entry);
    }
    entry.health = options.health.current();
    return entry;
  };
  const bump = (record: Record<string, number>, key: string) => {
    record[key] = (record[key] ?? 0) + 1;
  };
  const classify = (q: Mixed, status: number, body: string, at: number) => {
    const slot = second(at);
    const stats = result.byQuery.get(q.name)!;
    let codes: string[];
    let parsed = false;
    try {
      const json = JSON.parse(body) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
      parsed = json.data !== undefined || json.errors !== undefined;
      codes = (json.errors ?? []).map((error) => error.extensions?.code ?? 'NO_CODE');
    } catch {
      codes = ['BODY_NOT_JSON'];
    }
    if (!parsed && codes.length === 0) codes = ['BODY_NOT_GRAPHQL'];
    if (status < 200 || status >= 300) {
      bump(result.non2xx, String(status));
      bump(slot.non2xx, String(status));
    }
    if (codes.length === 0 && status >= 200 && status < 300) {
      result.ok += 1;
      slot.ok += 1;
      stats.ok += 1;
      result.firstOkAt ??= at;
      result.firstAt.set('ok', result.firstAt.get('ok') ?? at);
    } else {
      stats.failed += 1;
      result.lastErrorAt = at;
      for (const code of new Set(codes)) {
        bump(result.codes, code);
        bump(slot.codes, code);
        if (!result.firstAt.has(code)) result.firstAt.set(code, at);
        if (!result.samples.has(code)) result.samples.set(code, `${q.name}: ${body.slice(0, 400)}`);
      }
    }
  };
  // One loop per connection, each asking the mix's queries in turn (from its own offset) until the time is
  // up; the request in flight at the end is waited for and counted (autocannon drops those, and right after
  // a start, while requests are held until the API is warm, that would be every one of them).
  const started = performance.now();
  const deadline = Date.now() + options.seconds * 1000;
  const bodies = queries.map((q) => JSON.stringify({ query: q.query, variables: q.variables }));
  const worker = async (offset: number) => {
    for (let i = offset; Date.now() < deadline; i += 1) {
      const index = i % queries.length;
      const sentAt = performance.now();
      result.requests += 1;
      try {
        const response = await fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: bodies[index],
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const text = await response.text();
        result.latencies.push(performance.now() - sentAt);
        classify(queries[index]!, response.status, text, Date.now());
      } catch (error) {
        const cause = (error as { cause?: { code?: string }; name?: string }).cause?.code;
        const name = (error as { name?: string }).name;
        if (name === 'TimeoutError') result.timeouts += 1;
        const code = name === 'TimeoutError' ? 'TIMEOUT' : (cause ?? (error as Error).message);
        bump(result.connectionErrors, code);
        bump(second(Date.now()).codes, `connection:${code}`);
        result.lastErrorAt = Date.now();
        // A refused or reset connection: wait a little before the next, as a client retrying would.
        await sleep(100);
      }
    }
  };
  const done = Promise.all(Array.from({ length: options.connections }, (_, c) => worker(c))).then(() => {
    result.elapsedS = (performance.now() - started) / 1000;
    return result;
  });
  return { done, result };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const ms = (value: number) => `${Math.round(value)} ms`;

const fmt = (record: Record<string, number>) =>
  Object.keys(record).length === 0
    ? '0'
    : Object.entries(record)
        .map(([key, value]) => `${key} ${value}`)
        .join(', ');

function printLoad(result: LoadResult): void {
  const sorted = [...result.latencies].sort((a, b) => a - b);
  const errors = Object.values(result.codes).reduce((a, b) => a + b, 0);
  say(
    `requests ${result.requests} (answered ${result.latencies.length}, every one waited for) in ${result.elapsedS.toFixed(1)} s: ` +
      `${(result.latencies.length / result.elapsedS).toFixed(1)} req/s; latency p50 ${ms(percentile(sorted, 50))}, ` +
      `p95 ${ms(percentile(sorted, 95))}, p99 ${ms(percentile(sorted, 99))}, max ${ms(sorted.at(-1) ?? NaN)}`,
  );
  say(`answers ok ${result.ok}; answers with GraphQL errors ${errors}, by extensions.code: ${fmt(result.codes)}`);
  say(
    `non-2xx by status: ${fmt(result.non2xx)}; connection errors: ${fmt(result.connectionErrors)}; timeouts ${result.timeouts}`,
  );
  say(`per query (ok/failed): ${[...result.byQuery].map(([name, s]) => `${name} ${s.ok}/${s.failed}`).join('; ')}`);
  for (const [code, sample] of result.samples) say(`first ${code}: ${sample}`);
}

function printHealth(health: HealthWatch, t0: number, label: string): void {
  say(
    `/health (${label}): ${health.changes.map((c) => `${((c.at - t0) / 1000).toFixed(1)} s ${c.label}`).join(' → ')}`,
  );
}

function printLogTail(api: Api, pattern: RegExp, label: string): void {
  const matching = api.log.filter((line) => pattern.test(line) && !line.includes('"graphql request"'));
  for (const line of matching.slice(0, 16)) say(`${label} ${line.slice(0, 300)}`);
}

// ---------------------------------------------------------------- modes

async function startUnderLoad(fresh: boolean): Promise<void> {
  const queries = mix();
  say(`## ${fresh ? 'cold: a fresh data folder' : 'existing: the data folder of the previous run'}`);
  say(`load average before: ${load()}`);
  const api = startApi(fresh);
  const health = watchHealth();
  try {
    const { refused, listeningMs } = await waitForPort(api);
    say(
      `the API's port accepts ${listeningMs} ms after npm start (${refused} refused connection attempts before, one every 100 ms)`,
    );
    const run = runLoad(queries, { connections, seconds, health, t0: api.startedAt });
    const result = await run.done;
    const loadAfter = load();
    health.stop();
    say(
      `${connections} connections for ${seconds} s, from ${listeningMs} ms after npm start; ${queries.length} queries in turn per connection`,
    );
    printLoad(result);
    const healthOk = health.firstAt('200 ok');
    say(
      `from npm start: first answer with no error ${result.firstOkAt ? result.firstOkAt - api.startedAt : '—'} ms; ` +
        `/health ok ${healthOk ? healthOk - api.startedAt : '— (not within the run)'} ms` +
        (result.lastErrorAt ? `; last error ${result.lastErrorAt - api.startedAt} ms` : ''),
    );
    printHealth(health, api.startedAt, 'from npm start');
    printLogTail(
      api,
      /listening|database warm|API ready|corpus .* loaded|already up to date|ready on|"level":"(error|warn)"/,
      '  log',
    );
    say(`load average after: ${loadAfter}`);
  } finally {
    health.stop();
    await stopApi(api);
  }
}

async function killUnderLoad(): Promise<void> {
  const queries = mix();
  const fresh = !existsSync(resolve(instanceDir, 'data'));
  say(`## kill: SIGKILL of the embedded Neo4j under ${connections} connections`);
  const api = startApi(fresh);
  const health = watchHealth();
  try {
    await waitUntilWarm(api, health);
    say(
      `API warm (/health ok) ${Date.now() - api.startedAt} ms after npm start (${fresh ? 'fresh' : 'existing'} data folder)`,
    );
    say(`load average before: ${load()}`);
    const t0 = Date.now();
    const run = runLoad(queries, { connections, seconds: seconds + 10, health, t0 });
    const probes: Array<{ sentAt: number; ms: number; code: string }> = [];
    let probing = true;
    const prober = (async () => {
      while (probing) {
        const sentAt = Date.now();
        const { ms, code } = await probe();
        probes.push({ sentAt, ms, code });
        await sleep(250);
      }
    })();
    await sleep(10_000);
    const pid = jvmPid();
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    say(`SIGKILL to the Neo4j JVM (pid ${pid}) at ${((killedAt - t0) / 1000).toFixed(1)} s of the load`);
    const result = await run.done;
    probing = false;
    await prober;
    const loadAfter = load();
    health.stop();
    printLoad(result);
    const after = (at: number | undefined) => (at === undefined ? '—' : `${((at - killedAt) / 1000).toFixed(1)} s`);
    const healthOkAt = health.firstAt('200 ok', killedAt);
    const firstOkAfterHealth =
      healthOkAt === undefined ? undefined : probes.find((p) => p.sentAt >= healthOkAt && p.code === 'ok')?.sentAt;
    say(
      `kill → first SERVICE_UNAVAILABLE ${after(result.firstAt.get('SERVICE_UNAVAILABLE'))}; ` +
        `kill → /health recovering ${after(health.firstAt('503 recovering', killedAt))}; ` +
        `kill → /health ok ${after(healthOkAt)}; ` +
        `/health ok → first normal answer (prober) ${
          healthOkAt === undefined || firstOkAfterHealth === undefined
            ? '—'
            : `${((firstOkAfterHealth - healthOkAt) / 1000).toFixed(1)} s`
        }`,
    );
    printHealth(health, killedAt, 'from the kill');
    // The prober: each answer while Neo4j was away, the way a user sees it.
    const down = probes.filter((p) => p.sentAt >= killedAt && (healthOkAt === undefined || p.sentAt < healthOkAt));
    const unavailable = down.filter((p) => p.code === 'SERVICE_UNAVAILABLE').map((p) => p.ms);
    unavailable.sort((a, b) => a - b);
    say(
      `prober ({ about { nodeCount } } every 250 ms) from the kill to /health ok: ${down.length} answers, ` +
        `by code: ${fmt(down.reduce<Record<string, number>>((acc, p) => ({ ...acc, [p.code]: (acc[p.code] ?? 0) + 1 }), {}))}; ` +
        `time to SERVICE_UNAVAILABLE: min ${unavailable[0] ?? '—'} ms, p50 ${percentile(unavailable, 50)} ms, ` +
        `max ${unavailable.at(-1) ?? '—'} ms`,
    );
    say('');
    say('| s from kill | ok | SERVICE_UNAVAILABLE | other codes | non-2xx | /health |');
    say('| ---: | ---: | ---: | --- | --- | --- |');
    const killSecond = Math.floor((killedAt - t0) / 1000);
    for (const key of [...result.perSecond.keys()].sort((a, b) => a - b)) {
      const s = result.perSecond.get(key)!;
      const { SERVICE_UNAVAILABLE: unavailableCount = 0, ...others } = s.codes;
      say(`| ${key - killSecond} | ${s.ok} | ${unavailableCount} | ${fmt(others)} | ${fmt(s.non2xx)} | ${s.health} |`);
    }
    printLogTail(api, /exited|is back|database warm|gave up|could not|ready on/, '  log');
    say(`load average after: ${loadAfter}`);
  } finally {
    health.stop();
    await stopApi(api);
  }
}

/** One `{ about { nodeCount } }`: how long it took and what came back (`ok` or the first error's code). */
async function probe(): Promise<{ ms: number; code: string }> {
  const sentAt = Date.now();
  try {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: PROBE }),
    });
    const body = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
    return {
      ms: Date.now() - sentAt,
      code: body.errors?.[0]?.extensions?.code ?? (response.ok ? 'ok' : `HTTP ${response.status}`),
    };
  } catch (error) {
    return { ms: Date.now() - sentAt, code: `fetch failed: ${(error as Error).message}` };
  }
}

async function outageWithUri(): Promise<void> {
  if (!existsSync(resolve(instanceDir, 'data'))) throw new Error('no data folder yet: run --mode cold first');
  say('## outage-uri: NEO4J_URI names a Neo4j that is killed (SIGKILL) and started again by hand');
  const options = { projectRoot: root, instanceName: instance, boltPort: bolt };
  let neo4j = await startLocalNeo4j(options);
  const api = startApi(false, { NEO4J_URI: neo4j.uri, SEED_ON_START: 'false' });
  const health = watchHealth();
  try {
    await waitUntilWarm(api, health);
    const before = await probe();
    say(`before: ${before.code} in ${before.ms} ms; NEO4J_RETRY_MS ${process.env.NEO4J_RETRY_MS ?? '2000 (default)'}`);
    say(`load average: ${load()}`);
    const killedAt = Date.now();
    process.kill(neo4j.pid, 'SIGKILL');
    const down: Array<{ ms: number; code: string }> = [];
    while (Date.now() - killedAt < 20_000) down.push(await probe());
    const times = down.filter((p) => p.code === 'SERVICE_UNAVAILABLE').map((p) => p.ms);
    const sorted = [...times].sort((a, b) => a - b);
    say(
      `Neo4j killed: ${down.length} queries one after the other for 20 s, by answer: ` +
        `${fmt(down.reduce<Record<string, number>>((acc, p) => ({ ...acc, [p.code]: (acc[p.code] ?? 0) + 1 }), {}))}; ` +
        `each took (ms, in order): ${down.map((p) => p.ms).join(', ')}; SERVICE_UNAVAILABLE after min ${ms(sorted[0] ?? NaN)}, ` +
        `p50 ${ms(percentile(sorted, 50))}, max ${ms(sorted.at(-1) ?? NaN)}`,
    );
    say(`/health while down: ${health.current()}`);
    const restartAt = Date.now();
    neo4j = await startLocalNeo4j(options);
    const boltBackMs = Date.now() - restartAt;
    let first: { ms: number; code: string } | undefined;
    const meanwhile: string[] = [];
    for (;;) {
      const sentAt = Date.now();
      first = await probe();
      if (first.code === 'ok' || Date.now() - restartAt > 120_000) break;
      meanwhile.push(`${((sentAt - restartAt) / 1000).toFixed(1)} s ${first.code} (${ms(first.ms)})`);
      await sleep(100);
    }
    say(`answers after the restart began, before the first normal one: ${meanwhile.join('; ') || 'none'}`);
    const okAt = Date.now();
    say(
      `Neo4j started again (the same data folder): Bolt answered after ${ms(boltBackMs)}; first normal answer ` +
        `${ms(okAt - restartAt)} after the restart began (${first.code}, itself ${ms(first.ms)}); /health ${health.current()}`,
    );
    printHealth(health, killedAt, 'from the kill');
  } finally {
    health.stop();
    await stopApi(api);
    await neo4j.stop();
  }
}

async function main(): Promise<void> {
  say(`# cold-load ${mode} — ${new Date().toISOString()}`);
  say(`machine: ${cpus().length} cores; load average at the start ${load()} (other engineers' test runs may share it)`);
  say(`API on ${base}, embedded Neo4j on bolt port ${bolt}, data folder .neo4j/instances/${instance}/`);
  if (mode === 'cold' || mode === 'cold+existing') await startUnderLoad(true);
  if (mode === 'cold+existing') say('');
  if (mode === 'existing' || mode === 'cold+existing') await startUnderLoad(false);
  if (mode === 'kill') await killUnderLoad();
  if (mode === 'outage-uri') await outageWithUri();
  if (outFile) {
    mkdirSync(resolve(outFile, '..'), { recursive: true });
    writeFileSync(outFile, `${lines.join('\n')}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
