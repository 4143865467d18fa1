import { GraphQLError } from 'graphql';
import { toLuceneQuery } from '../../src/search-query';

describe('turning search text into a safe full-text query', () => {
  it('requires every word, and lets longer words match as prefixes', () => {
    expect(toLuceneQuery('corporal punishment').query).toBe('+(corporal corporal*) +(punishment punishment*)');
    expect(toLuceneQuery('law 345').query).toBe('+law +345');
  });

  it('keeps the words and, in lower case, the plain English words and, or, not', () => {
    expect(toLuceneQuery('care and protection').terms).toEqual(['care', 'and', 'protection']);
    expect(toLuceneQuery('corporal* OR punishment^9').terms).toEqual(['corporal', 'punishment']);
  });

  it('keeps Cyrillic words and lower-cases them', () => {
    expect(toLuceneQuery('Ратифицировать Протокол').terms).toEqual(['ратифицировать', 'протокол']);
  });

  it.each([
    ['field names and wildcards', 'text:* OR title:?', ['text', 'title']],
    ['boolean operators', 'violence AND NOT (home || school) && abuse', ['violence', 'home', 'school', 'abuse']],
    [
      'quotes, boosts and fuzziness',
      '"corporal punishment"^10 abuse~2 neglect~0.8',
      ['corporal', 'punishment', 'abuse', 'neglect'],
    ],
    ['ranges and regular expressions', '[a TO z] /.*/ {1 TO 9}', ['a', 'to', 'z', '1', '9']],
    ['escapes and slashes', 'CRC\\/C\\/KAZ\\/CO\\/4 \\\\', ['crc', 'c', 'kaz', 'co', '4']],
  ])('reduces %s to plain words', (_what, text, terms) => {
    const { query, terms: got } = toLuceneQuery(text);
    expect(got).toEqual(terms);
    // Nothing but required words, their prefix forms and grouping survives.
    expect(query).toMatch(/^(\+(\([\p{L}\p{N}]+ [\p{L}\p{N}]+\*\)|[\p{L}\p{N}]+) ?)+$/u);
  });

  it('rejects text with no words, and text over the length limit, as bad input', () => {
    const noWords = (() => {
      try {
        toLuceneQuery('*** ~~ ""');
      } catch (error) {
        return error;
      }
    })();
    expect(noWords).toBeInstanceOf(GraphQLError);
    expect((noWords as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
    expect(() => toLuceneQuery('a'.repeat(201))).toThrow(/201 characters long; the limit is 200/);
  });
});
