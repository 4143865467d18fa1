import { createLogger } from '../../src/logger';
import { ensureRealCorpus, postGraphQL, startTestServer, type TestServer } from '../support/harness';

/** LOG_LEVEL=debug: each Cypher statement a request runs is one JSON line, as an operator would grep it. */
describe('with LOG_LEVEL=debug, the log shows every Cypher statement a request runs', () => {
  let test: TestServer;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    const logger = createLogger('debug', (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
    test = await startTestServer({ logger });
    // The corpus load (when another test left a different graph) is the slow part.
    await ensureRealCorpus(test.driver);
  }, 120_000);
  afterAll(async () => {
    await test.close();
  });

  it('names each statement, ties it to the request, times it and shows its parameters cut short', async () => {
    const text =
      'armed conflict children recruitment demobilisation rehabilitation reintegration of former child soldiers';
    const response = await postGraphQL(
      test.server.graphqlUrl,
      `query LongSearch($text: String!) { search(text: $text, first: 5) { totalCount edges { node { kind } } } }`,
      { text },
    );
    expect(response.body.errors).toBeUndefined();
    const requestId = response.headers.get('x-request-id');
    const statements = lines.filter((line) => line.message === 'cypher' && line.requestId === requestId);

    // Statements are named after the field they serve (src/modules/search/repository.ts); one statement
    // answers both the page and totalCount.
    expect(statements.map((line) => line.query)).toEqual(['Query.search']);
    for (const line of statements) {
      expect(line.level).toBe('debug');
      expect(typeof line.durationMs).toBe('number');
      expect(typeof line.rows).toBe('number');
      const params = line.params as Record<string, unknown>;
      // The Lucene query built from 104 characters of text is longer than the 80 the log keeps.
      expect(params.query).toMatch(/^.{80}… \(\d+ chars\)$/u);
    }
    const search = statements.find((line) => line.query === 'Query.search');
    expect((search?.params as Record<string, unknown>).limit).toBe(5 + 1);
    // The first search of a run plans its Cypher, which takes seconds on a busy machine.
  }, 30_000);
});
