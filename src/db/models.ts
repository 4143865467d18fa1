/**
 * The typed objects repositories hand to resolvers (GraphQL Code Generator maps each GraphQL type to
 * one of these, see codegen.yml). They are the node's properties as the loader writes them (seed/loader.ts),
 * plus `__label`, the node's kind. Resolvers never see a driver Record.
 */
import type { Connection } from '../pagination';
import { NODE_LABELS, type NodeLabel } from '../graph/vocabulary';

/** The labels of the entities the API serves: every label the loader writes but texts and claims, which belong to one. */
export type EntityLabel = Exclude<NodeLabel, 'TextVersion' | 'Claim'>;
export const ENTITY_LABELS: readonly EntityLabel[] = NODE_LABELS.filter(
  (label): label is EntityLabel => label !== 'TextVersion' && label !== 'Claim',
);

export function isEntityLabel(label: string): label is EntityLabel {
  return (ENTITY_LABELS as readonly string[]).includes(label);
}

/** Any entity: its kind and its properties. */
export interface EntityModel {
  __label: EntityLabel;
  id: string;
  [property: string]: unknown;
}

export type Verification = 'VERIFIED_PRIMARY' | 'SECONDARY_ONLY' | 'UNVERIFIED' | 'DISPUTED';

interface Sourced extends EntityModel {
  verification: Verification;
  note?: string | null;
}

export interface SourceModel extends EntityModel {
  __label: 'Source';
  kind: string;
  reliability: string;
  title: string;
  authors?: string[] | null;
  publisher?: string | null;
  published?: string | null;
  url?: string | null;
  addressUnknown?: string | null;
  documentId?: string | null;
  note?: string | null;
}
export interface ThemeModel extends EntityModel {
  __label: 'Theme';
  name: string;
  description: string;
}
export interface TreatyModel extends Sourced {
  __label: 'Treaty';
  shortName: string;
  title: string;
}
export interface TreatyArticleModel extends Sourced {
  __label: 'TreatyArticle';
  treatyId: string;
  number: number;
  title?: string | null;
  text: string;
  paragraphs: string[];
}
export interface StateModel extends Sourced {
  __label: 'State';
  iso3: string;
  name: string;
}
export interface TreatyActionModel extends Sourced {
  __label: 'TreatyAction';
  kind: string;
  date?: string | null;
}
export interface LegalInstrumentModel extends Sourced {
  __label: 'LegalInstrument';
  kind: string;
  title: string;
  inForce: string;
}
export interface ProvisionModel extends Sourced {
  __label: 'Provision';
  article: string;
  paragraph?: string | null;
  item?: string | null;
}
export interface BodyModel extends Sourced {
  __label: 'Body';
  name: string;
}
export interface MechanismModel extends Sourced {
  __label: 'Mechanism';
  name: string;
  status: string;
  /** Always written by the loader: IDENTIFIED, NONE or NOT_IDENTIFIED. */
  legalBasis: 'IDENTIFIED' | 'NONE' | 'NOT_IDENTIFIED';
}
export interface DocumentModel extends Sourced {
  __label: 'Document';
  symbol?: string | null;
  kind: string;
  title: string;
}
export interface RecommendationModel extends Sourced {
  __label: 'Recommendation';
  paragraph: number;
  subParagraph?: string | null;
  kind: string;
  summary: string;
  year?: number | null;
  cycle?: string | null;
  documentSymbol?: string | null;
}
export interface StatisticModel extends Sourced {
  __label: 'Statistic';
  indicator: string;
  value: number;
}
export interface FindingModel extends Sourced {
  __label: 'Finding';
  title: string;
  summary: string;
}
export type EvidenceModel = StatisticModel | FindingModel;

/** The properties a fact-stating relationship carries (see the loader): its sources and verification. */
export interface LinkProps {
  sourceIds?: string[] | null;
  locators?: string[] | null;
  verification?: Verification | null;
  /** STATED or EDITORS_JUDGEMENT; absent on links written before the loader recorded it (read as STATED). */
  basis?: 'STATED' | 'EDITORS_JUDGEMENT' | null;
  note?: string | null;
  [property: string]: unknown;
}

/** A relationship seen from one end: the entity at the other end, and the relationship's properties. */
export interface Related<T extends EntityModel = EntityModel> {
  node: T;
  rel: LinkProps;
}

export interface CitationModel {
  sourceId: string;
  locator: string;
  quote: string | null;
  /** The source itself, where the query that found the citation fetched it too. */
  source?: SourceModel;
}

export interface TextVersionModel {
  language: string;
  text: string;
  status: string;
  truncated: boolean;
  citations: CitationModel[];
}

export interface ClaimModel {
  id: string;
  field: string;
  value: string;
  status: string;
  note: string | null;
  citations: CitationModel[];
}

/** A fact-stating link as the API shows it: both ends and the link's own provenance. */
export interface LinkModel<From extends EntityModel = EntityModel, To extends EntityModel = EntityModel> {
  from: From;
  to: To;
  rel: LinkProps;
}

export interface SearchHitModel {
  kind: 'TREATY_ARTICLE' | 'PROVISION' | 'RECOMMENDATION';
  entity: EntityModel;
  language: string;
  text: string;
  score: number;
  terms: string[];
}

export type ConnectionModel<T> = Connection<T>;

// Connection models, one per GraphQL connection type (codegen mappers name them).
export type TreatyConnectionModel = Connection<TreatyModel>;
export type TreatyArticleConnectionModel = Connection<TreatyArticleModel>;
export type StateConnectionModel = Connection<StateModel>;
export type LegalInstrumentConnectionModel = Connection<LegalInstrumentModel>;
export type ProvisionConnectionModel = Connection<ProvisionModel>;
export type ImplementationConnectionModel = Connection<LinkModel>;
export type BodyConnectionModel = Connection<BodyModel>;
export type MechanismConnectionModel = Connection<MechanismModel>;
export type DocumentConnectionModel = Connection<DocumentModel>;
export type RecommendationConnectionModel = Connection<RecommendationModel>;
export type EvidenceConnectionModel = Connection<EvidenceModel>;
export type SourceConnectionModel = Connection<SourceModel>;
export type SearchHitConnectionModel = Connection<SearchHitModel>;

export interface LocalizedTextModel {
  language: string;
  text: string;
}
