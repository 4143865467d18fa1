import { parse } from 'csv-parse/sync';
import { MEASURE, removeFollowUpData, writeBoardFixture } from '../fixtures/followup/board-fixture';
import { ensureRealCorpus, postGraphQL, queryOk, startTestServer, type TestServer } from '../support/harness';
import { createUser } from '../../src/modules/identity/users';
import type { Logger } from '../../src/logger';

/*
 * The follow-up board for Kazakhstan over the fixture of test/fixtures/followup/board-fixture.ts (its table
 * lists the seven measures M1–M7), judged on 2026-06-01. The counts are worked out by hand:
 *
 * Scope. The gap analysis tests 21 recommendations to Kazakhstan (analysis.int.test.ts lists them). The board
 * adds any other paragraph a measure the reader sees answers: M6 answers CO/4:28, a CONCERN, so 22 rows.
 *
 * Anonymous reader. Sees M1, M2, M3, M6: M4 and M7 are INTERNAL, M5 is withdrawn.
 *   rows with a measure: CO/4:29 (M1, M2), CO/3:37 (M1), Add.213:67(b) (M3), CO/4:28 (M6) = 4
 *   without a measure: 22 − 4 = 18
 *   measures: 4 (M1 answers two recommendations and counts once)
 *   overdue on 2026-06-01: M1 only (IN_PROGRESS, due 2026-03-31). M2 is due 2027; M3 is past due but
 *     COMPLETED; M6 has no due date. = 1
 *   by lead body: ministry-of-education M1, M2 → 2 (1 overdue); ministry-of-internal-affairs M3 → 1 (0);
 *     no lead body M6 → 1 (0), listed last.
 *
 * Editor of KAZ. Also sees M4 (CO/4:65, PLANNED, due 2026-01-15: overdue) and M7 (Add.213:44(a), due
 *   2026-12-31: not yet). Rows with a measure 6, without 16; measures 6; overdue 2 (M1, M4); by lead body:
 *   education M1, M2, M7 → 3 (1); then the ones with 1 measure by id: committee-for-childrens-rights-protection
 *   M4 → 1 (1), ministry-of-internal-affairs M3 → 1 (0); no lead body M6 → 1 (0).
 */
const AS_OF = '2026-06-01';
/** A board statement is planned on its first run: seconds on the loaded 2-core machine. */
const PLANNING = 60_000;
const EDUCATION = 'body:KAZ:ministry-of-education';

const BOARD = /* GraphQL */ `
  query Board(
    $statuses: [MeasureStatus!]
    $overdue: Boolean
    $leadBodies: [ID!]
    $articles: [ID!]
    $themes: [ID!]
    $cycles: [String!]
    $documents: [ID!]
    $withoutMeasure: Boolean
    $includeWithdrawn: Boolean! = false
    $asOf: Date = "${AS_OF}"
    $first: Int! = 100
    $after: String
    $state: ID! = "KAZ"
  ) {
    followUp(
      state: $state
      statuses: $statuses
      overdue: $overdue
      leadBodies: $leadBodies
      articles: $articles
      themes: $themes
      cycles: $cycles
      documents: $documents
      withoutMeasure: $withoutMeasure
      includeWithdrawn: $includeWithdrawn
      asOf: $asOf
      first: $first
      after: $after
    ) {
      state {
        id
      }
      asOf
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      summary {
        recommendationCount
        recommendationsWithoutMeasure
        measureCount
        overdueMeasureCount
        byLeadBody {
          body {
            id
          }
          measureCount
          overdueCount
        }
      }
      edges {
        node {
          recommendation {
            id
          }
          measureCount
          overdueCount
          measures {
            id
            status
          }
        }
      }
    }
  }
`;

interface Board {
  state: { id: string };
  asOf: string;
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  summary: {
    recommendationCount: number;
    recommendationsWithoutMeasure: number;
    measureCount: number;
    overdueMeasureCount: number;
    byLeadBody: Array<{ body: { id: string } | null; measureCount: number; overdueCount: number }>;
  };
  edges: Array<{
    node: {
      recommendation: { id: string };
      measureCount: number;
      overdueCount: number;
      measures: Array<{ id: string; status: string }>;
    };
  }>;
}

interface LogLine {
  message: string;
  fields: Record<string, unknown>;
}

/** Keeps the server's log lines: the request line says how many Cypher round trips a request made. */
function capturingLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const keep = (message: string, fields: Record<string, unknown> = {}) => lines.push({ message, fields });
  return { lines, debug: keep, info: keep, warn: keep, error: keep };
}
const log = capturingLogger();

const rowsWithMeasures = (board: Board) =>
  board.edges.filter((edge) => edge.node.measureCount > 0).map((edge) => edge.node.recommendation.id);
const rowOf = (board: Board, id: string) => board.edges.find((edge) => edge.node.recommendation.id === id)?.node;

describe('the follow-up board of Kazakhstan, counted by hand', () => {
  let test: TestServer;
  const board = async (variables: Record<string, unknown> = {}) =>
    (await queryOk<{ followUp: Board }>(test.server.graphqlUrl, BOARD, variables)).followUp;

  beforeAll(async () => {
    test = await startTestServer({ logger: log });
    await ensureRealCorpus(test.driver);
    await removeFollowUpData(test.driver);
    await writeBoardFixture(test.driver);
  }, 120_000);

  afterAll(async () => {
    if (test) {
      await removeFollowUpData(test.driver);
      await test.close();
    }
  }, PLANNING);

  it(
    'an anonymous reader sees 22 recommendations, 18 without a measure, 4 public measures of which 1 overdue',
    async () => {
      const result = await board();
      expect(result.state.id).toBe('state:KAZ');
      expect(result.asOf).toBe(AS_OF);
      expect(result.totalCount).toBe(22);
      expect(result.summary).toEqual({
        recommendationCount: 22,
        recommendationsWithoutMeasure: 18,
        measureCount: 4,
        overdueMeasureCount: 1,
        byLeadBody: [
          { body: { id: EDUCATION }, measureCount: 2, overdueCount: 1 },
          { body: { id: 'body:KAZ:ministry-of-internal-affairs' }, measureCount: 1, overdueCount: 0 },
          { body: null, measureCount: 1, overdueCount: 0 },
        ],
      });
      expect(rowsWithMeasures(result)).toEqual([
        'rec:CRC/C/KAZ/CO/4:28',
        'rec:CRC/C/KAZ/CO/4:29',
        'rec:CRC/C/KAZ/CO/3:37',
        'rec:CRC/C/15/Add.213:67(b)',
      ]);
      // Soonest due first: M1 (2026-03-31) before M2 (2027-12-31).
      expect(rowOf(result, 'rec:CRC/C/KAZ/CO/4:29')).toEqual({
        recommendation: { id: 'rec:CRC/C/KAZ/CO/4:29' },
        measureCount: 2,
        overdueCount: 1,
        measures: [
          { id: MEASURE.M1, status: 'IN_PROGRESS' },
          { id: MEASURE.M2, status: 'PLANNED' },
        ],
      });
      // Internal measures are neither listed nor counted for an anonymous reader.
      const listed = result.edges.flatMap((edge) => edge.node.measures.map((m) => m.id));
      expect(listed).not.toContain(MEASURE.M4);
      expect(listed).not.toContain(MEASURE.M7);
      expect(rowOf(result, 'rec:CRC/C/KAZ/CO/4:65')?.measureCount).toBe(0);
      // The withdrawn measure is left out unless asked.
      expect(listed).not.toContain(MEASURE.M5);
    },
    PLANNING,
  );

  it(
    'filters on measures: overdue, status and lead body keep the rows with such a measure and show only those',
    async () => {
      const overdue = await board({ overdue: true });
      // M1 is the only overdue public measure; it answers CO/4:29 and CO/3:37.
      expect(overdue.totalCount).toBe(2);
      expect(rowsWithMeasures(overdue)).toEqual(['rec:CRC/C/KAZ/CO/4:29', 'rec:CRC/C/KAZ/CO/3:37']);
      // CO/4:29 shows only M1 but still says it has 2 measures.
      expect(rowOf(overdue, 'rec:CRC/C/KAZ/CO/4:29')).toMatchObject({
        measureCount: 2,
        overdueCount: 1,
        measures: [{ id: MEASURE.M1 }],
      });
      // The summary covers the scope, not the measure filters.
      expect(overdue.summary.measureCount).toBe(4);

      const completed = await board({ statuses: ['COMPLETED'] });
      expect(completed.totalCount).toBe(1);
      expect(completed.edges.map((edge) => edge.node.recommendation.id)).toEqual(['rec:CRC/C/15/Add.213:67(b)']);

      const led = await board({ leadBodies: [EDUCATION] });
      // M1 and M2 are the public measures the ministry of education leads (M7 is internal).
      expect(led.totalCount).toBe(2);
      expect(rowOf(led, 'rec:CRC/C/KAZ/CO/4:29')?.measures.map((m) => m.id)).toEqual([MEASURE.M1, MEASURE.M2]);

      const notOverdue = await board({ overdue: false });
      // Rows with a public measure that is not overdue: CO/4:28 (M6), CO/4:29 (M2), Add.213:67(b) (M3).
      expect(rowsWithMeasures(notOverdue)).toEqual([
        'rec:CRC/C/KAZ/CO/4:28',
        'rec:CRC/C/KAZ/CO/4:29',
        'rec:CRC/C/15/Add.213:67(b)',
      ]);
    },
    PLANNING,
  );

  it(
    '"without any measure" is computed in the database and counted: 18 rows, and 4 with',
    async () => {
      const without = await board({ withoutMeasure: true });
      expect(without.totalCount).toBe(18);
      expect(without.edges).toHaveLength(18);
      expect(without.edges.every((edge) => edge.node.measureCount === 0)).toBe(true);
      const withSome = await board({ withoutMeasure: false });
      expect(withSome.totalCount).toBe(4);
    },
    PLANNING,
  );

  it(
    'withdrawn measures appear when asked, and a withdrawn measure is never overdue',
    async () => {
      const result = await board({ includeWithdrawn: true });
      // M5 answers CO/4:66 (already a tested row): 5 rows with a measure, 17 without; M5 was due 2026-02-01
      // but is withdrawn, so still 1 overdue; M5 has no lead body: the last group grows to 2.
      expect(result.totalCount).toBe(22);
      expect(result.summary).toMatchObject({
        recommendationsWithoutMeasure: 17,
        measureCount: 5,
        overdueMeasureCount: 1,
      });
      expect(result.summary.byLeadBody[result.summary.byLeadBody.length - 1]).toEqual({
        body: null,
        measureCount: 2,
        overdueCount: 0,
      });
      expect(rowOf(result, 'rec:CRC/C/KAZ/CO/4:66')?.measures).toEqual([{ id: MEASURE.M5, status: 'PLANNED' }]);
    },
    PLANNING,
  );

  it(
    'filters the recommendations by cycle, document, article and theme, and the summary follows the scope',
    async () => {
      // Cycle 4: CO/4:29, 64, 65, 66, 67 are tested, and CO/4:28 has M6: 6 rows; 29 and 28 have measures.
      const cycle = await board({ cycles: ['4'] });
      expect(cycle.summary).toMatchObject({
        recommendationCount: 6,
        recommendationsWithoutMeasure: 4,
        measureCount: 3,
        overdueMeasureCount: 1,
      });
      // CO/3: paras. 11 and 37; M1 answers 37.
      const document = await board({ documents: ['doc:CRC/C/KAZ/CO/3'] });
      expect(document.summary).toMatchObject({
        recommendationCount: 2,
        recommendationsWithoutMeasure: 1,
        measureCount: 1,
        overdueMeasureCount: 1,
      });
      // Article 19: CO/4:29, CO/3:11, CO/3:37, Add.213:39 are tested, and CO/4:28 (M6): 5 rows, 3 with measures
      // (M1, M2, M6).
      const article = await board({ articles: ['treaty:CRC:art:19'] });
      expect(article.summary).toMatchObject({
        recommendationCount: 5,
        recommendationsWithoutMeasure: 2,
        measureCount: 3,
      });
      // Juvenile justice: Add.213:67(a)–(f); M3 answers (b).
      const theme = await board({ themes: ['theme:juvenile-justice'] });
      expect(theme.summary).toMatchObject({
        recommendationCount: 6,
        recommendationsWithoutMeasure: 5,
        measureCount: 1,
      });
      expect(theme.totalCount).toBe(6);
    },
    PLANNING,
  );

  it(
    'pages with cursors in the order of the gap analysis, newest document first',
    async () => {
      const first = await board({ first: 2 });
      expect(first.edges.map((edge) => edge.node.recommendation.id)).toEqual([
        'rec:CRC/C/KAZ/CO/4:28',
        'rec:CRC/C/KAZ/CO/4:29',
      ]);
      expect(first.pageInfo.hasNextPage).toBe(true);
      expect(first.totalCount).toBe(22);
      const second = await board({ first: 2, after: first.pageInfo.endCursor });
      expect(second.edges.map((edge) => edge.node.recommendation.id)).toEqual([
        'rec:CRC/C/KAZ/CO/4:64',
        'rec:CRC/C/KAZ/CO/4:65',
      ]);
      const last = await board({ first: 100, after: second.pageInfo.endCursor });
      expect(last.edges).toHaveLength(18);
      expect(last.pageInfo.hasNextPage).toBe(false);
    },
    PLANNING,
  );

  it(
    'one page is one Cypher statement, whatever the filters (the state look-up included)',
    async () => {
      for (const variables of [{}, { overdue: true, first: 5 }, { withoutMeasure: true, cycles: ['4'] }]) {
        const response = await postGraphQL(test.server.graphqlUrl, BOARD, variables);
        expect(response.body.errors).toBeUndefined();
        const requestId = response.headers.get('x-request-id');
        const line = log.lines.find(
          (entry) => entry.message === 'graphql request' && entry.fields.requestId === requestId,
        );
        // One for the board; one for the lead bodies of the summary, batched (the page's Measure fields
        // selected here are the board's own).
        expect(line?.fields.roundTrips).toBe(2);
      }
    },
    PLANNING,
  );

  it(
    'refuses what it cannot answer, naming the argument',
    async () => {
      const combined = await postGraphQL(test.server.graphqlUrl, BOARD, {
        withoutMeasure: true,
        statuses: ['PLANNED'],
      });
      expect(combined.body.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument: 'followUp(withoutMeasure:)',
      });
      const badDay = await postGraphQL(test.server.graphqlUrl, BOARD, { asOf: '2026-02-30' });
      expect(badDay.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      const noState = await postGraphQL(test.server.graphqlUrl, BOARD, { state: 'XXX' });
      expect(noState.body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    },
    PLANNING,
  );

  it(
    'judges overdue on today (UTC) unless asked otherwise',
    async () => {
      const result = await board({ asOf: null });
      expect(result.asOf).toBe(new Date().toISOString().slice(0, 10));
    },
    PLANNING,
  );

  describe('signed-in readers (bearer tokens of users made by the identity module)', () => {
    let editorOfKaz: string;
    let editorOfOther: string;

    beforeAll(async () => {
      const session = test.driver.session();
      try {
        editorOfKaz = await session.executeWrite(
          async (tx) =>
            (await createUser(tx, { name: 'Board editor', organisation: 'Ministry', editorStates: ['KAZ'] })).token,
        );
        editorOfOther = await session.executeWrite(
          async (tx) =>
            (await createUser(tx, { name: 'Other editor', organisation: 'Elsewhere', editorStates: ['UZB'] })).token,
        );
      } finally {
        await session.close();
      }
    }, PLANNING);

    const boardAs = async (token: string) => {
      const response = await postGraphQL<{ followUp: Board }>(
        test.server.graphqlUrl,
        BOARD,
        {},
        { authorization: `Bearer ${token}` },
      );
      if (response.status !== 200 || response.body.errors || !response.body.data)
        throw new Error(`Board as a signed-in reader failed: ${JSON.stringify(response.body, null, 2)}`);
      return response.body.data.followUp;
    };

    /** The board as a spreadsheet (GET /export/follow-up-board.csv), as the given reader: its lines as objects. */
    const exportAs = async (token: string | null, query = '') => {
      const response = await fetch(
        `${test.server.url}/export/follow-up-board.csv?state=KAZ&asOf=${AS_OF}${query}`,
        token === null ? {} : { headers: { authorization: `Bearer ${token}` } },
      );
      const bytes = Buffer.from(await response.arrayBuffer());
      if (response.status !== 200) throw new Error(`export failed with ${response.status}: ${bytes.toString()}`);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines: Record<string, string>[] = parse(bytes, { bom: true, columns: true });
      return lines;
    };
    /** The (recommendation, measure) pairs of a board: a recommendation without a measure pairs with ''. */
    const pairsOf = (result: Board) =>
      result.edges.flatMap(({ node }) =>
        node.measures.length === 0
          ? [`${node.recommendation.id} `]
          : node.measures.map((measure) => `${node.recommendation.id} ${measure.id}`),
      );

    it(
      'exports the board as a spreadsheet with exactly the lines the field gives each reader: internal measures only to editors of KAZ',
      async () => {
        const anonymous = await exportAs(null);
        const anonymousBoard = await board();
        // 18 recommendations without a measure, then CO/4:29 with M1 and M2, CO/3:37 with M1, Add.213:67(b) with
        // M3 and CO/4:28 with M6: 23 lines.
        expect(anonymous).toHaveLength(23);
        expect(anonymous.map((line) => `${line['Recommendation Id']} ${line['Measure Id']}`)).toEqual(
          pairsOf(anonymousBoard),
        );
        const seen = new Set(anonymous.map((line) => line['Measure Id']).filter((id) => id !== ''));
        expect([...seen].sort()).toEqual([MEASURE.M1, MEASURE.M2, MEASURE.M3, MEASURE.M6].sort());
        const m1 = anonymous.find((line) => line['Measure Id'] === MEASURE.M1);
        expect(m1).toMatchObject({ Overdue: 'yes', Status: 'IN_PROGRESS', Visibility: 'PUBLIC' });

        const editor = await exportAs(editorOfKaz);
        expect(editor.map((line) => `${line['Recommendation Id']} ${line['Measure Id']}`)).toEqual(
          pairsOf(await boardAs(editorOfKaz)),
        );
        const editorSees = new Set(editor.map((line) => line['Measure Id']));
        expect(editorSees.has(MEASURE.M4) && editorSees.has(MEASURE.M7)).toBe(true);
        expect((await exportAs(editorOfOther)).some((line) => line['Measure Id'] === MEASURE.M4)).toBe(false);

        const overdueOnly = await exportAs(null, '&overdue=true');
        expect(overdueOnly.map((line) => line['Measure Id'])).toEqual([MEASURE.M1, MEASURE.M1]);
        const refused = await fetch(`${test.server.url}/export/follow-up-board.csv?state=KAZ&overdue=maybe`);
        expect(refused.status).toBe(400);
        expect(((await refused.json()) as { errors: { message: string }[] }).errors[0]?.message).toContain('overdue');
      },
      PLANNING,
    );

    it(
      'an editor of KAZ also sees the internal measures M4 and M7, listed and counted',
      async () => {
        const result = await boardAs(editorOfKaz);
        expect(result.totalCount).toBe(22);
        expect(result.summary).toEqual({
          recommendationCount: 22,
          recommendationsWithoutMeasure: 16,
          measureCount: 6,
          overdueMeasureCount: 2,
          byLeadBody: [
            { body: { id: EDUCATION }, measureCount: 3, overdueCount: 1 },
            { body: { id: 'body:KAZ:committee-for-childrens-rights-protection' }, measureCount: 1, overdueCount: 1 },
            { body: { id: 'body:KAZ:ministry-of-internal-affairs' }, measureCount: 1, overdueCount: 0 },
            { body: null, measureCount: 1, overdueCount: 0 },
          ],
        });
        expect(rowOf(result, 'rec:CRC/C/KAZ/CO/4:65')?.measures).toEqual([{ id: MEASURE.M4, status: 'PLANNED' }]);
        expect(rowOf(result, 'rec:CRC/C/15/Add.213:44(a)')?.measures).toEqual([
          { id: MEASURE.M7, status: 'IN_PROGRESS' },
        ]);
      },
      PLANNING,
    );

    it(
      'an editor of another state sees what an anonymous reader sees',
      async () => {
        const result = await boardAs(editorOfOther);
        expect(result.summary).toMatchObject({
          recommendationsWithoutMeasure: 18,
          measureCount: 4,
          overdueMeasureCount: 1,
        });
        const listed = result.edges.flatMap((edge) => edge.node.measures.map((m) => m.id));
        expect(listed).not.toContain(MEASURE.M4);
        expect(listed).not.toContain(MEASURE.M7);
      },
      PLANNING,
    );
  });
});

describe('recommendationGaps with the measures under way', () => {
  let test: TestServer;
  const GAPS = /* GraphQL */ `
    query GapsWithMeasures {
      recommendationGaps(state: "KAZ", first: 100) {
        totalCount
        testedCount
        edges {
          node {
            recommendation {
              id
            }
            reasons
            relatedMechanisms {
              id
            }
            measuresUnderWay {
              id
              status
            }
          }
        }
      }
    }
  `;
  type Gaps = {
    recommendationGaps: {
      totalCount: number;
      testedCount: number;
      edges: Array<{
        node: { recommendation: { id: string }; reasons: string[]; measuresUnderWay: Array<{ id: string }> };
      }>;
    };
  };

  let before: Gaps['recommendationGaps'];

  beforeAll(async () => {
    test = await startTestServer();
    await ensureRealCorpus(test.driver);
    await removeFollowUpData(test.driver);
    before = (await queryOk<Gaps>(test.server.graphqlUrl, GAPS)).recommendationGaps;
    await writeBoardFixture(test.driver);
  }, 120_000);

  afterAll(async () => {
    if (test) {
      await removeFollowUpData(test.driver);
      await test.close();
    }
  }, PLANNING);

  it(
    'reported progress never answers a gap: the same 16 gaps with and without the follow-up records',
    async () => {
      const after = (await queryOk<Gaps>(test.server.graphqlUrl, GAPS)).recommendationGaps;
      // 21 tested, 5 answered by curated evidence (analysis.int.test.ts): 16 gaps, before and after.
      expect(before.totalCount).toBe(16);
      expect(after.totalCount).toBe(16);
      expect(after.testedCount).toBe(before.testedCount);
      const strip = (gaps: Gaps['recommendationGaps']) =>
        gaps.edges.map((edge) => ({ id: edge.node.recommendation.id, reasons: edge.node.reasons }));
      expect(strip(after)).toEqual(strip(before));
      // Add.213:67(b) stays a gap although M3 is reported COMPLETED, with a progress update saying so and a
      // mechanism it produced: only the curated graph's answers close a gap.
      const juvenile = after.edges.find((edge) => edge.node.recommendation.id === 'rec:CRC/C/15/Add.213:67(b)');
      expect(juvenile?.node.reasons).toEqual(['NO_ANSWER']);
      // A completed measure is not under way.
      expect(juvenile?.node.measuresUnderWay).toEqual([]);
    },
    PLANNING,
  );

  it('each gap shows the public measures under way, soonest due first; internal ones stay hidden', async () => {
    const gaps = (await queryOk<Gaps>(test.server.graphqlUrl, GAPS)).recommendationGaps;
    const of = (id: string) => gaps.edges.find((edge) => edge.node.recommendation.id === id)?.node.measuresUnderWay;
    expect(of('rec:CRC/C/KAZ/CO/4:29')).toEqual([
      { id: MEASURE.M1, status: 'IN_PROGRESS' },
      { id: MEASURE.M2, status: 'PLANNED' },
    ]);
    expect(of('rec:CRC/C/KAZ/CO/3:37')).toEqual([{ id: MEASURE.M1, status: 'IN_PROGRESS' }]);
    // M7 (internal) answers Add.213:44(a); M5 (withdrawn) answers CO/4:66.
    expect(of('rec:CRC/C/15/Add.213:44(a)')).toEqual([]);
    expect(of('rec:CRC/C/KAZ/CO/4:66')).toEqual([]);
  });
});
