/**
 * Full-text search: the API's statement (src/modules/search/repository.ts) beside a plain statement that gives
 * the same answer the obvious way (every text joined to its owner, every hit sorted by score and id: the
 * reference) and beside the library's @cypher bodies (bench/peer/library-type-defs.graphql), on the questions
 * below. For each question the API's statement is run with three selections (every property and the excerpt;
 * the language only; the benchmark's `id summary` with no text) and each answer is checked equal to the
 * reference's, hit for hit (an error ends the run otherwise). Then, per statement: database hits and Neo4j's
 * own memory figure (PROFILE), and the median time of 15 runs one after another.
 *
 * With `--load` (the benchmark's question only), each statement is also run by 10 clients at once for
 * `--seconds` (default 4) in `--rounds` (default 3) interleaved turns, and the Neo4j process's CPU time per
 * statement is read from /proc (the instance started here, or `--pid` for one already running): the figure a
 * shared machine disturbs least.
 *
 *   npx tsx bench/search-profile.ts --uri bolt://127.0.0.1:7736 [--pid 880] [--load]   # a Neo4j already running
 *   npx tsx bench/search-profile.ts --instance search-profile --port 7736 --load-real  # fresh: the real corpus
 *   npx tsx bench/search-profile.ts --instance bench --port 7736                      # existing data (npm run bench)
 *
 * It asserts nothing but equality of results.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import neo4j, { type Driver, type ProfiledPlan } from 'neo4j-driver';
import { integerParams } from '../src/db/executor';
import { OWNER_TEXT } from '../src/graph/vocabulary';
import { SEARCH_STATEMENTS } from '../src/modules/search/repository';
import { SEARCH_KINDS, type SearchKind } from '../src/modules/search/models';
import { toLuceneQuery } from '../src/search-query';
import { DEFAULT_CORPUS_DIR, readCorpus } from '../seed/corpus';
import { loadCorpus } from '../seed/loader';
import { startLocalNeo4j } from '../tools/local-neo4j/local-neo4j';

/**
 * The reference: each text joined to its owner through HAS_TEXT, each entity's best text (score, then language,
 * then id), every hit sorted by score and then id, the page sliced; the API's result shape.
 */
const REFERENCE = `// search reference
CALL () {
  WITH 1 AS wanted WHERE 'TREATY_ARTICLE' IN $kinds
  CALL db.index.fulltext.queryNodes('treatyArticleText', $query) YIELD node, score
  RETURN node.id AS key, node AS text, score
  UNION ALL
  WITH 1 AS wanted WHERE 'PROVISION' IN $kinds
  CALL db.index.fulltext.queryNodes('${OWNER_TEXT.Provision.index}', $query) YIELD node, score
  MATCH (owner:Entity)-[:HAS_TEXT]->(node)
  RETURN owner.id AS key, node AS text, score
  UNION ALL
  WITH 1 AS wanted WHERE 'RECOMMENDATION' IN $kinds
  CALL db.index.fulltext.queryNodes('${OWNER_TEXT.Recommendation.index}', $query) YIELD node, score
  MATCH (owner:Entity)-[:HAS_TEXT]->(node)
  RETURN owner.id AS key, node AS text, score
}
WITH key, text, score ORDER BY score DESC, CASE WHEN text:TreatyArticle THEN 'en' ELSE text.language END, text.id
WITH key, collect({text: text, score: score})[0] AS best
WITH key, best ORDER BY best.score DESC, key
WITH count(*) AS total, collect([key, best])[$offset..($offset + $limit)] AS pageRows
UNWIND (CASE WHEN size(pageRows) = 0 THEN [null] ELSE pageRows END) AS row
OPTIONAL MATCH (owner:Entity {id: row[0]})
WITH total, row, owner
RETURN total, [x IN collect({owner: owner, row: row}) WHERE x.row IS NOT NULL | {
    kind: CASE WHEN x.owner:TreatyArticle THEN 'TREATY_ARTICLE' WHEN x.owner:Provision THEN 'PROVISION' WHEN x.owner:Recommendation THEN 'RECOMMENDATION' END,
    entity: {labels: labels(x.owner), props: CASE WHEN $entityProps IS NULL THEN properties(x.owner) END,
             values: CASE WHEN $entityProps IS NULL THEN null ELSE [k IN $entityProps | x.owner[k]] END},
    score: x.row[1].score,
    best: CASE WHEN $best THEN {language: CASE WHEN x.row[1].text:TreatyArticle THEN 'en' ELSE x.row[1].text.language END,
                                text: CASE WHEN $withText THEN x.row[1].text.text END} END
  }] AS page`;

/**
 * The library's two @cypher bodies (searchRecommendations, searchRecommendationsCount), run in one read
 * transaction; the library wraps them in its own Cypher, so these are a floor of what it runs.
 */
const LIBRARY = [
  `CALL db.index.fulltext.queryNodes('${OWNER_TEXT.Recommendation.index}', $query) YIELD node, score
MATCH (r:Recommendation)-[:HAS_TEXT]->(node)
WITH r, max(score) AS best
ORDER BY best DESC, r.id
LIMIT $limit
RETURN r { .id, .summary } AS r`,
  `CALL db.index.fulltext.queryNodes('${OWNER_TEXT.Recommendation.index}', $query) YIELD node
MATCH (r:Recommendation)-[:HAS_TEXT]->(node)
RETURN count(DISTINCT r) AS total`,
];

interface Question {
  text: string;
  kinds: readonly SearchKind[];
  offset: number;
  limit: number;
}

const QUESTIONS: Question[] = [
  { text: 'corporal punishment', kinds: SEARCH_KINDS, offset: 0, limit: 11 },
  { text: 'child', kinds: SEARCH_KINDS, offset: 0, limit: 11 },
  { text: 'child', kinds: SEARCH_KINDS, offset: 40, limit: 21 },
  { text: 'education', kinds: ['RECOMMENDATION'], offset: 0, limit: 101 },
  { text: 'armed conflict', kinds: ['TREATY_ARTICLE', 'PROVISION'], offset: 0, limit: 11 },
  { text: 'вооружённых конфликтах', kinds: SEARCH_KINDS, offset: 0, limit: 11 },
  { text: 'детей', kinds: SEARCH_KINDS, offset: 0, limit: 21 },
  { text: 'ратифицировать протокол', kinds: ['RECOMMENDATION'], offset: 0, limit: 11 },
  // The side-by-side benchmark's question (bench/peer: search "children", recommendations, first 10).
  { text: 'children', kinds: ['RECOMMENDATION'], offset: 0, limit: 11 },
  { text: 'children', kinds: SEARCH_KINDS, offset: 0, limit: 11 },
  { text: 'children', kinds: ['PROVISION'], offset: 0, limit: 11 },
  // Deep pages: inside the large groups of equal scores of the 100× corpus, and past the last hit.
  { text: 'children', kinds: ['RECOMMENDATION'], offset: 3000, limit: 101 },
  { text: 'children', kinds: ['RECOMMENDATION'], offset: 8600, limit: 101 },
  { text: 'children', kinds: ['RECOMMENDATION'], offset: 100000, limit: 11 },
  { text: 'no such word qwertyuiop', kinds: SEARCH_KINDS, offset: 0, limit: 11 },
];

/** The three selections the API's statement is run with. */
const SELECTIONS = {
  wholly: { entityProps: null, best: true, withText: true },
  language: { entityProps: ['id'], best: true, withText: false },
  bench: { entityProps: ['id', 'summary'], best: false, withText: false },
} as const;

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function dbHits(plan: ProfiledPlan): number {
  return plan.dbHits + plan.children.reduce((sum, child) => sum + dbHits(child), 0);
}

const plain = (value: unknown): unknown =>
  neo4j.isInt(value)
    ? value.toNumber()
    : Array.isArray(value)
      ? value.map(plain)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plain(inner)]))
        : value;

async function profiled(driver: Driver, cypher: string, params: Record<string, unknown>) {
  const result = await driver.executeQuery(`PROFILE ${cypher}`, integerParams(params), {
    routing: neo4j.routing.READ,
  });
  const profile = result.summary.profile;
  if (!profile) throw new Error('no profile returned');
  const memory = plain(profile.arguments.GlobalMemory);
  return {
    rows: result.records.map((record) => plain(record.toObject())),
    dbHits: dbHits(profile),
    memory: typeof memory === 'number' ? memory : null,
  };
}

/** Runs the statements (one read transaction) and returns their rows. */
async function inOneTransaction(driver: Driver, statements: readonly string[], params: Record<string, unknown>) {
  const session = driver.session({ defaultAccessMode: neo4j.session.READ });
  try {
    return await session.executeRead(async (tx) => {
      const rows: unknown[] = [];
      for (const cypher of statements) rows.push(...(await tx.run(cypher, integerParams(params))).records);
      return rows;
    });
  } finally {
    await session.close();
  }
}

const RUNS = 15;

async function medianMs(driver: Driver, statements: readonly string[], params: Record<string, unknown>) {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await inOneTransaction(driver, statements, params);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(RUNS / 2)]! * 10) / 10;
}

/** CPU time (user + system) of a process so far, in ms, from /proc; null where it cannot be read. */
function cpuMs(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** 10 clients at once, the statements in turns; statements per second and Neo4j CPU ms per statement. */
async function underLoad(
  driver: Driver,
  contenders: Record<string, { statements: readonly string[]; params: Record<string, unknown> }>,
  pid: number | undefined,
): Promise<void> {
  const seconds = Number(option('--seconds') ?? 4);
  const rounds = Number(option('--rounds') ?? 3);
  const rates: Record<string, number[]> = {};
  const cpus: Record<string, number[]> = {};
  for (const { statements, params } of Object.values(contenders))
    for (let i = 0; i < 10; i++) await inOneTransaction(driver, statements, params);
  for (let round = 0; round < rounds; round++) {
    for (const [name, { statements, params }] of Object.entries(contenders)) {
      const cpuBefore = cpuMs(pid);
      let done = 0;
      const end = performance.now() + seconds * 1000;
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          while (performance.now() < end) {
            await inOneTransaction(driver, statements, params);
            done += 1;
          }
        }),
      );
      const cpuAfter = cpuMs(pid);
      (rates[name] ??= []).push(done / seconds);
      if (cpuBefore !== null && cpuAfter !== null) (cpus[name] ??= []).push((cpuAfter - cpuBefore) / done);
    }
  }
  console.log(`\n10 clients, ${rounds} turns of ${seconds} s each (medians; every turn in brackets):\n`);
  console.log('| statement | per second | Neo4j CPU ms per answer |');
  console.log('| --- | ---: | ---: |');
  for (const name of Object.keys(contenders)) {
    const cpu = cpus[name];
    console.log(
      `| ${name} | ${median(rates[name]!).toFixed(1)} (${rates[name]!.map((r) => r.toFixed(1)).join(', ')}) | ` +
        `${cpu ? `${median(cpu).toFixed(1)} (${cpu.map((c) => c.toFixed(1)).join(', ')})` : 'n/a'} |`,
    );
  }
}

/** The answer reduced to what the selection reads, for comparison with the reference's. */
function comparable(row: unknown, selection: keyof typeof SELECTIONS): unknown {
  const { total, page } = row as { total: number; page: Array<Record<string, unknown>> };
  return { total, page: page.map((hit) => (selection === 'bench' ? { ...hit, best: null } : hit)) };
}

async function main(): Promise<void> {
  const instanceName = option('--instance') ?? 'search-profile';
  const port = Number(option('--port') ?? 7736);
  const uri = option('--uri');
  const loadReal = process.argv.includes('--load-real');
  const local = uri
    ? undefined
    : await startLocalNeo4j({
        projectRoot: resolve(__dirname, '..'),
        instanceName,
        boltPort: port,
        fresh: loadReal,
        heapSize: '512m',
        pageCacheSize: '256m',
        readyTimeoutMs: 300_000,
      });
  const pid = option('--pid') ? Number(option('--pid')) : local?.pid;
  const driver = neo4j.driver(uri ?? local!.uri);
  try {
    if (loadReal) await loadCorpus(driver, await readCorpus(DEFAULT_CORPUS_DIR));
    const [nodes] = (await driver.executeQuery('MATCH (n) RETURN count(n) AS n')).records;
    console.log(`${uri ?? `instance ${instanceName}`}: ${String(nodes?.get('n'))} nodes\n`);
    console.log(
      '| search | kinds | page | hits | db hits: reference / API (every property, excerpt) / API (benchmark selection) | Neo4j memory, KiB: reference / API / API (benchmark) | median ms: reference / API / API (benchmark) | library @cypher db hits (page + count) |',
    );
    console.log('| --- | --- | --- | ---: | --- | --- | --- | --- |');
    for (const question of QUESTIONS) {
      const { query } = toLuceneQuery(question.text);
      const base = { query, kinds: [...question.kinds], offset: question.offset, limit: question.limit };
      const results: Partial<Record<keyof typeof SELECTIONS | 'reference', Awaited<ReturnType<typeof profiled>>>> = {};
      // Twice each: the first run plans it; the profile of the second is the one reported.
      for (const selection of Object.keys(SELECTIONS) as Array<keyof typeof SELECTIONS>) {
        const params = { ...base, ...SELECTIONS[selection] };
        await profiled(driver, REFERENCE, params);
        const reference = await profiled(driver, REFERENCE, params);
        await profiled(driver, SEARCH_STATEMENTS.search, params);
        const api = await profiled(driver, SEARCH_STATEMENTS.search, params);
        if (!isDeepStrictEqual(comparable(api.rows[0], selection), comparable(reference.rows[0], selection)))
          throw new Error(
            `results differ for ${JSON.stringify(question)} (${selection}):\n  reference ${JSON.stringify(reference.rows[0]).slice(0, 600)}\n  API       ${JSON.stringify(api.rows[0]).slice(0, 600)}`,
          );
        results[selection] = api;
        if (selection === 'wholly') results.reference = reference;
      }
      const total = (results.reference!.rows[0] as { total: number }).total;
      const wholly = { ...base, ...SELECTIONS.wholly };
      const bench = { ...base, ...SELECTIONS.bench };
      let library = '';
      if (isDeepStrictEqual(question.kinds, ['RECOMMENDATION'])) {
        const [page, count] = [await profiled(driver, LIBRARY[0]!, base), await profiled(driver, LIBRARY[1]!, base)];
        library = `${page.dbHits + count.dbHits} (${page.dbHits} + ${count.dbHits})`;
      }
      const kib = (bytes: number | null | undefined) =>
        bytes === null || bytes === undefined ? '?' : String(Math.round(bytes / 1024));
      console.log(
        `| ${question.text} | ${question.kinds.length === SEARCH_KINDS.length ? 'all' : question.kinds.join(', ')} | ` +
          `${question.offset}+${question.limit} | ${total} | ` +
          `${results.reference!.dbHits} / ${results.wholly!.dbHits} / ${results.bench!.dbHits} | ` +
          `${kib(results.reference!.memory)} / ${kib(results.wholly!.memory)} / ${kib(results.bench!.memory)} | ` +
          `${await medianMs(driver, [REFERENCE], wholly)} / ${await medianMs(driver, [SEARCH_STATEMENTS.search], wholly)} / ${await medianMs(driver, [SEARCH_STATEMENTS.search], bench)} | ${library} |`,
      );
    }
    if (process.argv.includes('--load')) {
      const { query } = toLuceneQuery('children');
      const base = { query, kinds: ['RECOMMENDATION'], offset: 0, limit: 11 };
      await underLoad(
        driver,
        {
          'API, benchmark selection (id summary)': {
            statements: [SEARCH_STATEMENTS.search],
            params: { ...base, ...SELECTIONS.bench },
          },
          'API, with language and excerpt': {
            statements: [SEARCH_STATEMENTS.search],
            params: { ...base, ...SELECTIONS.wholly, entityProps: ['id', 'summary'] },
          },
          'library @cypher page + count': { statements: LIBRARY, params: base },
          'reference, benchmark selection': { statements: [REFERENCE], params: { ...base, ...SELECTIONS.bench } },
        },
        pid,
      );
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
