import { node, nodesById, stubbedApi, type Answer, type Statement } from './stub-database';

/**
 * `Implementation.instrument` of a provision that has no HAS_PROVISION link (a data error): the instrument is
 * found by the provision's `instrumentId`, which the provision read with `TreatyArticle.implementations`'s
 * projection need not have (only `id heading` were selected on it). The fallback reads the whole provision by
 * id; it must never fail with "Provision.instrumentId was not read".
 */
const ARTICLE = node('TreatyArticle', { id: 'treaty:CRC:art:19', number: 19, title: 'Protection from violence' });
const PROVISION = node('Provision', { id: 'legal:KAZ:law:345-II:art:10', heading: 'Right to protection' });
const WHOLE_PROVISION = node('Provision', {
  id: 'legal:KAZ:law:345-II:art:10',
  instrumentId: 'legal:KAZ:law:345-II',
  stateId: 'state:KAZ',
  article: '10',
  heading: 'Right to protection',
  verification: 'SECONDARY_ONLY',
});
const INSTRUMENT = node('LegalInstrument', {
  id: 'legal:KAZ:law:345-II',
  stateId: 'state:KAZ',
  title: 'On the rights of the child',
  kind: 'LAW',
  inForce: 'IN_FORCE',
  verification: 'SECONDARY_ONLY',
});

const answer: Answer = (statement: Statement) => {
  if (statement.queryName === 'Query.treatyArticle')
    return [
      {
        node: ARTICLE.props,
        // No link field is selected: the reference is the provision's id alone.
        with: [[PROVISION.props.id]],
        // The provision read ahead with its instrument link: none.
        nodes: [[{ node: PROVISION, with: [[]] }]],
      },
    ];
  if (statement.queryName === 'Provision.instrument')
    return (statement.params.ids as string[]).map((id) => ({ id, items: [] }));
  if (statement.queryName === 'nodesById') return nodesById(statement, [WHOLE_PROVISION, INSTRUMENT]);
  throw new Error(`unexpected statement ${statement.queryName}`);
};
const ask = stubbedApi(answer);

describe('the instrument of a provision read with a projection, when its link is missing', () => {
  it('is found through the whole provision’s instrumentId', async () => {
    const { body, statements } = await ask(`{ treatyArticle(id: "treaty:CRC:art:19") {
      implementations(state: "KAZ", first: 10) { edges { node { provision { id heading } instrument { id } } } }
    } }`);
    expect(body).toEqual({
      data: {
        treatyArticle: {
          implementations: {
            edges: [
              {
                node: {
                  provision: { id: PROVISION.props.id, heading: 'Right to protection' },
                  instrument: { id: INSTRUMENT.props.id },
                },
              },
            ],
          },
        },
      },
    });
    expect(statements.map((statement) => statement.queryName)).toContain('nodesById');
  });
});
