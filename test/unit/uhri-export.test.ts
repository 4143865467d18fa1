import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
// The expect of @jest/globals, not the global one: @types/jest types asymmetric matchers (expect.any,
// expect.stringContaining …) as `any`, @jest/globals as AsymmetricMatcher.
import { expect } from '@jest/globals';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import {
  collectUhriExport,
  parseUhriExport,
  UhriFormatError,
  UhriStrictError,
  writeRejectsCsv,
  type UhriRecord,
} from '../../src/modules/uhri';
import { kazakhstanRows, FIXTURE_HEADERS } from '../fixtures/uhri/make-fixtures';
import { openUhriFileWriter } from '../support/uhri-file-writer';

const FIXTURES = resolve(__dirname, '..', 'fixtures', 'uhri');
const fixture = (name: string) => join(FIXTURES, name);

interface CuratedRecommendation {
  id: string;
  document: string;
  paragraph: number;
  subParagraph?: string;
  texts: { language: string; text: string; truncated?: boolean }[];
}
const curated = (
  parseYaml(readFileSync(resolve(__dirname, '..', '..', 'seed', 'data', 'kaz', 'un.yaml'), 'utf8')) as {
    recommendations: CuratedRecommendation[];
  }
).recommendations;
const curatedById = new Map(curated.map((r) => [r.id, r]));

let tempDir: string;
beforeAll(async () => {
  tempDir = await mkdtemp(join(tmpdir(), 'uhri-test-'));
});
afterAll(async () => {
  await rm(tempDir, { recursive: true, force: true });
});

describe.each(['xlsx', 'csv'])('the Kazakhstan fixture export (.%s)', (extension) => {
  let records: UhriRecord[];
  let summary: Awaited<ReturnType<typeof collectUhriExport>>['summary'];
  let rejects: Awaited<ReturnType<typeof collectUhriExport>>['rejects'];

  beforeAll(async () => {
    ({ records, rejects, summary } = await collectUhriExport(fixture(`kaz-uhri-export.${extension}`), {
      exportDate: '2026-11-30',
    }));
  });

  it('reports the headers it found by name, in the file order, and the optional column it lacks', () => {
    expect(summary.headers.found).toEqual(Object.fromEntries(FIXTURE_HEADERS.map((h, i) => [h, i])));
    expect(summary.headers.missingOptional).toEqual(['Regions']);
    expect(summary.headers.ignored).toEqual([]);
  });

  it('imports every row with no reject', () => {
    expect(rejects).toEqual([]);
    expect(summary).toMatchObject({ rows: 18, records: 18, rowsSkipped: 0, rejects: 0 });
  });

  it('gives each paragraph the id the curated corpus gives it, with no duplicates', () => {
    const ids = records.map((r) => r.recommendation.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => !curatedById.has(id))).toEqual([]);
    expect(ids).toEqual(
      expect.arrayContaining([
        'rec:CRC/C/KAZ/CO/4:29',
        'rec:CRC/C/KAZ/CO/3:37',
        'rec:CRC/C/15/Add.213:39',
        'rec:CRC/C/15/Add.213:44',
        'rec:CRC/C/KAZ/Q/5-6:2',
      ]),
    );
    for (const r of records) {
      const entry = curatedById.get(r.recommendation.id)!;
      expect({
        id: r.recommendation.id,
        document: r.recommendation.documentId,
        paragraph: r.recommendation.paragraph,
      }).toEqual({
        id: entry.id,
        document: entry.document,
        paragraph: entry.paragraph,
      });
    }
  });

  it('keeps the text of a paragraph whole, without its number, equal to the curated text where that is whole too', () => {
    for (const id of [
      'rec:CRC/C/KAZ/CO/4:28',
      'rec:CRC/C/KAZ/CO/4:29',
      'rec:CRC/C/15/Add.213:39',
      'rec:CRC/C/15/Add.213:38',
    ]) {
      const record = records.find((r) => r.recommendation.id === id)!;
      const text = curatedById.get(id)!.texts.find((t) => t.language === 'en')!;
      expect(text.truncated ?? false).toBe(false);
      expect(record.recommendation.text).toBe(text.text);
    }
    const para65 = records.find((r) => r.recommendation.id === 'rec:CRC/C/KAZ/CO/4:65')!;
    expect(para65.recommendation.text).toMatch(/^Комитет рекомендует государству-участнику/);
    expect(para65.recommendation.exportedText).toMatch(/^65\. Комитет/);
  });

  it('records the sub-paragraph letters inside a paragraph', () => {
    const letters = (id: string) => records.find((r) => r.recommendation.id === id)!.recommendation.subParagraphs;
    expect(letters('rec:CRC/C/15/Add.213:44')).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(letters('rec:CRC/C/15/Add.213:67')).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(letters('rec:CRC/C/KAZ/Q/5-6:2')).toEqual(['a', 'b', 'c', 'd']);
    expect(letters('rec:CRC/C/KAZ/CO/4:29')).toEqual([]);
    // Every letter found is a sub-paragraph the curated corpus holds.
    for (const letter of letters('rec:CRC/C/15/Add.213:44'))
      expect(curatedById.has(`rec:CRC/C/15/Add.213:44(${letter})`)).toBe(true);
  });

  it('reads the document from its symbol and its date from a date-formatted cell, a bare serial, or nothing', () => {
    const doc = (symbol: string) => records.find((r) => r.document.symbol === symbol)!.document;
    expect(doc('CRC/C/KAZ/CO/4')).toEqual({
      id: 'doc:CRC/C/KAZ/CO/4',
      symbol: 'CRC/C/KAZ/CO/4',
      committee: 'CRC',
      kind: 'CONCLUDING_OBSERVATIONS',
      treatyId: 'treaty:CRC',
      stateId: 'state:KAZ',
      symbolCycle: '4',
      date: '2015-10-30',
    });
    expect(doc('CRC/C/KAZ/CO/3').date).toBe('2007-06-19');
    expect(doc('CRC/C/KAZ/Q/5-6')).toMatchObject({ kind: 'LIST_OF_ISSUES', date: '2025-11-06' });
    // The old-style symbol names no state: the row's only country does.
    expect(doc('CRC/C/15/Add.213')).toMatchObject({ stateId: 'state:KAZ', date: null, symbolCycle: null });
  });

  it('maps body, state, kind, themes, affected persons and SDG targets of a row', () => {
    const r = records.find((x) => x.recommendation.id === 'rec:CRC/C/KAZ/CO/3:11')!;
    expect(r.states).toEqual([{ id: 'state:KAZ', iso3: 'KAZ', name: 'Kazakhstan' }]);
    expect(r.recommendation).toMatchObject({
      addressedTo: ['state:KAZ'],
      kind: 'RECOMMENDATION',
      type: 'Recommendations',
      body: { committee: 'CRC', kind: 'TREATY_BODY', treatyId: 'treaty:CRC' },
      themes: [
        { id: 'theme:uhri:child-victims-and-witnesses', name: 'Child victims and witnesses' },
        { id: 'theme:uhri:violence-against-children', name: 'Violence against children' },
      ],
      affectedPersons: [{ id: 'group:children', name: 'Children' }],
      regions: [],
      upr: null,
    });
    expect(r.recommendation.sdgTargets.map((s) => s.code)).toEqual(['16.2', '16.3']);
    expect(records.find((x) => x.recommendation.id === 'rec:CRC/C/KAZ/CO/4:28')!.recommendation.kind).toBe('CONCERN');
    expect(records.find((x) => x.recommendation.id === 'rec:CRC/C/KAZ/Q/5-6:3')!.recommendation.kind).toBe('QUESTION');
  });

  it('cites the export: file name, export date and the annotation id as locator', () => {
    expect(records[1]!.recommendation.provenance).toEqual({
      fileName: `kaz-uhri-export.${extension}`,
      exportDate: '2026-11-30',
      exportDateSource: 'given',
      rowNumber: 3,
      annotationId: 'FIXTURE-KAZ-0002',
      locator: 'OHCHR Annotation Id FIXTURE-KAZ-0002',
    });
  });
});

describe('bad rows', () => {
  it.each(['csv', 'xlsx'])(
    'a .%s file with three bad rows gives three rejects with their row numbers',
    async (extension) => {
      const { records, rejects, summary } = await collectUhriExport(fixture(`three-bad-rows.${extension}`));
      expect(rejects.map(({ rowNumber, column, action }) => ({ rowNumber, column, action }))).toEqual([
        { rowNumber: 3, column: 'Countries Concerned', action: 'ROW_SKIPPED' },
        { rowNumber: 5, column: 'Document Symbol', action: 'ROW_SKIPPED' },
        { rowNumber: 6, column: 'Text', action: 'ROW_SKIPPED' },
      ]);
      expect(rejects.map((r) => r.reason)).toEqual([
        'unknown country "Atlantis"',
        expect.stringContaining('"CRC/KAZ/CO-4" is not a UN document symbol'),
        'no text',
      ]);
      expect(records.map((r) => [r.recommendation.id, r.recommendation.provenance.rowNumber])).toEqual([
        ['rec:CRC/C/KAZ/CO/4:28', 2],
        ['rec:CRC/C/KAZ/CO/4:29', 4],
      ]);
      expect(summary).toMatchObject({ rows: 5, records: 2, rowsSkipped: 3, rejects: 3 });
    },
  );

  it('writes the rejects file: three lines under a header, readable by a CSV parser, with a BOM for Excel', async () => {
    const { rejects } = await collectUhriExport(fixture('three-bad-rows.csv'));
    const path = join(tempDir, 'rejects.csv');
    expect(await writeRejectsCsv(path, rejects)).toBe(3);
    const raw = await readFile(path, 'utf8');
    expect(raw.startsWith('\uFEFF')).toBe(true);
    expect(raw.split('\r\n').filter((line) => line !== '')).toHaveLength(4);
    const rows = parseCsv<Record<string, string>>(raw, { bom: true, columns: true });
    expect(rows.map((r) => [r.row, r.column, r.value, r.action, r['annotation id']])).toEqual([
      ['3', 'Countries Concerned', '- Atlantis', 'ROW_SKIPPED', 'FIXTURE-BAD-0001'],
      ['5', 'Document Symbol', 'CRC/KAZ/CO-4', 'ROW_SKIPPED', 'FIXTURE-BAD-0002'],
      ['6', 'Text', '', 'ROW_SKIPPED', 'FIXTURE-BAD-0003'],
    ]);
  });

  it('stops at the first reject in strict mode, naming its row', async () => {
    const seen: string[] = [];
    const run = async () => {
      for await (const event of parseUhriExport(fixture('three-bad-rows.csv'), { strict: true })) {
        if (event.kind === 'record') seen.push(event.record.recommendation.id);
      }
    };
    await expect(run()).rejects.toThrow(UhriStrictError);
    await expect(run()).rejects.toThrow(/row 3, column "Countries Concerned": unknown country "Atlantis"/);
    expect(seen[0]).toBe('rec:CRC/C/KAZ/CO/4:28');
    expect(seen).not.toContain('rec:CRC/C/KAZ/CO/4:29');
  });

  it('accepts the good fixture in strict mode', async () => {
    const { summary } = await collectUhriExport(fixture('kaz-uhri-export.xlsx'), { strict: true });
    expect(summary.records).toBe(18);
  });
});

describe('files that are not UHRI exports', () => {
  it.each(['csv', 'xlsx'])('a .%s with other headers gets one error naming the missing headers', async (extension) => {
    const error = await collectUhriExport(fixture(`not-uhri.${extension}`)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UhriFormatError);
    expect((error as UhriFormatError).missingHeaders).toEqual([
      'Countries Concerned',
      'Reccomending Body',
      'Document Symbol',
    ]);
    expect((error as Error).message).toBe(
      `not-uhri.${extension} is not a UHRI export: its first row lacks the required headers "Countries Concerned", "Reccomending Body", "Document Symbol" (headers found: "Name", "Text", "Amount", "Date")`,
    );
  });

  it('refuses a file that is neither .xlsx nor .csv, and an .xlsx that is not a workbook', async () => {
    await expect(collectUhriExport(join(tempDir, 'missing.xlsx'), { exportDate: '2026-11-30' })).rejects.toThrow(
      /ENOENT/,
    );
    await expect(collectUhriExport(fixture('README.md'))).rejects.toThrow(/from \.xlsx or \.csv, not "\.md"/);
    const fake = join(tempDir, 'fake.xlsx');
    await writeFile(fake, 'Text,Document Symbol\n');
    await expect(collectUhriExport(fake)).rejects.toThrow(UhriFormatError);
  });
});

describe('CSV as other Excel locales save it', () => {
  async function csvWith(content: string): Promise<string> {
    const path = join(tempDir, `locale-${Math.random().toString(36).slice(2)}.csv`);
    await writeFile(path, content);
    return path;
  }
  const header = [
    'Text',
    'Countries Concerned',
    'Reccomending Body',
    'Document Symbol',
    'Document Publication Date',
    'Sdgs',
  ];

  it('reads semicolon-separated files and day-first dates with dots', async () => {
    const path = await csvWith(
      `${header.join(';')}\r\n"29. The Committee urges; and recommends.";- Kazakhstan;- CRC;CRC/C/KAZ/CO/4;30.10.2015;"- 16.2 - End abuse\n- 16.3 - Promote the rule of law"\r\n`,
    );
    const { records, rejects } = await collectUhriExport(path);
    expect(rejects).toEqual([]);
    expect(records[0]!.recommendation).toMatchObject({
      id: 'rec:CRC/C/KAZ/CO/4:29',
      text: 'The Committee urges; and recommends.',
    });
    expect(records[0]!.document.date).toBe('2015-10-30');
    expect(records[0]!.recommendation.sdgTargets.map((s) => s.code)).toEqual(['16.2', '16.3']);
  });

  it('keeps a row whose date is ambiguous, drops the date and says so; reads it when told the order', async () => {
    const path = await csvWith(`${header.join(',')}\r\n29. Text.,- Kazakhstan,- CRC,CRC/C/KAZ/CO/4,06/11/2015,\r\n`);
    const lenient = await collectUhriExport(path);
    expect(lenient.records[0]!.document.date).toBeNull();
    expect(lenient.rejects).toEqual([
      expect.objectContaining({
        rowNumber: 2,
        column: 'Document Publication Date',
        value: '06/11/2015',
        action: 'VALUE_DROPPED',
        reason: expect.stringMatching(/ambiguous/),
      }),
    ]);
    const told = await collectUhriExport(path, { dateOrder: 'dmy' });
    expect(told.rejects).toEqual([]);
    expect(told.records[0]!.document.date).toBe('2015-11-06');
  });

  it('counts rows as a spreadsheet does, however many lines a quoted cell spans, and skips blank rows', async () => {
    const path = await csvWith(
      `${header.join(',')}\r\n"29. One\nline\nafter another.","- Kazakhstan\n- Atlantis",- CRC,CRC/C/KAZ/CO/4,,\r\n,,,,,\r\n\r\n28. Two.,- Kazakhstan,- CRC,CRC/C/KAZ/CO/9/9,,\r\n`,
    );
    const { rejects, summary } = await collectUhriExport(path);
    expect(rejects.map((r) => [r.rowNumber, r.column])).toEqual([
      [2, 'Countries Concerned'],
      [5, 'Document Symbol'],
    ]);
    expect(summary.rows).toBe(2);
  });
});

describe('other bodies and odd rows', () => {
  async function rowsFile(rows: Record<string, string>[]): Promise<string> {
    const path = join(tempDir, `rows-${Math.random().toString(36).slice(2)}.xlsx`);
    const headers = [
      'Text',
      'Countries Concerned',
      'Reccomending Body',
      'Document Symbol',
      'Type',
      'UPR Position',
      'Regions',
      'Date of publication on UHRI',
    ];
    const writer = await openUhriFileWriter(path, headers);
    for (const row of rows) await writer.addRow(headers.map((h) => row[h] ?? null));
    await writer.close();
    return path;
  }

  it('loads CEDAW, CCPR and CESCR rows with their own committee, and checks the body against the symbol', async () => {
    const path = await rowsFile([
      {
        Text: '12. Synthetic CEDAW row.',
        'Countries Concerned': '- Kazakhstan',
        'Reccomending Body': '- CEDAW',
        'Document Symbol': 'CEDAW/C/KAZ/CO/5',
      },
      {
        Text: '7. Synthetic CCPR row.',
        'Countries Concerned': '- Türkiye',
        'Reccomending Body': '- CCPR',
        'Document Symbol': 'CCPR/C/TUR/CO/1',
      },
      {
        Text: '9. Synthetic CESCR row.',
        'Countries Concerned': '- Bolivia (Plurinational State of)',
        'Reccomending Body': '- CESCR',
        'Document Symbol': 'E/C.12/BOL/CO/3',
      },
      {
        Text: '3. Synthetic mismatch.',
        'Countries Concerned': '- Kazakhstan',
        'Reccomending Body': '- CRC',
        'Document Symbol': 'CEDAW/C/KAZ/CO/5',
      },
      {
        Text: '4. Synthetic state mismatch.',
        'Countries Concerned': '- Kyrgyzstan',
        'Reccomending Body': '- CRC',
        'Document Symbol': 'CRC/C/KAZ/CO/4',
      },
      {
        Text: '5. Synthetic OPAC row.',
        'Countries Concerned': '- Kazakhstan',
        'Reccomending Body': '- CRC-OP-AC',
        'Document Symbol': 'CRC/C/OPAC/KAZ/CO/1',
      },
    ]);
    const { records, rejects, summary } = await collectUhriExport(path);
    expect(summary.headers.ignored).toEqual(['Date of publication on UHRI']);
    expect(
      records.map((r) => [r.recommendation.id, r.document.committee, r.document.stateId, r.document.treatyId]),
    ).toEqual([
      ['rec:CEDAW/C/KAZ/CO/5:12', 'CEDAW', 'state:KAZ', null],
      ['rec:CCPR/C/TUR/CO/1:7', 'CCPR', 'state:TUR', null],
      ['rec:E/C.12/BOL/CO/3:9', 'CESCR', 'state:BOL', null],
      ['rec:CRC/C/OPAC/KAZ/CO/1:5', 'CRC', 'state:KAZ', 'treaty:OPAC'],
    ]);
    expect(rejects.map((r) => [r.rowNumber, r.column, r.reason])).toEqual([
      [5, 'Reccomending Body', 'the body CRC does not issue CEDAW/C/KAZ/CO/5'],
      [6, 'Countries Concerned', 'the symbol CRC/C/KAZ/CO/4 is about KAZ, which is not among the countries concerned'],
    ]);
  });

  it('loads a special-procedure row under its mandate, and reports a UPR item number the ids cannot hold', async () => {
    const path = await rowsFile([
      {
        Text: '80. Synthetic special-procedure row.',
        'Countries Concerned': '- Kazakhstan',
        'Reccomending Body': '- SR Synthetic mandate',
        'Document Symbol': 'A/HRC/99/1/Add.1',
        Regions: '- Asia-Pacific',
      },
      {
        Text: '128.5 Synthetic UPR row (Synthetica);',
        'Countries Concerned': '- Kazakhstan',
        'Reccomending Body': '- UPR',
        'Document Symbol': 'A/HRC/99/2',
        'UPR Position': '- Supported',
      },
      {
        Text: '81. Synthetic row, treaty body on an HRC symbol.',
        'Countries Concerned': '- Kazakhstan',
        'Reccomending Body': '- CRC',
        'Document Symbol': 'A/HRC/99/3',
      },
    ]);
    const { records, rejects } = await collectUhriExport(path);
    expect(records).toHaveLength(1);
    expect(records[0]!.document).toMatchObject({
      id: 'doc:A/HRC/99/1/Add.1',
      committee: 'SR',
      kind: 'OTHER',
      stateId: 'state:KAZ',
    });
    expect(records[0]!.recommendation).toMatchObject({
      body: { kind: 'SPECIAL_PROCEDURE', mandate: 'SR Synthetic mandate' },
      regions: ['Asia-Pacific'],
    });
    expect(rejects.map((r) => [r.rowNumber, r.column])).toEqual([
      [3, 'Text'],
      [4, 'Reccomending Body'],
    ]);
  });

  it('reports a paragraph the file holds twice, and keeps the first', async () => {
    const path = await rowsFile([
      {
        Text: '29. Same.',
        'Countries Concerned': '- Kazakhstan',
        'Reccomending Body': '- CRC',
        'Document Symbol': 'CRC/C/KAZ/CO/4',
      },
      {
        Text: '29. Same.',
        'Countries Concerned': '- Kazakhstan',
        'Reccomending Body': '- CRC',
        'Document Symbol': 'CRC/C/KAZ/CO/4',
      },
      {
        Text: '29. Different.',
        'Countries Concerned': '- Kazakhstan',
        'Reccomending Body': '- CRC',
        'Document Symbol': 'CRC/C/KAZ/CO/4',
      },
    ]);
    const { records, rejects } = await collectUhriExport(path);
    expect(records.map((r) => r.recommendation.text)).toEqual(['Same.']);
    expect(rejects.map((r) => [r.rowNumber, r.reason])).toEqual([
      [3, 'repeats row 2 (rec:CRC/C/KAZ/CO/4:29, same text)'],
      [4, expect.stringContaining('is also row 2, with a different text')],
    ]);
  });
});

describe('the fixture files', () => {
  it('are what make-fixtures.ts writes (the CSV, byte for byte)', async () => {
    const path = join(tempDir, 'regenerated.csv');
    const writer = await openUhriFileWriter(path, FIXTURE_HEADERS);
    for (const row of kazakhstanRows()) await writer.addRow(row);
    await writer.close();
    expect(await readFile(path)).toEqual(await readFile(fixture('kaz-uhri-export.csv')));
  });
});
