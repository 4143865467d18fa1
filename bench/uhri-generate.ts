/**
 * Writes a UHRI-shaped export of N synthetic rows (default 270,000, about the size of the whole UHRI)
 * over 196 states, for measuring the importer at full size. Streaming: rows are written as they are
 * made, so memory stays flat whatever N is.
 *
 *   npx tsx bench/uhri-generate.ts [--rows 270000] [--out $TMPDIR/uhri-270000.xlsx] [--shared-strings] [--seed 1]
 *
 * Every row is synthetic and says so: its text starts "SYNTHETIC benchmark row", its annotation id is
 * SYNTHETIC-<n>, and its symbols use report numbers from 91 up (CRC/C/KAZ/CO/91), which no real document
 * has, so a synthetic paragraph can never take the id of a real one. Such a file must never enter the
 * corpus. The 196 states are those the country library lists as UN members, plus the State of Palestine,
 * the Cook Islands and Niue, less the United States: the parties to the CRC.
 *
 * --shared-strings stores texts in the xlsx shared-string table as Excel does; exceljs's writer then
 * keeps every text until the end, so the generator's own memory grows with N (the reader's too: a
 * streaming xlsx reader has to keep the shared-string table to resolve cells).
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { UHRI_COLUMNS } from '../src/modules/uhri/columns';
import { listCountries } from '../src/modules/uhri/countries';
import { excelSerial, openUhriFileWriter, type UhriFileCell } from '../test/support/uhri-file-writer';
import { Random } from './random';

const HEADERS = UHRI_COLUMNS;

/** Bodies and the symbol prefix of their documents; the report number is filled in per document. */
const BODIES: readonly { body: string; prefix: string }[] = [
  { body: 'CRC', prefix: 'CRC/C/{ISO}/CO/{N}' },
  { body: 'CEDAW', prefix: 'CEDAW/C/{ISO}/CO/{N}' },
  { body: 'CCPR', prefix: 'CCPR/C/{ISO}/CO/{N}' },
  { body: 'CESCR', prefix: 'E/C.12/{ISO}/CO/{N}' },
  { body: 'CERD', prefix: 'CERD/C/{ISO}/CO/{N}' },
  { body: 'CAT', prefix: 'CAT/C/{ISO}/CO/{N}' },
  { body: 'CRPD', prefix: 'CRPD/C/{ISO}/CO/{N}' },
  { body: 'CRC-OP-SC', prefix: 'CRC/C/OPSC/{ISO}/CO/{N}' },
  { body: 'CRC-OP-AC', prefix: 'CRC/C/OPAC/{ISO}/CO/{N}' },
];

const THEMES = [
  'Corporal punishment',
  'Violence against children',
  'Alternative care',
  'Juvenile justice',
  'Right to education',
  'Right to health',
  'Birth registration',
  'Child labour',
  'Data collection',
  'Budget',
  'National human rights institutions',
  'Equality & non-discrimination',
  'Sexual exploitation',
  'Trafficking in persons',
  'Children in armed conflict',
];
const PERSONS = [
  'Children',
  'Girls',
  'Children with disabilities',
  'Migrants',
  'Persons deprived of their liberty',
  'Women & girls',
];
const SDGS = [
  '16.2 - End abuse, exploitation, trafficking and all forms of violence against and torture of children',
  '16.3 - Promote the rule of law at the national and international levels and ensure equal access to justice for all',
  '4.1 - Free, equitable and quality primary and secondary education',
  '5.2 - Eliminate all forms of violence against all women and girls',
  '16.9 - Legal identity for all, including birth registration',
];
const WORDS = (
  'the committee recommends that state party take measures ensure adequate resources children protection legislation ' +
  'implementation monitoring training professionals awareness raising data collection access services national strategy ' +
  'prohibit violence in all settings including home schools institutions and strengthen mechanisms for complaints'
).split(' ');

export function parties(): { iso3: string; name: string }[] {
  const all = listCountries();
  const chosen = all.filter((c) => (c.unMember && c.iso3 !== 'USA') || ['PSE', 'COK', 'NIU'].includes(c.iso3));
  return chosen.map(({ iso3, name }) => ({ iso3, name })).sort((a, b) => a.iso3.localeCompare(b.iso3));
}

const multi = (values: readonly string[]) => (values.length === 0 ? null : values.map((v) => `- ${v}`).join('\n'));

function sentence(random: Random, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i += 1) out.push(random.pick(WORDS));
  return out.join(' ');
}

/** Row i of the file: states in turn, 60 paragraphs per document, documents in turn over the bodies. */
export function syntheticRow(
  i: number,
  states: readonly { iso3: string; name: string }[],
  seed: number,
): UhriFileCell[] {
  const state = states[i % states.length]!;
  const k = Math.floor(i / states.length);
  const documentIndex = Math.floor(k / 60);
  const paragraph = (k % 60) + 1;
  const { body, prefix } = BODIES[documentIndex % BODIES.length]!;
  const reportNumber = 91 + Math.floor(documentIndex / BODIES.length);
  const symbol = prefix.replace('{ISO}', state.iso3).replace('{N}', String(reportNumber));
  const random = Random.forKey(seed, `${symbol}:${paragraph}`);
  const lettered = random.chance(0.3)
    ? `: ${['a', 'b', 'c', 'd']
        .slice(0, random.int(2, 4))
        .map((l) => `(${l}) ${sentence(random, 18)};`)
        .join(' ')}`
    : `. ${sentence(random, 60)}.`;
  const text = `${paragraph}. SYNTHETIC benchmark row, not a UN text. ${sentence(random, 40)}${lettered}`;
  const themes = Array.from(new Set([random.pick(THEMES), random.pick(THEMES), random.pick(THEMES)]));
  const date = excelSerial(`${2000 + (reportNumber % 26)}-0${1 + (documentIndex % 9)}-15`);
  return [
    text,
    `- ${state.name}`,
    `- ${body}`,
    symbol,
    multi(themes),
    multi(Array.from(new Set([random.pick(PERSONS), random.pick(PERSONS)]))),
    multi(random.chance(0.5) ? [random.pick(SDGS)] : []),
    date,
    random.chance(0.5) ? '- Recommendations' : '- Concerns/Observations',
    `SYNTHETIC-${String(i + 1).padStart(7, '0')}`,
    null,
    null,
    null,
    null,
  ];
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

async function main(): Promise<void> {
  const rows = Number(argument('rows') ?? 270_000);
  const seed = Number(argument('seed') ?? 1);
  const out = resolve(argument('out') ?? join(tmpdir(), `uhri-${rows}.xlsx`));
  if (!Number.isInteger(rows) || rows < 1) throw new Error('--rows must be a positive integer');
  const states = parties();
  if (states.length !== 196) throw new Error(`expected 196 states, the country library gives ${states.length}`);
  mkdirSync(dirname(out), { recursive: true });
  const started = Date.now();
  let peakRss = 0;
  const writer = await openUhriFileWriter(out, HEADERS, { sharedStrings: process.argv.includes('--shared-strings') });
  for (let i = 0; i < rows; i += 1) {
    await writer.addRow(syntheticRow(i, states, seed));
    if (i % 10_000 === 0) {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if (i > 0)
        console.log(
          `${i} rows, ${Math.round(i / ((Date.now() - started) / 1000))} rows/s, RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB (heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)}, buffers ${Math.round(process.memoryUsage().arrayBuffers / 2 ** 20)})`,
        );
    }
  }
  await writer.close();
  peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `wrote ${rows} synthetic rows over ${states.length} states to ${out} in ${seconds.toFixed(1)} s; peak RSS ${Math.round(peakRss / 2 ** 20)} MiB`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
