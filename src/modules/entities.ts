/**
 * Every entity label with its model, so that a node whose kind is known only at run time (the target of a
 * link that may point at several kinds, `node(id:)`, a path) is decoded by its label's model.
 */
import { z } from 'zod';
import { GraphDataError } from '../errors';
import { NODE_LABELS } from '../graph/vocabulary';
import { decodeWith, type EntityLabel } from './common/models';
import { bodyModel, mechanismModel, type BodyModel, type MechanismModel } from './implementation/models';
import { findingModel, statisticModel, type FindingModel, type StatisticModel } from './evidence/models';
import {
  legalInstrumentModel,
  provisionModel,
  type LegalInstrumentModel,
  type ProvisionModel,
} from './national-law/models';
import { sourceModel, type SourceModel } from './sources/models';
import { stateModel, treatyActionModel, type StateModel, type TreatyActionModel } from './states/models';
import { treatyArticleModel, treatyModel, type TreatyArticleModel, type TreatyModel } from './treaties/models';
import {
  documentModel,
  recommendationModel,
  themeModel,
  type DocumentModel,
  type RecommendationModel,
  type ThemeModel,
} from './un-documents/models';

export interface ModelByLabel {
  Source: SourceModel;
  Theme: ThemeModel;
  Treaty: TreatyModel;
  TreatyArticle: TreatyArticleModel;
  State: StateModel;
  TreatyAction: TreatyActionModel;
  LegalInstrument: LegalInstrumentModel;
  Provision: ProvisionModel;
  Body: BodyModel;
  Mechanism: MechanismModel;
  Document: DocumentModel;
  Recommendation: RecommendationModel;
  Statistic: StatisticModel;
  Finding: FindingModel;
}

/** Any entity: a union discriminated by `__label`. */
export type EntityModel = ModelByLabel[EntityLabel];

interface ModelOf<M> {
  properties: string[];
  /** The large properties read only when selected (see common/models.ts `entityModel`). */
  lazy: readonly string[];
  decode(props: unknown): M;
  decodePartial(props: unknown): Partial<M>;
}

export const ENTITY_MODELS: { [L in EntityLabel]: ModelOf<ModelByLabel[L]> } = {
  Source: sourceModel,
  Theme: themeModel,
  Treaty: treatyModel,
  TreatyArticle: treatyArticleModel,
  State: stateModel,
  TreatyAction: treatyActionModel,
  LegalInstrument: legalInstrumentModel,
  Provision: provisionModel,
  Body: bodyModel,
  Mechanism: mechanismModel,
  Document: documentModel,
  Recommendation: recommendationModel,
  Statistic: statisticModel,
  Finding: findingModel,
};

/**
 * Every kind label but those of texts and claims, which are parts of an entity rather than entities, and
 * the imported UHRI tags (AffectedGroup, SdgTarget), which the API does not expose yet.
 */
export const ENTITY_LABELS: readonly EntityLabel[] = NODE_LABELS.filter(
  (label): label is EntityLabel =>
    label !== 'TextVersion' && label !== 'Claim' && label !== 'AffectedGroup' && label !== 'SdgTarget',
);

/** A node as every statement returns it (db/cypher.ts `nodeMap`). */
const rawNode = z.object({ labels: z.array(z.string()), props: z.record(z.string(), z.unknown()) });

/**
 * How much of a node a list or link reads: `full` every property, `light` all but the large ones the
 * labels' models name as lazy (an article's text), which the query did not select, or a projection: only the
 * model properties the query's selection reads (modules/selection.ts `projectionFor`).
 */
export type Reading = 'full' | 'light' | Projection;

/**
 * Only these model properties (sorted, always with `id`): what the fields a query selects on the kinds read
 * need (modules/selection.ts). A node read so is decoded by `decodeEntity` with the same list.
 */
export interface Projection {
  readonly only: readonly string[];
}

/** The guard and the properties to copy of a projection, per label. */
interface ProjectionPlan {
  guard: object;
  /** The model's properties the projection read, in the model's order. */
  copied: readonly string[];
}

const guards = new Map<string, object>();
/** The plans by label and projection list (`label|names`). */
const plans = new Map<string, ProjectionPlan>();
/**
 * The plan found last: the entities of one field come one after the other with the same projection list
 * (modules/selection.ts computes it once per field), so most look-ups are this one, by identity, without
 * joining the list into a key for each entity decoded. A caller that builds a new list for each entity
 * (an analysis reading `[]`) pays the key, as before, and nothing more.
 */
let last: { label: EntityLabel; read: readonly string[]; plan: ProjectionPlan } | undefined;

function planFor(label: EntityLabel, read: readonly string[]): ProjectionPlan {
  if (last !== undefined && last.read === read && last.label === label) return last.plan;
  const key = `${label}|${read.join(',')}`;
  let plan = plans.get(key);
  if (!plan) {
    plan = {
      guard: guardFor(label, read),
      copied: ENTITY_MODELS[label].properties.filter((property) => read.includes(property)),
    };
    plans.set(key, plan);
  }
  last = { label, read, plan };
  return plan;
}

/**
 * The prototype of an entity decoded from a projection: a getter for each property of the model that was
 * not read (but the lazy ones, which the model types as possibly absent and their resolvers read by id when
 * absent) that throws, so a resolver reading a property its field's projection did not name fails loudly
 * instead of showing null for a value the graph has.
 */
function guardFor(label: EntityLabel, read: readonly string[]): object {
  const key = `${label}|${read.join(',')}`;
  let guard = guards.get(key);
  if (!guard) {
    const model = ENTITY_MODELS[label];
    const descriptors: PropertyDescriptorMap = {};
    for (const property of model.properties) {
      if (read.includes(property) || model.lazy.includes(property)) continue;
      descriptors[property] = {
        enumerable: false,
        get() {
          throw new Error(
            `${label}.${property} was not read: the statement projected ${read.join(', ')} (modules/selection.ts FIELD_PROPERTIES must name it for the field that reads it)`,
          );
        },
      };
    }
    guard = Object.create(Object.prototype, descriptors) as object;
    guards.set(key, guard);
  }
  return guard;
}

function decodeAs<L extends EntityLabel>(
  label: L,
  props: Record<string, unknown>,
  read: readonly string[] | undefined,
): ModelByLabel[L] {
  const model: ModelOf<ModelByLabel[L]> = ENTITY_MODELS[label];
  // Every property was read: a lazy one missing from the map is missing in the graph (null), not unread.
  if (read === undefined)
    return model.decode({ ...Object.fromEntries(model.lazy.map((key) => [key, null])), ...props });
  // A projection: every property named comes back (null where the graph has none), so the properties of this
  // kind's model among them are decoded as the whole model would decode them; the others are guarded.
  const decoded = model.decodePartial(props) as Record<string, unknown>;
  const plan = planFor(label, read);
  const entity = Object.create(plan.guard) as Record<string, unknown>;
  for (const property of plan.copied) entity[property] = decoded[property];
  entity.__label = label;
  // The guard stands for every model property not named, so the entity is the model's shape to its readers.
  return entity as unknown as ModelByLabel[L];
}

/** Whether any of these kinds has properties a light reading leaves out. */
export function hasLazy(kinds: readonly EntityLabel[]): boolean {
  return kinds.some((kind) => ENTITY_MODELS[kind].lazy.length > 0);
}

/**
 * The properties a statement projects to read nodes of these kinds: undefined (every property, as
 * `properties(t)`) for kinds without lazy properties, else the properties of their models: all of them for
 * a full reading (so that one missing in the graph comes back null), all but the lazy ones for a light one;
 * a projection's own list.
 */
export function propertiesFor(kinds: readonly EntityLabel[], reading: Reading): readonly string[] | undefined {
  if (typeof reading === 'object') return reading.only;
  if (!hasLazy(kinds)) return undefined;
  const names = new Set<string>();
  for (const kind of kinds) {
    const model = ENTITY_MODELS[kind];
    for (const property of model.properties)
      if (reading === 'full' || !model.lazy.includes(property)) names.add(property);
  }
  return [...names];
}

/** The properties of a label's model that a projection may name. */
export type PropertyOf<L extends EntityLabel> = Exclude<keyof ModelByLabel[L], '__label'> & string;

/** An entity read with only some of its properties (always with its id and kind). */
export type Projected<L extends EntityLabel, K extends PropertyOf<L>> = Pick<ModelByLabel[L], K | 'id' | '__label'>;

function hasAll<T extends object, K extends keyof T>(
  value: Partial<T>,
  keys: readonly K[],
): value is Partial<T> & Pick<T, K> {
  return keys.every((key) => value[key] !== undefined);
}

/**
 * Decodes a node read with a projection (db/cypher.ts `nodeMap` with property names): each named property
 * is decoded by the label's model, and must be there (a projected absent property comes back as null).
 */
export function decodeProjected<L extends EntityLabel, K extends PropertyOf<L>>(
  raw: unknown,
  allowed: readonly L[],
  properties: readonly K[],
): Projected<L, K> {
  const node = decodeWith(rawNode, raw, 'node');
  const label = allowed.find((candidate) => node.labels.includes(candidate));
  if (label === undefined) {
    throw new GraphDataError(
      `Node ${String(node.props.id)} (labels ${node.labels.join(', ')}) is not one of ${allowed.join(', ')}`,
    );
  }
  const model: ModelOf<ModelByLabel[L]> = ENTITY_MODELS[label];
  const decoded = model.decodePartial(node.props);
  const keys: Array<K | 'id' | '__label'> = [...properties, 'id', '__label'];
  if (!hasAll(decoded, keys))
    throw new GraphDataError(
      `Node ${String(node.props.id)} lacks one of the projected properties ${properties.join(', ')}`,
    );
  return decoded;
}

/**
 * Decodes a node returned as `{labels, props}` by the model of its label, which must be one of `allowed`:
 * a node of another kind where the graph's model allows only these is a GraphDataError, never a silent
 * mismatch.
 */
export function decodeEntity<L extends EntityLabel>(
  raw: unknown,
  allowed: readonly L[],
  /**
   * The properties the statement read (`nodeMap` with these names), or undefined where it read every one
   * (`properties(n)`). Of a projection, the model properties not named are guarded (see `guardFor`): the
   * projection must come from the selection of the fields that will read the entity.
   */
  read?: readonly string[],
): ModelByLabel[L] {
  const node = decodeWith(rawNode, raw, 'node');
  const label = allowed.find((candidate) => node.labels.includes(candidate));
  if (label === undefined) {
    throw new GraphDataError(
      `Node ${String(node.props.id)} (labels ${node.labels.join(', ')}) is not one of ${allowed.join(', ')}`,
    );
  }
  return decodeAs(label, node.props, read);
}

/**
 * A node read by a statement that serves every selection with one text (the analyses' and search's): either
 * every property (`props`) or the values of the projection's properties in order (`values`). Returns it as
 * `{labels, props}` for decodeEntity; `read` names the projection's properties (undefined: every property).
 * `reader` names the statement in the error a mismatch raises.
 */
export function fromProjected(
  raw: { labels: string[]; props: Record<string, unknown> | null; values: unknown[] | null },
  read: readonly string[] | undefined,
  reader: string,
): { labels: string[]; props: Record<string, unknown> } {
  if (read === undefined) {
    if (!raw.props) throw new GraphDataError(`${reader} read a projection where it asked for every property`);
    return { labels: raw.labels, props: raw.props };
  }
  const values = raw.values;
  if (!values || values.length !== read.length)
    throw new GraphDataError(`${reader} read other properties than its projection names`);
  const props: Record<string, unknown> = {};
  read.forEach((name, index) => {
    props[name] = values[index] ?? null;
  });
  return { labels: raw.labels, props };
}
