/**
 * Benchmark of follow-up tracking (NOT a test: it measures and prints).
 *
 *   npm run bench:followup
 *   npm run bench:followup -- --measures 10000 --progress 50000 --seconds 30 --editors 10 --port 7736
 *
 * 1. Starts its own Neo4j (instance `bench-followup`, fresh), loads the real corpus with the project's
 *    loader, and writes one synthetic state, XAA, with bench/generate.ts (the same generator as `npm run
 *    bench`'s 100× corpus: 448 recommendations, 202 of them tested, bodies, laws, mechanisms).
 * 2. Generates follow-up records for XAA straight into Neo4j in the storage form of CONTRACTS C: `--measures`
 *    measures (each answering 1–3 of XAA's recommendations, most led by one of its bodies, one in ten
 *    internal, one in fifty withdrawn, due dates spread over 2024–2028) and `--progress` progress updates.
 * 3. Starts the API in this process and loads the board (`followUp(state: "XAA", first: 20)` with its
 *    summary and measures, and the same filtered to overdue measures) with autocannon, 10 connections,
 *    `--warmup` seconds unmeasured then `--seconds` measured: requests per second, p50 and p95.
 * 4. Creates `--editors` users who edit XAA and has each, concurrently, create a measure and then update
 *    it (with the version the previous answer gave) in a loop for `--seconds`: mutations per second, with
 *    their p50/p95, and every error counted.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import autocannon from 'autocannon';
import neo4j, { type Driver } from 'neo4j-driver';
import { createDriver } from '../../src/db/driver';
import { Executor } from '../../src/db/executor';
import { silentLogger } from '../../src/logger';
import { createServer, type AppServer } from '../../src/server';
import { createUser } from '../../src/modules/identity/users';
import { DEFAULT_CORPUS_DIR, readCorpus } from '../../seed/corpus';
import { loadCorpus } from '../../seed/loader';
import { emptyPlan } from '../../seed/plan';
import { startLocalNeo4j, type LocalNeo4j } from '../../tools/local-neo4j/local-neo4j';
import { BulkWriter } from '../bulk-load';
import { anchorsFrom, generateGlobal, generateState } from '../generate';
import { Random } from '../random';
import { summarize, ms } from '../repository-harness';

const PROJECT_ROOT = resolve(__dirname, '..', '..');

interface Options {
  measures: number;
  progress: number;
  seconds: number;
  warmup: number;
  editors: number;
  port: number;
  seed: number;
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    measures: 10_000,
    progress: 50_000,
    seconds: 30,
    warmup: 10,
    editors: 10,
    port: 7736,
    seed: 42,
  };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]?.replace(/^--/, '') as keyof Options | undefined;
    const value = Number(argv[i + 1]);
    if (!name || !(name in options) || !Number.isFinite(value)) throw new Error(`bad option ${argv[i]} ${argv[i + 1]}`);
    options[name] = value;
  }
  return options;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

async function rows<T>(driver: Driver, cypher: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const session = driver.session();
  try {
    return (await session.run(cypher, params)).records.map((r) => r.toObject() as T);
  } finally {
    await session.close();
  }
}

const STATUSES = ['PLANNED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'] as const;

/** Writes the follow-up records of XAA in batches of 2,000 (one transaction each). */
async function generateFollowUp(driver: Driver, options: Options): Promise<{ ms: number }> {
  const started = performance.now();
  const rng = new Random(options.seed);
  const recs = (
    await rows<{ id: string }>(
      driver,
      `MATCH (r:Recommendation)-[:ADDRESSED_TO]->(:State {id: 'state:XAA'}) RETURN r.id AS id ORDER BY id`,
    )
  ).map((r) => r.id);
  const bodies = (
    await rows<{ id: string }>(driver, `MATCH (b:Body {stateId: 'state:XAA'}) RETURN b.id AS id ORDER BY id`)
  ).map((r) => r.id);
  if (recs.length === 0 || bodies.length === 0) throw new Error('state XAA has no recommendations or bodies');
  const user = `user:${randomUUID()}`;
  const at = '2026-01-01T00:00:00.000Z';
  const measures = Array.from({ length: options.measures }, (_, i) => {
    const due = `${2024 + rng.int(0, 4)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
    const addresses = [...new Set(Array.from({ length: rng.int(1, 3) }, () => rng.pick(recs)))];
    const withdrawn = rng.chance(0.02);
    return {
      id: `measure:${randomUUID()}`,
      title: `Synthetic measure ${i + 1}`,
      status: rng.pick(STATUSES),
      dueDate: rng.chance(0.9) ? due : null,
      visibility: rng.chance(0.1) ? 'INTERNAL' : 'PUBLIC',
      lead: rng.chance(0.9) ? rng.pick(bodies) : null,
      addresses,
      withdrawnAt: withdrawn ? at : null,
    };
  });
  const session = driver.session({ defaultAccessMode: neo4j.session.WRITE });
  try {
    for (let start = 0; start < measures.length; start += 2_000) {
      await session.executeWrite((tx) =>
        tx.run(
          `UNWIND $rows AS row
           CREATE (m:FollowUp:Measure {id: row.id, stateId: 'XAA', title: row.title, status: row.status,
             dueDate: row.dueDate, visibility: row.visibility, version: 1, createdAt: $at, createdBy: $user,
             organisation: 'Benchmark', updatedAt: $at, updatedBy: $user, withdrawnAt: row.withdrawnAt})
           WITH m, row
           CALL (m, row) {
             MATCH (b:Body {id: row.lead})
             CREATE (m)-[:LED_BY {addedAt: $at, addedBy: $user}]->(b)
           }
           WITH m, row
           UNWIND row.addresses AS recId
           MATCH (r:Recommendation {id: recId})
           CREATE (m)-[:ADDRESSES {addedAt: $at, addedBy: $user}]->(r)`,
          { rows: measures.slice(start, start + 2_000), at, user },
        ),
      );
    }
    const updates = Array.from({ length: options.progress }, (_, i) => {
      const measure = measures[rng.int(0, measures.length - 1)]!;
      return {
        id: `progress:${randomUUID()}`,
        measureId: measure.id,
        date: `2025-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`,
        text: `Synthetic progress ${i + 1}`,
        reportedStatus: rng.pick(STATUSES),
        visibility: measure.visibility === 'INTERNAL' || rng.chance(0.1) ? 'INTERNAL' : 'PUBLIC',
      };
    });
    for (let start = 0; start < updates.length; start += 5_000) {
      await session.executeWrite((tx) =>
        tx.run(
          `UNWIND $rows AS row
           MATCH (m:Measure {id: row.measureId})
           CREATE (p:FollowUp:ProgressUpdate {id: row.id, measureId: row.measureId, stateId: 'XAA', date: row.date,
             text: row.text, reportedStatus: row.reportedStatus, visibility: row.visibility, evidenceJson: '[]',
             createdAt: $at, createdBy: $user, organisation: 'Benchmark'})-[:ON_MEASURE]->(m)
           SET m.version = m.version + 1`,
          { rows: updates.slice(start, start + 5_000), at, user },
        ),
      );
    }
  } finally {
    await session.close();
  }
  return { ms: performance.now() - started };
}

const BOARD = `query Board($overdue: Boolean) {
  followUp(state: "XAA", overdue: $overdue, first: 20) {
    totalCount
    summary { recommendationCount recommendationsWithoutMeasure measureCount overdueMeasureCount
      byLeadBody { body { id name } measureCount overdueCount } }
    edges { node { recommendation { id label } measureCount overdueCount
      measures { id title status dueDate visibility reportedBy } } }
  }
}`;

async function loadBoard(url: string, variables: Record<string, unknown>, seconds: number, measure: boolean) {
  const latencies: number[] = [];
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolveRun, reject) => {
    const instance = autocannon(
      {
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: BOARD, variables }),
        connections: 10,
        duration: seconds,
        // A loaded 2-core machine can take longer than autocannon's default 10 s; a timeout is still counted.
        timeout: 60,
        verifyBody: (body: string | Buffer | undefined) => {
          const text = body === undefined ? '' : body.toString();
          return text.startsWith('{"data":') && !text.includes('"errors":[');
        },
      },
      (error, res) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolveRun(res)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      if (measure) latencies.push(responseTime);
    });
  });
  const elapsed = (performance.now() - started) / 1000;
  return {
    rps: result.requests.total / elapsed,
    latency: summarize(latencies),
    errors: result.errors + result.timeouts + result.non2xx + result.mismatches,
  };
}

async function post(url: string, token: string, query: string, variables: Record<string, unknown>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as {
    data?: Record<string, { measure: { id: string; version: number } }> | null;
    errors?: unknown[];
  };
}

const CREATE = `mutation Create($input: CreateMeasureInput!) { createMeasure(input: $input) { measure { id version } } }`;
const UPDATE = `mutation Update($input: UpdateMeasureInput!) { updateMeasure(input: $input) { measure { id version } } }`;

async function editors(driver: Driver, url: string, options: Options) {
  const recs = (
    await rows<{ id: string }>(
      driver,
      `MATCH (r:Recommendation)-[:ADDRESSED_TO]->(:State {id: 'state:XAA'}) RETURN r.id AS id ORDER BY id LIMIT 50`,
    )
  ).map((r) => r.id);
  const tokens: string[] = [];
  const session = driver.session();
  try {
    for (let i = 0; i < options.editors; i += 1) {
      tokens.push(
        await session.executeWrite(
          async (tx) =>
            (await createUser(tx, { name: `Bench editor ${i + 1}`, organisation: 'Benchmark', editorStates: ['XAA'] }))
              .token,
        ),
      );
    }
  } finally {
    await session.close();
  }
  const latencies: number[] = [];
  const errors: string[] = [];
  let done = 0;
  const deadline = performance.now() + options.seconds * 1000;
  const started = performance.now();
  await Promise.all(
    tokens.map(async (token, editor) => {
      let current: { id: string; version: number } | null = null;
      let n = 0;
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const answer: Awaited<ReturnType<typeof post>> =
          current === null || n % 2 === 0
            ? await post(url, token, CREATE, {
                input: {
                  state: 'XAA',
                  title: `Editor ${editor + 1} measure ${n}`,
                  visibility: 'PUBLIC',
                  recommendations: [recs[(editor * 5 + n) % recs.length]],
                  idempotencyKey: randomUUID(),
                },
              })
            : await post(url, token, UPDATE, {
                input: { id: current.id, expectedVersion: current.version, title: `Editor ${editor + 1} renamed ${n}` },
              });
        latencies.push(performance.now() - t0);
        n += 1;
        const payload = answer.data ? Object.values(answer.data)[0] : undefined;
        if (answer.errors?.length || !payload) {
          errors.push(JSON.stringify(answer.errors ?? answer).slice(0, 300));
          current = null;
        } else {
          current = payload.measure;
          done += 1;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { mutations: done, perSecond: done / elapsed, latency: summarize(latencies), errors };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  let local: LocalNeo4j | undefined;
  let driver: Driver | undefined;
  let server: AppServer | undefined;
  try {
    local = await startLocalNeo4j({
      projectRoot: PROJECT_ROOT,
      instanceName: 'bench-followup',
      boltPort: options.port,
      fresh: true,
      heapSize: '1g',
      pageCacheSize: '512m',
      readyTimeoutMs: 300_000,
      stopTimeoutMs: 60_000,
      log: (message) => say(`[neo4j] ${message}`),
    });
    driver = createDriver(local.uri, undefined, { retryTimeMs: 30_000 }, silentLogger);
    const corpus = await readCorpus(DEFAULT_CORPUS_DIR);
    await loadCorpus(driver, corpus);
    const plan = emptyPlan();
    generateGlobal(plan);
    generateState(anchorsFrom(corpus), options.seed, 0, plan);
    await new BulkWriter(driver, { batchSize: 10_000 }).write(plan);
    const generated = await generateFollowUp(driver, options);
    const counts = (
      await rows<{ measures: number; progress: number; recs: number }>(
        driver,
        `MATCH (r:Recommendation)-[:ADDRESSED_TO]->(:State {id: 'state:XAA'})
         WITH count(r) AS recs
         RETURN recs, COUNT { (:Measure {stateId: 'XAA'}) } AS measures, COUNT { (:ProgressUpdate {stateId: 'XAA'}) } AS progress`,
      )
    )[0]!;
    say(
      `state XAA: ${counts.recs} recommendations, ${counts.measures} measures, ${counts.progress} progress updates (follow-up written in ${(generated.ms / 1000).toFixed(1)} s)`,
    );
    await rows(driver, 'CALL db.awaitIndexes(300)');
    // A bulk write leaves the planner's statistics describing the graph before it: plans made now would be
    // made for a state without measures and kept in the plan cache (a first run of this benchmark gave 14 s
    // per board request that way; 0.3 s once the statistics were current). Resample and clear the caches, as
    // an operator should after any bulk load (docs: db.prepareForReplanning).
    await rows(driver, 'CALL db.prepareForReplanning(300)');

    const executor = new Executor(driver, { database: undefined, queryTimeoutMs: 60_000, logger: silentLogger });
    server = await createServer({ host: '127.0.0.1', port: 0 }, { executor, logger: silentLogger });
    say(
      `machine: ${os.cpus().length} CPUs, load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );

    // Sequential requests first: the first plans the statement; each shows its time, size and any error.
    for (let i = 0; i < 3; i += 1) {
      const t0 = performance.now();
      const response = await fetch(server.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: BOARD, variables: {} }),
      });
      const text = await response.text();
      say(
        `sequential board request ${i + 1}: ${(performance.now() - t0).toFixed(0)} ms, ${(text.length / 1024).toFixed(0)} KiB${text.includes('"errors":[') ? `, errors: ${text.slice(0, 500)}` : ''}`,
      );
    }
    for (const [name, variables] of [
      ['board, first 20, with summary', {}],
      ['board, overdue only', { overdue: true }],
    ] as const) {
      await loadBoard(server.graphqlUrl, variables, options.warmup, false);
      const run = await loadBoard(server.graphqlUrl, variables, options.seconds, true);
      say(
        `${name}: ${run.rps.toFixed(1)} req/s, p50 ${ms(run.latency.p50)} ms, p95 ${ms(run.latency.p95)} ms (n ${run.latency.n}, errors ${run.errors})`,
      );
    }

    const mutations = await editors(driver, server.graphqlUrl, options);
    say(
      `mutations from ${options.editors} concurrent editors (create, then update with the version read): ${mutations.mutations} in ${options.seconds} s = ${mutations.perSecond.toFixed(1)}/s, p50 ${ms(mutations.latency.p50)} ms, p95 ${ms(mutations.latency.p95)} ms, errors ${mutations.errors.length}`,
    );
    for (const error of mutations.errors.slice(0, 5)) say(`  error: ${error}`);
    say(
      `load average after: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
  } finally {
    await server?.stop();
    await driver?.close();
    await local?.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
