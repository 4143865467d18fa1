// Node 20 cannot load jest.config.ts without ts-node, hence JavaScript here.
/** tsconfig's isolatedModules makes ts-jest transpile only: `npm test` type-checks everything with tsc first. */
const transform = { '^.+\\.ts$': 'ts-jest' };

/** @type {import('jest').Config} */
module.exports = {
  // Integration tests share one Neo4j (Community has a single user database), so files run one at a time.
  maxWorkers: 1,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
    },
    {
      // No database: the Cypher each repository builds (snapshots), and the server in-process over a stub
      // database (pagination, error masking, failed batches).
      displayName: 'middle',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/middle/**/*.test.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/integration/**/*.int.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
