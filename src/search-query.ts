import { badUserInput } from './errors';
import { checkSearchLength, LIMITS } from './limits';
import { normalizeSearchText } from './search-text';

/** The longest search text accepted, and the most words used from it. */
export const MAX_SEARCH_LENGTH = LIMITS.maxSearchLength;
export const MAX_SEARCH_TERMS = LIMITS.maxSearchTerms;
/** Words at least this long also match as prefixes ("punish" finds "punishment"). */
const PREFIX_MIN_LENGTH = 4;

/**
 * Turns a user's search text into a Lucene query that means "every word, as a word or a prefix". The text
 * is normalised as the indexed text is (`normalizeSearchText`: NFKC, "ё" as "е") and reduced to its words
 * (letters and digits of any script), lower-cased, so no Lucene syntax survives:
 * quotes, wildcards, brackets, field names and slashes become nothing; Lucene's operator words (`AND`, `OR`,
 * `NOT` in capitals, `&&`, `||`) and the numbers of boosts and fuzzy marks (`^9`, `~2`) are dropped, so text
 * pasted from a Lucene query searches for its words and is never honoured as syntax. An empty result is a
 * client error, not an empty search.
 */
export function toLuceneQuery(text: string): { query: string; terms: string[] } {
  checkSearchLength(text);
  const withoutOperators = normalizeSearchText(text)
    .replace(/[\^~][\d.]*/g, ' ')
    .replace(/&&|\|\|/g, ' ')
    .replace(/(?<![\p{L}\p{N}])(AND|OR|NOT)(?![\p{L}\p{N}])/gu, ' ');
  const words = withoutOperators.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const terms = [...new Set(words)].slice(0, MAX_SEARCH_TERMS);
  if (terms.length === 0) {
    throw badUserInput('search(text:) holds no words to search for (only punctuation or spaces).', 'search(text:)');
  }
  // Lowercase letters and digits are never Lucene syntax, so the terms need no escaping; `+` makes each
  // word required and the prefix form widens only that word.
  const query = terms.map((term) => (term.length >= PREFIX_MIN_LENGTH ? `+(${term} ${term}*)` : `+${term}`)).join(' ');
  return { query, terms };
}
