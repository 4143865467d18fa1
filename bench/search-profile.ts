/**
 * Full-text search, before and after "search that is paid once" (issue 9, item 3): the same questions run with
 * the previous Cypher (the page, then the count, each running the whole search; the owner of every hit expanded
 * before ranking) and with the current statement (src/modules/search/repository.ts), checked equal hit for hit,
 * then PROFILE-d: database hits and round trips per request.
 *
 *   npx tsx bench/search-profile.ts --instance search-profile --port 7736 --load-real   # fresh: the real corpus
 *   npx tsx bench/search-profile.ts --instance bench --port 7736                       # existing data (npm run bench)
 *
 * It starts the named Neo4j instance of .neo4j/instances/ (fresh and loaded with the real corpus with
 * --load-real, else on the data it holds) and stops it at the end. It asserts nothing but equality of results:
 * a difference ends it with an error.
 */
import { resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import neo4j, { type Driver, type ProfiledPlan } from 'neo4j-driver';
import { integerParams } from '../src/db/executor';
import { SEARCH_STATEMENTS } from '../src/modules/search/repository';
import { SEARCH_KINDS, type SearchKind } from '../src/modules/search/models';
import { toLuceneQuery } from '../src/search-query';
import { DEFAULT_CORPUS_DIR, readCorpus } from '../seed/corpus';
import { loadCorpus } from '../seed/loader';
import { startLocalNeo4j } from '../tools/local-neo4j/local-neo4j';

/** The statements as they were before this change (commit fa26678), run as two round trips. */
const BEFORE_HITS = `CALL () {
  CALL db.index.fulltext.queryNodes('treatyArticleText', $query) YIELD node, score
  WHERE 'TREATY_ARTICLE' IN $kinds
  RETURN 'TREATY_ARTICLE' AS kind, node AS entity, 'en' AS language, node.text AS text, score
  UNION ALL
  CALL db.index.fulltext.queryNodes('textVersionText', $query) YIELD node, score
  MATCH (owner:Entity)-[:HAS_TEXT]->(node)
  WITH owner, node, score,
       CASE WHEN owner:Provision THEN 'PROVISION' WHEN owner:Recommendation THEN 'RECOMMENDATION' END AS kind
  WHERE kind IN $kinds
  RETURN kind, owner AS entity, node.language AS language, node.text AS text, score
}
WITH kind, entity, language, text, score ORDER BY score DESC, language
WITH kind, entity, head(collect({language: language, text: text, score: score})) AS best`;
const BEFORE_PAGE = `${BEFORE_HITS}
ORDER BY best.score DESC, entity.id
SKIP $offset LIMIT $limit
RETURN kind, {labels: labels(entity), props: properties(entity)} AS entity, best`;
const BEFORE_COUNT = `${BEFORE_HITS}
RETURN count(*) AS total`;

interface Question {
  text: string;
  kinds: readonly SearchKind[];
  offset: number;
  limit: number;
}

const QUESTIONS: Question[] = [
  // The README's and the benchmark's question: the first 10 (+1 for hasNextPage) with totalCount.
  { text: 'corporal punishment', kinds: SEARCH_KINDS, offset: 0, limit: 11 },
  { text: 'child', kinds: SEARCH_KINDS, offset: 0, limit: 11 },
  { text: 'child', kinds: SEARCH_KINDS, offset: 40, limit: 21 },
  { text: 'education', kinds: ['RECOMMENDATION'], offset: 0, limit: 101 },
  { text: 'armed conflict', kinds: ['TREATY_ARTICLE', 'PROVISION'], offset: 0, limit: 11 },
  { text: 'вооружённых конфликтов', kinds: SEARCH_KINDS, offset: 0, limit: 11 },
  { text: 'ребенка', kinds: SEARCH_KINDS, offset: 0, limit: 21 },
  { text: 'no such word qwertyuiop', kinds: SEARCH_KINDS, offset: 0, limit: 11 },
];

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function dbHits(plan: ProfiledPlan): number {
  return plan.dbHits + plan.children.reduce((sum, child) => sum + dbHits(child), 0);
}

async function run(driver: Driver, cypher: string, params: Record<string, unknown>) {
  const result = await driver.executeQuery(`PROFILE ${cypher}`, integerParams(params), {
    routing: neo4j.routing.READ,
  });
  const profile = result.summary.profile;
  if (!profile) throw new Error('no profile returned');
  return { rows: result.records.map((record) => record.toObject()), dbHits: dbHits(profile) };
}

const plain = (value: unknown): unknown =>
  neo4j.isInt(value)
    ? value.toNumber()
    : Array.isArray(value)
      ? value.map(plain)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plain(inner)]))
        : value;

async function main(): Promise<void> {
  const instanceName = option('--instance') ?? 'search-profile';
  const port = Number(option('--port') ?? 7736);
  const loadReal = process.argv.includes('--load-real');
  const local = await startLocalNeo4j({
    projectRoot: resolve(__dirname, '..'),
    instanceName,
    boltPort: port,
    fresh: loadReal,
    heapSize: '512m',
    pageCacheSize: '256m',
    readyTimeoutMs: 300_000,
  });
  const driver = neo4j.driver(local.uri);
  try {
    if (loadReal) await loadCorpus(driver, await readCorpus(DEFAULT_CORPUS_DIR));
    const [nodes] = (await driver.executeQuery('MATCH (n) RETURN count(n) AS n')).records;
    console.log(`instance ${instanceName}: ${String(nodes?.get('n'))} nodes`);
    console.log(
      '| search | kinds | page | hits | db hits before (page + count) | round trips before | db hits after | round trips after |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const question of QUESTIONS) {
      const { query } = toLuceneQuery(question.text);
      const params = { query, kinds: [...question.kinds], offset: question.offset, limit: question.limit };
      // Twice each: the first run of a statement plans it; the profile of the second is the one reported.
      let before = { page: await run(driver, BEFORE_PAGE, params), count: await run(driver, BEFORE_COUNT, params) };
      before = { page: await run(driver, BEFORE_PAGE, params), count: await run(driver, BEFORE_COUNT, params) };
      await run(driver, SEARCH_STATEMENTS.search, params);
      const after = await run(driver, SEARCH_STATEMENTS.search, params);

      const beforeTotal = plain(before.count.rows[0]?.total);
      const [afterRow] = after.rows.map(plain) as Array<{ total: number; page: unknown[] }>;
      const beforePage = before.page.rows.map(plain);
      if (afterRow?.total !== beforeTotal || !isDeepStrictEqual(afterRow?.page, beforePage)) {
        throw new Error(
          `results differ for ${JSON.stringify(question)}: total ${String(beforeTotal)} → ${String(afterRow?.total)}`,
        );
      }
      console.log(
        `| ${question.text} | ${question.kinds.length === SEARCH_KINDS.length ? 'all' : question.kinds.join(', ')} | ` +
          `${question.offset}+${question.limit} | ${String(beforeTotal)} | ` +
          `${before.page.dbHits + before.count.dbHits} (${before.page.dbHits} + ${before.count.dbHits}) | 2 | ${after.dbHits} | 1 |`,
      );
    }
  } finally {
    await driver.close();
    await local.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
