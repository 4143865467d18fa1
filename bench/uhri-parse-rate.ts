/**
 * Measures the UHRI reader and mapper alone (no database): rows per second and peak RSS over a file
 * made by bench/uhri-generate.ts (or a real export).
 *
 *   npx tsx bench/uhri-parse-rate.ts FILE [--read-only]
 *
 * --read-only runs the reader alone (rows, no mapping), to tell reading time and memory from mapping.
 *
 * Prints a progress line every 5 seconds and a summary; "peak RSS" is the process's maximum resident
 * set size as the kernel reports it (getrusage), so it includes Node's own baseline (~50 MiB).
 */
import { stat } from 'node:fs/promises';
import { parseUhriExport, readUhriExport } from '../src/modules/uhri';

const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

async function readOnly(file: string): Promise<number> {
  let rows = 0;
  for await (const event of readUhriExport(file)) if (event.kind === 'row') rows += 1;
  return rows;
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (file === undefined) throw new Error('usage: npx tsx bench/uhri-parse-rate.ts FILE');
  const { size } = await stat(file);
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
  let rows = 0;
  let records = 0;
  let rejects = 0;
  let lastReport = 0;
  const reasons = new Map<string, number>();
  if (process.argv.includes('--read-only')) {
    rows = await readOnly(file);
    records = rows;
  } else {
    for await (const event of parseUhriExport(file)) {
      if (event.kind === 'record') records += 1;
      else if (event.kind === 'reject') {
        rejects += 1;
        const key = `${event.reject.column}: ${event.reject.reason.replace(/"[^"]*"/g, '"…"')}`;
        reasons.set(key, (reasons.get(key) ?? 0) + 1);
      } else if (event.kind === 'end') rows = event.summary.rows;
      if (elapsed() - lastReport >= 5) {
        lastReport = elapsed();
        const memory = process.memoryUsage();
        console.log(
          `${records} records, ${Math.round(records / lastReport)} rows/s, RSS ${mib(memory.rss)} MiB (heap ${mib(memory.heapUsed)}, buffers ${mib(memory.arrayBuffers)})`,
        );
      }
    }
  }
  const seconds = elapsed();
  console.log(
    JSON.stringify(
      {
        file,
        mode: process.argv.includes('--read-only') ? 'reader only' : 'reader and mapper',
        sizeMiB: Math.round(size / 2 ** 20),
        rows,
        records,
        rejects,
        rejectReasons: Object.fromEntries(reasons),
        seconds: Number(seconds.toFixed(1)),
        rowsPerSecond: Math.round(rows / seconds),
        peakRssMiB: Math.round((process.resourceUsage().maxRSS * 1024) / 2 ** 20),
      },
      null,
      2,
    ),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
