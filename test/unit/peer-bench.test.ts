import { BoltMessageCounter } from '../../bench/peer/bolt-proxy';
import { firstDifference, questions, type Question } from '../../bench/peer/questions';

const byName = (name: string): Question => {
  const question = questions({ state: 'KAZ', article: 'treaty:CRC:art:20', searchText: 'violence' }).find(
    (q) => q.name === name,
  );
  if (!question) throw new Error(`no question ${name}`);
  return question;
};

describe('the side-by-side benchmark compares answers, not response shapes', () => {
  const provision = {
    id: 'legal:KAZ:law:345-II:art:10',
    heading: 'Right of a child to life',
    instrument: {
      id: 'legal:KAZ:law:345-II',
      title: 'On the Rights of the Child',
      number: '345-II',
      adopted: '2002-08-08',
      inForce: 'IN_FORCE',
    },
    establishedBodies: [{ id: 'body:KAZ:ombudsman', name: 'Ombudsman', status: 'ACTIVE' }],
    mandatedBodies: [],
  };
  const projectArticle = {
    treatyArticle: {
      id: 'treaty:CRC:art:20',
      number: 20,
      title: 'Children deprived of a family environment',
      paragraphs: [
        { position: 1, text: '1. A child …' },
        { position: 2, text: '2. States Parties …' },
      ],
      implementations: { totalCount: 1, edges: [{ node: { extent: 'FULL', verification: 'VERIFIED', provision } }] },
    },
  };
  const libraryArticle = {
    treatyArticles: [
      {
        id: 'treaty:CRC:art:20',
        number: 20,
        title: 'Children deprived of a family environment',
        paragraphs: ['1. A child …', '2. States Parties …'],
        implementedByConnection: {
          totalCount: 1,
          edges: [{ properties: { extent: 'FULL', verification: 'VERIFIED' }, node: provision }],
        },
      },
    ],
  };

  it('an article with its implementing provisions normalises to the same answer from either server', () => {
    const article = byName('article');
    expect(
      firstDifference(article.normaliseProject(projectArticle), article.normaliseLibrary(libraryArticle)),
    ).toBeNull();
  });

  it('a different extent on one side is reported with where it differs', () => {
    const article = byName('article');
    const changed = structuredClone(libraryArticle);
    changed.treatyArticles[0]!.implementedByConnection.edges[0]!.properties.extent = 'PARTIAL';
    expect(firstDifference(article.normaliseProject(projectArticle), article.normaliseLibrary(changed))).toBe(
      '$.implementations[0].extent: "FULL" ≠ "PARTIAL"',
    );
  });

  it("the library's four answer lists and per-article mechanisms become the project's answers and related mechanisms", () => {
    const gaps = byName('gaps');
    const mechanism = (id: string) => ({ id, name: id, status: 'PLANNED' });
    const project = {
      recommendationGaps: {
        totalCount: 1,
        testedCount: 3,
        edges: [
          {
            node: {
              recommendation: { id: 'rec:CRC/C/KAZ/CO/4:29', summary: 'Prohibit corporal punishment', year: 2015 },
              answers: [
                { extent: 'PARTIAL', by: { __typename: 'Mechanism', id: 'mechanism:KAZ:b' } },
                { extent: 'FORMAL_ONLY', by: { __typename: 'LegalInstrument', id: 'legal:KAZ:law:1' } },
              ],
              relatedMechanisms: [mechanism('mechanism:KAZ:a'), mechanism('mechanism:KAZ:b')],
            },
          },
        ],
      },
    };
    const edges = (items: Array<[string, string]>) => ({
      edges: items.map(([id, extent]) => ({ properties: { extent }, node: { id } })),
    });
    const library = {
      tested: { totalCount: 3 },
      gaps: {
        totalCount: 1,
        edges: [
          {
            node: {
              id: 'rec:CRC/C/KAZ/CO/4:29',
              summary: 'Prohibit corporal punishment',
              year: 2015,
              answeringMechanismsConnection: edges([['mechanism:KAZ:b', 'PARTIAL']]),
              answeringProvisionsConnection: edges([]),
              answeringInstrumentsConnection: edges([['legal:KAZ:law:1', 'FORMAL_ONLY']]),
              answeringBodiesConnection: edges([]),
              // two articles sharing a mechanism: it is one related mechanism, in id order
              articles: [
                { mechanisms: [mechanism('mechanism:KAZ:b')] },
                { mechanisms: [mechanism('mechanism:KAZ:b'), mechanism('mechanism:KAZ:a')] },
              ],
            },
          },
        ],
      },
    };
    expect(firstDifference(gaps.normaliseProject(project), gaps.normaliseLibrary(library))).toBeNull();
    const missing = structuredClone(library);
    missing.gaps.edges[0]!.node.articles = [{ mechanisms: [mechanism('mechanism:KAZ:b')] }];
    expect(firstDifference(gaps.normaliseProject(project), gaps.normaliseLibrary(missing))).toBe(
      '$.gaps[0].relatedMechanisms[0].id: "mechanism:KAZ:a" ≠ "mechanism:KAZ:b"',
    );
  });

  it('the order of a list is part of the answer', () => {
    expect(firstDifference([{ id: 'a' }, { id: 'b' }], [{ id: 'b' }, { id: 'a' }])).toBe('$[0].id: "a" ≠ "b"');
  });

  it('the library is asked with the same Lucene query the project builds from the words', () => {
    expect(byName('search').library.variables).toEqual({ phrase: '+(violence violence*)' });
  });
});

describe('the Bolt proxy counts Cypher statements', () => {
  const handshake = Buffer.concat([Buffer.from([0x60, 0x60, 0xb0, 0x17]), Buffer.alloc(16)]);
  /** One message in one chunk, then the end marker. */
  const message = (...bytes: number[]) => Buffer.from([bytes.length >> 8, bytes.length & 0xff, ...bytes, 0, 0]);
  const begin = message(0xb1, 0x11, 0xa0);
  const run = message(0xb3, 0x10, 0x81, 0x52, 0xa0, 0xa0); // RUN "R" {} {}
  const pull = message(0xb1, 0x3f, 0xa1, 0x81, 0x6e, 0xff); // PULL {n: -1}
  const commit = message(0xb0, 0x12);

  it('counts one statement per RUN of a managed transaction, however the bytes are split', () => {
    const stream = Buffer.concat([handshake, begin, run, pull, commit, begin, run, pull, commit]);
    for (const size of [1, 3, 7, stream.length]) {
      const counter = new BoltMessageCounter();
      for (let i = 0; i < stream.length; i += size) counter.push(stream.subarray(i, i + size));
      expect(counter.statements).toBe(2);
    }
  });

  it('does not take a 0x10 inside a message, or in a later chunk of it, for a RUN', () => {
    // a RUN split into two chunks whose second chunk starts with 0xb?, 0x10: still one statement
    const split = Buffer.from([0, 2, 0xb3, 0x10, 0, 4, 0xb1, 0x10, 0xa0, 0xa0, 0, 0]);
    const counter = new BoltMessageCounter();
    counter.push(Buffer.concat([handshake, split, pull]));
    expect(counter.statements).toBe(1);
  });

  it("follows the manifest handshake: the client's version choice and capabilities are not messages", () => {
    const counter = new BoltMessageCounter();
    counter.push(handshake);
    counter.serverHandshake(0x000001ff);
    counter.push(Buffer.from([0x00, 0x08, 0x08, 0x05, 0x80, 0x01])); // version 5.8, capabilities varint 0x80 0x01
    counter.push(Buffer.concat([run, pull]));
    expect(counter.statements).toBe(1);
  });
});
