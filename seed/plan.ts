/**
 * The plan: the corpus turned into node and relationship rows, with no database involved. The labels,
 * relationship types and provenance properties are the graph's vocabulary (src/graph/vocabulary.ts); this
 * module decides what each node's properties are and where each link's provenance comes from.
 *
 * PlanBuilder is the one writer of rows: planGraph builds the real corpus's plan with it, and the
 * benchmark's generator (bench/generate.ts) builds its synthetic states with it, so that both graphs follow
 * the same rules.
 *
 * ## Nodes
 * Every node the loader writes has the label `Entity` (it owns exactly the `Entity` nodes and never
 * touches any other node) plus one kind label, and a unique `id`:
 *
 * | label | id | properties besides id (optional ones only when given) |
 * | --- | --- | --- |
 * | Source | source:… | kind, title, authors[], publisher, published, publishedYear, url, addressUnknown, reliability, note |
 * | Theme | theme:… | name, description |
 * | Treaty | treaty:CRC | shortName, title, adopted, adoptedYear, adoptedBy, entryIntoForce, entryIntoForceYear |
 * | TreatyArticle | treaty:CRC:art:19 | treatyId, number (int), title, part, paragraphs[] (in order), text (paragraphs joined by a blank line), searchTitle, searchText |
 * | State | state:KAZ | iso3, name, officialName |
 * | TreatyAction | action:KAZ:CRC:ratification | stateId, treatyId, kind, date, year, place, description |
 * | LegalInstrument | legal:KAZ:law:345-II | stateId, kind, number, title, titleOriginalLanguage, titleOriginalText, adopted, adoptedYear, inForce, enteredIntoForce, enteredIntoForceYear, officialCode |
 * | Provision | legal:KAZ:law:345-II:art:10[:para:2][:item:4-1] | instrumentId, stateId, article, paragraph, item, heading |
 * | Body | body:KAZ:… | stateId, name, nameOriginalLanguage, nameOriginalText, kind, level, status, established, establishedYear, description |
 * | Mechanism | mechanism:KAZ:… | stateId, name, kind, status, legalBasis (IDENTIFIED, NONE or NOT_IDENTIFIED; always written), description, since, sinceYear |
 * | Document | doc:CRC/C/KAZ/CO/4 | symbol, kind, title, committee, treatyId, stateId, cycle, date, year, received, receivedYear, session (int), originalLanguage |
 * | Recommendation | rec:CRC/C/KAZ/CO/4:29 | documentId, paragraph (int), subParagraph, kind, summary; denormalised from its document: documentSymbol, documentDate, cycle, year (from the document's date, else its explicit year); stateId (= addressedTo) |
 * | Statistic (+ Evidence) | stat:KAZ:… | stateId, indicator, value (float), unit, year (int), scope |
 * | Finding (+ Evidence) | finding:KAZ:… | stateId, title, summary, kind |
 * | TextVersion | <owner id>#text:<language>[:<n>] | ownerId, ownerLabel, language, text, searchText, status, truncated, position (int, from 1) |
 * | Claim | <owner id>#claim:<field>:<n> | ownerId, field, value, status, note, position (int, from 1) |
 *
 * Every kind except Source, Theme, TextVersion and Claim also has `verification` and optional `note`.
 * Dates are ISO strings of the precision the sources give (`2003`, `2003-06`, `2003-06-10`); each comes
 * with an integer year property (named above) for range filters. `<n>` in a TextVersion id counts texts
 * of the same language from 2 (the first has none); in a Claim id it counts the claims about that field
 * from 1. One node `(:CorpusMeta {id: 'corpus'})` (not an Entity) holds version, loaderVersion,
 * loadedAt (datetime), files[], nodeCount, relationshipCount and countsJson (counts per label and type).
 */
import neo4j, { type Integer } from 'neo4j-driver';
import type { CorpusSections } from './corpus';
import {
  mechanismLegalBasis,
  type Citation,
  type Claim,
  type LinkBasisValue,
  type TextVersion,
  type VerificationStatus,
} from './corpus-schema';
import { normalizeSearchText } from '../src/search-text';
import type { z } from 'zod';
import {
  NODE_LABELS,
  RELATIONSHIP_TYPES,
  type FactRelationshipType,
  type NodeLabel,
  type ProvenanceProperty,
  type RelationshipType,
} from '../src/graph/vocabulary';

export type PropertyValue = string | number | boolean | Integer | string[];
export type Properties = Record<string, PropertyValue>;
type LooseProperties = Record<string, PropertyValue | null | undefined>;

export interface NodeRow {
  id: string;
  props: Properties;
}

export interface RelationshipRow {
  from: string;
  to: string;
  props: Properties;
}

export interface GraphPlan {
  nodes: Record<NodeLabel, NodeRow[]>;
  relationships: Record<RelationshipType, RelationshipRow[]>;
}

/** An entry that states facts: its own citations and verification, which its links inherit unless they give their own. */
export interface SourcedEntry {
  id: string;
  sources: Citation[];
  verification: VerificationStatus;
  note?: string;
  claims?: Claim[];
}

/** What a link written inside an entry may say about its own provenance. */
export interface LinkFields {
  sources?: Citation[];
  verification?: VerificationStatus;
  basis?: LinkBasisValue;
  note?: string;
}

/** A link whose provenance is always its own (an answer). */
export interface OwnLinkFields {
  sources: Citation[];
  verification: VerificationStatus;
  basis?: LinkBasisValue;
  note?: string;
}

export type TextVersionFields = z.infer<typeof TextVersion>;

export function emptyPlan(): GraphPlan {
  return {
    nodes: Object.fromEntries(NODE_LABELS.map((label) => [label, []])) as unknown as GraphPlan['nodes'],
    relationships: Object.fromEntries(
      RELATIONSHIP_TYPES.map((type) => [type, []]),
    ) as unknown as GraphPlan['relationships'],
  };
}

export function planSize(plan: GraphPlan): { nodes: number; relationships: number } {
  let nodes = 0;
  let relationships = 0;
  for (const label of NODE_LABELS) nodes += plan.nodes[label].length;
  for (const type of RELATIONSHIP_TYPES) relationships += plan.relationships[type].length;
  return { nodes, relationships };
}

/** Drops undefined and null: Neo4j stores no nulls, an absent property reads as null. */
export function compact(props: LooseProperties): Properties {
  const result: Properties = {};
  for (const [key, value] of Object.entries(props)) if (value !== undefined && value !== null) result[key] = value;
  return result;
}

/** JavaScript numbers go over Bolt as floats; counts, years and numbers that are integers are sent as such. */
export const int = (value: number): Integer => neo4j.int(value);

/** The integer year of an ISO date of any precision (`2003`, `2003-06`, `2003-06-10`). */
export function yearOf(date: string | null | undefined): Integer | undefined {
  return date ? int(Number(date.slice(0, 4))) : undefined;
}

/** A document's year: from its date, or its explicit `year` where the date is unknown. */
function documentYear(document: { date: string | null; year?: number }): Integer | undefined {
  return yearOf(document.date) ?? (document.year !== undefined ? int(document.year) : undefined);
}

function citationLists(sources: readonly Citation[]): Pick<Properties, 'sourceIds' | 'locators' | 'quotes'> {
  return {
    sourceIds: sources.map((c) => c.source),
    locators: sources.map((c) => c.locator),
    quotes: sources.map((c) => c.quote ?? ''),
  };
}

/**
 * The provenance of a link: its own sources and verification, or its entry's, saying which. A dispute is
 * about one field of an entry (a date, say), not about its links: a link that would inherit DISPUTED takes
 * what the entry's own sources support instead (VERIFIED_PRIMARY if one of them is primary).
 */
export function provenance(owner: SourcedEntry, link: LinkFields, primarySources: ReadonlySet<string>): Properties {
  const sourcesInherited = link.sources === undefined;
  const verificationInherited = link.verification === undefined;
  const inherited =
    owner.verification === 'DISPUTED'
      ? owner.sources.some((citation) => primarySources.has(citation.source))
        ? 'VERIFIED_PRIMARY'
        : 'SECONDARY_ONLY'
      : owner.verification;
  return compact({
    ...citationLists(link.sources ?? owner.sources),
    verification: link.verification ?? inherited,
    basis: link.basis ?? 'STATED',
    note: link.note,
    sourcesInherited,
    verificationInherited,
    inheritedFrom: sourcesInherited || verificationInherited ? owner.id : undefined,
  } satisfies Record<ProvenanceProperty, PropertyValue | undefined>);
}

/** The provenance of a link that always gives its own (nothing inherited). */
export function ownProvenance(link: OwnLinkFields): Properties {
  return compact({
    ...citationLists(link.sources),
    verification: link.verification,
    basis: link.basis ?? 'STATED',
    note: link.note,
    sourcesInherited: false,
    verificationInherited: false,
    inheritedFrom: undefined,
  } satisfies Record<ProvenanceProperty, PropertyValue | undefined>);
}

/**
 * Appends rows to a plan. Ids of TextVersion and Claim nodes, SOURCED_FROM positions and every link's
 * provenance are made here and only here.
 */
export class PlanBuilder {
  /**
   * @param primarySources ids of PRIMARY sources, for the verification a link of a DISPUTED entry inherits;
   *   every PRIMARY Source node written through `node` is added to it.
   */
  constructor(
    readonly plan: GraphPlan = emptyPlan(),
    private readonly primarySources: Set<string> = new Set(),
  ) {}

  node(label: NodeLabel, props: LooseProperties & { id: string }): void {
    if (label === 'Source' && props.reliability === 'PRIMARY') this.primarySources.add(props.id);
    this.plan.nodes[label].push({ id: props.id, props: compact({ ...props, origin: 'CURATED' }) });
  }

  rel(type: RelationshipType, from: string, to: string, props: Properties = {}): void {
    this.plan.relationships[type].push({ from, to, props: { ...props, origin: 'CURATED' } });
  }

  /** A fact-stating link written in `owner`: its extra properties and its provenance (its own, or the owner's). */
  fact(
    type: FactRelationshipType,
    from: string,
    to: string,
    owner: SourcedEntry,
    link: LinkFields = {},
    extra: LooseProperties = {},
  ): void {
    this.rel(type, from, to, { ...compact(extra), ...provenance(owner, link, this.primarySources) });
  }

  /** A fact-stating link that is an entry of its own (an answer): its provenance is always its own. */
  ownFact(
    type: FactRelationshipType,
    from: string,
    to: string,
    link: OwnLinkFields,
    extra: LooseProperties = {},
  ): void {
    this.rel(type, from, to, { ...compact(extra), ...ownProvenance(link) });
  }

  /** One SOURCED_FROM per citation, in order, with its position from 1. */
  cite(ownerId: string, citations: readonly Citation[]): void {
    citations.forEach((c, i) =>
      this.rel(
        'SOURCED_FROM',
        ownerId,
        c.source,
        compact({ locator: c.locator, quote: c.quote, position: int(i + 1) }),
      ),
    );
  }

  /** A sourced entry: its node (with verification and note), its citations, and its claims. */
  sourced(label: NodeLabel, entry: SourcedEntry, props: LooseProperties): void {
    this.node(label, { ...props, id: entry.id, verification: entry.verification, note: entry.note });
    this.cite(entry.id, entry.sources);
    const perField = new Map<string, number>();
    entry.claims?.forEach((claim, i) => {
      const n = (perField.get(claim.field) ?? 0) + 1;
      perField.set(claim.field, n);
      const id = `${entry.id}#claim:${claim.field}:${n}`;
      this.node('Claim', {
        id,
        ownerId: entry.id,
        field: claim.field,
        value: claim.value,
        status: claim.status,
        note: claim.note,
        position: int(i + 1),
      });
      this.rel('HAS_CLAIM', entry.id, id);
      this.cite(id, claim.sources);
    });
  }

  /** The texts of a provision or recommendation, one TextVersion node each, with their citations. */
  texts(ownerLabel: NodeLabel, ownerId: string, versions: readonly TextVersionFields[] | undefined): void {
    const perLanguage = new Map<string, number>();
    versions?.forEach((text, i) => {
      const n = (perLanguage.get(text.language) ?? 0) + 1;
      perLanguage.set(text.language, n);
      const id = `${ownerId}#text:${text.language}${n > 1 ? `:${n}` : ''}`;
      this.node('TextVersion', {
        id,
        ownerId,
        ownerLabel,
        language: text.language,
        text: text.text,
        searchText: normalizeSearchText(text.text),
        status: text.status,
        truncated: text.truncated,
        position: int(i + 1),
      });
      this.rel('HAS_TEXT', ownerId, id);
      this.cite(id, text.sources);
    });
  }

  ofState(id: string, state: string): void {
    this.rel('OF_STATE', id, state);
  }
}

/** Turns the corpus into node and relationship rows; no database involved. */
export function planGraph(corpus: CorpusSections): GraphPlan {
  const primarySources = new Set(
    corpus.sources.filter((source) => source.reliability === 'PRIMARY').map((source) => source.id),
  );
  const b = new PlanBuilder(emptyPlan(), primarySources);

  for (const source of corpus.sources) {
    b.node('Source', {
      id: source.id,
      kind: source.kind,
      title: source.title,
      authors: source.authors,
      publisher: source.publisher,
      published: source.published,
      publishedYear: yearOf(source.published),
      url: source.url,
      addressUnknown: source.addressUnknown,
      reliability: source.reliability,
      note: source.note,
    });
    if (source.document) b.rel('IS_DOCUMENT', source.id, source.document);
  }

  for (const theme of corpus.themes)
    b.node('Theme', { id: theme.id, name: theme.name, description: theme.description });

  for (const treaty of corpus.treaties) {
    b.sourced('Treaty', treaty, {
      shortName: treaty.shortName,
      title: treaty.title,
      adopted: treaty.adopted,
      adoptedYear: yearOf(treaty.adopted),
      adoptedBy: treaty.adoptedBy,
      entryIntoForce: treaty.entryIntoForce,
      entryIntoForceYear: yearOf(treaty.entryIntoForce),
    });
    if (treaty.protocolTo) b.fact('PROTOCOL_TO', treaty.id, treaty.protocolTo, treaty);
    for (const article of treaty.articles) {
      b.sourced('TreatyArticle', article, {
        treatyId: treaty.id,
        number: int(article.number),
        title: article.title,
        part: article.part,
        paragraphs: article.paragraphs,
        text: article.paragraphs.join('\n\n'),
        searchTitle: article.title === undefined ? undefined : normalizeSearchText(article.title),
        searchText: normalizeSearchText(article.paragraphs.join('\n\n')),
      });
      b.rel('HAS_ARTICLE', treaty.id, article.id);
    }
  }

  for (const state of corpus.states)
    b.sourced('State', state, { iso3: state.iso3, name: state.name, officialName: state.officialName });

  for (const action of corpus.treatyActions) {
    b.sourced('TreatyAction', action, {
      stateId: action.state,
      treatyId: action.treaty,
      kind: action.kind,
      date: action.date,
      year: yearOf(action.date),
      place: action.place,
      description: action.description,
    });
    b.fact('TOOK_ACTION', action.state, action.id, action);
    b.fact('ON_TREATY', action.id, action.treaty, action);
    if (action.domesticAct) b.fact('BY_ACT', action.id, action.domesticAct, action);
  }

  const provisionIds = new Set(
    corpus.legalInstruments.flatMap((instrument) => instrument.provisions?.map((p) => p.id) ?? []),
  );
  for (const instrument of corpus.legalInstruments) {
    b.sourced('LegalInstrument', instrument, {
      stateId: instrument.state,
      kind: instrument.kind,
      number: instrument.number,
      title: instrument.title,
      titleOriginalLanguage: instrument.titleOriginal?.language,
      titleOriginalText: instrument.titleOriginal?.text,
      adopted: instrument.adopted,
      adoptedYear: yearOf(instrument.adopted),
      inForce: instrument.inForce,
      enteredIntoForce: instrument.enteredIntoForce,
      enteredIntoForceYear: yearOf(instrument.enteredIntoForce),
      officialCode: instrument.officialCode,
    });
    b.ofState(instrument.id, instrument.state);
    for (const amendment of instrument.amends ?? []) {
      b.fact('AMENDS', instrument.id, amendment.instrument, instrument, amendment, {
        date: amendment.date,
        year: yearOf(amendment.date),
      });
    }
    for (const basis of instrument.issuedUnder ?? [])
      b.fact('ISSUED_UNDER', instrument.id, basis.legal, instrument, basis);
    for (const link of instrument.implements ?? []) {
      b.fact('IMPLEMENTS', instrument.id, link.article, instrument, link, {
        extent: link.extent,
        mergedWith: link.mergedWith ?? [],
      });
    }
    for (const provision of instrument.provisions ?? []) {
      b.sourced('Provision', provision, {
        instrumentId: instrument.id,
        stateId: instrument.state,
        article: provision.article,
        paragraph: provision.paragraph,
        item: provision.item,
        heading: provision.heading,
      });
      b.rel('HAS_PROVISION', instrument.id, provision.id);
      b.texts('Provision', provision.id, provision.texts);
      for (const link of provision.implements ?? []) {
        b.fact('IMPLEMENTS', provision.id, link.article, provision, link, {
          extent: link.extent,
          mergedWith: link.mergedWith ?? [],
        });
      }
      // An item to its paragraph or article, a paragraph to its article: the nearest one in the corpus.
      const enclosing = [
        provision.id.replace(/:item:[^:]+$/, ''),
        provision.id.replace(/(:para:[^:]+)?(:item:[^:]+)?$/, ''),
      ];
      const parent = enclosing.find((id) => id !== provision.id && provisionIds.has(id));
      if (parent) b.fact('PART_OF', provision.id, parent, provision);
    }
  }

  for (const body of corpus.bodies) {
    b.sourced('Body', body, {
      stateId: body.state,
      name: body.name,
      nameOriginalLanguage: body.nameOriginal?.language,
      nameOriginalText: body.nameOriginal?.text,
      kind: body.kind,
      level: body.level,
      status: body.status,
      established: body.established,
      establishedYear: yearOf(body.established),
      description: body.description,
    });
    b.ofState(body.id, body.state);
    if (body.parent) b.fact('PART_OF', body.id, body.parent, body);
    for (const basis of body.establishedBy ?? []) b.fact('ESTABLISHED_BY', body.id, basis.legal, body, basis);
    for (const basis of body.mandatedBy ?? []) b.fact('MANDATED_BY', body.id, basis.legal, body, basis);
  }

  for (const mechanism of corpus.mechanisms) {
    b.sourced('Mechanism', mechanism, {
      stateId: mechanism.state,
      name: mechanism.name,
      kind: mechanism.kind,
      status: mechanism.status,
      legalBasis: mechanismLegalBasis(mechanism),
      description: mechanism.description,
      since: mechanism.since,
      sinceYear: yearOf(mechanism.since),
    });
    b.ofState(mechanism.id, mechanism.state);
    for (const link of mechanism.runBy ?? []) b.fact('RUN_BY', mechanism.id, link.body, mechanism, link);
    for (const basis of mechanism.groundedIn ?? []) b.fact('GROUNDED_IN', mechanism.id, basis.legal, mechanism, basis);
    for (const link of mechanism.givesEffectTo ?? [])
      b.fact('GIVES_EFFECT_TO', mechanism.id, link.article, mechanism, link);
  }

  const documents = new Map(corpus.documents.map((document) => [document.id, document]));
  for (const document of corpus.documents) {
    b.sourced('Document', document, {
      symbol: document.symbol,
      kind: document.kind,
      title: document.title,
      committee: document.committee,
      treatyId: document.treaty,
      stateId: document.state,
      cycle: document.cycle,
      date: document.date,
      year: documentYear(document),
      received: document.received,
      receivedYear: yearOf(document.received),
      session: document.session !== undefined ? int(document.session) : undefined,
      originalLanguage: document.originalLanguage,
    });
    if (document.treaty) b.fact('UNDER_TREATY', document.id, document.treaty, document);
    if (document.state) b.fact('CONCERNS_STATE', document.id, document.state, document);
    for (const link of document.respondsTo ?? []) b.fact('RESPONDS_TO', document.id, link.document, document, link);
  }

  for (const rec of corpus.recommendations) {
    const document = documents.get(rec.document);
    b.sourced('Recommendation', rec, {
      documentId: rec.document,
      documentSymbol: document?.symbol,
      documentDate: document?.date,
      cycle: document?.cycle,
      year: document ? documentYear(document) : undefined,
      stateId: rec.addressedTo,
      paragraph: int(rec.paragraph),
      subParagraph: rec.subParagraph,
      kind: rec.kind,
      summary: rec.summary,
    });
    b.texts('Recommendation', rec.id, rec.texts);
    b.fact('ISSUED_IN', rec.id, rec.document, rec);
    b.fact('ADDRESSED_TO', rec.id, rec.addressedTo, rec);
    if (rec.partOf) b.fact('PART_OF', rec.id, rec.partOf, rec);
    for (const link of rec.concerns ?? []) b.fact('CONCERNS', rec.id, link.article, rec, link);
    for (const theme of rec.themes ?? []) b.fact('HAS_THEME', rec.id, theme, rec);
    for (const link of rec.reiterates ?? []) b.fact('REITERATES', rec.id, link.recommendation, rec, link);
  }

  for (const answer of corpus.answers) {
    // From the top-level answers section, not from an entry: its provenance is always its own.
    b.ownFact('ANSWERS', answer.by, answer.recommendation, answer, {
      extent: answer.extent,
      date: answer.date,
      year: yearOf(answer.date),
    });
  }

  for (const statistic of corpus.statistics) {
    b.sourced('Statistic', statistic, {
      stateId: statistic.state,
      indicator: statistic.indicator,
      value: statistic.value,
      unit: statistic.unit,
      year: int(statistic.year),
      scope: statistic.scope,
    });
    b.ofState(statistic.id, statistic.state);
    for (const link of statistic.about) b.fact('ABOUT', statistic.id, link.target, statistic, link);
  }

  for (const finding of corpus.findings) {
    b.sourced('Finding', finding, {
      stateId: finding.state,
      title: finding.title,
      summary: finding.summary,
      kind: finding.kind,
    });
    b.ofState(finding.id, finding.state);
    for (const link of finding.about) b.fact('ABOUT', finding.id, link.target, finding, link);
    for (const statistic of finding.evidence ?? []) b.fact('SUPPORTED_BY', finding.id, statistic, finding);
  }

  return b.plan;
}
