import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { expect } from '@jest/globals';
import type { Driver } from 'neo4j-driver';
import { readCorpus, type Corpus } from '../../seed/corpus';
import { loadCorpus } from '../../seed/loader';
import { ensureSchema } from '../../seed/schema-statements';
import { CorpusLoadError } from '../../seed/write';
import { Executor } from '../../src/db/executor';
import { silentLogger } from '../../src/logger';
import { FollowUpRepository } from '../../src/modules/followup/repository';
import type { Viewer } from '../../src/modules/identity/viewer';
import { createUser } from '../../src/modules/identity/users';
import { openTestDriver, testConfig } from '../support/harness';

/**
 * Issue 10, item 5: reloading the corpus leaves follow-up records and their links intact, and a corpus that
 * would remove an entity they refer to is refused, naming it, before anything is written.
 */
const VALID = resolve(__dirname, '..', 'fixtures', 'corpus-valid');
const database = testConfig().database;
const REC_29 = 'rec:CRC/C/KAZ/CO/4:29';
const REC_38 = 'rec:CRC/C/KAZ/CO/4:38';
const BODY = 'body:KAZ:ministry-of-education';
const MECHANISM = 'mechanism:KAZ:support-centres';

let driver: Driver;
let executor: Executor;
let fixture: Corpus;
let editor: Viewer;
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

function followUp(viewer: Viewer = editor): FollowUpRepository {
  return new FollowUpRepository(executor.forRequest(`followup-corpus-${randomUUID()}`), viewer);
}

/** Every follow-up node and its relationships, as sorted JSON lines. */
async function followUpSnapshot(): Promise<string[]> {
  const rows = await run(
    `// followUpSnapshot
MATCH (n) WHERE n:FollowUp OR n:ChangeRecord
OPTIONAL MATCH (n)-[r]->(t)
RETURN labels(n) AS labels, properties(n) AS props, collect([type(r), t.id, properties(r)]) AS links`,
  );
  return rows
    .map((row) =>
      JSON.stringify({
        labels: [...(row.labels as string[])].sort(),
        props: Object.entries(row.props as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        links: (row.links as unknown[]).map((link) => JSON.stringify(link)).sort(),
      }),
    )
    .sort();
}

/** A copy of the fixture corpus without one entity, and without every entry that names it. */
function fixtureWithout(id: string, version: string): Corpus {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value))
      return value
        .filter(
          (item) =>
            !(item && typeof item === 'object' && Object.values(item as Record<string, unknown>).includes(id)) &&
            item !== id,
        )
        .map(strip);
    if (value && typeof value === 'object' && !(value instanceof Map))
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, strip(v)]));
    return value;
  };
  const copy = strip(structuredClone({ ...fixture, origins: undefined })) as Corpus;
  return { ...copy, origins: fixture.origins, version };
}

beforeAll(async () => {
  driver = openTestDriver();
  executor = new Executor(driver, { database, queryTimeoutMs: 30_000, logger: silentLogger });
  fixture = await readCorpus(VALID);
  await ensureSchema(driver, database);
  await removeFollowUp();
  await loadCorpus(driver, fixture, { database });
  const session = driver.session({ database });
  try {
    const created = await session.executeWrite((tx) =>
      createUser(tx, { name: 'Corpus test editor', organisation: 'Ministry of Justice', editorStates: ['KAZ'] }),
    );
    userIds.push(created.user.id);
    editor = { kind: 'USER', user: created.user };
  } finally {
    await session.close();
  }
}, 120_000);

afterAll(async () => {
  // Other integration tests share this database: remove what this file wrote, the fixture corpus included,
  // so the next file loads the corpus it needs.
  await removeFollowUp();
  await run('// removeTestUsers\nMATCH (u:User) WHERE u.id IN $ids DETACH DELETE u', { ids: userIds });
  await run('// removeFixtureCorpus\nMATCH (n) WHERE n:Entity OR n:CorpusMeta DETACH DELETE n');
  await driver.close();
});

describe('the corpus and follow-up records never harm each other', () => {
  it('reloading a changed corpus leaves every follow-up record, its links and its history as they were', async () => {
    const repository = followUp();
    const { measureId } = await repository.createMeasure({
      state: 'KAZ',
      title: 'Support centres in every region',
      status: 'IN_PROGRESS',
      visibility: 'PUBLIC',
      leadBody: BODY,
      recommendations: [REC_29, REC_38],
    });
    await repository.addProgressUpdate({
      id: measureId,
      expectedVersion: 1,
      date: '2026-06-30',
      text: 'Twelve of seventeen regions have a centre.',
      reportedStatus: 'COMPLETED',
      evidence: [{ source: 'source:fixture-news', locator: 'p. 2' }],
    });
    await followUp().linkResults({ id: measureId, expectedVersion: 2, ids: [MECHANISM], unlink: false });
    const before = await followUpSnapshot();
    expect(before.length).toBeGreaterThan(0);

    // A changed corpus: another summary for a linked recommendation, and another version.
    const changed: Corpus = {
      ...structuredClone({ ...fixture, origins: undefined }),
      origins: fixture.origins,
      version: 'fixture-changed-summary',
      recommendations: fixture.recommendations.map((rec) =>
        rec.id === REC_29 ? { ...rec, summary: 'A changed summary' } : rec,
      ),
    };
    await loadCorpus(driver, changed, { database });
    await loadCorpus(driver, fixture, { database });

    expect(await followUpSnapshot()).toEqual(before);
    const links = await followUp().links(measureId);
    expect(links).toEqual({
      leadBody: BODY,
      contributingBodies: [],
      recommendations: expect.arrayContaining([REC_29, REC_38]),
      results: [MECHANISM],
    });
    expect((await followUp().history(measureId)).map((change) => change.operation)).toEqual([
      'CREATE',
      'ADD_PROGRESS',
      'PROGRESS_ADDED',
      'LINK_RESULTS',
    ]);
  }, 120_000);

  it('refuses a corpus without a recommendation a measure answers, names it and the measure, and writes nothing', async () => {
    const { measureId } = await followUp().createMeasure({
      state: 'KAZ',
      title: 'Review of residential care',
      visibility: 'INTERNAL',
      recommendations: [REC_38],
    });
    const [metaBefore] = await run('// corpusVersion\nMATCH (m:CorpusMeta) RETURN m.version AS version');
    const followUpBefore = await followUpSnapshot();

    const without = fixtureWithout(REC_38, 'fixture-without-rec-38');
    expect(without.recommendations.map((rec) => rec.id)).not.toContain(REC_38);
    const load = loadCorpus(driver, without, { database });
    await expect(load).rejects.toThrow(CorpusLoadError);
    const message = await load.then(
      () => '',
      (error: unknown) => (error as Error).message,
    );
    expect(message).toContain(REC_38);
    expect(message).toContain(`${measureId} (ADDRESSES)`);

    // Nothing written: the recommendation, the corpus version and the follow-up records are as they were.
    expect(await run('// rec38\nMATCH (r:Recommendation {id: $id}) RETURN r.id AS id', { id: REC_38 })).toEqual([
      { id: REC_38 },
    ]);
    expect(await run('// corpusVersion\nMATCH (m:CorpusMeta) RETURN m.version AS version')).toEqual([metaBefore]);
    expect(await followUpSnapshot()).toEqual(followUpBefore);
  }, 120_000);

  it('names every removed entity that follow-up records refer to, each with its records', async () => {
    const { measureId } = await followUp().createMeasure({
      state: 'KAZ',
      title: 'Ministry-led follow-up',
      visibility: 'PUBLIC',
      leadBody: BODY,
      recommendations: [REC_38],
    });
    const withoutBoth = fixtureWithout(BODY, 'fixture-without-body-and-rec');
    const corpus = { ...withoutBoth, recommendations: withoutBoth.recommendations.filter((rec) => rec.id !== REC_38) };
    const message = await loadCorpus(driver, corpus, { database }).then(
      () => '',
      (error: unknown) => (error as Error).message,
    );
    expect(message).toContain(`${BODY} (Body) is referred to by`);
    expect(message).toContain(`${measureId} (LED_BY)`);
    expect(message).toContain(`${REC_38} (Recommendation) is referred to by`);
  }, 120_000);
});
