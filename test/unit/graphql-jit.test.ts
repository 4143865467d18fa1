import { ApolloServer } from '@apollo/server';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { GraphQLError, isObjectType, type GraphQLFieldResolver } from 'graphql';
import { jitExecution, jitGateway } from '../../src/graphql-jit';
import { resolvers } from '../../src/modules';
import { onceForField } from '../../src/modules/selection';
import { loadTypeDefs } from '../../src/schema';

/**
 * Operations run compiled (src/graphql-jit.ts) behind Apollo Server: an operation is compiled at its second
 * execution, and what a client gets (data, errors with their codes, the status of a bad variable) is what
 * graphql-js gives; the answers a resolver derives from its field (selection.ts `onceForField`) are never
 * carried from one execution of a compiled operation to another with other variables.
 */
const typeDefs = /* GraphQL */ `
  type Query {
    greeting(name: String!, times: Int = 1): String!
    broken: String
    plain: String
    item(id: ID!): Item
  }
  type Item {
    id: ID!
    label: String!
  }
`;

function server(options: { compileAtFirst?: boolean } = {}) {
  const seen: string[] = [];
  const item: GraphQLFieldResolver<unknown, unknown, { id: string }> = (_parent, { id }, _context, info) =>
    // What the resolver derives from its field once per execution, with the variables it was given.
    ({ id, label: onceForField(info, 'label', () => (seen.push(id), `item ${id}`)) });
  const schema = makeExecutableSchema({
    typeDefs,
    resolvers: {
      Query: {
        greeting: (_parent: unknown, { name, times }: { name: string; times: number }) => `hello ${name}`.repeat(times),
        broken: () => {
          throw new GraphQLError('It broke.', { extensions: { code: 'NOT_FOUND', argument: 'broken' } });
        },
        plain: () => {
          throw new Error('An unexpected failure.');
        },
        item,
      },
    },
  });
  const execution = jitExecution(schema, options);
  const apollo = new ApolloServer({
    gateway: jitGateway(schema, execution),
    stopOnTerminationSignals: false,
    // As the API's request log does (src/server.ts): it adds to each error's extensions.
    plugins: [
      {
        async requestDidStart() {
          return {
            async didEncounterErrors({ errors }) {
              for (const error of errors) error.extensions.requestId = 'r-1';
            },
          };
        },
      },
    ],
  });
  return { apollo, execution, seen, schema };
}

async function run(apollo: ApolloServer, query: string, variables?: Record<string, unknown>) {
  const response = await apollo.executeOperation({ query, ...(variables ? { variables } : {}) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return { status: response.http.status, ...response.body.singleResult };
}

describe('operations executed by graphql-jit', () => {
  it('runs an operation on graphql-js first, compiles it at its second execution, and answers the same', async () => {
    const { apollo, execution } = server();
    await apollo.start();
    const query = 'query G($name: String!) { greeting(name: $name, times: 2) }';
    const first = await run(apollo, query, { name: 'Ana' });
    expect(execution.compiledCount()).toBe(0);
    const second = await run(apollo, query, { name: 'Ana' });
    expect(execution.compiledCount()).toBe(1);
    expect(second).toEqual(first);
    expect(second.data).toEqual({ greeting: 'hello Anahello Ana' });
    await apollo.stop();
  });

  it('gives a bad variable the error graphql-js gives it: BAD_USER_INPUT, HTTP 400', async () => {
    const { apollo } = server({ compileAtFirst: true });
    await apollo.start();
    const query = 'query G($name: String!, $times: Int) { greeting(name: $name, times: $times) }';
    await run(apollo, query, { name: 'Ana', times: 1 });
    const bad = await run(apollo, query, { name: 'Ana', times: 'many' });
    expect(bad.status).toBe(400);
    expect(bad.data).toBeUndefined();
    expect(bad.errors?.[0]?.message).toMatch(/^Variable "\$times" got invalid value "many"; Int cannot represent/);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // A non-null variable with a default may be left out (graphql-jit alone refuses it).
    const defaulted = 'query D($name: String! = "Bo", $times: Int! = 2) { greeting(name: $name, times: $times) }';
    await run(apollo, defaulted, {});
    expect((await run(apollo, defaulted, {})).data).toEqual({ greeting: 'hello Bohello Bo' });
    const missing = await run(apollo, query, {});
    expect(missing.status).toBe(400);
    expect(missing.errors?.[0]?.message).toBe('Variable "$name" of required type "String!" was not provided.');
    await apollo.stop();
  });

  it('keeps a resolver’s error, its path and its code', async () => {
    const { apollo } = server({ compileAtFirst: true });
    await apollo.start();
    const answer = await run(apollo, '{ broken greeting(name: "x") }');
    expect(answer.data).toEqual({ broken: null, greeting: 'hello x' });
    expect(answer.errors).toEqual([
      {
        message: 'It broke.',
        locations: [{ line: 1, column: 3 }],
        path: ['broken'],
        extensions: { code: 'NOT_FOUND', argument: 'broken', requestId: 'r-1' },
      },
    ]);
    await apollo.stop();
  });

  it('gives an error thrown without extensions the extensions graphql-js gives it (plugins add to them)', async () => {
    const { apollo } = server({ compileAtFirst: true });
    await apollo.start();
    const answer = await run(apollo, '{ plain }');
    // Not a 500 with no data: the plugin's addition to the error's extensions did not throw.
    expect(answer.status).toBeUndefined();
    expect(answer.data).toEqual({ plain: null });
    expect(answer.errors?.[0]).toMatchObject({
      path: ['plain'],
      locations: [{ line: 1, column: 3 }],
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'r-1' },
    });
    await apollo.stop();
  });

  it('never carries what a field derived in one execution into an execution with other variables', async () => {
    const { apollo, seen } = server({ compileAtFirst: true });
    await apollo.start();
    const query = 'query I($id: ID!) { item(id: $id) { id label } }';
    expect((await run(apollo, query, { id: 'a' })).data).toEqual({ item: { id: 'a', label: 'item a' } });
    expect((await run(apollo, query, { id: 'b' })).data).toEqual({ item: { id: 'b', label: 'item b' } });
    // The same variables again: the answer derived for them is kept.
    expect((await run(apollo, query, { id: 'a' })).data).toEqual({ item: { id: 'a', label: 'item a' } });
    expect(seen).toEqual(['a', 'b']);
    await apollo.stop();
  });

  it('forgets the least recently used compiled operation beyond its cache size', async () => {
    const { schema } = server();
    const execution = jitExecution(schema, { compileAtFirst: true, cacheSize: 2 });
    const apollo = new ApolloServer({ gateway: jitGateway(schema, execution), stopOnTerminationSignals: false });
    await apollo.start();
    for (const name of ['a', 'b', 'c']) await run(apollo, `{ greeting(name: "${name}") }`);
    expect(execution.compiledCount()).toBe(2);
    await apollo.stop();
  });

  it('has a resolver for every connection’s totalCount (a connection holds its count as a function, which compiled code never calls by itself)', () => {
    const schema = makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers });
    const connections = Object.values(schema.getTypeMap()).filter(
      (type) => isObjectType(type) && type.name.endsWith('Connection') && 'totalCount' in type.getFields(),
    );
    expect(connections.length).toBeGreaterThan(10);
    const unresolved = connections.filter((type) => isObjectType(type) && !type.getFields().totalCount?.resolve);
    expect(unresolved.map((type) => type.name)).toEqual([]);
  });
});
