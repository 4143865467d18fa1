import { buildSchema, graphql, type GraphQLResolveInfo } from 'graphql';
import type { Reading } from '../../src/modules/entities';
import { readingFor } from '../../src/modules/selection';

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
