/**
 * Times the inference rules (src/modules/uhri/infer) at full size: article citations and theme clusters
 * for every paragraph, and reiterations over every state and committee, with no database.
 *
 *   npx tsx bench/uhri-infer.ts [--rows 270000] [--seed 1]     the generator's rows, built in memory
 *   npx tsx bench/uhri-infer.ts --file /tmp/uhri-270000.xlsx    a file bench/uhri-generate.ts wrote, read
 *                                                               with the importer's reader
 *
 * The paragraphs are held in memory to be grouped, as an importer calling inferReiterations once would;
 * the figures are in bench/uhri-notes.md.
 */
import { parseUhriExport } from '../src/modules/uhri';
import { inferConcerns, inferParagraphsOf, inferReiterations, type InferParagraph } from '../src/modules/uhri/infer';
import { parties, syntheticRow } from './uhri-generate';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;

function fromGenerator(rows: number, seed: number): InferParagraph[] {
  const states = parties();
  const out: InferParagraph[] = [];
  for (let i = 0; i < rows; i += 1) {
    const cells = syntheticRow(i, states, seed);
    const text = String(cells[0]);
    const symbol = String(cells[3]);
    const paragraph = /^(\d+)\./.exec(text)![1]!;
    const serial = Number(cells[7]);
    out.push({
      id: `rec:${symbol}:${paragraph}`,
      stateId: `state:${states[i % states.length]!.iso3}`,
      committee: String(cells[2]).replace(/^- /, ''),
      documentSymbol: symbol,
      cycle: null,
      publicationDate: new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000).toISOString().slice(0, 10),
      paragraph,
      text: text.replace(/^\d+\.\s*/, ''),
      themes: String(cells[4] ?? '')
        .split('\n')
        .map((v) => v.replace(/^- /, ''))
        .filter((v) => v !== ''),
    });
  }
  return out;
}

async function fromFile(path: string): Promise<InferParagraph[]> {
  const out: InferParagraph[] = [];
  for await (const event of parseUhriExport(path)) {
    if (event.kind === 'record') out.push(...inferParagraphsOf(event.record));
  }
  return out;
}

async function main(): Promise<void> {
  const file = argument('file');
  const started = Date.now();
  const paragraphs = file
    ? await fromFile(file)
    : fromGenerator(Number(argument('rows') ?? 270_000), Number(argument('seed') ?? 1));
  const loaded = Date.now();
  console.log(
    `${paragraphs.length} paragraphs ${file ? `read from ${file}` : 'built'} in ${((loaded - started) / 1000).toFixed(1)} s`,
  );

  let concerns = 0;
  const byInference = new Map<string, number>();
  for (const paragraph of paragraphs) {
    for (const concern of inferConcerns(paragraph)) {
      concerns += 1;
      byInference.set(concern.inference, (byInference.get(concern.inference) ?? 0) + 1);
    }
  }
  const concernsDone = Date.now();
  console.log(
    `inferConcerns: ${concerns} links (${[...byInference].map(([k, v]) => `${k} ${v}`).join(', ')}) in ${((concernsDone - loaded) / 1000).toFixed(1)} s`,
  );

  const reiterations = inferReiterations(paragraphs);
  const done = Date.now();
  const explicit = reiterations.filter((r) => r.inference === 'EXPLICIT_REFERENCE').length;
  console.log(
    `inferReiterations: ${reiterations.length} links (EXPLICIT_REFERENCE ${explicit}, TEXT_SIMILARITY ${reiterations.length - explicit}) in ${((done - concernsDone) / 1000).toFixed(1)} s`,
  );
  console.log(`peak RSS ${mib(process.resourceUsage().maxRSS * 1024)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
