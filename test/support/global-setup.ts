import { resolve } from 'node:path';
import { parseTestConfig } from '../../src/config';
import { startLocalNeo4j, type LocalNeo4j } from '../../tools/local-neo4j/local-neo4j';

declare global {
  // The throw-away Neo4j of this test run, handed from global setup to global teardown.
  var __TEST_NEO4J__: LocalNeo4j | undefined;
}

/**
 * Integration tests run against a real Neo4j: the one NEO4J_URI names (its data will be replaced by the
 * test corpus: use a throw-away database), or else a local one started fresh for this run on its own
 * port and data folder, so that it can run beside `npm start`.
 */
export default async function globalSetup(): Promise<void> {
  // Read (and checked, every problem at once) before anything starts; the workers read it again.
  const config = parseTestConfig();
  if (config.external) {
    process.stdout.write(`\nintegration tests: using NEO4J_URI=${config.external.uri}\n`);
    return;
  }
  const local = await startLocalNeo4j({
    projectRoot: resolve(__dirname, '..', '..'),
    instanceName: config.instanceName,
    boltPort: config.boltPort,
    fresh: true,
    log: (line) => process.stdout.write(`[test neo4j] ${line}\n`),
  });
  globalThis.__TEST_NEO4J__ = local;
  // The workers inherit this environment: for them the throw-away Neo4j is simply NEO4J_URI.
  process.env.NEO4J_URI = local.uri;
}
