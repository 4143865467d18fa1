import { spawnSync } from 'node:child_process';
import { copyFile, cp, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
// The expect of @jest/globals, not the global one: @types/jest types asymmetric matchers (expect.any,
// expect.stringContaining …) as `any`, @jest/globals as AsymmetricMatcher.
import { expect } from '@jest/globals';
import {
  countCorpus,
  CorpusValidationError,
  formatIssue,
  parseCorpus,
  readCorpus,
  SECTION_NAMES,
  type CorpusIssue,
  type CorpusSourceFile,
} from '../../seed/corpus';

const PROJECT_ROOT = resolve(__dirname, '..', '..');
const VALID = resolve(__dirname, '..', 'fixtures', 'corpus-valid');
const BROKEN = resolve(__dirname, '..', 'fixtures', 'corpus-broken');

const tempDirs: string[] = [];
afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A copy of the valid fixture corpus with the given broken files (from corpus-broken/) added. */
async function corpusWith(...brokenFiles: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'corpus-test-'));
  tempDirs.push(dir);
  await cp(VALID, dir, { recursive: true });
  for (const name of brokenFiles) await copyFile(join(BROKEN, name), join(dir, name));
  return dir;
}

/** The issues readCorpus reports for a folder; fails the test when it accepts the corpus. */
async function issuesOf(dir: string): Promise<CorpusIssue[]> {
  try {
    await readCorpus(dir);
  } catch (error) {
    if (error instanceof CorpusValidationError) return error.issues;
    throw error;
  }
  throw new Error(`expected ${dir} to be rejected, but it validated`);
}

/** The line (from 1) of the first line of a fixture file that contains the text. */
async function lineOf(file: string, text: string): Promise<number> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  const index = lines.findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`${text} not in ${file}`);
  return index + 1;
}

/** The valid fixture corpus as in-memory files, for variants made by editing one file. */
async function fixtureFiles(): Promise<CorpusSourceFile[]> {
  const corpus = await readCorpus(VALID);
  return Promise.all(corpus.files.map(async (path) => ({ path, content: await readFile(join(VALID, path), 'utf8') })));
}

function issuesOfFiles(files: CorpusSourceFile[]): CorpusIssue[] {
  try {
    parseCorpus(files);
  } catch (error) {
    if (error instanceof CorpusValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected the corpus to be rejected, but it validated');
}

function edit(files: CorpusSourceFile[], path: string, from: string, to: string): CorpusSourceFile[] {
  return files.map((file) => {
    if (file.path !== path) return file;
    const content = String(file.content);
    if (!content.includes(from)) throw new Error(`${from} not in ${path}`);
    return { path, content: content.replace(from, to) };
  });
}

describe('the fixture corpus', () => {
  it('validates, with entries in every section', async () => {
    const corpus = await readCorpus(VALID);
    expect(SECTION_NAMES.filter((section) => corpus[section].length === 0)).toEqual([]);
    expect(Object.entries(countCorpus(corpus)).filter(([, count]) => count === 0)).toEqual([]);
    // Files are read recursively and in path order.
    expect(corpus.files).toEqual([...corpus.files].sort());
    expect(corpus.files).toContain('treaties/crc.yaml');
    expect(corpus.origins.get('treaty:CRC:art:19')).toEqual({
      file: 'treaties/crc.yaml',
      line: expect.any(Number),
      path: 'treaties[0].articles[2]',
    });
  });

  it('has a version that depends on the files only: same files anywhere, same version; any edit or rename, another', async () => {
    const original = await readCorpus(VALID);
    expect(original.version).toMatch(/^[0-9a-f]{64}$/);

    const copy = await corpusWith();
    expect((await readCorpus(copy)).version).toBe(original.version);

    await writeFile(join(copy, 'sources.yaml'), `${await readFile(join(copy, 'sources.yaml'), 'utf8')}# a comment\n`);
    const edited = (await readCorpus(copy)).version;
    expect(edited).not.toBe(original.version);

    await rename(join(copy, 'sources.yaml'), join(copy, 'all-sources.yaml'));
    expect((await readCorpus(copy)).version).not.toBe(edited);
  });
});

describe('a broken corpus is rejected with the file, the entry and the field', () => {
  it('a dangling reference', async () => {
    const dir = await corpusWith('dangling-reference.yaml');
    const issues = await issuesOf(dir);
    expect(issues).toEqual([
      {
        file: 'dangling-reference.yaml',
        line: await lineOf(join(dir, 'dangling-reference.yaml'), '- theme:corporal-punishment'),
        entry: 'rec:CRC/C/KAZ/CO/4:30',
        field: 'themes[0]',
        message: 'references theme:corporal-punishment, which is not defined in the corpus (expected a theme)',
      },
    ]);
  });

  it('a missing required field', async () => {
    const issues = await issuesOf(await corpusWith('missing-required-field.yaml'));
    expect(issues).toEqual([
      {
        file: 'missing-required-field.yaml',
        line: 2,
        entry: 'body:KAZ:akimat-almaty',
        field: 'level',
        message: 'is required (one of NATIONAL, REGIONAL, LOCAL, UNKNOWN)',
      },
    ]);
  });

  it('a duplicate id, naming both files', async () => {
    const dir = await corpusWith('duplicate-id.yaml');
    const issues = await issuesOf(dir);
    expect(issues).toHaveLength(1);
    const [issue] = issues;
    expect(issue).toMatchObject({ entry: 'theme:alternative-care', field: 'id' });
    // Files are read in path order, so the copy in duplicate-id.yaml comes first and sources.yaml's is the duplicate.
    expect(issue?.file).toBe('sources.yaml');
    expect(issue?.line).toBe(await lineOf(join(dir, 'sources.yaml'), 'id: theme:alternative-care'));
    expect(issue?.message).toBe(
      'duplicate id: theme:alternative-care is also defined in duplicate-id.yaml:2 (themes[0])',
    );
  });

  it('ids that do not follow their official identifiers, with the id expected', async () => {
    const issues = await issuesOf(await corpusWith('id-mismatch.yaml'));
    expect(issues.map(formatIssue)).toEqual([
      'id-mismatch.yaml:2: doc:CRC/C/KAZ/CO/5: id: must be doc:CRC/C/KAZ/CO/5-6 ("doc:" and the UN symbol), not doc:CRC/C/KAZ/CO/5',
      'id-mismatch.yaml:16: rec:CRC/C/KAZ/CO/4:13: id: must be rec:CRC/C/KAZ/CO/4:31 ("rec:", its document\'s UN symbol, then the paragraph), not rec:CRC/C/KAZ/CO/4:13',
    ]);
  });

  it('a DISPUTED entry with only one claim', async () => {
    const issues = await issuesOf(await corpusWith('disputed-one-claim.yaml'));
    expect(issues).toEqual([
      {
        file: 'disputed-one-claim.yaml',
        line: 13,
        entry: 'action:KAZ:OPIC:signature',
        field: 'claims',
        message:
          'verification is DISPUTED, which needs at least two claims (one per side, each with its sources); found 1',
      },
    ]);
  });

  it("an editors' judgement graded as a primary fact: a link inheriting VERIFIED_PRIMARY, an answer graded VERIFIED_PRIMARY", async () => {
    const dir = await corpusWith('judgement-graded-primary.yaml');
    const file = join(dir, 'judgement-graded-primary.yaml');
    expect(await issuesOf(dir)).toEqual([
      {
        file: 'judgement-graded-primary.yaml',
        // The link has no verification line: the problem is placed on the link itself.
        line: await lineOf(file, '- article: treaty:CRC:art:20'),
        entry: 'mechanism:KAZ:guardianship-placement',
        field: 'givesEffectTo[0].verification',
        message:
          "is required on a link whose basis is EDITORS_JUDGEMENT: a judgement cannot inherit its entry's verification (VERIFIED_PRIMARY); set SECONDARY_ONLY or UNVERIFIED",
      },
      {
        file: 'judgement-graded-primary.yaml',
        line: (await readFile(file, 'utf8')).split('\n').lastIndexOf('    verification: VERIFIED_PRIMARY') + 1,
        entry: 'answers[0]',
        field: 'verification',
        message:
          "is VERIFIED_PRIMARY but the link's basis is EDITORS_JUDGEMENT: a judgement is no primary fact and can be graded no higher than SECONDARY_ONLY (use SECONDARY_ONLY or UNVERIFIED)",
      },
    ]);
  });

  it('VERIFIED_PRIMARY with no primary document behind it: a link citing only news, a news item graded PRIMARY', async () => {
    const dir = await corpusWith('primary-without-primary-source.yaml');
    const file = join(dir, 'primary-without-primary-source.yaml');
    expect(await issuesOf(dir)).toEqual([
      {
        file: 'primary-without-primary-source.yaml',
        line: await lineOf(file, 'reliability: PRIMARY'),
        entry: 'source:news-graded-primary',
        field: 'reliability',
        message:
          'is PRIMARY but the source is a NEWS: only TREATY_TEXT, UN_DOCUMENT, LEGAL_DATABASE sources are primary (a copy elsewhere is SECONDARY)',
      },
      {
        file: 'primary-without-primary-source.yaml',
        line: await lineOf(file, '        verification: VERIFIED_PRIMARY'),
        entry: 'mechanism:KAZ:helpline',
        field: 'givesEffectTo[0].verification',
        message:
          'is VERIFIED_PRIMARY but none of its cited sources is PRIMARY (use SECONDARY_ONLY, or cite the primary source)',
      },
    ]);
  });

  it('a YAML syntax error, with its line', async () => {
    const issues = await issuesOf(await corpusWith('yaml-syntax-error.yaml'));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: 'yaml-syntax-error.yaml', line: 5, entry: '(file)', field: '(yaml)' });
    expect(issues[0]?.message).toMatch(/^YAML syntax error at column \d+: Flow sequence .* end with a \]/);
  });

  it('every problem at once, one per line of the message; an entry without an id is named by section and index', async () => {
    let error: unknown;
    await readCorpus(await corpusWith('several-problems.yaml', 'dangling-reference.yaml')).catch((caught: unknown) => {
      error = caught;
    });
    expect(error).toBeInstanceOf(CorpusValidationError);
    const { issues, message } = error as CorpusValidationError;
    expect(issues.map((issue) => [issue.file, issue.entry, issue.field])).toEqual([
      ['dangling-reference.yaml', 'rec:CRC/C/KAZ/CO/4:30', 'themes[0]'],
      ['several-problems.yaml', 'answers[0]', 'by'],
      ['several-problems.yaml', 'answers[1]', 'extent'],
      ['several-problems.yaml', 'rec:CRC/C/KAZ/CO/4:40', 'texts[0].language'],
      ['several-problems.yaml', 'stat:KAZ:foster-families-2023', 'claims[0].field'],
    ]);
    expect(message.split('\n')).toEqual(issues.map(formatIssue));
    expect(message).toContain(
      'several-problems.yaml:4: answers[0]: by: references mechanism:KAZ:foster-care, which is not defined in the corpus (expected a mechanism or provision or legal instrument or body)',
    );
    expect(message).toContain('answers[1]: extent: must be one of FULL, PARTIAL, FORMAL_ONLY; got "SOMEWHAT"');
    expect(message).toContain(
      'texts[0].language: must be a lower-case ISO 639 language code such as en, ru or kk; got "English"',
    );
    expect(message).toContain('claims[0].field: "families" is not a field of a statistic');
  });
});

describe('rules from the schema comments', () => {
  let files: CorpusSourceFile[];
  beforeAll(async () => {
    files = await fixtureFiles();
  });

  it('the in-memory fixture is valid (so each variant below fails for its own edit only)', () => {
    expect(() => parseCorpus(files)).not.toThrow();
  });

  it.each([
    {
      rule: 'an unquoted year is read as a number and must be quoted',
      path: 'kaz/un-documents.yaml',
      from: 'date: "2014"',
      to: 'date: 2014',
      expected: {
        entry: 'doc:KAZ-ngo-alternative-report-2014',
        field: 'date',
        message: 'must be a string: write it in quotes ("2014"), YAML reads 2014 as a number',
      },
    },
    {
      rule: 'a date must exist in the calendar',
      path: 'kaz/state.yaml',
      from: 'date: "1994-02-16"',
      to: 'date: "1994-02-30"',
      expected: { entry: 'action:KAZ:CRC:signature', field: 'date', message: '1994-02-30 is not a calendar date' },
    },
    {
      rule: 'a treaty article id is the treaty id and the article number',
      path: 'treaties/crc.yaml',
      from: 'id: treaty:CRC:art:20',
      to: 'id: treaty:CRC:art:21',
      expected: {
        entry: 'treaty:CRC:art:21',
        field: 'id',
        message: 'must be treaty:CRC:art:20 (the treaty id, ":art:" and the article number), not treaty:CRC:art:21',
      },
    },
    {
      rule: 'a provision id is the instrument id, the article and the paragraph',
      path: 'kaz/law.yaml',
      from: 'id: legal:KAZ:law:345-II:art:10:para:1',
      to: 'id: legal:KAZ:law:345-II:art:10:para:2',
      expected: {
        entry: 'legal:KAZ:law:345-II:art:10:para:2',
        field: 'id',
        message: expect.stringContaining('must be legal:KAZ:law:345-II:art:10:para:1'),
      },
    },
    {
      rule: "a sub-paragraph's partOf is its paragraph",
      path: 'kaz/un-documents.yaml',
      from: 'partOf: rec:CRC/C/15/Add.213:44',
      to: 'partOf: rec:CRC/C/KAZ/CO/4:29',
      expected: {
        entry: 'rec:CRC/C/15/Add.213:44(b)',
        field: 'partOf',
        message: 'must be rec:CRC/C/15/Add.213:44 (the paragraph of this sub-paragraph), not rec:CRC/C/KAZ/CO/4:29',
      },
    },
    {
      rule: 'a legal basis must be a provision or instrument of the corpus',
      path: 'kaz/law.yaml',
      from: '- legal: legal:KAZ:code:518-IV:art:120:para:3',
      to: '- legal: legal:KAZ:code:518-IV:art:121',
      expected: {
        entry: 'legal:KAZ:resolution:382',
        field: 'issuedUnder[0].legal',
        message: expect.stringContaining('references legal:KAZ:code:518-IV:art:121, which is not defined'),
      },
    },
    {
      rule: 'the ACCEPTED claim is the value the entry holds',
      path: 'kaz/state.yaml',
      from: 'date: "1994-06-08"\n    domesticAct',
      to: 'date: "1994-08-12"\n    domesticAct',
      expected: {
        entry: 'action:KAZ:CRC:ratification',
        field: 'claims[0].value',
        message: 'the ACCEPTED claim gives date "1994-06-08" but the entry\'s date is "1994-08-12"',
      },
    },
    {
      rule: 'VERIFIED_PRIMARY needs a primary source',
      path: 'kaz/implementation.yaml',
      from: 'status: PROPOSED\n    sources:\n      - source: source:fixture-paper-2024\n        locator: p. 12\n    verification: SECONDARY_ONLY',
      to: 'status: PROPOSED\n    sources:\n      - source: source:fixture-paper-2024\n        locator: p. 12\n    verification: VERIFIED_PRIMARY',
      expected: {
        entry: 'body:KAZ:childrens-ombudsman',
        field: 'verification',
        message: expect.stringContaining('none of its cited sources is PRIMARY'),
      },
    },
    {
      rule: 'a link with its own sources states its own verification',
      path: 'kaz/implementation.yaml',
      from: '            locator: second paragraph\n        verification: SECONDARY_ONLY',
      to: '            locator: second paragraph',
      expected: {
        entry: 'mechanism:KAZ:support-centres',
        field: 'givesEffectTo[1].verification',
        message: expect.stringContaining('is required when the link gives its own sources'),
      },
    },
    {
      rule: 'a judgement link may be SECONDARY_ONLY, never VERIFIED_PRIMARY, even with primary sources of its own',
      path: 'kaz/implementation.yaml',
      from: '      - legal: legal:KAZ:code:518-IV:art:120:para:3\n        sources:\n          - source: source:fixture-paper-2024\n            locator: p. 11\n        verification: SECONDARY_ONLY',
      to: '      - legal: legal:KAZ:code:518-IV:art:120:para:3\n        basis: EDITORS_JUDGEMENT\n        sources:\n          - source: source:adilet\n            locator: art. 120\n        verification: VERIFIED_PRIMARY',
      expected: {
        entry: 'body:KAZ:child-protection-committee',
        field: 'mandatedBy[0].verification',
        message: expect.stringContaining('can be graded no higher than SECONDARY_ONLY'),
      },
    },
    {
      rule: 'a mechanism whose legalBasis is IDENTIFIED names it in groundedIn',
      path: 'kaz/implementation.yaml',
      from: 'legalBasis: NONE',
      to: 'legalBasis: IDENTIFIED',
      expected: {
        entry: 'mechanism:KAZ:child-complaints',
        field: 'legalBasis',
        message: expect.stringContaining('is IDENTIFIED but groundedIn names no provision or instrument'),
      },
    },
    {
      rule: 'a mechanism with groundedIn cannot say its legal basis is NOT_IDENTIFIED',
      path: 'kaz/implementation.yaml',
      from: 'since: "2019"\n',
      to: 'since: "2019"\n    legalBasis: NOT_IDENTIFIED\n',
      expected: {
        entry: 'mechanism:KAZ:support-centres',
        field: 'legalBasis',
        message: expect.stringContaining('is NOT_IDENTIFIED but groundedIn names a legal basis'),
      },
    },
    {
      rule: 'a sub-item provision id ends with ":item:" and the item',
      path: 'kaz/law.yaml',
      from: 'id: legal:KAZ:law:345-II:art:10:para:1\n',
      to: 'id: legal:KAZ:law:345-II:art:10:para:1:item:4-1\n',
      expected: {
        entry: 'legal:KAZ:law:345-II:art:10:para:1:item:4-1',
        field: 'id',
        message: expect.stringContaining('must be legal:KAZ:law:345-II:art:10:para:1 ('),
      },
    },
    {
      rule: 'only an earlier recommendation can be reiterated',
      path: 'kaz/un-documents.yaml',
      from: 'date: "2003-06-10"',
      to: 'date: "2016-06-10"',
      expected: {
        entry: 'rec:CRC/C/KAZ/CO/4:29',
        field: 'reiterates[0].recommendation',
        message: expect.stringContaining('only an earlier recommendation can be reiterated'),
      },
    },
    {
      rule: "a recommendation is addressed to its document's state",
      path: 'kaz/un-documents.yaml',
      from: 'paragraph: 38\n    kind: CONCERN\n    addressedTo: state:KAZ',
      to: 'paragraph: 38\n    kind: CONCERN\n    addressedTo: state:UZB',
      expected: {
        entry: 'rec:CRC/C/KAZ/CO/4:38',
        field: 'addressedTo',
        message: 'is state:UZB but its document doc:CRC/C/KAZ/CO/4 concerns state:KAZ',
      },
    },
    {
      // Contract added by issue 12: a source either gives the exact address read or says why it has none.
      rule: 'a source without an address must say why (no url and no addressUnknown)',
      path: 'sources.yaml',
      from: '  - id: source:fixture-news\n    addressUnknown: A test fixture; it stands for no real page.\n',
      to: '  - id: source:fixture-news\n',
      expected: { entry: 'source:fixture-news', field: 'url', message: expect.stringContaining('exactly one of url') },
    },
    {
      rule: 'a source cannot both give an address and say it has none',
      path: 'sources.yaml',
      from: '    url: https://adilet.zan.kz\n',
      to: '    url: https://adilet.zan.kz\n    addressUnknown: contradicts the url\n',
      expected: { entry: 'source:adilet', field: 'url', message: expect.stringContaining('exactly one of url') },
    },
    {
      rule: "the state code in a state-scoped id is the entry's state",
      path: 'kaz/evidence.yaml',
      from: 'id: stat:KAZ:support-centres-2023',
      to: 'id: stat:UZB:support-centres-2023',
      expected: {
        entry: 'stat:UZB:support-centres-2023',
        field: 'id',
        message: "names the state UZB but the entry's state is state:KAZ",
      },
    },
  ])('$rule', ({ path, from, to, expected }) => {
    const issues = issuesOfFiles(edit(files, path, from, to));
    expect(issues).toContainEqual({ file: path, line: expect.any(Number), ...expected });
  });

  it('a missing corpus folder is an error, not an empty corpus', async () => {
    await expect(readCorpus(join(tmpdir(), 'no-such-corpus-folder'))).rejects.toThrow(
      /the corpus folder does not exist/,
    );
  });
});

describe('seed/validate.ts', () => {
  const validate = (...dir: string[]) =>
    spawnSync(
      process.execPath,
      [join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(PROJECT_ROOT, 'seed', 'validate.ts'), ...dir],
      {
        encoding: 'utf8',
        cwd: tmpdir(),
      },
    );

  // `npm run validate:corpus` on the project's own corpus, so that `npm test` (and the unit tier) fails on a
  // corpus that breaks a rule: a judgement graded primary, VERIFIED_PRIMARY with no primary source, …
  it("accepts the project's corpus in seed/data (the default folder)", () => {
    const result = validate();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^corpus OK: /);
    expect(result.stdout).toContain(`files in ${join(PROJECT_ROOT, 'seed', 'data')};`);
  }, 30_000);

  it('prints "corpus OK" with the counts per kind', () => {
    const result = validate(VALID);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /^corpus OK: 6 sources, 2 themes, 2 treaties, 5 treaty articles, 1 states, .*, 1 findings\n/,
    );
  }, 30_000);

  it('prints every problem and exits 1', async () => {
    const result = validate(await corpusWith('dangling-reference.yaml', 'missing-required-field.yaml'));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('2 problem(s)');
    expect(result.stderr).toContain(
      'dangling-reference.yaml:16: rec:CRC/C/KAZ/CO/4:30: themes[0]: references theme:corporal-punishment',
    );
    expect(result.stderr).toContain('missing-required-field.yaml:2: body:KAZ:akimat-almaty: level: is required');
  }, 30_000);
});
