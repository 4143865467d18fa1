/**
 * The benchmark's peer: the Neo4j GraphQL Library on Apollo Server, as its manual's getting-started sets it
 * up (`Neo4jGraphQL({ typeDefs, driver })`, `getSchema()`, `startStandaloneServer`), over the same Neo4j.
 * Run as its own process by bench/peer/run.ts:
 *
 *   node --import tsx bench/peer/library-server.ts <bolt uri> <http port>
 *
 * It prints one line `listening <url>` when it serves.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { Neo4jGraphQL } from '@neo4j/graphql';
import neo4j from 'neo4j-driver';

export const LIBRARY_TYPE_DEFS = readFileSync(resolve(__dirname, 'library-type-defs.graphql'), 'utf8');

async function main(): Promise<void> {
  const [uri, port] = process.argv.slice(2);
  if (!uri || !port || !/^\d+$/.test(port)) {
    process.stderr.write('usage: library-server.ts <bolt uri> <http port>\n');
    process.exit(2);
  }
  const driver = neo4j.driver(uri, neo4j.auth.basic('neo4j', ''));
  const schema = await new Neo4jGraphQL({ typeDefs: LIBRARY_TYPE_DEFS, driver }).getSchema();
  const server = new ApolloServer({ schema });
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: Number(port) } });
  process.stdout.write(`listening ${url}\n`);
  const stop = () => {
    void server
      .stop()
      .then(() => driver.close())
      .then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `library server failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}
