/**
 * Who is asking. Every request has a viewer: anonymous (no `Authorization` header) or a signed-in user,
 * authenticated by the identity module (a bearer token issued by `npm run users`, or a JWT checked
 * against the configured JWKS). Resolvers and repositories decide what a viewer may see and do only
 * through the functions below, so the authorisation rules live in one place.
 */

/** A signed-in user as the request sees it. Never carries a token or its hash. */
export interface SignedInUser {
  /** `user:<uuid>`. */
  id: string;
  name: string;
  /** The organisation the user records follow-up for; shown as "reported by". */
  organisation: string;
  /** May manage users. Not by itself an editor of any state. */
  admin: boolean;
  /** ISO 3166 alpha-3 codes of the states whose follow-up the user records and whose internal records they read. */
  editorStates: readonly string[];
  /** When not empty: the user may record only measures led by one of these bodies (corpus `Body` ids). */
  editorBodies: readonly string[];
  /** How the user was authenticated. */
  via: 'TOKEN' | 'JWT';
}

export type Viewer = { kind: 'ANONYMOUS' } | { kind: 'USER'; user: SignedInUser };

export const ANONYMOUS: Viewer = { kind: 'ANONYMOUS' };

/** The signed-in user, or null for an anonymous reader. */
export function signedIn(viewer: Viewer): SignedInUser | null {
  return viewer.kind === 'USER' ? viewer.user : null;
}

/**
 * States whose INTERNAL follow-up records the viewer may read: those they edit. Anonymous readers and
 * users without editor states read PUBLIC records only. Repositories pass this list to Cypher
 * (`visibility = 'PUBLIC' OR stateId IN $internalStates`), so lists, counts, search, paths and history
 * all filter the same way.
 */
export function internalStatesOf(viewer: Viewer): string[] {
  const user = signedIn(viewer);
  return user ? [...user.editorStates] : [];
}

/**
 * Whether the viewer may record follow-up for a measure of `stateId` led by `leadBodyId` (null: no lead
 * body yet). An editor limited to bodies may record only measures led by one of them.
 */
export function mayEditFollowUp(viewer: Viewer, stateId: string, leadBodyId: string | null): boolean {
  const user = signedIn(viewer);
  if (!user || !user.editorStates.includes(stateId)) return false;
  if (user.editorBodies.length === 0) return true;
  return leadBodyId !== null && user.editorBodies.includes(leadBodyId);
}

/** Whether the viewer may manage users. */
export function mayManageUsers(viewer: Viewer): boolean {
  return signedIn(viewer)?.admin === true;
}

/** The roles a user holds, as the schema names them: EDITOR (of at least one state), ADMIN. */
export function rolesOf(user: SignedInUser): Array<'EDITOR' | 'ADMIN'> {
  return [...(user.editorStates.length > 0 ? (['EDITOR'] as const) : []), ...(user.admin ? (['ADMIN'] as const) : [])];
}
