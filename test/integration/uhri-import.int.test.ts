/**
 * Importing a UHRI export into the real Neo4j (issue 11 items 1, 2, 5, 6): the fixture built from the
 * real Kazakh paragraphs matches the curated corpus with no duplicates; reloading the corpus and
 * re-importing give the same graph in either order; a killed or interrupted import leaves the graph as
 * it was; bad rows are listed in the rejects file.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from '@jest/globals';
import neo4j, { type Driver } from 'neo4j-driver';
import { readCorpus, type Corpus } from '../../seed/corpus';
import { loadCorpus } from '../../seed/loader';
import { SEED_DATA_DIR } from '../../src/app';
import { visible } from '../../src/graph/vocabulary';
import { SEARCH_STATEMENTS } from '../../src/modules/search/repository';
import { importUhriFile } from '../../src/modules/uhri/import-file';
import { ensureRealCorpus, openTestDriver, testConfig, testNeo4jUri } from '../support/harness';

const ROOT = resolve(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'uhri');
const database = testConfig().database;
const EXPORT_DATE = '2026-11-30';

let driver: Driver;
let corpus: Corpus;
let work: string;

beforeAll(async () => {
  driver = openTestDriver();
  await ensureRealCorpus(driver);
  corpus = await readCorpus(SEED_DATA_DIR);
  work = await mkdtemp(join(tmpdir(), 'uhri-import-test-'));
}, 300_000);

afterAll(async () => {
  // Other integration tests share this database: remove what the imports wrote, then the real corpus is as loaded.
  await removeImported();
  // The last scenario imports into an empty graph: the real corpus is loaded again (its CorpusMeta went too).
  await ensureRealCorpus(driver);
  await driver.close();
  await rm(work, { recursive: true, force: true });
}, 300_000);

async function run(cypher: string, params: Record<string, unknown> = {}): Promise<Array<Record<string, unknown>>> {
  const session = driver.session({ database });
  try {
    return (await session.run(cypher, params)).records.map((record) => record.toObject());
  } finally {
    await session.close();
  }
}

const plain = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (_key, v: unknown) => (neo4j.isInt(v) ? v.toString() : v)));
const count = async (cypher: string) => Number((await run(cypher))[0]?.['n']);

/**
 * Removes what the imports wrote, in transactions of 5,000 rows: a whole synthetic import deleted in one
 * transaction (some 370,000 commands) ran the test Neo4j's 512 MiB heap out of memory.
 */
async function removeImported(): Promise<void> {
  await run(`// removeImportedRelationships
MATCH ()-[r]->() WHERE r.origin IN ['UHRI', 'INFERRED']
CALL (r) { DELETE r } IN TRANSACTIONS OF 5000 ROWS`);
  await run(`// removeImportedNodes
MATCH (n) WHERE n.origin = 'UHRI' OR n:UhriStaged OR n:UhriPending OR n:UhriPublished
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS`);
}

/** Every Entity node and every relationship between them, as sorted lines: equal dumps, equal graphs. */
async function canonicalDump(): Promise<string[]> {
  const nodes = await run(`// dumpNodes
MATCH (n:Entity) WHERE ${visible('n')} RETURN n.id AS id, labels(n) AS labels, properties(n) AS props`);
  const rels = await run(`// dumpRelationships
MATCH (a:Entity)-[r]->(b:Entity) WHERE ${visible('a')} AND ${visible('b')} RETURN a.id AS a, type(r) AS type, b.id AS b, properties(r) AS props`);
  const sortedProps = (props: unknown) =>
    JSON.stringify(Object.entries(plain(props) as Record<string, unknown>).sort(([x], [y]) => x.localeCompare(y)));
  return [
    ...nodes.map(
      (n) => `node ${String(n['id'])} ${(n['labels'] as string[]).slice().sort().join(':')} ${sortedProps(n['props'])}`,
    ),
    ...rels.map((r) => `rel ${String(r['a'])} ${String(r['type'])} ${String(r['b'])} ${sortedProps(r['props'])}`),
  ].sort();
}

const importFixture = (file: string, extra: Parameters<typeof importUhriFile>[2] = {}) =>
  importUhriFile(driver, join(FIXTURES, file), {
    exportDate: EXPORT_DATE,
    ...extra,
    ...(database ? { database } : {}),
  });

describe('the fixture export of the real Kazakh paragraphs', () => {
  test('imports as xlsx and as csv, matching the curated paragraphs with no duplicates', async () => {
    const recommendationsBefore = await count('MATCH (r:Recommendation) RETURN count(r) AS n');
    const xlsx = await importFixture('kaz-uhri-export.xlsx');
    expect({ records: xlsx.summary.records, rejects: xlsx.summary.rejects, new: xlsx.new }).toEqual({
      records: 18,
      rejects: 0,
      new: 0,
    });
    expect(xlsx.matchedCurated).toBe(18);
    const csv = await importFixture('kaz-uhri-export.csv');
    expect({ records: csv.summary.records, new: csv.new, matched: csv.matchedCurated }).toEqual({
      records: 18,
      new: 0,
      matched: 18,
    });

    expect(await count('MATCH (r:Recommendation) RETURN count(r) AS n')).toBe(recommendationsBefore);
    // Curated values win: no curated recommendation gained a second document, state or text.
    const doubled = await run(`// doubledLinks
MATCH (r:Recommendation)
WITH r, COUNT { (r)-[:ISSUED_IN]->() } AS docs, COUNT { (r)-[:ADDRESSED_TO]->() } AS states,
     COUNT { (r)-[:HAS_TEXT]->(:TextVersion {language: 'en'}) } AS english
WHERE docs <> 1 OR states <> 1 OR english > 1
RETURN r.id AS id, docs, states, english`);
    expect(plain(doubled)).toEqual([]);
    expect(await count(`MATCH (r:Recommendation) WHERE r.origin <> 'CURATED' RETURN count(r) AS n`)).toBe(0);

    // The curated corporal-punishment paragraph cites the export beside its curated sources.
    const citation = await run(`// exportCitation
MATCH (:Recommendation {id: 'rec:CRC/C/KAZ/CO/4:29'})-[c:SOURCED_FROM]->(s:Source)
WHERE s.origin = 'UHRI'
RETURN s.id AS source, c.locator AS locator`);
    expect(plain(citation)).toEqual([
      { source: 'source:uhri-kaz-uhri-export-2026-11-30', locator: 'OHCHR Annotation Id FIXTURE-KAZ-0002' },
    ]);
    // UHRI's themes sit beside the curated ones, on their own nodes.
    expect(
      await count(`MATCH (:Recommendation {id: 'rec:CRC/C/KAZ/CO/4:29'})-[:HAS_THEME]->(t:Theme {origin: 'UHRI'})
RETURN count(t) AS n`),
    ).toBeGreaterThan(0);
  }, 300_000);

  test('a paragraph whose exported text differs from the curated one keeps the exported text as a claim', async () => {
    // CO/3 para. 37 is curated truncated ("corporal punishment of chil"); the fixture row ends with "[…]".
    const claims = await run(`// textClaim
MATCH (r:Recommendation {id: 'rec:CRC/C/KAZ/CO/3:37'})-[:HAS_CLAIM]->(c:Claim {origin: 'UHRI'})-[:SOURCED_FROM]->(s:Source)
RETURN c.field AS field, c.status AS status, c.value AS value, s.id AS source`);
    expect(claims).toHaveLength(1);
    expect(plain(claims[0])).toEqual(
      expect.objectContaining({
        field: 'texts',
        status: 'UNRESOLVED',
        source: 'source:uhri-kaz-uhri-export-2026-11-30',
      }),
    );
    // …and the curated text is still the one the paragraph has.
    const texts = await run(
      `MATCH (:Recommendation {id: 'rec:CRC/C/KAZ/CO/3:37'})-[:HAS_TEXT]->(t) RETURN t.origin AS origin`,
    );
    expect(texts.map((t) => t['origin'])).toEqual(['CURATED']);
  }, 60_000);

  test('re-running the same file changes nothing, and a dry run says so without writing', async () => {
    const before = await canonicalDump();
    const again = await importFixture('kaz-uhri-export.csv');
    expect({ new: again.new, updated: again.updated, unchanged: again.unchanged }).toEqual({
      new: 0,
      updated: 0,
      unchanged: 18,
    });
    expect(await canonicalDump()).toEqual(before);
    const dry = await importFixture('kaz-uhri-export.xlsx', { dryRun: true });
    expect({ dryRun: dry.dryRun, committed: dry.committed, unchanged: dry.unchanged }).toEqual({
      dryRun: true,
      committed: false,
      unchanged: 18,
    });
    expect(await canonicalDump()).toEqual(before);
  }, 300_000);

  test('reloading the corpus and re-importing give the same graph in either order', async () => {
    await loadCorpus(driver, corpus, { ...(database ? { database } : {}), log: () => undefined });
    await importFixture('kaz-uhri-export.csv');
    const corpusThenImport = await canonicalDump();

    await importFixture('kaz-uhri-export.csv');
    await loadCorpus(driver, corpus, { ...(database ? { database } : {}), log: () => undefined });
    const importThenCorpus = await canonicalDump();

    expect(importThenCorpus).toEqual(corpusThenImport);
    // The comparison is of a graph that holds both: the corpus and the import's own nodes.
    expect(corpusThenImport.some((line) => line.includes('"origin","UHRI"'))).toBe(true);
    expect(corpusThenImport.some((line) => line.includes('"origin","CURATED"'))).toBe(true);
  }, 600_000);
});

describe('bad rows', () => {
  test('three bad rows give three lines in the rejects file, with their row numbers; --strict stops the import', async () => {
    const rejectsPath = join(work, 'three-bad-rows.rejects.csv');
    const report = await importFixture('three-bad-rows.csv', { rejectsPath });
    expect(report.summary.rejects).toBe(3);
    const lines = (await readFile(rejectsPath, 'utf8'))
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r\n/);
    expect(lines[0]).toBe('row,column,value,reason,action,annotation id');
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 2).join(','))).toEqual([
      '3,Countries Concerned',
      '5,Document Symbol',
      '6,Text',
    ]);

    const before = await canonicalDump();
    await expect(importFixture('three-bad-rows.xlsx', { strict: true })).rejects.toThrow(/row 3.*Atlantis/);
    expect(await canonicalDump()).toEqual(before);
  }, 300_000);

  test('a file that is not a UHRI export gets one error naming the missing headers', async () => {
    await expect(importFixture('not-uhri.csv')).rejects.toThrow(
      /not a UHRI export.*"Countries Concerned", "Reccomending Body", "Document Symbol"/,
    );
  }, 60_000);
});

describe('an import that does not finish leaves the graph as it was', () => {
  let synthetic: string;

  beforeAll(() => {
    synthetic = join(work, 'uhri-synthetic-3000.csv');
    const generated = spawnSync('npx', ['tsx', 'bench/uhri-generate.ts', '--rows', '3000', '--out', synthetic], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (generated.status !== 0) throw new Error(`generator failed: ${generated.stderr}`);
  }, 300_000);

  function startImporter(): ChildProcess {
    const external = testConfig().external;
    // node itself (tsx as a loader, as `npm start` runs), so that the pid is the importer's and signals reach it.
    const args = [
      '--import',
      'tsx',
      'src/modules/uhri/cli.ts',
      synthetic,
      '--batch',
      '250',
      '--export-date',
      EXPORT_DATE,
    ];
    return spawn(process.execPath, args, {
      cwd: ROOT,
      env: {
        ...process.env,
        NEO4J_URI: testNeo4jUri(),
        NEO4J_USER: external?.user ?? 'neo4j',
        NEO4J_PASSWORD: external?.password ?? '',
        ...(database ? { NEO4J_DATABASE: database } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  const exited = (child: ChildProcess) =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.on('exit', (code, signal) => done({ code, signal })),
    );

  /** Waits until the importer has staged at least `n` recommendations (it is then mid-import). */
  async function waitForStaged(n: number, child: ChildProcess): Promise<void> {
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`the importer ended (code ${child.exitCode}) before staging ${n} rows`);
      if ((await count('MATCH (r:UhriPending:Recommendation) RETURN count(r) AS n')) >= n) return;
      await new Promise((wait) => setTimeout(wait, 200));
    }
  }

  test('killed (SIGKILL) mid-import: the graph is as before; the next run clears what was staged and imports', async () => {
    const before = await canonicalDump();
    const child = startImporter();
    const exit = exited(child);
    await waitForStaged(500, child);
    child.kill('SIGKILL');
    expect((await exit).signal).toBe('SIGKILL');
    // Its rows are in the graph, pending, and no reader's view of the graph has changed.
    expect(await count('MATCH (r:UhriPending:Recommendation) RETURN count(r) AS n')).toBeGreaterThanOrEqual(500);
    expect(await count('MATCH (m:UhriPublished) RETURN count(m) AS n')).toBe(0);
    expect(await canonicalDump()).toEqual(before);

    const complete = startImporter();
    let output = '';
    complete.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    expect((await exited(complete)).code).toBe(0);
    expect(output).toMatch(/wrote: 3000 new, 0 updated, 0 unchanged/);
    expect(await count('MATCH (n) WHERE n:UhriStaged OR n:UhriPending OR n:UhriPublished RETURN count(n) AS n')).toBe(
      0,
    );
    expect(await count(`MATCH (r:Recommendation {origin: 'UHRI'}) RETURN count(r) AS n`)).toBe(3000);
  }, 600_000);

  test('interrupted (Ctrl-C) mid-import: rolled back, exit code 130, nothing staged is left', async () => {
    await removeImported();
    const before = await canonicalDump();
    const child = startImporter();
    const exit = exited(child);
    await waitForStaged(250, child);
    child.kill('SIGINT');
    expect((await exit).code).toBe(130);
    expect(await count('MATCH (n) WHERE n:UhriStaged OR n:UhriPending OR n:UhriPublished RETURN count(n) AS n')).toBe(
      0,
    );
    expect(await canonicalDump()).toEqual(before);
  }, 600_000);

  /** The API's search statement (every kind): its total for `query`. */
  const searchTotal = async (query: string) =>
    Number(
      (
        await run(SEARCH_STATEMENTS.search, {
          query,
          kinds: ['TREATY_ARTICLE', 'PROVISION', 'RECOMMENDATION'],
          // Integers, as the API's executor sends them (LIMIT refuses a float).
          offset: neo4j.int(0),
          limit: neo4j.int(10),
          // Read nothing of the page it does not look at: every property (null), no text.
          entityProps: null,
          best: false,
          withText: false,
        })
      )[0]?.['total'],
    );

  test('pending texts are in the full-text index but search skips them until the file is published', async () => {
    await removeImported();
    const before = await searchTotal('synthetic');
    const child = startImporter();
    const exit = exited(child);
    await waitForStaged(500, child);
    child.kill('SIGKILL');
    await exit;
    // The pending texts carry RecommendationText (so the index holds them) and UhriPending ...
    expect(
      await count(
        `CALL db.index.fulltext.queryNodes('recommendationTextVersionText', 'synthetic') YIELD node WHERE node:UhriPending RETURN count(node) AS n`,
      ),
    ).toBeGreaterThanOrEqual(500);
    // ... and search does not find them.
    expect(await searchTotal('synthetic')).toBe(before);

    const report = await importUhriFile(driver, synthetic, {
      exportDate: EXPORT_DATE,
      ...(database ? { database } : {}),
    });
    expect(report.committed).toBe(true);
    expect(await searchTotal('synthetic')).toBe(before + 3000);
  }, 600_000);

  test('killed after publishing, before its labels were removed: the next run finishes the clean-up and deletes nothing published', async () => {
    // The previous test left the file published. A run killed after its publish committed leaves the marker,
    // pending labels on published rows, and staging labels on published shared nodes (an earlier version's
    // runs left staging labels on published rows too).
    expect(await count(`MATCH (r:Recommendation {origin: 'UHRI'}) RETURN count(r) AS n`)).toBe(3000);
    await run(`MATCH (r:Recommendation {origin: 'UHRI'}) WITH r SKIP 100 LIMIT 500 SET r:UhriPending`);
    await run(`MATCH (t:TextVersion {origin: 'UHRI'}) WITH t SKIP 100 LIMIT 500 SET t:UhriPending`);
    await run(`CREATE (:UhriPublished {at: datetime()})`);
    await run(`MATCH (r:Recommendation {origin: 'UHRI'}) WITH r LIMIT 100 SET r:UhriStaged:UhriStagedRecommendation`);
    await run(`MATCH (t:TextVersion {origin: 'UHRI'}) WITH t LIMIT 100 SET t:UhriStaged:UhriStagedTextVersion`);
    // Readers see the published rows, pending label or not.
    expect(await searchTotal('synthetic')).toBeGreaterThanOrEqual(3000);
    const before = await canonicalDump();
    const report = await importUhriFile(driver, synthetic, {
      exportDate: EXPORT_DATE,
      ...(database ? { database } : {}),
    });
    expect({ new: report.new, unchanged: report.unchanged }).toEqual({ new: 0, unchanged: 3000 });
    expect(await count('MATCH (n) WHERE n:UhriStaged OR n:UhriPending OR n:UhriPublished RETURN count(n) AS n')).toBe(
      0,
    );
    expect(await count(`MATCH (r:Recommendation {origin: 'UHRI'}) RETURN count(r) AS n`)).toBe(3000);
    const stripStaging = (line: string) => line.replace(/:(UhriStaged\w*|UhriPending)\b/g, '');
    expect(await canonicalDump()).toEqual(before.map(stripStaging).sort());
    await removeImported();
  }, 600_000);
});

describe('inferred links (src/modules/uhri/infer) written by the import', () => {
  test('imported alone, the Kazakh paragraphs reproduce the corporal-punishment chain as inferred REITERATES links', async () => {
    await run(`// emptyTheGraph
MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS`);
    const report = await importFixture('kaz-uhri-export.csv');
    expect({ new: report.new, matched: report.matchedCurated }).toEqual({ new: 18, matched: 0 });
    const links = await run(`// inferredChain
MATCH (a:Recommendation)-[l:REITERATES]->(b:Recommendation)
RETURN a.id AS from, b.id AS to, l.origin AS origin, l.basis AS basis, l.verification AS verification, l.inference AS inference
ORDER BY from`);
    expect(plain(links)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          from: 'rec:CRC/C/KAZ/CO/3:37',
          to: 'rec:CRC/C/15/Add.213:39',
          origin: 'INFERRED',
          basis: 'INFERRED',
          verification: 'UNVERIFIED',
        }),
        expect.objectContaining({ from: 'rec:CRC/C/KAZ/CO/4:29', to: 'rec:CRC/C/KAZ/CO/3:37', origin: 'INFERRED' }),
      ]),
    );
    // Every imported paragraph is one node, addressed to the state the import created from the export.
    expect(
      await count(
        `MATCH (r:Recommendation {origin: 'UHRI'})-[:ADDRESSED_TO]->(:State {id: 'state:KAZ', origin: 'UHRI'}) RETURN count(r) AS n`,
      ),
    ).toBe(18);
    // A second run changes nothing, the inferred links included.
    const before = await canonicalDump();
    await importFixture('kaz-uhri-export.csv');
    expect(await canonicalDump()).toEqual(before);
  }, 300_000);
});
