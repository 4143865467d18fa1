/**
 * The graph's vocabulary: the node labels, the relationship types (direction, the labels at each end, the
 * properties they carry, whether they state a fact) and the provenance properties. It is the one source
 * of truth the corpus loader (seed/), the benchmark generator (bench/) and the API (the path query) use;
 * test/unit/vocabulary.test.ts checks that the GraphQL `PathRelationship` enum and docs/model.md agree
 * with it. Labels and types are interpolated into Cypher only from here, never from input.
 */

/** Every kind label; each node also has the label `Entity`. In the order the loader writes them. */
export const NODE_LABELS = [
  'Source',
  'Theme',
  /** A group of persons UHRI tags a recommendation with ("Affected Persons"): imported, never curated. */
  'AffectedGroup',
  /** A Sustainable Development Goal target UHRI tags a recommendation with: imported, never curated. */
  'SdgTarget',
  'Treaty',
  'TreatyArticle',
  'State',
  'TreatyAction',
  'LegalInstrument',
  'Provision',
  'Body',
  'Mechanism',
  'Document',
  'Recommendation',
  'Statistic',
  'Finding',
  'TextVersion',
  'Claim',
] as const;
export type NodeLabel = (typeof NODE_LABELS)[number];

/** Labels added beside the kind label. */
export const EXTRA_LABELS: Partial<Record<NodeLabel, string>> = { Statistic: 'Evidence', Finding: 'Evidence' };

/** The kinds that own texts (`HAS_TEXT` to TextVersion nodes); a text's `ownerLabel` is one of them. */
export const TEXT_OWNER_LABELS = ['Provision', 'Recommendation'] as const;
export type TextOwnerLabel = (typeof TEXT_OWNER_LABELS)[number];

/**
 * The label a TextVersion gets beside `TextVersion` by the kind of its owner, and the full-text index over
 * that label's `searchText`: search queries only the index of the kinds it is asked for, and needs no property
 * of a text to tell whose it is (src/modules/search/repository.ts; docs/model.md, "Loading and reloading").
 */
export const OWNER_TEXT: Readonly<Record<TextOwnerLabel, { label: string; index: string }>> = {
  Provision: { label: 'ProvisionText', index: 'provisionTextVersionText' },
  Recommendation: { label: 'RecommendationText', index: 'recommendationTextVersionText' },
};

/** Kinds whose entries state facts: each has `verification` (and an optional `note`) and cites its sources. */
export const SOURCED_ENTRY_LABELS = [
  'Treaty',
  'TreatyArticle',
  'State',
  'TreatyAction',
  'LegalInstrument',
  'Provision',
  'Body',
  'Mechanism',
  'Document',
  'Recommendation',
  'Statistic',
  'Finding',
] as const satisfies readonly NodeLabel[];

/**
 * The properties every fact-stating relationship carries, saying where the fact comes from:
 * - `sourceIds`, `locators`, `quotes`: aligned lists, one item per citation ('' where a citation has no quote);
 * - `verification`, `note`;
 * - `sourcesInherited`, `verificationInherited`: true where the link gives none of its own and takes those of
 *   the entry it is written in, and then `inheritedFrom`: that entry's id.
 */
export const PROVENANCE_PROPERTIES = [
  'sourceIds',
  'locators',
  'quotes',
  'verification',
  'basis',
  'note',
  'sourcesInherited',
  'verificationInherited',
  'inheritedFrom',
] as const;
export type ProvenanceProperty = (typeof PROVENANCE_PROPERTIES)[number];

/**
 * Who wrote a node or relationship (`origin` on every Entity node and every relationship between them):
 * the corpus loader (`CURATED`), the UHRI importer (`UHRI`), or a rule deriving links (`INFERRED`). Each
 * writer deletes and rewrites only what it wrote; a node or relationship with no `origin` (a graph
 * loaded before the property existed) counts as `CURATED`.
 */
export const ORIGINS = ['CURATED', 'UHRI', 'INFERRED'] as const;
export type Origin = (typeof ORIGINS)[number];

/**
 * - `structural`: states no fact of its own (mirrors how seed entries are nested or cited); no provenance.
 * - `fact`: states a fact and carries the PROVENANCE_PROPERTIES.
 */
export type RelationshipKind = 'structural' | 'fact';

/**
 * Where a fact-stating link's provenance comes from:
 * - `inherited`: the link comes from one of its entry's own fields (`ON_TREATY`, `ISSUED_IN`, …) and always
 *   takes the entry's sources and verification;
 * - `own-or-inherited`: a seed item that may give its own sources, verification and note;
 * - `own`: always its own (`ANSWERS`, from the corpus's top-level answers section).
 */
export type LinkProvenance = 'inherited' | 'own-or-inherited' | 'own';

/**
 * How the `path` query treats a type: `followed` by default; `hub` (it connects nearly everything of a state or
 * treaty, so a path through it says little) only when asked for; `excluded` never (citations, texts, claims).
 */
export type PathRole = 'followed' | 'hub' | 'excluded';

export interface RelationshipEnds {
  readonly from: readonly NodeLabel[];
  readonly to: readonly NodeLabel[];
}

export interface RelationshipSpec {
  readonly kind: RelationshipKind;
  /** Allowed (start, end) label pairs; the relationship always points from `from` to `to`. */
  readonly ends: readonly RelationshipEnds[];
  /** Properties besides the provenance properties (for structural types: all of them). */
  readonly properties: readonly string[];
  /** Fact-stating types only. */
  readonly provenance?: LinkProvenance;
  readonly path: PathRole;
}

const ends = (from: readonly NodeLabel[], to: readonly NodeLabel[]): RelationshipEnds => ({ from, to });
const LEGAL_BASIS: readonly NodeLabel[] = ['Provision', 'LegalInstrument'];

/** Every relationship type, in the order the loader writes them (structural first). */
export const RELATIONSHIPS = {
  // ---- structural
  SOURCED_FROM: {
    kind: 'structural',
    ends: [ends([...SOURCED_ENTRY_LABELS, 'TextVersion', 'Claim'], ['Source'])],
    // `digest`: on an imported recommendation's citation of the export only (what the row stated).
    properties: ['locator', 'quote', 'position', 'digest'],
    path: 'excluded',
  },
  HAS_TEXT: {
    kind: 'structural',
    ends: [ends(['Provision', 'Recommendation'], ['TextVersion'])],
    properties: [],
    path: 'excluded',
  },
  HAS_CLAIM: { kind: 'structural', ends: [ends(SOURCED_ENTRY_LABELS, ['Claim'])], properties: [], path: 'excluded' },
  HAS_ARTICLE: { kind: 'structural', ends: [ends(['Treaty'], ['TreatyArticle'])], properties: [], path: 'hub' },
  HAS_PROVISION: {
    kind: 'structural',
    ends: [ends(['LegalInstrument'], ['Provision'])],
    properties: [],
    path: 'followed',
  },
  OF_STATE: {
    kind: 'structural',
    ends: [ends(['LegalInstrument', 'Body', 'Mechanism', 'Statistic', 'Finding'], ['State'])],
    properties: [],
    path: 'hub',
  },
  IS_DOCUMENT: { kind: 'structural', ends: [ends(['Source'], ['Document'])], properties: [], path: 'excluded' },
  // ---- fact-stating
  PROTOCOL_TO: {
    kind: 'fact',
    ends: [ends(['Treaty'], ['Treaty'])],
    properties: [],
    provenance: 'inherited',
    path: 'followed',
  },
  TOOK_ACTION: {
    kind: 'fact',
    ends: [ends(['State'], ['TreatyAction'])],
    properties: [],
    provenance: 'inherited',
    path: 'followed',
  },
  ON_TREATY: {
    kind: 'fact',
    ends: [ends(['TreatyAction'], ['Treaty'])],
    properties: [],
    provenance: 'inherited',
    path: 'followed',
  },
  BY_ACT: {
    kind: 'fact',
    ends: [ends(['TreatyAction'], ['LegalInstrument'])],
    properties: [],
    provenance: 'inherited',
    path: 'followed',
  },
  PART_OF: {
    kind: 'fact',
    // A :para: or :item: provision to the nearest enclosing provision in the corpus; a body to its parent; a
    // sub-paragraph to its paragraph.
    ends: [ends(['Provision'], ['Provision']), ends(['Body'], ['Body']), ends(['Recommendation'], ['Recommendation'])],
    properties: [],
    provenance: 'inherited',
    path: 'followed',
  },
  AMENDS: {
    kind: 'fact',
    ends: [ends(['LegalInstrument'], ['LegalInstrument'])],
    properties: ['date', 'year'],
    provenance: 'own-or-inherited',
    path: 'followed',
  },
  ISSUED_UNDER: {
    kind: 'fact',
    ends: [ends(['LegalInstrument'], LEGAL_BASIS)],
    properties: [],
    provenance: 'own-or-inherited',
    path: 'followed',
  },
  IMPLEMENTS: {
    kind: 'fact',
    ends: [ends(['Provision', 'LegalInstrument'], ['TreatyArticle'])],
    properties: ['extent', 'mergedWith'],
    provenance: 'own-or-inherited',
    path: 'followed',
  },
  ESTABLISHED_BY: {
    kind: 'fact',
    ends: [ends(['Body'], LEGAL_BASIS)],
    properties: [],
    provenance: 'own-or-inherited',
    path: 'followed',
  },
  MANDATED_BY: {
    kind: 'fact',
    ends: [ends(['Body'], LEGAL_BASIS)],
    properties: [],
    provenance: 'own-or-inherited',
    path: 'followed',
  },
  RUN_BY: {
    kind: 'fact',
    ends: [ends(['Mechanism'], ['Body'])],
    properties: [],
    provenance: 'own-or-inherited',
    path: 'followed',
  },
  GROUNDED_IN: {
    kind: 'fact',
    ends: [ends(['Mechanism'], LEGAL_BASIS)],
    properties: [],
    provenance: 'own-or-inherited',
    path: 'followed',
  },
  GIVES_EFFECT_TO: {
    kind: 'fact',
    ends: [ends(['Mechanism'], ['TreatyArticle'])],
    properties: [],
    provenance: 'own-or-inherited',
    path: 'followed',
  },
  UNDER_TREATY: {
    kind: 'fact',
    ends: [ends(['Document'], ['Treaty'])],
    properties: [],
    provenance: 'inherited',
    path: 'followed',
  },
  CONCERNS_STATE: {
    kind: 'fact',
    ends: [ends(['Document'], ['State'])],
    properties: [],
    provenance: 'inherited',
    path: 'hub',
  },
  RESPONDS_TO: {
    kind: 'fact',
    ends: [ends(['Document'], ['Document'])],
    properties: [],
    provenance: 'own-or-inherited',
    path: 'followed',
  },
  ISSUED_IN: {
    kind: 'fact',
    ends: [ends(['Recommendation'], ['Document'])],
    properties: [],
    provenance: 'inherited',
    path: 'followed',
  },
  ADDRESSED_TO: {
    kind: 'fact',
    ends: [ends(['Recommendation'], ['State'])],
    properties: [],
    provenance: 'inherited',
    path: 'hub',
  },
  CONCERNS: {
    kind: 'fact',
    ends: [ends(['Recommendation'], ['TreatyArticle'])],
    // Inferred links only (origin INFERRED): how, and the words or theme matched.
    properties: ['inference', 'evidence'],
    provenance: 'own-or-inherited',
    path: 'followed',
  },
  HAS_THEME: {
    kind: 'fact',
    ends: [ends(['Recommendation'], ['Theme'])],
    properties: [],
    provenance: 'inherited',
    path: 'hub',
  },
  /** To a group of persons it affects (UHRI's "Affected Persons"). */
  AFFECTS: {
    kind: 'fact',
    ends: [ends(['Recommendation'], ['AffectedGroup'])],
    properties: [],
    provenance: 'inherited',
    path: 'hub',
  },
  /** To a Sustainable Development Goal target (UHRI's "Sdgs"). */
  SDG_TARGET: {
    kind: 'fact',
    ends: [ends(['Recommendation'], ['SdgTarget'])],
    properties: [],
    provenance: 'inherited',
    path: 'hub',
  },
  /** To the earlier recommendation it repeats. */
  REITERATES: {
    kind: 'fact',
    ends: [ends(['Recommendation'], ['Recommendation'])],
    // Inferred links only (origin INFERRED): how, the words matched, the text similarity (TEXT_SIMILARITY).
    properties: ['inference', 'evidence', 'similarity'],
    provenance: 'own-or-inherited',
    path: 'followed',
  },
  ANSWERS: {
    kind: 'fact',
    ends: [ends(['Mechanism', 'Provision', 'LegalInstrument', 'Body'], ['Recommendation'])],
    properties: ['extent', 'date', 'year'],
    provenance: 'own',
    path: 'followed',
  },
  ABOUT: {
    kind: 'fact',
    ends: [ends(['Statistic', 'Finding'], NODE_LABELS)],
    properties: [],
    provenance: 'own-or-inherited',
    path: 'followed',
  },
  SUPPORTED_BY: {
    kind: 'fact',
    ends: [ends(['Finding'], ['Statistic'])],
    properties: [],
    provenance: 'inherited',
    path: 'followed',
  },
} as const satisfies Record<string, RelationshipSpec>;

export type RelationshipType = keyof typeof RELATIONSHIPS;
type TypesWhere<Condition> = {
  [T in RelationshipType]: (typeof RELATIONSHIPS)[T] extends Condition ? T : never;
}[RelationshipType];
export type StructuralRelationshipType = TypesWhere<{ kind: 'structural' }>;
export type FactRelationshipType = TypesWhere<{ kind: 'fact' }>;
/** The types the `path` query may follow: the values of the GraphQL `PathRelationship` enum. */
export type PathRelationshipType = TypesWhere<{ path: 'followed' | 'hub' }>;

const typesWhere = <T extends RelationshipType>(keep: (spec: RelationshipSpec) => boolean): readonly T[] =>
  Object.freeze((Object.keys(RELATIONSHIPS) as RelationshipType[]).filter((type) => keep(RELATIONSHIPS[type])) as T[]);

/** Every relationship type, structural first: the order the loader writes and reports them in. */
export const RELATIONSHIP_TYPES: readonly RelationshipType[] = typesWhere<RelationshipType>(() => true);
/** Relationships that state no fact of their own, so carry no provenance properties. */
export const STRUCTURAL_RELATIONSHIP_TYPES = typesWhere<StructuralRelationshipType>(
  (spec) => spec.kind === 'structural',
);
/** Relationships that state a fact and carry the PROVENANCE_PROPERTIES. */
export const FACT_RELATIONSHIP_TYPES = typesWhere<FactRelationshipType>((spec) => spec.kind === 'fact');
/** What the `path` query may follow (the `PathRelationship` enum). */
export const PATH_RELATIONSHIP_TYPES = typesWhere<PathRelationshipType>((spec) => spec.path !== 'excluded');
/** Hubs: followed by `path` only when the caller names them in `via`. */
export const PATH_HUB_RELATIONSHIP_TYPES = typesWhere<PathRelationshipType>((spec) => spec.path === 'hub');
/** What `path` follows when the caller does not say (`via` absent): all path types but the hubs. */
export const DEFAULT_PATH_RELATIONSHIP_TYPES = typesWhere<PathRelationshipType>((spec) => spec.path === 'followed');

export function isRelationshipType(value: string): value is RelationshipType {
  return Object.prototype.hasOwnProperty.call(RELATIONSHIPS, value);
}

/** Whether `value` may be interpolated into the path query's relationship pattern. */
export function isPathRelationshipType(value: string): value is PathRelationshipType {
  return (PATH_RELATIONSHIP_TYPES as readonly string[]).includes(value);
}

/**
 * Rows of a UHRI import that is not published yet (docs/model.md, "All or nothing: staging"). An import
 * writes each new recommendation and its text with their own labels (`Entity`, `Recommendation`,
 * `TextVersion`, …) and with `PENDING_LABEL` besides, batch by batch. Its publishing transaction writes one
 * node, `PUBLISHED_MARKER_LABEL`, whatever the size of the file; the pending labels are then removed in
 * slices and the marker deleted. While an import stages, no marker exists; while one cleans up, every
 * pending node is one it published. So a node is visible when it is not pending or a marker exists.
 */
export const PENDING_LABEL = 'UhriPending';
export const PUBLISHED_MARKER_LABEL = 'UhriPublished';

/** The kinds an import writes pending: a reader that can reach one of these labels must test `visible`. */
export const PENDING_KINDS = ['Recommendation', 'TextVersion'] as const;

/** The condition that an import has published its pending rows (the marker exists). */
export const PUBLISHED = `EXISTS { MATCH (:${PUBLISHED_MARKER_LABEL}) }`;

/** The condition that some node is pending, published or not. */
export const SOME_PENDING = `EXISTS { MATCH (:${PENDING_LABEL}) }`;

const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The condition that the node bound to `variable` is visible to readers: a label test for every node, and
 * the marker looked up (one label scan) only for a pending one. Every reader statement that can reach a
 * recommendation or a text (a root list, a hop to `Recommendation`, `TextVersion` or `Entity`, a path, a
 * look-up by id, the full-text index) adds it for that node.
 */
export function visible(variable: string): string {
  if (!VARIABLE.test(variable)) throw new Error(`Bad variable ${variable}`);
  return `(NOT ${variable}:${PENDING_LABEL} OR ${PUBLISHED})`;
}

/**
 * The condition that some node is hidden from readers right now: a pending node exists and no marker does.
 * For a count that Neo4j can answer from a node's degree when nothing is hidden (a CASE on this picks the
 * degree, and tests `visible` node by node only while an import is staging).
 */
export const SOME_HIDDEN = `(${SOME_PENDING} AND NOT ${PUBLISHED})`;
