import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  Article19ChainDocument,
  Article19InKazakhstanDocument,
  CorporalPunishmentChainDocument,
  CrcCoverageDocument,
  KazakhstanFollowUpBoardDocument,
  KazakhstanGapsDocument,
  PathRecommendationToBodyDocument,
  ReiteratedRecommendationsDocument,
  SearchEnglishDocument,
  SearchRussianDocument,
} from '../../src/generated/client/graphql';
import { loadExamples } from '../../src/playground';
import { removeFollowUpData } from '../fixtures/followup/board-fixture';
import { createUser } from '../../src/modules/identity/users';
import { ensureRealCorpus, postGraphQL, queryOk, startTestServer, type TestServer } from '../support/harness';

/**
 * The README's example queries are the files in examples/ (GraphiQL's tabs, and typed documents generated
 * by the client preset). This test checks that the README shows each of them verbatim and runs each one
 * against the real corpus, so the README cannot rot.
 */
const README = readFileSync(resolve(__dirname, '..', '..', 'README.md'), 'utf8');
const readmeBlocks = [...README.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]!.trim());

describe('the README examples', () => {
  let test: TestServer;
  const run = <TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>) =>
    queryOk<TResult>(test.server.graphqlUrl, print(document));

  beforeAll(async () => {
    test = await startTestServer();
    await ensureRealCorpus(test.driver);
  }, 120_000);
  afterAll(async () => {
    await test.close();
  });

  it('shows every example file verbatim in the README, and no query that is not an example file', () => {
    const examples = loadExamples().map((example) => example.query.trim());
    expect(examples.length).toBeGreaterThanOrEqual(9);
    for (const example of examples) expect(readmeBlocks).toContain(example);
    for (const block of readmeBlocks) expect(examples).toContain(block);
  });

  it('CRC article 19 with its Kazakh implementing provision and the bodies and mechanisms around it', async () => {
    const { treatyArticle } = await run(Article19InKazakhstanDocument);
    expect(treatyArticle?.title).toBe('Protection from abuse and neglect');
    // Law 345-II as a whole (no provision: Mussabalinova assesses the whole law) and its article 10, in id order.
    const implementations = treatyArticle!.implementations.edges.map((edge) => edge.node);
    expect(implementations.map((i) => [i.instrument.id, i.provision?.id ?? null, i.extent, i.linkBasis])).toEqual([
      ['legal:KAZ:law:345-II', null, 'DECLARATIVE_ONLY', 'STATED'],
      ['legal:KAZ:law:345-II', 'legal:KAZ:law:345-II:art:10', 'DECLARATIVE_ONLY', 'STATED'],
    ]);
    const implementation = implementations[1]!;
    expect(implementation.provision?.id).toBe('legal:KAZ:law:345-II:art:10');
    expect(implementation.provision?.instrument).toMatchObject({ number: '345-II', adopted: '2002-08-08' });
    expect([implementation.extent, implementation.merged, implementation.mergedWith.map((a) => a.id)]).toEqual([
      'DECLARATIVE_ONLY',
      true,
      ['treaty:CRC:art:6'],
    ]);
    expect(implementation.sources.map((s) => s.source.id)).toContain('source:mussabalinova-kimep');
    const mechanisms = treatyArticle!.mechanisms.edges.map((edge) => edge.node);
    expect(mechanisms.find((m) => m.id === 'mechanism:KAZ:support-centres')).toMatchObject({
      status: 'PARTIAL',
      runBy: [{ body: { id: 'body:KAZ:support-centres' } }],
    });
  });

  it('the 2015 corporal-punishment recommendation with its reiteration chain and its sources', async () => {
    const { recommendation } = await run(CorporalPunishmentChainDocument);
    expect(recommendation?.label).toBe('CRC/C/KAZ/CO/4, para. 29');
    expect(recommendation!.reiterationChain.map((r) => [r.id, r.year])).toEqual([
      ['rec:CRC/C/15/Add.213:39', 2003],
      ['rec:CRC/C/KAZ/CO/3:37', 2007],
      ['rec:CRC/C/KAZ/CO/4:29', 2015],
    ]);
    expect(recommendation!.texts[0]).toMatchObject({ language: 'en', status: 'ADVANCE_UNEDITED' });
    expect(recommendation!.sources.length).toBeGreaterThan(0);
    expect(recommendation!.reiterates[0]!.reiterated.id).toBe('rec:CRC/C/KAZ/CO/3:37');
    expect(recommendation!.answers).toEqual([]);
  });

  it('full-text search in English finds the corporal-punishment recommendations', async () => {
    const { search } = await run(SearchEnglishDocument);
    const ids = search.edges.map((edge) => ('id' in edge.node.entity ? edge.node.entity.id : null));
    expect(ids).toEqual(expect.arrayContaining(['rec:CRC/C/KAZ/CO/4:29', 'rec:CRC/C/KAZ/CO/3:37']));
    for (const edge of search.edges) {
      expect(edge.node.language).toBe('en');
      expect(edge.node.excerpt.toLowerCase()).toMatch(/corporal|punish/);
    }
  });

  it('full-text search in Russian finds the recommendation quoted only in Russian', async () => {
    const { search } = await run(SearchRussianDocument);
    const first = search.edges[0]!.node;
    expect(first).toMatchObject({ kind: 'RECOMMENDATION', label: 'CRC/C/KAZ/CO/4, para. 65', language: 'ru' });
    expect(first.excerpt).toContain('процедуры сообщений');
  });

  it('the gaps of Kazakhstan, with why', async () => {
    const { recommendationGaps } = await run(KazakhstanGapsDocument);
    const ids = recommendationGaps.edges.map((edge) => edge.node.recommendation.id);
    expect(ids).toContain('rec:CRC/C/KAZ/CO/4:29');
    expect(ids).not.toContain('rec:CRC/C/KAZ/CO/4:65');
    expect(recommendationGaps.edges[0]!.node.explanation).toMatch(/\.$/);
  });

  it('the follow-up board of Kazakhstan: the recommendations no measure answers yet, counted', async () => {
    const { followUp } = await run(KazakhstanFollowUpBoardDocument);
    // Whatever follow-up records the graph holds, the rows without a measure are what the summary counts.
    expect(followUp.totalCount).toBe(followUp.summary.recommendationsWithoutMeasure);
    expect(followUp.summary.recommendationCount).toBeGreaterThanOrEqual(21);
    expect(followUp.edges).toHaveLength(5);
    expect(followUp.edges.every((edge) => edge.node.measureCount === 0 && edge.node.measures.length === 0)).toBe(true);
    // Its statement is planned on first use: seconds on the loaded 2-core machine.
  }, 60_000);

  it("the README's first mutation with curl records a measure for a user made with npm run users", async () => {
    const body = /-d '(\{"query":"mutation[^']*)'/.exec(README)?.[1];
    expect(body).toBeDefined();
    const session = test.driver.session();
    try {
      const { token } = await session.executeWrite((tx) =>
        createUser(tx, { name: 'A. Editor', organisation: 'Ministry of Education', editorStates: ['KAZ'] }),
      );
      const { query, variables } = JSON.parse(body!) as { query: string; variables: Record<string, unknown> };
      const response = await postGraphQL<{ createMeasure: { measure: { version: number; reportedBy: string } } }>(
        test.server.graphqlUrl,
        query,
        variables,
        { authorization: `Bearer ${token}` },
      );
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data?.createMeasure.measure).toMatchObject({
        version: 1,
        reportedBy: 'Ministry of Education',
      });
    } finally {
      await session.close();
      await removeFollowUpData(test.driver);
    }
  }, 60_000);

  it('the coverage matrix of the Convention', async () => {
    const { treatyCoverage } = await run(CrcCoverageDocument);
    expect(treatyCoverage.summary.articleCount).toBe(54);
    expect(treatyCoverage.rows.find((row) => row.article.number === 19)?.bestExtent).toBe('DECLARATIVE_ONLY');
  });

  it('the implementation chain of article 19', async () => {
    const { implementationChain } = await run(Article19ChainDocument);
    // The whole law first (its id sorts before its article's), then article 10.
    expect(
      implementationChain.provisions.map((p) => p.implementation.provision?.id ?? p.implementation.instrument.id),
    ).toEqual(['legal:KAZ:law:345-II', 'legal:KAZ:law:345-II:art:10']);
    expect(implementationChain.recommendations.map((r) => r.recommendation.id)).toContain('rec:CRC/C/KAZ/CO/4:29');
  });

  it('the reiterated recommendations', async () => {
    const { reiteratedRecommendations } = await run(ReiteratedRecommendationsDocument);
    expect(reiteratedRecommendations.edges[0]!.node).toMatchObject({
      length: 3,
      firstYear: 2003,
      lastYear: 2015,
      latestAnswered: false,
    });
  });

  it('the path from a recommendation to a body', async () => {
    const { path } = await run(PathRecommendationToBodyDocument);
    expect(path?.nodes[0]?.id).toBe('rec:CRC/C/KAZ/CO/4:29');
    expect(path?.nodes[path.nodes.length - 1]?.id).toBe('body:KAZ:regional-child-protection-agency');
  });
});
