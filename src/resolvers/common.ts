import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import type { Context } from '../context';
import type { CitationModel, EntityModel, LinkModel, LinkProps, Related, Verification } from '../db/models';
import { pageRequest, toConnection, type Connection } from '../pagination';
import type { PageSpec } from '../db/graph-loaders';
import type { ListSpec } from '../db/list-repository';
import { LIMITS } from '../limits';

const PARTIAL_DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

/** ISO 8601 calendar date at day, month or year precision. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'An ISO 8601 calendar date at day (YYYY-MM-DD), month (YYYY-MM) or year (YYYY) precision.',
  serialize(value) {
    if (typeof value !== 'string' || !PARTIAL_DATE.test(value)) throw new GraphQLError(`Date cannot represent ${JSON.stringify(value)}`);
    return value;
  },
  parseValue(value) {
    if (typeof value !== 'string' || !PARTIAL_DATE.test(value)) {
      throw new GraphQLError(`Date must be YYYY, YYYY-MM or YYYY-MM-DD (got ${JSON.stringify(value)})`, { extensions: { code: 'BAD_USER_INPUT' } });
    }
    return value;
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING || !PARTIAL_DATE.test(ast.value)) {
      throw new GraphQLError('Date must be a string YYYY, YYYY-MM or YYYY-MM-DD', { extensions: { code: 'BAD_USER_INPUT' } });
    }
    return ast.value;
  },
});

/** The GraphQL type of an entity is its label. */
export function resolveEntityType(model: { __label: string }): string {
  return model.__label;
}

/** The four fields every Sourced entity has. */
export const sourcedFields = {
  sources: (model: EntityModel, _args: unknown, { loaders }: Context) => loaders.citations.load(model.id),
  verification: (model: EntityModel) => (model.verification as Verification | undefined) ?? 'UNVERIFIED',
  note: (model: EntityModel) => (model.note as string | undefined) ?? null,
  claims: (model: EntityModel, _args: unknown, { loaders }: Context) => loaders.claims.load(model.id),
};

/** A relationship's citations, from the aligned sourceIds and locators lists the loader writes on it. */
export function linkCitations(rel: LinkProps): CitationModel[] {
  const ids = rel.sourceIds ?? [];
  const locators = rel.locators ?? [];
  const quotes = (rel.quotes as string[] | null | undefined) ?? [];
  return ids.map((sourceId, index) => ({ sourceId, locator: locators[index] ?? '', quote: quotes[index] || null }));
}

/** The four fields every SourcedLink has. */
export const linkFields = {
  sources: (link: LinkModel) => linkCitations(link.rel),
  verification: (link: LinkModel): Verification => link.rel.verification ?? 'UNVERIFIED',
  linkBasis: (link: Pick<LinkModel, 'rel'>) => link.rel.basis ?? 'STATED',
  note: (link: LinkModel) => link.rel.note ?? null,
};

/** Property of a model as an optional value: undefined in the graph is null in the API. */
export function optional<T>(value: unknown): T | null {
  return value === undefined || value === null ? null : (value as T);
}

/** Links from `from` to each related entity. */
export function linksFrom<F extends EntityModel>(from: F, related: Related[]): LinkModel[] {
  return related.map(({ node, rel }) => ({ from, to: node, rel }));
}

/** Links to `to` from each related entity. */
export function linksTo<T extends EntityModel>(to: T, related: Related[]): LinkModel[] {
  return related.map(({ node, rel }) => ({ from: node, to, rel }));
}

export async function requireNode(context: Context, id: string, what: string): Promise<EntityModel> {
  const node = await context.loaders.node.load(id);
  if (!node) throw new Error(`${what} ${id} is referenced but does not exist`);
  return node;
}

/** A connection over the entities related to a parent (see GraphLoaders.page). */
export async function relatedConnection<T>(
  context: Context,
  parentId: string,
  spec: PageSpec,
  args: { first?: number | null; after?: string | null },
  fieldPath: string,
  map: (item: Related) => T,
  defaultSize = 20,
): Promise<Connection<T>> {
  const page = pageRequest(args, fieldPath, defaultSize);
  const items = await context.loaders.page(spec, page.offset, page.limit + 1).load(parentId);
  return toConnection(items.map(map), page, () => context.loaders.count(spec).load(parentId));
}

/** A connection over a root list (see ListRepository). */
export async function listConnection(
  context: Context,
  spec: ListSpec,
  args: { first?: number | null; after?: string | null },
  fieldPath: string,
  defaultSize = 20,
): Promise<Connection<EntityModel>> {
  const page = pageRequest(args, fieldPath, defaultSize);
  const items = await context.lists.page(spec, page.offset, page.limit + 1);
  for (const item of items) context.loaders.node.prime(item.id, item);
  return toConnection(items, page, () => context.lists.count(spec));
}

/** Resolves `state:KAZ` or `KAZ` to the state id; ids pass through. */
export function stateId(value: string): string {
  return /^[A-Z]{3}$/.test(value) ? `state:${value}` : value;
}

/** Resolves `treaty:CRC` or `CRC` to the treaty id. */
export function treatyId(value: string): string {
  return value.startsWith('treaty:') ? value : `treaty:${value.toUpperCase()}`;
}

export function checkIdCount(ids: readonly string[], argumentPath: string): void {
  if (ids.length > LIMITS.maxIds) {
    throw new GraphQLError(`${argumentPath} holds ${ids.length} ids; the limit is ${LIMITS.maxIds}.`, {
      extensions: { code: 'BAD_USER_INPUT', argument: argumentPath, limit: LIMITS.maxIds, http: { status: 400 } },
    });
  }
}
