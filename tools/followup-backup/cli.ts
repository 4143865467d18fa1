/**
 * npm run followup:export -- [FILE] [--with-secrets]    (FILE defaults to followup-backup.json)
 * npm run followup:import -- FILE [--replace]
 *
 * Export and restore every follow-up record (src/modules/followup-board/backup.ts) against the Neo4j the
 * API uses: NEO4J_URI if set, else the embedded default's Bolt port (start the API or `npm run neo4j:start`
 * first). Export reads in one transaction; import writes in one transaction, or refuses and changes nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import neo4j, { type Driver } from 'neo4j-driver';
import { boltTarget, configOrReport, parseUsersConfig } from '../../src/config';
import { createDriver } from '../../src/db/driver';
import { createLogger } from '../../src/logger';
import {
  BackupError,
  exportFollowUp,
  importFollowUp,
  parseBackup,
  serializeBackup,
} from '../../src/modules/followup-board/backup';

const USAGE = `usage:
  npm run followup:export -- [FILE] [--with-secrets]
  npm run followup:import -- FILE [--replace]`;

/** Labels whose nodes relationships are matched to by id on import: an index makes those look-ups cheap. */
const ID_LABELS = ['User', 'Measure', 'ProgressUpdate', 'ChangeRecord'] as const;

/**
 * Makes sure each follow-up label's `id` is indexed (a uniqueness constraint made by its owner counts), so
 * that restoring 50,000 progress updates does not scan every measure for each. Schema changes cannot share
 * the import's transaction, so they are made before it; an index is never harmful to the data.
 */
async function ensureIdIndexes(driver: Driver, database: string | undefined): Promise<void> {
  const session = driver.session({ database });
  try {
    const result = await session.run(
      `SHOW INDEXES YIELD labelsOrTypes, properties, entityType WHERE entityType = 'NODE' RETURN labelsOrTypes, properties`,
    );
    const indexed = new Set(
      result.records
        .filter((r) => (r.get('properties') as string[] | null)?.[0] === 'id')
        .flatMap((r) => (r.get('labelsOrTypes') as string[] | null) ?? []),
    );
    for (const label of ID_LABELS) {
      if (!indexed.has(label)) {
        await session.run(
          `CREATE INDEX followup_backup_${label.toLowerCase()}_id IF NOT EXISTS FOR (n:${label}) ON (n.id)`,
        );
      }
    }
    await session.run('CALL db.awaitIndexes(300)');
  } finally {
    await session.close();
  }
}

export async function runBackupCommand(
  command: string | undefined,
  args: readonly string[],
  io: { driver: Driver; database: string | undefined; out: (line: string) => void },
): Promise<number> {
  if (command === 'export') {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { 'with-secrets': { type: 'boolean', default: false } },
    });
    const file = resolve(positionals[0] ?? 'followup-backup.json');
    const session = io.driver.session({ database: io.database, defaultAccessMode: neo4j.session.READ });
    try {
      const backup = await session.executeRead((tx) => exportFollowUp(tx, { withSecrets: values['with-secrets'] }));
      writeFileSync(file, serializeBackup(backup));
      io.out(
        `wrote ${file}: ${Object.entries(backup.counts)
          .map(([kind, n]) => `${n} ${kind}`)
          .join(', ')}${backup.withSecrets ? ' (with token hashes)' : ' (token hashes left out)'}`,
      );
    } finally {
      await session.close();
    }
    return 0;
  }
  if (command === 'import') {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { replace: { type: 'boolean', default: false } },
    });
    if (!positionals[0]) throw new BackupError(`followup:import needs the backup file\n${USAGE}`);
    const backup = parseBackup(readFileSync(resolve(positionals[0]), 'utf8'));
    await ensureIdIndexes(io.driver, io.database);
    const session = io.driver.session({ database: io.database });
    try {
      const result = await session.executeWrite((tx) => importFollowUp(tx, backup, { replace: values.replace }), {
        timeout: 10 * 60_000,
      });
      io.out(
        `imported ${result.nodes} nodes and ${result.relationships} relationships` +
          (result.replaced > 0 ? ` in place of ${result.replaced} follow-up nodes` : ''),
      );
      // A bulk restore leaves the planner's statistics describing the graph before it, and plans made from
      // them stay cached: the board, planned for a state without measures, took 14 s a request instead of
      // 0.3 s in bench/followup. Resample the indexes and clear the plan caches once the data is in.
      await session.run('CALL db.prepareForReplanning(300)');
      io.out('statistics resampled and query plans cleared');
    } finally {
      await session.close();
    }
    return 0;
  }
  throw new BackupError(`${command === undefined ? 'no command given' : `unknown command ${command}`}\n${USAGE}`);
}

async function main(argv: readonly string[]): Promise<number> {
  const config = configOrReport(parseUsersConfig);
  if (config === null) return 2;
  const { uri, auth } = boltTarget(config);
  const driver = createDriver(uri, auth, { retryTimeMs: 5_000 }, createLogger('error'));
  try {
    const [command, ...rest] = argv;
    return await runBackupCommand(command, rest, {
      driver,
      database: config.database,
      out: (line) => process.stdout.write(`${line}\n`),
    });
  } catch (error) {
    if (error instanceof BackupError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      process.stderr.write(`${(error as Error).message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await driver.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
