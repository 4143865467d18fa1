/**
 * The browse questions of the side-by-side benchmark (bench/peer/questions.ts: `article`, `recommendations`,
 * `deep`) PROFILE-d statement by statement, the project's Cypher beside the Neo4j GraphQL Library's: database
 * hits, rows, and bytes Neo4j sends for each statement, summed per request. It asserts nothing; it prints
 * figures (the measure for issue 9's "browse questions": db hits and bytes do not depend on the machine's load).
 *
 *   npx tsx bench/browse-profile.ts --instance browse-profile --port 7716 --load 100x   # fresh: the 100× corpus
 *   npx tsx bench/browse-profile.ts --instance browse-profile --port 7716               # the data it holds
 *   npx tsx bench/browse-profile.ts --uri bolt://127.0.0.1:7716 --state KAZ --article treaty:CRC:art:20
 *   … --only article,deep   … --statements   (also print each statement's text and parameters)
 *   … --operators   (also print each statement's costliest operators, by their own db hits)
 *
 * The project's statements are captured in-process, as its Executor runs them for one request (the second:
 * the first fills the plan cache), from a copy of the server built by createServer on the same driver. The
 * library's are captured as it runs them (its Executor's transactionRun), from its schema built in-process
 * with bench/peer/library-type-defs.graphql and executed by graphql-js. Each statement is then run twice
 * (planning), PROFILE-d once (db hits, rows), and run once more through a counting Bolt proxy (bytes Neo4j
 * sent: records, summary and protocol framing, as bench:peer counts them).
 *
 * With --load the instance is made fresh and loaded (100x: the real corpus grown with bench/generate.ts's
 * synthetic states to 100 times its node count); without it, the data it holds is used. The state is XAA on a
 * graph of more than 10,000 nodes, else KAZ; the article is the state's most implemented one unless given.
 */
import { dirname, join } from 'node:path';
import { graphql } from 'graphql';
import neo4j, { type Driver, type ProfiledPlan } from 'neo4j-driver';
import { Neo4jGraphQL } from '@neo4j/graphql';
// The library's one place that runs a translated statement (its Executor), wrapped below to record them
// (by its file: the package does not export it).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const libraryExecutor = require(join(dirname(require.resolve('@neo4j/graphql')), 'classes', 'Executor.js')) as {
  Executor: {
    prototype: {
      transactionRun: (this: unknown, query: string, params: Record<string, unknown>, tx: unknown) => unknown;
    };
  };
};
import { createDriver } from '../src/db/driver';
import { integerParams } from '../src/db/executor';
import { createLogger, silentLogger } from '../src/logger';
import { createServer } from '../src/server';
import { DEFAULT_CORPUS_DIR, readCorpus } from '../seed/corpus';
import { loadCorpus } from '../seed/loader';
import type { LocalNeo4j } from '../tools/local-neo4j/local-neo4j';
import { graphNodes, growSynthetic } from './grow';
import { BoltProxy } from './peer/bolt-proxy';
import { RecordingExecutor } from './peer/recording-executor';
import { startProfileNeo4j } from './profile-neo4j';
import { LIBRARY_TYPE_DEFS } from './peer/library-server';
import { firstDifference, questions, type Asked } from './peer/questions';

const BROWSE = ['article', 'recommendations', 'deep'];

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

interface Statement {
  cypher: string;
  params: Record<string, unknown>;
}

let libraryRecorded: Statement[] = [];
const transactionRun = libraryExecutor.Executor.prototype.transactionRun;
libraryExecutor.Executor.prototype.transactionRun = function (this: unknown, query, params, tx) {
  libraryRecorded.push({ cypher: query, params });
  return transactionRun.call(this, query, params, tx);
};

async function post(url: string, asked: Asked): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(asked),
  });
  const body = (await response.json()) as { data?: Record<string, unknown> | null; errors?: unknown[] };
  if (response.status !== 200 || body.errors?.length || !body.data)
    throw new Error(`project request failed (${response.status}): ${JSON.stringify(body).slice(0, 2000)}`);
  return body.data;
}

function dbHits(plan: ProfiledPlan): number {
  return plan.dbHits + plan.children.reduce((sum, child) => sum + dbHits(child), 0);
}

interface Measured {
  name: string;
  dbHits: number;
  rows: number;
  bytes: number;
  /** The operators with the most database hits of their own. */
  costliest: string[];
}

/** Every operator of a plan with its own db hits and rows. */
function operators(plan: ProfiledPlan, found: Array<{ text: string; dbHits: number }> = []) {
  const details = String(plan.arguments?.Details ?? '').slice(0, 120);
  found.push({
    text: `${String(plan.dbHits).padStart(7)} hits ${String(plan.rows).padStart(6)} rows  ${plan.operatorType} ${details}`,
    dbHits: plan.dbHits,
  });
  for (const child of plan.children) operators(child, found);
  return found;
}

/** A statement's name: the project's `// name` comment, else the first words of its text. */
function nameOf(cypher: string): string {
  const named = /^\/\/ (\S+)/.exec(cypher);
  return named
    ? named[1]!
    : cypher
        .replace(/^CYPHER \S+\s*/, '')
        .replace(/\s+/g, ' ')
        .slice(0, 48);
}

async function measure(driver: Driver, counted: Driver, proxy: BoltProxy, statement: Statement): Promise<Measured> {
  const params = integerParams(statement.params);
  const read = (target: Driver, cypher: string) => target.executeQuery(cypher, params, { routing: neo4j.routing.READ });
  await read(driver, statement.cypher);
  await read(driver, statement.cypher);
  const profiled = await read(driver, `PROFILE ${statement.cypher.replace(/^CYPHER 5\s*/, '')}`);
  const plan = profiled.summary.profile;
  if (!plan) throw new Error('no profile returned');
  const before = proxy.counts().bytesFromServer;
  await read(counted, statement.cypher);
  return {
    name: nameOf(statement.cypher),
    dbHits: dbHits(plan),
    rows: profiled.records.length,
    bytes: proxy.counts().bytesFromServer - before,
    costliest: operators(plan)
      .sort((a, b) => b.dbHits - a.dbHits)
      .slice(0, 8)
      .map((operator) => operator.text),
  };
}

const kib = (bytes: number) => (bytes / 1024).toFixed(1);

function print(side: string, measured: Measured[]): { dbHits: number; bytes: number } {
  const total = {
    dbHits: measured.reduce((sum, m) => sum + m.dbHits, 0),
    bytes: measured.reduce((sum, m) => sum + m.bytes, 0),
  };
  console.log(
    `  ${side}: ${measured.length} statement(s), ${total.dbHits.toLocaleString('en')} db hits, ${kib(total.bytes)} KiB`,
  );
  for (const m of measured) {
    console.log(
      `    ${String(m.dbHits).padStart(9)} hits ${String(m.rows).padStart(5)} rows ${kib(m.bytes).padStart(8)} KiB  ${m.name}`,
    );
    if (process.argv.includes('--operators')) for (const operator of m.costliest) console.log(`        ${operator}`);
  }
  return total;
}

async function main(): Promise<void> {
  const uri = option('--uri');
  const load = option('--load');
  let local: LocalNeo4j | undefined;
  if (!uri) {
    local = await startProfileNeo4j(option, { instance: 'browse-profile', port: 7716 });
  }
  const boltUri = uri ?? local!.uri;
  const driver = neo4j.driver(boltUri);
  const address = new URL(boltUri.replace(/^bolt/, 'http'));
  const proxy = new BoltProxy({ host: address.hostname, port: Number(address.port) });
  const counted = neo4j.driver(await proxy.start());
  // The project's driver as the project configures it (createDriver: numbers, not Integers), the library's
  // as its server does (bench/peer/library-server.ts).
  const projectDriver = createDriver(boltUri, undefined, { retryTimeMs: 2_000 }, silentLogger);
  const executor = new RecordingExecutor(projectDriver, {
    database: undefined,
    queryTimeoutMs: 120_000,
    logger: silentLogger,
  });
  // Errors only (a failed request says why on stderr).
  const server = await createServer({ host: '127.0.0.1', port: 0 }, { executor, logger: createLogger('error') });
  try {
    if (load) {
      await loadCorpus(driver, await readCorpus(DEFAULT_CORPUS_DIR));
      if (load === '100x') await growSynthetic(driver, 100 * (await graphNodes(driver)), 42, console.log);
    }
    const nodes = await graphNodes(driver);
    const state = option('--state') ?? (nodes > 10_000 ? 'XAA' : 'KAZ');
    const mostImplemented = await driver.executeQuery(
      `MATCH (p:Provision {stateId: $state})-[:IMPLEMENTS]->(a:TreatyArticle)
       RETURN a.id AS id, count(*) AS n ORDER BY n DESC, id LIMIT 1`,
      { state: `state:${state}` },
    );
    const article = option('--article') ?? (mostImplemented.records[0]?.get('id') as string);
    console.log(`${nodes.toLocaleString('en')} nodes; state ${state}, article ${article}`);
    const schema = await new Neo4jGraphQL({ typeDefs: LIBRARY_TYPE_DEFS, driver }).getSchema();
    const only = option('--only')?.split(',') ?? BROWSE;
    const showStatements = process.argv.includes('--statements');
    const summary: string[] = [];
    for (const question of questions({ state, article, searchText: 'children' })) {
      if (!only.includes(question.name)) continue;
      // Twice each: the first request plans; the second's statements are the ones measured.
      await post(server.graphqlUrl, question.project);
      executor.recorded = [];
      const projectData = await post(server.graphqlUrl, question.project);
      const projectStatements = executor.recorded;
      const askLibrary = async () => {
        const result = await graphql({
          schema,
          source: question.library.query,
          variableValues: question.library.variables,
          contextValue: {},
        });
        if (result.errors?.length || !result.data)
          throw new Error(`library request failed: ${JSON.stringify(result.errors).slice(0, 2000)}`);
        return result.data as Record<string, unknown>;
      };
      await askLibrary();
      libraryRecorded = [];
      const libraryData = await askLibrary();
      const libraryStatements = libraryRecorded;
      const difference = firstDifference(
        question.normaliseProject(projectData),
        question.normaliseLibrary(libraryData),
      );
      console.log(`\n## ${question.name}${difference ? ` (ANSWERS DIFFER at ${difference})` : ' (same answer)'}`);
      const totals: Record<string, { dbHits: number; bytes: number }> = {};
      for (const [side, statements] of [
        ['project', projectStatements],
        ['library', libraryStatements],
      ] as const) {
        const measured: Measured[] = [];
        for (const statement of statements) measured.push(await measure(driver, counted, proxy, statement));
        totals[side] = print(side, measured);
        if (showStatements)
          for (const statement of statements)
            console.log(`\n${statement.cypher}\n-- ${JSON.stringify(statement.params).slice(0, 1000)}\n`);
      }
      summary.push(
        `| ${question.name} | ${totals.project!.dbHits.toLocaleString('en')} | ${totals.library!.dbHits.toLocaleString('en')} | ${kib(totals.project!.bytes)} | ${kib(totals.library!.bytes)} |`,
      );
    }
    console.log('\n| question | db hits, project | db hits, library | KiB, project | KiB, library |');
    console.log('| --- | --- | --- | --- | --- |');
    for (const line of summary) console.log(line);
  } finally {
    await server.stop();
    await counted.close();
    await proxy.stop();
    await projectDriver.close();
    await driver.close();
    await local?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
