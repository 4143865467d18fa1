import { createLogger, type Logger } from '../../src/logger';
import { createServer, type AppServer } from '../../src/server';
import {
  CRC,
  KAZ,
  node,
  nodesById,
  recommendation,
  stubDatabase,
  unavailable,
  type Answer,
  type Statement,
} from './stub-database';

/**
 * The whole server in-process (HTTP → Apollo → resolvers → repositories) over a stub database: how the
 * API pages, masks errors and reports a failed batch, without a Neo4j. The stub answers each statement by
 * its name; the integration tier checks the same behaviour against the real corpus.
 */

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

interface Running {
  server: AppServer;
  statements: ReturnType<typeof stubDatabase>['statements'];
  logs: string[];
}

const running: AppServer[] = [];

async function serve(answer: Answer): Promise<Running> {
  const logs: string[] = [];
  const logger: Logger = createLogger('info', (line) => logs.push(line));
  const database = stubDatabase(answer);
  const server = await createServer({ host: '127.0.0.1', port: 0 }, { executor: database, logger });
  running.push(server);
  return { server, statements: database.statements, logs };
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
});

async function post(
  server: AppServer,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ status: number; body: GraphQLBody }> {
  const response = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphQLBody;
  return { status: response.status, body };
}

function explain(query: string, answer: { status: number; body: GraphQLBody }): string {
  return `Query:\n${query}\nStatus: ${answer.status}\nBody: ${JSON.stringify(answer.body, null, 2)}`;
}

/** Fails with the query and the whole response when the condition does not hold. */
function check(condition: boolean, query: string, answer: { status: number; body: GraphQLBody }): void {
  if (!condition) throw new Error(`Unexpected response.\n${explain(query, answer)}`);
}

describe('pagination through the server', () => {
  const states = ['Albania', 'Belize', 'Chad', 'Denmark', 'Kazakhstan'].map((name) =>
    node('State', { id: `state:${name.slice(0, 3).toUpperCase()}`, iso3: name.slice(0, 3).toUpperCase(), name }),
  );
  const answer: Answer = ({ queryName, params }) => {
    if (queryName === 'Query.states') {
      const offset = Number(params.offset);
      const limit = Number(params.limit);
      return states.slice(offset, offset + limit).map((state) => ({ node: state.props }));
    }
    if (queryName === 'Query.states:count') return [{ total: states.length }];
    throw new Error(`unexpected statement ${queryName}`);
  };

  it('pages through a list with first and after, and counts only when totalCount is asked for', async () => {
    const { server, statements } = await serve(answer);
    const query = `query ($after: String) { states(first: 2, after: $after) { edges { cursor node { name } } pageInfo { hasNextPage endCursor } } }`;
    const pages: string[][] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 5; guard += 1) {
      const page = await post(server, query, { after });
      check(page.status === 200 && !page.body.errors, query, page);
      const connection = (page.body.data?.states ?? {}) as {
        edges: Array<{ node: { name: string } }>;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
      pages.push(connection.edges.map((edge) => edge.node.name));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(pages).toEqual([['Albania', 'Belize'], ['Chad', 'Denmark'], ['Kazakhstan']]);
    // Each page asks for one item more than it shows, to know whether there is a next page.
    expect(statements.map((s) => [s.queryName, s.params.offset, s.params.limit])).toEqual([
      ['Query.states', 0, 3],
      ['Query.states', 2, 3],
      ['Query.states', 4, 3],
    ]);

    const counted = await post(server, '{ states(first: 1) { totalCount } }');
    expect(counted.body).toEqual({ data: { states: { totalCount: 5 } } });
    expect(statements.some((s) => s.queryName === 'Query.states:count')).toBe(true);
  });

  it('refuses a cursor it did not issue, naming the argument, before any statement runs', async () => {
    const { server, statements } = await serve(answer);
    const query = '{ states(first: 2, after: "bm90LWEtY3Vyc29y") { edges { node { name } } } }';
    const refused = await post(server, query);
    // A field error: the operation ran, so HTTP 200 (GraphQL over HTTP; README, "HTTP status codes").
    check(refused.status === 200 && refused.body.data === null, query, refused);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'states(after:)' });
    expect(statements).toEqual([]);
  });

  it('refuses an explicit null page size now that the default lives in the schema', async () => {
    const { server } = await serve(answer);
    const query = '{ states(first: null) { edges { node { name } } } }';
    const refused = await post(server, query);
    check(refused.status === 400, query, refused);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('error masking', () => {
  it('masks an unexpected error: the client gets INTERNAL_SERVER_ERROR with the request id, the log gets the detail', async () => {
    const { server, logs } = await serve(() => {
      throw new Error('secret detail: password=hunter2');
    });
    const query = '{ state(id: "KAZ") { name } }';
    const answer = await post(server, query);
    const error = answer.body.errors?.[0];
    check(error?.extensions?.code === 'INTERNAL_SERVER_ERROR', query, answer);
    expect(JSON.stringify(answer.body)).not.toContain('hunter2');
    expect(error?.path).toEqual(['state']);
    const requestId = error?.extensions?.requestId;
    expect(typeof requestId).toBe('string');
    const logged = logs.map(
      (line) => JSON.parse(line) as { message: string; requestId?: string; error?: { message: string } },
    );
    expect(
      logged.find((line) => line.message === 'unexpected error' && line.requestId === requestId)?.error?.message,
    ).toContain('hunter2');
  });

  it('masks a row the model does not allow (a state without a name) instead of serving it half-decoded', async () => {
    const { server } = await serve((statement) =>
      statement.queryName === 'nodesById'
        ? nodesById(statement, [node('State', { id: 'state:KAZ', iso3: 'KAZ' })])
        : [],
    );
    const query = '{ state(id: "KAZ") { name } }';
    const answer = await post(server, query);
    check(answer.body.errors?.[0]?.extensions?.code === 'INTERNAL_SERVER_ERROR', query, answer);
    expect(answer.body.data).toEqual({ state: null });
  });

  it('lets the codes a client can act on through as they are, on a response that carries data (HTTP 200)', async () => {
    const { server } = await serve((statement) => {
      throw unavailable(statement.queryName);
    });
    const query = '{ state(id: "KAZ") { name } }';
    const answer = await post(server, query);
    // The operation ran and its field failed: HTTP 200 with the code in extensions (README, "HTTP status codes").
    check(answer.status === 200, query, answer);
    expect(answer.body.errors?.[0]).toMatchObject({
      message: 'The graph database is unavailable right now; try again shortly.',
      path: ['state'],
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    });
  });
});

describe('a failed batch is an error on the field, never a shorter list or a null that reads as "unknown id"', () => {
  const body = (id: string) =>
    node('Body', {
      id,
      stateId: 'state:KAZ',
      name: id,
      kind: 'AGENCY',
      level: 'NATIONAL',
      status: 'ACTIVE',
      verification: 'SECONDARY_ONLY',
    });
  const known = [KAZ, CRC, recommendation('rec:CO4:29', 29), body('body:KAZ:a'), body('body:KAZ:b')];
  /**
   * The gaps statement's row as the database returns it: the recommendation with the properties the
   * statement is asked for (its `recommendationProps` parameter), and the ids of the bodies it relates, which
   * the API then loads by id (relatedBodies; the related mechanisms are read by the statement itself).
   */
  const gapRow = (statement: Statement) => {
    const r = recommendation('rec:CO4:29', 29);
    const read = statement.params.recommendationProps as string[] | null;
    return {
      tested: 1,
      total: 1,
      page: [
        {
          r: read
            ? {
                labels: r.labels,
                props: null,
                values: read.map((name) => r.props[name] ?? null),
              }
            : { labels: r.labels, props: r.props, values: null },
          reasons: ['NO_ANSWER'],
          mechanisms: null,
          provisionIds: null,
          bodyIds: statement.params.withBodies ? ['body:KAZ:a', 'body:KAZ:b'] : null,
          answers: null,
        },
      ],
      // The state's mechanisms, read once beside the page (none selected here).
      mechanisms: [],
    };
  };

  /** The database answers the analysis, then fails the batch that loads the bodies it names. */
  const failingLookup = (): Answer => (statement) => {
    if (statement.queryName === 'recommendationGaps') return [gapRow(statement)];
    if (statement.queryName === 'nodesById') throw unavailable(statement.queryName);
    return [];
  };

  const gapsQuery =
    '{ recommendationGaps(state: "KAZ") { edges { node { recommendation { id } relatedBodies { id } } } } }';

  it('lists all the bodies a gap names when the database answers', async () => {
    const { server } = await serve((statement) =>
      statement.queryName === 'recommendationGaps'
        ? [gapRow(statement)]
        : statement.queryName === 'nodesById'
          ? nodesById(statement, known)
          : [],
    );
    const answer = await post(server, gapsQuery);
    check(answer.status === 200 && !answer.body.errors, gapsQuery, answer);
    expect(answer.body.data).toEqual({
      recommendationGaps: {
        edges: [
          {
            node: {
              recommendation: { id: 'rec:CO4:29' },
              relatedBodies: [{ id: 'body:KAZ:a' }, { id: 'body:KAZ:b' }],
            },
          },
        ],
      },
    });
  });

  it('reports the failed batch on the list field, with its path, instead of an empty list', async () => {
    const { server } = await serve(failingLookup());
    const answer = await post(server, gapsQuery);
    const error = answer.body.errors?.[0];
    check(error?.extensions?.code === 'SERVICE_UNAVAILABLE', gapsQuery, answer);
    expect(error?.path).toEqual(['recommendationGaps', 'edges', 0, 'node', 'relatedBodies']);
    // relatedBodies is non-null, so the gap's node is null: no list at all rather than a shorter one.
    expect(JSON.stringify(answer.body.data)).not.toContain('relatedBodies');
  });

  it('answers nodes(ids:) with null only for an id that does not exist', async () => {
    const { server } = await serve((statement) =>
      statement.queryName === 'nodesById' ? nodesById(statement, known) : [],
    );
    const query = '{ nodes(ids: ["state:KAZ", "state:NOPE", "treaty:CRC"]) { id } }';
    const answer = await post(server, query);
    check(answer.status === 200 && !answer.body.errors, query, answer);
    expect(answer.body.data).toEqual({ nodes: [{ id: 'state:KAZ' }, null, { id: 'treaty:CRC' }] });
  });

  it('reports a failed nodes(ids:) batch as an error on nodes, never as nulls', async () => {
    const { server } = await serve((statement) => {
      throw unavailable(statement.queryName);
    });
    const query = '{ nodes(ids: ["state:KAZ", "treaty:CRC"]) { id } }';
    const answer = await post(server, query);
    const error = answer.body.errors?.[0];
    check(error?.extensions?.code === 'SERVICE_UNAVAILABLE', query, answer);
    expect(error?.path).toEqual(['nodes']);
    expect(answer.body.data ?? null).toBeNull();
  });
});
