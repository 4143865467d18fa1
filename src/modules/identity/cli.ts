/**
 * `npm run users -- <command>`: manage the API's users in the graph.
 *
 *   add --name <name> --organisation <organisation> [--admin] [--editor KAZ,UZB] [--body body:…]… [--jwt-subject <sub>]
 *       creates a user and prints its token, once (only a salted scrypt hash of it is stored)
 *   list [--active]
 *       every user with its roles; never a token or its hash
 *   revoke <user id>
 *       from the next request on, the user's token and JWTs are refused
 *
 * It connects as the API does (src/config.ts): NEO4J_URI (NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE), or
 * else the embedded default on LOCAL_NEO4J_BOLT_PORT, which must be running (`npm start` or `npm run
 * neo4j:start`). Exit codes: 0 done, 1 refused or failed (the reason on stderr), 2 usage or configuration.
 */
import { parseArgs } from 'node:util';
import neo4j, { type Driver } from 'neo4j-driver';
import { boltTarget, configOrReport, parseUsersConfig } from '../../config';
import { createDriver } from '../../db/driver';
import { createLogger } from '../../logger';
import { ensureSchemaStatements } from '../../../seed/schema-statements';
import { createUser, IDENTITY_CONSTRAINTS, InvalidUserInput, listUsers, revokeUser, type UserRecord } from './users';

export const USAGE = `usage:
  npm run users -- add --name <name> --organisation <organisation> [--admin] [--editor KAZ,UZB] [--body body:…]… [--jwt-subject <sub>]
  npm run users -- list [--active]
  npm run users -- revoke <user id>`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface UsersCommandIo {
  driver: Driver;
  database: string | undefined;
  out: (line: string) => void;
}

/**
 * Runs one command against the graph. Throws UsageError for a command line it cannot read, InvalidUserInput
 * for a user that cannot be created as asked; returns the exit code otherwise.
 */
export async function runUsersCommand(argv: readonly string[], io: UsersCommandIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'add':
      return add(rest, io);
    case 'list':
      return list(rest, io);
    case 'revoke':
      return revoke(rest, io);
    default:
      throw new UsageError(command === undefined ? 'no command given' : `unknown command ${JSON.stringify(command)}`);
  }
}

/** Runs node's argument parser, turning its complaints into a UsageError. */
function usage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function add(args: readonly string[], io: UsersCommandIo): Promise<number> {
  const { values } = usage(() =>
    parseArgs({
      args: [...args],
      strict: true,
      options: {
        name: { type: 'string' },
        organisation: { type: 'string' },
        admin: { type: 'boolean', default: false },
        editor: { type: 'string', multiple: true },
        body: { type: 'string', multiple: true },
        'jwt-subject': { type: 'string' },
      },
    }),
  );
  const { name, organisation } = values;
  if (name === undefined) throw new UsageError('--name is required');
  if (organisation === undefined) throw new UsageError('--organisation is required');
  await ensureSchemaStatements(io.driver, IDENTITY_CONSTRAINTS, io.database);
  const editorStates = (values.editor ?? []).flatMap((list) => list.split(',')).map((state) => state.trim());
  const editorBodies = (values.body ?? []).flatMap((list) => list.split(',')).map((body) => body.trim());
  const session = io.driver.session({ database: io.database, defaultAccessMode: neo4j.session.WRITE });
  try {
    const { record, token } = await session.executeWrite((tx) =>
      createUser(tx, {
        name,
        organisation,
        admin: values.admin === true,
        editorStates,
        editorBodies,
        jwtSubject: values['jwt-subject'] ?? null,
      }),
    );
    io.out(`created ${describe(record)}`);
    io.out(`token (shown once; give it to the user and keep it secret): ${token}`);
    return 0;
  } finally {
    await session.close();
  }
}

async function list(args: readonly string[], io: UsersCommandIo): Promise<number> {
  const { values } = usage(() =>
    parseArgs({ args: [...args], strict: true, options: { active: { type: 'boolean', default: false } } }),
  );
  const session = io.driver.session({ database: io.database, defaultAccessMode: neo4j.session.READ });
  try {
    const users = await session.executeRead((tx) => listUsers(tx, { includeRevoked: values.active !== true }));
    if (users.length === 0) io.out('no users');
    for (const user of users) io.out(describe(user));
    return 0;
  } finally {
    await session.close();
  }
}

async function revoke(args: readonly string[], io: UsersCommandIo): Promise<number> {
  const { positionals } = usage(() => parseArgs({ args: [...args], strict: true, allowPositionals: true }));
  const id = positionals[0];
  if (id === undefined || positionals.length > 1) throw new UsageError('revoke takes one user id');
  const session = io.driver.session({ database: io.database, defaultAccessMode: neo4j.session.WRITE });
  try {
    const user = await session.executeWrite((tx) => revokeUser(tx, id));
    if (!user) {
      io.out(`no user ${id}`);
      return 1;
    }
    io.out(`revoked ${describe(user)}`);
    return 0;
  } finally {
    await session.close();
  }
}

/** One line per user: id, name, organisation, roles, dates; never a token or its hash. */
export function describe(user: UserRecord): string {
  const roles = [
    ...(user.editorStates.length > 0
      ? [
          `EDITOR of ${user.editorStates.join(', ')}${user.editorBodies.length > 0 ? ` (measures led by ${user.editorBodies.join(', ')})` : ''}`,
        ]
      : []),
    ...(user.admin ? ['ADMIN'] : []),
  ];
  return [
    user.id,
    JSON.stringify(user.name),
    JSON.stringify(user.organisation),
    roles.length > 0 ? roles.join('; ') : 'reader',
    ...(user.jwtSubject !== null ? [`jwt subject ${JSON.stringify(user.jwtSubject)}`] : []),
    `created ${user.createdAt}`,
    ...(user.revokedAt !== null ? [`REVOKED ${user.revokedAt}`] : []),
  ].join('  ');
}

async function main(argv: readonly string[]): Promise<number> {
  const config = configOrReport(parseUsersConfig);
  if (config === null) return 2;
  const { uri, auth } = boltTarget(config);
  const driver = createDriver(uri, auth, { retryTimeMs: 5_000 }, createLogger('error'));
  try {
    await driver.getServerInfo({ database: config.database }).catch((error: Error) => {
      throw new Error(
        `Cannot reach Neo4j at ${uri}: ${error.message}` +
          (config.neo4j.mode === 'embedded'
            ? '\nStart the API (npm start) or its Neo4j (npm run neo4j:start) first, or set NEO4J_URI.'
            : ''),
      );
    });
    return await runUsersCommand(argv, {
      driver,
      database: config.database,
      out: (line) => process.stdout.write(`${line}\n`),
    });
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof InvalidUserInput) {
      process.stderr.write(`${error.field}: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await driver.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`users failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
