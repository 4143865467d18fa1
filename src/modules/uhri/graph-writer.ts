/**
 * Writes UHRI records into the graph (docs/model.md, "Imported data"): documents, paragraph-level
 * recommendations with their English text, states, UHRI themes, affected groups and SDG targets, every
 * one with `origin: 'UHRI'` and citing the export's Source node (locator: the row's annotation id).
 *
 * Merging with the curated corpus: a node the corpus holds (origin CURATED) is matched and never
 * changed; the import adds its own links beside it (its citation of the export, its tags) and, where
 * the export's text of a curated paragraph differs from every curated text of it, a Claim
 * `<rec id>#claim:texts:uhri` (UNRESOLVED). Only nodes and links with origin UHRI are written over.
 *
 * Every statement runs in the caller's transaction: the importer uses one for the whole file.
 */
import { createHash } from 'node:crypto';
import neo4j, { type ManagedTransaction, type QueryResult, type Transaction } from 'neo4j-driver';

/** A managed transaction (a test, a retried unit of work) or the importer's explicit one. */
type Tx = Pick<ManagedTransaction | Transaction, 'run'>;
import { normalizeSearchText } from '../../search-text';
import {
  inferConcerns,
  inferReiterations,
  type InferParagraph,
  type InferredConcern,
  type InferredReiteration,
} from './infer';
import type { UhriRecord, UhriStateRef } from './models';

/** How a row compares with the graph: `new` (no such recommendation), `unchanged` (this export's row is recorded as is), `updated` (otherwise). */
export type RowChange = 'new' | 'updated' | 'unchanged';

export interface ChangeCounts {
  new: number;
  updated: number;
  unchanged: number;
  /** Of the rows, those whose paragraph is in the curated corpus (matched, not duplicated). */
  matchedCurated: number;
  /** Claims written because the export's text of a curated paragraph differs. */
  textClaims: number;
  /** Inferred CONCERNS and REITERATES links (found; one beside a curated link of the same ends is not written). */
  inferredConcerns: number;
  inferredReiterations: number;
}

export const emptyCounts = (): ChangeCounts => ({
  new: 0,
  updated: 0,
  unchanged: 0,
  matchedCurated: 0,
  textClaims: 0,
  inferredConcerns: 0,
  inferredReiterations: 0,
});

/** What a citation of the export says about the export: its Source node. */
export interface UhriSourceInfo {
  id: string;
  fileName: string;
  exportDate: string;
}

/**
 * The graph grade of what the export states (docs/model.md, "Imported data"): UHRI is OHCHR's index of
 * the documents, a secondary copy of paragraphs cut out of them, not the documents themselves.
 */
export const UHRI_VERIFICATION = 'SECONDARY_ONLY';

/** `source:uhri-<file name slug>-<export date>`: one Source per export file and export day. */
export function uhriSourceId(fileName: string, exportDate: string): string {
  const base = fileName
    .replace(/\.[^.]+$/, '')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `source:uhri-${base || 'export'}-${exportDate}`;
}

export function uhriSource(fileName: string, exportDate: string): UhriSourceInfo {
  return { id: uhriSourceId(fileName, exportDate), fileName, exportDate };
}

/** A digest of what a row states (not where in the file it is), so a re-import can tell unchanged rows. */
export function recordDigest(record: UhriRecord): string {
  const { provenance, ...recommendation } = record.recommendation;
  return createHash('sha1')
    .update(
      JSON.stringify({
        document: record.document,
        recommendation,
        locator: provenance.locator,
        states: record.states,
      }),
    )
    .digest('base64');
}

const int = (n: number) => neo4j.int(n);
const yearOf = (date: string | null) => (date === null ? null : int(Number(date.slice(0, 4))));
const compact = (props: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(props).filter(([, value]) => value !== null && value !== undefined));
const sameText = (a: string) => a.replace(/\s+/g, ' ').trim();

/** Inherited provenance of a link the import writes from a row (docs/model.md, "Provenance of links"). */
function linkProvenance(source: UhriSourceInfo, locator: string, ownerId: string) {
  return {
    sourceIds: [source.id],
    locators: [locator],
    quotes: [''],
    verification: UHRI_VERIFICATION,
    basis: 'STATED',
    sourcesInherited: true,
    verificationInherited: true,
    inheritedFrom: ownerId,
    origin: 'UHRI',
  };
}

const number = (value: unknown): number => (neo4j.isInt(value) ? value.toNumber() : Number(value));

type TagLabel = 'Theme' | 'AffectedGroup' | 'SdgTarget';

/** An inferred link as written: its ends and its properties (contract D). */
interface InferredLinkRow {
  from: string;
  to: string;
  props: Record<string, unknown>;
}

/** The properties every inferred link carries: it states no source's fact, so it inherits nothing. */
const inferredProvenance = (sourceIds: readonly string[], locators: readonly string[]) => ({
  sourceIds: [...sourceIds],
  locators: [...locators],
  quotes: sourceIds.map(() => ''),
  verification: 'UNVERIFIED',
  basis: 'INFERRED',
  sourcesInherited: false,
  verificationInherited: false,
  origin: 'INFERRED',
});

function concernRow(c: InferredConcern): InferredLinkRow {
  return {
    from: c.recommendationId,
    to: c.articleId,
    props: {
      ...inferredProvenance(c.sourceIds, c.locators),
      inference: c.inference,
      evidence: c.evidence,
      note:
        c.inference === 'THEME_CLUSTER'
          ? `Inferred from UHRI's theme through the Committee's cluster of articles (the cluster's own grade: ${c.verification}).`
          : 'Inferred from an article citation in the paragraph.',
    },
  };
}

function reiterationRow(r: InferredReiteration): InferredLinkRow {
  return {
    from: r.fromId,
    to: r.toId,
    props: compact({
      ...inferredProvenance([], []),
      inference: r.inference,
      evidence: r.evidence,
      similarity: r.inference === 'TEXT_SIMILARITY' ? r.similarity : null,
      note:
        r.inference === 'EXPLICIT_REFERENCE'
          ? "Inferred from the Committee's own reference to its earlier recommendation."
          : 'Inferred from near-identical texts in consecutive cycles.',
    }),
  };
}
interface DeferredRow {
  record: UhriRecord;
  curatedTexts: string[] | null;
  digest: string;
  change: RowChange;
}

/** The kinds an import stages (as `UhriStaged<Kind>` with `UhriStaged`) before swapping them in. */
export const STAGED_LABELS = [
  'Source',
  'State',
  'Document',
  'Theme',
  'AffectedGroup',
  'SdgTarget',
  'Recommendation',
  'TextVersion',
] as const;

/** Binds `var` to the node of kind `label` with id `idExpr`, whether already in the graph or staged by this run. */
const either = (variable: string, label: string, idExpr: string) =>
  `CALL (${idExpr.split('.')[0]}) {
    OPTIONAL MATCH (v:${label} {id: ${idExpr}})
    OPTIONAL MATCH (w:UhriStaged${label} {id: ${idExpr}})
    WITH coalesce(v, w) AS found WHERE found IS NOT NULL
    RETURN found AS ${variable}
  }`;

/** Binds `src` to the export's Source, in the graph or staged. */
const SOURCE_EITHER = `OPTIONAL MATCH (a:Source {id: $source})
OPTIONAL MATCH (b:UhriStagedSource {id: $source})
WITH coalesce(a, b) AS src
WHERE src IS NOT NULL`;

/**
 * Writes batches of records in one transaction. Keeps, for the whole file, the ids of the shared nodes
 * (states, documents, tags) it has already written, so each is written once.
 */
export class UhriGraphWriter {
  private readonly done = new Set<string>();
  private readonly deferred: DeferredRow[] = [];
  /** States with a new or changed row: their paragraphs are read again for the inferred links. */
  readonly touched = new Set<string>();
  /** Inferred links between two nodes already in the graph: written in the final transaction. */
  private readonly deferredLinks: { concerns: InferredLinkRow[]; reiterations: InferredLinkRow[] } = {
    concerns: [],
    reiterations: [],
  };
  /** Milliseconds spent per statement name, for the benchmark notes. */
  readonly timings = new Map<string, number>();

  /** @param runId marks what this run stages, so that a failed run's staged nodes can be found and deleted. */
  constructor(
    private readonly source: UhriSourceInfo,
    readonly runId: string,
  ) {}

  private sourceProps() {
    return {
      id: this.source.id,
      kind: 'REFERENCE_COMPILATION',
      title: `Universal Human Rights Index export ${this.source.fileName} (${this.source.exportDate})`,
      publisher: 'OHCHR (Universal Human Rights Index)',
      published: this.source.exportDate,
      publishedYear: yearOf(this.source.exportDate),
      reliability: 'SECONDARY',
      addressUnknown: `A user's export file (${this.source.fileName}) from OHCHR's Universal Human Rights Index; the search that produced it is not recorded.`,
      note: "Imported with npm run import:uhri; each citation's locator is the row's OHCHR Annotation Id (or its row number).",
      origin: 'UHRI',
    };
  }

  private stateProps(state: UhriStateRef) {
    return {
      id: state.id,
      iso3: state.iso3,
      name: state.name,
      verification: UHRI_VERIFICATION,
      note: "Known to the graph only from an import of OHCHR's Universal Human Rights Index (the name as the export writes it).",
      origin: 'UHRI',
    };
  }

  private documentRow({ document, recommendation }: UhriRecord) {
    return {
      props: compact({
        id: document.id,
        symbol: document.symbol,
        kind: document.kind,
        title: document.symbol,
        committee: document.committee,
        treatyId: document.treatyId,
        stateId: document.stateId,
        date: document.date,
        year: yearOf(document.date),
        verification: UHRI_VERIFICATION,
        note: "Known to the graph only from an import of OHCHR's Universal Human Rights Index: the title is the symbol (the export gives none); no cycle is recorded, since a symbol's report number is not always the reporting cycle.",
        origin: 'UHRI',
      }),
      treatyId: document.treatyId,
      stateId: document.stateId,
      locator: `Document Symbol ${document.symbol} (${recommendation.provenance.locator})`,
      links: linkProvenance(this.source, recommendation.provenance.locator, document.id),
    };
  }

  /** New tag nodes of `records` per label (`key` keeps staged and visible writes apart in `done`). */
  private tagRows(records: readonly UhriRecord[], key: string): Record<TagLabel, Record<string, unknown>[]> {
    const rows: Record<TagLabel, Record<string, unknown>[]> = { Theme: [], AffectedGroup: [], SdgTarget: [] };
    for (const { recommendation } of records) {
      for (const tag of recommendation.themes)
        if (this.fresh(key + tag.id))
          rows.Theme.push({
            id: tag.id,
            name: tag.name,
            description: `A theme of OHCHR's Universal Human Rights Index ("${tag.name}"), as an imported export names it.`,
            origin: 'UHRI',
          });
      for (const tag of recommendation.affectedPersons)
        if (this.fresh(key + tag.id)) rows.AffectedGroup.push({ id: tag.id, name: tag.name, origin: 'UHRI' });
      for (const sdg of recommendation.sdgTargets)
        if (this.fresh(key + sdg.id))
          rows.SdgTarget.push({ id: sdg.id, target: sdg.code, title: sdg.label, origin: 'UHRI' });
    }
    return rows;
  }

  private recommendationRow({ document, recommendation }: UhriRecord) {
    const locator = recommendation.provenance.locator;
    const row = {
      props: compact({
        id: recommendation.id,
        documentId: document.id,
        documentSymbol: document.symbol,
        documentDate: document.date,
        cycle: document.symbolCycle,
        year: yearOf(document.date),
        stateId: recommendation.addressedTo[0] ?? null,
        paragraph: int(recommendation.paragraph),
        kind: recommendation.kind ?? 'RECOMMENDATION',
        verification: UHRI_VERIFICATION,
        note:
          recommendation.kind === null
            ? `Imported from OHCHR's Universal Human Rights Index. The export gives no known Type${recommendation.type ? ` ("${recommendation.type}")` : ''}: kind RECOMMENDATION is the importer's default, not the index's statement.`
            : "Imported from OHCHR's Universal Human Rights Index.",
        origin: 'UHRI',
      }),
      text: {
        id: `${recommendation.id}#text:en`,
        ownerId: recommendation.id,
        ownerLabel: 'Recommendation',
        language: 'en',
        text: recommendation.text,
        searchText: normalizeSearchText(recommendation.text),
        status: 'OFFICIAL',
        truncated: false,
        position: int(1),
        origin: 'UHRI',
      },
      documentId: document.id,
      states: recommendation.addressedTo,
      locator,
      links: linkProvenance(this.source, locator, recommendation.id),
    };
    return {
      ...row,
      themes: recommendation.themes.map((tag) => tag.id),
      groups: recommendation.affectedPersons.map((tag) => tag.id),
      sdgs: recommendation.sdgTargets.map((sdg) => sdg.id),
    };
  }

  private async run(tx: Tx, cypher: string, params: Record<string, unknown>): Promise<QueryResult> {
    const started = Date.now();
    try {
      return await tx.run(cypher, params);
    } finally {
      const name = /^\/\/ (\w+)/.exec(cypher)?.[1] ?? 'unnamed';
      this.timings.set(name, (this.timings.get(name) ?? 0) + Date.now() - started);
    }
  }

  /** How each record compares with the graph (one read for the batch). */
  async classify(
    tx: Tx,
    records: readonly UhriRecord[],
  ): Promise<{ change: RowChange; curatedTexts: string[] | null; digest: string }[]> {
    const digests = records.map(recordDigest);
    const result = await this.run(
      tx,
      `// uhriClassifyRows
UNWIND $ids AS id
OPTIONAL MATCH (r:Recommendation {id: id})
CALL (r) {
  OPTIONAL MATCH (r)-[c:SOURCED_FROM]->(:Source {id: $source})
  RETURN collect(c.digest) AS digests
}
CALL (r) {
  OPTIONAL MATCH (r)-[:HAS_TEXT]->(t:TextVersion) WHERE coalesce(t.origin, 'CURATED') = 'CURATED'
  RETURN collect(t.text) AS texts
}
RETURN id, r IS NOT NULL AS exists, coalesce(r.origin, 'CURATED') AS origin, digests, texts`,
      { ids: records.map((record) => record.recommendation.id), source: this.source.id },
    );
    return result.records.map((row, i) => {
      const digest = digests[i]!;
      const exists = row.get('exists') as boolean;
      const origin = row.get('origin') as string;
      const seen = row.get('digests') as string[];
      const change: RowChange = !exists ? 'new' : seen.includes(digest) ? 'unchanged' : 'updated';
      return { change, curatedTexts: exists && origin === 'CURATED' ? (row.get('texts') as string[]) : null, digest };
    });
  }

  /**
   * Phase 1, in a transaction of its own per batch: rows whose recommendation is not in the graph, and
   * every shared node (state, document, tag) not yet in the graph, are written STAGED (docs/model.md,
   * "Imported data": labels `UhriStaged` and `UhriStaged<Kind>`, no `Entity`, so no reader sees them).
   * Rows that change a node already in the graph (an updated row, a curated paragraph) are kept for
   * `finish`. Returns the counts of what the batch found.
   */
  async stage(tx: Tx, records: readonly UhriRecord[]): Promise<ChangeCounts> {
    const counts = emptyCounts();
    const classes = await this.classify(tx, records);
    const fresh: { record: UhriRecord; digest: string }[] = [];
    records.forEach((record, i) => {
      const c = classes[i]!;
      counts[c.change] += 1;
      if (c.curatedTexts !== null) counts.matchedCurated += 1;
      if (c.change === 'new') fresh.push({ record, digest: c.digest });
      else if (c.change === 'updated') this.deferred.push({ record, ...c });
      if (c.change !== 'unchanged') for (const state of record.recommendation.addressedTo) this.touched.add(state);
    });
    const changed = records.filter((_, i) => classes[i]!.change !== 'unchanged');
    if (changed.length === 0) return counts;
    await this.stageStates(tx, changed);
    await this.stageDocuments(tx, changed);
    await this.stageTags(tx, changed);
    if (fresh.length > 0) await this.stageRecommendations(tx, fresh);
    return counts;
  }

  /** Rows kept for the final transaction (updated rows, curated paragraphs). */
  get deferredRows(): number {
    return this.deferred.length;
  }

  /**
   * Phase 2, ONE transaction: the staged nodes of this run become Entity nodes of their kind, and the
   * kept rows are written over the nodes they change. Until it commits, readers see the graph as before.
   */
  async finish(tx: Tx): Promise<{ swapped: number; textClaims: number }> {
    let swapped = 0;
    for (const label of STAGED_LABELS) {
      const result = await this.run(
        tx,
        `// uhriSwapIn${label}
MATCH (n:UhriStaged${label}) WHERE n.uhriRun = $run
SET n:Entity:${label}
REMOVE n:UhriStaged:UhriStaged${label}, n.uhriRun
RETURN count(n) AS swapped`,
        { run: this.runId },
      );
      swapped += number(result.records[0]?.get('swapped'));
    }
    const textClaims = this.deferred.length > 0 ? await this.writeVisible(tx, this.deferred) : 0;
    await this.writeInferredLinks(tx, this.deferredLinks.concerns, this.deferredLinks.reiterations);
    return { swapped, textClaims };
  }

  /** Deletes what this run staged (after a failure or an abort), a slice per transaction. */
  static discardCypher(): string {
    return `// uhriDiscardStaged
MATCH (n:UhriStaged) WHERE $run IS NULL OR n.uhriRun = $run
WITH n LIMIT 10000
DETACH DELETE n
RETURN count(*) AS deleted`;
  }

  /** The rows of `deferred` written over visible nodes (the final transaction); returns the text claims written. */
  private async writeVisible(tx: Tx, deferred: readonly DeferredRow[]): Promise<number> {
    const records = deferred.map((t) => t.record);
    await this.writeStates(tx, records);
    await this.writeDocuments(tx, records);
    await this.writeTags(tx, records);

    // An updated row: its earlier UHRI side goes (links, citation, text, claim), whichever export wrote
    // it, then it is written as new: a paragraph's UHRI side is that of the export imported last.
    await this.run(
      tx,
      `// uhriRemoveRowSide
UNWIND $ids AS id
MATCH (r:Recommendation {id: id})
CALL (r) {
  MATCH (r)-[x]->(:Entity) WHERE x.origin IN ['UHRI', 'INFERRED']
  DELETE x
}
CALL (r) {
  MATCH (r)-[:HAS_TEXT|HAS_CLAIM]->(part:Entity) WHERE part.origin = 'UHRI'
  DETACH DELETE part
}`,
      { ids: deferred.map((t) => t.record.recommendation.id) },
    );

    const imported = deferred.filter((t) => t.curatedTexts === null);
    if (imported.length > 0) await this.writeImportedRecommendations(tx, imported);
    const curated = deferred.filter((t) => t.curatedTexts !== null);
    const claims = curated.length > 0 ? await this.writeCuratedSide(tx, curated) : 0;
    await this.writeCitationsAndTags(tx, deferred);
    return claims;
  }

  /** Creates the indexes staging relies on (each in its own transaction; nothing happens when they exist). */
  static schemaStatements(): string[] {
    return [
      `CREATE INDEX uhri_staged_run IF NOT EXISTS FOR (n:UhriStaged) ON (n.uhriRun)`,
      `CREATE INDEX uhri_staged_recommendation_state IF NOT EXISTS FOR (n:UhriStagedRecommendation) ON (n.stateId)`,
      ...STAGED_LABELS.map(
        (label) =>
          `CREATE INDEX uhri_staged_${label.toLowerCase()}_id IF NOT EXISTS FOR (n:UhriStaged${label}) ON (n.id)`,
      ),
    ];
  }

  /**
   * The inferred links of one state's paragraphs (src/modules/uhri/infer, contract D): its paragraphs in
   * the graph and staged by this run are read; a link from a node staged by this run is written now
   * (no reader sees it before the swap), any other waits for the final transaction. Concerns are inferred for imported paragraphs only (curated ones have the
   * editors' links); no inferred link is written beside a curated link of the same type and ends.
   */
  async inferState(tx: Tx, stateId: string): Promise<{ concerns: number; reiterations: number }> {
    const result = await this.run(
      tx,
      `// uhriReadStateParagraphs
CALL () {
  MATCH (r:Recommendation {stateId: $state}) RETURN r
  UNION
  MATCH (r:UhriStagedRecommendation {stateId: $state}) RETURN r
}
CALL (r) {
  OPTIONAL MATCH (r)-[:ISSUED_IN]->(d)
  RETURN d.committee AS committee
  LIMIT 1
}
CALL (r) {
  OPTIONAL MATCH (r)-[:HAS_TEXT]->(t)
  RETURN t.text AS text
  ORDER BY CASE t.language WHEN 'en' THEN 0 ELSE 1 END, t.position
  LIMIT 1
}
RETURN r.id AS id, r:UhriStaged AS staged, coalesce(r.origin, 'CURATED') AS origin, committee,
       r.documentSymbol AS documentSymbol, r.cycle AS cycle, r.documentDate AS date, r.paragraph AS paragraph,
       r.subParagraph AS subParagraph, text, [(r)-[:HAS_THEME]->(th) | th.name] AS themes`,
      { state: stateId },
    );
    const staged = new Set<string>();
    const imported = new Set<string>();
    const paragraphs: InferParagraph[] = [];
    for (const row of result.records) {
      const id = row.get('id') as string;
      if (row.get('staged') as boolean) staged.add(id);
      if (row.get('origin') !== 'CURATED') imported.add(id);
      // Sub-paragraphs (curated only) are not paragraphs: the rules link paragraph to paragraph.
      if (row.get('subParagraph') !== null || row.get('documentSymbol') === null) continue;
      paragraphs.push({
        id,
        stateId,
        committee: (row.get('committee') as string | null) ?? '',
        documentSymbol: row.get('documentSymbol') as string,
        // A curated cycle is the reporting cycle; an imported paragraph has none (see docs/model.md).
        cycle: (row.get('cycle') as string | null) ?? null,
        publicationDate: (row.get('date') as string | null) ?? null,
        paragraph: String(number(row.get('paragraph'))),
        text: (row.get('text') as string | null) ?? '',
        themes: row.get('themes') as string[],
      });
    }
    const concerns = paragraphs
      .filter((p) => imported.has(p.id))
      .flatMap((p) => inferConcerns(p))
      .map((c) => concernRow(c));
    const reiterations = inferReiterations(paragraphs).map((r) => reiterationRow(r));
    // Written now only FROM a staged node: every query reaches a link through its labelled start, so
    // no reader sees it; a link from a visible node (even to a staged one) waits for the swap, or a
    // variable-length path (a reiteration chain) could run through the staged node.
    const now = (row: InferredLinkRow) => staged.has(row.from);
    this.deferredLinks.concerns.push(...concerns.filter((row) => !now(row)));
    this.deferredLinks.reiterations.push(...reiterations.filter((row) => !now(row)));
    await this.writeInferredLinks(tx, concerns.filter(now), reiterations.filter(now));
    return { concerns: concerns.length, reiterations: reiterations.length };
  }

  private async writeInferredLinks(
    tx: Tx,
    concerns: readonly InferredLinkRow[],
    reiterations: readonly InferredLinkRow[],
  ): Promise<void> {
    for (const [type, target, rows] of [
      ['CONCERNS', 'TreatyArticle', concerns],
      ['REITERATES', 'Recommendation', reiterations],
    ] as const) {
      if (rows.length === 0) continue;
      await this.run(
        tx,
        `// uhriWriteInferred${type}
UNWIND $rows AS row
${either('a', 'Recommendation', 'row.from')}
CALL (row) {
  OPTIONAL MATCH (v:${target} {id: row.to})
  OPTIONAL MATCH (w:UhriStaged${target} {id: row.to})
  WITH coalesce(v, w) AS found WHERE found IS NOT NULL
  RETURN found AS b
}
WITH a, b, row
WHERE NOT EXISTS { MATCH (a)-[c:${type}]->(b) WHERE coalesce(c.origin, 'CURATED') = 'CURATED' }
MERGE (a)-[l:${type} {origin: 'INFERRED'}]->(b)
SET l = row.props`,
        { rows },
      );
    }
  }

  private async stageStates(tx: Tx, records: readonly UhriRecord[]): Promise<void> {
    const rows = records
      .flatMap((record) => record.states.map((state) => ({ state, locator: record.recommendation.provenance.locator })))
      .filter(({ state }) => this.fresh(`staged ${state.id}`))
      .map(({ state, locator }) => ({ props: this.stateProps(state), locator }));
    if (rows.length === 0) return;
    await this.run(
      tx,
      `// uhriStageStates
${SOURCE_EITHER}
UNWIND $rows AS row
OPTIONAL MATCH (v:State {id: row.props.id})
WITH src, row WHERE v IS NULL
CREATE (s:UhriStaged:UhriStagedState)
SET s = row.props, s.uhriRun = $run
CREATE (s)-[:SOURCED_FROM {locator: row.locator, position: 1, origin: 'UHRI'}]->(src)`,
      { rows, source: this.source.id, run: this.runId },
    );
  }

  private async stageDocuments(tx: Tx, records: readonly UhriRecord[]): Promise<void> {
    const rows = records.filter((record) => this.fresh(`staged ${record.document.id}`)).map((r) => this.documentRow(r));
    if (rows.length === 0) return;
    await this.run(
      tx,
      `// uhriStageDocuments
${SOURCE_EITHER}
UNWIND $rows AS row
OPTIONAL MATCH (v:Document {id: row.props.id})
WITH src, row WHERE v IS NULL
CREATE (d:UhriStaged:UhriStagedDocument)
SET d = row.props, d.uhriRun = $run
CREATE (d)-[:SOURCED_FROM {locator: row.locator, position: 1, origin: 'UHRI'}]->(src)
WITH d, row
CALL (d, row) {
  MATCH (t:Treaty {id: row.treatyId})
  CREATE (d)-[u:UNDER_TREATY]->(t)
  SET u = row.links
}
CALL (d, row) {
  ${either('s', 'State', 'row.stateId')}
  CREATE (d)-[u:CONCERNS_STATE]->(s)
  SET u = row.links
}`,
      { rows, source: this.source.id, run: this.runId },
    );
  }

  private async stageTags(tx: Tx, records: readonly UhriRecord[]): Promise<void> {
    for (const [label, rows] of Object.entries(this.tagRows(records, 'staged '))) {
      if (rows.length === 0) continue;
      await this.run(
        tx,
        `// uhriStage${label}Nodes
UNWIND $rows AS props
OPTIONAL MATCH (v:${label as TagLabel} {id: props.id})
WITH props WHERE v IS NULL
CREATE (n:UhriStaged:UhriStaged${label as TagLabel})
SET n = props, n.uhriRun = $run`,
        { rows, run: this.runId },
      );
    }
  }

  private async stageRecommendations(tx: Tx, fresh: readonly { record: UhriRecord; digest: string }[]) {
    const rows = fresh.map(({ record, digest }) => ({ ...this.recommendationRow(record), digest }));
    const result = await this.run(
      tx,
      `// uhriStageRecommendations
${SOURCE_EITHER}
UNWIND $rows AS row
CREATE (r:UhriStaged:UhriStagedRecommendation)
SET r = row.props, r.uhriRun = $run
CREATE (t:UhriStaged:UhriStagedTextVersion)
SET t = row.text, t.uhriRun = $run
CREATE (r)-[:HAS_TEXT {origin: 'UHRI'}]->(t)
CREATE (t)-[:SOURCED_FROM {locator: row.locator, position: 1, origin: 'UHRI'}]->(src)
CREATE (r)-[:SOURCED_FROM {locator: row.locator, position: 1000, digest: row.digest, origin: 'UHRI'}]->(src)
WITH r, row
CALL (r, row) {
  ${either('d', 'Document', 'row.documentId')}
  CREATE (r)-[i:ISSUED_IN]->(d)
  SET i = row.links
}
CALL (r, row) {
  UNWIND row.states AS stateId
  ${either('s', 'State', 'stateId')}
  CREATE (r)-[a:ADDRESSED_TO]->(s)
  SET a = row.links
}
CALL (r, row) {
  UNWIND row.themes AS id
  ${either('x', 'Theme', 'id')}
  CREATE (r)-[l:HAS_THEME]->(x)
  SET l = row.links
}
CALL (r, row) {
  UNWIND row.groups AS id
  ${either('x', 'AffectedGroup', 'id')}
  CREATE (r)-[l:AFFECTS]->(x)
  SET l = row.links
}
CALL (r, row) {
  UNWIND row.sdgs AS id
  ${either('x', 'SdgTarget', 'id')}
  CREATE (r)-[l:SDG_TARGET]->(x)
  SET l = row.links
}
RETURN count(r) AS staged`,
      { rows, source: this.source.id, run: this.runId },
    );
    const staged = number(result.records[0]?.get('staged'));
    if (staged !== rows.length)
      throw new Error(`${rows.length - staged} of ${rows.length} recommendations were not staged`);
  }

  /** The export's Source, staged when the graph has none yet. */
  async stageSource(tx: Tx): Promise<void> {
    await this.run(
      tx,
      `// uhriStageSource
OPTIONAL MATCH (v:Source {id: $props.id})
WITH v WHERE v IS NULL
CREATE (s:UhriStaged:UhriStagedSource)
SET s = $props, s.uhriRun = $run`,
      { props: this.sourceProps(), run: this.runId },
    );
  }

  private fresh(id: string): boolean {
    if (this.done.has(id)) return false;
    this.done.add(id);
    return true;
  }

  private async writeStates(tx: Tx, records: readonly UhriRecord[]): Promise<void> {
    const rows = records
      .flatMap((record) => record.states.map((state) => ({ state, locator: record.recommendation.provenance.locator })))
      .filter(({ state }) => this.fresh(state.id))
      .map(({ state, locator }) => ({
        props: this.stateProps(state),
        locator,
      }));
    if (rows.length === 0) return;
    await this.run(
      tx,
      `// uhriWriteStates
MATCH (src:Source {id: $source})
UNWIND $rows AS row
MERGE (s:Entity:State {id: row.props.id})
ON CREATE SET s = row.props
WITH s, row, src WHERE s.origin = 'UHRI'
SET s = row.props
MERGE (s)-[c:SOURCED_FROM]->(src)
SET c.locator = row.locator, c.position = 1, c.origin = 'UHRI'`,
      { rows, source: this.source.id },
    );
  }

  private async writeDocuments(tx: Tx, records: readonly UhriRecord[]): Promise<void> {
    const rows = records.filter((record) => this.fresh(record.document.id)).map((record) => this.documentRow(record));
    if (rows.length === 0) return;
    await this.run(
      tx,
      `// uhriWriteDocuments
MATCH (src:Source {id: $source})
UNWIND $rows AS row
MERGE (d:Entity:Document {id: row.props.id})
ON CREATE SET d = row.props
WITH d, row, src WHERE d.origin = 'UHRI'
SET d = row.props
MERGE (d)-[c:SOURCED_FROM]->(src)
SET c.locator = row.locator, c.position = 1, c.origin = 'UHRI'
WITH d, row
CALL (d, row) {
  MATCH (t:Treaty {id: row.treatyId})
  MERGE (d)-[u:UNDER_TREATY]->(t)
  SET u = row.links
}
CALL (d, row) {
  MATCH (s:State {id: row.stateId})
  MERGE (d)-[u:CONCERNS_STATE]->(s)
  SET u = row.links
}`,
      { rows, source: this.source.id },
    );
  }

  private async writeTags(tx: Tx, records: readonly UhriRecord[]): Promise<void> {
    for (const [label, rows] of Object.entries(this.tagRows(records, ''))) {
      if (rows.length === 0) continue;
      await this.run(
        tx,
        `// uhriWrite${label}Nodes
UNWIND $rows AS props
MERGE (n:Entity:${label as TagLabel} {id: props.id})
ON CREATE SET n = props
WITH n, props WHERE n.origin = 'UHRI'
SET n = props`,
        { rows },
      );
    }
  }

  /** Recommendations the corpus does not hold: node, English text, document and state links. */
  private async writeImportedRecommendations(tx: Tx, deferred: readonly { record: UhriRecord }[]): Promise<void> {
    const rows = deferred.map(({ record }) => this.recommendationRow(record));
    const result = await this.run(
      tx,
      `// uhriWriteRecommendations
MATCH (src:Source {id: $source})
UNWIND $rows AS row
MERGE (r:Entity:Recommendation {id: row.props.id})
ON CREATE SET r = row.props
WITH r, row, src WHERE r.origin = 'UHRI'
SET r = row.props
MERGE (t:Entity:TextVersion {id: row.text.id})
SET t = row.text
MERGE (r)-[h:HAS_TEXT]->(t)
SET h.origin = 'UHRI'
MERGE (t)-[tc:SOURCED_FROM]->(src)
SET tc.locator = row.locator, tc.position = 1, tc.origin = 'UHRI'
WITH r, row
CALL (r, row) {
  MATCH (d:Document {id: row.documentId})
  MERGE (r)-[i:ISSUED_IN]->(d)
  SET i = row.links
}
CALL (r, row) {
  UNWIND row.states AS stateId
  MATCH (s:State {id: stateId})
  MERGE (r)-[a:ADDRESSED_TO]->(s)
  SET a = row.links
}
RETURN count(r) AS written`,
      { rows, source: this.source.id },
    );
    const written = number(result.records[0]?.get('written'));
    if (written !== rows.length)
      throw new Error(
        `${rows.length - written} of ${rows.length} imported recommendations could not be written: a node of another origin holds their id`,
      );
  }

  /**
   * Curated paragraphs: nothing of the curated node changes. Where the export's text differs from every
   * curated text of the paragraph, the export's text is kept as an UNRESOLVED claim about `texts`.
   */
  private async writeCuratedSide(
    tx: Tx,
    deferred: readonly { record: UhriRecord; curatedTexts: string[] | null }[],
  ): Promise<number> {
    const claims = deferred
      .filter(({ record, curatedTexts }) => {
        const text = sameText(record.recommendation.text);
        return !(curatedTexts ?? []).some((curated) => sameText(curated) === text);
      })
      .map(({ record: { recommendation } }) => ({
        ownerId: recommendation.id,
        locator: recommendation.provenance.locator,
        props: {
          id: `${recommendation.id}#claim:texts:uhri`,
          ownerId: recommendation.id,
          field: 'texts',
          value: recommendation.text,
          status: 'UNRESOLVED',
          note: "The paragraph's text as OHCHR's Universal Human Rights Index export gives it, which differs from the curated text(s); the curated text is the one the graph shows.",
          position: int(1000),
          origin: 'UHRI',
        },
      }));
    if (claims.length === 0) return 0;
    await this.run(
      tx,
      `// uhriWriteTextClaims
MATCH (src:Source {id: $source})
UNWIND $rows AS row
MATCH (r:Recommendation {id: row.ownerId})
MERGE (c:Entity:Claim {id: row.props.id})
SET c = row.props
MERGE (r)-[h:HAS_CLAIM]->(c)
SET h.origin = 'UHRI'
MERGE (c)-[s:SOURCED_FROM]->(src)
SET s.locator = row.locator, s.position = 1, s.origin = 'UHRI'`,
      { rows: claims, source: this.source.id },
    );
    return claims.length;
  }

  /** Every row: its citation of the export (with the row's digest) and its UHRI tags. */
  private async writeCitationsAndTags(
    tx: Tx,
    deferred: readonly { record: UhriRecord; digest: string }[],
  ): Promise<void> {
    const rows = deferred.map(({ record: { recommendation }, digest }) => ({
      id: recommendation.id,
      locator: recommendation.provenance.locator,
      digest,
      themes: recommendation.themes.map((tag) => tag.id),
      groups: recommendation.affectedPersons.map((tag) => tag.id),
      sdgs: recommendation.sdgTargets.map((sdg) => sdg.id),
      links: linkProvenance(this.source, recommendation.provenance.locator, recommendation.id),
    }));
    await this.run(
      tx,
      `// uhriWriteCitationsAndTags
MATCH (src:Source {id: $source})
UNWIND $rows AS row
MATCH (r:Recommendation {id: row.id})
MERGE (r)-[c:SOURCED_FROM]->(src)
SET c.locator = row.locator, c.position = 1000, c.digest = row.digest, c.origin = 'UHRI'
WITH r, row
CALL (r, row) {
  UNWIND row.themes AS id
  MATCH (t:Theme {id: id})
  MERGE (r)-[x:HAS_THEME]->(t)
  SET x = row.links
}
CALL (r, row) {
  UNWIND row.groups AS id
  MATCH (g:AffectedGroup {id: id})
  MERGE (r)-[x:AFFECTS]->(g)
  SET x = row.links
}
CALL (r, row) {
  UNWIND row.sdgs AS id
  MATCH (g:SdgTarget {id: id})
  MERGE (r)-[x:SDG_TARGET]->(g)
  SET x = row.links
}`,
      { rows, source: this.source.id },
    );
  }
}
