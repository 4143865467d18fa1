/**
 * Reading a selection ahead: from a field's selection, the hops its items' fields will walk (and the hops
 * below those), so that the statement reading the items reads them too, in the same round trip (db/cypher.ts
 * `Prefetch`, `prefetchCalls`). The resolvers below stay as they are: they ask the GraphReader as before and
 * find their targets already read (GraphReader primes its loaders with them); a field that is not declared
 * here, or not reached, is read by its batched loader as before, so the "no N+1" bound holds either way.
 *
 * A module declares which of its GraphQL fields can be read ahead in a `*_PREFETCH` export of its
 * repository (collected below), keyed by `Type.field`:
 * - `hop`: the field reads the targets of this hop (built from the field's arguments, exactly as its
 *   resolver builds it, with the page its resolver asks for), and the items the field returns are found at
 *   `items` below it (`[]` for a list, `['edges', 'node']` for a connection);
 * - `same`: the field returns the parent's own entity or the hop's target (a link's `article`), so what is
 *   selected below it is read ahead for that entity.
 * A declaration that does not match its resolver costs a round trip, never a wrong answer: the prefetched
 * rows are found only under the read key (hop, filter, page, properties) the resolver asks for.
 *
 * The statements now depend on the selection: their number is bounded by the declared fields (each hop
 * appears at most once per distinct set of arguments and selection), their values are parameters, and each
 * text is planned once on first use, for all identical statements arriving meanwhile (Executor.plan).
 */
import {
  getNamedType,
  isAbstractType,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values';
import type { LinkReading, Prefetch } from '../db/cypher';
import type { EntityLabel } from './common/models';
import { ENTITY_MODELS, propertiesFor } from './entities';
import type { Hop } from './graph-reader';
import { onceForField, projectionOf } from './selection';
import * as common from './common/repository';
import * as nationalLaw from './national-law/repository';
import * as treaties from './treaties/repository';
import * as unDocuments from './un-documents/repository';

/** How a field's value can be read ahead (see the module comment). */
export type PrefetchField =
  | {
      kind: 'hop';
      hop: (args: Record<string, unknown>) => Hop<EntityLabel>;
      /** The page the resolver fetches (with its extra item), from its arguments; none for a whole list. */
      page?: (args: Record<string, unknown>) => { offset: number; limit: number };
      /**
       * The kinds the resolver passes to `projectionFor(info, kinds)` (modules/selection.ts): their selected
       * properties are read (a projection); without it, the resolver reads its targets light, and so does this.
       */
      reading?: EntityLabel | readonly EntityLabel[];
      /** Where below the field its items (the hop's targets, or links wrapping them) are. */
      items: readonly string[];
      /**
       * Whether the items are links (ArticleConcern, Implementation) whose fields show the relationship's
       * properties; else the field shows the targets only and the relationship is not read.
       */
      links?: boolean;
    }
  | { kind: 'same' };

const MODULES: Array<Record<string, unknown>> = [common, nationalLaw, treaties, unDocuments];

let declarations: ReadonlyMap<string, PrefetchField> | undefined;

/** Every module's `*_PREFETCH` declarations, by `Type.field` (gathered on first use). */
export function prefetchable(): ReadonlyMap<string, PrefetchField> {
  declarations ??= new Map(
    MODULES.flatMap((exports) =>
      Object.entries(exports)
        .filter(([name]) => name.endsWith('_PREFETCH'))
        .flatMap(([, declared]) => Object.entries(declared as Record<string, PrefetchField>)),
    ),
  );
  return declarations;
}

type Walk = Pick<GraphQLResolveInfo, 'schema' | 'fragments' | 'variableValues'>;

/** The field selections made on `type` in these selection sets, through inline and named fragments. */
function fieldsOn(info: Walk, sets: readonly SelectionSetNode[], type: GraphQLObjectType): FieldNode[] {
  const found: FieldNode[] = [];
  const visited = new Set<string>();
  const applies = (condition: string | undefined) => {
    if (condition === undefined || condition === type.name) return true;
    const named = info.schema.getType(condition);
    return named !== undefined && isAbstractType(named) && info.schema.isSubType(named, type);
  };
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) found.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition?.name.value)) visit(selection.selectionSet);
      } else {
        const fragment = info.fragments[selection.name.value];
        if (!fragment || visited.has(selection.name.value)) continue;
        visited.add(selection.name.value);
        if (applies(fragment.typeCondition.name.value)) visit(fragment.selectionSet);
      }
    }
  };
  for (const set of sets) visit(set);
  return found;
}

/** Follows `path` (field names) down from selections on `type`: the selections and type found there. */
function follow(
  info: Walk,
  sets: readonly SelectionSetNode[],
  type: GraphQLObjectType,
  path: readonly string[],
): { sets: SelectionSetNode[]; type: GraphQLObjectType } | null {
  let current = { sets: [...sets], type };
  for (const name of path) {
    const field = current.type.getFields()[name];
    const next = field ? getNamedType(field.type) : undefined;
    if (!field || !next || !isObjectType(next)) return null;
    const nodes = fieldsOn(info, current.sets, current.type).filter((node) => node.name.value === name);
    current = { sets: nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : [])), type: next };
  }
  return current;
}

/** What the selections on `type` (an entity's GraphQL type, or a link's) read that can be read ahead. */
function collect(info: Walk, sets: readonly SelectionSetNode[], type: GraphQLObjectType, depth: number): Prefetch[] {
  if (depth > MAX_DEPTH || sets.length === 0) return [];
  const found: Prefetch[] = [];
  // The nodes of one response key are one field to its resolver (GraphQL merges them: same field, same
  // arguments), which reads what all of them select.
  const byKey = new Map<string, FieldNode[]>();
  for (const node of fieldsOn(info, sets, type)) {
    const key = node.alias?.value ?? node.name.value;
    byKey.set(key, [...(byKey.get(key) ?? []), node]);
  }
  for (const nodes of byKey.values()) {
    const [node] = nodes as [FieldNode, ...FieldNode[]];
    const declared = prefetchable().get(`${type.name}.${node.name.value}`);
    const field = type.getFields()[node.name.value];
    if (!declared || !field) continue;
    const returned = getNamedType(field.type);
    const below = nodes.flatMap((each) => (each.selectionSet ? [each.selectionSet] : []));
    if (declared.kind === 'same') {
      if (isObjectType(returned)) found.push(...collect(info, below, returned, depth));
    } else {
      let hop: Hop<EntityLabel>;
      let page: { offset: number; limit: number } | null;
      try {
        const args = getArgumentValues(field, node, info.variableValues);
        hop = declared.hop(args);
        page = declared.page ? declared.page(args) : null;
      } catch {
        // Arguments the resolver will refuse: it says why, with nothing read ahead.
        continue;
      }
      const reading = declared.reading ? projectionOf(info, nodes, returned, declared.reading) : 'light';
      const items = isObjectType(returned) ? follow(info, below, returned, declared.items) : null;
      const children = items ? collect(info, items.sets, items.type, depth + 1) : [];
      const links = declared.links ? (items ? linkReadingOf(info, items.sets, items.type) : 'full') : 'none';
      // A page whose connection's totalCount is selected is counted in the same statement.
      const count =
        page !== null &&
        isObjectType(returned) &&
        fieldsOn(info, below, returned).some((each) => each.name.value === 'totalCount');
      const properties = propertiesFor(hop.targets, reading);
      found.push({
        kind: 'hop',
        hop,
        page,
        properties,
        ...(properties && hop.targets.length > 1 ? { byKind: byKind(hop.targets, properties) } : {}),
        // One kind, matched by its own label: the statement returns the targets' properties without labels.
        ...(hop.targets.length === 1 && hop.match === hop.targets[0] ? { oneKind: hop.match } : {}),
        links,
        ...(count ? { count } : {}),
        children,
      });
    }
  }
  // The same field selected twice (fragments, or aliases with the same arguments) is read once.
  const unique = new Map(found.map((item) => [JSON.stringify(item), item]));
  return [...unique.values()];
}

/** Of the properties read of several kinds of target, those each kind's model has (and the id). */
function byKind(kinds: readonly EntityLabel[], properties: readonly string[]) {
  return kinds.map((label) => {
    const own: readonly string[] = ENTITY_MODELS[label].properties;
    return { label, properties: properties.filter((property) => property === 'id' || own.includes(property)) };
  });
}

/**
 * The relationship properties each field of a link type (ArticleConcern, Implementation, Answer, …) shows:
 * common/resolvers.ts `linkFields` and `inferenceFields`, and the link types' own resolvers. A resolver of a
 * link field that starts reading another property must be listed here.
 */
export const LINK_FIELD_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  sources: ['sourceIds', 'locators', 'quotes'],
  verification: ['verification'],
  linkBasis: ['basis'],
  note: ['note'],
  // Shown only on INFERRED links: the basis says which.
  inference: ['basis', 'inference'],
  inferenceEvidence: ['basis', 'evidence'],
  similarity: ['similarity'],
  extent: ['extent'],
  mergedWith: ['mergedWith'],
  merged: ['mergedWith'],
  date: ['date'],
};

/** The fields of link types that show an end of the link (an entity), none of the relationship's properties. */
export const LINK_END_FIELDS: ReadonlySet<string> = new Set([
  '__typename',
  'article',
  'provision',
  'instrument',
  'recommendation',
  'reiterated',
  'by',
  'amending',
  'amended',
  'basis',
]);

/**
 * The relationship properties the fields selected on a link type show (LINK_FIELD_PROPERTIES); `full` where a
 * field is selected that neither list names (read whole rather than guessed).
 */
function linkReadingOf(info: Walk, sets: readonly SelectionSetNode[], type: GraphQLObjectType): LinkReading {
  const read = new Set<string>();
  for (const node of fieldsOn(info, sets, type)) {
    const name = node.name.value;
    const properties = LINK_FIELD_PROPERTIES[name];
    if (properties) for (const property of properties) read.add(property);
    else if (!LINK_END_FIELDS.has(name)) return 'full';
  }
  return { only: [...read].sort() };
}

/**
 * How much of each relationship a field returning links (at `items` below it) needs: the properties its
 * selected link fields show (nothing where only the link's ends are selected).
 */
export function linksFor(info: GraphQLResolveInfo, items: readonly string[] = []): LinkReading {
  return onceForField(
    info,
    `links:${items.join('.')}`,
    () => {
      const returned = getNamedType(info.returnType);
      if (!isObjectType(returned)) return 'full';
      const sets = info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
      const found = follow(info, sets, returned, items);
      return found ? linkReadingOf(info, found.sets, found.type) : 'full';
    },
    'selection',
  );
}

/** How deep below a statement's own rows it reads ahead (the depth limit bounds the query anyway). */
const MAX_DEPTH = 4;

/**
 * What the statement reading a field's items can read ahead for the query's selection: `items` is where
 * the items are below the field (`['edges', 'node']` for a connection, `[]` for a list). Computed once per
 * field of an operation (selection.ts `onceForField`), shared by its items.
 */
export function prefetchFor(info: GraphQLResolveInfo, items: readonly string[] = []): readonly Prefetch[] {
  return onceForField(info, `prefetch:${items.join('.')}`, () => {
    const returned = getNamedType(info.returnType);
    if (!isObjectType(returned)) return [];
    const sets = info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
    const found = follow(info, sets, returned, items);
    return found ? collect(info, found.sets, found.type, 0) : [];
  });
}
