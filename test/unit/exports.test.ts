import { expect } from '@jest/globals';
import { buildSchema, parse as parseGraphQL, specifiedRules, validate } from 'graphql';
import { parse as parseCsv } from 'csv-parse/sync';
import { enforceCostLimit, limitRules, LIMITS } from '../../src/limits';
import { loadTypeDefs } from '../../src/schema';
import { parseCommandLine } from '../../src/modules/exports/cli';
import { EXPORT_DOCUMENTS, recommendationGapsExport, themeNames } from '../../src/modules/exports/definitions';
import {
  cellText,
  csvLines,
  ExportError,
  exportFileName,
  parseArguments,
  streamCsv,
  type CsvSink,
  type ExportContext,
  type ExportDefinition,
} from '../../src/modules/exports/run-export';

/** The exports' pure parts: cells, RFC 4180 lines, arguments, file names, and when the first byte is written. */

describe('an export cell', () => {
  it('joins a list one value per line and leaves nothing for null', () => {
    expect(cellText(['CRC art. 19', 'CRC art. 28'])).toBe('CRC art. 19\nCRC art. 28');
    expect(cellText(null)).toBe('');
    expect(cellText(undefined)).toBe('');
    expect(cellText(2015)).toBe('2015');
  });

  it('keeps Excel from running a text that starts like a formula (OWASP CSV injection), and leaves other texts alone', () => {
    expect(cellText('=HYPERLINK("http://example.invalid")')).toBe('\'=HYPERLINK("http://example.invalid")');
    expect(cellText('+7 727 000')).toBe("'+7 727 000");
    expect(cellText('- Kazakhstan')).toBe("'- Kazakhstan");
    expect(cellText('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(cellText('Комитет рекомендует')).toBe('Комитет рекомендует');
    expect(cellText('29. In the light of')).toBe('29. In the light of');
  });
});

describe('the Themes cell', () => {
  it("names each theme once, in order, when the editors' and UHRI's vocabularies share a name", () => {
    const themes = [
      { name: 'Corporal punishment' },
      { name: 'Corporal punishment' },
      { name: 'Violence against children' },
      { name: 'Violence against children' },
    ];
    expect(themeNames(themes)).toEqual(['Corporal punishment', 'Violence against children']);
    const column = recommendationGapsExport.columns.find((c) => c.header === 'Themes')!;
    const gap = { recommendation: { themes } } as unknown as Parameters<typeof column.value>[0];
    expect(cellText(column.value(gap))).toBe('Corporal punishment\nViolence against children');
  });
});

describe('RFC 4180 lines', () => {
  it('ends every record with CRLF and quotes fields with commas, quotes or line breaks; csv-parse reads them back', () => {
    const records = [
      ['plain', 'a, b', 'say "no"', 'one\ntwo', 'Комитет'],
      ['', 'x', 'y', 'z', 'w'],
    ];
    const text = csvLines(records);
    expect(text).toBe('plain,"a, b","say ""no""","one\ntwo",Комитет\r\n,x,y,z,w\r\n');
    expect(parseCsv(text)).toEqual(records);
  });
});

describe('export arguments', () => {
  const definition = recommendationGapsExport as unknown as ExportDefinition;

  it('takes repeated and comma-separated list values, and single values once', () => {
    expect(
      parseArguments(definition, {
        state: 'KAZ',
        articles: ['treaty:CRC:art:19,treaty:CRC:art:28', 'treaty:CRC:art:40'],
      }),
    ).toEqual({ state: 'KAZ', articles: ['treaty:CRC:art:19', 'treaty:CRC:art:28', 'treaty:CRC:art:40'] });
  });

  it('refuses an unknown parameter, a repeated single one and a missing state with BAD_USER_INPUT naming it', () => {
    const refusal = (query: Record<string, unknown>) => {
      try {
        parseArguments(definition, query);
      } catch (error) {
        return error as ExportError;
      }
      throw new Error(`accepted ${JSON.stringify(query)}`);
    };
    for (const [query, argument] of [
      [{ state: 'KAZ', strict: 'yes' }, 'strict'],
      [{ state: ['KAZ', 'UZB'] }, 'state'],
      [{ treaty: 'CRC' }, 'state'],
    ] as const) {
      const error = refusal(query);
      expect(error).toBeInstanceOf(ExportError);
      expect(error.status).toBe(400);
      expect(error.errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }
  });

  it('reads the command line as the query string: --key value, --key=value, repeated keys, and --out', () => {
    expect(
      parseCommandLine([
        'recommendation-gaps',
        '--state',
        'KAZ',
        '--articles=treaty:CRC:art:19',
        '--articles',
        'treaty:CRC:art:28',
        '--out',
        'gaps.csv',
      ]),
    ).toEqual({
      name: 'recommendation-gaps',
      out: 'gaps.csv',
      query: { state: 'KAZ', articles: ['treaty:CRC:art:19', 'treaty:CRC:art:28'] },
    });
    expect(() => parseCommandLine(['recommendations', '--state'])).toThrow('--state needs a value');
  });
});

describe('an export file name', () => {
  it('names the export, the state, the corpus version and the UTC time, with no character Windows refuses', () => {
    const name = exportFileName(
      'recommendation-gaps',
      { state: 'state:KAZ' },
      '0414860af46fc6a7427b4e4b',
      new Date('2026-12-01T02:30:05.123Z'),
    );
    expect(name).toBe('recommendation-gaps_KAZ_corpus-0414860af46f_2026-12-01T02-30-05Z.csv');
    expect(exportFileName('treaty-coverage', { state: 'KAZ' }, null, new Date('2026-12-01T00:00:00Z'))).toBe(
      'treaty-coverage_KAZ_corpus-none_2026-12-01T00-00-00Z.csv',
    );
  });
});

describe('streaming an export', () => {
  const sink = () => {
    const chunks: string[] = [];
    let started = false;
    const value: CsvSink & { chunks: string[]; started: () => boolean } = {
      chunks,
      started: () => started,
      start: () => {
        started = true;
      },
      write: async (chunk) => {
        chunks.push(chunk);
      },
    };
    return value;
  };
  const context = (): ExportContext => ({
    execute: async () => ({ data: null }),
    reader: () => {
      throw new Error('not used');
    },
    failure: (error) => new ExportError([{ message: String(error), extensions: { code: 'INTERNAL_SERVER_ERROR' } }]),
  });
  const definition = (rows: () => AsyncIterable<{ text: string }>): ExportDefinition<{ text: string }> => ({
    name: 'test',
    description: 'test',
    parameters: [],
    columns: [{ header: 'Text', value: (row) => row.text }],
    rows,
  });

  it('writes nothing at all when the first page fails: the caller can still answer with an error body', async () => {
    const out = sink();
    const refused = new ExportError([{ message: 'No state with id "state:XXX".', extensions: { code: 'NOT_FOUND' } }]);
    await expect(
      streamCsv(
        definition(async function* () {
          yield* [];
          throw refused;
        }),
        context(),
        {},
        out,
      ),
    ).rejects.toBe(refused);
    expect(refused.status).toBe(404);
    expect(out.started()).toBe(false);
    expect(out.chunks).toEqual([]);
  });

  it('writes a byte-order mark, the header row and the rows, and rethrows a later failure after its first rows', async () => {
    const out = sink();
    const rows = Array.from({ length: LIMITS.maxPageSize + 1 }, (_, i) => ({ text: `Комитет ${i}` }));
    expect(
      await streamCsv(
        definition(async function* () {
          yield* rows;
        }),
        context(),
        {},
        out,
      ),
    ).toBe(rows.length);
    const text = out.chunks.join('');
    expect(text.startsWith('\uFEFFText\r\n')).toBe(true);
    expect(parseCsv(text, { bom: true, columns: true })).toEqual(rows.map((row) => ({ Text: row.text })));

    const failing = sink();
    await expect(
      streamCsv(
        definition(async function* () {
          yield { text: 'first' };
          throw new Error('the database went away');
        }),
        context(),
        {},
        failing,
      ),
    ).rejects.toThrow('the database went away');
    expect(failing.started()).toBe(true);
  });
});

describe('the operations the exports send', () => {
  const schema = buildSchema(loadTypeDefs().join('\n'));

  it.each(Object.entries(EXPORT_DOCUMENTS))(
    '%s is valid against the schema and within the limits at full page size',
    (_name, document) => {
      const parsed = parseGraphQL(document);
      expect(validate(schema, parsed, [...specifiedRules, ...limitRules]).map((error) => error.message)).toEqual([]);
      const cost = enforceCostLimit(schema, parsed, {
        state: 'KAZ',
        treaty: 'CRC',
        first: LIMITS.maxPageSize,
        after: null,
      });
      expect(cost).toBeLessThanOrEqual(LIMITS.maxCost);
    },
  );
});
