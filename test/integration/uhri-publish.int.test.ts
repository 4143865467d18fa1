/**
 * The UHRI import's one visible step (docs/model.md, "All or nothing: staging"): through the API's own
 * readers, a file is invisible until its publishing transaction commits and whole after it, and a file
 * whose publish would not fit Neo4j's transaction memory is refused before anything of it is visible.
 * The file is the Latvian fixture of real paragraphs (test/fixtures/uhri/README.md), a state the curated
 * corpus does not hold, so every answer about it comes from the import alone.
 */
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { expect } from '@jest/globals';
import { uhriSourceId } from '../../src/modules/uhri/graph-writer';
import { importUhriFile, UhriImportBusyError } from '../../src/modules/uhri/import-file';
import { UhriPublishTooLargeError } from '../../src/modules/uhri/publish-capacity';
import {
  ensureRealCorpus,
  postGraphQL,
  queryOk,
  startTestServer,
  testConfig,
  type TestServer,
} from '../support/harness';

const FIXTURE = join(__dirname, '..', 'fixtures', 'uhri', 'lva-uhri-export.csv');
const EXPORT_DATE = '2026-12-01';
const database = testConfig().database;
const PARAGRAPH = 'rec:CRC/C/LVA/CO/2:31';

/** What readers see of Latvia: by id, by state, the gap analysis, search, and the CSV export. */
const READERS = /* GraphQL */ `
  query PublishReaders($id: ID!) {
    node(id: $id) {
      id
    }
    state(id: "LVA") {
      id
      recommendations(first: 100) {
        totalCount
      }
      documents(first: 100) {
        totalCount
      }
    }
    search(text: "non-citizen children Roma", first: 20) {
      totalCount
    }
  }
`;

/** The gap analysis on its own: for a state the graph does not hold, it answers NOT_FOUND. */
const GAPS = /* GraphQL */ `
  query PublishGaps {
    recommendationGaps(state: "LVA", first: 100) {
      totalCount
      testedCount
    }
  }
`;

interface Seen {
  node: { id: string } | null;
  state: { id: string; recommendations: { totalCount: number }; documents: { totalCount: number } } | null;
  recommendationGaps: { totalCount: number; testedCount: number } | string;
  search: { totalCount: number };
  exportedRows: number;
}

let api: TestServer;

async function run(cypher: string, params: Record<string, unknown> = {}): Promise<number> {
  const session = api.driver.session({ database });
  try {
    return Number((await session.run(cypher, params)).records[0]?.get(0) ?? 0);
  } finally {
    await session.close();
  }
}

async function removeImported(): Promise<void> {
  const session = api.driver.session({ database });
  try {
    await session.run(`MATCH ()-[r]->() WHERE r.origin IN ['UHRI', 'INFERRED'] DELETE r`);
    await session.run(
      `MATCH (n) WHERE n.origin = 'UHRI' OR n:UhriStaged OR n:UhriPending OR n:UhriPublished DETACH DELETE n`,
    );
    await session.run('MATCH (s:Source {id: $id}) DETACH DELETE s', {
      id: uhriSourceId('lva-uhri-export.csv', EXPORT_DATE),
    });
  } finally {
    await session.close();
  }
}

async function seen(): Promise<Seen> {
  const data = await queryOk<Omit<Seen, 'exportedRows' | 'recommendationGaps'>>(api.server.graphqlUrl, READERS, {
    id: PARAGRAPH,
  });
  const gaps = await postGraphQL<{ recommendationGaps: { totalCount: number; testedCount: number } }>(
    api.server.graphqlUrl,
    GAPS,
  );
  const code = gaps.body.errors?.[0]?.extensions?.['code'];
  const recommendationGaps = gaps.body.data?.recommendationGaps ?? (typeof code === 'string' ? code : `${gaps.status}`);
  const response = await fetch(`${api.server.url}/export/recommendations.csv?state=LVA`);
  const exportedRows =
    response.status === 200
      ? parse<Record<string, string>>(Buffer.from(await response.arrayBuffer()), { bom: true, columns: true }).length
      : -response.status;
  return { ...data, recommendationGaps, exportedRows };
}

beforeAll(async () => {
  api = await startTestServer();
  await ensureRealCorpus(api.driver);
  await removeImported();
}, 300_000);

afterAll(async () => {
  await removeImported();
  await api.close();
}, 120_000);

describe('readers and the one publishing transaction', () => {
  test('see nothing of a file until it is published, and all of it after', async () => {
    const before = await seen();
    // The curated corpus has no Latvia: every reader answers "nothing" (the export: 400 for an unknown state, or no rows).
    expect(before.node).toBeNull();
    expect(before.state).toBeNull();
    expect(before.recommendationGaps).toBe('NOT_FOUND');

    let duringStaging: Seen | null = null;
    let staged = 0;
    const report = await importUhriFile(api.driver, FIXTURE, {
      exportDate: EXPORT_DATE,
      strict: true,
      ...(database ? { database } : {}),
      beforePublish: async () => {
        // Everything is written but the publish: the rows are in the graph, pending ...
        staged = await run('MATCH (r:UhriPending:Recommendation) RETURN count(r)');
        // ... and the readers answer as before.
        duringStaging = await seen();
      },
    });
    expect(report.committed).toBe(true);
    expect(staged).toBe(6);
    expect(duringStaging).toEqual(before);
    expect(report.publish).toMatchObject({ newRows: 6, keptRows: 0, fits: true });
    // What the publish changed: the marker, and the shared nodes the file brought (its Source, Latvia, its
    // two documents, its tags), not the rows.
    expect(report.publish.sharedNodes).toBeGreaterThanOrEqual(4);
    expect(report.publish.ms).not.toBeNull();

    const after = await seen();
    expect(after.node).toEqual({ id: PARAGRAPH });
    expect(after.state?.recommendations.totalCount).toBe(6);
    expect(after.state?.documents.totalCount).toBe(2);
    // The three RECOMMENDATION paragraphs, all gaps (second-state.int.test.ts has the reasoning).
    expect(after.recommendationGaps).toEqual({ totalCount: 3, testedCount: 3 });
    expect(after.search.totalCount).toBeGreaterThan(before.search.totalCount);
    expect(after.exportedRows).toBe(6);
    expect(await run('MATCH (n) WHERE n:UhriStaged OR n:UhriPending OR n:UhriPublished RETURN count(n)')).toBe(0);
  }, 300_000);

  test('a file whose publish would not fit is refused before anything of it is visible, naming the heap setting', async () => {
    await removeImported();
    const before = await seen();
    const nodesBefore = await run('MATCH (n) RETURN count(n)');
    // A budget smaller than the file's shared nodes: the importer must refuse while staging, not fail at the publish.
    const tiny = { limitBytes: 20_000, limitSource: 'a test limit of 20000 bytes', budgetBytes: 10_000 };
    let published = false;
    const attempt = importUhriFile(api.driver, FIXTURE, {
      exportDate: EXPORT_DATE,
      batchSize: 2,
      publishCapacity: tiny,
      ...(database ? { database } : {}),
      beforePublish: async () => {
        published = true;
      },
    });
    await expect(attempt).rejects.toThrow(UhriPublishTooLargeError);
    await expect(attempt).rejects.toThrow(/LOCAL_NEO4J_HEAP=1g .*server\.memory\.heap\.max_size/s);
    expect(published).toBe(false);
    expect(await seen()).toEqual(before);
    expect(await run('MATCH (n) WHERE n:UhriStaged OR n:UhriPending RETURN count(n)')).toBe(0);
    expect(await run('MATCH (n) RETURN count(n)')).toBe(nodesBefore);
  }, 300_000);

  test('a dry run says whether the publish would fit, and writes nothing', async () => {
    const nodesBefore = await run('MATCH (n) RETURN count(n)');
    const tiny = { limitBytes: 20_000, limitSource: 'a test limit of 20000 bytes', budgetBytes: 10_000 };
    const report = await importUhriFile(api.driver, FIXTURE, {
      exportDate: EXPORT_DATE,
      dryRun: true,
      publishCapacity: tiny,
      ...(database ? { database } : {}),
    });
    expect(report.publish).toMatchObject({ newRows: 6, keptRows: 0, fits: false, ms: null });
    const real = await importUhriFile(api.driver, FIXTURE, {
      exportDate: EXPORT_DATE,
      dryRun: true,
      ...(database ? { database } : {}),
    });
    expect(real.publish.fits).toBe(true);
    expect(real.publish.capacity?.limitSource).toMatch(/memory/);
    expect(await run('MATCH (n) RETURN count(n)')).toBe(nodesBefore);
  }, 300_000);

  test('one import at a time: a second one while the first stages is refused, naming the first; afterwards it runs', async () => {
    await removeImported();
    const options = { exportDate: EXPORT_DATE, ...(database ? { database } : {}) };
    let second: unknown = null;
    let pendingDuringSecond = 0;
    const first = await importUhriFile(api.driver, FIXTURE, {
      ...options,
      beforePublish: async () => {
        // The first import has staged its rows, pending; a second one must not start (it would delete them).
        second = await importUhriFile(api.driver, FIXTURE, options).catch((error: unknown) => error);
        pendingDuringSecond = await run('MATCH (r:UhriPending:Recommendation) RETURN count(r)');
      },
    });
    expect(second).toBeInstanceOf(UhriImportBusyError);
    expect((second as Error).message).toMatch(/another UHRI import is running .*lva-uhri-export\.csv/);
    expect(pendingDuringSecond).toBe(6);
    expect(first.committed).toBe(true);
    expect((await seen()).state?.recommendations.totalCount).toBe(6);
    // The first one's lock went with it (as it goes with a failed or killed import: its transaction ends).
    const again = await importUhriFile(api.driver, FIXTURE, options);
    expect({ committed: again.committed, unchanged: again.unchanged }).toEqual({ committed: true, unchanged: 6 });
  }, 300_000);
});

describe('the same rows from a later export', () => {
  const LATER = '2026-12-15';
  const sourcesOf = async (id: string): Promise<string[]> => {
    const data = await queryOk<{ node: { sources: { source: { id: string } }[] } | null }>(
      api.server.graphqlUrl,
      /* GraphQL */ `
        query RowSources($id: ID!) {
          node(id: $id) {
            ... on Recommendation {
              sources {
                source {
                  id
                }
              }
            }
          }
        }
      `,
      { id },
    );
    return (data.node?.sources ?? []).map((citation) => citation.source.id).sort();
  };
  const earlier = uhriSourceId('lva-uhri-export.csv', EXPORT_DATE);
  const later = uhriSourceId('lva-uhri-export.csv', LATER);
  // Room for the later export's Source and nothing else: a row rewritten in the publish would not fit.
  const tiny = { limitBytes: 20_000, limitSource: 'a test limit of 20000 bytes', budgetBytes: 10_000 };
  const options = { ...(database ? { database } : {}) };

  test('are unchanged and cite the later export too, with nothing rewritten; importing it again changes nothing', async () => {
    await removeImported();
    await importUhriFile(api.driver, FIXTURE, { ...options, exportDate: EXPORT_DATE });
    expect(await sourcesOf(PARAGRAPH)).toEqual([earlier]);
    const nodesBefore = await run('MATCH (n) RETURN count(n)');

    const dry = await importUhriFile(api.driver, FIXTURE, {
      ...options,
      exportDate: LATER,
      dryRun: true,
      publishCapacity: tiny,
    });
    expect({ new: dry.new, updated: dry.updated, unchanged: dry.unchanged, recited: dry.recited }).toEqual({
      new: 0,
      updated: 0,
      unchanged: 6,
      recited: 6,
    });
    expect(dry.publish).toMatchObject({ keptRows: 0, fits: true });
    expect(await sourcesOf(PARAGRAPH)).toEqual([earlier]);

    let duringStaging: string[] = [];
    const report = await importUhriFile(api.driver, FIXTURE, {
      ...options,
      exportDate: LATER,
      publishCapacity: tiny,
      beforePublish: async () => {
        // The citations are written, to a Source no reader sees yet.
        duringStaging = await sourcesOf(PARAGRAPH);
      },
    });
    expect(report.committed).toBe(true);
    expect({ unchanged: report.unchanged, recited: report.recited, updated: report.updated }).toEqual({
      unchanged: 6,
      recited: 6,
      updated: 0,
    });
    expect(report.publish).toMatchObject({ keptRows: 0, keptLinks: 0 });
    expect(duringStaging).toEqual([earlier]);
    expect(await sourcesOf(PARAGRAPH)).toEqual([earlier, later].sort());
    // One node more: the later export's Source. The rows, their texts and tags are the earlier ones.
    expect(await run('MATCH (n) RETURN count(n)')).toBe(nodesBefore + 1);
    expect((await seen()).state?.recommendations.totalCount).toBe(6);

    const again = await importUhriFile(api.driver, FIXTURE, { ...options, exportDate: LATER, publishCapacity: tiny });
    expect({ unchanged: again.unchanged, recited: again.recited }).toEqual({ unchanged: 6, recited: 0 });
    expect(await sourcesOf(PARAGRAPH)).toEqual([earlier, later].sort());
  }, 300_000);

  test('a later export that fails before its publish leaves no citation of it behind', async () => {
    await removeImported();
    await importUhriFile(api.driver, FIXTURE, { ...options, exportDate: EXPORT_DATE });
    const attempt = importUhriFile(api.driver, FIXTURE, {
      ...options,
      exportDate: LATER,
      beforePublish: async () => {
        expect(await run('MATCH ()-[c:SOURCED_FROM]->(:UhriStagedSource) RETURN count(c)')).toBe(6);
        throw new Error('stopped before the publish');
      },
    });
    await expect(attempt).rejects.toThrow('stopped before the publish');
    expect(await sourcesOf(PARAGRAPH)).toEqual([earlier]);
    expect(await run('MATCH ()-[c:SOURCED_FROM]->(:UhriStagedSource) RETURN count(c)')).toBe(0);
    expect(await run('MATCH (s) WHERE s.id = $id RETURN count(s)', { id: later })).toBe(0);
  }, 300_000);
});
