import { copyFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
// The expect of @jest/globals, not the global one: @types/jest types asymmetric matchers (expect.any,
// expect.stringContaining …) as `any`, @jest/globals as AsymmetricMatcher.
import { expect } from '@jest/globals';
import type { Driver } from 'neo4j-driver';
import { CorpusValidationError, readCorpus, type Corpus } from '../../seed/corpus';
import { FACT_RELATIONSHIP_TYPES, NODE_LABELS, RELATIONSHIP_TYPES } from '../../src/graph/vocabulary';
import { loadCorpus, loadIfChanged } from '../../seed/loader';
import { ensureSchema, upgradeTextSearch } from '../../seed/schema-statements';
import { CorpusLoadError } from '../../seed/write';
import { openTestDriver, testConfig } from '../support/harness';

const VALID = resolve(__dirname, '..', 'fixtures', 'corpus-valid');
const BROKEN = resolve(__dirname, '..', 'fixtures', 'corpus-broken');
const database = testConfig().database;

let driver: Driver;
let fixture: Corpus;
const tempDirs: string[] = [];

beforeAll(async () => {
  driver = openTestDriver();
  fixture = await readCorpus(VALID);
  await ensureSchema(driver, database);
}, 120_000);

afterAll(async () => {
  // Other integration tests share this database: remove only what the loader and these tests wrote.
  await run(`// removeTestData\nMATCH (n) WHERE n:Entity OR n:CorpusMeta OR n:LoaderTestNote DETACH DELETE n`);
  await driver.close();
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function run(cypher: string, params: Record<string, unknown> = {}): Promise<Array<Record<string, unknown>>> {
  const session = driver.session({ database });
  try {
    return (await session.run(cypher, params)).records.map((record) => record.toObject());
  } finally {
    await session.close();
  }
}

async function corpusWith(brokenFile: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'loader-test-'));
  tempDirs.push(dir);
  await cp(VALID, dir, { recursive: true });
  await copyFile(join(BROKEN, brokenFile), join(dir, brokenFile));
  return dir;
}

/** A copy of the fixture corpus to change in a test (the fixture itself stays as read). */
function copyOfFixture(version: string): Corpus {
  return { ...structuredClone(fixture), version };
}

interface GraphSnapshot {
  labels: Record<string, number>;
  types: Record<string, number>;
  meta: Record<string, unknown> | null;
  /** Every Entity node with its labels and properties, and every relationship between them, as sorted JSON lines. */
  nodes: string[];
  relationships: string[];
}

const stable = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );

/** Everything the loader owns, read back from the database. */
async function snapshot(): Promise<GraphSnapshot> {
  const nodes = await run(`// snapshotNodes\nMATCH (n:Entity) RETURN labels(n) AS labels, properties(n) AS props`);
  const relationships = await run(
    `// snapshotRelationships\nMATCH (a:Entity)-[r]->(b:Entity) RETURN type(r) AS type, a.id AS from, b.id AS to, properties(r) AS props`,
  );
  const [meta] = await run(
    `// snapshotMeta\nMATCH (m:CorpusMeta) RETURN properties(m) AS props, toString(m.loadedAt) AS loadedAt`,
  );
  const labels: Record<string, number> = {};
  for (const row of nodes) for (const label of row.labels as string[]) labels[label] = (labels[label] ?? 0) + 1;
  const types: Record<string, number> = {};
  for (const row of relationships) types[row.type as string] = (types[row.type as string] ?? 0) + 1;
  return {
    labels,
    types,
    meta: meta ? { ...(meta.props as Record<string, unknown>), loadedAt: meta.loadedAt } : null,
    nodes: nodes.map((row) => stable({ labels: [...(row.labels as string[])].sort(), props: row.props })).sort(),
    relationships: relationships.map((row) => stable(row)).sort(),
  };
}

const withoutLoadedAt = (snap: GraphSnapshot) => ({
  ...snap,
  meta: snap.meta ? { ...snap.meta, loadedAt: undefined } : null,
});

/** The owners of the provision and recommendation texts the full-text indexes find for `words`, in id order. */
async function ownersOfTextsMatching(words: string): Promise<unknown[]> {
  const rows = await run(
    `// searchTexts
CALL () {
  CALL db.index.fulltext.queryNodes('provisionTextVersionText', $words) YIELD node RETURN node
  UNION ALL
  CALL db.index.fulltext.queryNodes('recommendationTextVersionText', $words) YIELD node RETURN node
}
RETURN node.ownerId AS owner ORDER BY owner`,
    { words },
  );
  return rows.map((row) => row.owner);
}

describe('loading the corpus into Neo4j', () => {
  it('loads the fixture corpus, and loading it again gives the same graph, property for property', async () => {
    const first = await loadCorpus(driver, fixture, { database });
    const afterFirst = await snapshot();
    const second = await loadCorpus(driver, fixture, { database });
    const afterSecond = await snapshot();

    expect(withoutLoadedAt(afterSecond)).toEqual(withoutLoadedAt(afterFirst));
    expect(second.nodes).toEqual(first.nodes);
    expect(second.relationships).toEqual(first.relationships);
    expect(second.deletedNodes).toBe(0);

    // The report counts what is in the database.
    for (const label of NODE_LABELS)
      expect([label, afterSecond.labels[label] ?? 0]).toEqual([label, second.nodes[label]]);
    for (const type of RELATIONSHIP_TYPES)
      expect([type, afterSecond.types[type] ?? 0]).toEqual([type, second.relationships[type]]);
    expect(afterSecond.labels.Entity).toBe(second.nodeCount);
    expect(afterSecond.labels.Recommendation).toBe(fixture.recommendations.length);
    expect(afterSecond.meta).toMatchObject({
      version: fixture.version,
      nodeCount: second.nodeCount,
      relationshipCount: second.relationshipCount,
    });
  }, 60_000);

  it('writes the graph shape the API reads: denormalised recommendation fields, texts, claims, provenance on links', async () => {
    await loadCorpus(driver, fixture, { database });
    const [rec] = await run(
      `// readRecommendation
       MATCH (r:Recommendation {id: 'rec:CRC/C/KAZ/CO/4:29'})-[:ISSUED_IN]->(d:Document)
       RETURN r.documentSymbol AS symbol, r.year AS year, r.cycle AS cycle, r.stateId AS stateId, r.paragraph AS paragraph,
              [(r)-[:HAS_TEXT]->(t) | t.id] AS texts, d.id AS document`,
    );
    expect(rec).toEqual({
      symbol: 'CRC/C/KAZ/CO/4',
      year: 2015,
      cycle: '4',
      stateId: 'state:KAZ',
      paragraph: 29,
      texts: expect.arrayContaining(['rec:CRC/C/KAZ/CO/4:29#text:en', 'rec:CRC/C/KAZ/CO/4:29#text:ru']),
      document: 'doc:CRC/C/KAZ/CO/4',
    });

    // A link with no sources of its own says it inherits its entry's; one with its own keeps them.
    const concerns = await run(
      `// readConcerns
       MATCH (:Recommendation {id: 'rec:CRC/C/KAZ/CO/4:29'})-[c:CONCERNS]->(a:TreatyArticle)
       RETURN a.id AS article, c.sourceIds AS sourceIds, c.locators AS locators, c.verification AS verification,
              c.sourcesInherited AS inherited, c.inheritedFrom AS inheritedFrom ORDER BY article`,
    );
    expect(concerns).toEqual([
      {
        article: 'treaty:CRC:art:19',
        sourceIds: ['source:un-crc-c-kaz-co-4'],
        locators: ['para. 29'],
        verification: 'VERIFIED_PRIMARY',
        inherited: true,
        inheritedFrom: 'rec:CRC/C/KAZ/CO/4:29',
      },
      {
        article: 'treaty:CRC:art:3',
        sourceIds: ['source:fixture-paper-2024'],
        locators: ['p. 20'],
        verification: 'SECONDARY_ONLY',
        inherited: false,
        inheritedFrom: null,
      },
    ]);

    const claims = await run(
      `// readClaims
       MATCH (:TreatyAction {id: 'action:KAZ:CRC:ratification'})-[:HAS_CLAIM]->(c:Claim)-[:SOURCED_FROM]->(s:Source)
       RETURN c.id AS id, c.value AS value, c.status AS status, s.id AS source ORDER BY id`,
    );
    expect(claims).toEqual([
      {
        id: 'action:KAZ:CRC:ratification#claim:date:1',
        value: '1994-06-08',
        status: 'ACCEPTED',
        source: 'source:adilet',
      },
      {
        id: 'action:KAZ:CRC:ratification#claim:date:2',
        value: '1994-08-12',
        status: 'REJECTED',
        source: 'source:fixture-paper-2024',
      },
    ]);

    // Every fact-stating relationship carries its provenance.
    const [bare] = await run(
      `// findLinksWithoutProvenance
       MATCH (:Entity)-[r]->(:Entity) WHERE type(r) IN $types AND (r.sourceIds IS NULL OR r.verification IS NULL OR size(r.sourceIds) <> size(r.locators))
       RETURN count(r) AS count`,
      {
        types: RELATIONSHIP_TYPES.filter(
          (type) =>
            ![
              'SOURCED_FROM',
              'HAS_TEXT',
              'HAS_CLAIM',
              'HAS_ARTICLE',
              'HAS_PROVISION',
              'OF_STATE',
              'IS_DOCUMENT',
            ].includes(type),
        ),
      },
    );
    expect(bare).toEqual({ count: 0 });

    expect(await ownersOfTextsMatching('насилия')).toEqual([
      'legal:KAZ:law:345-II:art:10:para:1',
      'rec:CRC/C/KAZ/CO/4:29',
    ]);
  }, 60_000);

  it.each([
    ['the loader (ensureSchema)', (d: Driver) => ensureSchema(d, database)],
    ['the API at start (upgradeTextSearch)', (d: Driver) => upgradeTextSearch(d, database)],
  ])(
    '%s brings a graph of the earlier shape up to date: texts get their kind label, the retired index goes',
    async (_name, upgrade) => {
      await loadCorpus(driver, fixture, { database });
      // The shape before 2 December 2026: no owner-kind label on texts, and one index over every text.
      await run(`// unlabelTexts\nMATCH (t:TextVersion) REMOVE t:ProvisionText:RecommendationText`);
      await run(
        "// oldTextIndex\nCREATE FULLTEXT INDEX textVersionText IF NOT EXISTS FOR (n:TextVersion) ON EACH [n.searchText] OPTIONS { indexConfig: { `fulltext.analyzer`: 'standard-no-stop-words' } }",
      );
      const found = () => ownersOfTextsMatching('насилия');
      expect(await found()).toEqual([]);

      await upgrade(driver);
      await run('// awaitIndexes\nCALL db.awaitIndexes(300)');

      const unlabelled = await run(
        `// textsWithoutKindLabel
MATCH (t:TextVersion)
WHERE (t:ProvisionText) <> (t.ownerLabel = 'Provision') OR (t:RecommendationText) <> (t.ownerLabel = 'Recommendation')
RETURN collect(t.id) AS ids`,
      );
      expect(unlabelled).toEqual([{ ids: [] }]);
      const indexes = (await run('// fulltextIndexes\nSHOW FULLTEXT INDEXES YIELD name RETURN name ORDER BY name')).map(
        (row) => row.name,
      );
      expect(indexes).toEqual(expect.arrayContaining(['provisionTextVersionText', 'recommendationTextVersionText']));
      expect(indexes).not.toContain('textVersionText');
      expect(await found()).toEqual(['legal:KAZ:law:345-II:art:10:para:1', 'rec:CRC/C/KAZ/CO/4:29']);
    },
    60_000,
  );

  it("writes whose statement each link is, sub-item provisions, instrument-level implementations and a mechanism's legal basis", async () => {
    await loadCorpus(driver, fixture, { database });
    // Every fact-stating relationship says whose statement it is; STATED unless the seed file says otherwise.
    const bases = await run(
      `// readLinkBases
       MATCH (a:Entity)-[r]->(b:Entity) WHERE type(r) IN $types
       RETURN coalesce(r.basis, '(none)') AS basis, count(r) AS count ORDER BY basis`,
      { types: FACT_RELATIONSHIP_TYPES },
    );
    expect(bases.map((row) => row.basis)).toEqual(['EDITORS_JUDGEMENT', 'STATED']);

    // The Code as a whole implements art. 20: the editors' judgement, graded on its own.
    const whole = await run(
      `// readInstrumentImplements
       MATCH (l:LegalInstrument)-[i:IMPLEMENTS]->(a:TreatyArticle)
       RETURN l.id AS instrument, a.id AS article, i.extent AS extent, i.basis AS basis, i.verification AS verification,
              i.verificationInherited AS verificationInherited, i.sourceIds AS sourceIds`,
    );
    expect(whole).toEqual([
      {
        instrument: 'legal:KAZ:code:518-IV',
        article: 'treaty:CRC:art:20',
        extent: 'PARTIAL',
        basis: 'EDITORS_JUDGEMENT',
        verification: 'SECONDARY_ONLY',
        verificationInherited: false,
        sourceIds: ['source:fixture-paper-2024'],
      },
    ]);

    // An item is part of its paragraph, the nearest enclosing provision in the corpus.
    const [item] = await run(
      `// readItemProvision
       MATCH (p:Provision {id: 'legal:KAZ:code:518-IV:art:120:para:3:item:2-1'})
       RETURN p.article AS article, p.paragraph AS paragraph, p.item AS item, [(p)-[:PART_OF]->(parent) | parent.id] AS partOf`,
    );
    expect(item).toEqual({
      article: '120',
      paragraph: '3',
      item: '2-1',
      partOf: ['legal:KAZ:code:518-IV:art:120:para:3'],
    });

    // Written where the seed file says (NONE), derived from groundedIn where it does not.
    const mechanisms = await run(`// readLegalBasis
MATCH (m:Mechanism) RETURN m.id AS id, m.legalBasis AS legalBasis ORDER BY id`);
    expect(mechanisms).toEqual([
      { id: 'mechanism:KAZ:child-complaints', legalBasis: 'NONE' },
      { id: 'mechanism:KAZ:support-centres', legalBasis: 'IDENTIFIED' },
    ]);
  }, 60_000);

  it("removes what left the corpus, and leaves nodes that are not the corpus's alone", async () => {
    await loadCorpus(driver, fixture, { database });
    await run(
      `// createUserData
       MATCH (r:Recommendation {id: 'rec:CRC/C/KAZ/CO/4:29'})
       CREATE (:LoaderTestNote {id: 'note:follow-up', text: 'ask the ministry'})-[:ANNOTATES]->(r)`,
    );

    const withoutFinding = copyOfFixture('fixture-without-finding');
    withoutFinding.findings = [];
    const report = await loadCorpus(driver, withoutFinding, { database });
    expect(report.deletedNodes).toBe(1);
    expect(await run(`MATCH (n:Entity {id: 'finding:KAZ:article-10-declarative'}) RETURN n.id AS id`)).toEqual([]);
    expect(
      await run(`MATCH (n:LoaderTestNote)-[:ANNOTATES]->(r:Recommendation) RETURN n.text AS text, r.id AS rec`),
    ).toEqual([{ text: 'ask the ministry', rec: 'rec:CRC/C/KAZ/CO/4:29' }]);

    await loadCorpus(driver, fixture, { database });
    expect(await run(`MATCH (n:Finding) RETURN n.id AS id`)).toEqual([{ id: 'finding:KAZ:article-10-declarative' }]);
    await run(`MATCH (n:LoaderTestNote) DETACH DELETE n`);
  }, 60_000);

  it.each([
    [
      'a dangling reference',
      'dangling-reference.yaml',
      'dangling-reference.yaml:16: rec:CRC/C/KAZ/CO/4:30: themes[0]: references theme:corporal-punishment',
    ],
    [
      'a missing required field',
      'missing-required-field.yaml',
      'missing-required-field.yaml:2: body:KAZ:akimat-almaty: level: is required',
    ],
  ])(
    'rejects a corpus with %s, naming file, entry and field, and leaves the database as it was',
    async (_case, brokenFile, expectedLine) => {
      await loadCorpus(driver, fixture, { database });
      const before = await snapshot();

      const attempt = loadIfChanged(driver, await corpusWith(brokenFile), { database });
      await expect(attempt).rejects.toBeInstanceOf(CorpusValidationError);
      await expect(attempt).rejects.toThrow(expectedLine);

      expect(await snapshot()).toEqual(before);
    },
    60_000,
  );

  it('rolls back the whole load when the database refuses a write halfway (a uniqueness constraint)', async () => {
    await loadCorpus(driver, fixture, { database });
    const before = await snapshot();

    // Validation would reject this; passed straight to the loader it gets as far as the Theme nodes. By then the
    // same transaction has deleted the relationships and the finding that left, and rewritten every Source.
    const conflicting = copyOfFixture('conflicting');
    conflicting.findings = [];
    conflicting.sources[0] = { ...fixture.sources[0]!, title: 'Changed title that must not survive' };
    conflicting.themes.push({
      id: 'source:adilet',
      name: 'A theme with a source id',
      description: 'Collides with the Source node.',
    });

    const progress: string[] = [];
    await expect(
      loadCorpus(driver, conflicting, { database, log: (line) => progress.push(line) }),
    ).rejects.toMatchObject({
      code: 'Neo.ClientError.Schema.ConstraintValidationFailed',
    });
    // It failed after deleting inside the transaction, and nothing of that survived.
    expect(progress).toContain('removed 1 nodes no longer in the corpus');
    expect(await snapshot()).toEqual(before);
  }, 60_000);

  it('rolls back the whole load when a relationship has no node to end at, instead of skipping it', async () => {
    await loadCorpus(driver, fixture, { database });
    const before = await snapshot();

    const dangling = copyOfFixture('dangling');
    dangling.findings = [];
    dangling.recommendations[0] = { ...fixture.recommendations[0]!, themes: ['theme:not-in-the-corpus'] };

    const progress: string[] = [];
    const attempt = loadCorpus(driver, dangling, { database, log: (line) => progress.push(line) });
    await expect(attempt).rejects.toBeInstanceOf(CorpusLoadError);
    expect(progress).toEqual(
      expect.arrayContaining(['removed 1 nodes no longer in the corpus', expect.stringMatching(/^wrote nodes: /)]),
    );
    await expect(attempt).rejects.toThrow(
      /1 of 3 HAS_THEME relationships could not be written because no Entity has the id theme:not-in-the-corpus/,
    );
    expect(await snapshot()).toEqual(before);
  }, 60_000);

  it('loadIfChanged loads a corpus whose version the graph does not hold, and only then', async () => {
    await loadCorpus(driver, copyOfFixture('an older version'), { database });

    const first = await loadIfChanged(driver, VALID, { database });
    expect(first).toMatchObject({ loaded: true, version: fixture.version });
    const loadedAt = (await snapshot()).meta?.loadedAt;

    const again = await loadIfChanged(driver, VALID, { database });
    expect(again).toEqual({ loaded: false, version: fixture.version });
    expect((await snapshot()).meta?.loadedAt).toBe(loadedAt);
  }, 60_000);
});
