/**
 * Checks the corpus without a database: `npx tsx seed/validate.ts [dir]` (default: seed/data beside
 * this file). Prints "corpus OK: <counts per kind>" and exits 0, or prints every problem and exits 1.
 */
import { resolve } from 'node:path';
import { countCorpus, CorpusValidationError, DEFAULT_CORPUS_DIR, describeCounts, readCorpus } from './corpus';

async function main(): Promise<void> {
  const dir = process.argv[2] !== undefined ? resolve(process.argv[2]) : DEFAULT_CORPUS_DIR;
  try {
    const corpus = await readCorpus(dir);
    process.stdout.write(`corpus OK: ${describeCounts(countCorpus(corpus))}\n`);
    process.stdout.write(`${corpus.files.length} files in ${dir}; corpus version ${corpus.version}\n`);
  } catch (error) {
    if (error instanceof CorpusValidationError) {
      process.stderr.write(`corpus INVALID (${dir}): ${error.issues.length} problem(s)\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
