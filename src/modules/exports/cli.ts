/**
 * `npm run export -- <name> --state KAZ [--treaty CRC] [--articles a,b] … [--out FILE]`: writes an export
 * (README, "Exports") from the Neo4j named by NEO4J_URI (NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE), through
 * the same GraphQL server, limits and errors as `GET /export/<name>.csv`, as an anonymous reader. Without
 * --out the file gets the download's name (export, state, corpus version, time) in the working directory.
 * Exit codes: 0 written; 1 refused or failed (the errors as JSON on stderr, no file left); 2 bad usage or
 * environment.
 */
import { randomUUID } from 'node:crypto';
import { configOrReport, parseSeedConfig } from '../../config';
import { createDriver } from '../../db/driver';
import { Executor } from '../../db/executor';
import { createLogger } from '../../logger';
import { createGraphQLServer, maskUnexpectedError } from '../../server';
import { ANONYMOUS } from '../identity/viewer';
import { createRepositories } from '../repositories';
import { EXPORTS } from './definitions';
import { exportToFile } from './file';
import { exportContext } from './http';
import { ExportError } from './run-export';

const USAGE = `usage: npm run export -- <name> --<parameter> <value> … [--out FILE]
exports:
${[...EXPORTS.values()]
  .map(
    (d) =>
      `  ${d.name}: ${d.description}\n${d.parameters.map((p) => `      --${p.name}  ${p.description}${p.required ? ' (required)' : ''}`).join('\n')}`,
  )
  .join('\n')}`;

/** `--key value` and `--key=value` pairs; a repeated key collects its values (as a repeated query parameter). */
export function parseCommandLine(argv: readonly string[]): {
  name?: string;
  out?: string;
  query: Record<string, string | string[]>;
} {
  const query: Record<string, string | string[]> = {};
  let name: string | undefined;
  let out: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const token = argv[i]!;
    if (!token.startsWith('--')) {
      if (name !== undefined) throw new Error(`unexpected argument ${JSON.stringify(token)}`);
      name = token;
      continue;
    }
    const eq = token.indexOf('=');
    const key = eq >= 0 ? token.slice(2, eq) : token.slice(2);
    const value = eq >= 0 ? token.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new Error(`--${key} needs a value`);
    if (key === 'out') out = value;
    else {
      const previous = query[key];
      query[key] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
    }
  }
  return { name, out, query };
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseCommandLine(process.argv.slice(2));
    if (!parsed.name) throw new Error('name an export');
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  const config = configOrReport(parseSeedConfig);
  if (config === null) return 2;
  const logger = createLogger('warn');
  const { uri, user, password } = config.neo4j;
  const driver = createDriver(uri, { user, password }, { retryTimeMs: 30_000 }, logger);
  const executor = new Executor(driver, { database: config.database, queryTimeoutMs: 30_000, logger });
  const apollo = createGraphQLServer(logger);
  await apollo.start();
  try {
    const requestId = `export-cli-${randomUUID()}`;
    const db = executor.forRequest(requestId);
    const request = { requestId, db, repositories: createRepositories(db), viewer: ANONYMOUS, logger };
    const context = exportContext(apollo, request, executor, logger, maskUnexpectedError);
    const result = await exportToFile(parsed.name, parsed.query, context, {
      out: parsed.out,
      directory: process.cwd(),
    });
    process.stderr.write(
      `wrote ${result.rows} rows to ${result.path} (corpus ${result.corpusVersion ?? 'none'}, made ${result.madeAt.toISOString()})\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ExportError) {
      process.stderr.write(`${JSON.stringify(error.body(), null, 2)}\n`);
      return 1;
    }
    throw error;
  } finally {
    await apollo.stop();
    await driver.close();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`export failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
