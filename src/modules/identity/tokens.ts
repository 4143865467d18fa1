/**
 * The API's own bearer tokens: `crg_<tokenId>_<secret>`. The token id is public (it names the user's
 * credential, so a request finds its user by an indexed look-up); the secret is 32 random bytes and only
 * scrypt(secret, salt) is stored. The token is shown once, when it is issued.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export const TOKEN_PREFIX = 'crg_';

/** 12 random bytes as hex: fixed length, no `_`, so the secret after it needs no escaping. */
const TOKEN_ID_PATTERN = /^[0-9a-f]{24}$/;
/** 32 random bytes as base64url (43 characters, which may include `_` and `-`). */
const TOKEN_PATTERN = /^crg_([0-9a-f]{24})_([A-Za-z0-9_-]{43})$/;

/**
 * scrypt's cost parameters: N = 2^14, r = 8, p = 1 (node's defaults, about 16 MiB and tens of ms per
 * hash), 32-byte key. They are stored with each hash (`scrypt:N:r:p:<base64>`), so they can be raised
 * later without invalidating existing tokens.
 */
const SCRYPT = { N: 16_384, r: 8, p: 1, keyLength: 32 } as const;

export interface IssuedToken {
  /** The whole token, to be shown once and never stored. */
  token: string;
  tokenId: string;
  /** What is stored: the salt (base64) and `scrypt:N:r:p:<base64 hash>`. */
  tokenSalt: string;
  tokenHash: string;
}

export interface ParsedToken {
  tokenId: string;
  secret: string;
}

/** A new token with its stored form. */
export async function issueToken(): Promise<IssuedToken> {
  const tokenId = randomBytes(12).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16);
  const hash = await derive(secret, salt, SCRYPT);
  return {
    token: `${TOKEN_PREFIX}${tokenId}_${secret}`,
    tokenId,
    tokenSalt: salt.toString('base64'),
    tokenHash: `scrypt:${SCRYPT.N}:${SCRYPT.r}:${SCRYPT.p}:${hash.toString('base64')}`,
  };
}

/** Whether a bearer credential has the form of this API's tokens (as opposed to a JWT). */
export function looksLikeApiToken(credential: string): boolean {
  return credential.startsWith(TOKEN_PREFIX);
}

/** The token's id and secret, or null when it is not a well-formed token of this API. */
export function parseToken(token: string): ParsedToken | null {
  const match = TOKEN_PATTERN.exec(token);
  if (!match) return null;
  return { tokenId: match[1] as string, secret: match[2] as string };
}

export function isTokenId(value: string): boolean {
  return TOKEN_ID_PATTERN.test(value);
}

/**
 * Whether `secret` is the one whose hash was stored. Compares in constant time; a stored hash in an unknown
 * form never verifies.
 */
export async function verifySecret(secret: string, tokenSalt: string, tokenHash: string): Promise<boolean> {
  const match = /^scrypt:(\d+):(\d+):(\d+):([A-Za-z0-9+/=]+)$/.exec(tokenHash);
  if (!match) return false;
  const expected = Buffer.from(match[4] as string, 'base64');
  const params = { N: Number(match[1]), r: Number(match[2]), p: Number(match[3]), keyLength: expected.length };
  if (expected.length < 16 || !isPowerOfTwo(params.N)) return false;
  const actual = await derive(secret, Buffer.from(tokenSalt, 'base64'), params);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 1 && (n & (n - 1)) === 0;
}

function derive(
  secret: string,
  salt: Buffer,
  params: { N: number; r: number; p: number; keyLength: number },
): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 64 * 1024 * 1024 };
  return new Promise((resolveKey, rejectKey) => {
    scrypt(secret, salt, params.keyLength, options, (error, key) => (error ? rejectKey(error) : resolveKey(key)));
  });
}
