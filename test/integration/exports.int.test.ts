import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { silentLogger } from '../../src/logger';
import { createGraphQLServer, maskUnexpectedError } from '../../src/server';
import { ANONYMOUS } from '../../src/modules/identity/viewer';
import { createRepositories } from '../../src/modules/repositories';
import { exportToFile } from '../../src/modules/exports/file';
import { exportContext } from '../../src/modules/exports/http';
import { ExportError } from '../../src/modules/exports/run-export';
import { warmUp } from '../../src/db/warm-up';
import { namedStatements } from '../../src/modules/statements';
import {
  ensureRealCorpus,
  postGraphQL,
  queryOk,
  startTestServer,
  testConfig,
  type TestServer,
} from '../support/harness';

/**
 * The CSV exports as a spreadsheet user gets them: the files open in a CSV parser (csv-parse, the parser the
 * UHRI importer uses) with the right columns, Cyrillic intact, and the same rows and errors as the GraphQL
 * fields they come from, compared against a GraphQL request in the same test.
 */

interface CsvFile {
  status: number;
  headers: Headers;
  bytes: Buffer;
  records: Array<Record<string, string>>;
  columns: string[];
}

async function download(baseUrl: string, path: string): Promise<CsvFile> {
  const response = await fetch(`${baseUrl}${path}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) {
    throw new Error(`GET ${path} answered ${response.status}: ${bytes.toString('utf8')}`);
  }
  const rows: string[][] = parse(bytes, { bom: true, relax_column_count: false });
  const [columns = [], ...data] = rows;
  return {
    status: response.status,
    headers: response.headers,
    bytes,
    columns,
    records: data.map((row) => Object.fromEntries(columns.map((column, i) => [column, row[i] ?? '']))),
  };
}

async function refusal(baseUrl: string, path: string) {
  const response = await fetch(`${baseUrl}${path}`);
  const text = await response.text();
  let body: { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`GET ${path} answered ${response.status} with a body that is not JSON: ${text.slice(0, 300)}`);
  }
  return { status: response.status, contentType: response.headers.get('content-type'), body };
}

const GAP_IDS = /* GraphQL */ `
  query GapIds($state: ID!, $strictness: GapStrictness, $articles: [ID!], $after: String) {
    recommendationGaps(state: $state, strictness: $strictness, articles: $articles, first: 100, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          recommendation {
            id
          }
          reasons
          explanation
        }
      }
    }
  }
`;

type GapIdsData = {
  recommendationGaps: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{ node: { recommendation: { id: string }; reasons: string[]; explanation: string } }>;
  };
};

/**
 * An export reads every page of its field (and the corpus version) with statements the test server has not
 * planned yet; on the shared 2-core machine that takes seconds, several exports per test.
 */
const EXPORT_TIMEOUT_MS = 60_000;

describe('CSV exports', () => {
  let test: TestServer;
  let base: string;
  /** Every gap the GraphQL field returns for these variables, in its order, through all its pages. */
  const allGaps = async (variables: Record<string, unknown>) => {
    const gaps: GapIdsData['recommendationGaps']['edges'] = [];
    let after: string | null = null;
    for (;;) {
      const data: GapIdsData = await queryOk<GapIdsData>(test.server.graphqlUrl, GAP_IDS, { ...variables, after });
      gaps.push(...data.recommendationGaps.edges);
      if (!data.recommendationGaps.pageInfo.hasNextPage) return gaps.map((edge) => edge.node);
      after = data.recommendationGaps.pageInfo.endCursor;
    }
  };

  beforeAll(async () => {
    test = await startTestServer();
    await ensureRealCorpus(test.driver);
    // As the API does before it reports ready (src/app.ts): the first plan of the gap analysis alone can take
    // longer than a request's database budget on this machine, for GraphQL and exports alike.
    await warmUp(test.executor, testConfig().database, namedStatements(), silentLogger);
    base = test.server.url;
  }, 240_000);
  afterAll(async () => {
    await test.close();
  }, 30_000);

  describe('recommendation-gaps.csv', () => {
    it(
      'has exactly the rows recommendationGaps returns, in its order, with its reasons and explanation',
      async () => {
        const cases: Array<Record<string, string | string[]>> = [
          { state: 'KAZ' },
          { state: 'KAZ', strictness: 'STRICT' },
          { state: 'KAZ', strictness: 'STRICT', articles: ['treaty:CRC:art:19', 'treaty:CRC:art:40'] },
        ];
        for (const variables of cases) {
          const query = new URLSearchParams();
          for (const [name, value] of Object.entries(variables)) {
            for (const item of Array.isArray(value) ? value : [value]) query.append(name, item);
          }
          const [csv, gaps] = await Promise.all([
            download(base, `/export/recommendation-gaps.csv?${query.toString()}`),
            allGaps(variables),
          ]);
          expect(gaps.length).toBeGreaterThan(0);
          expect(csv.records.map((row) => row['Recommendation Id'])).toEqual(gaps.map((gap) => gap.recommendation.id));
          expect(csv.records.map((row) => row['Gap Reasons']!.split('\n'))).toEqual(gaps.map((gap) => gap.reasons));
          expect(csv.records.map((row) => row['Gap Explanation'])).toEqual(gaps.map((gap) => gap.explanation));
        }
      },
      EXPORT_TIMEOUT_MS,
    );

    it(
      'is RFC 4180 in UTF-8 with a byte-order mark, named after the state, the corpus version and the time it was made',
      async () => {
        const about = await queryOk<{ about: { corpusVersion: string } }>(
          test.server.graphqlUrl,
          '{ about { corpusVersion } }',
        );
        const before = Date.now();
        const csv = await download(base, '/export/recommendation-gaps.csv?state=KAZ');
        expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
        expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
        // Records end with CRLF, including the last one.
        expect(csv.bytes.subarray(-2).toString('latin1')).toBe('\r\n');
        const disposition = csv.headers.get('content-disposition') ?? '';
        const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? '';
        expect(name).toMatch(
          new RegExp(
            `^recommendation-gaps_KAZ_corpus-${about.about.corpusVersion.slice(0, 12)}_\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\dZ\\.csv$`,
          ),
        );
        expect(csv.headers.get('x-corpus-version')).toBe(about.about.corpusVersion);
        const madeAt = Date.parse(csv.headers.get('x-exported-at') ?? '');
        expect(madeAt).toBeGreaterThanOrEqual(before - 1_000);
        expect(csv.columns.slice(0, 3)).toEqual(['Recommendation Id', 'Paragraph', 'Document Symbol']);
        // A multi-value cell (one value per line) stays one field.
        const corporal = csv.records.find((row) => row['Recommendation Id'] === 'rec:CRC/C/KAZ/CO/4:29');
        expect(corporal?.['Treaty Articles']?.split('\n')).toEqual(
          expect.arrayContaining(['CRC art. 19 [EDITORS_JUDGEMENT]']),
        );
      },
      EXPORT_TIMEOUT_MS,
    );

    it(
      'answers a bad filter with the same error as the GraphQL field, as JSON, before any CSV byte',
      async () => {
        const graphql = await postGraphQL(test.server.graphqlUrl, GAP_IDS, { state: 'KAZ', strictness: 'SOMETIMES' });
        const exported = await refusal(base, '/export/recommendation-gaps.csv?state=KAZ&strictness=SOMETIMES');
        expect(exported.status).toBe(400);
        expect(exported.contentType).toMatch(/^application\/json/);
        expect(graphql.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
        expect(exported.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
        expect(exported.body.errors?.[0]?.message).toBe(graphql.body.errors?.[0]?.message);
      },
      EXPORT_TIMEOUT_MS,
    );

    it(
      'answers an unknown state with NOT_FOUND (404), the code and message the GraphQL field gives',
      async () => {
        const graphql = await postGraphQL(test.server.graphqlUrl, GAP_IDS, { state: 'XXX' });
        const exported = await refusal(base, '/export/recommendation-gaps.csv?state=XXX');
        expect(graphql.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
        expect(exported.status).toBe(404);
        expect(exported.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
        expect(exported.body.errors?.[0]?.message).toBe(graphql.body.errors?.[0]?.message);
      },
      EXPORT_TIMEOUT_MS,
    );

    it(
      'refuses a token it does not accept with 401 and the same Bearer challenge /graphql sends',
      async () => {
        const response = await fetch(`${base}/export/recommendation-gaps.csv?state=KAZ`, {
          headers: { authorization: 'Bearer crg_000000000000000000000000_not-a-token' },
        });
        const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
        expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      },
      EXPORT_TIMEOUT_MS,
    );

    it(
      'refuses a parameter the field does not take, a missing state and an unknown export, naming them',
      async () => {
        const unknownParameter = await refusal(base, '/export/recommendation-gaps.csv?state=KAZ&strict=yes');
        expect(unknownParameter.status).toBe(400);
        expect(unknownParameter.body.errors?.[0]?.extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          argument: 'strict',
        });
        const noState = await refusal(base, '/export/recommendation-gaps.csv');
        expect(noState.status).toBe(400);
        expect(noState.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'state' });
        const unknown = await refusal(base, '/export/everything.csv?state=KAZ');
        expect(unknown.status).toBe(404);
        expect(unknown.body.errors?.[0]?.message).toContain('recommendation-gaps.csv');
      },
      EXPORT_TIMEOUT_MS,
    );
  });

  describe('recommendations.csv', () => {
    it(
      "lists every paragraph to the state with UHRI's columns, Cyrillic intact, and the gap status recommendationGaps gives",
      async () => {
        const [csv, gaps, total] = await Promise.all([
          download(base, '/export/recommendations.csv?state=KAZ'),
          allGaps({ state: 'KAZ' }),
          queryOk<{ state: { recommendations: { totalCount: number } } }>(
            test.server.graphqlUrl,
            '{ state(id: "KAZ") { recommendations(first: 1) { totalCount } } }',
          ),
        ]);
        expect(csv.columns.slice(0, 9)).toEqual([
          'Text',
          'Countries Concerned',
          'Reccomending Body',
          'Document Symbol',
          'Themes',
          'Affected Persons',
          'Sdgs',
          'Document Publication Date',
          'Type',
        ]);
        expect(csv.columns).toEqual(
          expect.arrayContaining(['Treaty Articles', 'Reiterates', 'Reiterated By', 'Gap Status', 'Gap Reasons']),
        );
        expect(csv.records).toHaveLength(total.state.recommendations.totalCount);
        // CRC/C/KAZ/CO/4 para. 65 is recorded only in the official Russian text.
        const para65 = csv.records.find((row) => row['Recommendation Id'] === 'rec:CRC/C/KAZ/CO/4:65');
        expect(para65?.['Text Language']).toBe('ru');
        expect(para65?.Text).toMatch(/^Комитет рекомендует государству-участнику/);
        expect(para65?.['Countries Concerned']).toBe('Kazakhstan');
        // Gap status: exactly the field's gaps are GAP, with its reasons.
        const gapIds = gaps.map((gap) => gap.recommendation.id).sort();
        expect(
          csv.records
            .filter((row) => row['Gap Status'] === 'GAP')
            .map((row) => row['Recommendation Id'])
            .sort(),
        ).toEqual(gapIds);
        expect(csv.records.filter((row) => row['Gap Status'] === 'NOT_A_GAP')).toHaveLength(5);
        // The corporal-punishment chain: the 2015 paragraph reiterates the 2007 one.
        const cp2015 = csv.records.find((row) => row['Recommendation Id'] === 'rec:CRC/C/KAZ/CO/4:29');
        expect(cp2015?.Reiterates).toContain('CRC/C/KAZ/CO/3, para. 37');
      },
      EXPORT_TIMEOUT_MS,
    );
  });

  describe('treaty-coverage.csv', () => {
    it(
      'has one row per article of treatyCoverage, with its open recommendations',
      async () => {
        const [csv, coverage] = await Promise.all([
          download(base, '/export/treaty-coverage.csv?state=KAZ&treaty=CRC'),
          queryOk<{ treatyCoverage: { rows: Array<{ article: { id: string }; openRecommendationCount: number }> } }>(
            test.server.graphqlUrl,
            '{ treatyCoverage(treaty: "CRC", state: "KAZ") { rows { article { id } openRecommendationCount } } }',
          ),
        ]);
        expect(csv.records.map((row) => row['Article Id'])).toEqual(
          coverage.treatyCoverage.rows.map((row) => row.article.id),
        );
        expect(csv.records.map((row) => Number(row['Open Recommendations']))).toEqual(
          coverage.treatyCoverage.rows.map((row) => row.openRecommendationCount),
        );
      },
      EXPORT_TIMEOUT_MS,
    );
  });

  describe('npm run export (the same export written to a file)', () => {
    it(
      'writes the file under the download name, and leaves no file when the export is refused',
      async () => {
        const directory = await mkdtemp(join(tmpdir(), 'crg-export-'));
        const apollo = createGraphQLServer(silentLogger);
        await apollo.start();
        try {
          const db = test.executor.forRequest('export-test');
          const request = {
            requestId: 'export-test',
            db,
            repositories: createRepositories(db),
            viewer: ANONYMOUS,
            logger: silentLogger,
          };
          const context = exportContext(apollo, request, test.executor, silentLogger, maskUnexpectedError);
          const written = await exportToFile('recommendation-gaps', { state: 'KAZ' }, context, { directory });
          const gaps = await allGaps({ state: 'KAZ' });
          expect(written.rows).toBe(gaps.length);
          expect(written.path).toMatch(/recommendation-gaps_KAZ_corpus-/);
          const rows = parse<Record<string, string>>(await readFile(written.path), { bom: true, columns: true });
          expect(rows.map((row) => row['Recommendation Id'])).toEqual(gaps.map((gap) => gap.recommendation.id));

          await expect(
            exportToFile('recommendation-gaps', { state: 'XXX' }, context, { directory }),
          ).rejects.toBeInstanceOf(ExportError);
          expect(await readdir(directory)).toEqual([written.path.split('/').pop()]);
        } finally {
          await apollo.stop();
          await rm(directory, { recursive: true, force: true });
        }
      },
      EXPORT_TIMEOUT_MS,
    );
  });
});
