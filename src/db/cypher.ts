/**
 * Builders of the batched read statements the repositories declare (one relationship walked from many
 * parents at once, a page of it, its count, a root list). A repository names each statement and gives its
 * fixed parts (relationship type, direction, target label, order, filter); every value travels as a
 * parameter. Each statement starts with a `// name` comment, so it can be found in Neo4j's query log, and
 * the middle test tier snapshots the text each builder produces (test/middle/__snapshots__).
 */
import type { NodeLabel, RelationshipType } from '../graph/vocabulary';

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
  const props = properties
    ? `${variable} {${properties.map((p) => `.${checked(p, 'property', PROPERTY)}`).join(', ')}}`
    : `properties(${variable})`;
  return `{labels: labels(${variable}), props: ${props}}`;
}

function hopPattern(spec: HopSpec): string {
  const type = checked(spec.type, 'relationship type');
  const label = checked(spec.match, 'label');
  return spec.direction === 'out'
    ? `(p:Entity {id: id})-[r:${type}]->(t:${label})`
    : `(p:Entity {id: id})<-[r:${type}]-(t:${label})`;
}

function hopMatch(spec: FilteredHop): string {
  return `MATCH ${hopPattern(spec)}${spec.where ? `\n    WHERE ${spec.where}` : ''}`;
}

/** Every target of the hop, for each parent id in `$ids`: rows {id, items: [{node: {labels, props}, rel}]}. */
export function relatedStatement(spec: FilteredHop, properties?: readonly string[]): string {
  return `// ${checked(spec.name, 'statement name', STATEMENT_NAME)}
UNWIND $ids AS id
${hopMatch(spec).replace('\n    ', '\n')}
WITH id, t, r ORDER BY ${spec.orderBy ?? 't.id'}
RETURN id, collect({node: ${nodeMap('t', properties)}, rel: properties(r)}) AS items`;
}

/** One page ($offset, $limit) of the targets of the hop, for each parent id in `$ids`. */
export function pageStatement(spec: FilteredHop, properties?: readonly string[]): string {
  return `// ${checked(spec.name, 'statement name', STATEMENT_NAME)}
UNWIND $ids AS id
CALL (id) {
  ${hopMatch(spec)}
  WITH t, r ORDER BY ${spec.orderBy ?? 't.id'}
  SKIP $offset LIMIT $limit
  RETURN collect({node: ${nodeMap('t', properties)}, rel: properties(r)}) AS items
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
  if (spec.where && spec.where.length > 0) lines.push(`WHERE ${spec.where.join(' AND ')}`);
  return lines.join('\n');
}

/** One page ($offset, $limit) of a root list: rows {node: {labels, props}}. */
export function listStatement(spec: ListSpec, properties?: readonly string[]): string {
  return `// ${checked(spec.name, 'statement name', STATEMENT_NAME)}
${listBody(spec)}
WITH DISTINCT n
ORDER BY ${spec.orderBy}
SKIP $offset LIMIT $limit
RETURN ${nodeMap('n', properties)} AS node`;
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
