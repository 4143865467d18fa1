/**
 * Builders of the batched read statements the repositories declare (one relationship walked from many
 * parents at once, a page of it, its count, a root list). A repository names each statement and gives its
 * fixed parts (relationship type, direction, target label, order, filter); every value travels as a
 * parameter. Each statement starts with a `// name` comment, so it can be found in Neo4j's query log, and
 * the middle test tier snapshots the text each builder produces (test/middle/__snapshots__).
 */
import { PENDING_KINDS, visible, type NodeLabel, type RelationshipType } from '../graph/vocabulary';

/** One relationship walked from a parent `p` (bound by id) to a target `t`. */
export interface HopSpec {
  /** The statement's name: `<GraphQL type>.<field>` of the field it serves. */
  name: string;
  type: RelationshipType;
  direction: 'out' | 'in';
  /** Label matched at the other end: one kind, or `Entity` where the target may be of several kinds. */
  match: NodeLabel | 'Entity' | 'Evidence';
  /** ORDER BY over `t` (the target) and `r` (the relationship); ends with the id so pages are stable. */
  orderBy?: string;
}

/** A hop narrowed by a condition over `t` (fixed text; its values are named parameters). */
export interface FilteredHop extends HopSpec {
  where?: string;
  params?: Record<string, unknown>;
}

/** A root list: one label, fixed MATCH patterns and WHERE conditions over `n`, an order ending with the id. */
export interface ListSpec {
  name: string;
  label: NodeLabel | 'Evidence';
  /** The kinds of entity the list holds, where the repository declares them (modules/graph-reader.ts `List`). */
  kinds?: readonly string[];
  match?: readonly string[];
  where?: readonly string[];
  params?: Record<string, unknown>;
  orderBy: string;
}

const NAME = /^[A-Za-z_]+$/;
const PROPERTY = /^[A-Za-z][A-Za-z0-9_]*$/;
const STATEMENT_NAME = /^[A-Za-z.:]+$/;

function checked(name: string, what: string, pattern = NAME): string {
  if (!pattern.test(name)) throw new Error(`Bad ${what} ${name}`);
  return name;
}

/**
 * The map a statement returns for a node: its labels and its properties, all of them or only those named
 * (a projection, for callers that need a few properties of many nodes).
 */
export function nodeMap(variable: string, properties?: readonly string[]): string {
  return `{labels: labels(${variable}), props: ${propsMap(variable, properties)}}`;
}

/**
 * The properties of a node alone, without its labels: for a read whose nodes are all of one kind, which the
 * reader knows (`Prefetch.oneKind`, `listKind`), so that each node costs Neo4j and the Bolt decoder no list of
 * labels. The reader puts the kind back (modules/graph-reader.ts).
 */
function propsMap(variable: string, properties?: readonly string[]): string {
  return properties
    ? `${variable} {${properties.map((p) => `.${checked(p, 'property', PROPERTY)}`).join(', ')}}`
    : `properties(${variable})`;
}

/**
 * The one kind of entity a root list holds, when its label is that kind: its rows are then returned as
 * properties alone (`propsMap`). Undefined where the list may hold several kinds.
 */
export function listKind(spec: ListSpec): string | undefined {
  return spec.kinds?.length === 1 && spec.kinds[0] === spec.label ? spec.label : undefined;
}

/** The map a read-ahead returns for one of its targets: each kind's own properties where it names them. */
function targetMap(variable: string, item: Prefetch): string {
  if (item.oneKind) return propsMap(variable, item.properties);
  if (!item.byKind || item.byKind.length < 2 || !item.properties) return nodeMap(variable, item.properties);
  const cases = item.byKind.map(
    (kind) => `WHEN ${variable}:${checked(kind.label, 'label')} THEN ${propsMap(variable, kind.properties)}`,
  );
  return `{labels: labels(${variable}), props: CASE ${cases.join(' ')} ELSE ${propsMap(variable, item.properties)} END}`;
}

function hopPattern(spec: HopSpec): string {
  const type = checked(spec.type, 'relationship type');
  const label = checked(spec.match, 'label');
  return spec.direction === 'out'
    ? `(p:Entity {id: id})-[r:${type}]->(t:${label})`
    : `(p:Entity {id: id})<-[r:${type}]-(t:${label})`;
}

/**
 * Whether a node matched with this label may be one of an unpublished import's rows (a recommendation or a
 * text, or any entity): the statement then tests `visible` on it. Other labels keep their statements as
 * they were (vocabulary.ts, `PENDING_KINDS`).
 */
function mayBePending(label: string): boolean {
  return label === 'Entity' || (PENDING_KINDS as readonly string[]).includes(label);
}

/**
 * The conditions over the target `variable` of a hop matching `label`: the hop's own `where` (in
 * parentheses where `visible` is added, so an OR in it stays whole) and `visible` where the label may be
 * pending. Null when there is none.
 */
function targetWhere(label: string, where: string | undefined, variable: string): string | null {
  if (!mayBePending(label)) return where ?? null;
  return where ? `(${where}) AND ${visible(variable)}` : visible(variable);
}

function hopMatch(spec: FilteredHop): string {
  const where = targetWhere(spec.match, spec.where, 't');
  return `MATCH ${hopPattern(spec)}${where ? `\n    WHERE ${where}` : ''}`;
}

/** Every target of the hop, for each parent id in `$ids`: rows {id, items: [{node: {labels, props}, rel}]}. */
export function relatedStatement(
  spec: FilteredHop,
  properties?: readonly string[],
  prefetch: readonly Prefetch[] = [],
): string {
  return `// ${checked(spec.name, 'statement name', STATEMENT_NAME)}
UNWIND $ids AS id
${hopMatch(spec).replace('\n    ', '\n')}
WITH id, t, r ORDER BY ${spec.orderBy ?? 't.id'}
${prefetch.length > 0 ? `${prefetchCalls('t', prefetch)}\n` : ''}RETURN id, collect({node: ${nodeMap('t', properties)}, rel: properties(r)${withResults(prefetch)}}) AS items`;
}

/** One page ($offset, $limit) of the targets of the hop, for each parent id in `$ids`. */
export function pageStatement(
  spec: FilteredHop,
  properties?: readonly string[],
  prefetch: readonly Prefetch[] = [],
): string {
  return `// ${checked(spec.name, 'statement name', STATEMENT_NAME)}
UNWIND $ids AS id
CALL (id) {
  ${hopMatch(spec)}
  WITH t, r ORDER BY ${spec.orderBy ?? 't.id'}
  SKIP $offset LIMIT $limit
${prefetch.length > 0 ? `${prefetchCalls('t', prefetch, 'f', '  ')}\n` : ''}  RETURN collect({node: ${nodeMap('t', properties)}, rel: properties(r)${withResults(prefetch)}}) AS items
}
RETURN id, items`;
}

/** How many targets `pageStatement` lists in all, for each parent id in `$ids`. */
export function countStatement(spec: FilteredHop): string {
  return `// ${checked(spec.name, 'statement name', STATEMENT_NAME)}:count
UNWIND $ids AS id
CALL (id) {
  ${hopMatch(spec)}
  RETURN count(t) AS total
}
RETURN id, total`;
}

function listBody(spec: ListSpec): string {
  const lines = [`MATCH (n:${checked(spec.label, 'label')})`];
  for (const pattern of spec.match ?? []) lines.push(`MATCH ${pattern}`);
  const where = [...(spec.where ?? [])];
  if (mayBePending(spec.label)) where.push(visible('n'));
  if (where.length > 0) lines.push(`WHERE ${where.join(' AND ')}`);
  return lines.join('\n');
}

/**
 * One page ($offset, $limit) of a root list: rows {node: {labels, props}}, or {node: props} where the list
 * holds one kind (`listKind`).
 */
export function listStatement(
  spec: ListSpec,
  properties?: readonly string[],
  prefetch: readonly Prefetch[] = [],
): string {
  return `// ${checked(spec.name, 'statement name', STATEMENT_NAME)}
${listBody(spec)}
WITH DISTINCT n
ORDER BY ${spec.orderBy}
SKIP $offset LIMIT $limit
${prefetch.length > 0 ? distinctTargets(prefetch, rowMap(spec, properties)) : `RETURN ${rowMap(spec, properties)} AS node`}`;
}

/** What a root list returns for each of its nodes: its properties alone where the list holds one kind. */
function rowMap(spec: ListSpec, properties: readonly string[] | undefined): string {
  return listKind(spec) ? propsMap('n', properties) : nodeMap('n', properties);
}

/**
 * The read-ahead of a list, each target read once: the hops walked from each row return references (the
 * target's id and the relationship), the distinct targets of each hop are then read once for the whole
 * page, with what is read ahead below them, and come back beside the first row (`nodes`: per hop, a list
 * of {node, with}). A document, theme or article that many of the page's items point at is read once. A
 * reference is the target's id alone where the relationship is not read (`links` none), else {id, rel}.
 */
function distinctTargets(prefetch: readonly Prefetch[], row: string): string {
  const names = prefetch.map((_, index) => `f_${index}`);
  const results = prefetch.map((item, index) => `f_${index}${item.count ? '_counted' : ''}`);
  const lines = [prefetchCalls('n', prefetch, 'f', '', 1, true)];
  lines.push(
    `WITH collect({n: n, ${results.map((result) => `${result}: ${result}`).join(', ')}}) AS rows, ${names.map((name) => `collect(${name}_t) AS ${name}_t`).join(', ')}`,
  );
  prefetch.forEach((item, index) => {
    const name = names[index] as string;
    lines.push(`CALL (${name}_t) {`);
    lines.push(`  UNWIND ${name}_t AS ${name}_ts`);
    lines.push(`  UNWIND ${name}_ts AS t1`);
    lines.push(`  WITH DISTINCT t1`);
    if (item.children.length > 0) lines.push(prefetchCalls('t1', item.children, name, '  ', 2));
    lines.push(
      `  RETURN collect({node: ${targetMap('t1', item)}, with: ${prefetchResults(item.children, name)}}) AS ${name}_nodes`,
    );
    lines.push('}');
  });
  lines.push('UNWIND range(0, size(rows) - 1) AS i');
  lines.push(
    `WITH rows[i] AS row, CASE WHEN i = 0 THEN [${names.map((name) => `${name}_nodes`).join(', ')}] END AS nodes`,
  );
  lines.push(`WITH row.n AS n, ${results.map((result) => `row.${result} AS ${result}`).join(', ')}, nodes`);
  lines.push(`RETURN ${row} AS node, ${prefetchResults(prefetch)} AS with, nodes`);
  return lines.join('\n');
}

/** How many items a root list holds in all: one row {total}. */
export function listCountStatement(spec: ListSpec): string {
  return `// ${checked(spec.name, 'statement name', STATEMENT_NAME)}:count
${listBody(spec)}
RETURN count(DISTINCT n) AS total`;
}

/**
 * Builds a list's conditions from optional filters: a fragment is added only when its value is given (not
 * null, undefined or an empty list), with the value as the named parameter.
 */
export class ListFilter {
  readonly match: string[] = [];
  readonly where: string[] = [];
  readonly params: Record<string, unknown> = {};

  /** A pattern over `n` the item must match, e.g. `(n)-[:OF_STATE]->(:State {id: $state})`. */
  matching(param: string, value: unknown, pattern: string): this {
    if (given(value)) {
      this.match.push(pattern);
      this.params[param] = value;
    }
    return this;
  }

  /** A condition over `n`, e.g. `n.kind IN $kinds`. */
  when(param: string, value: unknown, condition: string): this {
    if (given(value)) {
      this.where.push(condition);
      this.params[param] = value;
    }
    return this;
  }

  spec(name: string, label: ListSpec['label'], orderBy: string): ListSpec {
    return { name, label, orderBy, match: this.match, where: this.where, params: this.params };
  }
}

function given(value: unknown): boolean {
  return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
}

/**
 * What a statement reads besides its own rows, for the fields a query selects below them (built from the
 * selection by modules/prefetch.ts): a hop walked from each row's node (its page, where the field is a
 * connection), with what to read below its targets in turn. The statement then answers a whole selection in one round trip; the GraphReader primes its batch
 * loaders with what came back, so the fields' resolvers find it there (and a field nobody prefetched is
 * still read by its loader, batched, as before).
 */
export interface Prefetch {
  kind: 'hop';
  hop: FilteredHop;
  /** One page of the hop's targets, or all of them. */
  page: { offset: number; limit: number } | null;
  /** The target properties read (undefined: every one, as `properties(t)`). */
  properties: readonly string[] | undefined;
  /**
   * Where the targets may be of several kinds (an implementation is a provision or an instrument): the
   * properties read of each kind, those of `properties` its model has, so that each reads only its own (a
   * CASE on the label) rather than every kind's (a property a node does not have is a database hit and a
   * null in the map all the same).
   */
  byKind?: ReadonlyArray<{ label: string; properties: readonly string[] }>;
  /**
   * The one kind the targets have, where the hop matches that kind's label: the targets are then returned
   * as their properties alone (no labels), and the reader gives them this kind.
   */
  oneKind?: string;
  /** How much of each relationship is read (LinkReading). */
  links: LinkReading;
  /**
   * Whether the query also asks how many targets the hop has in all (a connection's totalCount): then the
   * statement counts them too, and returns `{items, total}` for the hop instead of its items alone.
   */
  count?: boolean;
  children: readonly Prefetch[];
}

/**
 * How much of a relationship a read returns: `full` every property, `none` nothing (for fields that show the
 * targets only), or `only` the properties named (those the link fields a query selects show:
 * modules/prefetch.ts `linksFor`).
 */
export type LinkReading = 'full' | 'none' | { readonly only: readonly string[] };

/** Whether a read of `read` of each relationship gives a caller that needs `needed` all it needs. */
export function linkCovers(read: LinkReading, needed: LinkReading): boolean {
  if (read === 'full' || needed === 'none') return true;
  if (needed === 'full') return false;
  if (read === 'none') return needed.only.length === 0;
  return needed.only.every((property) => read.only.includes(property));
}

/** Whether a reading returns any of a relationship's properties. */
export function readsLink(links: LinkReading): boolean {
  return links === 'full' || (links !== 'none' && links.only.length > 0);
}

function linkMap(variable: string, links: LinkReading): string {
  if (links === 'full') return `properties(${variable})`;
  if (links === 'none' || links.only.length === 0) return '{}';
  return `${variable} {${links.only.map((p) => `.${checked(p, 'property', PROPERTY)}`).join(', ')}}`;
}

/** The parameters of a prefetch (its hops' filters and pages), each named after its place in the tree. */
export function prefetchParams(prefetch: readonly Prefetch[], prefix = 'f'): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  prefetch.forEach((item, index) => {
    const name = `${prefix}_${index}`;
    for (const [key, value] of Object.entries(item.hop.params ?? {})) params[`${name}_${key}`] = value;
    if (item.page) {
      params[`${name}_offset`] = item.page.offset;
      params[`${name}_limit`] = item.page.limit;
    }
    Object.assign(params, prefetchParams(item.children, name));
  });
  return params;
}

/** A hop's fixed text with its parameters renamed to their place in the tree. */
function renamed(text: string, params: Record<string, unknown> | undefined, name: string): string {
  return text.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, key: string) =>
    params && key in params ? `$${name}_${key}` : whole,
  );
}

/** A hop's fixed text over `t` and `r` with the variables of one depth of a prefetch (`t1`, `r1`, …). */
function atDepth(text: string, depth: number): string {
  return text.replace(/\b([tr])\b/g, `$1${depth}`);
}

/**
 * The CALL subqueries reading `prefetch` for each row's `variable`, one per item, each returning a list
 * named `<prefix>_<index>` ([{node, rel, with}]). Empty when
 * nothing is prefetched, so the statements without a prefetch keep their text. Each depth binds its own
 * variables (`t1`, `r1` below the statement's rows, `t2`, `r2` below those), since a subquery's imported
 * variable stays bound inside it.
 */
export function prefetchCalls(
  variable: string,
  prefetch: readonly Prefetch[],
  prefix = 'f',
  indent = '',
  depth = 1,
  /** Return references ({id, rel}) and the targets themselves (`<name>_t`), for `distinctTargets`. */
  refs = false,
): string {
  const t = `t${depth}`;
  const r = `r${depth}`;
  return prefetch
    .map((item, index) => {
      const name = `${prefix}_${index}`;
      const inner = `${indent}  `;
      const children = refs ? '' : prefetchCalls(t, item.children, name, inner, depth + 1);
      const withList = prefetchResults(item.children, name);
      const parent = checked(variable, 'variable', PROPERTY);
      const hop = item.hop;
      const type = checked(hop.type, 'relationship type');
      const label = checked(hop.match, 'label');
      const match =
        hop.direction === 'out'
          ? `MATCH (${parent})-[${r}:${type}]->(${t}:${label})`
          : `MATCH (${parent})<-[${r}:${type}]-(${t}:${label})`;
      const own = hop.where ? atDepth(renamed(hop.where, hop.params, name), depth) : undefined;
      const condition = targetWhere(hop.match, own, t);
      const where = condition ? `WHERE ${condition}` : null;
      const order = `WITH ${t}, ${r} ORDER BY ${atDepth(hop.orderBy ?? 't.id', depth)}`;
      const reference = readsLink(item.links) ? `{id: ${t}.id, rel: ${linkMap(r, item.links)}}` : `${t}.id`;
      const returned = refs
        ? `RETURN collect(${reference}) AS ${name}, collect(${t}) AS ${name}_t`
        : `RETURN collect({node: ${targetMap(t, item)}, rel: ${linkMap(r, item.links)}, with: ${withList}}) AS ${name}`;
      const lines = [`${indent}CALL (${parent}) {`, `${inner}${match}`];
      if (where) lines.push(`${inner}${where}`);
      lines.push(`${inner}${order}`);
      if (!item.count) {
        if (item.page) lines.push(`${inner}SKIP $${name}_offset LIMIT $${name}_limit`);
        if (children) lines.push(children);
        lines.push(`${inner}${returned}`, `${indent}}`);
        return lines.join('\n');
      }
      // Counted beside the page, in one pass: the hop's targets are matched and ordered once, the total is
      // the size of the list and the page a slice of it (a second MATCH for the count read them all again).
      const deeper = `${inner}  `;
      const page = item.page ? `[$${name}_offset..$${name}_offset + $${name}_limit]` : '';
      lines.push(`${inner}WITH collect({t: ${t}, r: ${r}}) AS ${name}_all`);
      lines.push(`${inner}CALL (${name}_all) {`);
      lines.push(`${deeper}UNWIND ${name}_all${page} AS ${name}_one`);
      lines.push(`${deeper}WITH ${name}_one.t AS ${t}, ${name}_one.r AS ${r}`);
      if (children) lines.push(prefetchCalls(t, item.children, name, deeper, depth + 1));
      lines.push(`${deeper}${returned}`);
      lines.push(`${inner}}`);
      lines.push(
        `${inner}RETURN {items: ${name}, total: size(${name}_all)} AS ${name}_counted${refs ? `, ${name}_t` : ''}`,
      );
      lines.push(`${indent}}`);
      return lines.join('\n');
    })
    .join('\n');
}

/** `, with: [f_0, …]` in an item's map when something is prefetched, else nothing. */
function withResults(prefetch: readonly Prefetch[]): string {
  return prefetch.length > 0 ? `, with: ${prefetchResults(prefetch)}` : '';
}

/** The list of a prefetch's results, as a statement returns it beside each row (`[f_0, f_1, …]`). */
function prefetchResults(prefetch: readonly Prefetch[], prefix = 'f'): string {
  return `[${prefetch.map((item, index) => `${prefix}_${index}${item.count ? '_counted' : ''}`).join(', ')}]`;
}
