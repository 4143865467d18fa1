/**
 * Users and their credentials in Neo4j (so that every API instance sees the same users and a revocation
 * takes effect everywhere at once): `(:User {id, name, organisation, admin, editorStates, editorBodies,
 * tokenId, tokenHash, tokenSalt, createdAt, revokedAt, jwtSubject})`, never an `:Entity`, so the corpus
 * loader neither writes nor deletes it. Unique on `id`, `tokenId` and `jwtSubject` (IDENTITY_CONSTRAINTS,
 * created with the corpus schema and again at every start).
 *
 * The writes (`createUser`, `revokeUser`) take a session or a transaction, so a test or the CLI can run them
 * alone and a caller can run them inside its own transaction. The look-ups a request makes to authenticate
 * also run through the API's executor (USER_STATEMENTS), which names them and maps driver errors.
 */
import { randomUUID } from 'node:crypto';
import type { ManagedTransaction, RecordShape } from 'neo4j-driver';
import type { CypherReader } from '../../db/database';
import { GraphDataError } from '../../errors';
import { issueToken } from './tokens';
import type { SignedInUser } from './viewer';

/** A session, a transaction or a managed transaction: anything that runs Cypher. */
export type CypherRunner = Pick<ManagedTransaction, 'run'>;

/** A user as an administrator sees it: never the token hash or salt. */
export interface UserRecord {
  id: string;
  name: string;
  organisation: string;
  admin: boolean;
  editorStates: string[];
  editorBodies: string[];
  /** ISO-8601 UTC with milliseconds. */
  createdAt: string;
  /** Set once the user is revoked; a revoked user's token and JWTs are refused. */
  revokedAt: string | null;
  /** The JWT subject (`sub`, or AUTH_JWT_SUBJECT_CLAIM) this user signs in with through single sign-on. */
  jwtSubject: string | null;
}

/** What authentication needs: the user and the stored form of its token. */
export interface StoredCredential {
  user: UserRecord;
  tokenHash: string;
  tokenSalt: string;
}

export interface NewUser {
  name: string;
  organisation: string;
  admin?: boolean;
  /** ISO 3166 alpha-3 codes, upper case. */
  editorStates?: readonly string[];
  /** Corpus body ids (`body:…`). */
  editorBodies?: readonly string[];
  jwtSubject?: string | null;
}

/** A user that cannot be created as asked, naming the field. */
export class InvalidUserInput extends Error {
  override readonly name = 'InvalidUserInput';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const USER_PROJECTION =
  'u {.id, .name, .organisation, .admin, .editorStates, .editorBodies, .createdAt, .revokedAt, .jwtSubject}';

/** Constraints of the User node; part of the loader's SCHEMA_STATEMENTS and ensured at every start. */
export const IDENTITY_CONSTRAINTS: ReadonlyArray<{ name: string; cypher: string }> = [
  { name: 'user_id', cypher: 'CREATE CONSTRAINT user_id IF NOT EXISTS FOR (n:User) REQUIRE n.id IS UNIQUE' },
  {
    name: 'user_token_id',
    cypher: 'CREATE CONSTRAINT user_token_id IF NOT EXISTS FOR (n:User) REQUIRE n.tokenId IS UNIQUE',
  },
  {
    name: 'user_jwt_subject',
    cypher: 'CREATE CONSTRAINT user_jwt_subject IF NOT EXISTS FOR (n:User) REQUIRE n.jwtSubject IS UNIQUE',
  },
];

/** The look-ups a request makes (read-only; planned by the warm-up like every repository statement). */
export const USER_STATEMENTS = {
  credentialByTokenId: `// Identity.credentialByTokenId
MATCH (u:User {tokenId: $tokenId})
RETURN ${USER_PROJECTION} AS user, u.tokenHash AS tokenHash, u.tokenSalt AS tokenSalt`,
  userByJwtSubject: `// Identity.userByJwtSubject
MATCH (u:User {jwtSubject: $subject})
RETURN ${USER_PROJECTION} AS user`,
  userById: `// Identity.userById
MATCH (u:User {id: $id})
RETURN ${USER_PROJECTION} AS user`,
  listUsers: `// Identity.listUsers
MATCH (u:User)
WHERE $includeRevoked OR u.revokedAt IS NULL
RETURN ${USER_PROJECTION} AS user
ORDER BY u.createdAt, u.id`,
} as const;

const CREATE_USER = `// Identity.createUser
CREATE (u:User {id: $id, name: $name, organisation: $organisation, admin: $admin, editorStates: $editorStates,
  editorBodies: $editorBodies, tokenId: $tokenId, tokenHash: $tokenHash, tokenSalt: $tokenSalt,
  createdAt: $createdAt, jwtSubject: $jwtSubject})
RETURN ${USER_PROJECTION} AS user`;

const REVOKE_USER = `// Identity.revokeUser
MATCH (u:User {id: $id})
SET u.revokedAt = coalesce(u.revokedAt, $now)
RETURN ${USER_PROJECTION} AS user`;

const STATE_CODE = /^[A-Z]{3}$/;
const BODY_ID = /^body:\S+$/;
const USER_ID = /^user:[0-9a-f-]{36}$/;

/**
 * Creates a user and its token. The token is returned once, here; only its scrypt hash is stored.
 * Throws InvalidUserInput naming the field when the input is not acceptable.
 */
export async function createUser(
  runner: CypherRunner,
  input: NewUser,
  now: Date = new Date(),
): Promise<{ user: SignedInUser; record: UserRecord; token: string }> {
  const name = requiredText(input.name, 'name');
  const organisation = requiredText(input.organisation, 'organisation');
  const editorStates = distinct(input.editorStates ?? []);
  for (const state of editorStates) {
    if (!STATE_CODE.test(state))
      throw new InvalidUserInput('editorStates', `${JSON.stringify(state)} is not an ISO 3166 alpha-3 code (e.g. KAZ)`);
  }
  const editorBodies = distinct(input.editorBodies ?? []);
  for (const body of editorBodies) {
    if (!BODY_ID.test(body))
      throw new InvalidUserInput('editorBodies', `${JSON.stringify(body)} is not a body id (e.g. body:KAZ:…)`);
  }
  if (editorBodies.length > 0 && editorStates.length === 0) {
    throw new InvalidUserInput('editorBodies', 'an editor limited to bodies needs at least one editor state');
  }
  const jwtSubject =
    input.jwtSubject === undefined || input.jwtSubject === null ? null : requiredText(input.jwtSubject, 'jwtSubject');
  const issued = await issueToken();
  const result = await runner.run(CREATE_USER, {
    id: `user:${randomUUID()}`,
    name,
    organisation,
    admin: input.admin === true,
    editorStates,
    editorBodies,
    tokenId: issued.tokenId,
    tokenHash: issued.tokenHash,
    tokenSalt: issued.tokenSalt,
    createdAt: now.toISOString(),
    jwtSubject,
  });
  const record = decodeUser(result.records[0]?.get('user'));
  return { user: toSignedIn(record, 'TOKEN'), record, token: issued.token };
}

/**
 * Revokes a user: from then on its token and its JWTs are refused (authentication reads the user on every
 * request). Revoking again keeps the first revocation's time. Null when there is no such user.
 */
export async function revokeUser(runner: CypherRunner, id: string, now: Date = new Date()): Promise<UserRecord | null> {
  if (!USER_ID.test(id)) throw new InvalidUserInput('id', `${JSON.stringify(id)} is not a user id (user:<uuid>)`);
  const result = await runner.run(REVOKE_USER, { id, now: now.toISOString() });
  const row: unknown = result.records[0]?.get('user');
  return row === undefined ? null : decodeUser(row);
}

/** Every user (revoked ones too unless told otherwise), oldest first. Never hashes. */
export async function listUsers(
  runner: CypherRunner | CypherReader,
  options: { includeRevoked?: boolean } = {},
): Promise<UserRecord[]> {
  const rows = await rowsOf(runner, 'Identity.listUsers', USER_STATEMENTS.listUsers, {
    includeRevoked: options.includeRevoked ?? true,
  });
  return rows.map((row) => decodeUser(row.user));
}

export async function findUserById(runner: CypherRunner | CypherReader, id: string): Promise<UserRecord | null> {
  const rows = await rowsOf(runner, 'Identity.userById', USER_STATEMENTS.userById, { id });
  return rows[0] ? decodeUser(rows[0].user) : null;
}

/** The user holding this token id with the stored form of its token, or null. */
export async function findCredential(
  runner: CypherRunner | CypherReader,
  tokenId: string,
): Promise<StoredCredential | null> {
  const rows = await rowsOf(runner, 'Identity.credentialByTokenId', USER_STATEMENTS.credentialByTokenId, { tokenId });
  const row = rows[0];
  if (!row) return null;
  const { tokenHash, tokenSalt } = row;
  if (typeof tokenHash !== 'string' || typeof tokenSalt !== 'string')
    throw new GraphDataError(`User with token id ${tokenId} has no stored token hash or salt`);
  return { user: decodeUser(row.user), tokenHash, tokenSalt };
}

export async function findUserByJwtSubject(
  runner: CypherRunner | CypherReader,
  subject: string,
): Promise<UserRecord | null> {
  const rows = await rowsOf(runner, 'Identity.userByJwtSubject', USER_STATEMENTS.userByJwtSubject, { subject });
  return rows[0] ? decodeUser(rows[0].user) : null;
}

/** The request's view of a stored user. */
export function toSignedIn(record: UserRecord, via: SignedInUser['via']): SignedInUser {
  return {
    id: record.id,
    name: record.name,
    organisation: record.organisation,
    admin: record.admin,
    editorStates: record.editorStates,
    editorBodies: record.editorBodies,
    via,
  };
}

async function rowsOf(
  runner: CypherRunner | CypherReader,
  queryName: string,
  cypher: string,
  params: Record<string, unknown>,
): Promise<RecordShape[]> {
  if ('read' in runner) return runner.read(queryName, cypher, params);
  const result = await runner.run(cypher, params);
  return result.records.map((record) => record.toObject());
}

function requiredText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidUserInput(field, `${field} is required`);
  if (value.length > 200) throw new InvalidUserInput(field, `${field} is longer than 200 characters`);
  return value.trim();
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values.map((value) => value.trim()).filter((value) => value !== ''))];
}

/** A stored user row, checked at the boundary. */
export function decodeUser(row: unknown): UserRecord {
  if (typeof row !== 'object' || row === null) throw new GraphDataError('User row missing');
  const value = row as Record<string, unknown>;
  const text = (key: string): string => {
    const item = value[key];
    if (typeof item !== 'string') throw new GraphDataError(`User ${String(value.id)} has no ${key}`);
    return item;
  };
  const optionalText = (key: string): string | null => {
    const item = value[key];
    if (item === null || item === undefined) return null;
    if (typeof item !== 'string') throw new GraphDataError(`User ${String(value.id)}: ${key} is not a string`);
    return item;
  };
  const list = (key: string): string[] => {
    const item = value[key];
    if (item === null || item === undefined) return [];
    if (!Array.isArray(item) || !item.every((entry) => typeof entry === 'string'))
      throw new GraphDataError(`User ${String(value.id)}: ${key} is not a list of strings`);
    return item;
  };
  return {
    id: text('id'),
    name: text('name'),
    organisation: text('organisation'),
    admin: value.admin === true,
    editorStates: list('editorStates'),
    editorBodies: list('editorBodies'),
    createdAt: text('createdAt'),
    revokedAt: optionalText('revokedAt'),
    jwtSubject: optionalText('jwtSubject'),
  };
}
