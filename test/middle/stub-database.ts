import type { RecordShape } from 'neo4j-driver';
import type { CypherReader, Database } from '../../src/db/database';
import { toGraphQLError } from '../../src/db/executor';
import { createLogger } from '../../src/logger';
import { createServer, type AppServer } from '../../src/server';

/** One statement as a repository sent it. */
export interface Statement {
  queryName: string;
  cypher: string;
  params: Record<string, unknown>;
}

/** Answers a statement with rows, or throws as the database would. */
export type Answer = (statement: Statement) => RecordShape[] | Promise<RecordShape[]>;

/**
 * A Database for `createServer` with no Neo4j behind it: every statement is recorded and answered by
 * `answer`. Only the middle tier uses it; what the database itself does is tested against a real Neo4j in
 * test/integration.
 */
export function stubDatabase(answer: Answer): Database & { statements: Statement[] } {
  const statements: Statement[] = [];
  return {
    statements,
    forRequest(requestId: string): CypherReader {
      const reader: CypherReader = {
        requestId,
        roundTrips: 0,
        async read<R extends RecordShape = RecordShape>(
          queryName: string,
          cypher: string,
          params: Record<string, unknown> = {},
        ): Promise<R[]> {
          reader.roundTrips += 1;
          const statement = { queryName, cypher, params };
          statements.push(statement);
          const rows: RecordShape[] = await answer(statement);
          return rows;
        },
        write() {
          return Promise.reject(new Error('The stub database is read-only: writes are tested against a real Neo4j.'));
        },
      };
      return reader;
    },
    async ping() {
      return { reachable: true, address: 'stub', version: 'stub', latencyMs: 0 };
    },
  };
}

/**
 * The error the Executor makes of a driver that cannot reach Neo4j (the driver's own error code), so the
 * middle tier sees exactly what a client would see when a batch fails.
 */
export function unavailable(queryName: string): unknown {
  return toGraphQLError(
    Object.assign(new Error('Could not perform discovery. No routing servers available.'), {
      code: 'ServiceUnavailable',
    }),
    queryName,
  );
}

/** A node as every statement returns it. */
export function node(label: string, props: Record<string, unknown>) {
  return { labels: ['Entity', label], props };
}

export const KAZ = node('State', {
  id: 'state:KAZ',
  iso3: 'KAZ',
  name: 'Kazakhstan',
  verification: 'VERIFIED_PRIMARY',
});
export const CRC = node('Treaty', {
  id: 'treaty:CRC',
  shortName: 'CRC',
  title: 'Convention on the Rights of the Child',
  verification: 'VERIFIED_PRIMARY',
});

export function recommendation(id: string, paragraph: number) {
  return node('Recommendation', {
    id,
    documentId: 'doc:CRC/C/KAZ/CO/4',
    documentSymbol: 'CRC/C/KAZ/CO/4',
    paragraph,
    kind: 'RECOMMENDATION',
    summary: `Paragraph ${paragraph}`,
    year: 2015,
    cycle: 'CO4',
    verification: 'SECONDARY_ONLY',
  });
}

export function mechanism(id: string) {
  return node('Mechanism', {
    id,
    stateId: 'state:KAZ',
    name: id,
    kind: 'SERVICE',
    status: 'OPERATIONAL',
    legalBasis: 'IDENTIFIED',
    verification: 'SECONDARY_ONLY',
  });
}

/** Rows of nodesById for the ids asked for, from a table of known nodes. */
export function nodesById(statement: Statement, known: ReadonlyArray<ReturnType<typeof node>>) {
  const ids = statement.params.ids;
  if (!Array.isArray(ids)) throw new Error('nodesById without ids');
  return known.filter((entry) => ids.includes(entry.props.id)).map((entry) => ({ id: entry.props.id, node: entry }));
}

/**
 * `ask(query)`: the API served over HTTP on a stub database answering with `answer`, one server per question,
 * every server stopped after each test; the answer's body and the statements the question sent.
 */
export function stubbedApi(answer: Answer) {
  const running: AppServer[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.stop()));
  });
  return async function ask(query: string) {
    const database = stubDatabase(answer);
    const server = await createServer(
      { host: '127.0.0.1', port: 0, execution: 'jit-first' },
      { executor: database, logger: createLogger('error', () => undefined) },
    );
    running.push(server);
    const response = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: unknown };
    return { body, statements: database.statements };
  };
}
