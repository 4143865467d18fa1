import {
  ConfigError,
  parseConfig,
  parseLocalNeo4jSettings,
  parseSeedConfig,
  parseTestConfig,
  parseUsersConfig,
} from '../../src/config';

describe('configuration from the environment', () => {
  it('uses the embedded local Neo4j when NEO4J_URI is unset', () => {
    const config = parseConfig({});
    expect(config.neo4j).toEqual({
      mode: 'embedded',
      boltPort: 7690,
      instanceName: 'default',
      heapSize: '512m',
      pageCacheSize: '128m',
    });
    expect(config.port).toBe(4000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.seedOnStart).toBe(true);
    expect(config.database).toBeUndefined();
  });

  it('connects to the given Neo4j, and does not seed it unless asked, when NEO4J_URI is set', () => {
    const config = parseConfig({
      NEO4J_URI: 'neo4j+s://abc.databases.neo4j.io',
      NEO4J_USER: 'reader',
      NEO4J_PASSWORD: 's3cret',
      NEO4J_DATABASE: 'childrights',
    });
    expect(config.neo4j).toEqual({
      mode: 'external',
      uri: 'neo4j+s://abc.databases.neo4j.io',
      user: 'reader',
      password: 's3cret',
    });
    expect(config.database).toBe('childrights');
    expect(config.seedOnStart).toBe(false);
    expect(parseConfig({ NEO4J_URI: 'bolt://localhost:7687', SEED_ON_START: 'yes' }).seedOnStart).toBe(true);
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      parseConfig({
        PORT: 'eighty',
        NEO4J_URI: 'http://localhost:7474',
        LOCAL_NEO4J_BOLT_PORT: '7690',
        LOG_LEVEL: 'loud',
        QUERY_TIMEOUT_MS: '5',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).toMatch(/PORT="eighty" must be a whole number/);
    expect(problems.join('\n')).toMatch(/NEO4J_URI="http:\/\/localhost:7474" must be a Bolt or routing URI/);
    expect(problems.join('\n')).toMatch(/LOCAL_NEO4J_BOLT_PORT applies only to the embedded Neo4j/);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL="loud"/);
    expect(problems.join('\n')).toMatch(/QUERY_TIMEOUT_MS="5" must be a whole number from 100/);
    expect((error as Error).message).toContain('Invalid configuration:');
  });

  it('rejects credentials without a URI, which would otherwise be silently ignored', () => {
    expect(() => parseConfig({ NEO4J_PASSWORD: 'x' })).toThrow(/NEO4J_PASSWORD is set but NEO4J_URI is not/);
  });

  it('validates memory sizes of the embedded Neo4j', () => {
    expect(parseConfig({ LOCAL_NEO4J_HEAP: '1G' }).neo4j).toMatchObject({ heapSize: '1g' });
    expect(() => parseConfig({ LOCAL_NEO4J_PAGECACHE: 'lots' })).toThrow(/LOCAL_NEO4J_PAGECACHE="lots" must be a size/);
  });
});

/** The problems a parse reports, or [] when it succeeds. */
function problemsOf(parse: () => unknown): string[] {
  try {
    parse();
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('every entry point reads the environment by the same rules', () => {
  it('npm run seed needs NEO4J_URI, and checks it, the database and the credentials as the API does', () => {
    expect(problemsOf(() => parseSeedConfig({}))).toEqual([
      expect.stringMatching(/^NEO4J_URI is not set: name the Neo4j to load into/),
    ]);
    expect(parseSeedConfig({ NEO4J_URI: 'bolt://127.0.0.1:7690' })).toEqual({
      neo4j: { mode: 'external', uri: 'bolt://127.0.0.1:7690', user: 'neo4j', password: '' },
      database: undefined,
    });
    const problems = problemsOf(() => parseSeedConfig({ NEO4J_URI: 'http://localhost:7474', NEO4J_DATABASE: 'x' }));
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/NEO4J_URI="http:\/\/localhost:7474" must be a Bolt or routing URI/);
    expect(problems.join('\n')).toMatch(/NEO4J_DATABASE="x" is not a valid Neo4j database name/);
    expect(problemsOf(() => parseSeedConfig({ NEO4J_PASSWORD: 'x' }))).toEqual([
      expect.stringMatching(/NEO4J_PASSWORD is set but NEO4J_URI is not/),
    ]);
  });

  it("the tests' own Neo4j ports default to 7691 and the next two, and a bad port is refused rather than read as NaN", () => {
    expect(parseTestConfig({})).toEqual({
      external: undefined,
      database: undefined,
      boltPort: 7691,
      instanceName: 'test',
      outageBoltPort: 7692,
      embeddedBoltPort: 7693,
    });
    expect(parseTestConfig({ TEST_NEO4J_BOLT_PORT: '7720' })).toMatchObject({
      boltPort: 7720,
      outageBoltPort: 7721,
      embeddedBoltPort: 7722,
    });
    const problems = problemsOf(() =>
      parseTestConfig({ TEST_NEO4J_BOLT_PORT: 'seventy', TEST_NEO4J_INSTANCE: 'My Tests' }),
    );
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/TEST_NEO4J_BOLT_PORT="seventy" must be a whole number from 1 to 65535/);
    expect(problems.join('\n')).toMatch(/TEST_NEO4J_INSTANCE="My Tests" must be lower-case letters/);
  });

  it('the local Neo4j CLI takes each flag, else the variable the API reads, and names whichever was wrong', () => {
    expect(parseLocalNeo4jSettings({})).toEqual({
      boltPort: 7690,
      instanceName: 'default',
      heapSize: '512m',
      pageCacheSize: '128m',
    });
    expect(
      parseLocalNeo4jSettings({ LOCAL_NEO4J_BOLT_PORT: '7725', LOCAL_NEO4J_HEAP: '1G' }, { port: '7800' }),
    ).toEqual({
      boltPort: 7800,
      instanceName: 'default',
      heapSize: '1g',
      pageCacheSize: '128m',
    });
    const problems = problemsOf(() => parseLocalNeo4jSettings({ LOCAL_NEO4J_PAGECACHE: 'lots' }, { port: '0x1f' }));
    expect(problems).toEqual([
      '--port="0x1f" must be a whole number from 1 to 65535',
      'LOCAL_NEO4J_PAGECACHE="lots" must be a size such as 512m or 1g',
    ]);
  });
});

describe('single sign-on settings', () => {
  it('are off unless AUTH_JWKS_URL is set', () => {
    expect(parseConfig({}).auth).toEqual({ jwt: null });
  });

  it('take the JWKS URL with the issuer and audience JWTs must carry, and the subject claim (sub by default)', () => {
    const env = {
      AUTH_JWKS_URL: 'https://sso.example.org/.well-known/jwks.json',
      AUTH_JWT_ISSUER: 'https://sso.example.org/',
      AUTH_JWT_AUDIENCE: 'child-rights-graph',
    };
    expect(parseConfig(env).auth.jwt).toEqual({
      jwksUrl: 'https://sso.example.org/.well-known/jwks.json',
      issuer: 'https://sso.example.org/',
      audience: 'child-rights-graph',
      subjectClaim: 'sub',
    });
    expect(parseConfig({ ...env, AUTH_JWT_SUBJECT_CLAIM: 'preferred_username' }).auth.jwt?.subjectClaim).toBe(
      'preferred_username',
    );
    expect(parseConfig({ ...env, AUTH_JWKS_URL: 'http://127.0.0.1:8080/jwks' }).auth.jwt?.jwksUrl).toBe(
      'http://127.0.0.1:8080/jwks',
    );
  });

  it('refuse a JWKS without issuer and audience, plain http to another host, and settings without a JWKS', () => {
    const problems = problemsOf(() => parseConfig({ AUTH_JWKS_URL: 'http://sso.example.org/jwks' })).join('\n');
    expect(problems).toMatch(/AUTH_JWKS_URL="http:\/\/sso.example.org\/jwks" must be an https:\/\/ URL/);
    expect(problems).toMatch(/AUTH_JWT_ISSUER is required with AUTH_JWKS_URL/);
    expect(problems).toMatch(/AUTH_JWT_AUDIENCE is required with AUTH_JWKS_URL/);
    expect(problemsOf(() => parseConfig({ AUTH_JWT_AUDIENCE: 'x' }))).toEqual([
      'AUTH_JWT_AUDIENCE is set but AUTH_JWKS_URL is not: set both or neither',
    ]);
    expect(
      problemsOf(() => parseConfig({ AUTH_JWKS_URL: 'not a url', AUTH_JWT_ISSUER: 'i', AUTH_JWT_AUDIENCE: 'a' })),
    ).toEqual(['AUTH_JWKS_URL="not a url" is not a URL']);
  });
});

describe('npm run users', () => {
  it('connects to NEO4J_URI, or else to the embedded default on LOCAL_NEO4J_BOLT_PORT', () => {
    expect(parseUsersConfig({ NEO4J_URI: 'bolt://db:7687', NEO4J_PASSWORD: 'pw' }).neo4j).toEqual({
      mode: 'external',
      uri: 'bolt://db:7687',
      user: 'neo4j',
      password: 'pw',
    });
    expect(parseUsersConfig({ LOCAL_NEO4J_BOLT_PORT: '7715' }).neo4j).toMatchObject({
      mode: 'embedded',
      boltPort: 7715,
    });
  });
});
