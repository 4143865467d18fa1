import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { kazParagraphs } from '../support/kaz-paragraphs';
import {
  SIMILARITY_THRESHOLD,
  inferReiterations,
  type InferParagraph,
  type InferredReiteration,
} from '../../src/modules/uhri/infer';

const fixture = kazParagraphs;

/** Publication dates as the UHRI fixture has them (none for CRC/C/15/Add.213). */
const DATES: Record<string, string | null> = {
  'CRC/C/KAZ/CO/4': '2015-10-30',
  'CRC/C/KAZ/CO/3': '2007-06-19',
  'CRC/C/15/Add.213': null,
  'CRC/C/KAZ/Q/5-6': '2025-11-06',
};

/** The fixture as the importer hands it over: no cycle (UHRI has none), the text as exported. */
const uhriParagraphs: InferParagraph[] = fixture.map((entry) => ({
  id: `rec:${entry.symbol}:${entry.paragraph}`,
  stateId: 'state:KAZ',
  committee: 'CRC',
  documentSymbol: entry.symbol,
  cycle: null,
  publicationDate: DATES[entry.symbol] ?? null,
  paragraph: String(entry.paragraph),
  text: entry.text,
  themes: entry.themes,
}));

interface CuratedRecommendation {
  id: string;
  reiterates?: { recommendation: string }[];
}

/** The REITERATES links the editors curated (seed/data/kaz/un.yaml). */
function curatedReiterations(): [string, string][] {
  const data = parse(readFileSync(resolve(__dirname, '../../seed/data/kaz/un.yaml'), 'utf8')) as {
    recommendations: CuratedRecommendation[];
  };
  return data.recommendations.flatMap((r) =>
    (r.reiterates ?? []).map((link): [string, string] => [r.id, link.recommendation]),
  );
}

const pairs = (links: InferredReiteration[]) => links.map((l): [string, string] => [l.fromId, l.toId]);

function paragraph(symbol: string, number: number, text: string, extra: Partial<InferParagraph> = {}): InferParagraph {
  return {
    id: `rec:${symbol}:${number}`,
    stateId: 'state:KAZ',
    committee: 'CRC',
    documentSymbol: symbol,
    cycle: null,
    publicationDate: null,
    paragraph: String(number),
    text,
    themes: [],
    ...extra,
  };
}

describe('reiteration by near-identical text, on the real Kazakhstan paragraphs', () => {
  it('reproduces the curated corporal-punishment chain 2003 → 2007 → 2015, and nothing else', () => {
    const links = inferReiterations(uhriParagraphs);
    expect(links.every((l) => l.inference === 'TEXT_SIMILARITY')).toBe(true);
    expect(pairs(links).sort()).toEqual(curatedReiterations().sort());
    expect(pairs(links).sort()).toEqual([
      ['rec:CRC/C/KAZ/CO/3:37', 'rec:CRC/C/15/Add.213:39'],
      ['rec:CRC/C/KAZ/CO/4:28', 'rec:CRC/C/KAZ/CO/3:36'],
      ['rec:CRC/C/KAZ/CO/4:29', 'rec:CRC/C/KAZ/CO/3:37'],
    ]);
    for (const link of links) {
      expect(link.similarity).toBeGreaterThanOrEqual(SIMILARITY_THRESHOLD);
      expect(link.evidence).toMatch(/^TF-IDF cosine 0\.\d{3} ≥ 0\.22 with the closest paragraph of CRC\//);
    }
  });

  it('the same chain when the importer knows the curated cycles instead of dates', () => {
    const cycles: Record<string, string> = {
      'CRC/C/15/Add.213': '1',
      'CRC/C/KAZ/CO/3': '2-3',
      'CRC/C/KAZ/CO/4': '4',
    };
    const withCycles = uhriParagraphs.map((p) => ({
      ...p,
      publicationDate: null,
      cycle: cycles[p.documentSymbol] ?? null,
    }));
    expect(pairs(inferReiterations(withCycles)).sort()).toEqual(curatedReiterations().sort());
  });

  it('a paragraph is compared with the previous cycle only: nothing of 2015 is linked to 2003', () => {
    const links = inferReiterations(uhriParagraphs, { threshold: 0 });
    for (const link of links) {
      if (link.fromId.startsWith('rec:CRC/C/KAZ/CO/4:')) expect(link.toId).toMatch(/^rec:CRC\/C\/KAZ\/CO\/3:/);
      if (link.fromId.startsWith('rec:CRC/C/KAZ/CO/3:')) expect(link.toId).toMatch(/^rec:CRC\/C\/15\/Add\.213:/);
    }
    // The list of issues is not concluding observations and takes no part.
    expect(links.some((l) => l.fromId.includes('/Q/') || l.toId.includes('/Q/'))).toBe(false);
  });

  it("another state's or another committee's paragraphs with the same words are not linked", () => {
    const other = uhriParagraphs
      .filter((p) => p.documentSymbol === 'CRC/C/KAZ/CO/3')
      .map((p) => ({
        ...p,
        id: p.id.replace('CRC/C/KAZ/CO/3', 'CEDAW/C/KAZ/CO/3'),
        documentSymbol: 'CEDAW/C/KAZ/CO/3',
        committee: 'CEDAW',
      }));
    const links = inferReiterations([...uhriParagraphs.filter((p) => p.documentSymbol === 'CRC/C/KAZ/CO/4'), ...other]);
    expect(links).toEqual([]);
  });
});

describe("reiteration in the Committee's own words", () => {
  it('the real CRC/C/KAZ/CO/4 para. 64 cites the OPAC concluding observations, paragraphs 7 and 15 (Russian)', () => {
    // seed/data/kaz/un.yaml, rec:CRC/C/KAZ/CO/4:64 (official Russian text, read from its start on zhgu.edu.kz).
    const text =
      'касающимся участия детей в вооруженных конфликтах (см. CRC/C/OPAC/KAZ/CO/1, пункты 7 и 15), в частности в отношении запрета и криминализации вербовки детей в вооруженные группы и их участия в военных действиях и доступа к независимым механизмам приема жалоб и проведения расследований в военных училищах.';
    const links = inferReiterations([paragraph('CRC/C/KAZ/CO/4', 64, text, { publicationDate: '2015-10-30' })]);
    expect(links).toEqual([
      {
        fromId: 'rec:CRC/C/KAZ/CO/4:64',
        toId: 'rec:CRC/C/OPAC/KAZ/CO/1:7',
        inference: 'EXPLICIT_REFERENCE',
        evidence: 'CRC/C/OPAC/KAZ/CO/1, пункты 7 и 15',
        similarity: null,
      },
      {
        fromId: 'rec:CRC/C/KAZ/CO/4:64',
        toId: 'rec:CRC/C/OPAC/KAZ/CO/1:15',
        inference: 'EXPLICIT_REFERENCE',
        evidence: 'CRC/C/OPAC/KAZ/CO/1, пункты 7 и 15',
        similarity: null,
      },
    ]);
  });

  it('a paragraph number given links there; a symbol without one links to the closest paragraph of that document', () => {
    // Constructed in the Committee's phrasing, around the real 2003 and 2007 texts.
    const add213 = uhriParagraphs.filter((p) => p.documentSymbol === 'CRC/C/15/Add.213');
    const links = inferReiterations([
      ...add213,
      paragraph(
        'CRC/C/KAZ/CO/3',
        40,
        'The Committee reiterates its previous recommendation (CRC/C/15/Add.213, para. 38) and recommends training of law enforcement officials.',
        { publicationDate: '2007-06-19' },
      ),
      paragraph(
        'CRC/C/KAZ/CO/3',
        41,
        'Recalling its concluding observations (CRC/C/15/Add.213), the Committee recommends legislative measures to prohibit corporal punishment within the family, schools and other institutions.',
        { publicationDate: '2007-06-19' },
      ),
    ]);
    const explicit = links.filter((l) => l.inference === 'EXPLICIT_REFERENCE');
    expect(explicit.map((l) => [l.fromId, l.toId, l.evidence])).toEqual([
      ['rec:CRC/C/KAZ/CO/3:40', 'rec:CRC/C/15/Add.213:38', 'CRC/C/15/Add.213, para. 38'],
      ['rec:CRC/C/KAZ/CO/3:41', 'rec:CRC/C/15/Add.213:39', 'CRC/C/15/Add.213 (closest paragraph)'],
    ]);
    expect(explicit[0]!.similarity).toBeNull();
    expect(explicit[1]!.similarity).toBeGreaterThan(0);
    // An explicit link is not repeated as a TEXT_SIMILARITY one.
    expect(
      links.filter((l) => l.fromId === 'rec:CRC/C/KAZ/CO/3:41' && l.toId === 'rec:CRC/C/15/Add.213:39'),
    ).toHaveLength(1);
  });

  it('"reiterates its previous recommendation" with no reference links to the closest paragraph of the previous cycle', () => {
    const co3 = uhriParagraphs.filter((p) => p.documentSymbol === 'CRC/C/KAZ/CO/3');
    const links = inferReiterations([
      ...co3,
      paragraph(
        'CRC/C/KAZ/CO/4',
        30,
        'The Committee reiterates its previous recommendation that the State party explicitly prohibit in law corporal punishment of children.',
        { publicationDate: '2015-10-30' },
      ),
    ]);
    expect(links.filter((l) => l.inference === 'EXPLICIT_REFERENCE').map((l) => [l.toId, l.evidence])).toEqual([
      ['rec:CRC/C/KAZ/CO/3:37', '"reiterates its previous recommendation" (closest paragraph of CRC/C/KAZ/CO/3)'],
    ]);
  });

  it('"(CRC/C/KAZ/CO/3, paras. 36 and 37)" links to both; the Committee against Torture\'s "A/56/44, paras. 121-129" and a general comment are not reiterations', () => {
    const links = inferReiterations([
      paragraph(
        'CRC/C/KAZ/CO/4',
        31,
        'As recommended before (CRC/C/KAZ/CO/3, paras. 36 and 37), the Committee urges …',
        {
          publicationDate: '2015-10-30',
        },
      ),
      // Real text: CRC/C/15/Add.213, para. 38 (reference §4.3) cites CAT's report and the Code of Conduct.
      uhriParagraphs.find((p) => p.id === 'rec:CRC/C/15/Add.213:38')!,
      paragraph('CRC/C/KAZ/CO/3', 37, uhriParagraphs.find((p) => p.id === 'rec:CRC/C/KAZ/CO/3:37')!.text),
    ]);
    expect(pairs(links.filter((l) => l.inference === 'EXPLICIT_REFERENCE'))).toEqual([
      ['rec:CRC/C/KAZ/CO/4:31', 'rec:CRC/C/KAZ/CO/3:36'],
      ['rec:CRC/C/KAZ/CO/4:31', 'rec:CRC/C/KAZ/CO/3:37'],
    ]);
  });

  it("a citation of a later document, or of the paragraph's own document, is not a reiteration", () => {
    const links = inferReiterations([
      paragraph('CRC/C/KAZ/CO/3', 5, 'See also CRC/C/KAZ/CO/4, para. 29, and CRC/C/KAZ/CO/3, para. 37.', {
        publicationDate: '2007-06-19',
      }),
      paragraph('CRC/C/KAZ/CO/4', 29, 'Corporal punishment.', { publicationDate: '2015-10-30' }),
    ]);
    expect(links.filter((l) => l.inference === 'EXPLICIT_REFERENCE')).toEqual([]);
  });
});
