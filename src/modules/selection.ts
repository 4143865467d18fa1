/**
 * What a field's selection asks for, read from the resolver's `info`: whether it selects, anywhere below
 * the field, one of a type's fields (through nested objects, inline fragments and named fragments). Used
 * to read an entity's large properties (an article's text) only when a query selects the fields that need
 * them. It may answer yes for a field selected deeper than the entities a statement reads (the statement
 * then reads a little more than needed), never no for a field that is selected.
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
import type { Reading } from './entities';

/**
 * The GraphQL fields of a type that need its lazy properties (common/models.ts `entityModel`): a field
 * listed here is resolved from those properties (TreatyArticle.text falls back to the paragraphs).
 */
const FIELDS_NEEDING_LAZY: Partial<Record<EntityLabel, readonly string[]>> = {
  TreatyArticle: ['paragraphs', 'text'],
};

/** `full` when the field's selection needs the lazy properties of `label`, else `light`. */
export function readingFor(info: GraphQLResolveInfo, label: EntityLabel): Reading {
  return readingOf(info, info.fieldNodes, getNamedType(info.returnType), label);
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
  const visited = new Set<string>();

  /** Whether a field selected on `parent` resolves on the target type (directly or through an abstract type). */
  const onTarget = (parent: GraphQLNamedType): boolean =>
    parent === target || (isAbstractType(parent) && info.schema.isSubType(parent, target));

  const selects = (selectionSet: SelectionSetNode | undefined, parent: GraphQLNamedType): boolean => {
    if (!selectionSet) return false;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (onTarget(parent) && fields.includes(name)) return true;
        if (!selection.selectionSet || !(isObjectType(parent) || isInterfaceType(parent))) continue;
        const field = parent.getFields()[name];
        if (field && selects(selection.selectionSet, getNamedType(field.type))) return true;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? info.schema.getType(selection.typeCondition.name.value) : parent;
        if (condition && selects(selection.selectionSet, condition)) return true;
      } else {
        const name = selection.name.value;
        const fragment = info.fragments[name];
        if (!fragment || visited.has(name)) continue;
        visited.add(name);
        const condition = info.schema.getType(fragment.typeCondition.name.value);
        if (condition && selects(fragment.selectionSet, condition)) return true;
      }
    }
    return false;
  };

  return fieldNodes.some((node) => selects(node.selectionSet, returned)) ? 'full' : 'light';
}
