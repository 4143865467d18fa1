import { randomUUID } from 'node:crypto';
import { expect } from '@jest/globals';
import type { Driver } from 'neo4j-driver';
import { Executor } from '../../src/db/executor';
import { silentLogger } from '../../src/logger';
import { FollowUpRepository, type AfterStatement } from '../../src/modules/followup/repository';
import { createUser, revokeUser } from '../../src/modules/identity/users';
import type { Viewer } from '../../src/modules/identity/viewer';
import { ensureRealCorpus, openTestDriver, startTestServer, testConfig, type TestServer } from '../support/harness';

/**
 * Issue 10's acceptance for follow-up records, through HTTP as a tracker would use the API (users made with
 * the identity module's createUser), against the real corpus: the authorisation matrix over every mutation
 * and every way of reading internal records, no lost update, idempotent creates, all-or-nothing mutations.
 */
const database = testConfig().database;
const REC_29 = 'rec:CRC/C/KAZ/CO/4:29';
const REC_28 = 'rec:CRC/C/KAZ/CO/4:28';
const GOVERNMENT = 'body:KAZ:government';
const MINISTRY = 'body:KAZ:ministry-of-education';
const MECHANISM = 'mechanism:KAZ:support-centres';
const FOREIGN_REC = 'rec:TEST/UZB/CO/1:1';

let driver: Driver;
let executor: Executor;
let api: TestServer;
let url: string;

type Persona = 'anonymous' | 'kazEditor' | 'uzbEditor' | 'bodyEditor' | 'admin' | 'revoked';
const tokens: Partial<Record<Persona, string>> = {};
const viewers: Partial<Record<Persona, Viewer>> = {};
const userIds: string[] = [];

async function run(cypher: string, params: Record<string, unknown> = {}): Promise<Array<Record<string, unknown>>> {
  const session = driver.session({ database });
  try {
    return (await session.run(cypher, params)).records.map((record) => record.toObject());
  } finally {
    await session.close();
  }
}

async function removeFollowUp(): Promise<void> {
  await run(
    `// removeFollowUpTestData
MATCH (n) WHERE n:FollowUp OR n:ChangeRecord OR n:IdempotencyKey OR n:ChangeSequence DETACH DELETE n`,
  );
}

interface Response {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
}

/** POST as a persona (its bearer token; none for anonymous). */
async function post(persona: Persona, query: string, variables: Record<string, unknown> = {}): Promise<Response> {
  const token = tokens[persona];
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as Response['body'] };
}

/** The data of a response without errors; otherwise fails showing the query and the whole response. */
async function ok<T>(persona: Persona, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await post(persona, query, variables);
  if (response.body.errors?.length || !response.body.data)
    throw new Error(
      `Expected success as ${persona}:\n${query}\n${JSON.stringify(variables)}\n${JSON.stringify(response)}`,
    );
  return response.body.data as T;
}

/** The one error's code (and the response), failing with the whole response if there is none. */
function codeOf(response: Response): string {
  const code = response.body.errors?.[0]?.extensions?.code;
  if (typeof code !== 'string') throw new Error(`Expected an error: ${JSON.stringify(response)}`);
  return code;
}

function repository(persona: Persona, afterStatement?: AfterStatement): FollowUpRepository {
  const viewer = viewers[persona] ?? { kind: 'ANONYMOUS' };
  return new FollowUpRepository(executor.forRequest(`followup-test-${randomUUID()}`), viewer, afterStatement);
}

const MEASURE_FIELDS = 'id version status title visibility reportedBy overdue';

interface ReadData {
  measure: { id: string; title: string } | null;
  node: { id: string } | null;
  nodes: Array<{ id: string } | null>;
  recommendation: {
    measures: { totalCount: number; edges: Array<{ node: { id: string } }> };
    latestFollowUpStatus: string | null;
  };
  internalHistory: Array<{ id: string }>;
  publicHistory: Array<{ entityId: string }>;
  changes: { edges: Array<{ node: { entityId: string } }> };
}

beforeAll(async () => {
  driver = openTestDriver();
  await ensureRealCorpus(driver);
  await removeFollowUp();
  executor = new Executor(driver, { database, queryTimeoutMs: 30_000, logger: silentLogger });
  api = await startTestServer();
  url = api.server.graphqlUrl;
  const session = driver.session({ database });
  try {
    const make = async (persona: Persona, input: Parameters<typeof createUser>[1]) => {
      const created = await session.executeWrite((tx) => createUser(tx, input));
      userIds.push(created.user.id);
      tokens[persona] = created.token;
      viewers[persona] = { kind: 'USER', user: created.user };
      return created.user.id;
    };
    await make('kazEditor', { name: 'KAZ editor', organisation: 'Ministry of Justice', editorStates: ['KAZ'] });
    await make('uzbEditor', { name: 'UZB editor', organisation: 'Ministry of Justice (UZB)', editorStates: ['UZB'] });
    await make('bodyEditor', {
      name: 'Education editor',
      organisation: 'Ministry of Education',
      editorStates: ['KAZ'],
      editorBodies: [MINISTRY],
    });
    await make('admin', { name: 'Administrator', organisation: 'Secretariat', admin: true });
    const revokedId = await make('revoked', {
      name: 'Former editor',
      organisation: 'Ministry of Justice',
      editorStates: ['KAZ'],
    });
    await session.executeWrite((tx) => revokeUser(tx, revokedId));
    // A recommendation to another state, for the "not addressed to the measure's state" check.
    await session.run(
      "// foreignRecommendation\nCREATE (:Entity:Recommendation {id: $id, stateId: 'state:UZB', paragraph: 1, kind: 'RECOMMENDATION'})",
      { id: FOREIGN_REC },
    );
  } finally {
    await session.close();
  }
}, 180_000);

afterAll(async () => {
  await api?.close();
  await removeFollowUp();
  await run('// removeTestUsers\nMATCH (u:User) WHERE u.id IN $ids DETACH DELETE u', { ids: userIds });
  await run('// removeForeignRecommendation\nMATCH (r:Recommendation {id: $id}) DETACH DELETE r', { id: FOREIGN_REC });
  await driver.close();
});

/** A measure made directly (as the KAZ editor) for one check: completed, linked to REC_29 and MECHANISM. */
async function setUpMeasure(options: { leadBody?: string; visibility?: 'PUBLIC' | 'INTERNAL' } = {}) {
  const repo = repository('kazEditor');
  const { measureId } = await repo.createMeasure({
    state: 'KAZ',
    title: `Matrix measure ${randomUUID()}`,
    status: 'COMPLETED',
    visibility: options.visibility ?? 'PUBLIC',
    leadBody: options.leadBody ?? GOVERNMENT,
    recommendations: [REC_29],
  });
  await repository('kazEditor').linkResults({ id: measureId, expectedVersion: 1, ids: [MECHANISM], unlink: false });
  return { id: measureId, version: 2 };
}

/** Every mutation, as a client sends it, for a measure at a version (createMeasure ignores them). */
const MUTATIONS: Record<string, (measure: { id: string; version: number }, leadBody: string) => [string, object]> = {
  createMeasure: (_m, leadBody) => [
    `mutation($input: CreateMeasureInput!) { createMeasure(input: $input) { measure { ${MEASURE_FIELDS} } } }`,
    { state: 'KAZ', title: `Created ${randomUUID()}`, leadBody, recommendations: [REC_29] },
  ],
  updateMeasure: (m) => [
    `mutation($input: UpdateMeasureInput!) { updateMeasure(input: $input) { measure { ${MEASURE_FIELDS} } } }`,
    { id: m.id, expectedVersion: m.version, title: 'Renamed' },
  ],
  linkRecommendations: (m) => [
    `mutation($input: MeasureRecommendationsInput!) { linkRecommendations(input: $input) { measure { ${MEASURE_FIELDS} } } }`,
    { measure: m.id, expectedVersion: m.version, recommendations: [REC_28] },
  ],
  unlinkRecommendations: (m) => [
    `mutation($input: MeasureRecommendationsInput!) { unlinkRecommendations(input: $input) { measure { ${MEASURE_FIELDS} } } }`,
    { measure: m.id, expectedVersion: m.version, recommendations: [REC_29] },
  ],
  linkResults: (m) => [
    `mutation($input: MeasureResultsInput!) { linkResults(input: $input) { measure { ${MEASURE_FIELDS} } } }`,
    { measure: m.id, expectedVersion: m.version, results: ['legal:KAZ:law:345-II'] },
  ],
  unlinkResults: (m) => [
    `mutation($input: MeasureResultsInput!) { unlinkResults(input: $input) { measure { ${MEASURE_FIELDS} } } }`,
    { measure: m.id, expectedVersion: m.version, results: [MECHANISM] },
  ],
  addProgressUpdate: (m) => [
    `mutation($input: AddProgressUpdateInput!) { addProgressUpdate(input: $input) { measure { ${MEASURE_FIELDS} } progressUpdate { id } } }`,
    { measure: m.id, expectedVersion: m.version, date: '2026-11-30', text: 'Done.', reportedStatus: 'COMPLETED' },
  ],
  withdrawMeasure: (m) => [
    `mutation($input: WithdrawMeasureInput!) { withdrawMeasure(input: $input) { measure { ${MEASURE_FIELDS} } } }`,
    { id: m.id, expectedVersion: m.version, reason: 'Merged into another measure.' },
  ],
};

describe('who may record follow-up: every mutation against every kind of caller', () => {
  const expected: Record<Persona, string> = {
    anonymous: 'UNAUTHENTICATED',
    kazEditor: 'OK',
    uzbEditor: 'FORBIDDEN',
    bodyEditor: 'FORBIDDEN',
    admin: 'FORBIDDEN',
    revoked: 'UNAUTHENTICATED',
  };
  // A refused mutation is a field error in a response that carries `data` (null), so HTTP 200 by the
  // GraphQL-over-HTTP rules the API follows (src/http-status.ts); a revoked token stops the whole request: 401.
  const statusOf: Record<Persona, number> = {
    anonymous: 200,
    kazEditor: 200,
    uzbEditor: 200,
    bodyEditor: 200,
    admin: 200,
    revoked: 401,
  };

  it.each(Object.keys(MUTATIONS))(
    '%s: anonymous and a revoked token are unauthenticated, other states, other bodies and a mere admin are forbidden, the KAZ editor succeeds',
    async (name) => {
      const outcomes: Record<string, string> = {};
      for (const persona of Object.keys(expected) as Persona[]) {
        const measure = await setUpMeasure();
        const [query, input] = MUTATIONS[name]!(measure, GOVERNMENT);
        const before = await run('// changeCount\nMATCH (c:ChangeRecord) RETURN count(c) AS n');
        const response = await post(persona, query, { input });
        const outcome = response.body.errors?.length ? codeOf(response) : 'OK';
        outcomes[persona] = `${outcome} ${response.status}`;
        const after = await run('// changeCount\nMATCH (c:ChangeRecord) RETURN count(c) AS n');
        // A refused mutation leaves no change record; a successful one leaves at least one.
        if (outcome === 'OK') expect(Number(after[0]!.n)).toBeGreaterThan(Number(before[0]!.n));
        else expect(after).toEqual(before);
      }
      expect(outcomes).toEqual(
        Object.fromEntries(
          Object.entries(expected).map(([persona, outcome]) => [persona, `${outcome} ${statusOf[persona as Persona]}`]),
        ),
      );
    },
    180_000,
  );

  it.each(Object.keys(MUTATIONS))(
    '%s: an editor limited to a body may record measures that body leads',
    async (name) => {
      const measure = await setUpMeasure({ leadBody: MINISTRY });
      const [query, input] = MUTATIONS[name]!(measure, MINISTRY);
      await ok<unknown>('bodyEditor', query, { input });
    },
    60_000,
  );

  it('the FORBIDDEN message names the missing permission', async () => {
    const measure = await setUpMeasure();
    const [query, input] = MUTATIONS.updateMeasure!(measure, GOVERNMENT);
    const other = await post('uzbEditor', query, { input });
    expect(other.body.errors?.[0]?.message).toContain('requires EDITOR of KAZ');
    const body = await post('bodyEditor', query, { input });
    expect(body.body.errors?.[0]?.message).toContain('requires a lead body you edit');
  }, 60_000);

  it('an editor limited to a body may not hand its measure to another body', async () => {
    const measure = await setUpMeasure({ leadBody: MINISTRY });
    const response = await post(
      'bodyEditor',
      `mutation($input: UpdateMeasureInput!) { updateMeasure(input: $input) { measure { id } } }`,
      { input: { id: measure.id, expectedVersion: measure.version, leadBody: GOVERNMENT } },
    );
    expect(codeOf(response)).toBe('FORBIDDEN');
  }, 60_000);

  it('to an editor of another state an internal measure does not exist (NOT_FOUND, as for an unknown id)', async () => {
    const measure = await setUpMeasure({ visibility: 'INTERNAL' });
    const [query, input] = MUTATIONS.updateMeasure!(measure, GOVERNMENT);
    const internal = await post('uzbEditor', query, { input });
    const unknown = await post('uzbEditor', query, { input: { ...input, id: `measure:${randomUUID()}` } });
    expect([codeOf(internal), codeOf(unknown)]).toEqual(['NOT_FOUND', 'NOT_FOUND']);
  }, 60_000);
});

describe('internal records are read only by the users of their state', () => {
  let internalMeasure: string;
  let publicMeasure: string;
  let internalProgress: string;
  let publicProgress: string;
  const title = `Confidential review ${randomUUID().slice(0, 8)}`;
  // The feed is read from here on (`since:`), so the changes earlier tests made do not push these off the page.
  let since: string;

  beforeAll(async () => {
    since = new Date().toISOString();
    const pub = await repository('kazEditor').createMeasure({
      state: 'KAZ',
      title: 'Published measure',
      visibility: 'PUBLIC',
      recommendations: [REC_28],
    });
    publicMeasure = pub.measureId;
    const published = await repository('kazEditor').addProgressUpdate({
      id: publicMeasure,
      expectedVersion: 1,
      date: '2026-10-01',
      text: 'Published progress.',
      reportedStatus: 'PLANNED',
      visibility: 'PUBLIC',
    });
    publicProgress = published.progressId!;
    const draft = await repository('kazEditor').addProgressUpdate({
      id: publicMeasure,
      expectedVersion: 2,
      date: '2026-10-02',
      text: 'Draft progress, not for publication.',
      reportedStatus: 'PLANNED',
      visibility: 'INTERNAL',
    });
    internalProgress = draft.progressId!;
    const internal = await repository('kazEditor').createMeasure({
      state: 'KAZ',
      title,
      status: 'IN_PROGRESS',
      visibility: 'INTERNAL',
      recommendations: [REC_28],
    });
    internalMeasure = internal.measureId;
  }, 120_000);

  const readQuery = `query($m: ID!, $mp: ID!, $p: ID!, $pp: ID!, $rec: ID!, $since: String) {
    measure(id: $m) { id title }
    node(id: $m) { id }
    nodes(ids: [$m, $mp, $p, $pp]) { id }
    recommendation(id: $rec) {
      measures(first: 100) { totalCount edges { node { id } } }
      latestFollowUpStatus
    }
    internalHistory: history(id: $m) { id }
    publicHistory: history(id: $mp) { entityId }
    changes(state: "KAZ", since: $since, first: 100) { edges { node { entityId } } }
  }`;

  it.each([
    ['anonymous', false],
    ['uzbEditor', false],
    ['admin', false],
    ['kazEditor', true],
    ['bodyEditor', true],
  ] as Array<[Persona, boolean]>)(
    "%s: sees internal records: %s (by id, in node(s), in the recommendation's list, count and status, in history and in the change feed)",
    async (persona, seesInternal) => {
      const data = await ok<ReadData>(persona, readQuery, {
        m: internalMeasure,
        mp: publicMeasure,
        p: internalProgress,
        pp: publicProgress,
        rec: REC_28,
        since,
      });
      const ids = data.recommendation.measures.edges.map((edge) => edge.node.id);
      const changed = data.changes.edges.map((edge) => edge.node.entityId);
      const publicHistory = data.publicHistory.map((change) => change.entityId);
      if (seesInternal) {
        expect(data.measure).toEqual({ id: internalMeasure, title });
        expect(data.node).toEqual({ id: internalMeasure });
        expect(data.nodes).toEqual([
          { id: internalMeasure },
          { id: publicMeasure },
          { id: internalProgress },
          { id: publicProgress },
        ]);
        expect(ids).toEqual(expect.arrayContaining([internalMeasure, publicMeasure]));
        expect(data.recommendation.measures.totalCount).toBe(ids.length);
        expect(data.recommendation.latestFollowUpStatus).toBe('IN_PROGRESS');
        expect(data.internalHistory).toHaveLength(1);
        expect(publicHistory).toContain(internalProgress);
        expect(changed).toEqual(expect.arrayContaining([internalMeasure, internalProgress]));
      } else {
        expect(data.measure).toBeNull();
        expect(data.node).toBeNull();
        expect(data.nodes).toEqual([null, { id: publicMeasure }, null, { id: publicProgress }]);
        expect(ids).toContain(publicMeasure);
        expect(ids).not.toContain(internalMeasure);
        expect(data.recommendation.measures.totalCount).toBe(ids.length);
        expect(data.recommendation.latestFollowUpStatus).toBe('PLANNED');
        expect(data.internalHistory).toEqual([]);
        expect(publicHistory).toContain(publicProgress);
        expect(publicHistory).not.toContain(internalProgress);
        expect(changed).not.toContain(internalMeasure);
        expect(changed).not.toContain(internalProgress);
        expect(changed).toContain(publicMeasure);
      }
      // A public measure's progress leaves out internal updates for outsiders.
      const progress = await ok<{ measure: { progress: Array<{ id: string }> } }>(
        persona,
        `query($id: ID!) { measure(id: $id) { progress { id } } }`,
        {
          id: publicMeasure,
        },
      );
      const progressIds = progress.measure.progress.map((update) => update.id);
      expect(progressIds.includes(internalProgress)).toBe(seesInternal);
      expect(progressIds).toContain(publicProgress);
    },
    60_000,
  );

  it('a revoked token reads nothing, not even public records', async () => {
    const response = await post('revoked', `query($id: ID!) { measure(id: $id) { id } }`, { id: publicMeasure });
    expect([response.status, codeOf(response)]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('search and path cover the curated graph only: no follow-up record is found through them, by anyone', async () => {
    for (const persona of ['anonymous', 'kazEditor'] as Persona[]) {
      const found = await ok<{ search: { totalCount: number } }>(
        persona,
        `query($text: String!) { search(text: $text, first: 20) { totalCount } }`,
        {
          text: title,
        },
      );
      expect([persona, found.search.totalCount]).toEqual([persona, 0]);
      const path = await post(persona, `query($from: ID!, $to: ID!) { path(from: $from, to: $to) { length } }`, {
        from: REC_28,
        to: internalMeasure,
      });
      expect([persona, codeOf(path)]).toEqual([persona, 'NOT_FOUND']);
    }
  }, 60_000);
});

describe('recording follow-up', () => {
  it('a measure reads as a statement by the organisation that recorded it, and every change is in its history', async () => {
    const created = await ok<{
      createMeasure: {
        clientMutationId: string;
        measure: Record<string, unknown> & { id: string; recommendations: Array<{ id: string }> };
      };
    }>(
      'kazEditor',
      `mutation($input: CreateMeasureInput!) { createMeasure(input: $input) {
        clientMutationId
        measure { id version status visibility reportedBy overdue dueDate created { organisation userId }
          leadBody { id } recommendations { id } state { id } }
      } }`,
      {
        input: {
          clientMutationId: 'c1',
          state: 'KAZ',
          title: 'Helpline for children',
          plannedStart: '2024-01-01',
          dueDate: '2025-06-30',
          status: 'IN_PROGRESS',
          visibility: 'PUBLIC',
          leadBody: GOVERNMENT,
          recommendations: [REC_29, REC_28],
        },
      },
    );
    const measure = created.createMeasure.measure;
    expect(created.createMeasure.clientMutationId).toBe('c1');
    expect(measure).toMatchObject({
      version: 1,
      status: 'IN_PROGRESS',
      visibility: 'PUBLIC',
      reportedBy: 'Ministry of Justice',
      overdue: true,
      created: {
        organisation: 'Ministry of Justice',
        userId: viewers.kazEditor!.kind === 'USER' ? viewers.kazEditor!.user.id : '',
      },
      leadBody: { id: GOVERNMENT },
      state: { id: 'state:KAZ' },
    });
    expect(measure.recommendations.map((rec) => rec.id).sort()).toEqual([REC_28, REC_29]);

    const progress = await ok<{ addProgressUpdate: { measure: unknown; progressUpdate: unknown } }>(
      'kazEditor',
      `mutation($input: AddProgressUpdateInput!) { addProgressUpdate(input: $input) {
        progressUpdate { id reportedStatus reportedBy evidence { source { id } locator url title } }
        measure { version status overdue }
      } }`,
      {
        input: {
          measure: measure.id,
          expectedVersion: 1,
          date: '2025-05-01',
          text: 'The helpline answers in every region.',
          reportedStatus: 'COMPLETED',
          evidence: [{ title: 'Government press release', url: 'https://example.org/helpline', locator: 'para. 2' }],
        },
      },
    );
    expect(progress.addProgressUpdate.measure).toEqual({ version: 2, status: 'COMPLETED', overdue: false });
    expect(progress.addProgressUpdate.progressUpdate).toMatchObject({
      reportedStatus: 'COMPLETED',
      reportedBy: 'Ministry of Justice',
      evidence: [
        { source: null, locator: 'para. 2', url: 'https://example.org/helpline', title: 'Government press release' },
      ],
    });

    await ok<unknown>(
      'kazEditor',
      `mutation($input: MeasureResultsInput!) { linkResults(input: $input) { measure { version results { __typename ... on Mechanism { id } } } } }`,
      { input: { measure: measure.id, expectedVersion: 2, results: [MECHANISM] } },
    );
    await ok<unknown>(
      'kazEditor',
      `mutation($input: MeasureRecommendationsInput!) { unlinkRecommendations(input: $input) { measure { version } } }`,
      { input: { measure: measure.id, expectedVersion: 3, recommendations: [REC_28] } },
    );
    const withdrawn = await ok<{ withdrawMeasure: { measure: unknown } }>(
      'kazEditor',
      `mutation($input: WithdrawMeasureInput!) { withdrawMeasure(input: $input) { measure { version overdue withdrawal { reason by { organisation } } } } }`,
      { input: { id: measure.id, expectedVersion: 4, reason: 'Replaced by a national programme.' } },
    );
    expect(withdrawn.withdrawMeasure.measure).toEqual({
      version: 5,
      overdue: false,
      withdrawal: { reason: 'Replaced by a national programme.', by: { organisation: 'Ministry of Justice' } },
    });

    const history = await ok<{ history: Array<Record<string, string | number | null>> }>(
      'anonymous',
      `query($id: ID!) { history(id: $id) { seq operation entityKind organisation state visibility before after } }`,
      { id: measure.id },
    );
    const changes = history.history;
    expect(changes.map((change) => change.operation)).toEqual([
      'CREATE',
      'ADD_PROGRESS',
      'PROGRESS_ADDED',
      'LINK_RESULTS',
      'UNLINK_RECOMMENDATIONS',
      'WITHDRAW',
    ]);
    const seqs = changes.map((change) => change.seq as number);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(changes[0]!.before).toBeNull();
    const unlink = changes[4]!;
    expect(JSON.parse(unlink.before as string)).toMatchObject({ version: 3, recommendations: [REC_28, REC_29] });
    expect(JSON.parse(unlink.after as string)).toMatchObject({ version: 4, recommendations: [REC_29] });

    // Withdrawn: it stays, takes no further change, and is left out of the recommendation's list unless asked.
    const again = await post(
      'kazEditor',
      `mutation($input: UpdateMeasureInput!) { updateMeasure(input: $input) { measure { id } } }`,
      { input: { id: measure.id, expectedVersion: 5, title: 'Too late' } },
    );
    expect(codeOf(again)).toBe('BAD_USER_INPUT');
    type Page = { edges: Array<{ node: { id: string } }> };
    const listed = await ok<{ recommendation: { standing: Page; all: Page } }>(
      'anonymous',
      `query($rec: ID!) { recommendation(id: $rec) {
        standing: measures(first: 100) { edges { node { id } } }
        all: measures(first: 100, includeWithdrawn: true) { edges { node { id } } }
      } }`,
      { rec: REC_29 },
    );
    const idsOf = (connection: Page) => connection.edges.map((e) => e.node.id);
    expect(idsOf(listed.recommendation.standing)).not.toContain(measure.id);
    expect(idsOf(listed.recommendation.all)).toContain(measure.id);
  }, 120_000);

  it.each([
    ['an unknown recommendation', { recommendations: ['rec:CRC/C/KAZ/CO/4:999'] }, 'input.recommendations'],
    ["another state's recommendation", { recommendations: [FOREIGN_REC] }, 'input.recommendations'],
    ['a due date before the planned start', { plannedStart: '2026-05-01', dueDate: '2026-04-30' }, 'input.dueDate'],
    ['a due date of month precision', { dueDate: '2026-05' }, 'input.dueDate'],
    ['an unknown lead body', { leadBody: 'body:KAZ:no-such-body' }, 'input.leadBody'],
    ['an empty title', { title: '   ' }, 'input.title'],
  ])(
    'createMeasure refuses %s with BAD_USER_INPUT naming the field, and writes nothing',
    async (_what, extra, field) => {
      const title = `Refused ${randomUUID()}`;
      const response = await post(
        'kazEditor',
        `mutation($input: CreateMeasureInput!) { createMeasure(input: $input) { measure { id } } }`,
        { input: { state: 'KAZ', title, ...extra } },
      );
      expect([codeOf(response), response.body.errors?.[0]?.extensions?.argument]).toEqual(['BAD_USER_INPUT', field]);
      expect(await run('// byTitle\nMATCH (m:Measure {title: $title}) RETURN m.id AS id', { title })).toEqual([]);
    },
    60_000,
  );

  it('refuses a status change MeasureStatus does not allow, and links results only to completed measures', async () => {
    const { measureId } = await repository('kazEditor').createMeasure({
      state: 'KAZ',
      title: 'Transition check',
      status: 'COMPLETED',
    });
    const back = await post(
      'kazEditor',
      `mutation($input: UpdateMeasureInput!) { updateMeasure(input: $input) { measure { id } } }`,
      { input: { id: measureId, expectedVersion: 1, status: 'PLANNED' } },
    );
    expect([codeOf(back), back.body.errors?.[0]?.extensions?.argument]).toEqual(['BAD_USER_INPUT', 'input.status']);
    const planned = await repository('kazEditor').createMeasure({ state: 'KAZ', title: 'Not completed yet' });
    const results = await post(
      'kazEditor',
      `mutation($input: MeasureResultsInput!) { linkResults(input: $input) { measure { id } } }`,
      { input: { measure: planned.measureId, expectedVersion: 1, results: [MECHANISM] } },
    );
    expect([codeOf(results), results.body.errors?.[0]?.extensions?.argument]).toEqual([
      'BAD_USER_INPUT',
      'input.measure',
    ]);
  }, 60_000);
});

describe('no lost update, no duplicate, no half-done change', () => {
  it('two editors update the same measure from the same version at once: one succeeds, the other gets CONFLICT with the current version, and history holds exactly the change that succeeded', async () => {
    const { measureId } = await repository('kazEditor').createMeasure({
      state: 'KAZ',
      title: 'Contested',
      visibility: 'PUBLIC',
    });
    const update = (title: string) =>
      post(
        'kazEditor',
        `mutation($input: UpdateMeasureInput!) { updateMeasure(input: $input) { measure { version title } } }`,
        {
          input: { id: measureId, expectedVersion: 1, title },
        },
      );
    const responses = await Promise.all([update('First editor'), update('Second editor')]);
    const succeeded = responses.filter((response) => !response.body.errors);
    const conflicted = responses.filter((response) => response.body.errors);
    expect(succeeded).toHaveLength(1);
    expect(conflicted).toHaveLength(1);
    expect(conflicted[0]!.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
    const winner = (succeeded[0]!.body.data!.updateMeasure as { measure: { title: string; version: number } }).measure;
    expect(winner.version).toBe(2);

    const history = await repository('kazEditor').history(measureId);
    expect(history.map((change) => change.operation)).toEqual(['CREATE', 'UPDATE']);
    expect(JSON.parse(history[1]!.afterJson)).toMatchObject({ title: winner.title, version: 2 });
    const [stored] = await run('// stored\nMATCH (m:Measure {id: $id}) RETURN m.title AS title, m.version AS version', {
      id: measureId,
    });
    expect({ title: stored!.title, version: Number(stored!.version) }).toEqual(winner);
  }, 60_000);

  it('a create retried with the same idempotency key, at once and later, creates one measure and one change record', async () => {
    const key = `retry-${randomUUID()}`;
    const title = `Idempotent ${randomUUID()}`;
    const create = () =>
      post(
        'kazEditor',
        `mutation($input: CreateMeasureInput!) { createMeasure(input: $input) { measure { id version } } }`,
        {
          input: { state: 'KAZ', title, idempotencyKey: key },
        },
      );
    const concurrent = await Promise.all([create(), create()]);
    const later = await create();
    const ids = [...concurrent, later].map((response) => {
      if (response.body.errors) throw new Error(JSON.stringify(response.body));
      return (response.body.data!.createMeasure as { measure: { id: string } }).measure.id;
    });
    expect(new Set(ids).size).toBe(1);
    expect(await run('// byTitle\nMATCH (m:Measure {title: $title}) RETURN m.id AS id', { title })).toEqual([
      { id: ids[0] },
    ]);
    const changes = await run('// changesOf\nMATCH (c:ChangeRecord {entityId: $id}) RETURN c.operation AS operation', {
      id: ids[0],
    });
    expect(changes).toEqual([{ operation: 'CREATE' }]);

    // The same key for another operation is a client error, not a silent replay.
    const misuse = await post(
      'kazEditor',
      `mutation($input: UpdateMeasureInput!) { updateMeasure(input: $input) { measure { id } } }`,
      { input: { id: ids[0], expectedVersion: 1, title: 'Other', idempotencyKey: key } },
    );
    expect([codeOf(misuse), misuse.body.errors?.[0]?.extensions?.argument]).toEqual([
      'BAD_USER_INPUT',
      'input.idempotencyKey',
    ]);
  }, 60_000);

  /** Everything a mutation could leave behind. */
  async function traces() {
    const [row] = await run(`// traces
RETURN COUNT { MATCH (m:Measure) } AS measures, COUNT { MATCH (p:ProgressUpdate) } AS progress,
  COUNT { MATCH (c:ChangeRecord) } AS changes, COUNT { MATCH (k:IdempotencyKey) } AS keys,
  COUNT { MATCH ()-[r:ADDRESSES|LED_BY|PRODUCED|CONTRIBUTED_BY]->() } AS links,
  COLLECT { MATCH (s:ChangeSequence) RETURN s.value } AS sequence,
  COLLECT { MATCH (m:Measure) RETURN [m.id, m.version, m.status] } AS versions`);
    return JSON.stringify(row);
  }

  it('a create that fails after its first statement leaves no trace', async () => {
    const before = await traces();
    const failing: AfterStatement = (_name, position) => {
      if (position === 1) throw new Error('injected failure after the first statement');
    };
    await expect(
      repository('kazEditor', failing).createMeasure({
        state: 'KAZ',
        title: `Half-done ${randomUUID()}`,
        leadBody: GOVERNMENT,
        recommendations: [REC_29],
        idempotencyKey: `half-${randomUUID()}`,
      }),
    ).rejects.toThrow('injected failure');
    expect(await traces()).toEqual(before);
  }, 60_000);

  it('a progress update that fails after writing the update (before its measure and history) leaves no trace', async () => {
    const { measureId } = await repository('kazEditor').createMeasure({ state: 'KAZ', title: 'Progress failure' });
    const before = await traces();
    const seen: string[] = [];
    const failing: AfterStatement = (name) => {
      seen.push(name);
      if (name === 'FollowUp.createProgress') throw new Error('injected failure after the update was written');
    };
    await expect(
      repository('kazEditor', failing).addProgressUpdate({
        id: measureId,
        expectedVersion: 1,
        date: '2026-11-01',
        text: 'Never recorded.',
        reportedStatus: 'IN_PROGRESS',
      }),
    ).rejects.toThrow('injected failure');
    expect(seen).toContain('FollowUp.createProgress');
    expect(await traces()).toEqual(before);
  }, 60_000);
});
