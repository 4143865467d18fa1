import { createRepositories, type Repositories } from '../../src/modules/repositories';
import { DEFAULT_PATH_TYPES } from '../../src/modules/analysis/resolvers';
import { namedStatements } from '../../src/modules/statements';
import { stubDatabase, type Statement } from './stub-database';
import { propertiesFor } from '../../src/modules/entities';
import { NATIONAL_LAW_HOPS } from '../../src/modules/national-law/repository';
import { implementationHop } from '../../src/modules/treaties/repository';
import { UN_DOCUMENT_HOPS } from '../../src/modules/un-documents/repository';

/**
 * The Cypher each repository sends for given arguments, as snapshots a reviewer can read
 * (__snapshots__/cypher.test.ts.snap): a change to a statement shows up in review as a diff of the statement
 * itself. The statements run against a real Neo4j in test/integration; here nothing runs.
 */

/** Calls a repository method over a database that records the statements and answers with no rows. */
async function statementsOf(call: (repositories: Repositories) => Promise<unknown>): Promise<Statement[]> {
  const database = stubDatabase(() => []);
  const repositories = createRepositories(database.forRequest('snapshot'));
  // Rows are empty, so some methods end in "missing" errors (e.g. no Neo4j Kernel row): the statement is what matters.
  await call(repositories).catch(() => undefined);
  return database.statements;
}

/** The snapshot of a statement: its name, its parameters and its text. */
function show(statements: Statement[]): string {
  return statements
    .map((statement) => `-- ${statement.queryName}  ${JSON.stringify(statement.params)}\n${statement.cypher}`)
    .join('\n\n');
}

const cases: Array<[string, (repositories: Repositories) => Promise<unknown>]> = [
  ['node(id:) and nodes(ids:)', (r) => r.common.nodes(['state:KAZ', 'treaty:CRC'])],
  [
    'an entity with only some of its properties (a projection)',
    (r) => r.common.nodeWith('state:KAZ', ['State'], ['name', 'iso3']),
  ],
  ['citations of an entity', (r) => r.common.citations('rec:CRC/C/KAZ/CO/4:29')],
  ['texts of an entity', (r) => r.common.texts('rec:CRC/C/KAZ/CO/4:29')],
  ['claims of an entity', (r) => r.common.claims('treaty:CRC')],
  ['treaties, second page of 10', (r) => r.treaties.treaties(10, 11)],
  ['treaty by short name', (r) => r.treaties.treatyByShortName('CRC')],
  [
    'a treaty article’s provisions in one state, and their count',
    (r) =>
      Promise.all([
        r.treaties.implementations('treaty:CRC:art:19', 'state:KAZ', 0, 21),
        r.treaties.implementationCount('treaty:CRC:art:19', 'state:KAZ'),
      ]),
  ],
  [
    'a treaty article’s recommendations, any state',
    (r) => r.treaties.recommendations('treaty:CRC:art:19', null, 0, 21),
  ],
  ['a state’s treaty actions on one treaty', (r) => r.states.treatyActions('state:KAZ', 'treaty:CRC')],
  [
    'a state’s legal instruments and their count',
    (r) =>
      Promise.all([r.states.legalInstruments('state:KAZ', 0, 21), r.states.count('legalInstruments', 'state:KAZ')]),
  ],
  [
    'legal instruments filtered by state, kinds and in-force status',
    (r) =>
      Promise.all([
        r.nationalLaw.legalInstruments({ state: 'state:KAZ', kinds: ['LAW', 'CODE'], inForce: 'IN_FORCE' }, 0, 21),
        r.nationalLaw.legalInstrumentCount({ state: 'state:KAZ', kinds: ['LAW', 'CODE'], inForce: 'IN_FORCE' }),
      ]),
  ],
  [
    'provisions implementing an article',
    (r) => r.nationalLaw.provisions({ implementsArticle: 'treaty:CRC:art:19' }, 0, 21),
  ],
  [
    'what an instrument was issued under (provision or instrument)',
    (r) => r.nationalLaw.issuedUnder('legal:KAZ:law:345-II'),
  ],
  [
    'treaty articles an instrument implements as a whole',
    (r) => r.nationalLaw.instrumentImplements('legal:KAZ:law:345-II'),
  ],
  ['bodies filtered by status', (r) => r.implementation.bodies({ status: 'ACTIVE' }, 0, 21)],
  [
    'mechanisms giving effect to an article in one state',
    (r) => r.implementation.mechanisms({ state: 'state:KAZ', article: 'treaty:CRC:art:19' }, 0, 21),
  ],
  [
    'the evidence about an entity (shared by every kind)',
    (r) => r.common.evidenceAbout('mechanism:KAZ:support-centres'),
  ],
  ['the state an entity belongs to (shared by every kind)', (r) => r.common.stateOf('body:KAZ:x')],
  ['documents of one cycle', (r) => r.unDocuments.documents({ state: 'state:KAZ', cycle: 'CO4' }, 0, 21)],
  [
    'recommendations filtered by years and kinds',
    (r) =>
      r.unDocuments.recommendations(
        { state: 'state:KAZ', yearFrom: 2007, yearTo: 2015, kinds: ['RECOMMENDATION'] },
        0,
        21,
      ),
  ],
  ['what answers a recommendation', (r) => r.unDocuments.answers('rec:CRC/C/KAZ/CO/4:29')],
  ['a recommendation’s reiteration chain', (r) => r.unDocuments.reiterationChain('rec:CRC/C/KAZ/CO/4:29')],
  [
    'recommendations about the same articles, in one state',
    (r) =>
      Promise.all([
        r.unDocuments.relatedByArticle('rec:CRC/C/KAZ/CO/4:29', 'state:KAZ', 0, 21),
        r.unDocuments.relatedByArticleCount('rec:CRC/C/KAZ/CO/4:29', 'state:KAZ'),
      ]),
  ],
  ['themes', (r) => r.unDocuments.themes()],
  [
    'evidence of one kind in one state',
    (r) => r.evidence.evidence({ labels: ['Statistic'], state: 'state:KAZ' }, 0, 21),
  ],
  [
    'sources of a kind, and a source’s citation count',
    (r) => Promise.all([r.sources.sources({ kinds: ['UN_DOCUMENT'] }, 0, 21), r.sources.citationCount('source:x')]),
  ],
  [
    'full-text search',
    (r) => r.search.search('corporal* AND punishment*', ['RECOMMENDATION'], ['corporal', 'punishment'], 0, 11),
  ],
  ['about', (r) => r.system.graphInfo()],
  [
    'recommendationGaps, strict, for two articles',
    (r) =>
      r.analysis.recommendationGaps(
        {
          state: 'state:KAZ',
          treaty: 'treaty:CRC',
          strict: true,
          articles: ['treaty:CRC:art:19', 'treaty:CRC:art:28'],
          themes: null,
          cycles: null,
          reasons: null,
        },
        0,
        51,
      ),
  ],
  ['treatyCoverage', (r) => r.analysis.treatyCoverage('treaty:CRC', 'state:KAZ')],
  ['implementationChain', (r) => r.analysis.implementationChain('treaty:CRC:art:19', 'state:KAZ')],
  ['reiteratedRecommendations', (r) => r.analysis.reiteratedRecommendations('state:KAZ', 2, null, 0, 21)],
  [
    'path over the default relationship types, 4 hops',
    (r) => r.analysis.path('rec:CRC/C/KAZ/CO/4:29', 'body:KAZ:x', 4, DEFAULT_PATH_TYPES),
  ],
  [
    'recommendations of one state with their documents, articles (each with the state’s implementations and their instruments) and themes read ahead; of the articles’ links their basis and verification, of the implementations’ every property, of the rest none',
    (r) => {
      const implementations = implementationHop('state:KAZ');
      return r.unDocuments.recommendations({ state: 'state:KAZ' }, 0, 51, [
        { kind: 'hop', hop: UN_DOCUMENT_HOPS.document, page: null, properties: undefined, links: 'none', children: [] },
        {
          kind: 'hop',
          hop: UN_DOCUMENT_HOPS.articles,
          page: null,
          properties: propertiesFor(['TreatyArticle'], 'light'),
          links: { only: ['basis', 'verification'] },
          children: [
            {
              kind: 'hop',
              hop: implementations,
              page: { offset: 0, limit: 21 },
              properties: undefined,
              links: 'full',
              children: [
                {
                  kind: 'hop',
                  hop: NATIONAL_LAW_HOPS.provisionInstrument,
                  page: null,
                  properties: undefined,
                  links: 'none',
                  children: [],
                },
              ],
            },
          ],
        },
        { kind: 'hop', hop: UN_DOCUMENT_HOPS.themes, page: null, properties: undefined, links: 'none', children: [] },
      ]);
    },
  ],
];

describe('the Cypher each repository builds', () => {
  it.each(cases)('%s', async (_title, call) => {
    const statements = await statementsOf(call);
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) expect(statement.cypher.startsWith(`// ${statement.queryName}`)).toBe(true);
    expect(show(statements)).toMatchSnapshot();
  });

  it('batches the same statement for many parents into one round trip', async () => {
    const statements = await statementsOf((r) =>
      Promise.all(['state:KAZ', 'state:UZB', 'state:KGZ'].map((id) => r.states.bodies(id, 0, 21))),
    );
    expect(statements).toHaveLength(1);
    expect(statements[0]?.params.ids).toEqual(['state:KAZ', 'state:UZB', 'state:KGZ']);
  });
});

describe('the registry of named statements the warm-up plans (src/modules/statements.ts)', () => {
  /** Built per request from what it asks (a literal hop bound, the selected properties): planned on first use. */
  const BUILT_PER_REQUEST = new Set(['path', 'nodesById:projected']);

  it('holds every statement the repositories send, by name, and each unfiltered one by its exact text', async () => {
    const registry = namedStatements();
    const names = new Set(registry.map((statement) => statement.name));
    const texts = new Set(registry.map((statement) => statement.cypher));
    const unregistered: string[] = [];
    const textMissing: string[] = [];
    for (const [, call] of cases) {
      for (const statement of await statementsOf(call)) {
        if (BUILT_PER_REQUEST.has(statement.queryName)) continue;
        if (!names.has(statement.queryName)) unregistered.push(statement.queryName);
        // Only page, ids and fixed parameters: the statement is in its unfiltered form, which is registered as it is.
        const unfiltered = Object.keys(statement.params).every((key) => ['ids', 'offset', 'limit'].includes(key));
        if (unfiltered && !texts.has(statement.cypher)) textMissing.push(statement.queryName);
      }
    }
    expect(unregistered).toEqual([]);
    expect(textMissing).toEqual([]);
  });

  it('names each statement once per text, with a sample for every parameter it uses', () => {
    const registry = namedStatements();
    expect(registry.length).toBeGreaterThan(100);
    expect(new Set(registry.map((statement) => statement.cypher)).size).toBe(registry.length);
    for (const statement of registry) {
      expect(statement.cypher.startsWith(`// ${statement.name}`)).toBe(true);
      for (const [, name] of statement.cypher.matchAll(/\$([A-Za-z_]\w*)/g))
        expect(statement.params).toHaveProperty(name!);
    }
    expect(registry.map((statement) => statement.name)).toEqual(
      expect.arrayContaining(['recommendationGaps', 'nodesById', 'Query.search', 'Query.recommendations:count']),
    );
  });
});
