/**
 * The graph's vocabulary: the node labels and relationship types the loader writes and the API reads.
 * One list, used by the API, the corpus loader and the benchmark generator, so that none of them can
 * drift from the others.
 */

export const NODE_LABELS = [
  'Source',
  'Theme',
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

/** Relationships that state no fact of their own, so carry no provenance properties. */
export const STRUCTURAL_RELATIONSHIP_TYPES = ['SOURCED_FROM', 'HAS_TEXT', 'HAS_CLAIM', 'HAS_ARTICLE', 'HAS_PROVISION', 'OF_STATE', 'IS_DOCUMENT'] as const;

export const FACT_RELATIONSHIP_TYPES = [
  'PROTOCOL_TO',
  'TOOK_ACTION',
  'ON_TREATY',
  'BY_ACT',
  'PART_OF',
  'AMENDS',
  'ISSUED_UNDER',
  'IMPLEMENTS',
  'ESTABLISHED_BY',
  'MANDATED_BY',
  'RUN_BY',
  'GROUNDED_IN',
  'GIVES_EFFECT_TO',
  'UNDER_TREATY',
  'CONCERNS_STATE',
  'RESPONDS_TO',
  'ISSUED_IN',
  'ADDRESSED_TO',
  'CONCERNS',
  'HAS_THEME',
  'REITERATES',
  'ANSWERS',
  'ABOUT',
  'SUPPORTED_BY',
] as const;

export const RELATIONSHIP_TYPES = [...STRUCTURAL_RELATIONSHIP_TYPES, ...FACT_RELATIONSHIP_TYPES] as const;
export type RelationshipType = (typeof RELATIONSHIP_TYPES)[number];

/** Labels added beside the kind label. */
export const EXTRA_LABELS: Partial<Record<NodeLabel, string>> = { Statistic: 'Evidence', Finding: 'Evidence' };
