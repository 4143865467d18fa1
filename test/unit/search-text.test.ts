import { toLuceneQuery } from '../../src/search-query';
import { foldForMatch, normalizeSearchText } from '../../src/search-text';
import { SCHEMA_STATEMENTS } from '../../seed/schema-statements';
import { SEARCH_INDEX_PROPERTIES } from '../../seed/search-indexes';

describe('text is normalised the same way for the search index and for the query', () => {
  it('folds ё into е, in either case, and leaves й alone', () => {
    expect(normalizeSearchText('вооружённых Ёлки йод')).toBe('вооруженных Елки йод');
    expect(toLuceneQuery('Вооружённых конфликтах').terms).toEqual(['вооруженных', 'конфликтах']);
  });

  it('composes a letter written with a combining mark before folding it (NFKC)', () => {
    // "е" + COMBINING DIAERESIS is "ё" on screen.
    expect(normalizeSearchText('вооруже\u0308нных')).toBe('вооруженных');
  });

  it('turns compatibility forms into plain letters and drops soft hyphens', () => {
    expect(normalizeSearchText('ﬁnal ｃｈｉｌｄ pro\u00ADtection\u00A0now')).toBe('final child protection now');
    expect(toLuceneQuery('ＣＨＩＬＤ').terms).toEqual(['child']);
  });

  it('finds a matched word in the original text character for character', () => {
    const text = 'в Вооружённых конфликтах';
    expect(foldForMatch(text)).toHaveLength(text.length);
    expect(foldForMatch(text).indexOf('вооруженных')).toBe(2);
  });
});

describe('the search indexes read the normalised copies the loader writes', () => {
  it.each(Object.entries(SEARCH_INDEX_PROPERTIES))('%s covers %p', (name, properties) => {
    const statement = SCHEMA_STATEMENTS.find((entry) => entry.name === name);
    expect(statement?.cypher).toContain(`ON EACH [${properties.map((property) => `n.${property}`).join(', ')}]`);
  });
});
