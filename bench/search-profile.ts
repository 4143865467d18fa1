/**
 * Full-text search, before and after "search that is paid once" (issue 9, item 3): the same questions run with
 * the previous Cypher (the page, then the count, each running the whole search; the owner of every hit expanded
 * before ranking), with main's statement of 2026-12-01 (one statement, every hit ordered by score and id) and
 * with the current statement (src/modules/search/repository.ts, reading every property and the text, as
 * the others do), checked equal hit for hit, then PROFILE-d (database hits, and the rows the costliest operator
 * handles) and timed (median of 15 runs straight through the driver, one after another). The current
 * statement is also profiled with the benchmark's selection (bench/peer: id and summary, no excerpt).
 *
 *   npx tsx bench/search-profile.ts --uri bolt://127.0.0.1:7736                      # a Neo4j already running
 *
 *   npx tsx bench/search-profile.ts --instance search-profile --port 7736 --load-real   # fresh: the real corpus
 *   npx tsx bench/search-profile.ts --instance bench --port 7736                       # existing data (npm run bench)
 *
 * It starts the named Neo4j instance of .neo4j/instances/ (fresh and loaded with the real corpus with
 * --load-real, else on the data it holds) and stops it at the end. It asserts nothing but equality of results:
 * a difference ends it with an error.
 */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
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

/**
 * The statement on main before "search joins the text to its owner" (2026-12-01): one statement, but each text
 * version's ownerId and ownerLabel read, every hit ordered by score and then entity id, and every property of
 * each entity of the page and its text read whatever the query selects.
 */
const MAIN_SEARCH = `// Query.search (main, 2026-12-01)
CALL () {
  WITH 1 AS wanted WHERE 'TREATY_ARTICLE' IN $kinds
  CALL db.index.fulltext.queryNodes('treatyArticleText', $query) YIELD node, score
  RETURN node.id AS key, node AS textNode, score
  UNION ALL
  WITH 1 AS wanted WHERE 'PROVISION' IN $kinds OR 'RECOMMENDATION' IN $kinds
  CALL db.index.fulltext.queryNodes('textVersionText', $query) YIELD node, score
  WITH node, score
  WHERE (node:Entity OR EXISTS { MATCH (:Entity)-[:HAS_TEXT]->(node) })
    AND (('PROVISION' IN $kinds AND 'RECOMMENDATION' IN $kinds)
     OR CASE node.ownerLabel WHEN 'Provision' THEN 'PROVISION' WHEN 'Recommendation' THEN 'RECOMMENDATION' END IN $kinds)
  RETURN node.ownerId AS key, node AS textNode, score
}
WITH key, textNode, score ORDER BY score DESC
WITH key, collect({node: textNode, score: score}) AS texts
WITH key, [text IN texts WHERE text.score = texts[0].score] AS top
WITH key, reduce(best = head(top), text IN tail(top) |
       CASE WHEN text.node.language < best.node.language THEN text ELSE best END) AS best
ORDER BY best.score DESC, key
WITH collect(best) AS hits
WITH size(hits) AS total, hits[$offset..($offset + $limit)] AS page
RETURN total, COLLECT {
  UNWIND range(0, size(page) - 1) AS position
  WITH position, page[position].node AS textNode, page[position].score AS score
  OPTIONAL MATCH (owner:Entity)-[:HAS_TEXT]->(textNode) WHERE NOT textNode:TreatyArticle
  WITH position, textNode, score, CASE WHEN textNode:TreatyArticle THEN textNode ELSE owner END AS entity
  ORDER BY position
  RETURN {
    kind: CASE WHEN entity:TreatyArticle THEN 'TREATY_ARTICLE' WHEN entity:Provision THEN 'PROVISION' WHEN entity:Recommendation THEN 'RECOMMENDATION' END,
    entity: {labels: labels(entity), props: properties(entity)},
    best: {language: CASE WHEN textNode:TreatyArticle THEN 'en' ELSE textNode.language END, text: textNode.text, score: score}
  }
} AS page`;

/**
 * The side-by-side benchmark's library statements for the same question, recommendations only
 * (bench/peer/library-type-defs.graphql, the bodies of searchRecommendations and searchRecommendationsCount;
 * the library wraps them in its own Cypher, so these are a floor of what it runs, not its exact statements).
 */
const LIBRARY_PAGE = `CALL db.index.fulltext.queryNodes('textVersionText', $query) YIELD node, score
MATCH (r:Recommendation)-[:HAS_TEXT]->(node)
WITH r, max(score) AS best
ORDER BY best DESC, r.id
LIMIT $limit
RETURN r`;
const LIBRARY_COUNT = `CALL db.index.fulltext.queryNodes('textVersionText', $query) YIELD node
MATCH (r:Recommendation)-[:HAS_TEXT]->(node)
RETURN count(DISTINCT r) AS total`;

const RUNS = 15;

/** The median time of RUNS runs of the statements one after the other (no PROFILE), in ms. */
async function medianMs(driver: Driver, statements: string[], params: Record<string, unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    for (const cypher of statements) {
      await driver.executeQuery(cypher, integerParams(params), { routing: neo4j.routing.READ });
    }
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(RUNS / 2)]! * 10) / 10;
}

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
  { text: 'вооружённых конфликтах', kinds: SEARCH_KINDS, offset: 0, limit: 11 },
  { text: 'детей', kinds: SEARCH_KINDS, offset: 0, limit: 21 },
  { text: 'ратифицировать протокол', kinds: ['RECOMMENDATION'], offset: 0, limit: 11 },
  // The side-by-side benchmark's question (bench/peer: search "children", recommendations, first 10).
  { text: 'children', kinds: ['RECOMMENDATION'], offset: 0, limit: 11 },
  { text: 'children', kinds: SEARCH_KINDS, offset: 0, limit: 11 },
  { text: 'children', kinds: ['PROVISION'], offset: 0, limit: 11 },
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

/** A page as the current statement returns it with every property read, in the earlier statements' shape. */
function asBefore(page: unknown[]): unknown[] {
  return page.map((item) => {
    const { kind, entity, best } = item as {
      kind: unknown;
      entity: { labels: unknown; props: unknown };
      best: unknown;
    };
    return { kind, entity: { labels: entity.labels, props: entity.props }, best };
  });
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
  const driver = neo4j.driver(uri ?? local!.uri);
  try {
    if (loadReal) await loadCorpus(driver, await readCorpus(DEFAULT_CORPUS_DIR));
    const [nodes] = (await driver.executeQuery('MATCH (n) RETURN count(n) AS n')).records;
    console.log(`${uri ?? `instance ${instanceName}`}: ${String(nodes?.get('n'))} nodes`);
    console.log(
      '| search | kinds | page | hits | db hits before (page + count) | db hits main | db hits now | db hits now, bench selection | median ms before (2 round trips) | median ms main | median ms now | median ms now, bench selection | library @cypher db hits (page + count) |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const question of QUESTIONS) {
      const { query } = toLuceneQuery(question.text);
      const params = { query, kinds: [...question.kinds], offset: question.offset, limit: question.limit };
      // Every property and the text, as the earlier statements read them; and the benchmark's selection.
      const wholly = { ...params, entityProps: null, withText: true };
      const selected = { ...params, entityProps: ['id', 'summary'], withText: false };
      // Twice each: the first run of a statement plans it; the profile of the second is the one reported.
      let before = { page: await run(driver, BEFORE_PAGE, params), count: await run(driver, BEFORE_COUNT, params) };
      before = { page: await run(driver, BEFORE_PAGE, params), count: await run(driver, BEFORE_COUNT, params) };
      await run(driver, MAIN_SEARCH, params);
      const main = await run(driver, MAIN_SEARCH, params);
      await run(driver, SEARCH_STATEMENTS.search, wholly);
      const now = await run(driver, SEARCH_STATEMENTS.search, wholly);
      await run(driver, SEARCH_STATEMENTS.search, selected);
      const nowSelected = await run(driver, SEARCH_STATEMENTS.search, selected);

      const beforeTotal = plain(before.count.rows[0]?.total);
      const beforePage = before.page.rows.map(plain);
      const [mainRow] = main.rows.map(plain) as Array<{ total: number; page: unknown[] }>;
      const [nowRow] = now.rows.map(plain) as Array<{ total: number; page: unknown[] }>;
      const [selectedRow] = nowSelected.rows.map(plain) as Array<{ total: number; page: Array<{ entity: unknown }> }>;
      for (const [name, row] of [
        ['main', mainRow],
        ['now', nowRow && { total: nowRow.total, page: asBefore(nowRow.page) }],
      ] as const) {
        if (row?.total !== beforeTotal || !isDeepStrictEqual(row?.page, beforePage)) {
          throw new Error(
            `results differ for ${JSON.stringify(question)}: total ${String(beforeTotal)} → ${name} ${String(row?.total)}`,
          );
        }
      }
      const ids = (page: unknown[]) =>
        page.map((item) => (item as { entity: { props: { id: unknown } } }).entity.props.id);
      const selectedIds = selectedRow?.page.map((item) => (item.entity as { values: unknown[] }).values[0]);
      if (selectedRow?.total !== beforeTotal || !isDeepStrictEqual(selectedIds, ids(beforePage)))
        throw new Error(`results differ for ${JSON.stringify(question)} with the benchmark's selection`);

      const beforeMs = await medianMs(driver, [BEFORE_PAGE, BEFORE_COUNT], params);
      const mainMs = await medianMs(driver, [MAIN_SEARCH], params);
      const nowMs = await medianMs(driver, [SEARCH_STATEMENTS.search], wholly);
      const selectedMs = await medianMs(driver, [SEARCH_STATEMENTS.search], selected);
      let library = '';
      if (isDeepStrictEqual(question.kinds, ['RECOMMENDATION'])) {
        await run(driver, LIBRARY_PAGE, params);
        const [page, count] = [await run(driver, LIBRARY_PAGE, params), await run(driver, LIBRARY_COUNT, params)];
        library = `${page.dbHits + count.dbHits} (${page.dbHits} + ${count.dbHits})`;
      }
      console.log(
        `| ${question.text} | ${question.kinds.length === SEARCH_KINDS.length ? 'all' : question.kinds.join(', ')} | ` +
          `${question.offset}+${question.limit} | ${String(beforeTotal)} | ` +
          `${before.page.dbHits + before.count.dbHits} (${before.page.dbHits} + ${before.count.dbHits}) | ${main.dbHits} | ${now.dbHits} | ${nowSelected.dbHits} | ` +
          `${beforeMs} | ${mainMs} | ${nowMs} | ${selectedMs} | ${library} |`,
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
