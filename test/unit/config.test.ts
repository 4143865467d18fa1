import { ConfigError, parseConfig } from '../../src/config';

describe('configuration from the environment', () => {
  it('uses the embedded local Neo4j when NEO4J_URI is unset', () => {
    const config = parseConfig({});
    expect(config.neo4j).toEqual({ mode: 'embedded', boltPort: 7690, instanceName: 'default', heapSize: '512m', pageCacheSize: '128m' });
    expect(config.port).toBe(4000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.seedOnStart).toBe(true);
    expect(config.database).toBeUndefined();
  });

  it('connects to the given Neo4j, and does not seed it unless asked, when NEO4J_URI is set', () => {
    const config = parseConfig({ NEO4J_URI: 'neo4j+s://abc.databases.neo4j.io', NEO4J_USER: 'reader', NEO4J_PASSWORD: 's3cret', NEO4J_DATABASE: 'childrights' });
    expect(config.neo4j).toEqual({ mode: 'external', uri: 'neo4j+s://abc.databases.neo4j.io', user: 'reader', password: 's3cret' });
    expect(config.database).toBe('childrights');
    expect(config.seedOnStart).toBe(false);
    expect(parseConfig({ NEO4J_URI: 'bolt://localhost:7687', SEED_ON_START: 'yes' }).seedOnStart).toBe(true);
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      parseConfig({ PORT: 'eighty', NEO4J_URI: 'http://localhost:7474', LOCAL_NEO4J_BOLT_PORT: '7690', LOG_LEVEL: 'loud', QUERY_TIMEOUT_MS: '5' });
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
