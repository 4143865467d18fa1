import { parsePublicationDate, splitMultiValue } from '../../src/modules/uhri/cells';
import { parseParagraph, subParagraphLetters } from '../../src/modules/uhri/paragraphs';
import { affectedPersonTags, parseSdg, slug, themeTags } from '../../src/modules/uhri/tags';

describe('multi-valued cells', () => {
  it('reads one value per line, each prefixed "- "', () => {
    expect(splitMultiValue('- Corporal punishment\n- Violence against children')).toEqual([
      'Corporal punishment',
      'Violence against children',
    ]);
    expect(splitMultiValue('- Children\r\n\r\n- Women & girls\r\n')).toEqual(['Children', 'Women & girls']);
  });

  it('reads a single value with or without the prefix, and nothing from an empty cell', () => {
    expect(splitMultiValue('- Kazakhstan')).toEqual(['Kazakhstan']);
    expect(splitMultiValue('Kazakhstan')).toEqual(['Kazakhstan']);
    expect(splitMultiValue(null)).toEqual([]);
    expect(splitMultiValue('  ')).toEqual([]);
  });

  it('keeps a hyphen inside a value', () => {
    expect(splitMultiValue('- Guinea-Bissau\n- CRC-OP-SC')).toEqual(['Guinea-Bissau', 'CRC-OP-SC']);
  });
});

describe('Document Publication Date', () => {
  const date = (value: Parameters<typeof parsePublicationDate>[0], order?: 'dmy' | 'mdy') =>
    parsePublicationDate(value, order);

  it('reads an Excel serial number, as a number cell or as CSV text', () => {
    expect(date(42307)).toEqual({ ok: true, date: '2015-10-30' });
    expect(date('42307')).toEqual({ ok: true, date: '2015-10-30' });
    expect(date(39252)).toEqual({ ok: true, date: '2007-06-19' });
    // A date-time serial keeps its day.
    expect(date('46125.4996282407')).toEqual({ ok: true, date: '2026-04-13' });
  });

  it('reads a date-formatted xlsx cell', () => {
    expect(date(new Date(Date.UTC(2015, 9, 30)))).toEqual({ ok: true, date: '2015-10-30' });
  });

  it('reads the text locales write: ISO, day-first with dots, and month names', () => {
    expect(date('2015-10-30')).toEqual({ ok: true, date: '2015-10-30' });
    expect(date('2015-10-30T00:00:00Z')).toEqual({ ok: true, date: '2015-10-30' });
    expect(date('30.10.2015')).toEqual({ ok: true, date: '2015-10-30' });
    expect(date('6.11.2025')).toEqual({ ok: true, date: '2025-11-06' });
    expect(date('30-Oct-2015')).toEqual({ ok: true, date: '2015-10-30' });
    expect(date('30-Oct-15')).toEqual({ ok: true, date: '2015-10-30' });
    expect(date('30 October 2015')).toEqual({ ok: true, date: '2015-10-30' });
    expect(date('October 30, 2015')).toEqual({ ok: true, date: '2015-10-30' });
  });

  it('reads a slash date when the day gives the order away', () => {
    expect(date('30/10/2015')).toEqual({ ok: true, date: '2015-10-30' });
    expect(date('10/30/2015')).toEqual({ ok: true, date: '2015-10-30' });
    expect(date('19/06/2007 00:00')).toEqual({ ok: true, date: '2007-06-19' });
    expect(date('05/05/2015')).toEqual({ ok: true, date: '2015-05-05' });
    // Excel's two-digit years pivot at 1930.
    expect(date('30/10/15')).toEqual({ ok: true, date: '2015-10-30' });
    expect(date('30/10/98')).toEqual({ ok: true, date: '1998-10-30' });
  });

  it('reports an ambiguous slash date instead of guessing, and reads it when told the order', () => {
    const ambiguous = date('06/11/2025');
    expect(ambiguous).toMatchObject({ ok: false });
    expect(ambiguous && !ambiguous.ok && ambiguous.reason).toMatch(/ambiguous/);
    expect(date('06/11/2025', 'dmy')).toEqual({ ok: true, date: '2025-11-06' });
    expect(date('06/11/2025', 'mdy')).toEqual({ ok: true, date: '2025-06-11' });
  });

  it('reports what is not a date', () => {
    expect(date('31/02/2015')).toMatchObject({ ok: false });
    expect(date('2015-13-01')).toMatchObject({ ok: false });
    expect(date('soon')).toMatchObject({ ok: false });
    expect(date(12)).toMatchObject({ ok: false });
    expect(date(null)).toBeNull();
    expect(date('')).toBeNull();
  });
});

describe('the paragraph number and sub-paragraphs of Text', () => {
  it('takes the number from the start of the text and keeps the rest whole', () => {
    expect(parseParagraph('65. The Committee recommends that the State party ratify …')).toEqual({
      ok: true,
      paragraph: 65,
      body: 'The Committee recommends that the State party ratify …',
      heading: null,
      subParagraphs: [],
    });
  });

  it('records the lettered sub-paragraphs it finds', () => {
    const result = parseParagraph(
      '44. In light of article 20, the Committee recommends that the State party: (a) Take …; (b) Take …; (c) Place …; (g […]',
    );
    expect(result).toMatchObject({ ok: true, paragraph: 44, subParagraphs: ['a', 'b', 'c'] });
    expect(result.ok && result.body.startsWith('In light of article 20')).toBe(true);
  });

  it('reads letters written without the opening bracket, and ignores a roman item or a letter out of sequence', () => {
    expect(subParagraphLetters('присоединение к: a) Конвенции …; b) Конвенции …; c) Гаагской')).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(subParagraphLetters('(a) one; (b) two, including (i) this and (ii) that; (c) three')).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(subParagraphLetters('see annex (c) only')).toEqual([]);
    expect(subParagraphLetters('in accordance with article 3 (3) of the Convention')).toEqual([]);
  });

  it('takes a heading written before the number apart from the text', () => {
    expect(parseParagraph('Rural women 49.The Committee notes with concern')).toMatchObject({
      ok: true,
      paragraph: 49,
      heading: 'Rural women',
      body: 'The Committee notes with concern',
    });
  });

  it('reports a text with no paragraph number, and a UPR item number the id scheme cannot hold', () => {
    expect(parseParagraph('The Committee recommends …')).toMatchObject({ ok: false });
    expect(parseParagraph('[64. …] касающимся участия детей')).toMatchObject({ ok: false });
    const upr = parseParagraph('128.5 Ratify the Optional Protocol … (Germany);');
    expect(upr).toMatchObject({ ok: false });
    expect(!upr.ok && upr.reason).toMatch(/128\.5/);
  });
});

describe('themes, affected persons and SDG targets', () => {
  it('reads an SDG target as code and label', () => {
    expect(
      parseSdg('16.2 - End abuse, exploitation, trafficking and all forms of violence against and torture of children'),
    ).toEqual({
      id: 'sdg:16.2',
      code: '16.2',
      goal: 16,
      label: 'End abuse, exploitation, trafficking and all forms of violence against and torture of children',
    });
    expect(parseSdg('4.a - Build and upgrade education facilities')).toMatchObject({ id: 'sdg:4.a', goal: 4 });
    expect(parseSdg('16 - Peace, justice and strong institutions')).toMatchObject({ code: '16', goal: 16 });
  });

  it('does not read what is not an SDG target', () => {
    expect(parseSdg('End abuse')).toBeNull();
    expect(parseSdg('18.1 - There is no goal 18')).toBeNull();
    expect(parseSdg('16.2')).toBeNull();
  });

  it('gives themes and affected persons stable ids apart from the curated themes', () => {
    expect(slug('Economic, social & cultural rights - general measures')).toBe(
      'economic-social-and-cultural-rights-general-measures',
    );
    expect(themeTags(['Corporal punishment', 'Corporal  punishment'])).toEqual([
      { id: 'theme:uhri:corporal-punishment', name: 'Corporal punishment' },
    ]);
    expect(affectedPersonTags(['Women & girls'])).toEqual([{ id: 'group:women-and-girls', name: 'Women & girls' }]);
  });
});
