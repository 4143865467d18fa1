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
 * Every statement runs in the caller's transaction: the importer stages batch by batch, then publishes
 * in one transaction (docs/model.md, "All or nothing: staging").
 */
import { createHash } from 'node:crypto';
import neo4j, { type ManagedTransaction, type QueryResult, type Transaction } from 'neo4j-driver';
import {
  OWNER_TEXT,
  PENDING_KINDS,
  PENDING_LABEL,
  PUBLISHED,
  PUBLISHED_MARKER_LABEL,
  SOME_PENDING,
} from '../../graph/vocabulary';

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
import { ParagraphSpool } from './paragraph-spool';

/**
 * How a row compares with the graph: `new` (no such recommendation), `unchanged` (the row is recorded as is, from
 * this export or from another one with the same content), `updated` (otherwise).
 */
export type RowChange = 'new' | 'updated' | 'unchanged';

/** How a row compares with the graph (`UhriGraphWriter.classify`). */
export interface RowClass {
  change: RowChange;
  /** Unchanged, but the graph has it from another export only: this export is cited beside it. */
  recite: boolean;
  /** The curated paragraph's texts, when the row matches one; null otherwise. */
  curatedTexts: string[] | null;
  digest: string;
}

export interface ChangeCounts {
  new: number;
  updated: number;
  unchanged: number;
  /**
   * Of the unchanged rows, those the graph holds from another export with the same content: nothing of the
   * row is written again, and the row cites this export too (a download of the same search on a later day).
   */
  recited: number;
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
  recited: 0,
  matchedCurated: 0,
  textClaims: 0,
  inferredConcerns: 0,
  inferredReiterations: 0,
});

/** Adds one classified row to `counts` (staging and a dry run count alike). */
export function countRow(counts: ChangeCounts, row: RowClass): void {
  counts[row.change] += 1;
  if (row.recite) counts.recited += 1;
  if (row.curatedTexts !== null) counts.matchedCurated += 1;
}

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

/** An inferred link with the element ids of its ends (resolved when the rules ran). */
type LinkRow = InferredLinkRow & { a: string; b: string };

/** What the rules found for one state's paragraphs, and what writing it needs (`UhriGraphWriter.inferState`). */
export interface InferredState {
  concerns: InferredLinkRow[];
  reiterations: InferredLinkRow[];
  /** Ids of the paragraphs staged by this run (not yet published). */
  staged: Set<string>;
  /** Element ids of the state's paragraphs, by id. */
  eids: Map<string, string>;
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

/** An inferred CONCERNS link as the writer stores it (exported for bench/uhri-floor.ts). */
export function concernRow(c: InferredConcern): InferredLinkRow {
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
/** A citation of this export for an unchanged row the graph holds from another export (`citeUnchanged`). */
interface CitationRow {
  id: string;
  locator: string;
  digest: string;
}

interface DeferredRow extends RowClass {
  record: UhriRecord;
}

/**
 * The kinds an import stages (as `UhriStaged<Kind>` with `UhriStaged`, without `Entity`) before swapping
 * them in: the shared kinds (the Source, states, documents, tags), a few thousand nodes at most, whose
 * labels the publishing transaction adds. The rows (recommendations and their texts) are not staged this
 * way: they are written pending (`PENDING_LABEL`, below). `Recommendation` and `TextVersion` stay in this
 * list so that what a run of an earlier version staged of them is still deleted or cleaned.
 */
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

/** The staged kinds written once per row (the others are shared by rows: states, documents, tags, the Source). */
const ROW_LABELS: ReadonlySet<string> = new Set(PENDING_KINDS);

/** The order in which a failed run's staged nodes are deleted (`discardStatements`), after its pending rows. */
const DISCARD_ORDER = [
  'Recommendation',
  'TextVersion',
  'Document',
  'State',
  'Theme',
  'AffectedGroup',
  'SdgTarget',
  'Source',
] as const satisfies readonly (typeof STAGED_LABELS)[number][];

/** The staging labels a published node may still carry until `cleanupCypher` has removed them. */
const STAGING_LABELS = ['UhriStaged', ...STAGED_LABELS.map((label) => `UhriStaged${label}`)].join(':');

/**
 * Binds `var` to the node whose element id is `eidExpr` and whose id is `idExpr`. The writer resolves a
 * shared node's element id once (`resolve`) and looks it up by that id afterwards, which is cheaper than
 * an index look-up on two labels (visible or staged) per link; the `id` check guards against a node
 * deleted and its element id reused meanwhile.
 */
const byEid = (variable: string, eidExpr: string, idExpr: string) =>
  `MATCH (${variable}) WHERE elementId(${variable}) = ${eidExpr} AND ${variable}.id = ${idExpr}`;

/**
 * A staged recommendation's links to the shared nodes of its row (each list of `row` by element id),
 * counted.
 */
const STAGED_ROW_LINKS = (
  [
    ['states', 'ADDRESSED_TO'],
    ['themes', 'HAS_THEME'],
    ['groups', 'AFFECTS'],
    ['sdgs', 'SDG_TARGET'],
  ] as const
)
  .map(
    ([list, type]) => `CALL (r, row) {
  UNWIND row.${list} AS ref
  ${byEid('x', 'ref.eid', 'ref.id')}
  CREATE (r)-[l:${type}]->(x)
  SET l = row.links
  RETURN count(l) AS ${list}
}`,
  )
  .join('\n');

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
  private readonly deferredLinks: { concerns: LinkRow[]; reiterations: LinkRow[] } = {
    concerns: [],
    reiterations: [],
  };
  /** Shared nodes (states, documents, tags, the Source) staged: the publish gives each its labels. */
  stagedShared = 0;
  /** Whether this run staged the export's Source (the graph had none): its citations are invisible until the publish. */
  private sourceStaged = false;
  /** Citations of unchanged rows kept for the publish (the Source was already visible). */
  private readonly deferredCitations: CitationRow[] = [];
  /** Milliseconds spent per statement name, for the benchmark notes. */
  readonly timings = new Map<string, number>();

  /** Element ids of shared nodes (visible or staged), by `<label> <id>`: each is looked up once per run. */
  private readonly eids = new Map<string, string>();
  /**
   * What the inference rules read from a shared node, by `<label> <id>` (a document's committee, a
   * theme's name), as the graph holds it: a node already in the graph keeps its own values.
   */
  private readonly sharedValues = new Map<string, string | null>();
  /** The paragraphs staged by this run, per state, for the inferred links (created with the first). */
  private spool: ParagraphSpool | null = null;

  constructor(private readonly source: UhriSourceInfo) {}

  /** Resolves (and caches) the element ids of nodes of kind `label`, visible or staged; unknown ids stay unresolved. */
  private async resolve(tx: Tx, label: string, ids: Iterable<string | null>): Promise<void> {
    const missing = [...new Set(ids)].filter((id): id is string => id !== null && !this.eids.has(`${label} ${id}`));
    if (missing.length === 0) return;
    const result = await this.run(
      tx,
      `// uhriResolve${label}
UNWIND $ids AS id
OPTIONAL MATCH (v:${label} {id: id})
OPTIONAL MATCH (w:UhriStaged${label} {id: id})
WITH id, coalesce(v, w) AS n WHERE n IS NOT NULL
RETURN id, elementId(n) AS eid, ${label === 'Document' ? 'n.committee' : label === 'Theme' ? 'n.name' : 'null'} AS value`,
      { ids: missing },
    );
    for (const row of result.records) {
      const key = `${label} ${row.get('id') as string}`;
      this.eids.set(key, row.get('eid') as string);
      this.sharedValues.set(key, row.get('value') as string | null);
    }
  }

  /** Removes the files of the paragraphs staged by this run (called by the importer when it is done). */
  async close(): Promise<void> {
    await this.spool?.close();
    this.spool = null;
  }

  private eid(label: string, id: string): string | null {
    return this.eids.get(`${label} ${id}`) ?? null;
  }

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

  /** A new row's recommendation, text and link properties as staged (public for bench/uhri-floor.ts). */
  recommendationRow({ document, recommendation }: UhriRecord) {
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
  async classify(tx: Tx, records: readonly UhriRecord[]): Promise<RowClass[]> {
    const digests = records.map(recordDigest);
    const result = await this.run(
      tx,
      `// uhriClassifyRows
UNWIND $ids AS id
// The graph readers see: not a pending row (a dry run beside a staging import, or a row the file repeats).
OPTIONAL MATCH (r:Recommendation {id: id}) WHERE NOT r:${PENDING_LABEL}
// The digests of the row as each export cited it (only a row's citations of an export carry one): this
// export's, and every export's. The row's UHRI side is that of the export that last changed it.
CALL (r) {
  OPTIONAL MATCH (r)-[c:SOURCED_FROM]->(s:Source) WHERE c.digest IS NOT NULL
  RETURN collect(CASE WHEN s.id = $source THEN c.digest END) AS digests, collect(c.digest) AS anyDigests
}
CALL (r) {
  OPTIONAL MATCH (r)-[:HAS_TEXT]->(t:TextVersion) WHERE coalesce(t.origin, 'CURATED') = 'CURATED'
  RETURN collect(t.text) AS texts
}
RETURN id, r IS NOT NULL AS exists, coalesce(r.origin, 'CURATED') AS origin, digests, anyDigests, texts`,
      { ids: records.map((record) => record.recommendation.id), source: this.source.id },
    );
    return result.records.map((row, i) => {
      const digest = digests[i]!;
      const exists = row.get('exists') as boolean;
      const origin = row.get('origin') as string;
      const seen = row.get('digests') as string[];
      // The same content from another export: unchanged, and cited to this export as well.
      // (Only when this export cites no version of the row: one whose citation of this export differs is updated.)
      const recite = exists && seen.length === 0 && (row.get('anyDigests') as string[]).includes(digest);
      const change: RowChange = !exists ? 'new' : seen.includes(digest) || recite ? 'unchanged' : 'updated';
      return {
        change,
        recite,
        curatedTexts: exists && origin === 'CURATED' ? (row.get('texts') as string[]) : null,
        digest,
      };
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
    const recited: CitationRow[] = [];
    records.forEach((record, i) => {
      const c = classes[i]!;
      countRow(counts, c);
      if (c.recite)
        recited.push({
          id: record.recommendation.id,
          locator: record.recommendation.provenance.locator,
          digest: c.digest,
        });
      if (c.change === 'new') fresh.push({ record, digest: c.digest });
      else if (c.change === 'updated') this.deferred.push({ record, ...c });
      if (c.change !== 'unchanged') for (const state of record.recommendation.addressedTo) this.touched.add(state);
    });
    if (recited.length > 0) await this.citeUnchanged(tx, recited);
    const changed = records.filter((_, i) => classes[i]!.change !== 'unchanged');
    if (changed.length === 0) return counts;
    // Shared nodes first, so that the rows' links find them by element id (each resolved once per run).
    await this.stageStates(tx, changed);
    await this.resolve(
      tx,
      'State',
      changed.flatMap((record) => [record.document.stateId, ...record.recommendation.addressedTo]),
    );
    await this.stageDocuments(tx, changed);
    await this.stageTags(tx, changed);
    if (fresh.length > 0) {
      const fr = fresh.map((f) => f.record.recommendation);
      await this.resolve(
        tx,
        'Document',
        fresh.map((f) => f.record.document.id),
      );
      await this.resolve(
        tx,
        'Theme',
        fr.flatMap((r) => r.themes.map((t) => t.id)),
      );
      await this.resolve(
        tx,
        'AffectedGroup',
        fr.flatMap((r) => r.affectedPersons.map((t) => t.id)),
      );
      await this.resolve(
        tx,
        'SdgTarget',
        fr.flatMap((r) => r.sdgTargets.map((t) => t.id)),
      );
      await this.stageRecommendations(tx, fresh);
    }
    return counts;
  }

  /** Rows kept for the final transaction (updated rows, curated paragraphs). */
  get deferredRows(): number {
    return this.deferred.length;
  }

  /** Inferred links kept for the final transaction (from a node already visible). */
  get deferredLinkCount(): number {
    return this.deferredLinks.concerns.length + this.deferredLinks.reiterations.length + this.deferredCitations.length;
  }

  /**
   * Cites this export for unchanged rows the graph holds from another export (the same search downloaded
   * again): a row's citation with its digest, as a new row's. Written now when this export's Source is
   * staged (readers match a citation's end as `Source`, which a staged Source is not until the publish,
   * so the citations appear with it; a failed run's are deleted with it, `discardStatements`); kept for
   * the publish when the Source is already visible. Nothing else of the row is written again, so a file of
   * rows the graph already holds costs the publish nothing, whatever its export date.
   */
  private async citeUnchanged(tx: Tx, rows: readonly CitationRow[]): Promise<void> {
    if (this.sourceStaged) await this.writeCitations(tx, rows);
    else this.deferredCitations.push(...rows);
  }

  private async writeCitations(tx: Tx, rows: readonly CitationRow[]): Promise<void> {
    const result = await this.run(
      tx,
      `// uhriCiteUnchanged
${byEid('src', '$src', '$source')}
UNWIND $rows AS row
MATCH (r:Recommendation {id: row.id}) WHERE NOT r:${PENDING_LABEL}
CREATE (r)-[:SOURCED_FROM {locator: row.locator, position: 1000, digest: row.digest, origin: 'UHRI'}]->(src)
RETURN count(*) AS cited`,
      { rows, ...this.sourceRef() },
    );
    const cited = number(result.records[0]?.get('cited'));
    if (cited !== rows.length)
      throw new Error(`${rows.length - cited} of ${rows.length} unchanged rows could not be cited to this export`);
  }

  /**
   * Phase 2, ONE transaction, the only one readers can see: it writes the published marker (from its
   * commit every pending row is visible: `visible` in src/graph/vocabulary.ts), gives the staged shared
   * nodes (the Source, states, documents, tags) `Entity` and their kind label, and writes the kept rows
   * and the inferred links from visible nodes. Until it commits, readers see the graph as before. It
   * changes nothing of the pending rows, so it does not grow with the file's new rows: relabelling them
   * here took 3 kB of transaction memory a row, past the default heap's limit at about 58,000 rows
   * (docs/model.md, "How large a file one publish can take"). The pending labels, the staging labels and
   * the marker go afterwards, in slices (`releasePendingCypher`, `cleanupCypher`, `unmarkCypher`).
   */
  async finish(tx: Tx): Promise<{ swapped: number; textClaims: number }> {
    // The rows, however many: one node. From its commit, readers see every pending node (`visible`).
    await this.run(
      tx,
      `// uhriPublishPending
MERGE (m:${PUBLISHED_MARKER_LABEL})
SET m.at = datetime(), m.source = $source`,
      { source: this.source.id },
    );
    let swapped = 0;
    for (const label of STAGED_LABELS) {
      if (ROW_LABELS.has(label)) continue;
      const result = await this.run(
        tx,
        `// uhriPublish${label}
MATCH (n:UhriStaged${label}) WHERE NOT n:Entity
SET n:Entity:${label}
RETURN count(n) AS swapped`,
        {},
      );
      swapped += number(result.records[0]?.get('swapped'));
    }
    const textClaims = this.deferred.length > 0 ? await this.writeVisible(tx, this.deferred) : 0;
    await this.writeDeferredLinks(tx);
    if (this.deferredCitations.length > 0) await this.writeCitations(tx, this.deferredCitations);
    return { swapped, textClaims };
  }

  /**
   * Deletes pending and staged nodes that were never published (after a failure, an abort or a killed
   * run), a slice per transaction: the pending rows first (never while a published marker exists), then
   * one statement per staged kind in `DISCARD_ORDER`: an earlier version's staged rows first (each has a dozen links),
   * the shared nodes last, when their links from the rows are gone. A staged theme or the export's
   * Source has a link from every row: deleted first, it would take every row's link into one transaction.
   */
  static discardStatements(): string[] {
    // Pending rows of a run that did not publish (never while a marker exists: they are published then).
    // The recommendations first: a text's links are few, a recommendation's a dozen.
    const pending = PENDING_KINDS.map(
      (label) => `// uhriDiscardPending${label}
MATCH (n:${PENDING_LABEL}:${label}) WHERE NOT ${PUBLISHED}
WITH n LIMIT 2000
DETACH DELETE n
RETURN count(*) AS deleted`,
    );
    // Citations of unchanged rows (`citeUnchanged`) to an export's Source that was never published: from
    // visible rows, so not deleted with the pending ones, and one per row of the file, so not with the Source.
    const citations = `// uhriDiscardStagedCitations
MATCH (s:UhriStagedSource)<-[c:SOURCED_FROM]-() WHERE NOT s:Entity
WITH c LIMIT 20000
DELETE c
RETURN count(*) AS deleted`;
    return [
      ...pending,
      citations,
      ...DISCARD_ORDER.map(
        (label) => `// uhriDiscardStaged${label}
MATCH (n:UhriStaged${label}) WHERE NOT n:Entity${label === 'TextVersion' ? ' AND NOT EXISTS { MATCH (:Entity)-[:HAS_TEXT]->(n) }' : ''}
WITH n LIMIT 2000
DETACH DELETE n
RETURN count(*) AS deleted`,
      ),
    ];
  }

  /**
   * Removes the pending label from published rows, a slice per transaction, while the marker exists
   * (never from the rows of a run that did not publish): after the publishing transaction, and at the
   * start of the next run if a run was killed before it had finished this. Readers see the rows either
   * way (`visible`), so this need not be atomic.
   */
  static releasePendingCypher(): string {
    return `// uhriReleasePending
MATCH (n:${PENDING_LABEL}) WHERE ${PUBLISHED}
WITH n LIMIT 20000
REMOVE n:${PENDING_LABEL}
RETURN count(*) AS released`;
  }

  /** Deletes the published marker, once no node is pending (`releasePendingCypher` has run to the end). */
  static unmarkCypher(): string {
    return `// uhriUnmark
MATCH (m:${PUBLISHED_MARKER_LABEL}) WHERE NOT ${SOME_PENDING}
DELETE m
RETURN count(*) AS deleted`;
  }

  /**
   * Gives `Entity` to the staged texts whose owner is published, a slice per transaction: texts staged by
   * a run of an earlier version, which staged them without `Entity` (this version writes them pending).
   */
  static publishTextsCypher(): string {
    return `// uhriPublishTexts
MATCH (t:UhriStagedTextVersion) WHERE NOT t:Entity AND EXISTS { MATCH (:Entity)-[:HAS_TEXT]->(t) }
WITH t LIMIT 20000
SET t:Entity
RETURN count(*) AS published`;
  }

  /**
   * Removes the staging labels from published nodes, a slice per transaction: after the publishing
   * transaction, and at the start of the next run if a run was killed before it had finished this.
   * Readers do not notice them (no query matches a staging label, and a node's kind is read from its
   * kind label), so this need not be atomic.
   */
  static cleanupCypher(): string {
    return `// uhriCleanupPublished
MATCH (n:UhriStaged) WHERE n:Entity
WITH n LIMIT 20000
REMOVE n:${STAGING_LABELS}
RETURN count(*) AS cleaned`;
  }

  /** The rows of `deferred` written over visible nodes (the final transaction); returns the text claims written. */
  private async writeVisible(tx: Tx, deferred: readonly DeferredRow[]): Promise<number> {
    const records = deferred.map((t) => t.record);
    await this.writeStates(tx, records);
    await this.writeDocuments(tx, records);
    await this.writeTags(tx, records);

    // An updated row: its earlier UHRI side goes (links, citations, claim), whichever export wrote it,
    // then it is written as new: a paragraph's UHRI side is that of the export imported last. Two parts
    // are kept rather than deleted and written again, since this transaction's memory grows with every
    // change (bench/results/uhri-publish-2026-12-01.md): its imported text (written over in place, not
    // deleted and created again) and its inferred links
    // (those the rules found again are kept as they are, the others deleted: `removeStaleInferred`).
    await this.run(
      tx,
      `// uhriRemoveRowSide
UNWIND $ids AS id
MATCH (r:Recommendation {id: id})
CALL (r) {
  MATCH (r)-[x]->(:Entity) WHERE x.origin = 'UHRI' AND NOT (type(x) = 'HAS_TEXT')
  DELETE x
}
CALL (r) {
  MATCH (r)-[:HAS_TEXT]->(text:Entity)-[x:SOURCED_FROM]->() WHERE text.origin = 'UHRI' AND x.origin = 'UHRI'
  DELETE x
}
CALL (r) {
  // Its claim, and an imported text on a paragraph that is curated now (the curated text is the one shown).
  MATCH (r)-[:HAS_TEXT|HAS_CLAIM]->(part:Entity)
  WHERE part.origin = 'UHRI' AND (part:Claim OR coalesce(r.origin, 'CURATED') <> 'UHRI')
  DETACH DELETE part
}`,
      { ids: deferred.map((t) => t.record.recommendation.id) },
    );
    await this.removeStaleInferred(tx, deferred);

    const imported = deferred.filter((t) => t.curatedTexts === null);
    if (imported.length > 0) await this.writeImportedRecommendations(tx, imported);
    const curated = deferred.filter((t) => t.curatedTexts !== null);
    const claims = curated.length > 0 ? await this.writeCuratedSide(tx, curated) : 0;
    await this.writeCitationsAndTags(tx, deferred);
    return claims;
  }

  /**
   * Creates the indexes staging relies on (each in its own transaction; nothing happens when they exist):
   * the shared kinds', which `resolve` looks up by id. Staged rows and texts are never looked up by a
   * property (staging returns their element ids, the inferred links read them from the paragraph spool,
   * the swap and the discard find them by label), so they get no index of their own: each would cost an
   * index entry per row. Indexes on them that an earlier version created are dropped.
   */
  static schemaStatements(): string[] {
    return [
      ...STAGED_LABELS.filter((label) => !ROW_LABELS.has(label)).map(
        (label) =>
          `CREATE INDEX uhri_staged_${label.toLowerCase()}_id IF NOT EXISTS FOR (n:UhriStaged${label}) ON (n.id)`,
      ),
      ...['uhri_staged_recommendation_state', 'uhri_staged_recommendation_id', 'uhri_staged_textversion_id'].map(
        (name) => `DROP INDEX ${name} IF EXISTS`,
      ),
    ];
  }

  /**
   * The inferred links of one state's paragraphs (src/modules/uhri/infer, contract D), in two steps so
   * that the importer can infer the next state while this one's links are written: `inferState` reads
   * the state's paragraphs, those in the graph from the graph and those staged by this run from the
   * paragraph spool (paragraph-spool.ts), and runs the rules; `writeInferred`
   * writes a link from a pending node now (readers skip it with the node) and keeps any other for the
   * final transaction. Concerns are inferred for imported paragraphs only (curated ones have the
   * editors' links); no inferred link is written beside a curated link of the same type and ends.
   */
  async inferState(tx: Tx | null, stateId: string): Promise<InferredState> {
    // No read when the graph holds none of the state's paragraphs (`statesWithParagraphs`): on a loaded
    // machine each statement costs a round trip of 100-200 ms, whatever it finds.
    const result =
      tx === null
        ? { records: [] }
        : await this.run(
            tx,
            `// uhriReadStateParagraphs
MATCH (r:Recommendation {stateId: $state}) WHERE NOT r:${PENDING_LABEL}
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
RETURN r.id AS id, elementId(r) AS eid, coalesce(r.origin, 'CURATED') AS origin, committee,
       r.documentSymbol AS documentSymbol, r.cycle AS cycle, r.documentDate AS date, r.paragraph AS paragraph,
       r.subParagraph AS subParagraph, text, [(r)-[:HAS_THEME]->(th) | th.name] AS themes`,
            { state: stateId },
          );
    const staged = new Set<string>();
    const imported = new Set<string>();
    const eids = new Map<string, string>();
    const paragraphs: InferParagraph[] = [];
    for (const row of result.records) {
      const id = row.get('id') as string;
      eids.set(id, row.get('eid') as string);
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
    // The paragraphs this run staged: from the spool, as staging wrote them (not read back from the graph).
    for (const { eid, paragraph } of (await this.spool?.read(stateId)) ?? []) {
      eids.set(paragraph.id, eid);
      staged.add(paragraph.id);
      imported.add(paragraph.id);
      paragraphs.push(paragraph);
    }
    const concerns = paragraphs
      .filter((p) => imported.has(p.id))
      .flatMap((p) => inferConcerns(p))
      .map((c) => concernRow(c));
    const reiterations = inferReiterations(paragraphs).map((r) => reiterationRow(r));
    return { concerns, reiterations, staged, eids };
  }

  /** Of `states`, those whose paragraphs the graph holds (visible): only they need `inferState` to read. */
  async statesWithParagraphs(tx: Tx, states: readonly string[]): Promise<Set<string>> {
    const result = await this.run(
      tx,
      `// uhriStatesWithParagraphs
UNWIND $states AS state
WITH state WHERE EXISTS { MATCH (r:Recommendation {stateId: state}) WHERE NOT r:${PENDING_LABEL} }
RETURN state`,
      { states },
    );
    return new Set(result.records.map((row) => row.get('state') as string));
  }

  /** What `inferState` found for several states, written together by one `writeInferred`. */
  static mergeInferred(states: readonly InferredState[]): InferredState {
    const merged: InferredState = { concerns: [], reiterations: [], staged: new Set(), eids: new Map() };
    for (const state of states) {
      merged.concerns.push(...state.concerns);
      merged.reiterations.push(...state.reiterations);
      for (const id of state.staged) merged.staged.add(id);
      for (const [id, eid] of state.eids) merged.eids.set(id, eid);
    }
    return merged;
  }

  /** Writes (or keeps for the final transaction) what `inferState` found; returns the links found. */
  async writeInferred(tx: Tx, state: InferredState): Promise<{ concerns: number; reiterations: number }> {
    const { concerns, reiterations, staged, eids } = state;
    await this.resolve(
      tx,
      'TreatyArticle',
      concerns.map((row) => row.to),
    );
    const withEids = (rows: readonly InferredLinkRow[], target: string) =>
      rows.flatMap((row) => {
        const a = eids.get(row.from);
        const b = target === 'Recommendation' ? eids.get(row.to) : this.eid(target, row.to);
        // A treaty article the graph does not hold gets no link (as before: the link needs both ends).
        return a === undefined || b === undefined || b === null ? [] : [{ ...row, a, b }];
      });
    const concernRows = withEids(concerns, 'TreatyArticle');
    const reiterationRows = withEids(reiterations, 'Recommendation');
    // Written now only FROM a pending node: a reader that reaches the link from its other end tests the
    // pending node (`visible`) and skips it. A link from a visible node (even to a pending one) waits for
    // the publish, so that no reader walks a changed link of a visible paragraph before it. A pending node
    // is new in this run, so it has no link yet: CREATE, with no look for a curated link beside it.
    const now = (row: LinkRow) => staged.has(row.from);
    this.deferredLinks.concerns.push(...concernRows.filter((row) => !now(row)));
    this.deferredLinks.reiterations.push(...reiterationRows.filter((row) => !now(row)));
    for (const [type, rows] of [
      ['CONCERNS', concernRows.filter(now)],
      ['REITERATES', reiterationRows.filter(now)],
    ] as const) {
      if (rows.length === 0) continue;
      // Most links of a state share their properties (those of a theme cluster differ only by theme):
      // each distinct set is sent once and the rows name it by position, rather than a copy per link
      // (1.3 million copies of eleven properties at 270,000 rows, encoded by the driver and decoded by Neo4j).
      const shared = new SharedProperties();
      const slim = rows.map((row) => ({
        a: row.a,
        b: row.b,
        from: row.from,
        to: row.to,
        p: int(shared.at(row.props)),
      }));
      const props = shared.list;
      const result = await this.run(
        tx,
        `// uhriCreateInferred${type}
UNWIND $rows AS row
${byEid('a', 'row.a', 'row.from')}
${byEid('b', 'row.b', 'row.to')}
CREATE (a)-[l:${type}]->(b)
SET l = $props[row.p]
RETURN count(l) AS written`,
        { rows: slim, props },
      );
      const written = number(result.records[0]?.get('written'));
      if (written !== rows.length)
        throw new Error(`${rows.length - written} of ${rows.length} inferred ${type} links lost an end while written`);
    }
    return { concerns: concerns.length, reiterations: reiterations.length };
  }

  /** Inferred links from visible nodes, in the final transaction; none beside a curated link of the same ends. */
  private async writeDeferredLinks(tx: Tx): Promise<void> {
    for (const [type, rows] of [
      ['CONCERNS', this.deferredLinks.concerns],
      ['REITERATES', this.deferredLinks.reiterations],
    ] as const) {
      if (rows.length === 0) continue;
      // A link already in the graph as the rules found it again is left alone: rewriting it would be a
      // change per link in the publishing transaction (every imported paragraph of a state with a changed
      // row is inferred again), and it is the same graph either way.
      await this.run(
        tx,
        `// uhriWriteInferred${type}
UNWIND $rows AS row
${byEid('a', 'row.a', 'row.from')}
${byEid('b', 'row.b', 'row.to')}
WITH a, b, row
WHERE NOT EXISTS { MATCH (a)-[c:${type}]->(b) WHERE coalesce(c.origin, 'CURATED') = 'CURATED' }
  AND NOT EXISTS { MATCH (a)-[c:${type} {origin: 'INFERRED'}]->(b) WHERE properties(c) = row.props }
MERGE (a)-[l:${type} {origin: 'INFERRED'}]->(b)
SET l = row.props`,
        { rows },
      );
    }
  }

  /**
   * The inferred links from the kept rows that the rules did not find again are deleted (in the
   * publishing transaction, before `writeDeferredLinks`). Every kept row's state was inferred again, and
   * every inferred link from a visible paragraph was kept for the publish, so the links found are all
   * the links a kept row should have.
   */
  private async removeStaleInferred(tx: Tx, deferred: readonly DeferredRow[]): Promise<void> {
    const found = new Map<string, string[]>();
    for (const [type, rows] of [
      ['CONCERNS', this.deferredLinks.concerns],
      ['REITERATES', this.deferredLinks.reiterations],
    ] as const)
      for (const row of rows) {
        const keys = found.get(row.from) ?? [];
        keys.push(`${type} ${row.to}`);
        found.set(row.from, keys);
      }
    const rows = deferred.map(({ record }) => ({
      id: record.recommendation.id,
      keep: found.get(record.recommendation.id) ?? [],
    }));
    await this.run(
      tx,
      `// uhriRemoveStaleInferred
UNWIND $rows AS row
MATCH (r:Recommendation {id: row.id})-[x:CONCERNS|REITERATES]->(e:Entity)
WHERE x.origin = 'INFERRED' AND NOT (type(x) + ' ' + e.id) IN row.keep
DELETE x`,
      { rows },
    );
  }

  private async stageStates(tx: Tx, records: readonly UhriRecord[]): Promise<void> {
    const rows = records
      .flatMap((record) => record.states.map((state) => ({ state, locator: record.recommendation.provenance.locator })))
      .filter(({ state }) => this.fresh(`staged ${state.id}`))
      .map(({ state, locator }) => ({ props: this.stateProps(state), locator }));
    if (rows.length === 0) return;
    const result = await this.run(
      tx,
      `// uhriStageStates
${byEid('src', '$src', '$source')}
UNWIND $rows AS row
OPTIONAL MATCH (v:State {id: row.props.id})
WITH src, row WHERE v IS NULL
CREATE (s:UhriStaged:UhriStagedState)
SET s = row.props
CREATE (s)-[:SOURCED_FROM {locator: row.locator, position: 1, origin: 'UHRI'}]->(src)
RETURN count(s) AS staged`,
      { rows, ...this.sourceRef() },
    );
    this.stagedShared += number(result.records[0]?.get('staged'));
  }

  private async stageDocuments(tx: Tx, records: readonly UhriRecord[]): Promise<void> {
    const rows = records
      .filter((record) => this.fresh(`staged ${record.document.id}`))
      .map((r) => ({
        ...this.documentRow(r),
        stateEid: r.document.stateId === null ? null : this.eid('State', r.document.stateId),
      }));
    if (rows.length === 0) return;
    const result = await this.run(
      tx,
      `// uhriStageDocuments
${byEid('src', '$src', '$source')}
UNWIND $rows AS row
OPTIONAL MATCH (v:Document {id: row.props.id})
WITH src, row WHERE v IS NULL
CREATE (d:UhriStaged:UhriStagedDocument)
SET d = row.props
CREATE (d)-[:SOURCED_FROM {locator: row.locator, position: 1, origin: 'UHRI'}]->(src)
WITH d, row
CALL (d, row) {
  MATCH (t:Treaty {id: row.treatyId})
  CREATE (d)-[u:UNDER_TREATY]->(t)
  SET u = row.links
}
CALL (d, row) {
  ${byEid('s', 'row.stateEid', 'row.stateId')}
  CREATE (d)-[u:CONCERNS_STATE]->(s)
  SET u = row.links
  RETURN count(u) AS stateLinks
}
RETURN sum(CASE WHEN row.stateId IS NULL THEN 0 ELSE 1 END) AS withState, sum(stateLinks) AS stateLinks, count(d) AS staged`,
      { rows, ...this.sourceRef() },
    );
    const row = result.records[0];
    this.stagedShared += number(row?.get('staged'));
    if (row && number(row.get('stateLinks')) !== number(row.get('withState')))
      throw new Error('a staged document could not be linked to its state');
  }

  private async stageTags(tx: Tx, records: readonly UhriRecord[]): Promise<void> {
    for (const [label, rows] of Object.entries(this.tagRows(records, 'staged '))) {
      if (rows.length === 0) continue;
      const result = await this.run(
        tx,
        `// uhriStage${label}Nodes
UNWIND $rows AS props
OPTIONAL MATCH (v:${label as TagLabel} {id: props.id})
WITH props WHERE v IS NULL
CREATE (n:UhriStaged:UhriStaged${label as TagLabel})
SET n = props
RETURN count(n) AS staged`,
        { rows },
      );
      this.stagedShared += number(result.records[0]?.get('staged'));
    }
  }

  /**
   * The new rows: each recommendation and its English text, its citation of the export, and its links
   * to the shared nodes, found by element id. Both are written PENDING: with their own labels (so their
   * index entries, the text's full-text entry included, are written in this batch's transaction, not in
   * the publishing one) and `PENDING_LABEL`, which every reader tests (`visible` in
   * src/graph/vocabulary.ts): no reader sees them until the publishing transaction writes the marker.
   *
   * One statement per batch (a statement per link type was slower: 107 s more at 50,000 rows, each
   * finding its rows again), which returns the rows' element ids. Every staged row is also appended to
   * the paragraph spool, which the inferred links read instead of the graph.
   */
  private async stageRecommendations(tx: Tx, fresh: readonly { record: UhriRecord; digest: string }[]) {
    const ref = (label: string) => (id: string) => ({ id, eid: this.eid(label, id) });
    const rows = fresh.map(({ record, digest }) => {
      const row = this.recommendationRow(record);
      return {
        props: row.props,
        text: row.text,
        locator: row.locator,
        links: row.links,
        digest,
        document: ref('Document')(row.documentId),
        states: row.states.map(ref('State')),
        themes: row.themes.map(ref('Theme')),
        groups: row.groups.map(ref('AffectedGroup')),
        sdgs: row.sdgs.map(ref('SdgTarget')),
      };
    });
    const expectedLinks = rows.reduce(
      (sum, row) => sum + row.states.length + row.themes.length + row.groups.length + row.sdgs.length,
      0,
    );
    const result = await this.run(
      tx,
      `// uhriStageRecommendations
${byEid('src', '$src', '$source')}
UNWIND $rows AS row
${byEid('d', 'row.document.eid', 'row.document.id')}
CREATE (r:Entity:Recommendation:${PENDING_LABEL})
SET r = row.props
CREATE (t:Entity:TextVersion:${OWNER_TEXT.Recommendation.label}:${PENDING_LABEL})
SET t = row.text
CREATE (r)-[:HAS_TEXT {origin: 'UHRI'}]->(t)
CREATE (t)-[:SOURCED_FROM {locator: row.locator, position: 1, origin: 'UHRI'}]->(src)
CREATE (r)-[:SOURCED_FROM {locator: row.locator, position: 1000, digest: row.digest, origin: 'UHRI'}]->(src)
CREATE (r)-[i:ISSUED_IN]->(d)
SET i = row.links
WITH r, row
${STAGED_ROW_LINKS}
RETURN row.props.id AS id, elementId(r) AS eid, states + themes + groups + sdgs AS links`,
      { rows, ...this.sourceRef() },
    );
    if (result.records.length !== rows.length)
      throw new Error(`${rows.length - result.records.length} of ${rows.length} recommendations were not staged`);
    const links = result.records.reduce((sum, row) => sum + number(row.get('links')), 0);
    if (links !== expectedLinks)
      throw new Error(`${expectedLinks - links} of ${expectedLinks} links of staged recommendations were not written`);
    const staged = new Map(result.records.map((row) => [row.get('id') as string, row.get('eid') as string]));

    this.spool ??= new ParagraphSpool();
    for (const { record } of fresh) {
      const { document, recommendation } = record;
      const stateId = recommendation.addressedTo[0];
      // As the rules would read it back from the graph (inferState): a paragraph needs a state and a symbol.
      if (stateId === undefined || !document.symbol) continue;
      this.spool.add({
        eid: staged.get(recommendation.id)!,
        paragraph: {
          id: recommendation.id,
          stateId,
          committee: this.sharedValues.get(`Document ${document.id}`) ?? '',
          documentSymbol: document.symbol,
          cycle: document.symbolCycle ?? null,
          publicationDate: document.date ?? null,
          paragraph: String(recommendation.paragraph),
          text: recommendation.text,
          themes: recommendation.themes.map((tag) => this.sharedValues.get(`Theme ${tag.id}`) ?? tag.name),
        },
      });
    }
  }

  /** The export's Source, staged when the graph has none yet; its element id is kept for the citations. */
  async stageSource(tx: Tx): Promise<void> {
    const result = await this.run(
      tx,
      `// uhriStageSource
OPTIONAL MATCH (v:Source {id: $props.id})
WITH v WHERE v IS NULL
CREATE (s:UhriStaged:UhriStagedSource)
SET s = $props
RETURN count(s) AS staged`,
      { props: this.sourceProps() },
    );
    const staged = number(result.records[0]?.get('staged'));
    this.stagedShared += staged;
    this.sourceStaged = staged > 0;
    await this.resolve(tx, 'Source', [this.source.id]);
  }

  private sourceRef(): { src: string | null; source: string } {
    return { src: this.eid('Source', this.source.id), source: this.source.id };
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
SET t = row.text, t:${OWNER_TEXT.Recommendation.label}
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

/**
 * Property maps sent once per statement: each distinct map (by its JSON) gets a position in `list` the first
 * time it is seen, and the rows name it by that position.
 */
export class SharedProperties {
  readonly list: Record<string, unknown>[] = [];
  private readonly positions = new Map<string, number>();

  at(props: Record<string, unknown>): number {
    const key = JSON.stringify(props);
    let position = this.positions.get(key);
    if (position === undefined) {
      position = this.list.length;
      this.list.push(props);
      this.positions.set(key, position);
    }
    return position;
  }
}
