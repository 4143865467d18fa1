/**
 * Rows of a UHRI import that is not published yet (src/graph/vocabulary.ts, PENDING_LABEL): an import writes
 * each new recommendation and its text with their final labels plus the pending label, batch by batch, and
 * publishes the whole file by writing one marker node. Until the marker exists, no reader may see them: every
 * answer a user relies on for Kazakhstan stays exactly what it was. Once the marker exists, they are there.
 *
 * The pending rows are written here with plain Cypher (not through the importer), shaped as the importer
 * writes them and linked, as it links them, to visible nodes: the state, a theme, a document, a source, CRC
 * article 19 (an inferred CONCERNS) and curated paragraphs (inferred REITERATES).
 */
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { expect } from '@jest/globals';
import neo4j from 'neo4j-driver';
import { OWNER_TEXT, PENDING_LABEL, PUBLISHED_MARKER_LABEL } from '../../src/graph/vocabulary';
import { createUser } from '../../src/modules/identity/users';
import { normalizeSearchText } from '../../src/search-text';
import {
  ensureRealCorpus,
  postGraphQL,
  queryOk,
  startTestServer,
  testConfig,
  type TestServer,
} from '../support/harness';

const database = testConfig().database;

const DOCUMENT = 'doc:CRC/C/KAZ/CO/4';
const SOURCE = 'source:un-crc-c-kaz-co-4';
const ARTICLE = 'treaty:CRC:art:19';
const THEME = 'theme:corporal-punishment';
/** A curated paragraph the first pending one reiterates: the head of the chain CO/4:29 → CO/3:37 → Add.213:39. */
const CURATED_CHAIN_HEAD = 'rec:CRC/C/KAZ/CO/4:29';
/** A curated paragraph the second pending one reiterates (no curated chain, not about article 19). */
const CURATED_LONE = 'rec:CRC/C/KAZ/CO/4:67';
/** Paragraph numbers no concluding observations have: clearly synthetic. */
const PENDING = ['rec:CRC/C/KAZ/CO/4:9901', 'rec:CRC/C/KAZ/CO/4:9902'] as const;
/** A made-up word that only the first pending text contains. */
const UNIQUE_WORD = 'zorblaxification';
const TEXTS = [
  `The Committee urges the State party to prohibit corporal punishment of children in every setting and to end its ${UNIQUE_WORD}.`,
  'The Committee recommends that the State party ensure that corporal punishment of children is prohibited in alternative care.',
];

let api: TestServer;
let editorToken: string;
let editorId: string;

async function cypher(statement: string, params: Record<string, unknown> = {}): Promise<void> {
  const session = api.driver.session({ database });
  try {
    await session.run(statement, params);
  } finally {
    await session.close();
  }
}

async function removePending(): Promise<void> {
  await cypher(`MATCH (m:${PUBLISHED_MARKER_LABEL}) DELETE m`);
  await cypher(
    `MATCH (r:Recommendation) WHERE r.id IN $ids
     OPTIONAL MATCH (r)-[:HAS_TEXT]->(t:TextVersion)
     DETACH DELETE r, t`,
    { ids: [...PENDING] },
  );
}

/** The link properties the importer writes on a row's own links (inherited from the row). */
function rowLink(id: string) {
  return {
    sourceIds: [SOURCE],
    locators: ['synthetic test row'],
    quotes: [''],
    verification: 'SECONDARY_ONLY',
    basis: 'STATED',
    sourcesInherited: true,
    verificationInherited: true,
    inheritedFrom: id,
    origin: 'UHRI',
  };
}

/** The link properties of a link a rule inferred. */
function inferredLink(inference: string, evidence: string, extra: Record<string, unknown> = {}) {
  return {
    sourceIds: [SOURCE],
    locators: ['synthetic test row'],
    quotes: [''],
    verification: 'UNVERIFIED',
    basis: 'INFERRED',
    sourcesInherited: false,
    verificationInherited: false,
    origin: 'INFERRED',
    inference,
    evidence,
    ...extra,
  };
}

/** Two pending recommendations to Kazakhstan with their texts, as an unpublished import leaves them. */
async function writePending(): Promise<void> {
  const rows = PENDING.map((id, index) => ({
    id,
    reiterates: index === 0 ? CURATED_CHAIN_HEAD : CURATED_LONE,
    props: {
      id,
      documentId: DOCUMENT,
      documentSymbol: 'CRC/C/KAZ/CO/4',
      documentDate: '2015-10-30',
      cycle: '4',
      year: neo4j.int(2015),
      stateId: 'state:KAZ',
      paragraph: neo4j.int(9901 + index),
      kind: 'RECOMMENDATION',
      summary: `Synthetic pending paragraph ${index + 1} (test data).`,
      verification: 'SECONDARY_ONLY',
      note: "Imported from OHCHR's Universal Human Rights Index.",
      origin: 'UHRI',
    },
    text: {
      id: `${id}#text:en`,
      ownerId: id,
      ownerLabel: 'Recommendation',
      language: 'en',
      text: TEXTS[index],
      searchText: normalizeSearchText(TEXTS[index] as string),
      status: 'OFFICIAL',
      truncated: false,
      position: neo4j.int(1),
      origin: 'UHRI',
    },
    link: rowLink(id),
    concerns: inferredLink('THEME_CLUSTER', 'synthetic: corporal punishment'),
    reiteration: inferredLink('TEXT_SIMILARITY', 'synthetic: same wording', { similarity: 0.93 }),
  }));
  await cypher(
    `UNWIND $rows AS row
     MATCH (s:State {id: 'state:KAZ'}), (d:Document {id: $document}), (th:Theme {id: $theme}),
           (a:TreatyArticle {id: $article}), (src:Source {id: $source}), (earlier:Recommendation {id: row.reiterates})
     CREATE (r:Entity:Recommendation:${PENDING_LABEL})
     SET r = row.props
     CREATE (t:Entity:TextVersion:${OWNER_TEXT.Recommendation.label}:${PENDING_LABEL})
     SET t = row.text
     CREATE (r)-[:HAS_TEXT {origin: 'UHRI'}]->(t)
     CREATE (t)-[:SOURCED_FROM {locator: 'synthetic test row', position: 1, origin: 'UHRI'}]->(src)
     CREATE (r)-[:SOURCED_FROM {locator: 'synthetic test row', position: 1000, origin: 'UHRI'}]->(src)
     CREATE (r)-[l1:ADDRESSED_TO]->(s) SET l1 = row.link
     CREATE (r)-[l2:ISSUED_IN]->(d) SET l2 = row.link
     CREATE (r)-[l3:HAS_THEME]->(th) SET l3 = row.link
     CREATE (r)-[c:CONCERNS]->(a) SET c = row.concerns
     CREATE (r)-[x:REITERATES]->(earlier) SET x = row.reiteration`,
    { rows, document: DOCUMENT, theme: THEME, article: ARTICLE, source: SOURCE },
  );
}

const ids = `totalCount edges { node { id } }`;

/**
 * What a user reads about Kazakhstan: one request per root field (a single request for all of them passes the
 * query cost limit), merged into one answer. `$pending` and `$other` are a pending and a curated id.
 */
const BATTERY: readonly string[] = [
  `state(id: "KAZ") {
    recommendations(first: 100) { ${ids} }
  }`,
  `article: treatyArticle(id: "${ARTICLE}") {
    recommendations(first: 100) { ${ids} }
    kaz: recommendations(state: "KAZ", first: 100) { ${ids} }
  }`,
  `theme: node(id: "${THEME}") {
    ... on Theme {
      recommendations(first: 100) { ${ids} }
      kaz: recommendations(state: "KAZ", first: 100) { ${ids} }
    }
  }`,
  `document(id: "${DOCUMENT}") {
    recommendations(first: 100) { ${ids} }
  }`,
  `source: node(id: "${SOURCE}") {
    ... on Source { citationCount }
  }`,
  `recommendations(filter: { state: "KAZ" }, first: 100) { ${ids} }`,
  `aboutArticle: recommendations(filter: { state: "KAZ", article: "${ARTICLE}" }, first: 100) { ${ids} }`,
  `pendingNode: node(id: $pending) { id }
  pendingNodes: nodes(ids: [$pending, $other]) { id }
  pendingRecommendation: recommendation(id: $pending) { id }`,
  `curated: recommendation(id: "${CURATED_CHAIN_HEAD}") {
    reiteratedBy { recommendation { id } }
    reiterationChain { id }
    relatedByArticle(state: "KAZ", first: 100) { ${ids} }
  }
  lone: recommendation(id: "${CURATED_LONE}") {
    reiteratedBy { recommendation { id } }
    reiterationChain { id }
  }`,
  `recommendationGaps(state: "KAZ", first: 100) {
    totalCount
    testedCount
    edges { node { recommendation { id } reasons } }
  }`,
  `treatyCoverage(treaty: "CRC", state: "KAZ") {
    rows { article { id } recommendations { id } openRecommendationCount }
    summary { articlesWithOpenRecommendations }
  }`,
  `implementationChain(article: "${ARTICLE}", state: "KAZ") {
    recommendations { recommendation { id } }
  }`,
  `reiteratedRecommendations(state: "KAZ", first: 100) {
    totalCount
    edges { node { length latest { id } recommendations { id } } }
  }`,
  `unique: search(text: "${UNIQUE_WORD}", first: 20) {
    totalCount
    edges { node { entity { ... on Recommendation { id } } } }
  }`,
  `common: search(text: "corporal punishment", first: 100) {
    totalCount
    edges { node { language excerpt entity { ... on Recommendation { id } ... on TreatyArticle { id } ... on Provision { id } } } }
  }`,
  `viaPending: path(from: "${ARTICLE}", to: "${CURATED_LONE}", via: [CONCERNS, REITERATES], maxHops: 4) {
    length
    nodes { id }
  }`,
  `followUp(state: "KAZ", first: 100) {
    totalCount
    summary { recommendationCount recommendationsWithoutMeasure }
  }`,
];

async function battery(): Promise<Battery> {
  const answers: Record<string, unknown> = {};
  for (const fields of BATTERY) {
    const uses = (name: string) => fields.includes(`$${name}`);
    const declared = [uses('pending') ? '$pending: ID!' : '', uses('other') ? '$other: ID!' : ''].filter(Boolean);
    const query = `query PendingBattery${declared.length > 0 ? `(${declared.join(', ')})` : ''} {\n  ${fields}\n}`;
    const variables = {
      ...(uses('pending') ? { pending: PENDING[0] } : {}),
      ...(uses('other') ? { other: CURATED_CHAIN_HEAD } : {}),
    };
    Object.assign(answers, await queryOk(api.server.graphqlUrl, query, variables));
  }
  return answers as unknown as Battery;
}

interface Connection {
  totalCount: number;
  edges: Array<{ node: { id: string } }>;
}

interface Battery {
  state: { recommendations: Connection };
  article: { recommendations: Connection; kaz: Connection };
  theme: { recommendations: Connection; kaz: Connection };
  document: { recommendations: Connection };
  source: { citationCount: number };
  recommendations: Connection;
  aboutArticle: Connection;
  pendingNode: { id: string } | null;
  pendingNodes: Array<{ id: string } | null>;
  pendingRecommendation: { id: string } | null;
  curated: { reiteratedBy: unknown[]; reiterationChain: Array<{ id: string }>; relatedByArticle: Connection };
  lone: { reiteratedBy: unknown[]; reiterationChain: Array<{ id: string }> };
  recommendationGaps: {
    totalCount: number;
    testedCount: number;
    edges: Array<{ node: { recommendation: { id: string }; reasons: string[] } }>;
  };
  treatyCoverage: {
    rows: Array<{ article: { id: string }; recommendations: Array<{ id: string }>; openRecommendationCount: number }>;
    summary: { articlesWithOpenRecommendations: number };
  };
  implementationChain: { recommendations: Array<{ recommendation: { id: string } }> };
  reiteratedRecommendations: {
    totalCount: number;
    edges: Array<{ node: { length: number; latest: { id: string }; recommendations: Array<{ id: string }> } }>;
  };
  unique: { totalCount: number; edges: Array<{ node: { entity: { id: string } } }> };
  common: { totalCount: number; edges: Array<{ node: { entity: { id: string } } }> };
  viaPending: { length: number; nodes: Array<{ id: string }> } | null;
  followUp: { totalCount: number; summary: { recommendationCount: number; recommendationsWithoutMeasure: number } };
}

/** The path query from a pending paragraph: NOT_FOUND while it is pending, as for an id nobody has. */
const PATH_FROM = /* GraphQL */ `
  query PendingPath($from: ID!) {
    path(from: $from, to: "${ARTICLE}", via: [CONCERNS]) {
      length
    }
  }
`;

/**
 * A measure addressing the recommendations given, led by a body nobody has: refused either way, so nothing is
 * ever written, but for the recommendations (checked first) while one is unknown, for the lead body once all are known.
 */
const CREATE_MEASURE = /* GraphQL */ `
  mutation PendingMeasure($input: CreateMeasureInput!) {
    createMeasure(input: $input) {
      measure {
        id
      }
    }
  }
`;

interface Seen {
  battery: Battery;
  /** path from the first pending id: its error code, or the path's length. */
  pathFromPending: string | number | null;
  /** createMeasure addressing the first pending id: the field the refusal names, and its message (the id masked). */
  measureRefusal: { argument: unknown; message: string };
  exports: Record<string, { rows: number; text: string }>;
}

const EXPORTS = [
  'recommendations.csv?state=KAZ',
  'recommendation-gaps.csv?state=KAZ',
  'treaty-coverage.csv?state=KAZ&treaty=CRC',
];

async function exported(path: string): Promise<{ rows: number; text: string }> {
  const response = await fetch(`${api.server.url}/export/${path}`);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET /export/${path}: ${response.status} ${text}`);
  return { rows: parse<Record<string, string>>(text, { bom: true, columns: true }).length, text };
}

const UNKNOWN_BODY = 'body:KAZ:no-such-body';

async function measureRefusal(recommendation: string) {
  const response = await postGraphQL(
    api.server.graphqlUrl,
    CREATE_MEASURE,
    {
      input: {
        state: 'KAZ',
        title: `Pending check ${randomUUID()}`,
        leadBody: UNKNOWN_BODY,
        recommendations: [recommendation],
      },
    },
    { authorization: `Bearer ${editorToken}` },
  );
  const error = response.body.errors?.[0];
  if (!error || response.body.data?.createMeasure)
    throw new Error(`Expected createMeasure to be refused: ${JSON.stringify(response.body)}`);
  expect(error.extensions?.['code']).toBe('BAD_USER_INPUT');
  return { argument: error.extensions?.['argument'], message: error.message.replace(recommendation, '<id>') };
}

async function seen(): Promise<Seen> {
  const answers = await battery();
  const path = await postGraphQL<{ path: { length: number } | null }>(api.server.graphqlUrl, PATH_FROM, {
    from: PENDING[0],
  });
  const code = path.body.errors?.[0]?.extensions?.['code'];
  const pathFromPending = typeof code === 'string' ? code : (path.body.data?.path?.length ?? null);
  const exports: Seen['exports'] = {};
  for (const name of EXPORTS) exports[name] = await exported(name);
  return { battery: answers, pathFromPending, measureRefusal: await measureRefusal(PENDING[0]), exports };
}

const idsOf = (connection: Connection) => connection.edges.map((edge) => edge.node.id);

let before: Seen;
let unknownRefusal: { argument: unknown; message: string };

beforeAll(async () => {
  api = await startTestServer({ queryTimeoutMs: 30_000 });
  await ensureRealCorpus(api.driver);
  await removePending();
  const session = api.driver.session({ database });
  try {
    const created = await session.executeWrite((tx) =>
      createUser(tx, { name: 'Pending check', organisation: 'Test', editorStates: ['KAZ'] }),
    );
    editorToken = created.token;
    editorId = created.user.id;
  } finally {
    await session.close();
  }
  before = await seen();
  unknownRefusal = await measureRefusal('rec:CRC/C/KAZ/CO/4:99999');
  await writePending();
}, 300_000);

afterAll(async () => {
  if (api) {
    await removePending();
    await cypher('MATCH (u:User {id: $id}) DETACH DELETE u', { id: editorId ?? '' });
    await api.close();
  }
}, 120_000);

describe('rows of an unpublished import', () => {
  test('the battery holds what the test relies on before anything is pending', () => {
    const b = before.battery;
    expect(b.pendingNode).toBeNull();
    expect(b.unique.totalCount).toBe(0);
    expect(b.viaPending).toBeNull();
    expect(before.pathFromPending).toBe('NOT_FOUND');
    expect(idsOf(b.state.recommendations)).toContain(CURATED_CHAIN_HEAD);
    expect(b.reiteratedRecommendations.edges.map((edge) => edge.node.latest.id)).toContain(CURATED_CHAIN_HEAD);
    expect(b.recommendationGaps.totalCount).toBeGreaterThan(0);
    expect(b.common.totalCount).toBeGreaterThan(0);
    // A pending id is refused as an id nobody has.
    expect(before.measureRefusal).toEqual(unknownRefusal);
    expect(before.measureRefusal.argument).toBe('input.recommendations');
  });

  test('are seen by no reader: every answer is exactly what it was', async () => {
    const during = await seen();
    expect(during.battery).toEqual(before.battery);
    expect(during.pathFromPending).toEqual(before.pathFromPending);
    expect(during.measureRefusal).toEqual(before.measureRefusal);
    for (const name of EXPORTS) expect({ name, ...during.exports[name] }).toEqual({ name, ...before.exports[name] });
  }, 120_000);

  test('are seen by every reader once the import is published (the marker exists)', async () => {
    await cypher(`CREATE (:${PUBLISHED_MARKER_LABEL})`);
    try {
      const after = await seen();
      const a = after.battery;
      const b = before.battery;
      const added = (connection: Connection, count: number) => ({
        totalCount: connection.totalCount + count,
        ids: [...idsOf(connection), ...PENDING.slice(0, count)].sort(),
      });
      const shown = (connection: Connection) => ({
        totalCount: connection.totalCount,
        ids: [...idsOf(connection)].sort(),
      });

      expect(shown(a.state.recommendations)).toEqual(added(b.state.recommendations, 2));
      expect(shown(a.article.recommendations)).toEqual(added(b.article.recommendations, 2));
      expect(shown(a.article.kaz)).toEqual(added(b.article.kaz, 2));
      expect(shown(a.theme.recommendations)).toEqual(added(b.theme.recommendations, 2));
      expect(shown(a.theme.kaz)).toEqual(added(b.theme.kaz, 2));
      expect(shown(a.document.recommendations)).toEqual(added(b.document.recommendations, 2));
      expect(shown(a.recommendations)).toEqual(added(b.recommendations, 2));
      expect(shown(a.aboutArticle)).toEqual(added(b.aboutArticle, 2));
      // Each pending paragraph and its text cite the source.
      expect(a.source.citationCount).toBe(b.source.citationCount + 4);
      expect(a.pendingNode).toEqual({ id: PENDING[0] });
      expect(a.pendingNodes).toEqual([{ id: PENDING[0] }, { id: CURATED_CHAIN_HEAD }]);
      expect(a.pendingRecommendation).toEqual({ id: PENDING[0] });
      expect(a.curated.reiteratedBy).toEqual([...b.curated.reiteratedBy, { recommendation: { id: PENDING[0] } }]);
      expect(a.curated.reiterationChain.map((r) => r.id)).toEqual([
        ...b.curated.reiterationChain.map((r) => r.id),
        PENDING[0],
      ]);
      expect(shown(a.curated.relatedByArticle)).toEqual(added(b.curated.relatedByArticle, 2));
      expect(a.lone.reiterationChain.map((r) => r.id)).toEqual([CURATED_LONE, PENDING[1]]);

      expect(a.recommendationGaps.totalCount).toBe(b.recommendationGaps.totalCount + 2);
      expect(a.recommendationGaps.testedCount).toBe(b.recommendationGaps.testedCount + 2);
      const gapIds = a.recommendationGaps.edges.map((edge) => edge.node.recommendation.id);
      expect(gapIds).toEqual(expect.arrayContaining([...PENDING]));
      const row19 = (battery: Battery) => battery.treatyCoverage.rows.find((row) => row.article.id === ARTICLE);
      expect(row19(a)?.recommendations.map((r) => r.id)).toEqual(
        expect.arrayContaining([...(row19(b)?.recommendations.map((r) => r.id) ?? []), ...PENDING]),
      );
      expect(row19(a)?.openRecommendationCount).toBe((row19(b)?.openRecommendationCount ?? 0) + 2);
      expect(a.implementationChain.recommendations.map((r) => r.recommendation.id)).toEqual(
        expect.arrayContaining([...PENDING]),
      );
      // The chain CO/4:29 → … now starts at the pending paragraph, and the lone paragraph has one of its own.
      const chains = a.reiteratedRecommendations.edges.map((edge) => edge.node);
      expect(a.reiteratedRecommendations.totalCount).toBe(b.reiteratedRecommendations.totalCount + 1);
      expect(chains.map((chain) => chain.latest.id)).toEqual(expect.arrayContaining([...PENDING]));
      expect(chains.map((chain) => chain.latest.id)).not.toContain(CURATED_CHAIN_HEAD);

      expect(a.unique.totalCount).toBe(1);
      expect(a.unique.edges.map((edge) => edge.node.entity.id)).toEqual([PENDING[0]]);
      expect(a.common.totalCount).toBe(b.common.totalCount + 2);
      expect(a.viaPending).toEqual({ length: 2, nodes: [{ id: ARTICLE }, { id: PENDING[1] }, { id: CURATED_LONE }] });
      expect(after.pathFromPending).toBe(1);
      expect(a.followUp.totalCount).toBe(b.followUp.totalCount + 2);
      expect(a.followUp.summary.recommendationCount).toBe(b.followUp.summary.recommendationCount + 2);

      expect(after.measureRefusal.argument).toBe('input.leadBody');
      expect(after.exports['recommendations.csv?state=KAZ']?.rows).toBe(
        (before.exports['recommendations.csv?state=KAZ']?.rows ?? 0) + 2,
      );
      expect(after.exports['recommendations.csv?state=KAZ']?.text).toContain(PENDING[0]);
      expect(after.exports['recommendation-gaps.csv?state=KAZ']?.rows).toBe(
        (before.exports['recommendation-gaps.csv?state=KAZ']?.rows ?? 0) + 2,
      );
      expect(after.exports['treaty-coverage.csv?state=KAZ&treaty=CRC']?.text).toContain(PENDING[1]);
    } finally {
      await cypher(`MATCH (m:${PUBLISHED_MARKER_LABEL}) DELETE m`);
    }
  }, 120_000);
});
