/**
 * Loads graphql-js in its production mode, whatever NODE_ENV says; imported first by main.ts (the server
 * process), never by the tests, which keep its development checks.
 *
 * graphql 16 decides once, when its `jsutils/instanceOf` module loads, from `process.env.NODE_ENV`: outside
 * production each `instanceOf(value, GraphQLObjectType)` that is false (most of the type tests execute makes
 * for every field: isLeafType, isListType, isNonNullType, isAbstractType ...) goes on to compare the
 * constructor names, to warn about two copies of graphql in one process. The server has one copy (the tests
 * run in development mode and would say otherwise), so those checks are spent for nothing on every field of
 * every answer. Setting NODE_ENV=production for the whole process would also change Apollo Server's defaults
 * (introspection, the landing page) and Express's: only graphql-js is loaded under it, and NODE_ENV is put
 * back at once.
 */
const before = process.env.NODE_ENV;
process.env.NODE_ENV = 'production';
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('graphql/jsutils/instanceOf.js');
} finally {
  if (before === undefined) delete process.env.NODE_ENV;
  else process.env.NODE_ENV = before;
}

export {};
