/**
 * What a field's selection asks for, read from the resolver's `info`: whether it selects, anywhere below
 * the field, one of a type's fields (through nested objects, inline fragments and named fragments). Used
 * to read an entity's large properties (an article's text) only when a query selects the fields that need
 * them. It may answer yes for a field selected deeper than the entities a statement reads (the statement
 * then reads a little more than needed), never no for a field that is selected.
 *
 * `projectionFor` goes further: the model properties the fields selected on a type read (a projection), so a
 * statement reads only those (docs/reading.md).
 */
import {
  getNamedType,
  isAbstractType,
  isObjectType,
  isInterfaceType,
  Kind,
  type FieldNode,
  type GraphQLNamedType,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';
import type { EntityLabel } from './common/models';
import { ENTITY_MODELS, type Projection, type PropertyOf, type Reading } from './entities';

/**
 * The GraphQL fields of a type that need its lazy properties (common/models.ts `entityModel`): a field
 * listed here is resolved from those properties (TreatyArticle.text falls back to the paragraphs).
 */
const FIELDS_NEEDING_LAZY: Partial<Record<EntityLabel, readonly string[]>> = {
  TreatyArticle: ['paragraphs', 'text'],
};

/**
 * What resolvers derive from their field's selection (a projection, what to read ahead, how much of each
 * link), computed once per field rather than once per item: graphql-js hands every item of a list the same
 * `info.fieldNodes` array (its collectSubfields is memoised per execution, by parent type and field nodes),
 * and the same array means the same field, return type and fragments. Fifty recommendations asked their
 * document's, articles' and themes' projections fifty times each, a walk of the selection every time
 * (about 10% of the server's CPU time for a list of 50).
 *
 * An operation compiled by graphql-jit (src/graphql-jit.ts) hands every execution the same arrays, so an
 * answer is kept across its executions too: one that depends on the selection alone (`scope` 'selection':
 * a projection, a link reading) by the array; one that also depends on the variables ('variables': a
 * read-ahead's filters and pages come from the field's arguments) by the array and the variables' values.
 * Keyed weakly by the array: nothing outlives the operation (graphql-js's arrays live for one execution).
 * The answers are shared, so they are never mutated (they are readonly to every caller).
 */
const perField = new WeakMap<readonly FieldNode[], Map<string, unknown>>();
/** The variables of an execution as a key (JSON of their values), made once per execution. */
const variablesKeys = new WeakMap<object, string>();
/** How many answers one field keeps (its keys times the sets of variables seen); beyond it, all are made again. */
const ANSWERS_KEPT = 256;

export function onceForField<T>(
  info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'variableValues'>,
  key: string,
  compute: () => T,
  scope: 'selection' | 'variables' = 'variables',
): T {
  let answers = perField.get(info.fieldNodes);
  if (!answers) {
    answers = new Map();
    perField.set(info.fieldNodes, answers);
  }
  if (scope === 'variables') key = `${key}|${variablesKey(info.variableValues)}`;
  if (answers.has(key)) return answers.get(key) as T;
  if (answers.size >= ANSWERS_KEPT) answers.clear();
  const answer = compute();
  answers.set(key, answer);
  return answer;
}

function variablesKey(variables: Record<string, unknown> | undefined): string {
  if (!variables) return '';
  let key = variablesKeys.get(variables);
  if (key === undefined) {
    key = JSON.stringify(variables);
    variablesKeys.set(variables, key);
  }
  return key;
}

/** `full` when the field's selection needs the lazy properties of `label`, else `light`. */
export function readingFor(info: GraphQLResolveInfo, label: EntityLabel): Reading {
  return onceForField(
    info,
    `reading:${label}`,
    () => readingOf(info, info.fieldNodes, getNamedType(info.returnType), label),
    'selection',
  );
}

/**
 * `full` when these nodes of a field (returning `returned`) select, anywhere below, a field that needs the
 * lazy properties of `label`, else `light` (readingFor for a field deeper in the query than the resolver's).
 */
export function readingOf(
  info: Pick<GraphQLResolveInfo, 'schema' | 'fragments'>,
  fieldNodes: readonly FieldNode[],
  returned: GraphQLNamedType,
  label: EntityLabel,
): Reading {
  const fields = FIELDS_NEEDING_LAZY[label];
  if (!fields) return 'full';
  const target = info.schema.getType(label);
  if (!target || !isObjectType(target)) throw new Error(`The schema has no object type ${label}`);
  /** Whether a field selected on `parent` resolves on the target type (directly or through an abstract type). */
  const onTarget = (parent: GraphQLNamedType): boolean =>
    parent === target || (isAbstractType(parent) && info.schema.isSubType(parent, target));
  const selectsLazy = eachSelectedField(
    info,
    fieldNodes,
    returned,
    (parent, name) => onTarget(parent) && fields.includes(name),
  );
  return selectsLazy ? 'full' : 'light';
}

/**
 * The GraphQL fields of an entity type whose resolvers read model properties besides (or other than) the
 * property of the field's own name. Any other field reads the property of its name, if the model has one
 * (the default resolver), and nothing else: a field resolved by a hop reads only the id. A resolver that
 * starts reading another property must be listed here; until it is, reading it from an entity read with a
 * projection throws (modules/entities.ts `guardFor`), it never shows null.
 */
const FIELD_PROPERTIES: { readonly [L in EntityLabel]?: Readonly<Record<string, readonly PropertyOf<L>[]>> } = {
  Recommendation: { label: ['paragraph', 'subParagraph', 'documentSymbol'] },
  // TreatyArticle.text falls back to the paragraphs (paragraphs reads them alone, never the whole text);
  // treaty falls back to treatyId where no link is found.
  TreatyArticle: { paragraphs: ['paragraphs'], text: ['paragraphs', 'text'], treaty: ['treatyId'] },
  // The instrument by its property where the HAS_PROVISION link is missing (a data error said as such).
  Provision: { instrument: ['instrumentId'] },
  LegalInstrument: { titleOriginal: ['titleOriginalLanguage', 'titleOriginalText'] },
  Body: { nameOriginal: ['nameOriginalLanguage', 'nameOriginalText'] },
};

const projections = new Map<string, readonly string[]>();

/** The properties of `label`'s model that these selected field names read (with the id), sorted. */
function propertiesRead(label: EntityLabel, fields: ReadonlySet<string>): readonly string[] {
  const model = ENTITY_MODELS[label];
  const overrides: Readonly<Record<string, readonly string[]>> = FIELD_PROPERTIES[label] ?? {};
  const read = new Set<string>(['id']);
  for (const field of fields) {
    for (const property of overrides[field] ?? []) read.add(property);
    if (model.properties.includes(field)) read.add(field);
  }
  return [...read].sort();
}

/**
 * What a field's items of these kinds need read: a projection of the properties the fields selected on
 * them (anywhere below the field: a superset, never less) read.
 */
export function projectionFor(info: GraphQLResolveInfo, kinds: EntityLabel | readonly EntityLabel[]): Projection {
  return onceForField(
    info,
    `projection:${typeof kinds === 'string' ? kinds : kinds.join(',')}`,
    () => projectionOf(info, info.fieldNodes, getNamedType(info.returnType), kinds),
    'selection',
  );
}

/**
 * Calls `onField` with every field selected anywhere below `fieldNodes` (whose type is `returned`) and the
 * type it is selected on, through nested fields, inline fragments and named fragments (each named fragment
 * walked once). The walk stops at the first field for which `onField` returns true; returns whether it did.
 */
export function eachSelectedField(
  info: Pick<GraphQLResolveInfo, 'schema' | 'fragments'>,
  fieldNodes: readonly FieldNode[],
  returned: GraphQLNamedType,
  onField: (parent: GraphQLNamedType, name: string) => boolean | void,
): boolean {
  const visited = new Set<string>();
  const walk = (selectionSet: SelectionSetNode | undefined, parent: GraphQLNamedType): boolean => {
    if (!selectionSet) return false;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (onField(parent, name) === true) return true;
        if (!selection.selectionSet || !(isObjectType(parent) || isInterfaceType(parent))) continue;
        const field = parent.getFields()[name];
        if (field && walk(selection.selectionSet, getNamedType(field.type))) return true;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? info.schema.getType(selection.typeCondition.name.value) : parent;
        if (condition && walk(selection.selectionSet, condition)) return true;
      } else {
        const name = selection.name.value;
        const fragment = info.fragments[name];
        if (!fragment || visited.has(name)) continue;
        visited.add(name);
        const condition = info.schema.getType(fragment.typeCondition.name.value);
        if (condition && walk(fragment.selectionSet, condition)) return true;
      }
    }
    return false;
  };
  return fieldNodes.some((node) => walk(node.selectionSet, returned));
}

/**
 * The projection for these nodes of a field (returning `returned`): the model properties read by every field
 * selected, anywhere below, on one of `kinds` (directly, or on an interface or union they belong to). It
 * may name properties selected deeper than the entities a statement reads (a little more is read than
 * needed), never leave out one that is read.
 */
export function projectionOf(
  info: Pick<GraphQLResolveInfo, 'schema' | 'fragments'>,
  fieldNodes: readonly FieldNode[],
  returned: GraphQLNamedType,
  kinds: EntityLabel | readonly EntityLabel[],
): Projection {
  const labels: readonly EntityLabel[] = typeof kinds === 'string' ? [kinds] : kinds;
  const targets = labels.map((label) => {
    const target = info.schema.getType(label);
    if (!target || !isObjectType(target)) throw new Error(`The schema has no object type ${label}`);
    return target;
  });
  const selected = new Map<EntityLabel, Set<string>>(labels.map((label) => [label, new Set<string>()]));
  eachSelectedField(info, fieldNodes, returned, (parent, name) => {
    targets.forEach((target, index) => {
      if (parent === target || (isAbstractType(parent) && info.schema.isSubType(parent, target)))
        selected.get(labels[index] as EntityLabel)?.add(name);
    });
  });

  const names = new Set<string>();
  for (const label of labels)
    for (const property of propertiesRead(label, selected.get(label) ?? new Set())) names.add(property);
  const key = [...names].sort().join(',');
  let only = projections.get(key);
  if (!only) {
    only = key.split(',');
    projections.set(key, only);
  }
  return { only };
}
