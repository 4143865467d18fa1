/**
 * `npm run seed` (`npx tsx seed/seed.ts [dir]`): validates the corpus (default seed/data) and loads it
 * into the Neo4j named by NEO4J_URI (NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE optional), replacing the
 * corpus already there. Prints the counts per kind and the time taken. Exit codes: 1 when the corpus is
 * invalid or the load fails, 2 when the environment is incomplete or invalid (the rules of src/config.ts).
 */
import { resolve } from 'node:path';
import { configOrReport, parseSeedConfig } from '../src/config';
import { createDriver } from '../src/db/driver';
import { createLogger } from '../src/logger';
import { countCorpus, CorpusValidationError, DEFAULT_CORPUS_DIR, describeCounts, readCorpus } from './corpus';
import { NODE_LABELS, RELATIONSHIP_TYPES } from '../src/graph/vocabulary';
import { loadCorpus } from './loader';

async function main(): Promise<number> {
  const config = configOrReport(parseSeedConfig);
  if (config === null) return 2;
  const { uri, user, password } = config.neo4j;
  const database = config.database;
  const dir = process.argv[2] !== undefined ? resolve(process.argv[2]) : DEFAULT_CORPUS_DIR;

  let corpus;
  try {
    corpus = await readCorpus(dir);
  } catch (error) {
    if (error instanceof CorpusValidationError) {
      process.stderr.write(
        `corpus INVALID (${dir}): ${error.issues.length} problem(s); nothing was written\n${error.message}\n`,
      );
      return 1;
    }
    throw error;
  }
  process.stdout.write(`corpus OK: ${describeCounts(countCorpus(corpus))}\n`);

  // The API's rule: NEO4J_USER (default neo4j) and NEO4J_PASSWORD (default empty); a Neo4j with auth off accepts them too.
  const driver = createDriver(uri, { user, password }, { retryTimeMs: 30_000 }, createLogger('warn'));
  try {
    await driver.getServerInfo({ database }).catch((error: Error) => {
      throw new Error(`Cannot reach Neo4j at ${uri}: ${error.message}`);
    });
    const report = await loadCorpus(driver, corpus, { database, log: (line) => process.stdout.write(`  ${line}\n`) });
    process.stdout.write(
      `loaded corpus ${report.version} into ${uri}${database ? ` (database ${database})` : ''} in ${report.ms} ms\n`,
    );
    process.stdout.write(
      `nodes (${report.nodeCount}): ${NODE_LABELS.map((label) => `${label} ${report.nodes[label]}`).join(', ')}\n`,
    );
    process.stdout.write(
      `relationships (${report.relationshipCount}): ${RELATIONSHIP_TYPES.filter(
        (type) => report.relationships[type] > 0,
      )
        .map((type) => `${type} ${report.relationships[type]}`)
        .join(', ')}\n`,
    );
    return 0;
  } finally {
    await driver.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`seed failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
