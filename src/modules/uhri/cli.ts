/**
 * `npm run import:uhri -- FILE [--dry-run] [--strict] [--rejects FILE] [--export-date YYYY-MM-DD]
 * [--date-order dmy|mdy] [--batch N]`: imports a UHRI export (.xlsx or .csv) into the Neo4j named by
 * NEO4J_URI (the rules of `npm run seed`), all or nothing. On a terminal a progress bar shows rows, rate
 * and time left; otherwise a plain line every 10 s. Ctrl-C (or SIGTERM) rolls the import back.
 *
 * Exit codes: 0 imported (or dry run done), 1 the import failed and nothing was written, 2 bad arguments
 * or environment, 130 interrupted (nothing was written).
 */
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { configOrReport, parseSeedConfig } from '../../config';
import { createDriver } from '../../db/driver';
import { createLogger } from '../../logger';
import { UhriFormatError } from './columns';
import {
  ImportAbortedError,
  importUhriFile,
  UhriCleanupError,
  UhriImportBusyError,
  type ImportProgress,
} from './import-file';
import { UhriStrictError } from './rejects';
import { mib, UhriPublishTooLargeError } from './publish-capacity';

const USAGE =
  'usage: npm run import:uhri -- FILE [--dry-run] [--strict] [--rejects FILE] [--export-date YYYY-MM-DD] [--date-order dmy|mdy] [--batch N]';

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: {
        'dry-run': { type: 'boolean' },
        strict: { type: 'boolean' },
        rejects: { type: 'string' },
        'export-date': { type: 'string' },
        'date-order': { type: 'string' },
        batch: { type: 'string' },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const file = args.positionals[0];
  const dateOrder = args.values['date-order'];
  const batch = args.values.batch === undefined ? undefined : Number(args.values.batch);
  if (
    file === undefined ||
    args.positionals.length > 1 ||
    (dateOrder !== undefined && dateOrder !== 'dmy' && dateOrder !== 'mdy') ||
    (batch !== undefined && !(Number.isInteger(batch) && batch > 0))
  ) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = configOrReport(parseSeedConfig);
  if (config === null) return 2;
  const { uri, user, password } = config.neo4j;
  const driver = createDriver(uri, { user, password }, { retryTimeMs: 30_000 }, createLogger('warn'));
  const abort = new AbortController();
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    process.stderr.write('\ninterrupted: rolling the import back …\n');
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const tty = process.stderr.isTTY === true;
  const bar = tty
    ? new SingleBar(
        {
          format: '{bar} {percentage}% | {rows} rows | {rate} rows/s | {eta_formatted} left',
          etaBuffer: 50,
          hideCursor: true,
          stream: process.stderr,
        },
        Presets.shades_classic,
      )
    : null;
  let lastLine = 0;
  const onProgress = (p: ImportProgress) => {
    const rate = Math.round(p.rows / Math.max(p.elapsedMs / 1000, 0.001));
    const fraction = p.totalBytes > 0 ? p.bytesRead / p.totalBytes : 0;
    if (bar) {
      if (lastLine === 0) bar.start(p.totalBytes, 0, { rows: 0, rate: 0 });
      lastLine = 1;
      bar.update(p.bytesRead, { rows: p.rows, rate });
    } else if (p.elapsedMs - lastLine >= 10_000) {
      lastLine = p.elapsedMs;
      const left = fraction > 0 ? Math.round(((1 - fraction) * p.elapsedMs) / fraction / 1000) : null;
      process.stdout.write(
        `${new Date().toISOString()} rows ${p.rows}, ${rate} rows/s, ${Math.round(fraction * 100)}% of the file read, ` +
          `${left === null ? 'time left unknown' : `about ${left} s left`}, rss ${mib(process.memoryUsage().rss)}\n`,
      );
    }
  };

  try {
    await driver.getServerInfo({ database: config.database }).catch((error: Error) => {
      throw new Error(`Cannot reach Neo4j at ${uri}: ${error.message}`);
    });
    const report = await importUhriFile(driver, file, {
      dryRun: args.values['dry-run'] ?? false,
      strict: args.values.strict ?? false,
      ...(args.values.rejects !== undefined ? { rejectsPath: args.values.rejects } : {}),
      ...(args.values['export-date'] !== undefined ? { exportDate: args.values['export-date'] } : {}),
      ...(dateOrder !== undefined ? { dateOrder: dateOrder } : {}),
      ...(batch !== undefined ? { batchSize: batch } : {}),
      ...(config.database !== undefined ? { database: config.database } : {}),
      signal: abort.signal,
      onProgress,
      onPhase: (phase) => {
        bar?.stop();
        process.stdout.write(`${new Date().toISOString()} ${phase}, rss ${mib(process.memoryUsage().rss)}\n`);
      },
    });
    bar?.stop();
    const { summary } = report;
    const headers = summary.headers;
    process.stdout.write(
      `${report.fileName}: columns found ${Object.keys(headers.found).join(', ')}` +
        `${headers.missingOptional.length ? `; optional columns missing ${headers.missingOptional.join(', ')}` : ''}` +
        `${headers.ignored.length ? `; ignored ${headers.ignored.join(', ')}` : ''}\n` +
        `${summary.rows} rows: ${summary.records} records, ${summary.rowsSkipped} rows skipped, ${summary.rejects} rejects` +
        `${args.values.rejects ? ` (listed in ${args.values.rejects})` : ''}\n` +
        `${report.dryRun ? 'would write' : 'wrote'}: ${report.new} new, ${report.updated} updated, ${report.unchanged} unchanged recommendations` +
        `${report.recited ? ` (${report.recited} of them held from another export with the same content: ${report.dryRun ? 'would also be' : 'now also'} cited to this one)` : ''}; ` +
        `${report.matchedCurated} matched curated paragraphs${report.dryRun ? '' : `, ${report.textClaims} text claims, ${report.inferredConcerns} inferred CONCERNS and ${report.inferredReiterations} inferred REITERATES links`}\n` +
        `${report.dryRun ? 'dry run: nothing was written' : `committed (source ${report.sourceId})`} in ${(report.ms / 1000).toFixed(1)} s, ` +
        `${Math.round(summary.rows / Math.max(report.ms / 1000, 0.001))} rows/s, peak rss ${mib(peakRss())}\n`,
    );
    const { publish } = report;
    const budget = publish.capacity
      ? ` of the ${mib(publish.capacity.budgetBytes)} planned for it (half of ${publish.capacity.limitSource})`
      : ' (the server states no transaction memory limit)';
    process.stdout.write(
      report.dryRun
        ? `publishing would hold ${publish.newRows} new rows (one marker for them all), at most ${publish.sharedNodes} new states, ` +
            `documents and tags, and ${publish.keptRows} kept rows: about ${mib(publish.estimatedBytes)} ` +
            `before inferred links${budget}; ${publish.fits ? 'it fits' : 'it does NOT fit: the import would be refused'}\n`
        : publish.ms !== null
          ? `published in one transaction in ${(publish.ms / 1000).toFixed(1)} s: ${publish.newRows} new rows (one marker), ` +
            `${publish.sharedNodes} new states, documents and tags, ${publish.keptRows} kept rows, ` +
            `${publish.keptLinks} kept links; estimated ${mib(publish.estimatedBytes)}${budget}` +
            `${publish.measuredBytes === null ? '' : `, Neo4j's own estimate ${mib(publish.measuredBytes)}`}\n`
          : '',
    );
    if (process.env.UHRI_TIMINGS) process.stdout.write(`statement time (ms): ${JSON.stringify(report.timings)}\n`);
    if (!args.values.rejects && summary.rejects > 0)
      for (const reject of report.rejects.slice(0, 20))
        process.stdout.write(
          `  row ${reject.rowNumber}${reject.column ? ` (${reject.column})` : ''}: ${reject.reason}\n`,
        );
    return 0;
  } catch (error) {
    bar?.stop();
    if (interrupted || error instanceof ImportAbortedError) {
      process.stderr.write('import interrupted: rolled back, nothing was written\n');
      return 130;
    }
    if (error instanceof UhriCleanupError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    const known =
      error instanceof UhriFormatError ||
      error instanceof UhriStrictError ||
      error instanceof UhriPublishTooLargeError ||
      error instanceof UhriImportBusyError;
    process.stderr.write(
      `import failed, nothing was written: ${known ? (error as Error).message : String((error as Error).stack ?? error)}\n`,
    );
    return 1;
  } finally {
    await driver.close();
  }
}

/** Peak resident set size of this process (getrusage's maxRSS is in KiB). */
function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`import failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
