import { node, recommendation, stubbedApi, type Answer, type Statement } from './stub-database';

/**
 * What a statement reads is what the query asks (docs/reading.md): the article question is one statement
 * (the article, the state's implementations and their count), a list reads each distinct target of a hop
 * once for the whole page and refers to it by id in each row, and each node's projection names only the
 * properties the selected fields read. The stub answers with the rows Neo4j would give those statements.
 */
const ARTICLE = node('TreatyArticle', { id: 'treaty:CRC:art:19', number: 19, title: 'Protection from violence' });
const PROVISION = node('Provision', { id: 'legal:KAZ:law:345-II:art:10', heading: 'Right to protection' });
const DOCUMENT = node('Document', { id: 'doc:CRC/C/KAZ/CO/4', symbol: 'CRC/C/KAZ/CO/4' });
const RECOMMENDATIONS = [recommendation('rec:CRC/C/KAZ/CO/4:29', 29), recommendation('rec:CRC/C/KAZ/CO/4:30', 30)];

const answer: Answer = (statement: Statement) => {
  if (statement.queryName === 'Query.treatyArticle')
    return [
      {
        node: ARTICLE.props,
        with: [{ items: [{ id: PROVISION.props.id, rel: { extent: 'PARTIAL' } }], total: 1 }],
        nodes: [[{ node: PROVISION, with: [] }]],
      },
    ];
  if (statement.queryName === 'Query.recommendations')
    return RECOMMENDATIONS.map((item, index) => ({
      node: item.props,
      // The document link's properties are not read: the reference is the id alone.
      with: [[DOCUMENT.props.id]],
      nodes: index === 0 ? [[{ node: DOCUMENT.props, with: [] }]] : null,
    }));
  throw new Error(`unexpected statement ${statement.queryName}`);
};

const ask = stubbedApi(answer);

describe('a statement reads what the query asks, once', () => {
  it('answers a treaty article with the state’s implementations and their count in one statement', async () => {
    const { body, statements } = await ask(`{ treatyArticle(id: "treaty:CRC:art:19") {
      id number
      implementations(state: "KAZ", first: 10) { totalCount edges { node { extent provision { id heading } } } }
    } }`);
    expect(body).toEqual({
      data: {
        treatyArticle: {
          id: ARTICLE.props.id,
          number: 19,
          implementations: {
            totalCount: 1,
            edges: [
              { node: { extent: 'PARTIAL', provision: { id: PROVISION.props.id, heading: 'Right to protection' } } },
            ],
          },
        },
      },
    });
    expect(statements.map((statement) => statement.queryName)).toEqual(['Query.treatyArticle']);
    const [statement] = statements;
    // Counted in the same pass as the page is read: the page a slice of the hop's targets, the total their number.
    expect(statement?.cypher).toContain('RETURN {items: f_0, total: size(f_0_all)} AS f_0_counted');
    expect(statement?.cypher.match(/IMPLEMENTS/g)).toHaveLength(1);
    expect(statement?.cypher).toContain('RETURN n {.id, .number} AS node');
    // The provision's projection: what `id heading` read (no instrument is selected, so no instrumentId); an
    // implementer that is a whole instrument reads only what its own model has of it.
    expect(statement?.cypher).toContain(
      'props: CASE WHEN t1:Provision THEN t1 {.heading, .id} WHEN t1:LegalInstrument THEN t1 {.id} ELSE t1 {.heading, .id} END}',
    );
    expect(statement?.params).toMatchObject({ id: 'treaty:CRC:art:19', f_0_state: 'state:KAZ' });
  });

  it('reads a document many items of a page share once, and gives it to each', async () => {
    const { body, statements } = await ask(`{ recommendations(filter: { state: "KAZ" }, first: 2) { edges { node {
      id label document { symbol }
    } } } }`);
    expect(body).toEqual({
      data: {
        recommendations: {
          edges: RECOMMENDATIONS.map((item) => ({
            node: {
              id: item.props.id,
              label: `CRC/C/KAZ/CO/4, para. ${String(item.props.paragraph)}`,
              document: { symbol: DOCUMENT.props.symbol },
            },
          })),
        },
      },
    });
    expect(statements.map((statement) => statement.queryName)).toEqual(['Query.recommendations']);
    const [statement] = statements;
    expect(statement?.cypher).toContain('WITH DISTINCT t1');
    // `label` reads the paragraph, sub-paragraph and document symbol: the projection names them.
    expect(statement?.cypher).toContain('RETURN n {.documentSymbol, .id, .paragraph, .subParagraph} AS node');
  });
});
