import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Driver } from 'neo4j-driver';
import { removeFollowUpData, writeBoardFixture, MEASURE } from '../fixtures/followup/board-fixture';
import { ensureRealCorpus, openTestDriver, testConfig } from '../support/harness';
import { createUser } from '../../src/modules/identity/users';
import { BackupError, exportFollowUp, parseBackup } from '../../src/modules/followup-board/backup';
import { runBackupCommand } from '../../tools/followup-backup/cli';

/*
 * npm run followup:export / followup:import against the test Neo4j holding the real corpus, with the board's
 * follow-up fixture (7 measures, 4 progress updates, 11 change records, the change sequence, 1 idempotency
 * key) and one user made by the identity module.
 */
describe('backing up follow-up records', () => {
  let driver: Driver;
  let dir: string;
  const lines: string[] = [];
  const io = () => ({ driver, database: testConfig().database, out: (line: string) => void lines.push(line) });
  const run = (command: string, ...args: string[]) => runBackupCommand(command, args, io());
  const file = (name: string) => join(dir, name);

  const followUpNodeCount = async () => {
    const session = driver.session();
    try {
      const result = await session.run(
        'MATCH (n) WHERE n:FollowUp OR n:User OR n:ChangeRecord OR n:ChangeSequence OR n:IdempotencyKey RETURN count(n) AS n',
      );
      return Number(result.records[0]?.get('n'));
    } finally {
      await session.close();
    }
  };

  beforeAll(async () => {
    driver = openTestDriver();
    dir = mkdtempSync(join(tmpdir(), 'followup-backup-'));
    await ensureRealCorpus(driver);
    await removeFollowUpData(driver);
    await writeBoardFixture(driver);
    const session = driver.session();
    try {
      await session.executeWrite((tx) =>
        createUser(tx, { name: 'Backup editor', organisation: 'Ministry', editorStates: ['KAZ'] }),
      );
    } finally {
      await session.close();
    }
    // The backup every test starts from (each restores it first, so none depends on another's order).
    expect(await run('export', file('first.json'))).toBe(0);
  }, 120_000);

  /** The graph as the backup describes it: the corpus, and exactly the backup's follow-up records. */
  const restore = async () => {
    await removeFollowUpData(driver);
    expect(await run('import', file('first.json'))).toBe(0);
  };

  afterAll(async () => {
    if (driver) {
      await removeFollowUpData(driver);
      await driver.close();
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('export → import into a graph with the corpus and no follow-up data → export gives the same file, byte for byte', async () => {
    const first = readFileSync(file('first.json'), 'utf8');
    const backup = parseBackup(first);
    expect(backup.counts).toEqual({
      User: 1,
      Measure: 7,
      ProgressUpdate: 4,
      // 7 measures created + 4 progress updates added.
      ChangeRecord: 11,
      ChangeSequence: 1,
      IdempotencyKey: 1,
      // ADDRESSES 8 (M1 answers two recommendations), LED_BY 5 (M5 and M6 have no lead), PRODUCED 1, ON_MEASURE 4.
      relationships: 18,
    });
    // Without --with-secrets, no token hash or salt leaves the graph.
    expect(first).not.toContain('tokenHash');
    expect(first).not.toContain('tokenSalt');

    await removeFollowUpData(driver);
    expect(await followUpNodeCount()).toBe(0);
    expect(await run('import', file('first.json'))).toBe(0);
    expect(await followUpNodeCount()).toBe(25);

    expect(await run('export', file('second.json'))).toBe(0);
    expect(readFileSync(file('second.json'), 'utf8')).toBe(first);
  }, 120_000);

  it('keeps integers integers: a restored version and change sequence are Neo4j integers, not floats', async () => {
    await restore();
    const session = driver.session();
    try {
      const result = await session.run(
        `MATCH (m:Measure {id: $id}), (s:ChangeSequence {name: 'followup'})
         RETURN valueType(m.version) AS version, valueType(s.value) AS sequence, m.version AS v`,
        { id: MEASURE.M1 },
      );
      expect(result.records[0]?.toObject()).toEqual({
        version: 'INTEGER NOT NULL',
        sequence: 'INTEGER NOT NULL',
        // Created at 1, plus its two progress updates.
        v: 3,
      });
    } finally {
      await session.close();
    }
  }, 60_000);

  it('refuses to import over existing follow-up data unless told, and changes nothing', async () => {
    await restore();
    const before = await followUpNodeCount();
    await expect(run('import', file('first.json'))).rejects.toThrow(/already holds follow-up data.*--replace/);
    expect(await followUpNodeCount()).toBe(before);
    // With --replace, the graph holds the backup's records and nothing else.
    expect(await run('import', file('first.json'), '--replace')).toBe(0);
    expect(await followUpNodeCount()).toBe(25);
    expect(await run('export', file('third.json'))).toBe(0);
    expect(readFileSync(file('third.json'), 'utf8')).toBe(readFileSync(file('first.json'), 'utf8'));
  }, 120_000);

  it('refuses a backup that refers to corpus entities the graph lacks, naming each, and writes nothing', async () => {
    const backup = parseBackup(readFileSync(file('first.json'), 'utf8'));
    const addresses = backup.relationships.filter((r) => r.type === 'ADDRESSES');
    addresses[0]!.to.id = 'rec:CRC/C/KAZ/CO/4:999';
    addresses[1]!.to.id = 'rec:CRC/C/KAZ/CO/4:998';
    writeFileSync(file('broken.json'), JSON.stringify(backup));
    await removeFollowUpData(driver);
    await expect(run('import', file('broken.json'))).rejects.toThrow(
      'lacks 2 corpus entities the follow-up records refer to: rec:CRC/C/KAZ/CO/4:998, rec:CRC/C/KAZ/CO/4:999',
    );
    expect(await followUpNodeCount()).toBe(0);
    expect(await run('import', file('first.json'))).toBe(0);
  }, 120_000);

  it('writes token hashes only with --with-secrets, and restores them', async () => {
    await restore();
    const session = driver.session();
    try {
      await session.executeWrite((tx) =>
        createUser(tx, { name: 'Second editor', organisation: 'NHRI', editorStates: ['KAZ'] }),
      );
    } finally {
      await session.close();
    }
    expect(await run('export', file('secrets.json'), '--with-secrets')).toBe(0);
    const withSecrets = parseBackup(readFileSync(file('secrets.json'), 'utf8'));
    expect(withSecrets.withSecrets).toBe(true);
    const users = withSecrets.nodes.filter((n) => n.kind === 'User');
    // The restored first user came from a backup without secrets, so it has none: a hash is never invented.
    expect(users.map((u) => typeof u.properties.tokenHash).sort()).toEqual(['string', 'undefined']);
    await removeFollowUpData(driver);
    expect(await run('import', file('secrets.json'))).toBe(0);
    expect(await run('export', file('secrets-again.json'), '--with-secrets')).toBe(0);
    expect(readFileSync(file('secrets-again.json'), 'utf8')).toBe(readFileSync(file('secrets.json'), 'utf8'));
  }, 60_000);

  it('refuses to export a value the format cannot restore as it was, naming the node and property', async () => {
    await restore();
    const session = driver.session();
    try {
      await session.run('MATCH (m:Measure {id: $id}) SET m.score = 1.5', { id: MEASURE.M2 });
      await expect(session.executeRead((tx) => exportFollowUp(tx, { withSecrets: false }))).rejects.toThrow(
        BackupError,
      );
      await expect(session.executeRead((tx) => exportFollowUp(tx, { withSecrets: false }))).rejects.toThrow(
        /score of type FLOAT/,
      );
    } finally {
      await session.run('MATCH (m:Measure {id: $id}) REMOVE m.score', { id: MEASURE.M2 });
      await session.close();
    }
  }, 60_000);

  it('refuses a file that is not a follow-up backup', () => {
    expect(() => parseBackup('{"format": "something else", "version": 1}')).toThrow(/not a follow-up backup/);
    expect(() => parseBackup('not json')).toThrow(/not JSON/);
  });
});
