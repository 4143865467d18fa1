import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { kazParagraphs } from '../support/kaz-paragraphs';
import { inferConcerns, readThemeClusters, type InferParagraph } from '../../src/modules/uhri/infer';

const fixture = kazParagraphs;

function fromFixture(symbol: string, number: number, committee = 'CRC'): InferParagraph {
  const entry = fixture.find((p) => p.symbol === symbol && p.paragraph === number)!;
  return {
    id: `rec:${symbol}:${number}`,
    stateId: 'state:KAZ',
    committee,
    documentSymbol: symbol,
    cycle: null,
    publicationDate: null,
    paragraph: String(number),
    text: entry.text,
    themes: entry.themes,
  };
}

describe('the UHRI theme → cluster table', () => {
  const { clusters, clusterOfTheme } = readThemeClusters();

  it('cites only sources the corpus holds, and grades a cluster VERIFIED_SECONDARY only with a source', () => {
    const corpusSources = new Set<string>();
    for (const file of ['sources.yaml', 'treaties/sources.yaml', 'kaz/sources-national.yaml']) {
      const data = parse(readFileSync(resolve(__dirname, '../../seed/data', file), 'utf8')) as {
        sources: { id: string }[];
      };
      for (const source of data.sources) corpusSources.add(source.id);
    }
    for (const cluster of clusters) {
      for (const { source } of cluster.sources)
        expect([cluster.id, source, corpusSources.has(source)]).toEqual([cluster.id, source, true]);
      if (cluster.verification === 'VERIFIED_SECONDARY') expect(cluster.sources.length).toBeGreaterThan(0);
      else expect(cluster.note).toMatch(/^UNVERIFIED/);
    }
  });

  it('holds the article lists read in the cited sources, each cluster graded VERIFIED_SECONDARY', () => {
    // What each cluster's sources were read to say (theme-clusters.yaml, docs/inference.md): cnpdc.gov.md
    // (general principles, family environment, health, education, special protection), gruppocrc.net
    // (violence, civil rights, art. 38), CRC/C/KAZ/4's table of contents (general measures, civil rights).
    const read: Record<string, number[]> = {
      'general-measures': [4, 42, 44],
      'general-principles': [2, 3, 6, 12],
      'family-environment': [5, 9, 10, 11, 18, 20, 21, 25, 27],
      violence: [19, 24, 28, 34, 37, 39],
      'civil-rights': [7, 8, 13, 14, 15, 16, 17],
      'health-welfare': [6, 18, 23, 24, 26, 27, 33],
      education: [28, 29, 30, 31],
      'special-protection': [22, 30, 32, 33, 34, 35, 36, 37, 38, 39, 40],
    };
    expect(Object.fromEntries(clusters.map((c) => [c.id, c.articles]))).toEqual(read);
    for (const cluster of clusters) {
      expect([cluster.id, cluster.verification]).toEqual([cluster.id, 'VERIFIED_SECONDARY']);
      expect(cluster.sources.length).toBeGreaterThan(0);
    }
  });

  it('cites no cluster to CRC/C/58/Rev.3, which was not read beyond its opening (copy rule 4)', () => {
    for (const cluster of clusters)
      expect(cluster.sources.map(({ source }) => `${cluster.id}: ${source}`)).not.toContain(
        `${cluster.id}: source:un-crc-c-58-rev-3`,
      );
  });

  it('maps every theme the benchmark generator uses but none it should not guess', () => {
    const generator = readFileSync(resolve(__dirname, '../../bench/uhri-generate.ts'), 'utf8');
    const themes = /const THEMES = \[([^\]]*)\]/
      .exec(generator)![1]!
      .match(/'([^']+)'/g)!
      .map((t) => t.slice(1, -1));
    expect(themes.length).toBeGreaterThan(10);
    for (const theme of themes)
      expect([theme, clusterOfTheme.has(theme.toLowerCase().replace(/&/g, ' and ').replace(/\s+/g, ' '))]).toEqual([
        theme,
        true,
      ]);
    expect(clusterOfTheme.has('ratification of international instruments')).toBe(false);
  });
});

describe('THEME_CLUSTER links on the real paragraphs', () => {
  it('CRC/C/15/Add.213 para. 44 ("Alternative care"): the family-environment cluster, its own citations first and not repeated', () => {
    const concerns = inferConcerns(fromFixture('CRC/C/15/Add.213', 44));
    const cited = concerns.filter((c) => c.inference === 'ARTICLE_CITATION').map((c) => c.articleId);
    const themed = concerns.filter((c) => c.inference === 'THEME_CLUSTER');
    // Articles 20, 3 (3) and 25 are cited in the paragraph's own words.
    expect(cited).toEqual(['treaty:CRC:art:20', 'treaty:CRC:art:3', 'treaty:CRC:art:25']);
    expect(themed.map((c) => c.articleId)).toEqual([5, 9, 10, 11, 18, 21, 27].map((n) => `treaty:CRC:art:${n}`));
    for (const concern of themed) {
      expect(concern.evidence).toBe('theme "Alternative care" → cluster "Family environment and alternative care"');
      expect(concern.verification).toBe('VERIFIED_SECONDARY');
      expect(concern.sourceIds).toContain('source:cnpdc-crc-family-environment');
      expect(concern.locators).toHaveLength(concern.sourceIds.length);
    }
  });

  it('CRC/C/KAZ/CO/4 para. 29 ("Corporal punishment"): the violence cluster, as read on gruppocrc.net', () => {
    const concerns = inferConcerns(fromFixture('CRC/C/KAZ/CO/4', 29));
    expect(concerns.map((c) => c.articleId)).toEqual([19, 24, 28, 34, 37, 39].map((n) => `treaty:CRC:art:${n}`));
    for (const concern of concerns) {
      expect(concern).toMatchObject({
        inference: 'THEME_CLUSTER',
        verification: 'VERIFIED_SECONDARY',
        sourceIds: ['source:gruppocrc-violence'],
        locators: ['"Premessa", list of articles'],
      });
      expect(concern.evidence).toBe('theme "Corporal punishment" → cluster "Violence against children"');
    }
  });

  it('a theme the table does not map ("Ratification of international instruments", CO/4 para. 65) gives no link', () => {
    expect(inferConcerns(fromFixture('CRC/C/KAZ/CO/4', 65))).toEqual([]);
  });

  it("another committee's paragraph gets no CRC article from its themes", () => {
    const paragraph = { ...fromFixture('CRC/C/KAZ/CO/4', 29), documentSymbol: 'CEDAW/C/KAZ/CO/5', committee: 'CEDAW' };
    expect(inferConcerns(paragraph)).toEqual([]);
  });
});
