/**
 * The UN document-symbol grammar of the documents UHRI indexes, and the corpus ids built from a symbol.
 *
 * Treaty bodies (the forms are in the reference's §6.4 and in the curated corpus):
 *   <BODY>/C/<ISO3>/<cycle>                    state report            CRC/C/KAZ/4, CRC/C/KAZ/5-6
 *   <BODY>/C/<ISO3>/CO/<cycle>                 concluding observations CRC/C/KAZ/CO/4, CEDAW/C/KAZ/CO/5
 *   <BODY>/C/<ISO3>/Q/<cycle>                  list of issues          CRC/C/KAZ/Q/5-6
 *   <BODY>/C/<ISO3>/Q/<cycle>/Add.<n>          replies to it           CRC/C/KAZ/Q/3/Add.1
 *   <BODY>/C/<ISO3>/QPR/<cycle>                list of issues prior to reporting
 *   <BODY>/C/<ISO3>/RQ/<cycle>                 replies to a list of issues
 *   CRC/C/<OPAC|OPSC|OPSA>/<ISO3>/…            the same under an Optional Protocol   CRC/C/OPAC/KAZ/CO/1
 *   E/C.12/<ISO3>/…                            the same for CESCR, whose symbols start E/C.12
 *   CRC/C/15/Add.<n>                           old-style CRC concluding observations CRC/C/15/Add.213
 *   CRC/C/<series>/Add.<n>                     other old-style CRC series (CRC/C/41/Add.13 is a state
 *                                              report): kind OTHER, since the series is not parsed
 *   <BODY>/C/SR.<n>                            summary record of a meeting             CRC/C/SR.1241
 *   <BODY>/GC/<n> or <BODY>/GC/<year>/<n>      general comment                         CRC/GC/2006/8
 * UPR and special procedures: A/HRC/<session>/<n>[/Add.<n>] (the body comes from the row, not the symbol).
 *
 * A trailing /Corr.<n> or /Rev.<n> is part of the symbol and does not change its kind.
 */
import { Ids } from '../../../seed/corpus-schema';

export type DocumentKind =
  | 'STATE_REPORT'
  | 'LIST_OF_ISSUES'
  | 'REPLIES_TO_LIST_OF_ISSUES'
  | 'CONCLUDING_OBSERVATIONS'
  | 'UPR_OUTCOME'
  | 'SUMMARY_RECORD'
  | 'GENERAL_COMMENT'
  | 'OTHER';

export interface ParsedSymbol {
  symbol: string;
  /** The body the symbol names (CRC, CEDAW, CCPR, CESCR …); null for A/HRC/… symbols, whose body is the row's. */
  committee: string | null;
  /** The Optional Protocol the symbol names, as a corpus treaty id (treaty:OPAC, treaty:OPSC). */
  protocolTreatyId: string | null;
  /** ISO 3166 alpha-3 code in the symbol; null for old-style and A/HRC/… symbols, which carry none. */
  iso3: string | null;
  kind: DocumentKind;
  /**
   * The report number(s) the symbol carries ("4", "5-6"); null where it carries none. This is the
   * symbol's number, not necessarily the reporting cycle: the corpus records CRC/C/KAZ/CO/3 as
   * cycle "2-3", since it answers the combined second and third report CRC/C/KAZ/3.
   */
  symbolCycle: string | null;
}

const TREATY_BODIES = ['CRC', 'CEDAW', 'CCPR', 'CERD', 'CAT', 'CMW', 'CRPD', 'CED'];

const PROTOCOLS: Readonly<Record<string, string>> = {
  OPAC: 'treaty:OPAC',
  OPSC: 'treaty:OPSC',
  // The early symbols of reports under the sale-of-children Protocol used OPSA (CRC/C/OPSA/KAZ/1).
  OPSA: 'treaty:OPSC',
};

const SUFFIX = '((?:/(?:Add|Corr|Rev)\\.\\d+)*)';
const CYCLE = '(\\d+(?:-\\d+)?)';
const KINDS: Readonly<Record<string, DocumentKind>> = {
  CO: 'CONCLUDING_OBSERVATIONS',
  Q: 'LIST_OF_ISSUES',
  QPR: 'LIST_OF_ISSUES',
  RQ: 'REPLIES_TO_LIST_OF_ISSUES',
};

const MODERN = new RegExp(
  `^(?:(${TREATY_BODIES.join('|')})/C|(E/C\\.12))(?:/(OPAC|OPSC|OPSA))?/([A-Z]{3})(?:/(CO|QPR|Q|RQ))?/${CYCLE}${SUFFIX}$`,
);
const OLD_CRC_CO = /^CRC\/C\/15\/Add\.\d+$/;
const OLD_CRC = /^CRC\/C\/\d+\/Add\.\d+$/;
const SUMMARY_RECORD = new RegExp(`^(${TREATY_BODIES.join('|')})/C/SR\\.\\d+${SUFFIX}$`);
const GENERAL_COMMENT = new RegExp(`^(${TREATY_BODIES.join('|')})/GC/(?:\\d{4}/)?\\d+${SUFFIX}$`);
const HRC = /^A\/HRC\/(?:WG\.6\/)?\d+\/(?:L\.)?\d+(?:\/(?:Add|Corr|Rev)\.\d+)*$/;

/** Blanks inside a symbol are typing slips ("CRC/C/KAZ/CO/ 4"); a symbol has none. */
export function normaliseSymbol(raw: string): string {
  return raw.trim().replace(/^-\s+/, '').replace(/\s+/g, '');
}

/** Parses a UN symbol; null when it follows none of the forms above. */
export function parseSymbol(raw: string): ParsedSymbol | null {
  const symbol = normaliseSymbol(raw);
  const modern = MODERN.exec(symbol);
  if (modern) {
    const [, body, cescr, protocol, iso3, kindCode, cycle, suffix] = modern;
    if (protocol !== undefined && body !== 'CRC') return null;
    let kind: DocumentKind = kindCode === undefined ? 'STATE_REPORT' : KINDS[kindCode]!;
    const addendum = /\/Add\.\d+/.test(suffix ?? '');
    // An addendum to a list of issues is the state's replies to it (CRC/C/KAZ/Q/3/Add.1); other addenda are not classified.
    if (addendum) kind = kind === 'LIST_OF_ISSUES' && kindCode === 'Q' ? 'REPLIES_TO_LIST_OF_ISSUES' : 'OTHER';
    return {
      symbol,
      committee: cescr !== undefined ? 'CESCR' : body!,
      protocolTreatyId: protocol === undefined ? null : PROTOCOLS[protocol]!,
      iso3: iso3!,
      kind,
      symbolCycle: cycle!,
    };
  }
  if (OLD_CRC_CO.test(symbol)) {
    return {
      symbol,
      committee: 'CRC',
      protocolTreatyId: null,
      iso3: null,
      kind: 'CONCLUDING_OBSERVATIONS',
      symbolCycle: null,
    };
  }
  if (OLD_CRC.test(symbol)) {
    return { symbol, committee: 'CRC', protocolTreatyId: null, iso3: null, kind: 'OTHER', symbolCycle: null };
  }
  // Neither names a state: a summary record is of one meeting, a general comment is addressed to every state.
  const meeting = SUMMARY_RECORD.exec(symbol);
  if (meeting)
    return {
      symbol,
      committee: meeting[1]!,
      protocolTreatyId: null,
      iso3: null,
      kind: 'SUMMARY_RECORD',
      symbolCycle: null,
    };
  const comment = GENERAL_COMMENT.exec(symbol);
  if (comment)
    return {
      symbol,
      committee: comment[1]!,
      protocolTreatyId: null,
      iso3: null,
      kind: 'GENERAL_COMMENT',
      symbolCycle: null,
    };
  if (HRC.test(symbol)) {
    return { symbol, committee: null, protocolTreatyId: null, iso3: null, kind: 'OTHER', symbolCycle: null };
  }
  return null;
}

/** `doc:<symbol>`, the corpus's document id; null when the symbol holds characters the id scheme does not allow. */
export function documentId(symbol: string): string | null {
  const id = `doc:${symbol}`;
  return Ids.document.safeParse(id).success ? id : null;
}

/** `rec:<symbol>:<paragraph>[(<letter>)]`, the corpus's recommendation id. */
export function recommendationId(symbol: string, paragraph: number, subParagraph?: string): string | null {
  const id = `rec:${symbol}:${paragraph}${subParagraph === undefined ? '' : `(${subParagraph})`}`;
  return Ids.recommendation.safeParse(id).success ? id : null;
}

/** `state:<ISO3>`. */
export function stateId(iso3: string): string | null {
  const id = `state:${iso3}`;
  return Ids.state.safeParse(id).success ? id : null;
}
