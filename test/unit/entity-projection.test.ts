import { decodeEntity } from '../../src/modules/entities';

const recommendation = {
  labels: ['Entity', 'Recommendation'],
  props: { id: 'rec:CRC/C/KAZ/CO/4:29', paragraph: 29, summary: null },
};

describe('an entity read with a projection', () => {
  it('decodes the properties read as the whole model would', () => {
    const decoded = decodeEntity(recommendation, ['Recommendation'], ['id', 'paragraph', 'summary']);
    expect(decoded.__label).toBe('Recommendation');
    expect(decoded.id).toBe('rec:CRC/C/KAZ/CO/4:29');
    expect(decoded.paragraph).toBe(29);
    expect(decoded.summary).toBeNull();
  });

  it('throws when a property it did not read is read, never answers null for it', () => {
    const decoded = decodeEntity(recommendation, ['Recommendation'], ['id', 'paragraph']);
    expect(() => decoded.documentSymbol).toThrow(/Recommendation\.documentSymbol was not read/);
    expect(() => decoded.verification).toThrow(/not read/);
  });

  it('leaves an unread lazy property absent, as its model allows (its resolver reads it by id)', () => {
    const article = decodeEntity(
      { labels: ['Entity', 'TreatyArticle'], props: { id: 'treaty:CRC:art:19', title: 'Protection' } },
      ['TreatyArticle'],
      ['id', 'title'],
    );
    expect(article.title).toBe('Protection');
    expect(article.paragraphs).toBeUndefined();
    expect(article.text).toBeUndefined();
  });

  it('rejects a projected property the model requires but the graph lacks (null), as a whole read would', () => {
    expect(() =>
      decodeEntity(
        { labels: ['Entity', 'Recommendation'], props: { id: 'rec:x', kind: null } },
        ['Recommendation'],
        ['id', 'kind'],
      ),
    ).toThrow(/does not match/);
  });
});
