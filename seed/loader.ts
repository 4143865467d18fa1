/**
 * Writes a validated corpus (corpus.ts) into Neo4j, all or nothing.
 *
 * # The graph (this comment is the source of docs/model.md)
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
 *
 * ## Relationships
 * Structural (no provenance properties):
 *   (Entity)-[:SOURCED_FROM {locator, quote, position}]->(Source)   one per citation of a sourced entry,
 *                                                                    TextVersion or Claim, in order
 *   (Provision|Recommendation)-[:HAS_TEXT]->(TextVersion)
 *   (sourced entry)-[:HAS_CLAIM]->(Claim)
 *   (Treaty)-[:HAS_ARTICLE]->(TreatyArticle)
 *   (LegalInstrument)-[:HAS_PROVISION]->(Provision)
 *   (LegalInstrument|Body|Mechanism|Statistic|Finding)-[:OF_STATE]->(State)
 *   (Source)-[:IS_DOCUMENT]->(Document)
 * Fact-stating (every one carries provenance, below):
 *   (Treaty)-[:PROTOCOL_TO]->(Treaty)
 *   (State)-[:TOOK_ACTION]->(TreatyAction)-[:ON_TREATY]->(Treaty);  (TreatyAction)-[:BY_ACT]->(LegalInstrument)
 *   (Provision)-[:PART_OF]->(Provision)              a :para: or :item: provision to the nearest enclosing provision in the corpus
 *   (LegalInstrument)-[:AMENDS {date, year}]->(LegalInstrument)
 *   (LegalInstrument)-[:ISSUED_UNDER]->(Provision|LegalInstrument)
 *   (Provision|LegalInstrument)-[:IMPLEMENTS {extent, mergedWith: [treaty article ids]}]->(TreatyArticle)
 *   (Body)-[:ESTABLISHED_BY]->(Provision|LegalInstrument);  (Body)-[:MANDATED_BY]->(Provision|LegalInstrument)
 *   (Body)-[:PART_OF]->(Body)                         its parent
 *   (Mechanism)-[:RUN_BY]->(Body);  (Mechanism)-[:GROUNDED_IN]->(Provision|LegalInstrument)
 *   (Mechanism)-[:GIVES_EFFECT_TO]->(TreatyArticle)
 *   (Document)-[:UNDER_TREATY]->(Treaty);  (Document)-[:CONCERNS_STATE]->(State);  (Document)-[:RESPONDS_TO]->(Document)
 *   (Recommendation)-[:ISSUED_IN]->(Document);  (Recommendation)-[:ADDRESSED_TO]->(State)
 *   (Recommendation)-[:CONCERNS]->(TreatyArticle);  (Recommendation)-[:HAS_THEME]->(Theme)
 *   (Recommendation)-[:REITERATES]->(Recommendation)  to the earlier one
 *   (Recommendation)-[:PART_OF]->(Recommendation)    a sub-paragraph to its paragraph
 *   (Mechanism|Provision|LegalInstrument|Body)-[:ANSWERS {extent, date, year}]->(Recommendation)
 *   (Statistic|Finding)-[:ABOUT]->(any Entity);  (Finding)-[:SUPPORTED_BY]->(Statistic)
 * Provenance properties of a fact-stating relationship:
 *   sourceIds[], locators[], quotes[]   aligned lists, one item per citation ('' where a citation has no quote)
 *   verification, note
 *   basis                               STATED (a source states the link; the default) or EDITORS_JUDGEMENT
 *   sourcesInherited, verificationInherited (booleans)   true where the link gives none of its own and
 *   inheritedFrom (the entry's id, when either is true)   takes those of the entry it is written in;
 *   links that come from an entry's own fields (ON_TREATY, ISSUED_IN, HAS_THEME, …) always inherit.
 *
 * ## Loading
 * Validation (readCorpus) happens before any write. Schema statements (constraints, indexes) run first,
 * each in its own transaction, and are idempotent. Then one write transaction: delete the corpus
 * relationships between Entity nodes, delete Entity nodes no longer in the corpus (matched by kind label
 * and id), MERGE every node by id with its properties replaced, recreate the relationships, write
 * CorpusMeta. Any failure rolls the whole transaction back, leaving the graph as it was. Every statement
 * is UNWIND over a parameter list; labels and types come only from the constants below.
 */
import neo4j, { type Driver, type Integer, type ManagedTransaction } from 'neo4j-driver';
import {
  countCorpus,
  LOADER_VERSION,
  readCorpus,
  type Corpus,
  type CorpusSections,
} from './corpus';
import { mechanismLegalBasis, type Citation, type Claim, type LinkBasisValue, type TextVersion, type VerificationStatus } from './corpus-schema';
import type { z } from 'zod';
import { normalizeSearchText } from '../src/search-text';
import { dropOutdatedSearchIndexes } from './search-indexes';
import {
  EXTRA_LABELS,
  FACT_RELATIONSHIP_TYPES,
  NODE_LABELS,
  RELATIONSHIP_TYPES,
  type NodeLabel,
  type RelationshipType,
} from '../src/graph/vocabulary';

// ---------------------------------------------------------------- the plan: nodes and relationships as rows

type PropertyValue = string | number | boolean | Integer | string[];
export type Properties = Record<string, PropertyValue>;

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

interface SourcedFields {
  id: string;
  sources: Citation[];
  verification: VerificationStatus;
  note?: string;
  claims?: Claim[];
}

interface LinkFields {
  sources?: Citation[];
  verification?: VerificationStatus;
  basis?: LinkBasisValue;
  note?: string;
}

/** Drops undefined and null: Neo4j stores no nulls, an absent property reads as null. */
function compact(props: Record<string, PropertyValue | null | undefined>): Properties {
  const result: Properties = {};
  for (const [key, value] of Object.entries(props)) if (value !== undefined && value !== null) result[key] = value;
  return result;
}

/** JavaScript numbers go over Bolt as floats; counts, years and numbers that are integers are sent as such. */
const int = (value: number): Integer => neo4j.int(value);

/** A document's year: from its date, or its explicit `year` where the date is unknown. */
function documentYear(document: { date: string | null; year?: number }): Integer | undefined {
  return yearOf(document.date) ?? (document.year !== undefined ? int(document.year) : undefined);
}

function yearOf(date: string | null | undefined): Integer | undefined {
  return date ? int(Number(date.slice(0, 4))) : undefined;
}

function citationLists(sources: readonly Citation[]): Properties {
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
function provenance(owner: SourcedFields, link: LinkFields, primarySources: ReadonlySet<string>): Properties {
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
  });
}

/** Turns the corpus into node and relationship rows; no database involved. */
export function planGraph(corpus: CorpusSections): GraphPlan {
  const primarySources = new Set(corpus.sources.filter((source) => source.reliability === 'PRIMARY').map((source) => source.id));
  const plan: GraphPlan = {
    nodes: Object.fromEntries(NODE_LABELS.map((label) => [label, []])) as unknown as GraphPlan['nodes'],
    relationships: Object.fromEntries(RELATIONSHIP_TYPES.map((type) => [type, []])) as unknown as GraphPlan['relationships'],
  };
  const node = (label: NodeLabel, props: Record<string, PropertyValue | null | undefined> & { id: string }) =>
    plan.nodes[label].push({ id: props.id, props: compact(props) });
  const rel = (type: RelationshipType, from: string, to: string, props: Properties = {}) => plan.relationships[type].push({ from, to, props });
  const fact = (type: (typeof FACT_RELATIONSHIP_TYPES)[number], from: string, to: string, owner: SourcedFields, link?: LinkFields, extra: Record<string, PropertyValue | undefined> = {}) =>
    rel(type, from, to, { ...compact(extra), ...provenance(owner, link ?? {}, primarySources) });
  const cite = (ownerId: string, citations: readonly Citation[]) =>
    citations.forEach((c, i) => rel('SOURCED_FROM', ownerId, c.source, compact({ locator: c.locator, quote: c.quote, position: int(i + 1) })));

  const sourced = (label: NodeLabel, entry: SourcedFields, props: Record<string, PropertyValue | null | undefined>) => {
    node(label, { ...props, id: entry.id, verification: entry.verification, note: entry.note });
    cite(entry.id, entry.sources);
    const perField = new Map<string, number>();
    entry.claims?.forEach((claim, i) => {
      const n = (perField.get(claim.field) ?? 0) + 1;
      perField.set(claim.field, n);
      const id = `${entry.id}#claim:${claim.field}:${n}`;
      node('Claim', { id, ownerId: entry.id, field: claim.field, value: claim.value, status: claim.status, note: claim.note, position: int(i + 1) });
      rel('HAS_CLAIM', entry.id, id);
      cite(id, claim.sources);
    });
  };
  const texts = (ownerLabel: NodeLabel, ownerId: string, versions: readonly z.infer<typeof TextVersion>[] | undefined) => {
    const perLanguage = new Map<string, number>();
    versions?.forEach((text, i) => {
      const n = (perLanguage.get(text.language) ?? 0) + 1;
      perLanguage.set(text.language, n);
      const id = `${ownerId}#text:${text.language}${n > 1 ? `:${n}` : ''}`;
      node('TextVersion', {
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
      rel('HAS_TEXT', ownerId, id);
      cite(id, text.sources);
    });
  };
  const ofState = (id: string, state: string) => rel('OF_STATE', id, state);

  for (const source of corpus.sources) {
    node('Source', {
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
    if (source.document) rel('IS_DOCUMENT', source.id, source.document);
  }

  for (const theme of corpus.themes) node('Theme', { id: theme.id, name: theme.name, description: theme.description });

  for (const treaty of corpus.treaties) {
    sourced('Treaty', treaty, {
      shortName: treaty.shortName,
      title: treaty.title,
      adopted: treaty.adopted,
      adoptedYear: yearOf(treaty.adopted),
      adoptedBy: treaty.adoptedBy,
      entryIntoForce: treaty.entryIntoForce,
      entryIntoForceYear: yearOf(treaty.entryIntoForce),
    });
    if (treaty.protocolTo) fact('PROTOCOL_TO', treaty.id, treaty.protocolTo, treaty);
    for (const article of treaty.articles) {
      sourced('TreatyArticle', article, {
        treatyId: treaty.id,
        number: int(article.number),
        title: article.title,
        part: article.part,
        paragraphs: article.paragraphs,
        text: article.paragraphs.join('\n\n'),
        searchTitle: article.title === undefined ? undefined : normalizeSearchText(article.title),
        searchText: normalizeSearchText(article.paragraphs.join('\n\n')),
      });
      rel('HAS_ARTICLE', treaty.id, article.id);
    }
  }

  for (const state of corpus.states) sourced('State', state, { iso3: state.iso3, name: state.name, officialName: state.officialName });

  for (const action of corpus.treatyActions) {
    sourced('TreatyAction', action, {
      stateId: action.state,
      treatyId: action.treaty,
      kind: action.kind,
      date: action.date,
      year: yearOf(action.date),
      place: action.place,
      description: action.description,
    });
    fact('TOOK_ACTION', action.state, action.id, action);
    fact('ON_TREATY', action.id, action.treaty, action);
    if (action.domesticAct) fact('BY_ACT', action.id, action.domesticAct, action);
  }

  const provisionIds = new Set(corpus.legalInstruments.flatMap((instrument) => instrument.provisions?.map((p) => p.id) ?? []));
  for (const instrument of corpus.legalInstruments) {
    sourced('LegalInstrument', instrument, {
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
    ofState(instrument.id, instrument.state);
    for (const amendment of instrument.amends ?? []) {
      fact('AMENDS', instrument.id, amendment.instrument, instrument, amendment, { date: amendment.date, year: yearOf(amendment.date) });
    }
    for (const basis of instrument.issuedUnder ?? []) fact('ISSUED_UNDER', instrument.id, basis.legal, instrument, basis);
    for (const link of instrument.implements ?? []) {
      fact('IMPLEMENTS', instrument.id, link.article, instrument, link, { extent: link.extent, mergedWith: link.mergedWith ?? [] });
    }
    for (const provision of instrument.provisions ?? []) {
      sourced('Provision', provision, {
        instrumentId: instrument.id,
        stateId: instrument.state,
        article: provision.article,
        paragraph: provision.paragraph,
        item: provision.item,
        heading: provision.heading,
      });
      rel('HAS_PROVISION', instrument.id, provision.id);
      texts('Provision', provision.id, provision.texts);
      for (const link of provision.implements ?? []) {
        fact('IMPLEMENTS', provision.id, link.article, provision, link, { extent: link.extent, mergedWith: link.mergedWith ?? [] });
      }
      // An item to its paragraph or article, a paragraph to its article: the nearest one in the corpus.
      const enclosing = [provision.id.replace(/:item:[^:]+$/, ''), provision.id.replace(/(:para:[^:]+)?(:item:[^:]+)?$/, '')];
      const parent = enclosing.find((id) => id !== provision.id && provisionIds.has(id));
      if (parent) fact('PART_OF', provision.id, parent, provision);
    }
  }

  for (const body of corpus.bodies) {
    sourced('Body', body, {
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
    ofState(body.id, body.state);
    if (body.parent) fact('PART_OF', body.id, body.parent, body);
    for (const basis of body.establishedBy ?? []) fact('ESTABLISHED_BY', body.id, basis.legal, body, basis);
    for (const basis of body.mandatedBy ?? []) fact('MANDATED_BY', body.id, basis.legal, body, basis);
  }

  for (const mechanism of corpus.mechanisms) {
    sourced('Mechanism', mechanism, {
      stateId: mechanism.state,
      name: mechanism.name,
      kind: mechanism.kind,
      status: mechanism.status,
      legalBasis: mechanismLegalBasis(mechanism),
      description: mechanism.description,
      since: mechanism.since,
      sinceYear: yearOf(mechanism.since),
    });
    ofState(mechanism.id, mechanism.state);
    for (const link of mechanism.runBy ?? []) fact('RUN_BY', mechanism.id, link.body, mechanism, link);
    for (const basis of mechanism.groundedIn ?? []) fact('GROUNDED_IN', mechanism.id, basis.legal, mechanism, basis);
    for (const link of mechanism.givesEffectTo ?? []) fact('GIVES_EFFECT_TO', mechanism.id, link.article, mechanism, link);
  }

  const documents = new Map(corpus.documents.map((document) => [document.id, document]));
  for (const document of corpus.documents) {
    sourced('Document', document, {
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
    if (document.treaty) fact('UNDER_TREATY', document.id, document.treaty, document);
    if (document.state) fact('CONCERNS_STATE', document.id, document.state, document);
    for (const link of document.respondsTo ?? []) fact('RESPONDS_TO', document.id, link.document, document, link);
  }

  for (const rec of corpus.recommendations) {
    const document = documents.get(rec.document);
    sourced('Recommendation', rec, {
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
    texts('Recommendation', rec.id, rec.texts);
    fact('ISSUED_IN', rec.id, rec.document, rec);
    fact('ADDRESSED_TO', rec.id, rec.addressedTo, rec);
    if (rec.partOf) fact('PART_OF', rec.id, rec.partOf, rec);
    for (const link of rec.concerns ?? []) fact('CONCERNS', rec.id, link.article, rec, link);
    for (const theme of rec.themes ?? []) fact('HAS_THEME', rec.id, theme, rec);
    for (const link of rec.reiterates ?? []) fact('REITERATES', rec.id, link.recommendation, rec, link);
  }

  for (const answer of corpus.answers) {
    rel(
      'ANSWERS',
      answer.by,
      answer.recommendation,
      compact({
        extent: answer.extent,
        date: answer.date,
        year: yearOf(answer.date),
        ...citationLists(answer.sources),
        verification: answer.verification,
        basis: answer.basis ?? 'STATED',
        note: answer.note,
        sourcesInherited: false,
        verificationInherited: false,
      }),
    );
  }

  for (const statistic of corpus.statistics) {
    sourced('Statistic', statistic, {
      stateId: statistic.state,
      indicator: statistic.indicator,
      value: statistic.value,
      unit: statistic.unit,
      year: int(statistic.year),
      scope: statistic.scope,
    });
    ofState(statistic.id, statistic.state);
    for (const link of statistic.about) fact('ABOUT', statistic.id, link.target, statistic, link);
  }

  for (const finding of corpus.findings) {
    sourced('Finding', finding, { stateId: finding.state, title: finding.title, summary: finding.summary, kind: finding.kind });
    ofState(finding.id, finding.state);
    for (const link of finding.about) fact('ABOUT', finding.id, link.target, finding, link);
    for (const statistic of finding.evidence ?? []) fact('SUPPORTED_BY', finding.id, statistic, finding);
  }

  return plan;
}

// ---------------------------------------------------------------- schema

/** Property indexes the API's filters and orderings use. */
const RANGE_INDEXES: ReadonlyArray<[string, string]> = [
  ['Entity', 'verification'],
  ['Source', 'kind'],
  ['TreatyArticle', 'treatyId'],
  ['TreatyArticle', 'number'],
  ['TreatyAction', 'kind'],
  ['TreatyAction', 'stateId'],
  ['LegalInstrument', 'stateId'],
  ['LegalInstrument', 'kind'],
  ['LegalInstrument', 'inForce'],
  ['LegalInstrument', 'adoptedYear'],
  ['Provision', 'stateId'],
  ['Provision', 'instrumentId'],
  ['Body', 'stateId'],
  ['Body', 'kind'],
  ['Body', 'status'],
  ['Mechanism', 'stateId'],
  ['Mechanism', 'kind'],
  ['Mechanism', 'status'],
  ['Document', 'symbol'],
  ['Document', 'kind'],
  ['Document', 'stateId'],
  ['Document', 'cycle'],
  ['Document', 'year'],
  ['Document', 'committee'],
  ['Recommendation', 'kind'],
  ['Recommendation', 'stateId'],
  ['Recommendation', 'documentId'],
  ['Recommendation', 'documentSymbol'],
  ['Recommendation', 'cycle'],
  ['Recommendation', 'year'],
  ['Statistic', 'stateId'],
  ['Statistic', 'year'],
  ['Finding', 'stateId'],
  ['Finding', 'kind'],
  ['TextVersion', 'ownerId'],
  ['TextVersion', 'language'],
  ['Claim', 'ownerId'],
];

const FULLTEXT_OPTIONS = "OPTIONS { indexConfig: { `fulltext.analyzer`: 'standard-no-stop-words', `fulltext.eventually_consistent`: false } }";

const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** Constraints and indexes, each `IF NOT EXISTS` (creating them again is a no-op). */
export const SCHEMA_STATEMENTS: ReadonlyArray<{ name: string; cypher: string }> = [
  ...['Entity', ...NODE_LABELS, 'CorpusMeta'].map((label) => {
    const name = `${snake(label)}_id`;
    return { name, cypher: `CREATE CONSTRAINT ${name} IF NOT EXISTS FOR (n:${label}) REQUIRE n.id IS UNIQUE` };
  }),
  ...RANGE_INDEXES.map(([label, property]) => {
    const name = `${snake(label)}_${snake(property)}`;
    return { name, cypher: `CREATE INDEX ${name} IF NOT EXISTS FOR (n:${label}) ON (n.${property})` };
  }),
  {
    name: 'treatyArticleText',
    cypher: `CREATE FULLTEXT INDEX treatyArticleText IF NOT EXISTS FOR (n:TreatyArticle) ON EACH [n.searchTitle, n.searchText] ${FULLTEXT_OPTIONS}`,
  },
  {
    // Provision and recommendation texts in every language; ownerId/ownerLabel lead back to the owner.
    name: 'textVersionText',
    cypher: `CREATE FULLTEXT INDEX textVersionText IF NOT EXISTS FOR (n:TextVersion) ON EACH [n.searchText] ${FULLTEXT_OPTIONS}`,
  },
  {
    name: 'entityNameText',
    cypher:
      'CREATE FULLTEXT INDEX entityNameText IF NOT EXISTS ' +
      'FOR (n:Source|Theme|Treaty|TreatyArticle|State|LegalInstrument|Provision|Body|Mechanism|Document|Recommendation|Statistic|Finding) ' +
      'ON EACH [n.name, n.title, n.shortName, n.officialName, n.titleOriginalText, n.nameOriginalText, n.heading, n.summary, n.description, n.indicator, n.symbol] ' +
      FULLTEXT_OPTIONS,
  },
];

/** Creates the constraints and indexes (each in its own schema transaction) and waits until they are online. */
export async function ensureSchema(driver: Driver, database?: string): Promise<void> {
  const session = driver.session({ database, defaultAccessMode: neo4j.session.WRITE });
  try {
    await dropOutdatedSearchIndexes(session);
    for (const statement of SCHEMA_STATEMENTS) {
      await session.run(`// ensureSchema ${statement.name}\n${statement.cypher}`);
    }
    await session.run('// awaitIndexes\nCALL db.awaitIndexes(300)');
  } finally {
    await session.close();
  }
}

// ---------------------------------------------------------------- loading

export interface LoadOptions {
  /** The database to write to; the server's default when undefined. */
  database?: string;
  /** Progress lines (one per step). */
  log?: (line: string) => void;
}

export interface LoadReport {
  version: string;
  /** Nodes written per kind label. */
  nodes: Record<NodeLabel, number>;
  /** Relationships written per type. */
  relationships: Record<RelationshipType, number>;
  nodeCount: number;
  relationshipCount: number;
  /** Entity nodes deleted because they are no longer in the corpus. */
  deletedNodes: number;
  /** Wall-clock time of the whole load, schema included. */
  ms: number;
}

/** Thrown when the database refuses part of a load; the transaction has been rolled back by then. */
export class CorpusLoadError extends Error {
  override readonly name = 'CorpusLoadError';
}

/** Rows per statement: large enough that the corpus is a few statements, small enough to keep messages modest. */
const BATCH_SIZE = 5_000;
/** The whole load is one transaction; it must be allowed longer than a request's query. */
const WRITE_TIMEOUT_MS = 10 * 60_000;

const upsertNodesCypher = (label: NodeLabel) =>
  `// upsert${label}Nodes
UNWIND $rows AS row
MERGE (n:Entity:${label} {id: row.id})
SET n = row.props${EXTRA_LABELS[label] ? `\nSET n:${EXTRA_LABELS[label]}` : ''}
RETURN count(n) AS written`;

const createRelationshipsCypher = (type: RelationshipType) =>
  `// create${type}Relationships
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
CREATE (a)-[r:${type}]->(b)
SET r = row.props
RETURN count(r) AS created`;

/**
 * Writes the corpus in one transaction: afterwards the graph's Entity nodes and their relationships are
 * exactly the corpus's, or, on any error, exactly what they were before.
 */
export async function loadCorpus(driver: Driver, corpus: Corpus, options: LoadOptions = {}): Promise<LoadReport> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  await ensureSchema(driver, options.database);
  log(`schema ready (${SCHEMA_STATEMENTS.length} constraints and indexes)`);

  const plan = planGraph(corpus);
  const counts = countCorpus(corpus);
  const session = driver.session({ database: options.database, defaultAccessMode: neo4j.session.WRITE });
  try {
    const written = await session.executeWrite((tx) => writePlan(tx, plan, corpus, log), {
      timeout: WRITE_TIMEOUT_MS,
      metadata: { app: 'child-rights-graph', query: 'loadCorpus', corpusVersion: corpus.version },
    });
    const report: LoadReport = { version: corpus.version, ...written, ms: Date.now() - started };
    log(
      `corpus ${corpus.version.slice(0, 12)} loaded: ${report.nodeCount} nodes, ${report.relationshipCount} relationships ` +
        `(${counts.recommendation} recommendations), ${report.deletedNodes} stale nodes removed, in ${report.ms} ms`,
    );
    return report;
  } finally {
    await session.close();
  }
}

async function writePlan(
  tx: ManagedTransaction,
  plan: GraphPlan,
  corpus: Corpus,
  log: (line: string) => void,
): Promise<Omit<LoadReport, 'version' | 'ms'>> {
  const number = (value: unknown): number => (neo4j.isInt(value) ? (value as Integer).toNumber() : Number(value));

  const deletedRelationships = await tx.run(
    `// deleteCorpusRelationships
MATCH (:Entity)-[r]->(:Entity)
WHERE type(r) IN $types
DELETE r
RETURN count(r) AS deleted`,
    { types: [...RELATIONSHIP_TYPES] },
  );
  log(`removed ${number(deletedRelationships.records[0]?.get('deleted'))} corpus relationships`);

  // A node is kept when its kind label and id are both in the corpus, so that an id now of another kind is replaced.
  const keys = NODE_LABELS.flatMap((label) => plan.nodes[label].map((row) => `${label} ${row.id}`));
  const deletedNodes = await tx.run(
    `// deleteStaleNodes
MATCH (n:Entity)
WITH n, [label IN labels(n) WHERE label IN $labels] AS kinds
WHERE size(kinds) <> 1 OR NOT (kinds[0] + ' ' + n.id) IN $keys
DETACH DELETE n
RETURN count(*) AS deleted`,
    { labels: [...NODE_LABELS], keys },
  );
  const staleCount = number(deletedNodes.records[0]?.get('deleted'));
  log(`removed ${staleCount} nodes no longer in the corpus`);

  const nodes = {} as Record<NodeLabel, number>;
  for (const label of NODE_LABELS) {
    nodes[label] = 0;
    for (const rows of batches(plan.nodes[label])) {
      const result = await tx.run(upsertNodesCypher(label), { rows });
      nodes[label] += number(result.records[0]?.get('written'));
    }
  }
  log(`wrote nodes: ${NODE_LABELS.map((label) => `${nodes[label]} ${label}`).join(', ')}`);

  const relationships = {} as Record<RelationshipType, number>;
  for (const type of RELATIONSHIP_TYPES) {
    relationships[type] = 0;
    for (const rows of batches(plan.relationships[type])) {
      const result = await tx.run(createRelationshipsCypher(type), { rows });
      const created = number(result.records[0]?.get('created'));
      // MATCH drops a row silently when an end is missing: a dangling reference must fail the load instead.
      if (created !== rows.length) await failOnMissingEnds(tx, type, rows, created, corpus);
      relationships[type] += created;
    }
  }
  log(`wrote relationships: ${RELATIONSHIP_TYPES.filter((type) => relationships[type] > 0).map((type) => `${relationships[type]} ${type}`).join(', ')}`);

  const nodeCount = Object.values(nodes).reduce((a, b) => a + b, 0);
  const relationshipCount = Object.values(relationships).reduce((a, b) => a + b, 0);
  await tx.run(
    `// writeCorpusMeta
MERGE (m:CorpusMeta {id: 'corpus'})
SET m = $props
SET m.loadedAt = datetime()`,
    {
      props: {
        id: 'corpus',
        version: corpus.version,
        loaderVersion: int(LOADER_VERSION),
        files: corpus.files,
        nodeCount: int(nodeCount),
        relationshipCount: int(relationshipCount),
        countsJson: JSON.stringify({ nodes, relationships }),
      },
    },
  );
  return { nodes, relationships, nodeCount, relationshipCount, deletedNodes: staleCount };
}

async function failOnMissingEnds(tx: ManagedTransaction, type: RelationshipType, rows: RelationshipRow[], created: number, corpus: Corpus): Promise<never> {
  const ids = [...new Set(rows.flatMap((row) => [row.from, row.to]))];
  const result = await tx.run(
    `// findMissingEntities
UNWIND $ids AS id
OPTIONAL MATCH (n:Entity {id: id})
WITH id, n WHERE n IS NULL
RETURN collect(id) AS missing`,
    { ids },
  );
  const missing = (result.records[0]?.get('missing') as string[] | undefined) ?? [];
  const examples = rows
    .filter((row) => missing.includes(row.from) || missing.includes(row.to))
    .slice(0, 5)
    .map((row) => {
      const origin = corpus.origins.get(row.from);
      return `${row.from} -[:${type}]-> ${row.to}${origin ? ` (written in ${origin.file})` : ''}`;
    });
  throw new CorpusLoadError(
    `${rows.length - created} of ${rows.length} ${type} relationships could not be written because no Entity has the id ` +
      `${missing.join(', ') || '(unknown)'}: ${examples.join('; ')}. Nothing was written (the load was rolled back).`,
  );
}

function* batches<T>(rows: readonly T[]): Generator<T[]> {
  for (let start = 0; start < rows.length; start += BATCH_SIZE) yield rows.slice(start, start + BATCH_SIZE);
}

// ---------------------------------------------------------------- loading only what changed

/** The corpus version the graph holds, or null when no corpus has been loaded. */
export async function readLoadedVersion(driver: Driver, database?: string): Promise<string | null> {
  const session = driver.session({ database, defaultAccessMode: neo4j.session.READ });
  try {
    const result = await session.executeRead((tx) => tx.run(`// readCorpusVersion\nMATCH (m:CorpusMeta {id: 'corpus'}) RETURN m.version AS version`));
    const version: unknown = result.records[0]?.get('version');
    return typeof version === 'string' ? version : null;
  } finally {
    await session.close();
  }
}

export interface LoadIfChangedResult {
  loaded: boolean;
  version: string;
  /** Present when it loaded. */
  report?: LoadReport;
}

/**
 * Reads and validates the corpus in `dir`; loads it only when the graph holds another version (or none).
 * A corpus that fails validation throws CorpusValidationError before anything is written.
 */
export async function loadIfChanged(driver: Driver, dir: string, options: LoadOptions = {}): Promise<LoadIfChangedResult> {
  const corpus = await readCorpus(dir);
  const loaded = await readLoadedVersion(driver, options.database);
  if (loaded === corpus.version) {
    options.log?.(`the graph already holds corpus ${corpus.version.slice(0, 12)}: not reloading`);
    return { loaded: false, version: corpus.version };
  }
  options.log?.(`the graph holds corpus ${loaded?.slice(0, 12) ?? '(none)'}; loading ${corpus.version.slice(0, 12)} from ${dir}`);
  const report = await loadCorpus(driver, corpus, options);
  return { loaded: true, version: corpus.version, report };
}
