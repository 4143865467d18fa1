/**
 * Turns a request's `Authorization` header into its viewer. No header: an anonymous reader. `Bearer crg_…`:
 * the API's own token (`npm run users`). `Bearer <JWT>`, when single sign-on is configured (AUTH_JWKS_URL):
 * a JWT signed by one of the identity provider's keys, with the configured issuer and audience, whose subject
 * claim names a User (`jwtSubject`); the roles are that User's, kept in the graph like every other user's,
 * so an administrator grants and revokes them the same way whichever way the user signs in.
 *
 * Anything else that carries credentials (a malformed header, an unknown, mistyped or revoked token, a JWT
 * that does not verify) fails the whole request with UNAUTHENTICATED (401): never treated as anonymous. An
 * unknown token, a wrong secret and a revoked user get one and the same message, so the answer tells nothing
 * about which tokens or users exist.
 *
 * The user is read from the graph on every request (one indexed look-up by token id), so a revocation or a
 * change of roles takes effect on the next request, on every API instance. Only the scrypt check is cached
 * (LIMITS.verifiedTokenCacheMs): a token that verified against a stored hash is not hashed again while that
 * hash is still the stored one. Failed attempts are counted per client address (FailureLimiter).
 */
import { createHash } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { JwtConfig } from '../../config';
import type { CypherReader } from '../../db/database';
import { apiError, tooManyFailedAuthentications, unauthenticated } from '../../errors';
import { LIMITS } from '../../limits';
import type { Logger } from '../../logger';
import { FailureLimiter, type FailureLimits } from './failure-limiter';
import { looksLikeApiToken, parseToken, verifySecret } from './tokens';
import { findCredential, findUserByJwtSubject, toSignedIn } from './users';
import { ANONYMOUS, type Viewer } from './viewer';

/** The one message for an unknown token, a wrong secret and a revoked user. */
export const INVALID_TOKEN_MESSAGE =
  'The bearer token is not valid: it is mistyped, was never issued, or has been revoked. Ask an administrator for a new one.';

export interface AuthenticatorOptions {
  jwt: JwtConfig | null;
  logger: Logger;
  limits?: FailureLimits;
  now?: () => number;
  /** The identity provider's keys; by default fetched from `jwt.jwksUrl` (and cached by jose). */
  jwks?: JWTVerifyGetKey;
}

export interface Credentials {
  /** The `Authorization` header as sent, if any. Never logged. */
  authorization: string | undefined;
  /** The client's address, for the failure limiter. */
  address: string;
  requestId: string;
}

/** Why an authentication failed, for the log (never the credential itself). */
type FailureReason =
  | 'MALFORMED_HEADER'
  | 'MALFORMED_TOKEN'
  | 'UNKNOWN_TOKEN'
  | 'WRONG_SECRET'
  | 'REVOKED'
  | 'NOT_A_TOKEN'
  | 'INVALID_JWT'
  | 'UNKNOWN_JWT_SUBJECT';

class AuthenticationFailure extends Error {
  constructor(
    readonly reason: FailureReason,
    readonly clientMessage: string,
    readonly userId?: string,
  ) {
    super(reason);
  }
}

export class Authenticator {
  private readonly limiter: FailureLimiter;
  private readonly now: () => number;
  /** sha256(token) → the stored hash it verified against, and when. Holds no token or secret. */
  private readonly verified = new Map<string, { tokenHash: string; at: number }>();
  private readonly jwks: JWTVerifyGetKey | undefined;

  constructor(private readonly options: AuthenticatorOptions) {
    this.now = options.now ?? Date.now;
    this.limiter = new FailureLimiter(
      options.limits ?? {
        maxFailures: LIMITS.authFailuresPerWindow,
        windowMs: LIMITS.authFailureWindowMs,
        maxAddresses: LIMITS.authFailureAddresses,
      },
      this.now,
    );
    this.jwks = options.jwks ?? (options.jwt ? createRemoteJWKSet(new URL(options.jwt.jwksUrl)) : undefined);
  }

  /**
   * The request's viewer. Throws UNAUTHENTICATED (401) for credentials that are not accepted,
   * TOO_MANY_REQUESTS (429) once the address has failed too often, and SERVICE_UNAVAILABLE when the graph
   * or the identity provider cannot be asked.
   */
  async authenticate(credentials: Credentials, db: () => CypherReader): Promise<Viewer> {
    const { authorization, address, requestId } = credentials;
    if (authorization === undefined || authorization.trim() === '') return ANONYMOUS;
    const retryAfter = this.limiter.check(address);
    if (retryAfter !== null) {
      this.options.logger.warn('authentication refused: too many failures from this address', {
        component: 'identity',
        requestId,
        address,
        retryAfterSeconds: retryAfter,
      });
      throw tooManyFailedAuthentications(retryAfter, this.limiter.limits.maxFailures);
    }
    try {
      return await this.verify(authorization, db);
    } catch (error) {
      if (!(error instanceof AuthenticationFailure)) throw error;
      this.limiter.fail(address);
      this.options.logger.warn('authentication failed', {
        component: 'identity',
        requestId,
        address,
        reason: error.reason,
        ...(error.userId ? { userId: error.userId } : {}),
      });
      throw unauthenticated(error.clientMessage, { invalidToken: true });
    }
  }

  private async verify(authorization: string, db: () => CypherReader): Promise<Viewer> {
    const match = /^Bearer +(\S+) *$/i.exec(authorization);
    if (!match) {
      throw new AuthenticationFailure(
        'MALFORMED_HEADER',
        'The Authorization header must be "Bearer <token>" (or be left out to read as an anonymous reader).',
      );
    }
    const credential = match[1] as string;
    if (looksLikeApiToken(credential)) return this.verifyApiToken(credential, db());
    if (this.options.jwt && this.jwks && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(credential)) {
      return this.verifyJwt(credential, this.options.jwt, this.jwks, db());
    }
    throw new AuthenticationFailure(
      'NOT_A_TOKEN',
      this.options.jwt
        ? 'The bearer token is neither a token of this API (crg_…) nor a JWT.'
        : 'The bearer token is not a token of this API (they start with crg_); this API does not accept JWTs.',
    );
  }

  private async verifyApiToken(token: string, db: CypherReader): Promise<Viewer> {
    const parsed = parseToken(token);
    if (!parsed) throw new AuthenticationFailure('MALFORMED_TOKEN', INVALID_TOKEN_MESSAGE);
    const credential = await findCredential(db, parsed.tokenId);
    if (!credential) throw new AuthenticationFailure('UNKNOWN_TOKEN', INVALID_TOKEN_MESSAGE);
    const { user } = credential;
    const key = createHash('sha256').update(token).digest('base64');
    if (!this.wasVerified(key, credential.tokenHash)) {
      if (!(await verifySecret(parsed.secret, credential.tokenSalt, credential.tokenHash))) {
        throw new AuthenticationFailure('WRONG_SECRET', INVALID_TOKEN_MESSAGE, user.id);
      }
      this.remember(key, credential.tokenHash);
    }
    // Checked after the secret, so that a revoked user's log line is only written for its real token.
    if (user.revokedAt !== null) throw new AuthenticationFailure('REVOKED', INVALID_TOKEN_MESSAGE, user.id);
    return { kind: 'USER', user: toSignedIn(user, 'TOKEN') };
  }

  private async verifyJwt(token: string, config: JwtConfig, jwks: JWTVerifyGetKey, db: CypherReader): Promise<Viewer> {
    let subject: unknown;
    try {
      const { payload } = await jwtVerify(token, jwks, { issuer: config.issuer, audience: config.audience });
      subject = payload[config.subjectClaim];
    } catch (error) {
      throw jwtFailure(error);
    }
    if (typeof subject !== 'string' || subject === '') {
      throw new AuthenticationFailure(
        'INVALID_JWT',
        `The JWT is not valid: it has no "${config.subjectClaim}" claim naming its user.`,
      );
    }
    const user = await findUserByJwtSubject(db, subject);
    if (!user || user.revokedAt !== null) {
      throw new AuthenticationFailure(
        'UNKNOWN_JWT_SUBJECT',
        `The JWT is valid, but its "${config.subjectClaim}" is not a user of this API or has been revoked. Ask an administrator to add it (npm run users -- add --jwt-subject …).`,
        user?.id,
      );
    }
    return { kind: 'USER', user: toSignedIn(user, 'JWT') };
  }

  private wasVerified(key: string, tokenHash: string): boolean {
    const entry = this.verified.get(key);
    if (!entry) return false;
    if (entry.tokenHash !== tokenHash || this.now() - entry.at >= LIMITS.verifiedTokenCacheMs) {
      this.verified.delete(key);
      return false;
    }
    return true;
  }

  private remember(key: string, tokenHash: string): void {
    this.verified.delete(key);
    this.verified.set(key, { tokenHash, at: this.now() });
    while (this.verified.size > LIMITS.verifiedTokenCacheSize) {
      const oldest = this.verified.keys().next().value;
      if (oldest === undefined) break;
      this.verified.delete(oldest);
    }
  }
}

/**
 * What is wrong with a JWT, in words a client can act on; the identity provider's keys being out of reach is
 * not the client's fault (SERVICE_UNAVAILABLE, not counted as a failure).
 */
function jwtFailure(error: unknown): Error {
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid) return keysUnavailable(error);
  if (error instanceof joseErrors.JWTExpired) {
    return new AuthenticationFailure('INVALID_JWT', 'The JWT is not valid: it has expired.');
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return new AuthenticationFailure(
      'INVALID_JWT',
      `The JWT is not valid: its "${error.claim}" claim is not accepted.`,
    );
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed || error instanceof joseErrors.JWKSNoMatchingKey) {
    return new AuthenticationFailure(
      'INVALID_JWT',
      "The JWT is not valid: its signature does not match a key of the identity provider's.",
    );
  }
  if (error instanceof joseErrors.JOSEError) {
    return new AuthenticationFailure('INVALID_JWT', `The JWT is not valid (${error.code}).`);
  }
  // A network failure fetching the keys (fetch's TypeError), or anything else unexpected.
  if (error instanceof TypeError) return keysUnavailable(error);
  return error instanceof Error ? error : new Error(String(error));
}

function keysUnavailable(error: Error): Error {
  return apiError(
    'SERVICE_UNAVAILABLE',
    "The identity provider's keys (AUTH_JWKS_URL) could not be fetched, so the JWT cannot be checked; try again shortly.",
    { cause: 'JWKS_UNAVAILABLE' },
    error,
  );
}
