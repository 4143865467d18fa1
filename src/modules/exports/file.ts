import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { once } from 'node:events';
import { EXPORTS } from './definitions';
import {
  corpusVersion,
  exportFileName,
  exportRefusal,
  parseArguments,
  streamCsv,
  type ExportArguments,
  type ExportContext,
} from './run-export';

export interface FileExport {
  path: string;
  rows: number;
  corpusVersion: string | null;
  madeAt: Date;
}

/**
 * Writes an export to a file (`npm run export`): `out`, or else the name the HTTP download would have
 * (run-export.ts, exportFileName) in `directory`. It is written to `<file>.part` and renamed when complete,
 * so a failed export leaves no file that looks complete; the errors are the HTTP route's (ExportError).
 */
export async function exportToFile(
  name: string,
  query: Record<string, unknown>,
  context: ExportContext,
  options: { out?: string; directory: string },
): Promise<FileExport> {
  const definition = EXPORTS.get(name);
  if (!definition) {
    throw exportRefusal(
      'NOT_FOUND',
      `No export named ${JSON.stringify(name)}; the exports are ${[...EXPORTS.keys()].join(', ')}.`,
    );
  }
  const args: ExportArguments = parseArguments(definition, query);
  const version = await corpusVersion(context);
  const madeAt = new Date();
  const path = options.out ?? join(options.directory, exportFileName(definition.name, args, version, madeAt));
  const partial = join(dirname(path), `.${path.split(/[\\/]/).pop()}.part`);
  let stream: ReturnType<typeof createWriteStream> | undefined;
  try {
    const rows = await streamCsv(definition, context, args, {
      start: () => {
        stream = createWriteStream(partial, { encoding: 'utf8' });
      },
      write: async (chunk) => {
        if (!stream!.write(chunk)) await once(stream!, 'drain');
      },
    });
    const opened = stream!;
    await new Promise<void>((resolveEnd, rejectEnd) => {
      opened.once('error', rejectEnd);
      opened.end(() => resolveEnd());
    });
    await rename(partial, path);
    return { path, rows, corpusVersion: version, madeAt };
  } catch (error) {
    stream?.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}
