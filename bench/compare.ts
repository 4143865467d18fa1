/**
 * Current versus proposed analysis Cypher (bench/proposed-queries.ts) on the corpus a previous
 * `npm run bench -- --keep …` left in the `bench` instance: same results?, db hits under PROFILE, and
 * latency of the analysis query alone (alternating runs, so that machine load hits both alike).
 *
 *   npx tsx bench/compare.ts [--set restructured|hints] [--runs 40] [--state XAA] [--heap 4g --pagecache 4g --port 7741]
 *
 * Starts the instance (never fresh), adds the proposed index, measures, stops it.
 */
import { isDeepStrictEqual } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createDriver } from '../src/db/driver';
import { Executor } from '../src/db/executor';
import { startLocalNeo4j } from '../src/db/local-neo4j';
import { silentLogger } from '../src/logger';
import { AnalysisRepository } from '../src/db/analysis-repository';
import { PROPOSALS, type ProposalSet } from './proposed-queries';
import { PatchingExecutor, ProfilingDb, REPOSITORY_CALLS, describeProfile, ms, summarize, timeCall, totalDbHits, type AnalysisQuery } from './repository-harness';

const PROJECT_ROOT = resolve(__dirname, '..');

function flag(name: string, fallback: string): string {
  const index = process.argv.indexOf(name);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

async function main(): Promise<void> {
  const runs = Number(flag('--runs', '40'));
  const set = flag('--set', 'restructured') as ProposalSet;
  const proposal = PROPOSALS[set];
  if (!proposal) throw new Error(`--set must be one of ${Object.keys(PROPOSALS).join(', ')}`);
  const code = flag('--state', 'XAA');
  const stateId = `state:${code}`;
  const local = await startLocalNeo4j({
    projectRoot: PROJECT_ROOT,
    instanceName: 'bench',
    boltPort: Number(flag('--port', '7741')),
    fresh: false,
    heapSize: flag('--heap', '4g'),
    pageCacheSize: flag('--pagecache', '4g'),
    readyTimeoutMs: 300_000,
    log: (line) => process.stdout.write(`[neo4j] ${line}\n`),
  });
  const driver = createDriver(local.uri, undefined, { retryTimeMs: 30_000 }, silentLogger);
  const out: string[] = [];
  const say = (line = '') => {
    out.push(line);
    process.stdout.write(`${line}\n`);
  };
  try {
    const session = driver.session();
    try {
      const size = await session.run('CALL () { MATCH (n) RETURN count(n) AS nodes } CALL () { MATCH ()-[r]->() RETURN count(r) AS rels } RETURN nodes, rels');
      say(`corpus: ${String(size.records[0]?.get('nodes'))} nodes, ${String(size.records[0]?.get('rels'))} relationships; state ${stateId}; proposal "${set}"; ${runs} alternating runs per version`);
      for (const statement of proposal.schema) await session.run(statement);
      await session.run('CALL db.awaitIndexes(600)');
    } finally {
      await session.close();
    }
    const options = { database: undefined, queryTimeoutMs: 120_000, logger: silentLogger };
    const current = new Executor(driver, options);
    const proposed = new PatchingExecutor(driver, options, proposal.patches);

    const cases: Array<{ query: AnalysisQuery; vars: Record<string, unknown> }> = [
      { query: 'recommendationGaps', vars: { stateId } },
      { query: 'treatyCoverage', vars: { stateId } },
      ...['19', '3', '12', '28', '37'].map((n) => ({ query: 'implementationChain' as const, vars: { stateId, article: `treaty:CRC:art:${n}` } })),
    ];
    say('');
    say('| query | same result? | db hits current → proposed | current p50 / p95 ms | proposed p50 / p95 ms |');
    say('| --- | --- | ---: | ---: | ---: |');
    const profiles: string[] = [];
    for (const c of cases) {
      const label = c.query === 'implementationChain' ? `${c.query} (${String(c.vars.article)})` : c.query;
      const before = await timeCall(current, c.query, c.vars);
      const after = await timeCall(proposed, c.query, c.vars);
      const same = isDeepStrictEqual(JSON.parse(JSON.stringify(before.result)), JSON.parse(JSON.stringify(after.result)));
      const hits: number[] = [];
      for (const patches of [[], proposal.patches]) {
        const db = new ProfilingDb(current, driver, patches);
        await REPOSITORY_CALLS[c.query](new AnalysisRepository(db), c.vars);
        const profile = db.profiles[0];
        hits.push(profile ? totalDbHits(profile.plan) : NaN);
        const keep = c.query !== 'implementationChain' || c.vars.article === 'treaty:CRC:art:19';
        if (profile && keep) profiles.push(...describeProfile(`${label} — ${patches.length ? 'PROPOSED' : 'current'}`, profile), '');
      }
      const times = { current: [] as number[], proposed: [] as number[] };
      for (let i = 0; i < runs; i += 1) {
        times.current.push((await timeCall(current, c.query, c.vars)).ms);
        times.proposed.push((await timeCall(proposed, c.query, c.vars)).ms);
      }
      const a = summarize(times.current);
      const b = summarize(times.proposed);
      say(`| ${label} | ${same ? 'yes' : 'NO'} | ${hits[0]?.toLocaleString('en')} → ${hits[1]?.toLocaleString('en')} | ${ms(a.p50)} / ${ms(a.p95)} | ${ms(b.p50)} / ${ms(b.p95)} |`);
      if (!same) say(`  results differ: current ${JSON.stringify(before.result).slice(0, 300)} … proposed ${JSON.stringify(after.result).slice(0, 300)} …`);
    }
    const dir = resolve(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `compare-${set}-${code}.md`);
    writeFileSync(file, `${out.join('\n')}\n\n${profiles.join('\n')}\n`);
    say('');
    say(`written to ${file} (with the PROFILE of both versions)`);
  } finally {
    await driver.close();
    await local.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`compare failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
