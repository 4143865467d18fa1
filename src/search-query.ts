import { GraphQLError } from 'graphql';

/** The longest search text accepted, and the most words used from it. */
export const MAX_SEARCH_LENGTH = 200;
export const MAX_SEARCH_TERMS = 16;
/** Words at least this long also match as prefixes ("punish" finds "punishment"). */
const PREFIX_MIN_LENGTH = 4;

/**
 * Turns a user's search text into a Lucene query that means "every word, as a word or a prefix". The text
 * is reduced to its words (letters and digits of any script), lower-cased, so no Lucene syntax survives:
 * quotes, wildcards, brackets, field names and slashes become nothing; Lucene's operator words (`AND`, `OR`,
 * `NOT` in capitals, `&&`, `||`) and the numbers of boosts and fuzzy marks (`^9`, `~2`) are dropped, so text
 * pasted from a Lucene query searches for its words and is never honoured as syntax. An empty result is a
 * client error, not an empty search.
 */
export function toLuceneQuery(text: string): { query: string; terms: string[] } {
  if (text.length > MAX_SEARCH_LENGTH) {
    throw new GraphQLError(`search(text:) is ${text.length} characters long; the limit is ${MAX_SEARCH_LENGTH}.`, {
      extensions: { code: 'BAD_USER_INPUT', argument: 'search(text:)', http: { status: 400 } },
    });
  }
  const withoutOperators = text
    .replace(/[\^~][\d.]*/g, ' ')
    .replace(/&&|\|\|/g, ' ')
    .replace(/(?<![\p{L}\p{N}])(AND|OR|NOT)(?![\p{L}\p{N}])/gu, ' ');
  const words = withoutOperators.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const terms = [...new Set(words)].slice(0, MAX_SEARCH_TERMS);
  if (terms.length === 0) {
    throw new GraphQLError('search(text:) holds no words to search for (only punctuation or spaces).', {
      extensions: { code: 'BAD_USER_INPUT', argument: 'search(text:)', http: { status: 400 } },
    });
  }
  // Lowercase letters and digits are never Lucene syntax, so the terms need no escaping; `+` makes each
  // word required and the prefix form widens only that word.
  const query = terms.map((term) => (term.length >= PREFIX_MIN_LENGTH ? `+(${term} ${term}*)` : `+${term}`)).join(' ');
  return { query, terms };
}
