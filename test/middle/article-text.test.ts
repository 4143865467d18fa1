import { createRepositories } from '../../src/modules/repositories';
import { CRC, node, nodesById, stubDatabase, stubbedApi, type Statement } from './stub-database';

/**
 * A treaty article's text is most of its bytes: lists and links read it only when the query selects
 * `text` or `paragraphs`, and an article read without it gets it by id when a resolver needs it. The stub
 * answers as Neo4j would: a statement that projects the article's properties gets only those.
 */
const ARTICLE = {
  id: 'treaty:CRC:art:3',
  treatyId: 'treaty:CRC',
  number: 3,
  title: 'Best interests of the child',
  paragraphs: ['In all actions concerning children …', 'States Parties undertake …'],
  verification: 'VERIFIED_PRIMARY',
};

function articleAsRead(cypher: string) {
  if (cypher.includes('.paragraphs, .text'))
    return node('TreatyArticle', { ...ARTICLE, part: null, note: null, text: null });
  if (cypher.includes('.paragraphs'))
    return node('TreatyArticle', { id: ARTICLE.id, paragraphs: ARTICLE.paragraphs, title: ARTICLE.title });
  const { paragraphs: _paragraphs, ...light } = ARTICLE;
  expect(cypher).not.toMatch(/\.paragraphs|\.text/);
  return node('TreatyArticle', { ...light, part: null, note: null });
}

function answer(statement: Statement) {
  if (statement.queryName === 'nodesById') return nodesById(statement, [CRC]);
  if (statement.queryName === 'Treaty.articles')
    return [{ id: 'treaty:CRC', items: [{ node: articleAsRead(statement.cypher), rel: {} }] }];
  if (statement.queryName === 'nodesById:projected')
    return [
      { id: ARTICLE.id, node: node('TreatyArticle', { id: ARTICLE.id, paragraphs: ARTICLE.paragraphs, text: null }) },
    ];
  throw new Error(`unexpected statement ${statement.queryName}`);
}

const ask = stubbedApi(answer);

describe("a treaty article's text is read only when it is asked for", () => {
  it('lists articles by title without reading their text', async () => {
    const { body, statements } = await ask(
      '{ treaty(id: "CRC") { articles(first: 5) { edges { node { id title } } } } }',
    );
    expect(body).toEqual({
      data: { treaty: { articles: { edges: [{ node: { id: ARTICLE.id, title: ARTICLE.title } }] } } },
    });
    const articles = statements.find((statement) => statement.queryName === 'Treaty.articles');
    expect(articles?.cypher).toContain('t {.id, .title}');
    expect(statements.map((statement) => statement.queryName)).toEqual(['nodesById', 'Treaty.articles']);
  });

  it('reads the text in the same statement when a fragment selects it', async () => {
    const { body, statements } = await ask(`
      { treaty(id: "CRC") { articles(first: 5) { edges { node { ...Text } } } } }
      fragment Text on TreatyArticle { id text }`);
    expect(body).toEqual({
      data: { treaty: { articles: { edges: [{ node: { id: ARTICLE.id, text: ARTICLE.paragraphs.join('\n\n') } }] } } },
    });
    expect(statements.map((statement) => statement.queryName)).toEqual(['nodesById', 'Treaty.articles']);
  });

  it('reads the paragraphs without the whole text when only the paragraphs are selected', async () => {
    const { body, statements } = await ask(
      '{ treaty(id: "CRC") { articles(first: 5) { edges { node { id title paragraphs { position text } } } } } }',
    );
    expect(body).toEqual({
      data: {
        treaty: {
          articles: {
            edges: [
              {
                node: {
                  id: ARTICLE.id,
                  title: ARTICLE.title,
                  paragraphs: ARTICLE.paragraphs.map((text, index) => ({ position: index + 1, text })),
                },
              },
            ],
          },
        },
      },
    });
    const articles = statements.find((statement) => statement.queryName === 'Treaty.articles');
    expect(articles?.cypher).toContain('t {.id, .paragraphs, .title}');
    expect(statements.map((statement) => statement.queryName)).toEqual(['nodesById', 'Treaty.articles']);
  });

  it('reads the text by id, in one batch, for an article read without it', async () => {
    const database = stubDatabase(answer);
    const repositories = createRepositories(database.forRequest('article-text'));
    const [article] = await repositories.treaties.articles('treaty:CRC', 0, 5, 'light');
    expect(article).toBeDefined();
    expect(article?.paragraphs).toBeUndefined();
    if (!article) return;
    expect(await repositories.treaties.articleText(article)).toEqual({ paragraphs: ARTICLE.paragraphs, text: null });
    expect(database.statements.map((statement) => statement.queryName)).toEqual([
      'Treaty.articles',
      'nodesById:projected',
    ]);
    expect(database.statements[1]?.cypher).toContain('n {.id, .paragraphs, .text}');
  });
});
