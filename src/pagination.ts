import { badUserInput } from './errors';
import { checkPageSize } from './limits';

/**
 * Cursor pagination over a stable ordering. Cursors are opaque to clients (base64 of the item's position in
 * the ordering, as graphql-relay's `arrayconnection:` cursors are); every list's ordering ends with the id,
 * so the same corpus gives the same pages.
 */
export interface PageRequest {
  /** Items to skip: the position after the `after` cursor. */
  offset: number;
  /** Items to return. */
  limit: number;
}

const PREFIX = 'cursor:';

export function encodeCursor(position: number): string {
  return Buffer.from(`${PREFIX}${position}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, argumentPath: string): number {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const position = Number(decoded.slice(PREFIX.length));
  if (!decoded.startsWith(PREFIX) || !Number.isInteger(position) || position < 0) {
    throw badUserInput(
      `${argumentPath} is not a cursor this API issued: pass a previous page's pageInfo.endCursor.`,
      argumentPath,
    );
  }
  return position;
}

export function pageRequest(
  args: { first?: number | null; after?: string | null },
  fieldPath: string,
  defaultSize = 20,
): PageRequest {
  const limit = checkPageSize(args.first, `${fieldPath}(first:)`, defaultSize);
  const offset = args.after ? decodeCursor(args.after, `${fieldPath}(after:)`) + 1 : 0;
  return { offset, limit };
}

/** The page `paged` fetches for these arguments: the one asked for, plus the extra item. */
export function fetchedPage(
  args: { first?: number | null; after?: string | null },
  fieldPath: string,
  defaultSize = 20,
): PageRequest {
  const page = pageRequest(args, fieldPath, defaultSize);
  return { offset: page.offset, limit: page.limit + 1 };
}

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  /** Resolved lazily: counted only when the query selects totalCount. */
  totalCount: () => Promise<number>;
}

/**
 * Builds a connection from one page of items fetched with limit + 1 (the extra item only tells whether
 * there is a next page).
 */
export function toConnection<T>(itemsPlusOne: T[], page: PageRequest, count: () => Promise<number>): Connection<T> {
  const items = itemsPlusOne.slice(0, page.limit);
  const edges = items.map((node, index) => ({ cursor: encodeCursor(page.offset + index), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: itemsPlusOne.length > page.limit,
      endCursor: edges.length > 0 ? edges[edges.length - 1]!.cursor : null,
    },
    totalCount: count,
  };
}

/** A connection over one page of a list, fetched with one extra item; the count runs only if selected. */
export async function paged<T>(
  args: { first?: number | null; after?: string | null },
  fieldPath: string,
  fetch: (offset: number, limit: number) => Promise<T[]>,
  count: () => Promise<number>,
  defaultSize = 20,
): Promise<Connection<T>> {
  const page = pageRequest(args, fieldPath, defaultSize);
  return toConnection(await fetch(page.offset, page.limit + 1), page, count);
}
