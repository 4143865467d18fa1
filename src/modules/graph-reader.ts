/**
 * Batched reads for one request, shared by the domain repositories: each loader turns all the keys asked
 * for at one level of a GraphQL selection into ONE Cypher round trip, so a page of 50 recommendations with
 * their articles, documents and sources costs as many round trips as a page of one. (DataLoader rather
 * than compiling the whole selection into one Cypher query: it keeps each statement small, reviewable and
 * indexed by id, and the round trips grow with the depth of the query, which the depth limit bounds, never
 * with its width.)
 *
 * The statements are declared by the repositories (relationship, direction, label, order, filter) and built
 * by db/cypher.ts; rows are decoded here into the models of modules/<domain>/models.ts.
 *
 * Lists and links read their targets `light` unless the caller says otherwise: without the large properties
 * their models name as lazy (an article's text), which a resolver passes `full` for only when the query
 * selects them (modules/selection.ts). The reading is part of each loader's key, so two selections of the
 * same hop in one request never share a batch read for the other: at most two batches per hop and page.
 */
import DataLoader from 'dataloader';
import { z } from 'zod';
import type { CypherReader } from '../db/database';
import {
  countStatement,
  linkCovers,
  listCountStatement,
  listKind,
  readsLink,
  nodeMap,
  listStatement,
  pageStatement,
  prefetchParams,
  relatedStatement,
  type FilteredHop,
  type Prefetch,
  type HopSpec,
  type LinkReading,
  type ListSpec,
} from '../db/cypher';
import { GraphDataError } from '../errors';
import { visible } from '../graph/vocabulary';
import { decodeLinkProps, decodeWith, type EntityLabel, type Related } from './common/models';
import {
  decodeEntity,
  decodeProjected,
  ENTITY_LABELS,
  type EntityModel,
  type ModelByLabel,
  propertiesFor,
  type Projected,
  type PropertyOf,
  type Reading,
} from './entities';

/** A hop with the kinds of entity its target may be (decoded by their models). */
export interface Hop<L extends EntityLabel> extends FilteredHop {
  targets: readonly L[];
}

/** A root list with the kinds of entity it holds. */
export interface List<L extends EntityLabel> extends ListSpec {
  kinds: readonly L[];
}

const rawItem = z.object({ node: z.unknown(), rel: z.unknown(), with: z.array(z.unknown()).optional() });
const relatedRows = z.array(z.object({ id: z.string(), items: z.array(rawItem) }));
const prefetchedItems = z.array(rawItem);
const prefetchedCounted = z.object({ items: prefetchedItems, total: z.number().int() });
const nodeId = z.object({ props: z.object({ id: z.string() }) });
const countRows = z.array(z.object({ id: z.string(), total: z.number().int() }));
const nodeRows = z.array(
  z.object({ node: z.unknown(), with: z.array(z.unknown()).optional(), nodes: z.array(z.unknown()).nullish() }),
);
/** A hop's distinct targets, read once for a whole list (db/cypher.ts `distinctTargets`). */
const distinctNodes = z.array(z.object({ node: z.unknown(), with: z.array(z.unknown()) }));
const references = z.array(z.object({ id: z.string(), rel: z.unknown() }));
/** References to targets whose relationships were not read: their ids alone. */
const bareReferences = z.array(z.string());
const NO_LINK: Readonly<Record<string, never>> = Object.freeze({});

/** Nodes given their kind back by `withKind` (a node read ahead for many parents is visited once each). */
const kindGiven = new WeakSet<object>();

/**
 * A node as the decoders take it ({labels, props}): a statement that reads nodes of one known kind returns
 * their properties alone (db/cypher.ts `propsMap`), and the kind is put back here, once per node.
 */
function withKind(raw: unknown, kind: string | undefined): unknown {
  if (kind === undefined || (typeof raw === 'object' && raw !== null && kindGiven.has(raw))) return raw;
  const node = { labels: [kind], props: raw };
  kindGiven.add(node);
  return node;
}
const counts = z.object({ items: z.unknown(), total: z.unknown() });
const totalRows = z.array(z.object({ total: z.number().int() }));
const nodeByIdRows = z.array(z.object({ id: z.string(), node: z.unknown() }));

type RawItem = z.output<typeof rawItem>;

type PageOf = { offset: number; limit: number } | null;

/** What identifies one read of a hop's targets for one parent: the same for a loader and a prefetch. */
function readKey(hop: FilteredHop, page: PageOf, properties: readonly string[] | undefined): string {
  return `${hop.name}|${hop.where ?? ''}|${JSON.stringify(hop.params ?? {})}|${page ? `${page.offset}|${page.limit}` : 'all'}|${properties?.join(',') ?? '*'}`;
}

/** What identifies one count of a hop's targets for one parent: the same for a loader and a prefetch. */
function countKey(hop: FilteredHop): string {
  return `${hop.name}|${hop.where ?? ''}|${JSON.stringify(hop.params ?? {})}`;
}

/** Rows keyed by parent id, in the order DataLoader asked for the ids (missing ids get `empty`). */
function byId<R extends { id: string }, V>(
  ids: readonly string[],
  rows: R[],
  pick: (row: R) => V,
  empty: () => V,
): V[] {
  const map = new Map(rows.map((row): [string, V] => [row.id, pick(row)]));
  return ids.map((id) => map.get(id) ?? empty());
}

/** The reader's own fixed statements (planned by the warm-up, src/db/warm-up.ts). */
export const GRAPH_READER_STATEMENTS = {
  nodesById: `// nodesById
UNWIND $ids AS id
MATCH (n:Entity {id: id})
WHERE NOT n:TextVersion AND NOT n:Claim AND ${visible('n')}
RETURN id, {labels: labels(n), props: properties(n)} AS node`,
};

export class GraphReader {
  private readonly pageLoaders = new Map<string, DataLoader<string, RawItem[]>>();
  private readonly countLoaders = new Map<string, DataLoader<string, number>>();
  /**
   * Targets of hops read ahead by a parent's statement (a prefetch), by read key and parent id: a field's
   * resolver finds them here before it asks its loader.
   */
  private readonly prefetched = new Map<string, Array<{ links: LinkReading; byParent: Map<string, RawItem[]> }>>();
  /** How many targets a hop has in all, counted by a parent's statement with its page, by count key and parent id. */
  private readonly prefetchedCounts = new Map<string, Map<string, number>>();

  constructor(readonly db: CypherReader) {}

  /** Any entity by id (null where none has it). */
  readonly nodes = new DataLoader<string, EntityModel | null>(async (ids) => {
    const rows = decodeWith(
      nodeByIdRows,
      await this.db.read('nodesById', GRAPH_READER_STATEMENTS.nodesById, { ids }),
      'nodesById rows',
    );
    const found = new Map(rows.map((row) => [row.id, decodeEntity(row.node, ENTITY_LABELS)]));
    return ids.map((id) => found.get(id) ?? null);
  });

  private readonly projectedLoaders = new Map<string, DataLoader<string, unknown>>();

  /**
   * Entities by id, each read with a projection (modules/selection.ts): every id asked for at one level of
   * the query shares one statement, which reads the union of the projections asked for; each entity is
   * decoded with its own (the union may read more, never less).
   */
  private readonly projectedNodes = new DataLoader<
    { id: string; properties: readonly string[] },
    EntityModel | null,
    string
  >(
    async (keys) => {
      const union = [...new Set(keys.flatMap((key) => key.properties))].sort();
      const ids = [...new Set(keys.map((key) => key.id))];
      const rows = decodeWith(
        nodeByIdRows,
        await this.db.read('nodesById', projectedNodesStatement(union), { ids }),
        'nodesById rows',
      );
      const found = new Map(rows.map((row) => [row.id, row.node]));
      return keys.map((key) => {
        const raw = found.get(key.id);
        return raw === undefined ? null : decodeEntity(raw, ENTITY_LABELS, key.properties);
      });
    },
    { cacheKeyFn: (key) => `${key.id}|${key.properties.join(',')}` },
  );

  /**
   * Entities by id with only the named properties: the statement returns `n {.id, .<property>, …}`, so a
   * caller that needs a few properties of many entities reads no more. Null where no entity of these kinds
   * has the id. (The full-model loaders above are the default; this is the boundary a query planner that
   * knows the selected fields can ask instead.)
   */
  async projected<L extends EntityLabel, K extends PropertyOf<L>>(
    id: string,
    kinds: readonly L[],
    properties: readonly K[],
  ): Promise<Projected<L, K> | null> {
    const names = ['id', ...properties];
    const key = `${kinds.join(',')}|${names.join(',')}`;
    let loader = this.projectedLoaders.get(key);
    if (!loader) {
      loader = new DataLoader<string, unknown>(async (ids) => {
        const rows = decodeWith(
          nodeByIdRows,
          await this.db.read('nodesById:projected', projectedNodesStatement(names), { ids }),
          'nodesById rows',
        );
        const found = new Map(rows.map((row) => [row.id, row.node]));
        return ids.map((id) => found.get(id) ?? null);
      });
      this.projectedLoaders.set(key, loader);
    }
    const raw = await loader.load(id);
    if (raw === null) return null;
    const labels = decodeWith(z.object({ labels: z.array(z.string()) }), raw, 'node').labels;
    return kinds.some((kind) => labels.includes(kind)) ? decodeProjected(raw, kinds, properties) : null;
  }

  /** The entity with this id if it is of one of these kinds, else null. */
  async node<L extends EntityLabel>(id: string, kinds: readonly L[]): Promise<ModelByLabel[L] | null> {
    const node = await this.nodes.load(id);
    return node && isOneOf(node, kinds) ? node : null;
  }

  /**
   * Entities named by id in another answer (an analysis row, a link's property): each must exist and be of
   * one of these kinds. A failed batch rejects (the field gets the error), never a shorter list.
   */
  async existing<L extends EntityLabel>(
    ids: readonly string[],
    kinds: readonly L[],
    what: string,
    reading: Reading = 'full',
  ): Promise<Array<ModelByLabel[L]>> {
    const projection = typeof reading === 'object' ? reading.only : undefined;
    return Promise.all(
      ids.map(async (id) => {
        const node = projection
          ? await this.projectedNodes.load({ id, properties: projection })
          : await this.nodes.load(id);
        if (!node || !isOneOf(node, kinds))
          throw new GraphDataError(`${what} names ${id}, which is not a ${kinds.join(' or ')} in the graph`);
        return node;
      }),
    );
  }

  /** Every target of a hop (for naturally short lists). */
  async related<L extends EntityLabel>(
    hop: Hop<L>,
    parentId: string,
    reading: Reading = 'light',
    prefetch: readonly Prefetch[] = [],
    links: LinkReading = 'full',
  ): Promise<Array<Related<ModelByLabel[L]>>> {
    return this.decodeItems(
      hop,
      await this.items(hop, null, reading, prefetch, links, parentId),
      propertiesFor(hop.targets, reading),
    );
  }

  /** The entities at the other end of a hop. */
  async targets<L extends EntityLabel>(
    hop: Hop<L>,
    parentId: string,
    reading: Reading = 'light',
    prefetch: readonly Prefetch[] = [],
  ): Promise<Array<ModelByLabel[L]>> {
    return (await this.related(hop, parentId, reading, prefetch, 'none')).map((item) => item.node);
  }

  /** The single target of a hop, or null. */
  async one<L extends EntityLabel>(
    hop: Hop<L>,
    parentId: string,
    reading: Reading = 'light',
    prefetch: readonly Prefetch[] = [],
  ): Promise<ModelByLabel[L] | null> {
    return (await this.related(hop, parentId, reading, prefetch, 'none'))[0]?.node ?? null;
  }

  /** One page of the targets of a hop; parents asked for with the same hop and page share one round trip. */
  async page<L extends EntityLabel>(
    hop: Hop<L>,
    parentId: string,
    offset: number,
    limit: number,
    reading: Reading = 'light',
    prefetch: readonly Prefetch[] = [],
    links: LinkReading = 'full',
  ): Promise<Array<Related<ModelByLabel[L]>>> {
    return this.decodeItems(
      hop,
      await this.items(hop, { offset, limit }, reading, prefetch, links, parentId),
      propertiesFor(hop.targets, reading),
    );
  }

  /** How many targets `page` lists in all: run only when a query selects totalCount. */
  count(hop: HopSpec & { where?: string; params?: Record<string, unknown> }, parentId: string): Promise<number> {
    const key = countKey(hop);
    const ahead = this.prefetchedCounts.get(key)?.get(parentId);
    if (ahead !== undefined) return Promise.resolve(ahead);
    let loader = this.countLoaders.get(key);
    if (!loader) {
      loader = new DataLoader(async (ids) => {
        const rows = decodeWith(
          countRows,
          await this.db.read(`${hop.name}:count`, countStatement(hop), { ...hop.params, ids }),
          `${hop.name} rows`,
        );
        return byId(
          ids,
          rows,
          (row) => row.total,
          () => 0,
        );
      });
      this.countLoaders.set(key, loader);
    }
    return loader.load(parentId);
  }

  /** One page of a root list; the entities listed are primed into the by-id loader. */
  async list<L extends EntityLabel>(
    spec: List<L>,
    offset: number,
    limit: number,
    reading: Reading = 'light',
    prefetch: readonly Prefetch[] = [],
  ): Promise<Array<ModelByLabel[L]>> {
    const properties = propertiesFor(spec.kinds, reading);
    const rows = decodeWith(
      nodeRows,
      await this.db.read(spec.name, listStatement(spec, properties, prefetch), {
        ...spec.params,
        ...prefetchParams(prefetch),
        offset,
        limit,
      }),
      `${spec.name} rows`,
    );
    const kind = listKind(spec);
    if (kind) for (const row of rows) row.node = withKind(row.node, kind);
    const withs = this.resolveReferences(prefetch, rows);
    const items = rows.map((row) => decodeEntity(row.node, spec.kinds, properties));
    // A projection is only what this field's selection reads: the by-id loader serves other fields, so it
    // is primed with whole entities only.
    if (typeof reading !== 'object') for (const item of items) this.nodes.prime(item.id, item);
    rows.forEach((row, index) => this.prime(prefetch, row.node, withs[index]));
    return items;
  }

  /**
   * A list's read-ahead with each hop's targets in place of their references: the statement read each
   * distinct target once (`nodes`, per hop, beside the first row) and refers to it by id in every row.
   */
  private resolveReferences(
    prefetch: readonly Prefetch[],
    rows: ReadonlyArray<{ with?: unknown[] | undefined; nodes?: unknown[] | null | undefined }>,
  ): Array<unknown[] | undefined> {
    const nodes = rows[0]?.nodes;
    if (!nodes) return rows.map((row) => row.with);
    const targets = prefetch.map((item, index) => {
      const byId = new Map<string, { node: unknown; with: unknown[] }>();
      for (const target of decodeWith(distinctNodes, nodes[index], `${item.hop.name} targets`)) {
        target.node = withKind(target.node, item.oneKind);
        byId.set(decodeWith(nodeId, target.node, `${item.hop.name} target`).props.id, target);
      }
      return byId;
    });
    return rows.map((row) =>
      prefetch.map((item, index) => {
        const byId = targets[index] as Map<string, { node: unknown; with: unknown[] }>;
        const find = (id: string) => {
          const target = byId.get(id);
          if (!target) throw new GraphDataError(`${item.hop.name} refers to ${id}, which the statement did not read`);
          return target;
        };
        const what = `${item.hop.name} references`;
        const resolve = (refs: unknown) =>
          (readsLink(item.links)
            ? decodeWith(references, refs, what)
            : decodeWith(bareReferences, refs, what).map((id) => ({ id, rel: NO_LINK }))
          ).map((ref) => {
            const target = find(ref.id);
            return { node: target.node, rel: ref.rel, with: target.with };
          });
        const value = row.with?.[index];
        if (!item.count) return resolve(value);
        const counted = decodeWith(counts, value, `${item.hop.name} counted`);
        return { items: resolve(counted.items), total: counted.total };
      }),
    );
  }

  /**
   * Keeps what a statement read ahead for one of its rows' nodes (`withs[i]` is what `prefetch[i]` read),
   * and what was read ahead below that in turn. Nothing is kept when the statement read nothing ahead.
   */
  private prime(prefetch: readonly Prefetch[], parent: unknown, withs: readonly unknown[] | undefined): void {
    if (prefetch.length === 0 || withs === undefined) return;
    const parentId = decodeWith(nodeId, parent, 'prefetching node').props.id;
    prefetch.forEach((item, index) => {
      const value = withs[index];
      let items: RawItem[];
      if (item.count) {
        const counted = decodeWith(prefetchedCounted, value, `${item.hop.name} prefetched`);
        items = counted.items;
        const countsKey = countKey(item.hop);
        let counts = this.prefetchedCounts.get(countsKey);
        if (!counts) this.prefetchedCounts.set(countsKey, (counts = new Map<string, number>()));
        counts.set(parentId, counted.total);
      } else items = decodeWith(prefetchedItems, value, `${item.hop.name} prefetched`);
      if (item.oneKind) for (const child of items) child.node = withKind(child.node, item.oneKind);
      const key = readKey(item.hop, item.page, item.properties);
      let reads = this.prefetched.get(key);
      if (!reads) this.prefetched.set(key, (reads = []));
      const links = JSON.stringify(item.links);
      let read = reads.find((each) => JSON.stringify(each.links) === links);
      if (!read) reads.push((read = { links: item.links, byParent: new Map<string, RawItem[]>() }));
      read.byParent.set(parentId, items);
      for (const child of items) this.prime(item.children, child.node, child.with);
    });
  }

  /** A hop's targets for one parent: read ahead by a parent's statement, else by the hop's loader. */
  private items(
    hop: Hop<EntityLabel>,
    page: PageOf,
    reading: Reading,
    prefetch: readonly Prefetch[],
    links: LinkReading,
    parentId: string,
  ): Promise<RawItem[]> {
    // A read ahead that read at least the relationship properties this caller needs will do.
    for (const read of this.prefetched.get(readKey(hop, page, propertiesFor(hop.targets, reading))) ?? []) {
      const ahead = linkCovers(read.links, links) ? read.byParent.get(parentId) : undefined;
      if (ahead) return Promise.resolve(ahead);
    }
    return this.pageLoader(hop, page, reading, prefetch).load(parentId);
  }

  async listCount(spec: ListSpec): Promise<number> {
    const [row] = decodeWith(
      totalRows,
      await this.db.read(`${spec.name}:count`, listCountStatement(spec), spec.params ?? {}),
      `${spec.name} rows`,
    );
    return row?.total ?? 0;
  }

  private pageLoader(
    hop: Hop<EntityLabel>,
    page: PageOf,
    reading: Reading,
    prefetch: readonly Prefetch[],
  ): DataLoader<string, RawItem[]> {
    const properties = propertiesFor(hop.targets, reading);
    const key = `${readKey(hop, page, properties)}${prefetch.length > 0 ? `|${JSON.stringify(prefetch)}` : ''}`;
    let loader = this.pageLoaders.get(key);
    if (!loader) {
      loader = new DataLoader(async (ids) => {
        const ahead = prefetchParams(prefetch);
        const rows = page
          ? await this.db.read(hop.name, pageStatement(hop, properties, prefetch), {
              ...hop.params,
              ...ahead,
              ids,
              offset: page.offset,
              limit: page.limit,
            })
          : await this.db.read(hop.name, relatedStatement(hop, properties, prefetch), {
              ...hop.params,
              ...ahead,
              ids,
            });
        const decoded = decodeWith(relatedRows, rows, `${hop.name} rows`);
        for (const row of decoded) for (const item of row.items) this.prime(prefetch, item.node, item.with);
        return byId(
          ids,
          decoded,
          (row) => row.items,
          (): RawItem[] => [],
        );
      });
      this.pageLoaders.set(key, loader);
    }
    return loader;
  }

  /**
   * The entities a read-ahead's targets decode to, by the node as read: a target many parents share (a
   * list's document, its themes) is read once by the statement and decoded once, with the kinds and
   * properties it was first decoded with (another decoding of the same node is not kept).
   */
  private readonly decoded = new WeakMap<
    object,
    { kinds: readonly string[]; read: readonly string[] | undefined; model: EntityModel }
  >();

  private decodeItems<L extends EntityLabel>(
    hop: Hop<L>,
    items: RawItem[],
    read: readonly string[] | undefined,
  ): Array<Related<ModelByLabel[L]>> {
    return items.map((item) => ({
      node: this.decodeTarget(item.node, hop.targets, read),
      rel: decodeLinkProps(item.rel),
    }));
  }

  private decodeTarget<L extends EntityLabel>(
    raw: unknown,
    kinds: readonly L[],
    read: readonly string[] | undefined,
  ): ModelByLabel[L] {
    if (typeof raw !== 'object' || raw === null) return decodeEntity(raw, kinds, read);
    const known = this.decoded.get(raw);
    if (known && sameList(known.kinds, kinds) && sameList(known.read, read)) return known.model as ModelByLabel[L];
    const model = decodeEntity(raw, kinds, read);
    if (!known) this.decoded.set(raw, { kinds, read, model });
    return model;
  }
}

/** Entities by id, each with only the named properties. */
export function projectedNodesStatement(properties: readonly string[]): string {
  return `// nodesById:projected
UNWIND $ids AS id
MATCH (n:Entity {id: id})
WHERE NOT n:TextVersion AND NOT n:Claim AND ${visible('n')}
RETURN id, ${nodeMap('n', properties)} AS node`;
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((value, index) => value === b[index]);
}

export function isOneOf<L extends EntityLabel>(node: EntityModel, kinds: readonly L[]): node is ModelByLabel[L] {
  return kinds.some((kind) => kind === node.__label);
}
