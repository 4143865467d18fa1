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
import neo4j, { type ManagedTransaction, type Transaction } from 'neo4j-driver';

/** A managed transaction (a test, a retried unit of work) or the importer's explicit one. */
type Tx = Pick<ManagedTransaction | Transaction, 'run'>;
import { normalizeSearchText } from '../../search-text';
import type { UhriRecord } from './models';

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
}

export const emptyCounts = (): ChangeCounts => ({ new: 0, updated: 0, unchanged: 0, matchedCurated: 0, textClaims: 0 });

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

/**
 * Writes batches of records in one transaction. Keeps, for the whole file, the ids of the shared nodes
 * (states, documents, tags) it has already written, so each is written once.
 */
export class UhriGraphWriter {
  private readonly done = new Set<string>();

  constructor(private readonly source: UhriSourceInfo) {}

  /** The export's Source node (created once; an existing one is left as it is). */
  async writeSource(tx: Tx): Promise<void> {
    await tx.run(
      `// uhriWriteSource
MERGE (s:Entity:Source {id: $props.id})
ON CREATE SET s = $props`,
      {
        props: {
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
        },
      },
    );
  }

  /** How each record compares with the graph (one read for the batch). */
  async classify(
    tx: Tx,
    records: readonly UhriRecord[],
  ): Promise<{ change: RowChange; curatedTexts: string[] | null; digest: string }[]> {
    const digests = records.map(recordDigest);
    const result = await tx.run(
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

  /** Writes one batch; returns the counts of what it found. */
  async write(tx: Tx, records: readonly UhriRecord[]): Promise<ChangeCounts> {
    const counts = emptyCounts();
    const classes = await this.classify(tx, records);
    const todo: { record: UhriRecord; curatedTexts: string[] | null; digest: string; change: RowChange }[] = [];
    records.forEach((record, i) => {
      const c = classes[i]!;
      counts[c.change] += 1;
      if (c.curatedTexts !== null) counts.matchedCurated += 1;
      if (c.change !== 'unchanged') todo.push({ record, ...c });
    });
    if (todo.length === 0) return counts;

    await this.writeStates(
      tx,
      todo.map((t) => t.record),
    );
    await this.writeDocuments(
      tx,
      todo.map((t) => t.record),
    );
    await this.writeTags(
      tx,
      todo.map((t) => t.record),
    );

    // An updated row: its earlier UHRI side goes (links, citation, text, claim), whichever export wrote
    // it, then it is written as new: a paragraph's UHRI side is that of the export imported last.
    const updated = todo.filter((t) => t.change === 'updated').map((t) => t.record.recommendation.id);
    if (updated.length > 0) {
      await tx.run(
        `// uhriRemoveRowSide
UNWIND $ids AS id
MATCH (r:Recommendation {id: id})
CALL (r) {
  MATCH (r)-[x]->(:Entity) WHERE x.origin = 'UHRI'
  DELETE x
}
CALL (r) {
  MATCH (r)-[:HAS_TEXT|HAS_CLAIM]->(part:Entity) WHERE part.origin = 'UHRI'
  DETACH DELETE part
}`,
        { ids: updated },
      );
    }

    const imported = todo.filter((t) => t.curatedTexts === null);
    if (imported.length > 0) await this.writeImportedRecommendations(tx, imported);
    const curated = todo.filter((t) => t.curatedTexts !== null);
    if (curated.length > 0) counts.textClaims += await this.writeCuratedSide(tx, curated);
    await this.writeCitationsAndTags(tx, todo);
    return counts;
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
        props: {
          id: state.id,
          iso3: state.iso3,
          name: state.name,
          verification: UHRI_VERIFICATION,
          note: "Known to the graph only from an import of OHCHR's Universal Human Rights Index (the name as the export writes it).",
          origin: 'UHRI',
        },
        locator,
      }));
    if (rows.length === 0) return;
    await tx.run(
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
    const rows = records
      .filter((record) => this.fresh(record.document.id))
      .map(({ document, recommendation }) => ({
        props: compact({
          id: document.id,
          symbol: document.symbol,
          kind: document.kind,
          title: document.symbol,
          committee: document.committee,
          treatyId: document.treatyId,
          stateId: document.stateId,
          cycle: document.symbolCycle,
          date: document.date,
          year: yearOf(document.date),
          verification: UHRI_VERIFICATION,
          note: "Known to the graph only from an import of OHCHR's Universal Human Rights Index: the title is the symbol (the export gives none) and the cycle is the symbol's report number.",
          origin: 'UHRI',
        }),
        treatyId: document.treatyId,
        stateId: document.stateId,
        locator: `Document Symbol ${document.symbol} (${recommendation.provenance.locator})`,
        links: linkProvenance(this.source, recommendation.provenance.locator, document.id),
      }));
    if (rows.length === 0) return;
    await tx.run(
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
    const themes: Record<string, unknown>[] = [];
    const groups: Record<string, unknown>[] = [];
    const sdgs: Record<string, unknown>[] = [];
    for (const { recommendation } of records) {
      for (const tag of recommendation.themes)
        if (this.fresh(tag.id))
          themes.push({
            id: tag.id,
            name: tag.name,
            description: `A theme of OHCHR's Universal Human Rights Index ("${tag.name}"), as an imported export names it.`,
            origin: 'UHRI',
          });
      for (const tag of recommendation.affectedPersons)
        if (this.fresh(tag.id)) groups.push({ id: tag.id, name: tag.name, origin: 'UHRI' });
      for (const sdg of recommendation.sdgTargets)
        if (this.fresh(sdg.id)) sdgs.push({ id: sdg.id, target: sdg.code, title: sdg.label, origin: 'UHRI' });
    }
    for (const [label, rows] of [
      ['Theme', themes],
      ['AffectedGroup', groups],
      ['SdgTarget', sdgs],
    ] as const) {
      if (rows.length === 0) continue;
      await tx.run(
        `// uhriWrite${label}Nodes
UNWIND $rows AS props
MERGE (n:Entity:${label} {id: props.id})
ON CREATE SET n = props
WITH n, props WHERE n.origin = 'UHRI'
SET n = props`,
        { rows },
      );
    }
  }

  /** Recommendations the corpus does not hold: node, English text, document and state links. */
  private async writeImportedRecommendations(tx: Tx, todo: readonly { record: UhriRecord }[]): Promise<void> {
    const rows = todo.map(({ record: { document, recommendation } }) => {
      const locator = recommendation.provenance.locator;
      return {
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
    });
    const result = await tx.run(
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
    todo: readonly { record: UhriRecord; curatedTexts: string[] | null }[],
  ): Promise<number> {
    const claims = todo
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
    await tx.run(
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
  private async writeCitationsAndTags(tx: Tx, todo: readonly { record: UhriRecord; digest: string }[]): Promise<void> {
    const rows = todo.map(({ record: { recommendation }, digest }) => ({
      id: recommendation.id,
      locator: recommendation.provenance.locator,
      digest,
      themes: recommendation.themes.map((tag) => tag.id),
      groups: recommendation.affectedPersons.map((tag) => tag.id),
      sdgs: recommendation.sdgTargets.map((sdg) => sdg.id),
      links: linkProvenance(this.source, recommendation.provenance.locator, recommendation.id),
    }));
    await tx.run(
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
