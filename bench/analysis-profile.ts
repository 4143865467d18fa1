/**
 * The analysis statements PROFILE-d (database hits, rows, the costliest operators) and timed straight through
 * the driver, on a named Neo4j instance of .neo4j/instances/: the real corpus, the 100× synthetic corpus, or
 * whatever the instance holds (a UHRI import, say). It asserts nothing; it prints figures.
 *
 *   npx tsx bench/analysis-profile.ts --instance analysis-profile --port 7740 --load real
 *   npx tsx bench/analysis-profile.ts --instance analysis-profile --port 7740 --load 100x
 *   npx tsx bench/analysis-profile.ts --instance analysis-profile --port 7740 --state XAA --article treaty:CRC:art:19
 *   npx tsx bench/analysis-profile.ts --uri bolt://127.0.0.1:7740 --state KAZ        # a Neo4j already running
 *   … --before before.json      # also the statements of that file ({name: text}, e.g. an earlier commit's
 *                               # ANALYSIS_STATEMENTS), with the same parameters, profiled first
 *
 * With --load the instance is made fresh and loaded (100x: the real corpus grown with bench/generate.ts's
 * synthetic states to 100 times its node count); without it, the data it holds is used. Each statement runs
 * twice before it is profiled (the first plans it), then RUNS times for the median; the size of its answer as
 * JSON stands for the bytes the API reads from Neo4j and decodes. For a --before file of main's statements:
 * `git show main:src/modules/analysis/repository.ts`'s ANALYSIS_STATEMENTS written out as JSON.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import neo4j, { type Driver, type ProfiledPlan } from 'neo4j-driver';
import { integerParams } from '../src/db/executor';
import { ANALYSIS_STATEMENTS, analysisParams } from '../src/modules/analysis/repository';
import { DEFAULT_CORPUS_DIR, readCorpus } from '../seed/corpus';
import { loadCorpus } from '../seed/loader';
import type { LocalNeo4j } from '../tools/local-neo4j/local-neo4j';
import { graphNodes, growSynthetic } from './grow';
import { startProfileNeo4j } from './profile-neo4j';

const RUNS = 15;

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function dbHits(plan: ProfiledPlan): number {
  return plan.dbHits + plan.children.reduce((sum, child) => sum + dbHits(child), 0);
}

/** The operators with the most database hits (their own, not their children's). */
function costliest(plan: ProfiledPlan, found: Array<{ operator: string; dbHits: number; rows: number }> = []) {
  const details = String(plan.arguments?.Details ?? '').slice(0, 110);
  found.push({ operator: `${plan.operatorType}${details ? ` ${details}` : ''}`, dbHits: plan.dbHits, rows: plan.rows });
  for (const child of plan.children) costliest(child, found);
  return found;
}

async function profile(driver: Driver, name: string, cypher: string, params: Record<string, unknown>) {
  const run = () => driver.executeQuery(`PROFILE ${cypher}`, integerParams(params), { routing: neo4j.routing.READ });
  await run();
  await run();
  const result = await run();
  const plan = result.summary.profile;
  if (!plan) throw new Error('no profile returned');
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    await driver.executeQuery(cypher, integerParams(params), { routing: neo4j.routing.READ });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const median = Math.round(times[Math.floor(RUNS / 2)]! * 10) / 10;
  // What the statement sends back, as JSON (a measure of the bytes the API reads and decodes, not Bolt's own).
  const answer = JSON.stringify(
    result.records.map((record) => record.toObject()),
    (_key, value: unknown) => (neo4j.isInt(value) ? value.toNumber() : value),
  );
  const top = costliest(plan)
    .sort((a, b) => b.dbHits - a.dbHits)
    .slice(0, 6);
  console.log(
    `\n### ${name}: ${dbHits(plan).toLocaleString('en')} db hits, ${(answer.length / 1024).toFixed(1)} KiB answered (JSON), median ${median} ms (${RUNS} runs)`,
  );
  for (const item of top)
    console.log(`  ${String(item.dbHits).padStart(9)} hits ${String(item.rows).padStart(7)} rows  ${item.operator}`);
}

async function main(): Promise<void> {
  const uri = option('--uri');
  const load = option('--load');
  let local: LocalNeo4j | undefined;
  if (!uri) {
    local = await startProfileNeo4j(option, { instance: 'analysis-profile', port: 7740 });
  }
  const driver = neo4j.driver(uri ?? local!.uri);
  try {
    if (load) {
      const corpus = await readCorpus(DEFAULT_CORPUS_DIR);
      await loadCorpus(driver, corpus);
      if (load === '100x') await growSynthetic(driver, 100 * (await graphNodes(driver)), 42, console.log);
    }
    const state = `state:${option('--state') ?? (load === '100x' ? 'XAA' : 'KAZ')}`;
    const article = option('--article') ?? (load === '100x' ? 'treaty:CRC:art:19' : 'treaty:CRC:art:20');
    console.log(`${(await graphNodes(driver)).toLocaleString('en')} nodes; state ${state}, article ${article}`);
    const only = option('--only')?.split(',');
    const wanted = (name: string) => !only || only.includes(name);
    const beforeFile = option('--before');
    const before = beforeFile ? (JSON.parse(readFileSync(beforeFile, 'utf8')) as Record<string, string>) : {};
    for (const [name, params] of [
      ['recommendationGaps', analysisParams.gaps(state, 'treaty:CRC', 0, 51)],
      ['implementationChain', analysisParams.chain(article, state)],
      ['treatyCoverage', analysisParams.coverage('treaty:CRC', state)],
    ] as const) {
      if (!wanted(name)) continue;
      const earlier = before[name];
      if (earlier) await profile(driver, `${name} (before)`, earlier, params);
      await profile(driver, name, ANALYSIS_STATEMENTS[name], params);
    }
  } finally {
    await driver.close();
    await local?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
