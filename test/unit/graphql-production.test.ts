/**
 * The server loads graphql-js in its production mode (src/graphql-production.ts, imported first by main.ts):
 * no constructor-name comparison on every failed type test, and NODE_ENV left as it was for Apollo Server
 * and Express.
 */
type InstanceOf = (value: unknown, constructor: new (...args: never[]) => unknown) => boolean;

/** An object that claims to be a GraphQLScalarType without being one (as one from a second copy of graphql). */
const impostor = { [Symbol.toStringTag]: 'GraphQLScalarType' };

function loadInstanceOf(first?: string): { instanceOf: InstanceOf; scalar: new (...args: never[]) => unknown } {
  let loaded: { instanceOf: InstanceOf; scalar: new (...args: never[]) => unknown } | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (first) require(first);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { instanceOf } = require('graphql/jsutils/instanceOf.js') as { instanceOf: InstanceOf };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { GraphQLScalarType } = require('graphql') as { GraphQLScalarType: new (...args: never[]) => unknown };
    loaded = { instanceOf, scalar: GraphQLScalarType };
  });
  return loaded!;
}

describe('graphql-js in production mode', () => {
  it('outside production (as the tests run it), a failed type test compares names and throws on a look-alike', () => {
    const { instanceOf, scalar } = loadInstanceOf();
    expect(() => instanceOf(impostor, scalar)).toThrow(/from another module or realm/);
  });

  it('after src/graphql-production, a failed type test is a plain instanceof, and NODE_ENV is unchanged', () => {
    const before = process.env.NODE_ENV;
    const { instanceOf, scalar } = loadInstanceOf('../../src/graphql-production');
    expect(instanceOf(impostor, scalar)).toBe(false);
    expect(process.env.NODE_ENV).toBe(before);
  });
});
