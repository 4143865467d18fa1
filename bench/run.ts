/**
 * Benchmark of the five analysis queries over HTTP, on the real corpus plus synthetic states (NOT a test:
 * it asserts nothing, it measures and prints).
 *
 *   npm run bench                                   # 100× the real corpus, then ≥ 1,000,000 nodes (cumulative)
 *   npm run bench -- --scale 100 --nodes 0          # only the 100× corpus
 *   npm run bench -- --scale 0 --nodes 1000000 --keep   # reuse the loaded instance, only the big corpus
 *
 * Flags (defaults in brackets):
 *   --scale N          first corpus: about N × the real corpus's node count; 0 skips it [100]
 *   --nodes N          second corpus: at least N nodes in all; 0 skips it [1000000]
 *   --iterations N     measured requests per query, at most [200]
 *   --max-seconds S    measuring time per query, at most (at least 5 requests are always made) [60]
 *   --warmup N         unmeasured requests per query first (at least one per distinct variable set) [20]
 *   --path-pairs N     path pairs per hop count 1–6 within the state, and as many to other states [5]
 *   --keep             reuse the instance's data if it holds this generator's corpus (else it starts fresh)
 *   --heap 4g --pagecache 4g --port 7741 --seed 42 --batch 10000 --states-per-write 25
 *   --no-profile       skip the PROFILE of each analysis query at the end of each stage
 *
 * The loads are cumulative: the real corpus (the project's loader), then synthetic states XAA, XAB, … until
 * the first size is reached, measured, then more states until the second size, measured again. The state
 * measured is always state:XAA (the fullest synthetic profile), so both measurements query the same data
 * inside a larger graph. Its own Neo4j instance (`bench`, Bolt port 7741) is stopped at the end.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import neo4j, { type Driver } from 'neo4j-driver';
import { SettingsReader } from '../src/config';
import { createDriver } from '../src/db/driver';
import { Executor, integerParams } from '../src/db/executor';
import { AnalysisRepository } from '../src/modules/analysis/repository';
import { startLocalNeo4j, type LocalNeo4j } from '../tools/local-neo4j/local-neo4j';
import type { Logger } from '../src/logger';
import { createServer, type AppServer } from '../src/server';
import { DEFAULT_CORPUS_DIR, readCorpus } from '../seed/corpus';
import { loadCorpus } from '../seed/loader';
import { BulkWriter } from './bulk-load';
import { Random } from './random';
import {
  PATH_TYPES,
  ProfilingDb,
  REPOSITORY_CALLS,
  describeProfile,
  ms,
  summarize,
  timeCall,
  type Summary,
} from './repository-harness';
import { GENERATOR_VERSION, anchorsFrom, generateGlobal, generateState, stateCode, type RealAnchors } from './generate';
import { emptyPlan, planSize } from '../seed/plan';

const PROJECT_ROOT = resolve(__dirname, '..');
const RESULTS_DIR = resolve(__dirname, 'results');

// ---------------------------------------------------------------- options

interface Options {
  scale: number;
  nodes: number;
  iterations: number;
  maxSeconds: number;
  warmup: number;
  pathPairs: number;
  keep: boolean;
  heap: string;
  pageCache: string;
  port: number;
  seed: number;
  batch: number;
  statesPerWrite: number;
  profile: boolean;
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    scale: 100,
    nodes: 1_000_000,
    iterations: 200,
    maxSeconds: 60,
    warmup: 20,
    pathPairs: 5,
    keep: false,
    heap: '4g',
    pageCache: '4g',
    port: 7741,
    seed: 42,
    batch: 10_000,
    statesPerWrite: 25,
    profile: true,
  };
  const problems: string[] = [];
  const numeric: Record<string, keyof Options> = {
    '--scale': 'scale',
    '--nodes': 'nodes',
    '--iterations': 'iterations',
    '--max-seconds': 'maxSeconds',
    '--warmup': 'warmup',
    '--path-pairs': 'pathPairs',
    '--port': 'port',
    '--seed': 'seed',
    '--batch': 'batch',
    '--states-per-write': 'statesPerWrite',
  };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i] as string;
    const [name, inline] = flag.includes('=') ? (flag.split('=', 2) as [string, string]) : [flag, undefined];
    const value = () => inline ?? argv[++i];
    if (name === '--keep') options.keep = true;
    else if (name === '--no-profile') options.profile = false;
    else if (name === '--heap') options.heap = value() ?? '';
    else if (name === '--pagecache') options.pageCache = value() ?? '';
    else if (numeric[name]) {
      const raw = value();
      const parsed = Number(raw?.replace(/_/g, ''));
      if (raw === undefined || !Number.isFinite(parsed) || parsed < 0)
        problems.push(`${name} needs a number ≥ 0 (got ${String(raw)})`);
      else (options as unknown as Record<string, number>)[numeric[name] as string] = parsed;
    } else problems.push(`unknown flag ${flag}`);
  }
  // The local Neo4j's settings follow the rules the API applies to LOCAL_NEO4J_* (src/config.ts).
  const local = new SettingsReader({
    '--heap': options.heap,
    '--pagecache': options.pageCache,
    '--port': String(options.port),
  });
  options.heap = local.memory('--heap', options.heap);
  options.pageCache = local.memory('--pagecache', options.pageCache);
  local.port('--port', options.port);
  problems.push(...local.problems);
  if (options.scale === 0 && options.nodes === 0) problems.push('--scale and --nodes are both 0: nothing to measure');
  if (options.iterations < 1) problems.push('--iterations must be at least 1');
  if (problems.length > 0) {
    process.stderr.write(`bench: ${problems.join('; ')}\nSee the header of bench/run.ts for the flags.\n`);
    process.exit(2);
  }
  return options;
}

// ---------------------------------------------------------------- the queries (selections as in examples/*.graphql)

const QUERIES = {
  // examples/kazakhstan-gaps.graphql
  recommendationGaps: `query BenchRecommendationGaps($state: ID!) {
  recommendationGaps(state: $state, strictness: LENIENT, first: 50) {
    totalCount
    testedCount
    edges {
      node {
        recommendation { id label summary year }
        reasons
        explanation
        answers { extent by { __typename ... on Mechanism { id name status } } }
        relatedMechanisms { id name status }
        relatedBodies { id name }
      }
    }
  }
}`,
  // examples/crc-coverage.graphql
  treatyCoverage: `query BenchTreatyCoverage($state: ID!) {
  treatyCoverage(treaty: "CRC", state: $state) {
    summary { articleCount articlesWithNoProvision articlesWithOnlyDeclarativeProvisions articlesWithOpenRecommendations articlesWithMechanism }
    rows {
      article { number title }
      bestExtent
      implementations { extent merged provision { id } }
      mechanisms { id status }
      recommendations { id }
      openRecommendationCount
      findings { id title }
      statistics { id indicator value unit year }
    }
  }
}`,
  // examples/article-19-chain.graphql
  implementationChain: `query BenchImplementationChain($article: ID!, $state: ID!) {
  implementationChain(article: $article, state: $state) {
    provisions {
      implementation { extent merged verification provision { id heading } }
      bodies { relation body { id name status } verification }
      mechanisms { id name status }
    }
    mechanisms { id name status groundedIn { basis { __typename ... on Provision { id } ... on LegalInstrument { id } } } }
    evidence { __typename id verification ... on Finding { title } ... on Statistic { indicator value unit year } }
    recommendations {
      recommendation { id label year }
      document { symbol date }
      relatedDocuments { id symbol kind }
      answers { extent }
    }
  }
}`,
  // examples/reiterated-recommendations.graphql
  reiteratedRecommendations: `query BenchReiteratedRecommendations($state: ID!) {
  reiteratedRecommendations(state: $state) {
    totalCount
    edges {
      node {
        length
        firstYear
        lastYear
        latestAnswered
        recommendations { id label year }
        links { note verification sources { locator source { id } } }
      }
    }
  }
}`,
  // examples/path-recommendation-to-body.graphql
  path: `query BenchPath($from: ID!, $to: ID!) {
  path(from: $from, to: $to, maxHops: 6) {
    length
    nodes { __typename id }
    steps { type forward verification from { id } to { id } sources { locator source { id } } }
  }
}`,
} as const;
type QueryName = keyof typeof QUERIES;

/** p95 targets in ms, on the million-node corpus. */
const TARGETS: Partial<Record<QueryName, number>> = {
  recommendationGaps: 50,
  implementationChain: 50,
  treatyCoverage: 150,
  path: 200,
};

// ---------------------------------------------------------------- machine and load

interface CpuSample {
  at: number;
  machineBusy: number;
  machineTotal: number;
  jvmTicks: number;
}

function sampleCpu(jvmPid: number | undefined): CpuSample {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  const total = fields.reduce((a, b) => a + b, 0);
  let jvmTicks = 0;
  if (jvmPid !== undefined) {
    try {
      const stat = readFileSync(`/proc/${jvmPid}/stat`, 'utf8');
      const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      jvmTicks = Number(after[11]) + Number(after[12]);
    } catch {
      jvmTicks = 0;
    }
  }
  return { at: Date.now(), machineBusy: total - idle, machineTotal: total, jvmTicks };
}

/** Whole-machine CPU busy (% of all cores) and our JVM's share between two samples. */
function cpuBetween(a: CpuSample, b: CpuSample): { machinePct: number; jvmPct: number } {
  const total = b.machineTotal - a.machineTotal || 1;
  return {
    machinePct: (100 * (b.machineBusy - a.machineBusy)) / total,
    jvmPct: (100 * (b.jvmTicks - a.jvmTicks)) / total,
  };
}

/** Other processes' CPU and memory, to say how loaded the machine was (our JVM and this process excluded). */
function otherLoad(excludePids: number[]): string {
  const ps = spawnSync('ps', ['-eo', 'pid=,pcpu=,rss=,comm='], { encoding: 'utf8' });
  if (ps.status !== 0) return 'ps unavailable';
  let javas = 0;
  let nodes = 0;
  let cpu = 0;
  let rssKb = 0;
  for (const line of ps.stdout.split('\n')) {
    const [pid, pcpu, rss, comm] = line.trim().split(/\s+/);
    if (!pid || excludePids.includes(Number(pid))) continue;
    cpu += Number(pcpu) || 0;
    rssKb += Number(rss) || 0;
    if (comm === 'java') javas += 1;
    if (comm === 'node' || comm === 'MainThread') nodes += 1;
  }
  return `${javas} other java and ${nodes} other node processes; other processes' lifetime-average CPU ${cpu.toFixed(0)}% of one core, RSS ${(rssKb / 1024 / 1024).toFixed(1)} GiB`;
}

function machineDescription(): string[] {
  const cpus = os.cpus();
  let java = 'unknown';
  try {
    const out = spawnSync('java', ['-version'], { encoding: 'utf8' });
    java = (out.stderr || out.stdout).split('\n')[0] ?? 'unknown';
  } catch {
    // java is checked again when Neo4j starts
  }
  return [
    `cpu: ${cpus.length} × ${cpus[0]?.model ?? 'unknown'}`,
    `memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB total, ${(os.freemem() / 2 ** 30).toFixed(1)} GiB free at start`,
    `os: ${os.type()} ${os.release()}; node ${process.version}; ${java}`,
    `load average at start: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  ];
}

// ---------------------------------------------------------------- the API over HTTP

interface RequestLog {
  durationMs: number;
  roundTrips: number;
}

/** Keeps the server's per-request log line (duration, round trips) by request id; prints problems. */
function captureLogger(requests: Map<string, RequestLog>): Logger {
  return {
    debug() {},
    info(message, fields) {
      if (message === 'graphql request' && fields && typeof fields.requestId === 'string') {
        requests.set(fields.requestId, {
          durationMs: Number(fields.durationMs),
          roundTrips: Number(fields.roundTrips),
        });
      }
    },
    warn(message, fields) {
      process.stderr.write(`[api warn] ${message} ${JSON.stringify(fields ?? {})}\n`);
    },
    error(message, fields) {
      process.stderr.write(`[api error] ${message} ${JSON.stringify(fields ?? {})}\n`);
    },
  };
}

let requestCounter = 0;

async function post(
  url: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<{
  ms: number;
  requestId: string;
  body: { data?: Record<string, unknown> | null; errors?: unknown[] };
  bytes: number;
}> {
  const requestId = `bench-${++requestCounter}`;
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', 'x-request-id': requestId },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  const elapsed = performance.now() - started;
  let body: { data?: Record<string, unknown> | null; errors?: unknown[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`non-JSON response ${response.status}: ${text.slice(0, 500)}`);
  }
  if (response.status !== 200 || body.errors?.length || !body.data) {
    throw new Error(
      `request failed (${response.status}).\nQuery:\n${query}\nVariables: ${JSON.stringify(variables)}\nBody: ${text.slice(0, 3000)}`,
    );
  }
  return { ms: elapsed, requestId, body, bytes: text.length };
}

interface Measurement {
  query: QueryName;
  http: Summary;
  server: Summary;
  roundTrips: number;
  bytes: number;
  /** Per group (path: by hop count), HTTP latencies. */
  groups: Map<string, number[]>;
  stoppedBy: 'iterations' | 'time';
}

interface Workload {
  query: QueryName;
  variables: Array<{ vars: Record<string, unknown>; group?: string }>;
}

async function measure(
  url: string,
  workload: Workload,
  options: Options,
  log: Map<string, RequestLog>,
): Promise<Measurement> {
  const query = QUERIES[workload.query];
  const sets = workload.variables;
  if (sets.length === 0) throw new Error(`no variables for ${workload.query}`);
  const warmups = Math.max(options.warmup, sets.length);
  for (let i = 0; i < warmups; i += 1)
    await post(url, query, (sets[i % sets.length] as Workload['variables'][number]).vars);

  const http: number[] = [];
  const server: number[] = [];
  const groups = new Map<string, number[]>();
  let roundTrips = 0;
  let bytes = 0;
  const started = performance.now();
  let stoppedBy: Measurement['stoppedBy'] = 'iterations';
  for (let i = 0; i < options.iterations; i += 1) {
    if (i >= 5 && performance.now() - started > options.maxSeconds * 1000) {
      stoppedBy = 'time';
      break;
    }
    const set = sets[i % sets.length] as Workload['variables'][number];
    const result = await post(url, query, set.vars);
    http.push(result.ms);
    const logged = log.get(result.requestId);
    if (logged) {
      server.push(logged.durationMs);
      roundTrips = Math.max(roundTrips, logged.roundTrips);
      log.delete(result.requestId);
    }
    bytes = Math.max(bytes, result.bytes);
    if (set.group !== undefined) groups.set(set.group, [...(groups.get(set.group) ?? []), result.ms]);
  }
  return {
    query: workload.query,
    http: summarize(http),
    server: summarize(server),
    roundTrips,
    bytes,
    groups,
    stoppedBy,
  };
}

// ---------------------------------------------------------------- Cypher without HTTP: timing and PROFILE

/** The analysis Cypher alone (one round trip, no GraphQL, no follow-up loaders), for attributing time. */
async function timeRepository(
  executor: Executor,
  workload: Workload,
  stateId: string,
  options: Options,
): Promise<Summary> {
  const values: number[] = [];
  const count = Math.min(options.iterations, 100);
  const started = performance.now();
  for (let i = 0; i < count + 5; i += 1) {
    if (i >= 10 && performance.now() - started > (options.maxSeconds * 1000) / 2) break;
    const set = workload.variables[i % workload.variables.length] as Workload['variables'][number];
    const { ms: elapsed } = await timeCall(executor, workload.query, { ...set.vars, stateId });
    if (i >= 5) values.push(elapsed);
  }
  return summarize(values);
}

async function profileQuery(
  executor: Executor,
  driver: Driver,
  workload: Workload,
  stateId: string,
): Promise<string[]> {
  const set = workload.variables[0] as Workload['variables'][number];
  // Twice: the first run includes planning; the second is the warm plan.
  let db = new ProfilingDb(executor, driver);
  await REPOSITORY_CALLS[workload.query](new AnalysisRepository(db), { ...set.vars, stateId });
  db = new ProfilingDb(executor, driver);
  await REPOSITORY_CALLS[workload.query](new AnalysisRepository(db), { ...set.vars, stateId });
  return db.profiles.flatMap((profile) =>
    describeProfile(`${workload.query} with ${JSON.stringify(set.vars)}`, profile),
  );
}

// ---------------------------------------------------------------- workloads for one state

async function readRows<T>(driver: Driver, cypher: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const session = driver.session({ defaultAccessMode: neo4j.session.READ });
  try {
    const result = await session.executeRead((tx) => tx.run(cypher, integerParams(params)), { timeout: 600_000 });
    return result.records.map((record) => record.toObject() as T);
  } finally {
    await session.close();
  }
}

async function stateProfile(driver: Driver, stateId: string): Promise<string> {
  const [row] = await readRows<Record<string, number>>(
    driver,
    `MATCH (s:State {id: $state})
     RETURN COUNT { (:Recommendation)-[:ADDRESSED_TO]->(s) } AS recommendations,
            COUNT { (r:Recommendation)-[:ADDRESSED_TO]->(s) WHERE r.kind = 'RECOMMENDATION' AND NOT EXISTS { (:Recommendation)-[:PART_OF]->(r) } } AS tested,
            COUNT { (d:Document {stateId: $state}) } AS documents,
            COUNT { (p:Provision {stateId: $state}) } AS provisions,
            COUNT { (m:Mechanism {stateId: $state}) } AS mechanisms,
            COUNT { (b:Body {stateId: $state}) } AS bodies,
            COUNT { (e:Evidence)-[:OF_STATE]->(s) } AS evidence`,
    { state: stateId },
  );
  const [hub] = await readRows<Record<string, number>>(
    driver,
    `MATCH (a:TreatyArticle {id: 'treaty:CRC:art:19'})
     RETURN COUNT { (a)<-[:CONCERNS]-() } AS concerns, COUNT { (a)<-[:IMPLEMENTS]-() } AS implementsIn, COUNT { (a)<-[:GIVES_EFFECT_TO]-() } AS givesEffect, COUNT { (a)<-[:ABOUT]-() } AS about`,
  );
  return (
    `${stateId}: ${row?.recommendations} recommendations (${row?.tested} tested), ${row?.documents} documents, ${row?.provisions} provisions, ` +
    `${row?.mechanisms} mechanisms, ${row?.bodies} bodies, ${row?.evidence} statistics and findings. ` +
    `Hub treaty:CRC:art:19 (all states): ${hub?.concerns} CONCERNS, ${hub?.implementsIn} IMPLEMENTS, ${hub?.givesEffect} GIVES_EFFECT_TO, ${hub?.about} ABOUT in`
  );
}

/** The ids of a state's entities of the kinds a path query starts or ends at, in id order. */
async function stateEntities(driver: Driver, stateId: string): Promise<string[]> {
  const rows = await readRows<{ id: string }>(
    driver,
    `CALL () { MATCH (n:Recommendation {stateId: $state}) RETURN n.id AS id
               UNION MATCH (n:Provision {stateId: $state}) RETURN n.id AS id
               UNION MATCH (n:Mechanism {stateId: $state}) RETURN n.id AS id
               UNION MATCH (n:Body {stateId: $state}) RETURN n.id AS id
               UNION MATCH (n:Statistic {stateId: $state}) RETURN n.id AS id
               UNION MATCH (n:Finding {stateId: $state}) RETURN n.id AS id
               UNION MATCH (n:Document {stateId: $state}) RETURN n.id AS id
               UNION MATCH (n:LegalInstrument {stateId: $state}) RETURN n.id AS id }
     RETURN id ORDER BY id`,
    { state: stateId },
  );
  return rows.map((r) => r.id);
}

interface PathPair {
  from: string;
  to: string;
  /** Length of the shortest path, null when there is none within 6 hops. */
  hops: number | null;
  /** Whether `to` belongs to another state (the path must then cross a hub such as a treaty article). */
  crossState: boolean;
}

/**
 * Pairs 1–6 hops apart (by the API's own shortest path), found by random walks from the state's entities;
 * plus as many pairs from the state to entities of other states (random states), whatever their distance.
 */
async function findPathPairs(
  driver: Driver,
  executor: Executor,
  stateId: string,
  perHop: number,
  seed: number,
  otherStates: string[],
): Promise<PathPair[]> {
  const starts = await stateEntities(driver, stateId);
  const rng = new Random(seed);
  const buckets = new Map<number, PathPair[]>();
  for (let h = 1; h <= 6; h += 1) buckets.set(h, []);
  const seen = new Set<string>();
  const neighbours = new Map<string, string[]>();
  const step = async (id: string): Promise<string[]> => {
    const cached = neighbours.get(id);
    if (cached) return cached;
    const rows = await readRows<{ id: string }>(
      driver,
      `MATCH (x:Entity {id: $id})-[:${PATH_TYPES.join('|')}]-(y:Entity)
       WHERE y.stateId = $state OR y:TreatyArticle OR y:Treaty
       RETURN DISTINCT y.id AS id LIMIT 300`,
      { id, state: stateId },
    );
    const ids = rows.map((r) => r.id);
    neighbours.set(id, ids);
    return ids;
  };
  const shortest = async (from: string, to: string) =>
    (await new AnalysisRepository(executor.forRequest('bench-pairs')).path(from, to, 6, PATH_TYPES)).path?.steps
      .length ?? null;
  const started = Date.now();
  for (let attempt = 0; attempt < 3000 && Date.now() - started < 180_000; attempt += 1) {
    const missing = [...buckets.entries()].filter(([, pairs]) => pairs.length < perHop).map(([h]) => h);
    if (missing.length === 0) break;
    const target = rng.pick(missing);
    const from = rng.pick(starts);
    let current = from;
    const visited = new Set([from]);
    const walk = target + rng.int(0, target >= 4 ? 6 : 1);
    for (let s = 0; s < walk; s += 1) {
      const next = (await step(current)).filter((id) => !visited.has(id));
      if (next.length === 0) break;
      current = rng.pick(next);
      visited.add(current);
    }
    if (current === from || seen.has(`${from} ${current}`)) continue;
    seen.add(`${from} ${current}`);
    const hops = await shortest(from, current);
    const bucket = hops === null ? undefined : buckets.get(hops);
    if (bucket && bucket.length < perHop) bucket.push({ from, to: current, hops, crossState: false });
  }
  const pairs = [...buckets.values()].flat();
  for (let i = 0; i < perHop && otherStates.length > 0; i += 1) {
    const from = rng.pick(starts);
    const others = await stateEntities(driver, rng.pick(otherStates));
    if (others.length === 0) continue;
    const to = rng.pick(others);
    pairs.push({ from, to, hops: await shortest(from, to), crossState: true });
  }
  return pairs;
}

async function workloads(
  driver: Driver,
  executor: Executor,
  stateId: string,
  options: Options,
  otherStates: string[],
): Promise<{ list: Workload[]; notes: string[] }> {
  const code = stateId.slice('state:'.length);
  const articles = (
    await readRows<{ id: string }>(
      driver,
      `MATCH (r:Recommendation {stateId: $state})-[:CONCERNS]->(a:TreatyArticle {treatyId: 'treaty:CRC'})
       RETURN a.id AS id, count(*) AS n ORDER BY n DESC, id LIMIT 5`,
      { state: stateId },
    )
  ).map((r) => r.id);
  const pairs = await findPathPairs(driver, executor, stateId, options.pathPairs, options.seed, otherStates);
  const perHop = [1, 2, 3, 4, 5, 6]
    .map((h) => `${h}: ${pairs.filter((p) => !p.crossState && p.hops === h).length}`)
    .join(', ');
  const cross = pairs.filter((p) => p.crossState).map((p) => `${p.from} → ${p.to}: ${p.hops ?? 'none ≤ 6'}`);
  const group = (p: PathPair) =>
    p.crossState ? `cross-state, ${p.hops === null ? 'no path within 6' : `${p.hops} hops`}` : `${p.hops} hops`;
  return {
    list: [
      { query: 'recommendationGaps', variables: [{ vars: { state: code } }] },
      { query: 'treatyCoverage', variables: [{ vars: { state: code } }] },
      { query: 'implementationChain', variables: articles.map((article) => ({ vars: { article, state: code } })) },
      { query: 'reiteratedRecommendations', variables: [{ vars: { state: code } }] },
      { query: 'path', variables: pairs.map((p) => ({ vars: { from: p.from, to: p.to }, group: group(p) })) },
    ],
    notes: [
      `implementationChain articles (the state's 5 most recommended): ${articles.join(', ')}`,
      `path pairs within the state, per hop count: ${perHop}`,
      `path pairs to other states: ${cross.join('; ')}`,
    ],
  };
}

// ---------------------------------------------------------------- loading

interface BenchMeta {
  generatorVersion: number;
  seed: number;
  states: number;
  complete: boolean;
}

async function readMeta(driver: Driver): Promise<BenchMeta | null> {
  const [row] = await readRows<{ meta: BenchMeta | null }>(
    driver,
    `OPTIONAL MATCH (m:BenchMeta {id: 'bench'}) RETURN m {.generatorVersion, .seed, .states, .complete} AS meta`,
  );
  return row?.meta?.generatorVersion !== undefined && row.meta.generatorVersion !== null ? row.meta : null;
}

async function writeMeta(driver: Driver, meta: BenchMeta): Promise<void> {
  const session = driver.session({ defaultAccessMode: neo4j.session.WRITE });
  try {
    await session.executeWrite((tx) =>
      tx.run(
        `MERGE (m:BenchMeta {id: 'bench'}) SET m.generatorVersion = $v, m.seed = $seed, m.states = $states, m.complete = $complete`,
        {
          v: neo4j.int(meta.generatorVersion),
          seed: neo4j.int(meta.seed),
          states: neo4j.int(meta.states),
          complete: meta.complete,
        },
      ),
    );
  } finally {
    await session.close();
  }
}

async function graphSize(driver: Driver): Promise<{ nodes: number; relationships: number }> {
  const [row] = await readRows<{ nodes: number; relationships: number }>(
    driver,
    `CALL () { MATCH (n) RETURN count(n) AS nodes } CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships } RETURN nodes, relationships`,
  );
  return { nodes: Number(row?.nodes ?? 0), relationships: Number(row?.relationships ?? 0) };
}

async function runStatement(driver: Driver, cypher: string): Promise<void> {
  const session = driver.session({ defaultAccessMode: neo4j.session.WRITE });
  try {
    await session.run(cypher);
  } finally {
    await session.close();
  }
}

interface LoadResult {
  states: number;
  generateMs: number;
  writeMs: number;
  transactions: number;
  nodesWritten: number;
  relationshipsWritten: number;
}

/** Adds synthetic states after the ones already loaded until the graph holds at least `targetNodes` nodes. */
async function growTo(
  driver: Driver,
  anchors: RealAnchors,
  meta: BenchMeta,
  targetNodes: number,
  options: Options,
  say: (line: string) => void,
): Promise<LoadResult> {
  const writer = new BulkWriter(driver, { batchSize: options.batch });
  let { nodes } = await graphSize(driver);
  let generateMs = 0;
  const firstState = meta.states;
  const started = Date.now();
  while (nodes < targetNodes) {
    const plan = emptyPlan();
    const t = performance.now();
    let index = meta.states;
    let planned = 0;
    // Stop a batch early when the target is reached, so that the corpus overshoots by at most one state.
    while (index < meta.states + options.statesPerWrite && nodes + planned < targetNodes) {
      generateState(anchors, options.seed, index, plan);
      planned = planSize(plan).nodes;
      index += 1;
    }
    generateMs += performance.now() - t;
    await writeMeta(driver, { ...meta, complete: false });
    await writer.write(plan);
    meta.states = index;
    await writeMeta(driver, { ...meta, complete: true });
    nodes += planned;
    const seconds = (Date.now() - started) / 1000;
    say(
      `  states ${firstState}–${index - 1} (${stateCode(index - 1)}): ${nodes.toLocaleString('en')} nodes so far, ${writer.totals.relationships.toLocaleString('en')} relationships written, ${seconds.toFixed(0)} s, ${(writer.totals.nodes / seconds).toFixed(0)} nodes/s + ${(writer.totals.relationships / seconds).toFixed(0)} rels/s`,
    );
  }
  return {
    states: meta.states - firstState,
    generateMs,
    writeMs: writer.totals.ms,
    transactions: writer.totals.transactions,
    nodesWritten: writer.totals.nodes,
    relationshipsWritten: writer.totals.relationships,
  };
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const lines: string[] = [];
  const say = (line = '') => {
    lines.push(line);
    process.stdout.write(`${line}\n`);
  };

  say(`# Analysis query benchmark, ${new Date().toISOString()}`);
  say(`command: npm run bench -- ${process.argv.slice(2).join(' ')}`);
  for (const line of machineDescription()) say(line);
  say(`load on the machine at start: ${otherLoad([process.pid])}`);

  const corpus = await readCorpus(DEFAULT_CORPUS_DIR);
  const anchors = anchorsFrom(corpus);

  let local: LocalNeo4j | undefined;
  let driver: Driver | undefined;
  let server: AppServer | undefined;
  const stopAll = async () => {
    await server?.stop().catch(() => undefined);
    await driver?.close().catch(() => undefined);
    await local?.stop().catch(() => undefined);
  };
  process.once('SIGINT', () => {
    process.stderr.write('\ninterrupted: stopping the API and the bench Neo4j…\n');
    void stopAll().then(() => process.exit(130));
  });

  try {
    const startNeo4j = (fresh: boolean) =>
      startLocalNeo4j({
        projectRoot: PROJECT_ROOT,
        instanceName: 'bench',
        boltPort: options.port,
        fresh,
        heapSize: options.heap,
        pageCacheSize: options.pageCache,
        readyTimeoutMs: 300_000,
        stopTimeoutMs: 60_000,
        log: (message) => say(`[neo4j] ${message}`),
      });
    local = await startNeo4j(!options.keep);
    const requests = new Map<string, RequestLog>();
    const logger = captureLogger(requests);
    driver = createDriver(local.uri, undefined, { retryTimeMs: 30_000 }, logger);
    say(
      `neo4j: ${local.version}, heap ${options.heap}, page cache ${options.pageCache}, instance "bench" on ${local.uri} (pid ${local.pid})`,
    );

    let meta = await readMeta(driver);
    if (
      options.keep &&
      meta &&
      (meta.generatorVersion !== GENERATOR_VERSION || meta.seed !== options.seed || !meta.complete)
    ) {
      say(
        `the kept instance holds another corpus (generator ${meta.generatorVersion}, seed ${meta.seed}, complete ${meta.complete}): starting fresh`,
      );
      await local.stop();
      local = await startNeo4j(true);
      await driver.close();
      driver = createDriver(local.uri, undefined, { retryTimeMs: 30_000 }, logger);
      meta = null;
    }
    if (!meta) {
      const report = await loadCorpus(driver, corpus, { log: (line) => say(`[seed] ${line}`) });
      say(
        `real corpus: ${report.nodeCount} nodes, ${report.relationshipCount} relationships, loaded with seed/loader.ts in ${report.ms} ms (schema included)`,
      );
      const global = emptyPlan();
      generateGlobal(global);
      await new BulkWriter(driver, { batchSize: options.batch }).write(global);
      meta = { generatorVersion: GENERATOR_VERSION, seed: options.seed, states: 0, complete: true };
      await writeMeta(driver, meta);
    } else {
      say(`reusing the kept instance: real corpus + ${meta.states} synthetic states`);
    }

    // The real corpus's size as the loader recorded it (Entity nodes only): the unit of --scale.
    const realNodes = Number(
      (await readRows<{ n: number }>(driver, `MATCH (m:CorpusMeta {id: 'corpus'}) RETURN m.nodeCount AS n`))[0]?.n ??
        474,
    );
    const stages = [
      ...(options.scale > 0 ? [{ name: `${options.scale}× real`, target: Math.round(options.scale * realNodes) }] : []),
      ...(options.nodes > 0 ? [{ name: `≥${options.nodes.toLocaleString('en')} nodes`, target: options.nodes }] : []),
    ].sort((a, b) => a.target - b.target);

    const stateId = 'state:XAA';
    const executor = new Executor(driver, { database: undefined, queryTimeoutMs: 120_000, logger });
    server = await createServer({ host: '127.0.0.1', port: 0 }, { executor, logger });
    say(`API: ${server.graphqlUrl} (in this process; requests are sequential)`);

    const results: Array<{
      stage: string;
      size: { nodes: number; relationships: number };
      measurements: Measurement[];
      cypher: Map<QueryName, Summary>;
    }> = [];
    for (const stage of stages) {
      say('');
      say(`## ${stage.name} (target ${stage.target.toLocaleString('en')} nodes)`);
      const before = await graphSize(driver);
      if (before.nodes > stage.target * 1.05) {
        say(
          `the graph already holds ${before.nodes.toLocaleString('en')} nodes, more than this stage's size: skipped (run without --keep to measure it)`,
        );
        continue;
      }
      const loaded = await growTo(driver, anchors, meta, stage.target, options, say);
      const indexStarted = Date.now();
      await runStatement(driver, 'CALL db.awaitIndexes(3600)');
      await runStatement(driver, 'CALL db.resampleOutdatedIndexes()');
      await runStatement(driver, 'CALL db.clearQueryCaches()');
      const size = await graphSize(driver);
      say(
        `corpus: ${size.nodes.toLocaleString('en')} nodes, ${size.relationships.toLocaleString('en')} relationships ` +
          `(real corpus + ${meta.states} synthetic states; this stage added ${loaded.states} states: ` +
          `${loaded.nodesWritten.toLocaleString('en')} nodes, ${loaded.relationshipsWritten.toLocaleString('en')} relationships)`,
      );
      say(
        `load time of this stage: ${((loaded.generateMs + loaded.writeMs) / 1000).toFixed(1)} s ` +
          `(generation ${(loaded.generateMs / 1000).toFixed(1)} s, writing ${(loaded.writeMs / 1000).toFixed(1)} s in ${loaded.transactions} transactions of ≤${options.batch} rows; ` +
          `index wait ${((Date.now() - indexStarted) / 1000).toFixed(1)} s)`,
      );
      say(await stateProfile(driver, stateId));

      const otherStates = Array.from({ length: meta.states - 1 }, (_, i) => `state:${stateCode(i + 1)}`);
      const { list, notes } = await workloads(driver, executor, stateId, options, otherStates);
      for (const note of notes) say(note);

      const measurements: Measurement[] = [];
      const cypher = new Map<QueryName, Summary>();
      for (const workload of list) {
        const cpuBefore = sampleCpu(local.pid);
        const measurement = await measure(server.graphqlUrl, workload, options, requests);
        const cpu = cpuBetween(cpuBefore, sampleCpu(local.pid));
        measurements.push(measurement);
        cypher.set(workload.query, await timeRepository(executor, workload, stateId, options));
        say(
          `  ${workload.query}: ${measurement.http.n} requests (${measurement.stoppedBy === 'time' ? 'stopped by the time bound' : 'all iterations'}), ` +
            `p50 ${ms(measurement.http.p50)} ms, p95 ${ms(measurement.http.p95)} ms; machine CPU busy ${cpu.machinePct.toFixed(0)}% of ${os.cpus().length} cores (our Neo4j ${cpu.jvmPct.toFixed(0)}%)`,
        );
      }
      results.push({ stage: stage.name, size, measurements, cypher });

      say('');
      say(
        `| query | requests | p50 ms | p95 ms | max ms | server p50 / p95 ms | analysis Cypher alone p50 / p95 ms | round trips | response KiB | target p95 | met? |`,
      );
      say(`| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |`);
      for (const m of measurements) {
        const target = TARGETS[m.query];
        const c = cypher.get(m.query);
        const met = target === undefined ? '—' : m.http.p95 < target ? 'yes' : 'NO';
        say(
          `| ${m.query} | ${m.http.n} | ${ms(m.http.p50)} | ${ms(m.http.p95)} | ${ms(m.http.max)} | ${ms(m.server.p50)} / ${ms(m.server.p95)} | ${c ? `${ms(c.p50)} / ${ms(c.p95)}` : '—'} | ${m.roundTrips} | ${(m.bytes / 1024).toFixed(1)} | ${target === undefined ? 'none' : `< ${target}`} | ${met} |`,
        );
      }
      const path = measurements.find((m) => m.query === 'path');
      if (path) {
        say('');
        say('| path, by hop count | requests | p50 ms | p95 ms | max ms |');
        say('| --- | ---: | ---: | ---: | ---: |');
        for (const [group, values] of [...path.groups.entries()].sort()) {
          const s = summarize(values);
          say(`| ${group} | ${s.n} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.max)} |`);
        }
      }
      say(
        `load on the machine after this stage: load average ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}; ${otherLoad([process.pid, local.pid])}`,
      );

      if (options.profile) {
        say('');
        say(`PROFILE of each analysis query (warm, state ${stateId}) — written to bench/results/`);
        const profileLines: string[] = [];
        for (const workload of list)
          profileLines.push(...(await profileQuery(executor, driver, workload, stateId)), '');
        mkdirSync(RESULTS_DIR, { recursive: true });
        const file = join(RESULTS_DIR, `profile-${stage.target}.txt`);
        writeFileSync(file, `${profileLines.join('\n')}\n`);
        for (const line of profileLines.filter((l) => l.startsWith('### '))) say(`  ${line.slice(4)}`);
      }
    }

    mkdirSync(RESULTS_DIR, { recursive: true });
    const resultFile = join(RESULTS_DIR, `latest.md`);
    writeFileSync(resultFile, `${lines.join('\n')}\n`);
    say('');
    say(`results written to ${resultFile}`);
  } finally {
    await stopAll();
    if (local) say(`bench Neo4j stopped (pid ${local.pid}); still running: ${isRunning(local.pid) ? 'YES' : 'no'}`);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
