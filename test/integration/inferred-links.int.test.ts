import { namedStatements } from '../../src/modules/statements';
import { ensureRealCorpus, queryOk, startTestServer, type TestServer } from '../support/harness';

/**
 * Links a rule inferred from imported data (CONCERNS and REITERATES with origin and basis INFERRED, as the
 * UHRI import writes them, docs/inference.md) are shown as such, rank below curated links, and the analysis
 * queries leave them out when asked (includeInferred: false). The test writes a few such links beside the
 * real corpus and removes them afterwards; each carries `testMarker` so that only they are removed.
 */
const MARKER = 'inferred-links.int.test';
/** Each test sends two or three analysis statements, planned on first use by a cold Neo4j on a loaded machine. */
const ANALYSIS_TIMEOUT_MS = 60_000;

const INFERRED_LINKS = /* Cypher */ `
  UNWIND $links AS link
  MATCH (from:Entity {id: link.from}), (to:Entity {id: link.to})
  CALL (from, to, link) {
    WITH from, to, link WHERE link.type = 'CONCERNS'
    CREATE (from)-[r:CONCERNS]->(to)
    SET r = link.props
    RETURN count(r) AS concerns
  }
  CALL (from, to, link) {
    WITH from, to, link WHERE link.type = 'REITERATES'
    CREATE (from)-[r:REITERATES]->(to)
    SET r = link.props
    RETURN count(r) AS reiterations
  }
  RETURN sum(concerns) + sum(reiterations) AS written`;

function inferred(inference: string, evidence: string, similarity: number | null = null) {
  return {
    origin: 'INFERRED',
    basis: 'INFERRED',
    inference,
    evidence,
    ...(similarity === null ? {} : { similarity }),
    verification: 'UNVERIFIED',
    sourceIds: [],
    locators: [],
    quotes: [],
    testMarker: MARKER,
  };
}

const LINKS = [
  // CO/4 para. 66 (ratify the migrant workers' convention) has no curated link to article 19.
  {
    type: 'CONCERNS',
    from: 'rec:CRC/C/KAZ/CO/4:66',
    to: 'treaty:CRC:art:19',
    props: inferred('ARTICLE_CITATION', 'article 19 of the Convention'),
  },
  // CO/4 para. 29 concerns articles 19 and 28 by the editors' judgement; an inferred article 3 ranks after them.
  {
    type: 'CONCERNS',
    from: 'rec:CRC/C/KAZ/CO/4:29',
    to: 'treaty:CRC:art:3',
    props: inferred('THEME_CLUSTER', 'theme: Corporal punishment'),
  },
  // A reiteration the editors did not make: 2007 para. 11 (child victims and witnesses) → 2003 para. 38.
  {
    type: 'REITERATES',
    from: 'rec:CRC/C/KAZ/CO/3:11',
    to: 'rec:CRC/C/15/Add.213:38',
    props: inferred(
      'TEXT_SIMILARITY',
      'TF-IDF cosine 0.250 ≥ 0.22 with the closest paragraph of CRC/C/15/Add.213',
      0.25,
    ),
  },
  // The same link as a curated one: CO/4 para. 29 → CO/3 para. 37, found again by the rule.
  {
    type: 'REITERATES',
    from: 'rec:CRC/C/KAZ/CO/4:29',
    to: 'rec:CRC/C/KAZ/CO/3:37',
    props: inferred(
      'TEXT_SIMILARITY',
      'TF-IDF cosine 0.363 ≥ 0.22 with the closest paragraph of CRC/C/KAZ/CO/3',
      0.363,
    ),
  },
];

const REMOVE = `MATCH ()-[r:CONCERNS|REITERATES {testMarker: $marker}]->() DELETE r RETURN count(r) AS removed`;

type Chain = {
  recommendations: Array<{ id: string }>;
  links: Array<{ linkBasis: string; inference: string | null; similarity: number | null }>;
};

describe('links inferred from imported data', () => {
  let test: TestServer;
  const ask = <T>(query: string, variables: Record<string, unknown> = {}) =>
    queryOk<T>(test.server.graphqlUrl, query, variables);

  beforeAll(async () => {
    test = await startTestServer();
    await ensureRealCorpus(test.driver);
    await test.driver.executeQuery(REMOVE, { marker: MARKER });
    const { records } = await test.driver.executeQuery(INFERRED_LINKS, { links: LINKS });
    expect(Number(records[0]!.get('written'))).toBe(LINKS.length);
    // npm start plans every named statement before serving (src/db/warm-up.ts); a test server does not, and
    // on a loaded machine the first treatyCoverage then spends the request's database budget on planning.
    // Plan the statements these tests send, as the API would have.
    const sent =
      /^(recommendationGaps|treatyCoverage|implementationChain|reiteratedRecommendations|nodesById|Recommendation\.)/;
    for (const statement of namedStatements().filter((s) => sent.test(s.name))) {
      await test.executor.plan(statement.name, statement.cypher, statement.params, 'warm-up');
    }
  }, 240_000);
  afterAll(async () => {
    await test.driver.executeQuery(REMOVE, { marker: MARKER });
    await test.close();
  });

  it(
    'a recommendation shows its inferred article link after the curated ones, saying how it was inferred',
    async () => {
      const data = await ask<{
        recommendation: {
          articles: Array<{
            article: { id: string };
            linkBasis: string;
            inference: string | null;
            inferenceEvidence: string | null;
            verification: string;
          }>;
        };
      }>(`{ recommendation(id: "rec:CRC/C/KAZ/CO/4:29") {
           articles { article { id } linkBasis inference inferenceEvidence verification } } }`);
      expect(data.recommendation.articles).toEqual([
        {
          article: { id: 'treaty:CRC:art:19' },
          linkBasis: 'EDITORS_JUDGEMENT',
          inference: null,
          inferenceEvidence: null,
          verification: 'SECONDARY_ONLY',
        },
        {
          article: { id: 'treaty:CRC:art:28' },
          linkBasis: 'EDITORS_JUDGEMENT',
          inference: null,
          inferenceEvidence: null,
          verification: 'SECONDARY_ONLY',
        },
        {
          article: { id: 'treaty:CRC:art:3' },
          linkBasis: 'INFERRED',
          inference: 'THEME_CLUSTER',
          inferenceEvidence: 'theme: Corporal punishment',
          verification: 'UNVERIFIED',
        },
      ]);
    },
    ANALYSIS_TIMEOUT_MS,
  );

  it(
    'a page of recommendations shows how each article link was inferred when that alone is selected on the link',
    async () => {
      // The page reads its items' article links ahead (modules/prefetch.ts), with only the relationship
      // properties the link fields selected read: each field alone must still find what it shows.
      type Data = {
        recommendations: {
          edges: Array<{
            node: {
              id: string;
              inference: Array<{ inference: string | null }>;
              evidence: Array<{ inferenceEvidence: string | null }>;
              basis: Array<{ linkBasis: string }>;
              ends: Array<{ article: { id: string } }>;
            };
          }>;
        };
      };
      const data = await ask<Data>(`{ recommendations(filter: { document: "doc:CRC/C/KAZ/CO/4" }, first: 100) {
        edges { node { id
          inference: articles { inference }
          evidence: articles { inferenceEvidence }
          basis: articles { linkBasis }
          ends: articles { article { id } } } } } }`);
      const node = data.recommendations.edges.find((edge) => edge.node.id === 'rec:CRC/C/KAZ/CO/4:29')?.node;
      expect(node).toEqual({
        id: 'rec:CRC/C/KAZ/CO/4:29',
        inference: [{ inference: null }, { inference: null }, { inference: 'THEME_CLUSTER' }],
        evidence: [
          { inferenceEvidence: null },
          { inferenceEvidence: null },
          { inferenceEvidence: 'theme: Corporal punishment' },
        ],
        basis: [{ linkBasis: 'EDITORS_JUDGEMENT' }, { linkBasis: 'EDITORS_JUDGEMENT' }, { linkBasis: 'INFERRED' }],
        ends: [
          { article: { id: 'treaty:CRC:art:19' } },
          { article: { id: 'treaty:CRC:art:28' } },
          { article: { id: 'treaty:CRC:art:3' } },
        ],
      });
    },
    ANALYSIS_TIMEOUT_MS,
  );

  it(
    'recommendationGaps(articles:) follows an inferred article link unless includeInferred is false',
    async () => {
      const query = `query Gaps($includeInferred: Boolean!) {
      recommendationGaps(state: "KAZ", articles: ["treaty:CRC:art:19"], includeInferred: $includeInferred, first: 100) {
        totalCount edges { node { recommendation { id } } } } }`;
      type Data = {
        recommendationGaps: { totalCount: number; edges: Array<{ node: { recommendation: { id: string } } }> };
      };
      const ids = async (includeInferred: boolean) =>
        (await ask<Data>(query, { includeInferred })).recommendationGaps.edges.map((e) => e.node.recommendation.id);
      const withInferred = await ids(true);
      const curatedOnly = await ids(false);
      expect(withInferred).toContain('rec:CRC/C/KAZ/CO/4:66');
      expect(curatedOnly).not.toContain('rec:CRC/C/KAZ/CO/4:66');
      // The curated article-19 gaps are there either way.
      expect(curatedOnly).toContain('rec:CRC/C/KAZ/CO/4:29');
      expect(withInferred.filter((id) => id !== 'rec:CRC/C/KAZ/CO/4:66').sort()).toEqual([...curatedOnly].sort());
      // The default includes inferred links.
      const byDefault = await ask<Data>(
        `{ recommendationGaps(state: "KAZ", articles: ["treaty:CRC:art:19"], first: 100) { edges { node { recommendation { id } } } } }`,
      );
      expect(byDefault.recommendationGaps.edges.map((e) => e.node.recommendation.id)).toEqual(withInferred);
    },
    ANALYSIS_TIMEOUT_MS,
  );

  it(
    'treatyCoverage counts a recommendation under an article through an inferred link unless includeInferred is false',
    async () => {
      type Data = {
        treatyCoverage: {
          rows: Array<{
            article: { id: string };
            recommendations: Array<{ id: string }>;
            openRecommendationCount: number;
          }>;
        };
      };
      const row = async (includeInferred: boolean) =>
        (
          await ask<Data>(
            `query C($includeInferred: Boolean!) { treatyCoverage(treaty: "CRC", state: "KAZ", includeInferred: $includeInferred) {
             rows { article { id } recommendations { id } openRecommendationCount } } }`,
            { includeInferred },
          )
        ).treatyCoverage.rows.find((r) => r.article.id === 'treaty:CRC:art:19')!;
      const withInferred = await row(true);
      const curatedOnly = await row(false);
      expect(withInferred.recommendations.map((r) => r.id)).toContain('rec:CRC/C/KAZ/CO/4:66');
      expect(curatedOnly.recommendations.map((r) => r.id)).not.toContain('rec:CRC/C/KAZ/CO/4:66');
      expect(withInferred.openRecommendationCount).toBe(curatedOnly.openRecommendationCount + 1);
    },
    ANALYSIS_TIMEOUT_MS,
  );

  it(
    'implementationChain lists the inferred concern, marked INFERRED, unless includeInferred is false',
    async () => {
      type Data = {
        implementationChain: {
          recommendations: Array<{
            recommendation: { id: string };
            concern: { linkBasis: string; inference: string | null };
          }>;
        };
      };
      const chain = async (includeInferred: boolean) =>
        (
          await ask<Data>(
            `query C($includeInferred: Boolean!) {
             implementationChain(article: "treaty:CRC:art:19", state: "KAZ", includeInferred: $includeInferred) {
               recommendations { recommendation { id } concern { linkBasis inference } } } }`,
            { includeInferred },
          )
        ).implementationChain.recommendations;
      const withInferred = await chain(true);
      expect(withInferred.find((r) => r.recommendation.id === 'rec:CRC/C/KAZ/CO/4:66')?.concern).toEqual({
        linkBasis: 'INFERRED',
        inference: 'ARTICLE_CITATION',
      });
      const curatedOnly = await chain(false);
      expect(curatedOnly.map((r) => r.recommendation.id)).not.toContain('rec:CRC/C/KAZ/CO/4:66');
      expect(curatedOnly.every((r) => r.concern.linkBasis !== 'INFERRED')).toBe(true);
      expect(curatedOnly).toHaveLength(withInferred.length - 1);
    },
    ANALYSIS_TIMEOUT_MS,
  );

  it(
    'reiteratedRecommendations follows inferred links unless includeInferred is false, and lists a chain once when an inferred link repeats a curated one',
    async () => {
      const query = `query R($includeInferred: Boolean!) {
      reiteratedRecommendations(state: "KAZ", includeInferred: $includeInferred) {
        totalCount edges { node { recommendations { id } links { linkBasis inference similarity } } } } }`;
      type Data = { reiteratedRecommendations: { totalCount: number; edges: Array<{ node: Chain }> } };
      const chains = async (includeInferred: boolean) =>
        (await ask<Data>(query, { includeInferred })).reiteratedRecommendations;
      const ids = (chain: Chain) => chain.recommendations.map((r) => r.id).join(' → ');

      const withInferred = await chains(true);
      const curatedOnly = await chains(false);
      const inferredChain = withInferred.edges.find(
        (e) => ids(e.node) === 'rec:CRC/C/15/Add.213:38 → rec:CRC/C/KAZ/CO/3:11',
      );
      expect(inferredChain?.node.links).toEqual([
        { linkBasis: 'INFERRED', inference: 'TEXT_SIMILARITY', similarity: 0.25 },
      ]);
      expect(curatedOnly.edges.map((e) => ids(e.node))).not.toContain(
        'rec:CRC/C/15/Add.213:38 → rec:CRC/C/KAZ/CO/3:11',
      );
      expect(withInferred.totalCount).toBe(curatedOnly.totalCount + 1);

      // The corporal-punishment chain once, through the curated links, though an inferred link runs beside one of them.
      const corporal = 'rec:CRC/C/15/Add.213:39 → rec:CRC/C/KAZ/CO/3:37 → rec:CRC/C/KAZ/CO/4:29';
      const found = withInferred.edges.filter((e) => ids(e.node) === corporal);
      expect(found).toHaveLength(1);
      expect(found[0]!.node.links.map((l) => l.linkBasis)).toEqual(['EDITORS_JUDGEMENT', 'EDITORS_JUDGEMENT']);
      expect(curatedOnly.edges.filter((e) => ids(e.node) === corporal)).toHaveLength(1);
    },
    ANALYSIS_TIMEOUT_MS,
  );
});
