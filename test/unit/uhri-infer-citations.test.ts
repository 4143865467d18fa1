import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { kazParagraphs } from '../support/kaz-paragraphs';
import { TREATY_ARTICLE_COUNTS, inferConcerns, type InferParagraph } from '../../src/modules/uhri/infer';

const fixture = kazParagraphs;

function paragraph(text: string, symbol = 'CRC/C/KAZ/CO/4', committee = 'CRC', number = '1'): InferParagraph {
  return {
    id: `rec:${symbol}:${number}`,
    stateId: 'state:KAZ',
    committee,
    documentSymbol: symbol,
    cycle: null,
    publicationDate: null,
    paragraph: number,
    text,
    themes: [],
  };
}

function fromFixture(symbol: string, number: number): InferParagraph {
  const entry = fixture.find((p) => p.symbol === symbol && p.paragraph === number);
  if (entry === undefined) throw new Error(`${symbol} para. ${number} is not in the fixture`);
  return paragraph(entry.text, symbol, 'CRC', String(number));
}

const articles = (p: InferParagraph) => inferConcerns(p).map((c) => c.articleId);

describe('article citations in real Committee paragraphs', () => {
  it('"In light of article 37 of the Convention and the Code of Conduct …" (CRC/C/15/Add.213, para. 38) concerns art. 37 only', () => {
    const concerns = inferConcerns(fromFixture('CRC/C/15/Add.213', 38));
    expect(concerns).toEqual([
      {
        recommendationId: 'rec:CRC/C/15/Add.213:38',
        articleId: 'treaty:CRC:art:37',
        inference: 'ARTICLE_CITATION',
        evidence: 'article 37 of the Convention',
        sourceIds: [],
        locators: [],
        verification: 'UNVERIFIED',
      },
    ]);
  });

  it('"article 20 of the Convention" and, inside the sub-paragraphs, "article 3 (3)" and "article 25" (CRC/C/15/Add.213, para. 44, full text from the reference §4.3)', () => {
    // The fixture's copy of para. 44 stops in (d); the reference quotes it to (g).
    const text =
      '44. In light of article 20 of the Convention, the Committee recommends that the State party: (a) Take effective measures, including the development of strategies and awareness-raising activities, to prevent and reduce the abandonment of children; (b) Take effective measures to increase and strengthen foster care, family-type foster homes and other family-based alternative care and correspondingly decrease institutional care as a form of alternative care; (c) Place children in institutions only as a measure of last resort and as a temporary measure; (d) Take all necessary measures to improve conditions in institutions, in accordance with article 3 (3) of the Convention, and increase the participation of children; (e) Provide support and child rights-oriented training for personnel in institutions, including social workers; (f) Improve considerably the quality of care and the living conditions in institutions and make sure that standards of care are systematically monitored, and establish regular periodic review of placement in accordance with article 25 of the Convention; (g […]';
    const concerns = inferConcerns(paragraph(text, 'CRC/C/15/Add.213', 'CRC', '44'));
    expect(concerns.map((c) => [c.articleId, c.evidence])).toEqual([
      ['treaty:CRC:art:20', 'article 20 of the Convention'],
      ['treaty:CRC:art:3', 'article 3 (3) of the Convention'],
      ['treaty:CRC:art:25', 'article 25 of the Convention'],
    ]);
  });

  it('"articles 37, 39 and 40 of the Convention" (CRC/C/15/Add.213, para. 67) concerns the three articles once each', () => {
    const concerns = inferConcerns(fromFixture('CRC/C/15/Add.213', 67));
    expect(concerns.map((c) => [c.articleId, c.evidence])).toEqual([
      ['treaty:CRC:art:37', 'articles 37, 39 and 40 of the Convention'],
      ['treaty:CRC:art:39', 'articles 37, 39 and 40 of the Convention'],
      ['treaty:CRC:art:40', 'articles 37, 39 and 40 of the Convention'],
    ]);
  });

  it('paragraphs that cite no article of the Convention get no article link', () => {
    for (const [symbol, number] of [
      ['CRC/C/KAZ/CO/4', 28],
      ['CRC/C/KAZ/CO/4', 29],
      ['CRC/C/KAZ/CO/3', 36],
      ['CRC/C/KAZ/CO/3', 37],
      ['CRC/C/15/Add.213', 39],
      ['CRC/C/15/Add.213', 42],
      ['CRC/C/KAZ/CO/3', 11],
      ['CRC/C/KAZ/Q/5-6', 2],
      ['CRC/C/KAZ/CO/4', 65],
    ] as const) {
      expect([symbol, number, articles(fromFixture(symbol, number))]).toEqual([symbol, number, []]);
    }
  });

  it('a bracketed list in a heading of the reporting guidelines\' form: "(arts. 4, 42 and 44, para. 6)" (CRC/C/KAZ/4, reference §1)', () => {
    expect(articles(paragraph('General measures of implementation (arts. 4, 42 and 44, para. 6)'))).toEqual([
      'treaty:CRC:art:4',
      'treaty:CRC:art:42',
      'treaty:CRC:art:44',
    ]);
    expect(articles(paragraph('Children deprived of a family environment (art. 20)'))).toEqual(['treaty:CRC:art:20']);
  });

  it('articles of national law in the reference are not treaty citations ("issued under art. 120(3)", "Art. 7-2")', () => {
    // Reference §1 and §5: the Marriage and Family Code and Law No. 345-II, cited by article.
    expect(
      articles(
        paragraph('Resolution No. 382 of 30 March 2012 was issued under art. 120(3). What art. 116 says was not read.'),
      ),
    ).toEqual([]);
    expect(
      articles(
        paragraph(
          'Art. 7-1 "Институт Уполномоченного по правам ребенка" and Art. 7-2 "Уполномоченный по правам ребенка"',
        ),
      ),
    ).toEqual([]);
  });
});

describe("the forms a citation takes (constructed sentences in the Committee's phrasing)", () => {
  it.each([
    ['the State party should, in the light of arts. 19 and 39, …', []],
    ['(arts. 19 and 39)', ['treaty:CRC:art:19', 'treaty:CRC:art:39']],
    [
      'in accordance with articles 28, 29 and 31 of the Convention',
      ['treaty:CRC:art:28', 'treaty:CRC:art:29', 'treaty:CRC:art:31'],
    ],
    ['with article 3 (1) of the Convention', ['treaty:CRC:art:3']],
    ['under article 3, paragraph 1, of the Convention', ['treaty:CRC:art:3']],
    [
      'articles 28 to 31 of the Convention',
      ['treaty:CRC:art:28', 'treaty:CRC:art:29', 'treaty:CRC:art:30', 'treaty:CRC:art:31'],
    ],
    ['article 12 of the Convention on the Rights of the Child', ['treaty:CRC:art:12']],
    ['article 7 of the Convention on the Rights of Persons with Disabilities', []],
    ['article 16 of the Convention on the Elimination of All Forms of Discrimination against Women', []],
    ['article 3 of the ILO Convention No. 182', []],
    ['article 19 of the Constitution', []],
    ['article 5 of the Law on the Rights of the Child', []],
    ['article 120 of the Criminal Code', []],
    ['article 2 of the Optional Protocol on the involvement of children in armed conflict', ['treaty:OPAC:art:2']],
    [
      'article 3 of the Optional Protocol to the Convention on the Rights of the Child on the sale of children, child prostitution and child pornography',
      ['treaty:OPSC:art:3'],
    ],
    ['article 4 of the Optional Protocol on a communications procedure', ['treaty:OPIC:art:4']],
    ['article 1 of the Optional Protocol to the Convention against Torture', []],
    ['article 2 of the Optional Protocol', []],
    ['article 60 of the Convention', []],
    ['статьи 19 Конвенции', ['treaty:CRC:art:19']],
    ['статьи 2 Конвенции о правах инвалидов', []],
  ])('%s → %j', (text, expected) => {
    expect(articles(paragraph(text))).toEqual(expected);
  });

  it('"the Optional Protocol" with no subject is the Protocol of the document it stands in', () => {
    expect(articles(paragraph('article 2 of the Optional Protocol', 'CRC/C/OPAC/KAZ/CO/1'))).toEqual([
      'treaty:OPAC:art:2',
    ]);
    expect(articles(paragraph('(art. 3)', 'CRC/C/OPSC/KAZ/CO/1'))).toEqual(['treaty:OPSC:art:3']);
  });

  it('another committee\'s "the Convention" is its own treaty, but the CRC named in full is the CRC', () => {
    expect(articles(paragraph('article 16 of the Convention', 'CEDAW/C/KAZ/CO/5', 'CEDAW'))).toEqual([]);
    expect(articles(paragraph('(art. 16)', 'CEDAW/C/KAZ/CO/5', 'CEDAW'))).toEqual([]);
    expect(
      articles(paragraph('article 3 of the Convention on the Rights of the Child', 'CEDAW/C/KAZ/CO/5', 'CEDAW')),
    ).toEqual(['treaty:CRC:art:3']);
  });
});

describe('the article counts the parser checks numbers against', () => {
  it.each(Object.entries(TREATY_ARTICLE_COUNTS))('%s has %d articles in seed/data/treaties', (treaty, count) => {
    const file = treaty === 'CRC' ? 'crc' : treaty.toLowerCase();
    const data = parse(readFileSync(resolve(__dirname, `../../seed/data/treaties/${file}.yaml`), 'utf8')) as {
      treaties: { id: string; articles: { id: string }[] }[];
    };
    const articleIds = data.treaties.find((t) => t.id === `treaty:${treaty}`)!.articles.map((a) => a.id);
    expect(articleIds).toHaveLength(count);
    expect(articleIds).toContain(`treaty:${treaty}:art:${count}`);
  });
});
