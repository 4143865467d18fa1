import { serverAudits } from 'graphql-http';
import { GraphQLError, print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { Driver } from 'neo4j-driver';
import { Executor } from '../../src/db/executor';
import { silentLogger } from '../../src/logger';
import { LIMITS } from '../../src/limits';
import { toLuceneQuery } from '../../src/search-query';
import type { Logger } from '../../src/logger';
import {
  AllProvenanceDocument,
  FilteredDocument,
  NodeDocument,
  NodesDocument,
  NodesWithTypeDocument,
  PageDocument,
  ProvenanceDocument,
  RecommendationIdsDocument,
  RecommendationPageDocument,
  SearchDocument,
  type PageQuery,
  type RecommendationFilter,
  type SearchQuery,
} from '../../src/generated/client/graphql';
import {
  ensureRealCorpus,
  postGraphQL,
  startTestServer,
  type GraphQLResponse,
  type TestServer,
} from '../support/harness';

/**
 * The API as a client sees it (HTTP → resolvers → Neo4j) over the real corpus of seed/data: batching,
 * protective limits, error codes and masking, Relay lookups, pagination, filters and provenance. Facts
 * asserted here are facts of the corpus (Kazakhstan: 37 committee paragraphs in 4 cycles).
 */

const database = process.env.NEO4J_DATABASE;

/** A logger that keeps every line, so tests can read the request log (round trips) and the error log. */
interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown>;
}
function capturingLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      lines.push({ level, message, fields });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

interface Answer<T> extends GraphQLResponse<T> {
  query: string;
  variables: Record<string, unknown>;
  requestId: string;
  /** Cypher round trips the server made for this request, from its request log line (null when none was logged). */
  roundTrips: number | null;
}

type ResponseError = NonNullable<GraphQLResponse['body']['errors']>[number];

let test: TestServer;
const log = capturingLogger();

beforeAll(async () => {
  test = await startTestServer({ logger: log });
  await ensureRealCorpus(test.driver);
}, 180_000);

afterAll(async () => {
  await test?.close();
});

/**
 * An operation: a typed document generated from test/documents/*.graphql (the result type comes from the
 * schema), or a query string for what no document can hold (invalid or generated queries).
 */
type Operation<T, V> = string | TypedDocumentNode<T, V>;

/** Posts an operation and pairs the response with the request's log line. */
async function ask<T = Record<string, unknown>, V extends Record<string, unknown> = Record<string, unknown>>(
  operation: Operation<T, V>,
  variables?: V,
): Promise<Answer<T>> {
  const query = typeof operation === 'string' ? operation : print(operation);
  const response = await postGraphQL<T>(test.server.graphqlUrl, query, variables ?? {});
  const requestId = response.headers.get('x-request-id') ?? '';
  const line = log.lines.find((entry) => entry.message === 'graphql request' && entry.fields.requestId === requestId);
  const roundTrips = typeof line?.fields.roundTrips === 'number' ? line.fields.roundTrips : null;
  return { ...response, query, variables: variables ?? {}, requestId, roundTrips };
}

function describeAnswer(answer: Answer<unknown>): string {
  return `Query:\n${answer.query}\nVariables: ${JSON.stringify(answer.variables)}\nStatus: ${answer.status}\nBody: ${JSON.stringify(answer.body, null, 2)}`;
}

/** The data of a successful answer; otherwise fails with the query and the whole response. */
async function askOk<T = Record<string, unknown>, V extends Record<string, unknown> = Record<string, unknown>>(
  operation: Operation<T, V>,
  variables?: V,
): Promise<Answer<T> & { data: T }> {
  const answer = await ask(operation, variables);
  if (answer.status !== 200 || answer.body.errors?.length || !answer.body.data) {
    throw new Error(`Expected a successful GraphQL response.\n${describeAnswer(answer)}`);
  }
  return { ...answer, data: answer.body.data };
}

/** The one error of a failed answer, checked for HTTP status and code; otherwise fails with the whole response. */
function expectFailure(answer: Answer<unknown>, status: number, code: string): ResponseError {
  const errors = answer.body.errors ?? [];
  const error = errors[0];
  if (answer.status !== status || errors.length !== 1 || !error || error.extensions?.code !== code) {
    throw new Error(`Expected HTTP ${status} with one error of code ${code}.\n${describeAnswer(answer)}`);
  }
  return error;
}

async function cypher<R = Record<string, unknown>>(
  driver: Driver,
  statement: string,
  params: Record<string, unknown> = {},
): Promise<R[]> {
  const session = driver.session({ database });
  try {
    return (await session.run(statement, params)).records.map((record) => record.toObject() as R);
  } finally {
    await session.close();
  }
}

/** The order every recommendation list uses: newest document first, then symbol, paragraph, sub-paragraph, id. */
const RECOMMENDATION_ORDER = `coalesce(r.year, 0) DESC, coalesce(r.documentSymbol, ''), r.paragraph, coalesce(r.subParagraph, ''), r.id`;

type RecommendationIds = { recommendations: { edges: Array<{ node: { id: string } }> } };
const ids = (data: RecommendationIds) => data.recommendations.edges.map((edge) => edge.node.id);

describe('a page of recommendations costs as many Cypher round trips as one recommendation (no N+1)', () => {
  const CLONE_PREFIX = 'rec:TEST/N+1:';
  const CLONED = 'rec:CRC/C/KAZ/CO/4:29';
  const LINKS = ['ISSUED_IN', 'ADDRESSED_TO', 'CONCERNS', 'SOURCED_FROM'] as const;
  const removeClones = () =>
    cypher(test.driver, `MATCH (r:Recommendation) WHERE r.id STARTS WITH $prefix DETACH DELETE r`, {
      prefix: CLONE_PREFIX,
    });

  it('50 recommendations with their articles, documents and sources take the same round trips as 1', async () => {
    // The corpus has 37 recommendations; 13 throw-away copies of a real one (its links included) make 50.
    await removeClones();
    try {
      await cypher(
        test.driver,
        `MATCH (real:Recommendation {id: $cloned})
         UNWIND range(1, 13) AS n
         CREATE (copy:Entity:Recommendation)
         SET copy = real {.*, id: $prefix + toString(n)}`,
        { cloned: CLONED, prefix: CLONE_PREFIX },
      );
      for (const type of LINKS) {
        await cypher(
          test.driver,
          `MATCH (real:Recommendation {id: $cloned})-[link:${type}]->(target)
           MATCH (copy:Recommendation) WHERE copy.id STARTS WITH $prefix
           CREATE (copy)-[copied:${type}]->(target)
           SET copied = properties(link)`,
          { cloned: CLONED, prefix: CLONE_PREFIX },
        );
      }

      const one = await askOk(RecommendationPageDocument, { first: 1 });
      const fifty = await askOk(RecommendationPageDocument, { first: 50 });
      console.info(
        `Cypher round trips: 1 recommendation → ${one.roundTrips}, 50 recommendations → ${fifty.roundTrips}`,
      );

      const page = fifty.data.recommendations.edges.map((edge) => edge.node);
      expect(one.data.recommendations.edges).toHaveLength(1);
      expect(page).toHaveLength(50);
      expect(new Set(page.map((item) => item.id)).size).toBe(50);
      expect(page.filter((item) => item.id.startsWith(CLONE_PREFIX))).toHaveLength(13);
      // The whole selection was really resolved for every item, copies included.
      for (const item of page) {
        expect(item.document.id).toMatch(/^doc:/);
        expect(item.sources.length).toBeGreaterThan(0);
        expect(item.sources.every((citation) => citation.source.title.length > 0)).toBe(true);
      }
      const copy = page.find((item) => item.id === `${CLONE_PREFIX}1`);
      expect(copy?.document.id).toBe('doc:CRC/C/KAZ/CO/4');
      expect(copy?.articles.map((concern) => concern.article.id).sort()).toEqual([
        'treaty:CRC:art:19',
        'treaty:CRC:art:28',
      ]);
      expect(copy?.articles.every((concern) => concern.sources.length > 0)).toBe(true);

      expect(one.roundTrips).toEqual(expect.any(Number));
      expect(fifty.roundTrips).toBe(one.roundTrips);
      // The page; then, batched, the articles, the documents and the citations (which bring their
      // sources); then the sources the article links cite.
      expect(one.roundTrips).toBeLessThanOrEqual(5);
    } finally {
      await removeClones();
    }
  }, 30_000);
});

describe('protective limits answer with what was exceeded, never with a 500', () => {
  /** `{ treaty { protocolTo { … { id } } } }`, `depth` fields deep. */
  const nested = (depth: number) => {
    let selection = 'id';
    for (let level = 0; level < depth - 2; level += 1) selection = `protocolTo { ${selection} }`;
    return `{ treaty(id: "OPAC") { ${selection} } }`;
  };

  it('rejects a query one level deeper than the depth limit with 400, naming the limit and the depth found', async () => {
    await askOk(nested(LIMITS.maxDepth));

    const tooDeep = await ask(nested(LIMITS.maxDepth + 1));
    const error = expectFailure(tooDeep, 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(error.message).toBe(`Query depth limit of ${LIMITS.maxDepth} exceeded, found ${LIMITS.maxDepth + 1}.`);
    expect(tooDeep.roundTrips).toBe(0);
  });

  it('rejects a query over the cost limit with QUERY_TOO_COSTLY, saying the limit and by how much, before touching the database', async () => {
    // recommendations(first: 100) × edges × relatedByArticle(first: 100) × edges × (texts + articles):
    // 1 + 100 × (1 + 1 + (1 + 100 × (1 + 1 + (1 + 5 × 1) + (1 + 5 × (1 + 1))))) = 190301, plus the root
    // connection's two round trips (its page and its count) at LIMITS.roundTripCost each.
    const expectedCost = 190301 + 2 * LIMITS.roundTripCost;
    const costly = await ask(`{
      recommendations(first: 100) { edges { node {
        relatedByArticle(first: 100) { edges { node { texts { text } articles { article { id } } } } }
      } } }
    }`);
    const error = expectFailure(costly, 400, 'QUERY_TOO_COSTLY');
    expect(error.message).toContain(
      `Query cost ${expectedCost} exceeds the limit of ${LIMITS.maxCost} by ${expectedCost - LIMITS.maxCost}.`,
    );
    expect(error.extensions).toMatchObject({ cost: expectedCost, limit: LIMITS.maxCost });
    expect(costly.roundTrips).toBe(0);
  });

  it('rejects a page size above the cap of 100 with BAD_USER_INPUT naming the argument and the cap', async () => {
    // The schema promises pages of at most 100 to clients: the literal, not LIMITS, is the contract.
    await askOk(`{ recommendations(first: 100) { edges { node { id } } } }`);
    const tooLarge = await ask(`{ recommendations(first: 101) { edges { node { id } } } }`);
    const error = expectFailure(tooLarge, 400, 'BAD_USER_INPUT');
    expect(error.message).toBe(
      'recommendations(first:) must be between 0 and 100 (got 101); page through larger results with `after`.',
    );
    expect(error.extensions).toMatchObject({ argument: 'recommendations(first:)', limit: 100 });
  });

  it('refuses 500 aliased searches at once, fast, before a single Cypher round trip', async () => {
    const flood = `{ ${Array.from({ length: 500 }, (_, i) => `s${i}: search(text: "child") { __typename }`).join(' ')} }`;
    const started = performance.now();
    const answer = await ask(flood);
    const elapsedMs = performance.now() - started;
    // The document is longer than the token limit, so it is not even parsed in full.
    const error = expectFailure(answer, 400, 'GRAPHQL_PARSE_FAILED');
    expect(error.message).toContain(`The limit is ${LIMITS.maxTokens} tokens.`);
    expect(error.extensions?.limit).toBe(LIMITS.maxTokens);
    expect(answer.roundTrips).toBe(0);
    expect(elapsedMs).toBeLessThan(1_000);
  });

  it('refuses a request body over the size limit with 413 and a GraphQL error body naming the limit', async () => {
    const response = await fetch(test.server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        query: '{ about { nodeCount } }',
        variables: { padding: 'x'.repeat(LIMITS.maxBodyBytes) },
      }),
    });
    expect(response.status).toBe(413);
    const body = (await response.json()) as GraphQLResponse['body'];
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_REQUEST', limit: LIMITS.maxBodyBytes });
    expect(body.errors?.[0]?.message).toBe(
      `The request body is larger than the limit of ${LIMITS.maxBodyBytes} bytes.`,
    );
  });

  it('refuses more aliases than the limit, and more root fields than the cost limit pays for, with 400 and 0 round trips', async () => {
    const aliases = await ask(
      `{ treaty(id: "CRC") { ${Array.from({ length: LIMITS.maxAliases + 1 }, (_, i) => `t${i}: title`).join(' ')} } }`,
    );
    const aliasError = expectFailure(aliases, 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(aliasError.message).toBe(`Aliases limit of ${LIMITS.maxAliases} exceeded, found ${LIMITS.maxAliases + 1}.`);
    expect(aliasError.extensions?.limit).toBe(LIMITS.maxAliases);
    expect(aliases.roundTrips).toBe(0);

    // Each search of a full page costs its round trip and its 100 items: fewer fit in the cost limit than the
    // root-field limit allows.
    const searches = await ask(
      `{ ${Array.from({ length: LIMITS.maxRootFields }, (_, i) => `s${i}: search(text: "child", first: 100) { totalCount edges { node { score excerpt } } }`).join(' ')} }`,
    );
    const costError = expectFailure(searches, 400, 'QUERY_TOO_COSTLY');
    expect(costError.extensions?.limit).toBe(LIMITS.maxCost);
    expect(searches.roundTrips).toBe(0);
  });

  it("cuts a request's database work off at its time budget, and runs nothing once it is spent", async () => {
    // Through the API's own executor against the real Neo4j, as in the per-query timeout test above, with a
    // budget far shorter than the per-query limit.
    const executor = new Executor(test.driver, {
      database,
      queryTimeoutMs: 10_000,
      logger: silentLogger,
      requestDatabaseBudgetMs: 300,
    });
    const db = executor.forRequest('budget-test');
    const failure = await db
      .read('slowCount', '// slowCount\nUNWIND range(1, 100000000) AS x RETURN count(x) AS n')
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(GraphQLError);
    expect((failure as GraphQLError).extensions).toMatchObject({ code: 'QUERY_TIMEOUT', limit: 300 });
    expect((failure as GraphQLError).message).toBe(
      'The request used up its database time budget of 300 ms (at slowCount); ask for less in one request.',
    );
    expect(db.roundTrips).toBe(1);

    const next = await db.read('about', '// about\nRETURN 1 AS one').then(
      () => null,
      (error: unknown) => error,
    );
    expect((next as GraphQLError).extensions).toMatchObject({ code: 'QUERY_TIMEOUT', limit: 300 });
    expect(db.roundTrips).toBe(1);
  });

  describe('search text holding Lucene syntax', () => {
    const SEARCH = SearchDocument;
    type Hits = SearchQuery;
    const hitIds = (data: Hits) => data.search.edges.map((edge) => edge.node.entity.id);
    const PLAIN_HITS = [
      'rec:CRC/C/15/Add.213:39',
      'rec:CRC/C/KAZ/CO/3:36',
      'rec:CRC/C/KAZ/CO/3:37',
      'rec:CRC/C/KAZ/CO/4:28',
      'rec:CRC/C/KAZ/CO/4:29',
    ];

    /** What the same text finds when handed to the full-text indexes unescaped. */
    async function rawLuceneHits(text: string): Promise<string[]> {
      const rows = await cypher<{ id: string }>(
        test.driver,
        `CALL () {
           CALL db.index.fulltext.queryNodes('treatyArticleText', $text) YIELD node RETURN node.id AS id
           UNION
           CALL db.index.fulltext.queryNodes('provisionTextVersionText', $text) YIELD node
           MATCH (owner:Entity)-[:HAS_TEXT]->(node) RETURN owner.id AS id
           UNION
           CALL db.index.fulltext.queryNodes('recommendationTextVersionText', $text) YIELD node
           MATCH (owner:Entity)-[:HAS_TEXT]->(node) RETURN owner.id AS id
         }
         RETURN DISTINCT id`,
        { text },
      );
      return rows.map((row) => row.id);
    }

    it('finds the five corporal punishment paragraphs for plain words', async () => {
      const plain = await askOk(SEARCH, { text: 'corporal punishment' });
      expect([...hitIds(plain.data)].sort()).toEqual(PLAIN_HITS);
      expect(plain.data.search.totalCount).toBe(5);
    });

    it('treats quotes, wildcards, grouping, fuzziness and boosts around the words as nothing: the same hits', async () => {
      const plain = await askOk(SEARCH, { text: 'corporal punishment' });
      const decorated = await askOk(SEARCH, { text: '"corporal"* && (punishment)~ || \\ / ! ^ - ' });
      expect(hitIds(decorated.data)).toEqual(hitIds(plain.data));
    });

    it('does not let `corporal* OR punishment^9` widen the search, as it would in raw Lucene', async () => {
      const text = 'corporal* OR punishment^9';
      // Unescaped, OR makes either word enough and the treaty articles on punishment come in too.
      const raw = await rawLuceneHits(text);
      expect(raw.length).toBeGreaterThan(PLAIN_HITS.length);

      const escaped = await askOk(SEARCH, { text });
      // The operator word and the boost are dropped (see the search field's contract): exactly the plain words' hits.
      expect([...hitIds(escaped.data)].sort()).toEqual(PLAIN_HITS);
      expect(escaped.data.search.totalCount).toBe(PLAIN_HITS.length);
    });

    it('answers text full of Lucene operators with a bounded answer or a clear BAD_USER_INPUT, never an error from Lucene', async () => {
      const answer = await ask(SEARCH, { text: '"corporal" AND punishment~2 OR title:* [a TO z] \\ / ( ) { } ^ ! -' });
      if (answer.body.errors) {
        // A field error: the operation ran, so HTTP 200 (see "HTTP status codes" in the README).
        expect(expectFailure(answer, 200, 'BAD_USER_INPUT').extensions?.argument).toBe('search(text:)');
      } else {
        if (answer.status !== 200 || answer.body.errors || !answer.body.data)
          throw new Error(`Expected a bounded answer.\n${describeAnswer(answer)}`);
        const found = hitIds(answer.body.data);
        expect(found.length).toBeLessThanOrEqual(100);
        for (const id of found) expect(PLAIN_HITS).toContain(id);
      }
    });

    it('rejects text of operators only with BAD_USER_INPUT', async () => {
      const answer = await ask(SEARCH, { text: '*** ~~ ""' });
      // A field error: the operation ran, so HTTP 200 (see "HTTP status codes" in the README).
      const error = expectFailure(answer, 200, 'BAD_USER_INPUT');
      expect(error.extensions?.argument).toBe('search(text:)');
      expect(error.message).toMatch(/no words/);
    });
  });
});

describe('errors reach the client with a code it can act on', () => {
  it('masks an unexpected error as INTERNAL_SERVER_ERROR with the request id, and logs it in full', async () => {
    // A recommendation the loader would never write: addressed to no state.
    const broken = 'rec:TEST/masked:1';
    await cypher(
      test.driver,
      `MERGE (r:Entity:Recommendation {id: $id}) SET r.paragraph = 1, r.kind = 'RECOMMENDATION', r.verification = 'UNVERIFIED'`,
      {
        id: broken,
      },
    );
    try {
      const answer = await ask<{ recommendation: null }>(
        `query Masked($id: ID!) { recommendation(id: $id) { id addressedTo { id } } }`,
        { id: broken },
      );
      const error = expectFailure(answer, 200, 'INTERNAL_SERVER_ERROR');
      expect(answer.body.data).toEqual({ recommendation: null });
      expect(error.path).toEqual(['recommendation', 'addressedTo']);
      expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: answer.requestId });
      expect(error.message).not.toMatch(/ADDRESSED_TO|rec:TEST/);

      const logged = log.lines.find(
        (line) => line.message === 'unexpected error' && line.fields.requestId === answer.requestId,
      );
      expect(logged?.level).toBe('error');
      expect(logged?.fields.path).toEqual(['recommendation', 'addressedTo']);
      const cause = logged?.fields.error;
      expect(cause).toBeInstanceOf(Error);
      expect((cause as Error).message).toBe(`${broken} has no ADDRESSED_TO link`);
      expect((cause as Error).stack).toContain('un-documents');
    } finally {
      await cypher(test.driver, `MATCH (r:Recommendation {id: $id}) DETACH DELETE r`, { id: broken });
    }
  });

  it('answers a Cypher transaction that runs over the per-query time limit with QUERY_TIMEOUT (504), not a 500', async () => {
    // Through the API's own executor against the real Neo4j, with a query that cannot finish within the
    // limit (counting a hundred million rows), so the real driver error is what gets mapped. (A query of
    // the API on this small corpus can finish within any limit short enough to test, so it would be flaky.)
    const executor = new Executor(test.driver, {
      database: process.env.NEO4J_DATABASE,
      queryTimeoutMs: 50,
      logger: silentLogger,
    });
    const slowCount = () =>
      executor
        .run('slowCount', '// slowCount\nUNWIND range(1, 100000000) AS x RETURN count(x) AS n', {}, 'timeout-test')
        .then(
          () => null,
          (error: unknown) => error,
        );
    // Its first run since the executor started: the database may be catching up (cold caches), so the
    // message does not blame the query and says to retry (issue 9).
    const first = await slowCount();
    expect(first).toBeInstanceOf(GraphQLError);
    expect((first as GraphQLError).extensions.code).toBe('QUERY_TIMEOUT');
    expect((first as GraphQLError).extensions.cause).toBe('DATABASE_CATCHING_UP');
    expect((first as GraphQLError).message).toMatch(/busy catching up .*slowCount.*try again shortly/);
    // Run again, it is the query that is too slow.
    const failure = await slowCount();
    expect(failure).toBeInstanceOf(GraphQLError);
    const error = failure as GraphQLError;
    expect(error.extensions.code).toBe('QUERY_TIMEOUT');
    expect(error.extensions.http).toEqual({ status: 504 });
    expect(error.message).toBe(
      'The query took longer than the per-query time limit (slowCount); narrow it or ask for fewer items.',
    );
  });

  it('answers a treaty that does not exist with NOT_FOUND naming the argument', async () => {
    const answer = await ask(`{ treatyCoverage(treaty: "NOPE", state: "KAZ") { summary { articleCount } } }`);
    // The code says NOT_FOUND; the operation ran, so HTTP 200 (see "HTTP status codes" in the README).
    const error = expectFailure(answer, 200, 'NOT_FOUND');
    expect(error.message).toBe('No treaty with id "treaty:NOPE" (argument treatyCoverage(treaty:)).');
    expect(error.extensions?.argument).toBe('treatyCoverage(treaty:)');
  });

  it('answers a cursor the API did not issue with BAD_USER_INPUT', async () => {
    const answer = await ask(`{ recommendations(first: 5, after: "garbage") { edges { node { id } } } }`);
    const error = expectFailure(answer, 200, 'BAD_USER_INPUT');
    expect(error.extensions?.argument).toBe('recommendations(after:)');
  });
});

describe('Relay lookups by id', () => {
  const ONE_OF_EACH: Array<[string, string]> = [
    ['treaty:CRC', 'Treaty'],
    ['treaty:CRC:art:19', 'TreatyArticle'],
    ['state:KAZ', 'State'],
    ['action:KAZ:CRC:ratification', 'TreatyAction'],
    ['legal:KAZ:law:345-II', 'LegalInstrument'],
    ['legal:KAZ:law:345-II:art:10', 'Provision'],
    ['body:KAZ:childrens-rights-commissioner', 'Body'],
    ['mechanism:KAZ:support-centres', 'Mechanism'],
    ['doc:CRC/C/KAZ/CO/4', 'Document'],
    ['rec:CRC/C/KAZ/CO/4:29', 'Recommendation'],
    ['stat:KAZ:bullying-2023', 'Statistic'],
    ['finding:KAZ:article-10-declarative', 'Finding'],
    ['source:un-crc-c-kaz-co-4', 'Source'],
    ['theme:corporal-punishment', 'Theme'],
  ];
  const NODE = NodeDocument;

  it.each(ONE_OF_EACH)('node(id: %s) is a %s', async (id, typename) => {
    const { data } = await askOk(NODE, { id });
    expect(data.node).toEqual({ __typename: typename, id });
  });

  it('gives null for the id of a text version or a claim, which are not entities', async () => {
    for (const id of ['rec:CRC/C/KAZ/CO/4:29#text:en', 'action:KAZ:CRC:ratification#claim:date:1']) {
      const [stored] = await cypher<{ found: boolean }>(test.driver, `RETURN EXISTS { MATCH (n {id: $id}) } AS found`, {
        id,
      });
      expect(stored?.found).toBe(true);
      const { data } = await askOk(NODE, { id });
      expect(data.node).toBeNull();
    }
  });

  it('keeps the order of nodes(ids:), repeats included, with null for unknown ids', async () => {
    const asked = [
      'theme:corporal-punishment',
      'nope:1',
      'treaty:CRC:art:19',
      'rec:CRC/C/KAZ/CO/4:29#text:en',
      'theme:corporal-punishment',
      'state:KAZ',
    ];
    const { data } = await askOk(NodesWithTypeDocument, { ids: asked });
    expect(data.nodes).toEqual([
      { __typename: 'Theme', id: 'theme:corporal-punishment' },
      null,
      { __typename: 'TreatyArticle', id: 'treaty:CRC:art:19' },
      null,
      { __typename: 'Theme', id: 'theme:corporal-punishment' },
      { __typename: 'State', id: 'state:KAZ' },
    ]);
  });

  it('takes 100 ids and rejects 101 with BAD_USER_INPUT', async () => {
    const articleIds = (count: number) => Array.from({ length: count }, (_, index) => `treaty:CRC:art:${index + 1}`);
    const NODES = NodesDocument;
    const hundred = await askOk(NODES, { ids: articleIds(100) });
    expect(hundred.data.nodes).toHaveLength(100);

    const answer = await ask(NODES, { ids: articleIds(101) });
    const error = expectFailure(answer, 400, 'BAD_USER_INPUT');
    expect(error.message).toBe('nodes(ids:) holds 101 ids; the limit is 100.');
    expect(error.extensions?.argument).toBe('nodes(ids:)');
    expect(answer.roundTrips).toBe(0);
  });
});

describe('cursor pagination of recommendations', () => {
  type Page = PageQuery;
  const PAGE = PageDocument;

  it('walks page by page through every recommendation once, in the order of one big page', async () => {
    const all = ids((await askOk(RecommendationIdsDocument)).data);
    expect(all).toHaveLength(37);

    const visited: string[] = [];
    const totals = new Set<number>();
    let after: string | null = null;
    let last: Page['recommendations']['pageInfo'] | undefined;
    for (let pages = 0; pages < 20; pages += 1) {
      const { data }: { data: Page } = await askOk(PAGE, { after });
      visited.push(...ids(data));
      totals.add(data.recommendations.totalCount);
      last = data.recommendations.pageInfo;
      if (!last.hasNextPage) break;
      expect(data.recommendations.edges).toHaveLength(5);
      after = last.endCursor;
    }

    expect(visited).toEqual(all);
    expect([...totals]).toEqual([visited.length]);
    expect(last?.hasNextPage).toBe(false);
    expect(visited).toHaveLength(37);
  });

  it('counts the total only when the query selects totalCount', async () => {
    const without = await askOk(`{ recommendations(first: 5) { edges { node { id } } } }`);
    const withTotal = await askOk(`{ recommendations(first: 5) { totalCount edges { node { id } } } }`);
    expect(without.roundTrips).toBe(1);
    expect(withTotal.roundTrips).toBe(2);
  });
});

describe('search pages', () => {
  type Hits = {
    search: {
      totalCount: number;
      edges: Array<{ node: { entity: { id: string } } }>;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };
  const PAGE = `query ($after: String) {
    search(text: "child", first: 3, after: $after) {
      totalCount edges { node { entity { ... on Recommendation { id } ... on Provision { id } ... on TreatyArticle { id } } } }
      pageInfo { hasNextPage endCursor }
    }
  }`;
  const hitIds = (data: Hits) => data.search.edges.map((edge) => edge.node.entity.id);

  it('walks page by page through every hit once, best score first and then by id, with one total', async () => {
    // Each entity's best score over its texts, ordered by score and then id, straight from the indexes.
    const expected = (
      await cypher<{ id: string }>(
        test.driver,
        `CALL () {
           CALL db.index.fulltext.queryNodes('treatyArticleText', $query) YIELD node, score RETURN node.id AS id, score
           UNION ALL
           CALL db.index.fulltext.queryNodes('provisionTextVersionText', $query) YIELD node, score
           MATCH (owner:Entity)-[:HAS_TEXT]->(node) RETURN owner.id AS id, score
           UNION ALL
           CALL db.index.fulltext.queryNodes('recommendationTextVersionText', $query) YIELD node, score
           MATCH (owner:Entity)-[:HAS_TEXT]->(node) RETURN owner.id AS id, score
         }
         WITH id, max(score) AS best
         RETURN id ORDER BY best DESC, id`,
        { query: toLuceneQuery('child').query },
      )
    ).map((row) => row.id);
    expect(expected.length).toBeGreaterThan(6);

    const visited: string[] = [];
    const totals = new Set<number>();
    let after: string | null = null;
    for (let pages = 0; pages < 100; pages += 1) {
      const { data }: { data: Hits } = await askOk<Hits>(PAGE, { after });
      visited.push(...hitIds(data));
      totals.add(data.search.totalCount);
      if (!data.search.pageInfo.hasNextPage) break;
      expect(data.search.edges).toHaveLength(3);
      after = data.search.pageInfo.endCursor;
    }
    expect(visited).toEqual(expected);
    expect([...totals]).toEqual([expected.length]);
  });

  describe('a large group of equal scores', () => {
    // 23 recommendations whose texts are the same words, so every one scores the same: the order is the
    // entities' ids, across page boundaries inside the group. Every third also has a Russian text of the same
    // words, scoring the same as its English one: its best text is the English (score, then language).
    const WORD = 'quokkawallaby';
    const owners = Array.from({ length: 23 }, (_, i) => `rec:TEST/tied:${String(i).padStart(2, '0')}`);
    const TIED = `query ($after: String, $first: Int!) {
      search(text: "${WORD}", kinds: [RECOMMENDATION], first: $first, after: $after) {
        totalCount edges { node { score entity { ... on Recommendation { id } } } }
        pageInfo { hasNextPage endCursor }
      }
    }`;
    const TIED_WITH_TEXTS = `query ($after: String, $first: Int!) {
      search(text: "${WORD}", kinds: [RECOMMENDATION], first: $first, after: $after) {
        totalCount edges { node { score language excerpt entity { ... on Recommendation { id } } } }
        pageInfo { hasNextPage endCursor }
      }
    }`;
    type TiedHits = {
      search: {
        totalCount: number;
        edges: Array<{ node: { score: number; language?: string; excerpt?: string; entity: { id: string } } }>;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    };

    beforeAll(async () => {
      await cypher(
        test.driver,
        `UNWIND range(0, size($owners) - 1) AS i
         WITH i, $owners[i] AS id
         CREATE (r:Entity:Recommendation {id: id, paragraph: i + 1, origin: 'CURATED'})
         WITH i, id, r
         UNWIND CASE WHEN i % 3 = 0 THEN ['en', 'ru'] ELSE ['en'] END AS language
         CREATE (r)-[:HAS_TEXT]->(:Entity:TextVersion:RecommendationText {id: id + '#text:' + language, ownerId: id,
           ownerLabel: 'Recommendation', language: language, text: $text, searchText: $text})`,
        { owners, text: `${WORD} numbat` },
      );
    });
    afterAll(async () => {
      await cypher(
        test.driver,
        `MATCH (r:Recommendation) WHERE r.id IN $owners OPTIONAL MATCH (r)-[:HAS_TEXT]->(t) DETACH DELETE r, t`,
        {
          owners,
        },
      );
    });

    async function walk(query: string, first: number): Promise<Array<TiedHits['search']['edges'][number]['node']>> {
      const seen: Array<TiedHits['search']['edges'][number]['node']> = [];
      let after: string | null = null;
      for (let pages = 0; pages < 50; pages += 1) {
        const { data }: { data: TiedHits } = await askOk<TiedHits>(query, { after, first });
        expect(data.search.totalCount).toBe(owners.length);
        seen.push(...data.search.edges.map((edge) => edge.node));
        if (!data.search.pageInfo.hasNextPage) break;
        after = data.search.pageInfo.endCursor;
      }
      return seen;
    }

    it.each([4, 7, 23, 30])('orders them by id, %i to a page, each once', async (first) => {
      const hits = await walk(TIED, first);
      expect(hits.map((hit) => hit.entity.id)).toEqual(owners);
      expect(new Set(hits.map((hit) => hit.score)).size).toBe(1);
    });

    it('gives the same hits and scores when it reads the best texts, the English one of two equal', async () => {
      const lean = await walk(TIED, 5);
      const full = await walk(TIED_WITH_TEXTS, 5);
      expect(full.map(({ entity, score }) => ({ entity, score }))).toEqual(lean);
      expect(full.map((hit) => hit.language)).toEqual(owners.map(() => 'en'));
      expect(full.every((hit) => hit.excerpt?.includes(WORD))).toBe(true);
    });
  });
});

describe('recommendation filters', () => {
  const FILTERED = FilteredDocument;

  /** The ids the graph holds for a filter, straight from Cypher, in the API's order. */
  async function expected(match: string, where = 'true', params: Record<string, unknown> = {}): Promise<string[]> {
    const rows = await cypher<{ id: string }>(
      test.driver,
      `MATCH ${match} WHERE ${where} WITH DISTINCT r ORDER BY ${RECOMMENDATION_ORDER} RETURN r.id AS id`,
      params,
    );
    return rows.map((row) => row.id);
  }
  const filtered = async (filter: RecommendationFilter) => ids((await askOk(FILTERED, { filter })).data);

  it('by treaty article: the six paragraphs on article 19', async () => {
    const got = await filtered({ article: 'treaty:CRC:art:19' });
    expect(got).toEqual(await expected(`(r:Recommendation)-[:CONCERNS]->(:TreatyArticle {id: 'treaty:CRC:art:19'})`));
    expect(got).toHaveLength(6);
    expect(got).toContain('rec:CRC/C/KAZ/CO/4:29');
    expect(got).toContain('rec:CRC/C/15/Add.213:39');
    expect(got).not.toContain('rec:CRC/C/KAZ/CO/4:64');
  });

  it('by theme: the five paragraphs on corporal punishment', async () => {
    const got = await filtered({ theme: 'theme:corporal-punishment' });
    expect(got).toEqual(await expected(`(r:Recommendation)-[:HAS_THEME]->(:Theme {id: 'theme:corporal-punishment'})`));
    expect(got).toEqual([
      'rec:CRC/C/KAZ/CO/4:28',
      'rec:CRC/C/KAZ/CO/4:29',
      'rec:CRC/C/KAZ/CO/3:36',
      'rec:CRC/C/KAZ/CO/3:37',
      'rec:CRC/C/15/Add.213:39',
    ]);
  });

  it('by document: the paragraphs of the 2015 concluding observations', async () => {
    const got = await filtered({ document: 'doc:CRC/C/KAZ/CO/4' });
    expect(got).toEqual(await expected(`(r:Recommendation)-[:ISSUED_IN]->(:Document {id: 'doc:CRC/C/KAZ/CO/4'})`));
    expect(got).toEqual(
      ['3', '28', '29', '64', '65', '66', '67'].map((paragraph) => `rec:CRC/C/KAZ/CO/4:${paragraph}`),
    );
  });

  it('by reporting cycle 4: the same seven paragraphs', async () => {
    const got = await filtered({ cycle: '4' });
    expect(got).toEqual(await expected(`(r:Recommendation)`, `r.cycle = '4'`));
    expect(got).toEqual(await filtered({ document: 'doc:CRC/C/KAZ/CO/4' }));
  });

  it('by years: 2003 to 2007 gives the first two cycles; 2004 to 2015 the last two concluding observations', async () => {
    const got = await filtered({ yearFrom: 2003, yearTo: 2007 });
    expect(got).toEqual(await expected(`(r:Recommendation)`, `r.year >= 2003 AND r.year <= 2007`));
    expect(got).toHaveLength(24);
    expect(got).toContain('rec:CRC/C/KAZ/CO/3:37');
    expect(got).toContain('rec:CRC/C/15/Add.213:44(b)');
    expect(got.some((id) => id.startsWith('rec:CRC/C/KAZ/CO/4:') || id.startsWith('rec:CRC/C/KAZ/Q/5-6:'))).toBe(false);

    // Nothing is older than 2003, so the lower bound bites only from a later year.
    const later = await filtered({ yearFrom: 2004, yearTo: 2015 });
    expect(later).toEqual(await expected(`(r:Recommendation)`, `r.year >= 2004 AND r.year <= 2015`));
    expect(later).toHaveLength(12);
    expect(later).toContain('rec:CRC/C/KAZ/CO/4:29');
    expect(later.some((id) => id.startsWith('rec:CRC/C/15/Add.213:') || id.startsWith('rec:CRC/C/KAZ/Q/5-6:'))).toBe(
      false,
    );
  });
});

describe('every fact carries its source', () => {
  const PROVENANCE = ProvenanceDocument;

  it('names the sources of the 2015 corporal punishment recommendation, of its articles and of its reiteration', async () => {
    const { data } = await askOk(PROVENANCE, { id: 'rec:CRC/C/KAZ/CO/4:29' });
    const recommendation = data.recommendation;
    if (!recommendation) throw new Error('rec:CRC/C/KAZ/CO/4:29 is not in the graph');
    expect(recommendation.sources.map((citation) => citation.source.id)).toEqual([
      'source:endcorporalpunishment-kazakhstan',
      'source:reference-crc-kazakhstan-facts',
    ]);
    expect(recommendation.verification).toBe('SECONDARY_ONLY');
    expect(recommendation.articles.map((concern) => concern.article.id)).toEqual([
      'treaty:CRC:art:19',
      'treaty:CRC:art:28',
    ]);
    for (const concern of recommendation.articles) {
      expect(concern.sources.length).toBeGreaterThan(0);
      expect(concern.verification).toBe('SECONDARY_ONLY');
    }
    expect(recommendation.reiterates.map((link) => link.reiterated.id)).toEqual(['rec:CRC/C/KAZ/CO/3:37']);
    expect(recommendation.reiterates[0]?.sources.map((citation) => citation.source.id)).toEqual([
      'source:endcorporalpunishment-kazakhstan',
      'source:reference-crc-kazakhstan-facts',
    ]);
    for (const citation of [
      ...recommendation.sources,
      ...recommendation.articles.flatMap((concern) => concern.sources),
    ]) {
      expect(citation.locator.length).toBeGreaterThan(0);
    }
  });

  it('names at least one source for every recommendation, every article concern and every reiteration', async () => {
    const { data } = await askOk(AllProvenanceDocument);
    const unsourced = data.recommendations.edges.flatMap(({ node }) => [
      ...(node.sources.length === 0 ? [node.id] : []),
      ...node.articles
        .filter((concern) => concern.sources.length === 0)
        .map((concern) => `${node.id} → ${concern.article.id}`),
      ...node.reiterates
        .filter((link) => link.sources.length === 0)
        .map((link) => `${node.id} reiterates ${link.reiterated.id}`),
    ]);
    expect(unsourced).toEqual([]);
    expect(data.recommendations.edges.flatMap(({ node }) => node.reiterates)).toHaveLength(3);
  });
});

/** GraphQL over HTTP conformance: graphql-http's server audits (the spec's reference test suite). */
describe('GraphQL over HTTP conformance', () => {
  it('passes every MUST audit of graphql-http and draws no SHOULD warning', async () => {
    const audits = serverAudits({ url: test.server.graphqlUrl, fetchFn: fetch });
    const failed: string[] = [];
    const warned: string[] = [];
    for (const audit of audits) {
      const result = await audit.fn();
      if (result.status === 'error') failed.push(`${audit.id} ${audit.name}: ${result.reason ?? ''}`);
      if (result.status === 'warn') warned.push(`${audit.id} ${audit.name}: ${result.reason ?? ''}`);
    }
    expect(audits.length).toBeGreaterThan(50);
    expect(failed).toEqual([]);
    expect(warned).toEqual([]);
  }, 60_000);

  describe('a response that carries data is a 2xx, whatever its errors say', () => {
    // `about` answers; `path` names an entity that does not exist.
    const PARTIAL = `{ about { nodeCount } path(from: "rec:CRC/C/KAZ/CO/4:29", to: "nope:1") { length } }`;

    it.each([
      ['application/json', /^application\/json/],
      ['application/graphql-response+json', /^application\/graphql-response\+json/],
    ])('Accept: %s gets 200, the partial data and the NOT_FOUND code in extensions', async (accept, contentType) => {
      const response = await fetch(test.server.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept },
        body: JSON.stringify({ query: PARTIAL }),
      });
      const body = (await response.json()) as GraphQLResponse<{
        about: { nodeCount: number } | null;
        path: unknown;
      }>['body'];
      const describe = `Status ${response.status}: ${JSON.stringify(body, null, 2)}`;
      expect({ status: response.status, describe }).toEqual({ status: 200, describe });
      expect(response.headers.get('content-type')).toMatch(contentType);
      expect(body.data?.about?.nodeCount).toBeGreaterThan(400);
      expect(body.data?.path).toBeNull();
      expect(body.errors).toHaveLength(1);
      expect(body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(body.errors?.[0]?.path).toEqual(['path']);
    });

    it('a validation failure is 400 as application/graphql-response+json, with no data', async () => {
      const response = await fetch(test.server.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query: '{ noSuchField }' }),
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as GraphQLResponse['body'];
      expect(body.data).toBeUndefined();
      expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    });
  });
});

describe('Russian search folds ё into е', () => {
  const SEARCH = /* GraphQL */ `
    query Search($text: String!) {
      search(text: $text, kinds: [RECOMMENDATION], first: 20) {
        totalCount
        edges {
          node {
            language
            excerpt
            entity {
              ... on Recommendation {
                id
              }
            }
          }
        }
      }
    }
  `;
  type Hits = {
    search: {
      totalCount: number;
      edges: Array<{ node: { language: string; excerpt: string; entity: { id?: string } } }>;
    };
  };

  it.each([['вооруженных конфликтах'], ['вооружённых конфликтах'], ['ВООРУЖЁННЫХ КОНФЛИКТАХ']])(
    '"%s" finds CRC/C/KAZ/CO/4 para. 64 in Russian, with the words in its excerpt',
    async (text) => {
      const { data } = await askOk<Hits>(SEARCH, { text });
      const hit = data.search.edges.find((edge) => edge.node.entity.id === 'rec:CRC/C/KAZ/CO/4:64');
      if (!hit) throw new Error(`CO/4 para. 64 not among the hits for "${text}": ${JSON.stringify(data, null, 2)}`);
      expect(hit.node.language).toBe('ru');
      expect(hit.node.excerpt).toContain('вооруженных конфликтах');
    },
  );

  it('finds the same hits with either spelling', async () => {
    const plain = await askOk<Hits>(SEARCH, { text: 'вооруженных конфликтах' });
    const withYo = await askOk<Hits>(SEARCH, { text: 'вооружённых конфликтах' });
    expect(withYo.data).toEqual(plain.data);
  });
});
