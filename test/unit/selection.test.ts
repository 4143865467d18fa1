import { buildSchema, graphql, type GraphQLResolveInfo } from 'graphql';
import type { Reading } from '../../src/modules/entities';
import { onceForField, readingFor } from '../../src/modules/selection';

/**
 * Whether a field's selection reaches a treaty article's text (TreatyArticle.paragraphs or .text), read
 * from the resolver's info: through nested links, inline fragments, named fragments and abstract types.
 */
const typeDefs = /* GraphQL */ `
  interface Node {
    id: ID!
  }
  type TreatyArticle implements Node {
    id: ID!
    title: String
    text: String
    paragraphs: [String!]!
  }
  type Concern {
    article: TreatyArticle!
    about: Node
  }
  type Recommendation implements Node {
    id: ID!
    text: String
    articles: [Concern!]!
  }
  type Query {
    articles: [Concern!]!
    node: Node
  }
`;

const schema = buildSchema(typeDefs);

/** The reading `Query.articles` would ask for under this query. */
async function readingOf(query: string): Promise<Reading> {
  let seen: Reading | undefined;
  const result = await graphql({
    schema,
    source: query,
    fieldResolver: (_source, _args, _context, info: GraphQLResolveInfo) => {
      if (info.fieldName === 'articles') seen = readingFor(info, 'TreatyArticle');
      return info.fieldName === 'articles' ? [] : null;
    },
  });
  expect(result.errors).toBeUndefined();
  if (seen === undefined) throw new Error('the resolver did not run');
  return seen;
}

describe('reading a treaty article whole only when its text is selected', () => {
  it('reads light when only the id and title are selected', async () => {
    expect(await readingOf('{ articles { article { id title } } }')).toBe('light');
  });

  it('reads whole when text or paragraphs are selected below the field', async () => {
    expect(await readingOf('{ articles { article { id text } } }')).toBe('full');
    expect(await readingOf('{ articles { article { paragraphs } } }')).toBe('full');
  });

  it('sees the text through inline and named fragments, and through the Node interface', async () => {
    expect(await readingOf('{ articles { article { ... on TreatyArticle { text } } } }')).toBe('full');
    expect(
      await readingOf(
        '{ articles { ...A } } fragment A on Concern { article { ...T } } fragment T on Node { ... on TreatyArticle { paragraphs } }',
      ),
    ).toBe('full');
    expect(await readingOf('{ articles { article { ...T } } } fragment T on Node { id }')).toBe('light');
  });

  it('does not take another type’s text field for the article’s', async () => {
    expect(await readingOf('{ articles { article { id } about { ... on Recommendation { text } } } }')).toBe('light');
    expect(await readingOf('{ articles { about { ... on TreatyArticle { text } } } }')).toBe('full');
  });
});

describe('answers worked out from a selection are shared by the items of one list, not across operations', () => {
  it('computes once for all items of a list, again for another operation', async () => {
    const listSchema = buildSchema(`
      type Item { id: ID! article: Concern }
      type Concern { id: ID! }
      type Query { items: [Item!]! }
    `);
    let computed = 0;
    const answers: unknown[] = [];
    const run = () =>
      graphql({
        schema: listSchema,
        source: '{ items { id article { id } } }',
        fieldResolver: (source: Record<string, unknown>, _args, _context, info: GraphQLResolveInfo) => {
          if (info.fieldName === 'items') return [{ id: '1' }, { id: '2' }, { id: '3' }];
          if (info.fieldName === 'article') {
            answers.push(onceForField(info, 'test', () => ({ computed: (computed += 1) })));
            return { id: `${String(source.id)}:a` };
          }
          return source[info.fieldName];
        },
      });
    expect((await run()).errors).toBeUndefined();
    expect(computed).toBe(1);
    expect(answers).toHaveLength(3);
    expect(new Set(answers).size).toBe(1);
    expect((await run()).errors).toBeUndefined();
    expect(computed).toBe(2);
  });

  it('keeps answers under different keys apart', () => {
    const info = { fieldNodes: [], variableValues: {} };
    expect(onceForField(info, 'a', () => 'A')).toBe('A');
    expect(onceForField(info, 'b', () => 'B')).toBe('B');
    expect(onceForField(info, 'a', () => 'other')).toBe('A');
  });

  it('keeps the answers of two executions of one compiled operation apart (same field nodes, other variables)', () => {
    const fieldNodes: never[] = [];
    expect(onceForField({ fieldNodes, variableValues: { state: 'KAZ' } }, 'a', () => 'KAZ')).toBe('KAZ');
    expect(onceForField({ fieldNodes, variableValues: { state: 'LVA' } }, 'a', () => 'LVA')).toBe('LVA');
  });
});
