/**
 * The real corpus (seed/data) as the loader writes it into Neo4j: what a researcher reads back with
 * Cypher, and the guarantees of the load itself (provenance everywhere, idempotent, all or nothing).
 * The scenarios write out the facts of the data files; whole-graph counts are compared with what the
 * corpus read from disk implies (planGraph), never with what the loader says it wrote.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// The expect of @jest/globals, not the global one: @types/jest types asymmetric matchers (expect.any,
// expect.stringContaining …) as `any`, @jest/globals as AsymmetricMatcher.
import { expect } from '@jest/globals';
import type { Driver } from 'neo4j-driver';
import { CorpusValidationError, DEFAULT_CORPUS_DIR, readCorpus, type Corpus } from '../../seed/corpus';
import { loadCorpus } from '../../seed/loader';
import { planGraph } from '../../seed/plan';
import { CorpusLoadError } from '../../seed/write';
import {
  FACT_RELATIONSHIP_TYPES,
  NODE_LABELS,
  RELATIONSHIP_TYPES,
  STRUCTURAL_RELATIONSHIP_TYPES,
} from '../../src/graph/vocabulary';
import { ensureRealCorpus, openTestDriver, testConfig } from '../support/harness';

const database = testConfig().database;
const VERIFICATION_VALUES = ['VERIFIED_PRIMARY', 'SECONDARY_ONLY', 'UNVERIFIED', 'DISPUTED'];
/** Kinds whose entries state facts: each carries a verification and cites at least one source. */
const SOURCED_LABELS = NODE_LABELS.filter((label) => !['Source', 'Theme', 'TextVersion', 'Claim'].includes(label));
const LOAD_TIMEOUT_MS = 120_000;

let driver: Driver;
let realCorpus: Corpus;
const tempDirs: string[] = [];

beforeAll(async () => {
  driver = openTestDriver();
  realCorpus = await readCorpus(DEFAULT_CORPUS_DIR);
  await ensureRealCorpus(driver);
}, LOAD_TIMEOUT_MS);

afterAll(async () => {
  // Other integration tests expect the real corpus; this file never leaves anything else behind.
  await ensureRealCorpus(driver);
  await driver.close();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}, LOAD_TIMEOUT_MS);

type Row = Record<string, unknown>;

/** Runs a read query; on failure the error names the query, so a broken test says which Cypher broke. */
async function read(cypher: string, params: Record<string, unknown> = {}): Promise<Row[]> {
  const session = driver.session({ database });
  try {
    const result = await session.executeRead((tx) => tx.run(cypher, params));
    return result.records.map((record) => record.toObject());
  } catch (error) {
    throw new Error(`Query failed:\n${cypher}\nParameters: ${JSON.stringify(params)}\n${String(error)}`, {
      cause: error,
    });
  } finally {
    await session.close();
  }
}

async function readOne(cypher: string, params: Record<string, unknown> = {}): Promise<Row> {
  const rows = await read(cypher, params);
  if (rows.length !== 1)
    throw new Error(`Expected exactly one row, got ${rows.length}:\n${cypher}\n${JSON.stringify(rows, null, 2)}`);
  return rows[0]!;
}

// ---------------------------------------------------------------- whole-graph snapshots

const stable = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Row).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );

interface GraphSnapshot {
  labels: Record<string, number>;
  types: Record<string, number>;
  meta: Row | null;
  nodes: string[];
  relationships: string[];
}

/** Everything the loader owns (Entity nodes, the relationships between them, CorpusMeta), as sorted JSON lines. */
async function snapshotGraph(): Promise<GraphSnapshot> {
  const nodes = await read(
    `// snapshotEntityNodes\nMATCH (n:Entity) RETURN labels(n) AS labels, properties(n) AS props`,
  );
  const relationships = await read(
    `// snapshotEntityRelationships\nMATCH (a:Entity)-[r]->(b:Entity) RETURN type(r) AS type, a.id AS from, b.id AS to, properties(r) AS props`,
  );
  const metas = await read(
    `// snapshotCorpusMeta\nMATCH (m:CorpusMeta) RETURN properties(m) AS props, toString(m.loadedAt) AS loadedAt`,
  );
  const labels: Record<string, number> = {};
  for (const row of nodes) for (const label of row.labels as string[]) labels[label] = (labels[label] ?? 0) + 1;
  const types: Record<string, number> = {};
  for (const row of relationships) types[row.type as string] = (types[row.type as string] ?? 0) + 1;
  const meta = metas[0];
  return {
    labels,
    types,
    meta: meta ? { ...(meta.props as Row), loadedAt: meta.loadedAt } : null,
    nodes: nodes.map((row) => stable({ labels: [...(row.labels as string[])].sort(), props: row.props })).sort(),
    relationships: relationships.map((row) => stable(row)).sort(),
  };
}

/** Two loads of the same corpus differ only in when they happened. */
const withoutLoadedAt = (snapshot: GraphSnapshot): GraphSnapshot => ({
  ...snapshot,
  meta: snapshot.meta ? { ...snapshot.meta, loadedAt: undefined } : null,
});

// ---------------------------------------------------------------- the researcher's questions

describe('the loaded corpus, as a researcher reads it', () => {
  it('reaches CRC article 19 from the Kazakh provision that implements it, declaratively only and merged with article 6, on the Mussabalinova paper', async () => {
    const implementations = await read(
      `// implementationsOfCrcArticle19
       MATCH (state:State)<-[:OF_STATE]-(law:LegalInstrument)-[:HAS_PROVISION]->(p:Provision)-[i:IMPLEMENTS]->(a:TreatyArticle {id: 'treaty:CRC:art:19'})
       RETURN state.id AS state, law.id AS law, law.title AS lawTitle, p.id AS provision, i.extent AS extent, i.mergedWith AS mergedWith,
              i.sourceIds AS sourceIds, i.locators AS locators, i.quotes AS quotes, i.verification AS verification,
              i.sourcesInherited AS sourcesInherited, i.verificationInherited AS verificationInherited
       ORDER BY provision`,
    );
    expect(implementations).toEqual([
      {
        state: 'state:KAZ',
        law: 'legal:KAZ:law:345-II',
        lawTitle: 'On the Rights of the Child in the Republic of Kazakhstan',
        provision: 'legal:KAZ:law:345-II:art:10',
        extent: 'DECLARATIVE_ONLY',
        mergedWith: ['treaty:CRC:art:6'],
        sourceIds: ['source:mussabalinova-kimep'],
        locators: ['Legal framework'],
        quotes: [
          'Critical analysis of this domestic provision shows its declarative nature in light of the lack of any mechanisms of implementation.',
        ],
        verification: 'SECONDARY_ONLY',
        sourcesInherited: false,
        verificationInherited: false,
      },
    ]);

    // The same article carries the right to life, which it merges with art. 19.
    const mergedWith = await read(
      `// otherArticlesOfArticle10
       MATCH (:Provision {id: 'legal:KAZ:law:345-II:art:10'})-[i:IMPLEMENTS]->(a:TreatyArticle)
       RETURN a.id AS article, i.extent AS extent, i.mergedWith AS mergedWith ORDER BY article`,
    );
    expect(mergedWith).toEqual([
      { article: 'treaty:CRC:art:19', extent: 'DECLARATIVE_ONLY', mergedWith: ['treaty:CRC:art:6'] },
      { article: 'treaty:CRC:art:6', extent: 'PARTIAL', mergedWith: ['treaty:CRC:art:19'] },
    ]);

    // The source id on the link resolves to the paper itself.
    const paper = await readOne(
      `// sourceOfTheLink
       MATCH (s:Source {id: 'source:mussabalinova-kimep'}) RETURN s.kind AS kind, s.authors AS authors, s.reliability AS reliability, s.title AS title`,
    );
    expect(paper).toEqual({
      kind: 'PAPER',
      authors: ['Aigerim Mussabalinova'],
      reliability: 'SECONDARY',
      title:
        "Children's rights in Kazakhstan: discrepancies of child protection from violence in paper and in practice",
    });
  });

  it('follows the corporal-punishment recommendation back through three reporting cycles: 2015 → 2007 → 2003', async () => {
    const chains = await read(
      `// corporalPunishmentReiterationChain
       MATCH path = (:Recommendation {id: 'rec:CRC/C/KAZ/CO/4:29'})-[:REITERATES*]->(first:Recommendation)
       WHERE NOT (first)-[:REITERATES]->()
       RETURN [n IN nodes(path) | {id: n.id, year: n.year, cycle: n.cycle, documentSymbol: n.documentSymbol, documentDate: n.documentDate, kind: n.kind,
                                   themes: [(n)-[:HAS_THEME]->(t) | t.id]}] AS chain,
              [r IN relationships(path) | {verification: r.verification, sourceIds: r.sourceIds, sourcesInherited: r.sourcesInherited}] AS links`,
    );
    const themes = expect.arrayContaining(['theme:corporal-punishment', 'theme:violence-against-children']);
    expect(chains).toEqual([
      {
        chain: [
          {
            id: 'rec:CRC/C/KAZ/CO/4:29',
            year: 2015,
            cycle: '4',
            documentSymbol: 'CRC/C/KAZ/CO/4',
            documentDate: '2015-10-30',
            kind: 'RECOMMENDATION',
            themes,
          },
          {
            id: 'rec:CRC/C/KAZ/CO/3:37',
            year: 2007,
            cycle: '2-3',
            documentSymbol: 'CRC/C/KAZ/CO/3',
            documentDate: '2007-06-19',
            kind: 'RECOMMENDATION',
            themes,
          },
          // The 2003 observations have no known issue date: the year comes from the session, and there is no documentDate.
          {
            id: 'rec:CRC/C/15/Add.213:39',
            year: 2003,
            cycle: '1',
            documentSymbol: 'CRC/C/15/Add.213',
            documentDate: null,
            kind: 'RECOMMENDATION',
            themes,
          },
        ],
        links: [
          {
            verification: 'SECONDARY_ONLY',
            sourceIds: ['source:endcorporalpunishment-kazakhstan', 'source:reference-crc-kazakhstan-facts'],
            sourcesInherited: false,
          },
          {
            verification: 'SECONDARY_ONLY',
            sourceIds: [
              'source:endcorporalpunishment-kazakhstan',
              'source:minorityforum-crc-c-15-add-213',
              'source:reference-crc-kazakhstan-facts',
            ],
            sourcesInherited: false,
          },
        ],
      },
    ]);

    // The denormalised cycle and year agree with the documents the recommendations are issued in.
    const documents = await read(
      `// documentsOfTheChain
       MATCH (r:Recommendation)-[:ISSUED_IN]->(d:Document)
       WHERE r.id IN ['rec:CRC/C/KAZ/CO/4:29', 'rec:CRC/C/KAZ/CO/3:37', 'rec:CRC/C/15/Add.213:39']
       RETURN d.id AS document, d.cycle AS cycle, d.year AS year, d.kind AS kind, r.cycle = d.cycle AND r.year = d.year AS agrees
       ORDER BY year DESC`,
    );
    expect(documents).toEqual([
      { document: 'doc:CRC/C/KAZ/CO/4', cycle: '4', year: 2015, kind: 'CONCLUDING_OBSERVATIONS', agrees: true },
      { document: 'doc:CRC/C/KAZ/CO/3', cycle: '2-3', year: 2007, kind: 'CONCLUDING_OBSERVATIONS', agrees: true },
      { document: 'doc:CRC/C/15/Add.213', cycle: '1', year: 2003, kind: 'CONCLUDING_OBSERVATIONS', agrees: true },
    ]);

    // Every reiteration in the corpus points back in time, to the same state.
    const reiterations = await read(
      `// reiterationsByDirection
       MATCH (later:Recommendation)-[:REITERATES]->(earlier:Recommendation)
       RETURN later.id AS later, earlier.id AS earlier, later.year > earlier.year AND later.stateId = earlier.stateId AS backwards
       ORDER BY later`,
    );
    expect(reiterations).toEqual([
      { later: 'rec:CRC/C/KAZ/CO/3:37', earlier: 'rec:CRC/C/15/Add.213:39', backwards: true },
      { later: 'rec:CRC/C/KAZ/CO/4:28', earlier: 'rec:CRC/C/KAZ/CO/3:36', backwards: true },
      { later: 'rec:CRC/C/KAZ/CO/4:29', earlier: 'rec:CRC/C/KAZ/CO/3:37', backwards: true },
    ]);
  });

  it('keeps the disputed CRC ratification date with both claims, each on its own sources, and uses the accepted one', async () => {
    const action = await readOne(
      `// crcRatification
       MATCH (state:State)-[took:TOOK_ACTION]->(a:TreatyAction {id: 'action:KAZ:CRC:ratification'})-[:ON_TREATY]->(t:Treaty),
             (a)-[:BY_ACT]->(act:LegalInstrument)
       RETURN state.id AS state, t.id AS treaty, a.kind AS kind, a.date AS date, a.year AS year, a.verification AS verification,
              act.id AS act, act.adopted AS actAdopted, took.verification AS linkVerification, took.verificationInherited AS linkInherits`,
    );
    expect(action).toEqual({
      state: 'state:KAZ',
      treaty: 'treaty:CRC',
      kind: 'RATIFICATION',
      date: '1994-06-08',
      year: 1994,
      verification: 'DISPUTED',
      act: 'legal:KAZ:sc-resolution:crc-ratification',
      actAdopted: '1994-06-08',
      // Only the date is disputed: the action's links take what its sources support (one is primary, adilet).
      linkVerification: 'VERIFIED_PRIMARY',
      linkInherits: true,
    });

    const claims = await read(
      `// crcRatificationDateClaims
       MATCH (:TreatyAction {id: 'action:KAZ:CRC:ratification'})-[:HAS_CLAIM]->(c:Claim)-[cited:SOURCED_FROM]->(s:Source)
       WITH c, cited, s ORDER BY cited.position
       RETURN c.id AS id, c.field AS field, c.value AS value, c.status AS status,
              collect({source: s.id, kind: s.kind, locator: cited.locator}) AS sources
       ORDER BY id`,
    );
    expect(claims).toEqual([
      {
        id: 'action:KAZ:CRC:ratification#claim:date:1',
        field: 'date',
        value: '1994-06-08',
        status: 'ACCEPTED',
        sources: [
          { source: 'source:adilet-p2100000942', kind: 'LEGAL_DATABASE', locator: 'Russian text' },
          { source: 'source:school-site-res-942-kk', kind: 'WEBSITE', locator: 'Kazakh text' },
          { source: 'source:qazmonitor-unicef-2024', kind: 'NEWS', locator: 'UNICEF statement on the ratification' },
          { source: 'source:reference-crc-kazakhstan-facts', kind: 'REFERENCE_COMPILATION', locator: '§2, CRC notes' },
        ],
      },
      {
        id: 'action:KAZ:CRC:ratification#claim:date:2',
        field: 'date',
        value: '1994-07-08',
        status: 'REJECTED',
        sources: [
          { source: 'source:adilet-b940001400', kind: 'LEGAL_DATABASE', locator: 'English translation (B940001400_)' },
          {
            source: 'source:reference-crc-kazakhstan-facts',
            kind: 'REFERENCE_COMPILATION',
            locator: '§2, CRC notes (CONFLICT)',
          },
        ],
      },
    ]);
  });

  it('records that the 2015 call to ratify the communications-procedure protocol was answered in full by Law No. 47-VIII of 19 December 2023', async () => {
    const recommendation = await readOne(
      `// opicRecommendation
       MATCH (r:Recommendation {id: 'rec:CRC/C/KAZ/CO/4:65'})
       RETURN r.kind AS kind, r.year AS year, r.summary AS summary,
              [(r)-[:HAS_TEXT]->(t:TextVersion) | {language: t.language, status: t.status, truncated: t.truncated, text: t.text}] AS texts`,
    );
    expect(recommendation).toEqual({
      kind: 'RECOMMENDATION',
      year: 2015,
      summary: 'Ratify the Optional Protocol on a communications procedure.',
      texts: [
        { language: 'ru', status: 'OFFICIAL', truncated: false, text: expect.stringContaining('процедуры сообщений') },
      ],
    });

    const answers = await read(
      `// answersToOpicRecommendation
       MATCH (by:Entity)-[a:ANSWERS]->(:Recommendation {id: 'rec:CRC/C/KAZ/CO/4:65'})
       RETURN by.id AS by, [label IN labels(by) WHERE label <> 'Entity'] AS labels, a.extent AS extent, a.date AS date, a.year AS year,
              a.verification AS verification, a.sourceIds AS sourceIds`,
    );
    expect(answers).toEqual([
      {
        by: 'legal:KAZ:law:47-VIII',
        labels: ['LegalInstrument'],
        extent: 'FULL',
        date: '2023-12-19',
        year: 2023,
        verification: 'VERIFIED_PRIMARY',
        sourceIds: ['source:reference-crc-kazakhstan-facts', 'source:adilet-z2300000047'],
      },
    ]);

    // The answering law is the domestic act by which Kazakhstan ratified that protocol to the Convention.
    const ratification = await read(
      `// ratificationByLaw47VIII
       MATCH (action:TreatyAction)-[:BY_ACT]->(:LegalInstrument {id: 'legal:KAZ:law:47-VIII'}),
             (action)-[:ON_TREATY]->(protocol:Treaty)-[:PROTOCOL_TO]->(convention:Treaty)
       RETURN action.id AS action, action.kind AS kind, action.date AS date, protocol.id AS protocol, convention.id AS convention`,
    );
    expect(ratification).toEqual([
      {
        action: 'action:KAZ:OPIC:ratification',
        kind: 'RATIFICATION',
        date: '2023-12-19',
        protocol: 'treaty:OPIC',
        convention: 'treaty:CRC',
      },
    ]);
  });

  it('finds the Russian official text of that recommendation by full-text search on Russian words', async () => {
    const hits = await read(
      `// searchTextVersions
       CALL db.index.fulltext.queryNodes('recommendationTextVersionText', '"процедуры сообщений"') YIELD node
       RETURN node.ownerId AS owner, node.language AS language`,
    );
    expect(hits).toEqual([{ owner: 'rec:CRC/C/KAZ/CO/4:65', language: 'ru' }]);
  });

  it('shows how article 19 is given effect in practice: support centres partial, the regional agency planned, the needs assessment absent with no legal basis', async () => {
    const mechanisms = await read(
      `// mechanismsGivingEffectToArticle19
       MATCH (m:Mechanism)-[:GIVES_EFFECT_TO]->(:TreatyArticle {id: 'treaty:CRC:art:19'})
       RETURN m.id AS mechanism, m.status AS status,
              [(m)-[:GROUNDED_IN]->(basis) | basis.id] AS groundedIn,
              [(m)-[:RUN_BY]->(body) | body.id] AS runBy
       ORDER BY mechanism`,
    );
    expect(mechanisms).toEqual([
      { mechanism: 'mechanism:KAZ:comprehensive-needs-assessment', status: 'ABSENT', groundedIn: [], runBy: [] },
      {
        mechanism: 'mechanism:KAZ:juvenile-police-prevention',
        status: 'OPERATIONAL',
        groundedIn: ['legal:KAZ:mia-order:1098-2015'],
        runBy: ['body:KAZ:juvenile-police'],
      },
      {
        mechanism: 'mechanism:KAZ:multisectoral-violence-response',
        status: 'PARTIAL',
        groundedIn: ['legal:KAZ:gov-resolution:748-2023'],
        runBy: [],
      },
      {
        mechanism: 'mechanism:KAZ:prosecutorial-oversight',
        status: 'OPERATIONAL',
        groundedIn: [],
        runBy: ['body:KAZ:prosecutors'],
      },
      {
        mechanism: 'mechanism:KAZ:regional-child-protection-agency',
        status: 'PLANNED',
        groundedIn: [],
        runBy: ['body:KAZ:regional-child-protection-agency'],
      },
      {
        mechanism: 'mechanism:KAZ:support-centres',
        status: 'PARTIAL',
        groundedIn: [],
        runBy: ['body:KAZ:support-centres'],
      },
    ]);
  });

  it('tells a mechanism known to have no legal basis from one whose basis the sources do not identify', async () => {
    const mechanisms = await read(
      `// legalBasisOfArticle19Mechanisms
       MATCH (m:Mechanism)-[:GIVES_EFFECT_TO]->(:TreatyArticle {id: 'treaty:CRC:art:19'})
       RETURN m.id AS mechanism, m.legalBasis AS legalBasis ORDER BY mechanism`,
    );
    expect(mechanisms).toEqual([
      // Mussabalinova: no law or secondary act requires the assessment.
      { mechanism: 'mechanism:KAZ:comprehensive-needs-assessment', legalBasis: 'NONE' },
      { mechanism: 'mechanism:KAZ:juvenile-police-prevention', legalBasis: 'IDENTIFIED' },
      { mechanism: 'mechanism:KAZ:multisectoral-violence-response', legalBasis: 'IDENTIFIED' },
      // Rakhimova et al. name no act; nobody says there is none.
      { mechanism: 'mechanism:KAZ:prosecutorial-oversight', legalBasis: 'NOT_IDENTIFIED' },
      // The amendments that would provide for it were proposed, not adopted, when the paper was written.
      { mechanism: 'mechanism:KAZ:regional-child-protection-agency', legalBasis: 'NONE' },
      { mechanism: 'mechanism:KAZ:support-centres', legalBasis: 'NOT_IDENTIFIED' },
    ]);
    expect(
      await readOne(`// juvenileCourtsLegalBasis
MATCH (m:Mechanism {id: 'mechanism:KAZ:juvenile-courts'}) RETURN m.legalBasis AS legalBasis`),
    ).toEqual({
      legalBasis: 'NOT_IDENTIFIED',
    });
  });

  it('records the law on the rights of the child as a whole implementing article 19, and the definition of bullying as item 4-1 of its article 1', async () => {
    const whole = await read(
      `// wholeInstrumentsImplementingArticle19
       MATCH (l:LegalInstrument)-[i:IMPLEMENTS]->(:TreatyArticle {id: 'treaty:CRC:art:19'})
       RETURN l.id AS law, i.extent AS extent, i.basis AS basis, i.verification AS verification, i.sourceIds AS sourceIds`,
    );
    expect(whole).toEqual([
      {
        law: 'legal:KAZ:law:345-II',
        extent: 'DECLARATIVE_ONLY',
        basis: 'STATED',
        verification: 'SECONDARY_ONLY',
        sourceIds: ['source:mussabalinova-kimep'],
      },
    ]);
    expect(
      await readOne(`// bullyingDefinition
MATCH (p:Provision {id: 'legal:KAZ:law:345-II:art:1:item:4-1'}) RETURN p.article AS article, p.item AS item`),
    ).toEqual({ article: '1', item: '4-1' });
  });

  it('keeps texts with their language: every text version says its language, status and owner (and is labelled by its kind), and the corpus has both English and Russian texts', async () => {
    const inconsistent = await read(
      `// textVersionsWithoutLanguageOrOwner
       MATCH (t:TextVersion)
       OPTIONAL MATCH (owner:Entity)-[:HAS_TEXT]->(t)
       WITH t, collect(owner) AS owners
       WHERE t.language IS NULL OR NOT t.language =~ '[a-z]{2,3}'
          OR NOT t.status IN ['OFFICIAL', 'ADVANCE_UNEDITED', 'UNOFFICIAL_TRANSLATION']
          OR NOT t.id STARTS WITH t.ownerId + '#text:' + t.language
          OR size(owners) <> 1 OR owners[0].id <> t.ownerId OR NOT t.ownerLabel IN labels(owners[0])
          OR NOT (t)-[:SOURCED_FROM]->(:Source)
          // labelled by its owner's kind (and by no other), which is what puts it in its kind's search index
          OR (t:ProvisionText) <> (t.ownerLabel = 'Provision') OR (t:RecommendationText) <> (t.ownerLabel = 'Recommendation')
       RETURN t.id AS id`,
    );
    expect(inconsistent).toEqual([]);

    const languages = await read(
      `// textLanguages\nMATCH (t:TextVersion) RETURN t.language AS language, count(*) AS texts ORDER BY language`,
    );
    expect(languages.map((row) => row.language)).toEqual(['en', 'ru']);
    const total = languages.reduce((sum, row) => sum + (row.texts as number), 0);
    expect(total).toBe(planGraph(realCorpus).nodes.TextVersion.length);

    const examples = await read(
      `// textsOfTwoOwners
       MATCH (owner:Entity)-[:HAS_TEXT]->(t:TextVersion)
       WHERE owner.id IN ['legal:KAZ:law:345-II:art:10', 'rec:CRC/C/KAZ/CO/4:29']
       RETURN owner.id AS owner, t.id AS id, t.language AS language, t.status AS status ORDER BY owner`,
    );
    expect(examples).toEqual([
      {
        owner: 'legal:KAZ:law:345-II:art:10',
        id: 'legal:KAZ:law:345-II:art:10#text:en',
        language: 'en',
        status: 'UNOFFICIAL_TRANSLATION',
      },
      {
        owner: 'rec:CRC/C/KAZ/CO/4:29',
        id: 'rec:CRC/C/KAZ/CO/4:29#text:en',
        language: 'en',
        status: 'ADVANCE_UNEDITED',
      },
    ]);
  });

  it('lets the reference override a paper: the 5th–6th report keeps no 2024 date, and the paper\'s "2024 report" is a rejected claim citing it', async () => {
    const report = await readOne(
      `// combinedFifthSixthReport
       MATCH (d:Document {id: 'doc:CRC-KAZ-report-5-6'})
       RETURN d.kind AS kind, d.cycle AS cycle, d.date AS date, d.year AS year, d.verification AS verification`,
    );
    expect(report).toEqual({
      kind: 'STATE_REPORT',
      cycle: '5-6',
      date: null,
      year: null,
      verification: 'VERIFIED_PRIMARY',
    });

    const claims = await read(
      `// claimsOnTheReport
       MATCH (:Document {id: 'doc:CRC-KAZ-report-5-6'})-[:HAS_CLAIM]->(c:Claim)-[cited:SOURCED_FROM]->(s:Source)
       WITH c, cited, s ORDER BY cited.position
       RETURN c.field AS field, c.value AS value, c.status AS status, collect({source: s.id, kind: s.kind, quote: cited.quote}) AS sources`,
    );
    expect(claims).toEqual([
      {
        field: 'date',
        value: '2024',
        status: 'REJECTED',
        sources: [
          { source: 'source:mussabalinova-kimep', kind: 'PAPER', quote: '2024 report' },
          { source: 'source:reference-crc-kazakhstan-facts', kind: 'REFERENCE_COMPILATION', quote: null },
        ],
      },
    ]);

    // The paper's "2025 review" is likewise recorded as rejected: in 2025 the Committee issued a list of issues.
    const listOfIssues = await read(
      `// claimsOnTheListOfIssues
       MATCH (d:Document {id: 'doc:CRC/C/KAZ/Q/5-6'})-[:HAS_CLAIM]->(c:Claim)
       RETURN d.kind AS kind, d.date AS date, c.value AS value, c.status AS status,
              [(c)-[:SOURCED_FROM]->(s:Source) | s.kind] AS sourceKinds
       ORDER BY c.position`,
    );
    expect(listOfIssues).toEqual([
      {
        kind: 'LIST_OF_ISSUES',
        date: '2025-11-06',
        value: 'LIST_OF_ISSUES',
        status: 'ACCEPTED',
        sourceKinds: expect.arrayContaining(['UN_DOCUMENT']),
      },
      {
        kind: 'LIST_OF_ISSUES',
        date: '2025-11-06',
        value: expect.stringContaining('2025 review'),
        status: 'REJECTED',
        sourceKinds: expect.arrayContaining(['PAPER']),
      },
    ]);
  });

  it('never uses a rejected value: each owner property a claim is about holds the accepted value, not a rejected one', async () => {
    const contradicted = await read(
      `// claimsContradictedByTheirOwner
       MATCH (owner:Entity)-[:HAS_CLAIM]->(c:Claim)
       WHERE (c.status = 'ACCEPTED' AND owner[c.field] IS NOT NULL AND toString(owner[c.field]) <> c.value)
          OR (c.status = 'REJECTED' AND toString(owner[c.field]) = c.value)
       RETURN owner.id AS owner, c.field AS field, c.value AS value, c.status AS status, owner[c.field] AS used`,
    );
    expect(contradicted).toEqual([]);

    // Not vacuous: the accepted values that are properties were compared. Six, counted by hand from the
    // seed files: the CRC ratification date and its act's adoption date, the OPIC signature date, the
    // Family Code's adoption date, the Q/5-6 kind, and (since issue 12) the date of CRC/C/41/Add.13, whose
    // copy gives 24 September 2002 in its heading and 21 September 2002 in WorldLII's catalogue line.
    const [checked] = await read(
      `// acceptedClaimsOnProperties\nMATCH (owner:Entity)-[:HAS_CLAIM]->(c:Claim {status: 'ACCEPTED'}) WHERE owner[c.field] IS NOT NULL RETURN count(c) AS count`,
    );
    expect(checked).toEqual({ count: 6 });

    // A claim about a link: Res. 382 was issued under the Code's art. 120(3), not art. 116 as a paper suggests.
    const issuedUnder = await read(
      `// resolution382IssuedUnder\nMATCH (:LegalInstrument {id: 'legal:KAZ:gov-resolution:382-2012'})-[:ISSUED_UNDER]->(basis) RETURN basis.id AS basis`,
    );
    expect(issuedUnder).toEqual([{ basis: 'legal:KAZ:code:518-IV:art:120:para:3' }]);
  });
});

// ---------------------------------------------------------------- provenance everywhere

describe('provenance on the loaded corpus', () => {
  it('gives every recommendation at least one source and one of the four verification values', async () => {
    const [all] = await read(`// countRecommendations\nMATCH (r:Recommendation) RETURN count(r) AS count`);
    expect(all).toEqual({ count: realCorpus.recommendations.length });
    expect(realCorpus.recommendations.length).toBeGreaterThan(0);

    const unsourced = await read(
      `// recommendationsWithoutProvenance
       MATCH (r:Recommendation)
       WHERE NOT (r)-[:SOURCED_FROM]->(:Source) OR r.verification IS NULL OR NOT r.verification IN $verifications
       RETURN r.id AS id, r.verification AS verification`,
      { verifications: VERIFICATION_VALUES },
    );
    expect(unsourced).toEqual([]);
  });

  it('gives every fact-stating relationship its sources, aligned locators and quotes, and a verification', async () => {
    const bare = await read(
      `// factRelationshipsWithoutProvenance
       MATCH (a:Entity)-[r]->(b:Entity)
       WHERE type(r) IN $types
         AND (r.sourceIds IS NULL OR size(r.sourceIds) = 0
              OR r.locators IS NULL OR size(r.locators) <> size(r.sourceIds)
              OR r.quotes IS NULL OR size(r.quotes) <> size(r.sourceIds)
              OR any(locator IN r.locators WHERE trim(locator) = '')
              OR r.verification IS NULL OR NOT r.verification IN $verifications
              OR r.sourcesInherited IS NULL OR r.verificationInherited IS NULL)
       RETURN type(r) AS type, a.id AS from, b.id AS to, properties(r) AS props
       LIMIT 20`,
      { types: [...FACT_RELATIONSHIP_TYPES], verifications: VERIFICATION_VALUES },
    );
    expect(bare).toEqual([]);

    // Every cited source id is a Source in the graph.
    const unknownSources = await read(
      `// citedSourcesMissing
       MATCH (:Entity)-[r]->(:Entity) WHERE type(r) IN $types
       UNWIND r.sourceIds AS sourceId
       WITH DISTINCT sourceId WHERE NOT EXISTS { MATCH (:Source {id: sourceId}) }
       RETURN sourceId`,
      { types: [...FACT_RELATIONSHIP_TYPES] },
    );
    expect(unknownSources).toEqual([]);

    // A link that inherits says from which entry, and that entry is one of its two ends.
    const badInheritance = await read(
      `// inheritedFromNotAnEnd
       MATCH (a:Entity)-[r]->(b:Entity) WHERE type(r) IN $types
         AND (r.sourcesInherited OR r.verificationInherited) AND NOT r.inheritedFrom IN [a.id, b.id]
       RETURN type(r) AS type, a.id AS from, b.id AS to, r.inheritedFrom AS inheritedFrom LIMIT 20`,
      { types: [...FACT_RELATIONSHIP_TYPES] },
    );
    expect(badInheritance).toEqual([]);

    // Structural relationships carry none of it, and no relationship of another type exists between corpus nodes.
    const typesInGraph = await read(
      `// relationshipTypesBetweenEntities\nMATCH (:Entity)-[r]->(:Entity) RETURN DISTINCT type(r) AS type`,
    );
    const known: readonly string[] = RELATIONSHIP_TYPES;
    expect(typesInGraph.map((row) => row.type).filter((type) => !known.includes(type as string))).toEqual([]);
    const [structuralWithProvenance] = await read(
      `// structuralRelationshipsWithProvenance
       MATCH (:Entity)-[r]->(:Entity) WHERE type(r) IN $types AND (r.sourceIds IS NOT NULL OR r.verification IS NOT NULL) RETURN count(r) AS count`,
      { types: [...STRUCTURAL_RELATIONSHIP_TYPES] },
    );
    expect(structuralWithProvenance).toEqual({ count: 0 });
  });

  it('gives every sourced node a verification and at least one SOURCED_FROM, and every text version and claim its source too', async () => {
    const unsourced = await read(
      `// sourcedNodesWithoutSources
       MATCH (n:Entity)
       WITH n, [label IN labels(n) WHERE label IN $sourcedLabels] AS kinds
       WHERE size(kinds) = 1 AND (NOT (n)-[:SOURCED_FROM]->(:Source) OR NOT n.verification IN $verifications)
       RETURN kinds[0] AS label, n.id AS id LIMIT 20`,
      { sourcedLabels: SOURCED_LABELS, verifications: VERIFICATION_VALUES },
    );
    expect(unsourced).toEqual([]);

    const uncitedTextsAndClaims = await read(
      `// textsAndClaimsWithoutSources
       MATCH (n:Entity) WHERE (n:TextVersion OR n:Claim) AND NOT (n)-[:SOURCED_FROM]->(:Source)
       RETURN n.id AS id`,
    );
    expect(uncitedTextsAndClaims).toEqual([]);

    // Citations keep their order: positions 1..n on each node.
    const badPositions = await read(
      `// citationPositionsNotConsecutive
       MATCH (n:Entity)-[c:SOURCED_FROM]->(:Source)
       WITH n, collect(c.position) AS positions
       WHERE any(i IN range(1, size(positions)) WHERE NOT i IN positions)
       RETURN n.id AS id, positions LIMIT 20`,
    );
    expect(badPositions).toEqual([]);

    // Not vacuous: the graph holds the corpus's sourced entries and every one of its citations.
    const plan = planGraph(realCorpus);
    const [counts] = await read(
      `// countSourcedNodesAndCitations
       MATCH (n:Entity) WHERE any(label IN labels(n) WHERE label IN $sourcedLabels)
       WITH count(n) AS sourced
       MATCH (:Entity)-[c:SOURCED_FROM]->(:Source)
       RETURN sourced, count(c) AS citations`,
      { sourcedLabels: SOURCED_LABELS },
    );
    expect(counts).toEqual({
      sourced: SOURCED_LABELS.reduce((sum, label) => sum + plan.nodes[label].length, 0),
      citations: plan.relationships.SOURCED_FROM.length,
    });
  });

  it('gives every source either the exact address read or the reason it has none, never both (issue 12)', async () => {
    const counts = (await readOne(
      `// sourceAddresses
       MATCH (s:Source)
       RETURN count(s) AS sources,
              count(CASE WHEN s.url IS NOT NULL AND s.addressUnknown IS NULL THEN 1 END) AS withUrl,
              count(CASE WHEN s.url IS NULL AND s.addressUnknown IS NOT NULL THEN 1 END) AS withReason`,
    )) as { sources: number; withUrl: number; withReason: number };
    // Exactly one of the two on every source: the two counts add up to all sources.
    expect(counts.sources).toBe(realCorpus.sources.length);
    expect(counts.withUrl + counts.withReason).toBe(counts.sources);
    // Not vacuous: both kinds occur; the project's compilation says why it has no address, a UN document gives the page read.
    const rows = await read(
      `// twoSourceAddresses
       MATCH (s:Source) WHERE s.id IN ['source:reference-crc-kazakhstan-facts', 'source:un-crc-c-kaz-q-5-6']
       RETURN s.id AS id, s.url IS NOT NULL AS hasUrl, s.addressUnknown IS NOT NULL AS hasReason ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: 'source:reference-crc-kazakhstan-facts', hasUrl: false, hasReason: true },
      { id: 'source:un-crc-c-kaz-q-5-6', hasUrl: true, hasReason: false },
    ]);
  });
});

// ---------------------------------------------------------------- the load itself

describe('loading the real corpus', () => {
  // These tests write: each ends with the real corpus loaded in full, whatever happened.
  afterEach(async () => {
    await loadCorpus(driver, realCorpus, { database });
  }, LOAD_TIMEOUT_MS);

  it(
    'gives the same graph when loaded twice: the same nodes per label, relationships per type and properties',
    async () => {
      const first = await loadCorpus(driver, realCorpus, { database });
      const afterFirst = await snapshotGraph();
      const second = await loadCorpus(driver, realCorpus, { database });
      const afterSecond = await snapshotGraph();

      expect(afterSecond.labels).toEqual(afterFirst.labels);
      expect(afterSecond.types).toEqual(afterFirst.types);
      expect(withoutLoadedAt(afterSecond)).toEqual(withoutLoadedAt(afterFirst));
      expect(second.deletedNodes).toBe(0);
      expect(second.nodes).toEqual(first.nodes);
      expect(second.relationships).toEqual(first.relationships);

      // And the counts are the corpus's: one node per entry, text and claim, one relationship per link, none twice.
      const plan = planGraph(realCorpus);
      for (const label of NODE_LABELS)
        expect([label, afterSecond.labels[label] ?? 0]).toEqual([label, plan.nodes[label].length]);
      for (const type of RELATIONSHIP_TYPES)
        expect([type, afterSecond.types[type] ?? 0]).toEqual([type, plan.relationships[type].length]);
      expect(afterSecond.labels.Evidence).toBe(plan.nodes.Statistic.length + plan.nodes.Finding.length);
      expect(afterSecond.labels.Entity).toBe(second.nodeCount);
      expect(afterSecond.labels.Recommendation).toBe(realCorpus.recommendations.length);
      expect(afterSecond.meta).toMatchObject({
        version: realCorpus.version,
        files: realCorpus.files,
        nodeCount: second.nodeCount,
        relationshipCount: second.relationshipCount,
      });
      expect(JSON.parse(afterSecond.meta?.countsJson as string)).toEqual({
        nodes: second.nodes,
        relationships: second.relationships,
      });
    },
    LOAD_TIMEOUT_MS,
  );

  /** A copy of seed/data with one entry of kaz/un.yaml edited; returns the folder and the edited text. */
  function corpusWithEdit(entryId: string, edit: (entryLines: string[]) => string[]): { dir: string; text: string } {
    const dir = mkdtempSync(join(tmpdir(), 'corpus-int-'));
    tempDirs.push(dir);
    cpSync(DEFAULT_CORPUS_DIR, dir, { recursive: true });
    const file = join(dir, 'kaz', 'un.yaml');
    const lines = readFileSync(file, 'utf8').split('\n');
    const start = lines.indexOf(`  - id: ${entryId}`);
    if (start < 0) throw new Error(`${entryId} is not an entry of kaz/un.yaml`);
    let end = start + 1;
    while (end < lines.length && !/^ {2}- |^\S/.test(lines[end]!)) end += 1;
    const edited = edit(lines.slice(start, end));
    const text = [...lines.slice(0, start), ...edited, ...lines.slice(end)].join('\n');
    writeFileSync(file, text);
    return { dir, text };
  }

  const lineNumberOf = (text: string, line: string): number => text.split('\n').indexOf(line) + 1;

  it.each([
    {
      problem: 'a recommendation whose document does not exist',
      entry: 'rec:CRC/C/KAZ/CO/4:65',
      field: 'document',
      edit: (entryLines: string[]) =>
        entryLines.map((line) =>
          line === '    document: doc:CRC/C/KAZ/CO/4' ? '    document: doc:DOES-NOT-EXIST' : line,
        ),
      // The line of the broken field.
      reportedAt: '    document: doc:DOES-NOT-EXIST',
      message: /doc:DOES-NOT-EXIST/,
    },
    {
      problem: 'a recommendation without its required summary',
      entry: 'rec:CRC/C/KAZ/CO/4:29',
      field: 'summary',
      edit: (entryLines: string[]) => entryLines.filter((line) => !line.startsWith('    summary: ')),
      // A missing field has no line of its own: the entry's.
      reportedAt: '  - id: rec:CRC/C/KAZ/CO/4:29',
      message: /is required/,
    },
  ])(
    'rejects a corpus with $problem, naming file, entry and field, and leaves the database as it was',
    async ({ entry, field, edit, reportedAt, message }) => {
      const { dir, text } = corpusWithEdit(entry, edit);
      expect(text).not.toBe(readFileSync(join(DEFAULT_CORPUS_DIR, 'kaz', 'un.yaml'), 'utf8'));
      const line = lineNumberOf(text, reportedAt);
      expect(line).toBeGreaterThan(0);
      const before = await snapshotGraph();
      expect(before.meta).toMatchObject({ version: realCorpus.version });

      const error: unknown = await readCorpus(dir)
        .then((corpus) => loadCorpus(driver, corpus, { database }))
        .then(
          () => undefined,
          (rejection: unknown) => rejection,
        );
      expect(error).toBeInstanceOf(CorpusValidationError);
      const validation = error as CorpusValidationError;
      // Only the edit is wrong: the rest of the real corpus is valid.
      expect(validation.issues).toEqual([
        { file: 'kaz/un.yaml', line, entry, field, message: expect.stringMatching(message) },
      ]);
      expect(validation.message).toContain(`kaz/un.yaml:${line}: ${entry}: ${field}: `);

      // Nothing was written: same counts, same CorpusMeta (version and load time), same properties.
      const after = await snapshotGraph();
      expect(after.labels).toEqual(before.labels);
      expect(after.types).toEqual(before.types);
      expect(after.meta).toEqual(before.meta);
      expect(after).toEqual(before);
    },
    LOAD_TIMEOUT_MS,
  );

  it(
    'rolls back a load that gets past validation with a dangling reference, leaving the database as it was',
    async () => {
      const before = await snapshotGraph();
      const tampered: Corpus = {
        ...realCorpus,
        version: 'tampered',
        recommendations: realCorpus.recommendations.map((rec) =>
          rec.id === 'rec:CRC/C/KAZ/CO/4:65' ? { ...rec, document: 'doc:DOES-NOT-EXIST' } : rec,
        ),
      };

      const attempt = loadCorpus(driver, tampered, { database });
      await expect(attempt).rejects.toBeInstanceOf(CorpusLoadError);
      await expect(attempt).rejects.toThrow(
        /ISSUED_IN relationships could not be written because no Entity has the id doc:DOES-NOT-EXIST: rec:CRC\/C\/KAZ\/CO\/4:65 -\[:ISSUED_IN\]-> doc:DOES-NOT-EXIST \(written in kaz\/un\.yaml\)/,
      );
      expect(await snapshotGraph()).toEqual(before);
    },
    LOAD_TIMEOUT_MS,
  );
});
