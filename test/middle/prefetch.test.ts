import { node, recommendation, stubbedApi, type Answer, type Statement } from './stub-database';

/**
 * The statement reading a page of items also reads what their selected fields walk (modules/prefetch.ts):
 * a recommendation's document, articles (with one state's implementations of each, and the instrument of
 * each provision) and themes come back with the page, and the resolvers find them without another round
 * trip. A field nobody declared is still read by its loader, batched: one more statement for the page,
 * never one per item. The stub answers with the rows Neo4j would give that statement.
 */
const DOCUMENT = node('Document', {
  id: 'doc:CRC/C/KAZ/CO/4',
  symbol: 'CRC/C/KAZ/CO/4',
  kind: 'CONCLUDING_OBSERVATIONS',
  title: 'Concluding observations on the fourth periodic report of Kazakhstan',
  committee: 'CRC',
  verification: 'VERIFIED_PRIMARY',
});
const ARTICLE = node('TreatyArticle', {
  id: 'treaty:CRC:art:19',
  treatyId: 'treaty:CRC',
  number: 19,
  title: 'Protection from all forms of violence',
  part: null,
  note: null,
  verification: 'VERIFIED_PRIMARY',
});
const PROVISION = node('Provision', {
  id: 'legal:KAZ:law:345-II:art:10',
  instrumentId: 'legal:KAZ:law:345-II',
  stateId: 'state:KAZ',
  article: '10',
  heading: 'Right to protection',
  verification: 'VERIFIED_PRIMARY',
});
const INSTRUMENT = node('LegalInstrument', {
  id: 'legal:KAZ:law:345-II',
  stateId: 'state:KAZ',
  kind: 'LAW',
  title: 'On the Rights of the Child in the Republic of Kazakhstan',
  inForce: 'IN_FORCE',
  verification: 'VERIFIED_PRIMARY',
});
const THEME = node('Theme', { id: 'theme:violence', name: 'Violence against children', description: '…' });
const STATE = node('State', { id: 'state:KAZ', iso3: 'KAZ', name: 'Kazakhstan', verification: 'VERIFIED_PRIMARY' });
const RECOMMENDATIONS = [recommendation('rec:CRC/C/KAZ/CO/4:29', 29), recommendation('rec:CRC/C/KAZ/CO/4:30', 30)];
const idOf = (item: ReturnType<typeof node>) => String(item.props.id);

/** One recommendation's row with what the statement read ahead, in the order of the query's fields. */
function pageRow(item: (typeof RECOMMENDATIONS)[number]) {
  const implementation = {
    node: PROVISION,
    rel: { extent: 'PARTIAL' },
    // A hop to one kind returns its targets' properties alone (db/cypher.ts `propsMap`); an implementation
    // may be a provision or an instrument, so it keeps its labels.
    with: [[{ node: INSTRUMENT.props, rel: {}, with: [] }]],
  };
  return {
    node: item.props,
    with: [
      [{ node: DOCUMENT.props, rel: {}, with: [] }],
      [{ node: ARTICLE.props, rel: {}, with: [[implementation]] }],
      [{ node: THEME.props, rel: {}, with: [] }],
    ],
  };
}

const answer: Answer = (statement: Statement) => {
  if (statement.queryName === 'Query.recommendations') return RECOMMENDATIONS.map(pageRow);
  if (statement.queryName === 'Recommendation.addressedTo') {
    const ids = statement.params.ids as string[];
    return ids.map((id) => ({ id, items: [{ node: STATE, rel: {} }] }));
  }
  throw new Error(`unexpected statement ${statement.queryName}`);
};

const ask = stubbedApi(answer);

const SELECTION = `
  id
  document { id symbol }
  articles { article { id number implementations(state: "KAZ", first: 5) {
    edges { node { extent provision { id instrument { id title } } } }
  } } }
  themes { id name }`;

const expectedItem = (id: string) => ({
  id,
  document: { id: DOCUMENT.props.id, symbol: DOCUMENT.props.symbol },
  articles: [
    {
      article: {
        id: ARTICLE.props.id,
        number: 19,
        implementations: {
          edges: [
            {
              node: {
                extent: 'PARTIAL',
                provision: {
                  id: PROVISION.props.id,
                  instrument: { id: INSTRUMENT.props.id, title: INSTRUMENT.props.title },
                },
              },
            },
          ],
        },
      },
    },
  ],
  themes: [{ id: THEME.props.id, name: THEME.props.name }],
});

describe('a page and what its selected fields walk, read in one statement', () => {
  it('answers recommendations with documents, articles, implementations, instruments and themes in one round trip', async () => {
    const { body, statements } = await ask(`{ recommendations(filter: { state: "KAZ" }, first: 2) { edges { node {
      ${SELECTION}
    } } } }`);
    expect(body).toEqual({
      data: { recommendations: { edges: RECOMMENDATIONS.map((item) => ({ node: expectedItem(idOf(item)) })) } },
    });
    expect(statements.map((statement) => statement.queryName)).toEqual(['Query.recommendations']);
    const [page] = statements;
    // Each hop in its own subquery, nested as the selection is; the state and the page of the nested
    // connection travel as parameters named after their place in the tree.
    expect(page?.cypher).toContain('CALL (n) {\n  MATCH (n)-[r1:ISSUED_IN]->(t1:Document)');
    expect(page?.cypher).toContain('CALL (t1) {\n    MATCH (t1)<-[r2:IMPLEMENTS]-(t2:Entity)');
    expect(page?.cypher).toContain('CALL (t2) {\n      MATCH (t2)<-[r3:HAS_PROVISION]-(t3:LegalInstrument)');
    expect(page?.cypher).toContain('RETURN n {.id} AS node, [f_0, f_1, f_2] AS with');
    expect(page?.params).toMatchObject({ f_1_0_state: 'state:KAZ', f_1_0_offset: 0, f_1_0_limit: 6 });
  });

  it('reads a field nobody declared by its loader, once for the whole page', async () => {
    const { body, statements } = await ask(`{ recommendations(filter: { state: "KAZ" }, first: 2) { edges { node {
      ${SELECTION}
      addressedTo { id }
    } } } }`);
    expect(body).toEqual({
      data: {
        recommendations: {
          edges: RECOMMENDATIONS.map((item) => ({
            node: { ...expectedItem(idOf(item)), addressedTo: { id: 'state:KAZ' } },
          })),
        },
      },
    });
    expect(statements.map((statement) => statement.queryName)).toEqual([
      'Query.recommendations',
      'Recommendation.addressedTo',
    ]);
  });

  it('reads of each link only the relationship properties its selected fields show', async () => {
    const concerns = (cypher: string | undefined) => /MATCH \(n\)-\[r1:CONCERNS\][^]*?AS f_0/.exec(cypher ?? '')?.[0];
    // Only the link's end selected: no relationship property, and the reference is the target's id alone.
    const bare = await ask(`{ recommendations(first: 2) { edges { node { id articles { article { id } } } } } }`);
    expect(concerns(bare.statements[0]?.cypher)).toContain('RETURN collect(t1.id) AS f_0');
    const noted = await ask(`{ recommendations(first: 2) { edges { node { id articles { note article { id } } } } } }`);
    expect(concerns(noted.statements[0]?.cypher)).toContain('rel: r1 {.note}}) AS f_0');
    // How a link was inferred is shown only on INFERRED links: its basis is read with it.
    const inferred = await ask(`{ recommendations(first: 2) { edges { node { id articles { inference } } } } }`);
    expect(concerns(inferred.statements[0]?.cypher)).toContain('rel: r1 {.basis, .inference}}) AS f_0');
    const cited = await ask(`{ recommendations(first: 2) { edges { node { id articles { sources { locator } } } } } }`);
    expect(concerns(cited.statements[0]?.cypher)).toContain('rel: r1 {.locators, .quotes, .sourceIds}}) AS f_0');
    // A field showing the targets only reads no relationship property.
    const themes = await ask(`{ recommendations(first: 2) { edges { node { id themes { id } } } } }`);
    expect(themes.statements[0]?.cypher).toContain('RETURN collect(t1.id) AS f_0');
  });

  it('reads nothing ahead when only the items’ own properties are selected', async () => {
    const { statements } = await ask(`{ recommendations(first: 2) { edges { node { id summary } } } }`);
    expect(statements).toHaveLength(1);
    expect(statements[0]?.cypher).not.toContain('CALL');
    expect(statements[0]?.cypher).toMatch(/AS node$/);
  });
});
