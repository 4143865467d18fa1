/**
 * The typed records the UHRI importer hands to a graph writer: plain data, no database types. Ids
 * follow the corpus id scheme (docs/model.md, "Ids") and are checked against its regexes
 * (seed/corpus-schema.ts).
 */
import type { RecommendingBody } from './bodies';
import type { DocumentKind } from './symbols';
import type { SdgTarget, Tag } from './tags';

/** Where an imported fact comes from: the export file and the row in it. */
export interface UhriProvenance {
  fileName: string;
  /** The day the export was made (YYYY-MM-DD): given by the caller, else the file's modification day. */
  exportDate: string;
  exportDateSource: 'given' | 'file-modified';
  rowNumber: number;
  /** OHCHR's annotation id of the row; null when the file has none. */
  annotationId: string | null;
  /** The place in the export a citation points to: "OHCHR Annotation Id <id>", else "row <n>". */
  locator: string;
}

export interface UhriDocument {
  /** doc:<symbol> */
  id: string;
  symbol: string;
  /** The body whose procedure the document belongs to: CRC, CEDAW, CCPR, UPR, SR … */
  committee: string;
  kind: DocumentKind;
  /** treaty:CRC, treaty:OPAC or treaty:OPSC for the CRC family; null for treaties the graph does not hold. */
  treatyId: string | null;
  /** state:<ISO3>: from the symbol, else the row's single country; null for a document about several states. */
  stateId: string | null;
  /** The report number(s) in the symbol, not necessarily the reporting cycle (see ParsedSymbol.symbolCycle). */
  symbolCycle: string | null;
  /** `Document Publication Date` (YYYY-MM-DD), null when the cell was empty or unreadable (then a reject says so). */
  date: string | null;
}

export type RecommendationKind = 'RECOMMENDATION' | 'CONCERN' | 'WELCOME' | 'QUESTION';

export interface UhriStateRef {
  /** state:<ISO3> */
  id: string;
  iso3: string;
  /** The name as the export wrote it. */
  name: string;
}

export interface UhriRecommendation {
  /** rec:<symbol>:<paragraph>: one recommendation per paragraph, as in the curated corpus. */
  id: string;
  documentId: string;
  paragraph: number;
  /** Letters of the lettered sub-paragraphs inside the text ("a", "b" …); the text itself stays whole. */
  subParagraphs: string[];
  /** A section heading UHRI wrote before the paragraph number, if any. */
  heading: string | null;
  /** The paragraph's text without its number, as the curated corpus stores texts. */
  text: string;
  /** The text exactly as the export holds it. */
  exportedText: string;
  /** From `Type`; null when the export has no Type or a value this reader does not know (kept in `type`). */
  kind: RecommendationKind | null;
  type: string | null;
  /** state:<ISO3> of every country concerned. */
  addressedTo: string[];
  body: RecommendingBody;
  themes: Tag[];
  affectedPersons: Tag[];
  sdgTargets: SdgTarget[];
  regions: string[];
  /** The UPR columns, when the row has any of them. */
  upr: { session: string | null; position: string | null; recommendingStates: string[] } | null;
  provenance: UhriProvenance;
}

/** One imported row: the document, the recommendation and the states it is addressed to. */
export interface UhriRecord {
  document: UhriDocument;
  recommendation: UhriRecommendation;
  states: UhriStateRef[];
}
