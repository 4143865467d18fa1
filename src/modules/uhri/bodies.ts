/**
 * `Reccomending Body` values → the body a document belongs to.
 *
 * UHRI writes treaty bodies by their acronym (- CRC, - CEDAW, - CCPR …), the CRC's work under its
 * Optional Protocols as - CRC-OP-AC and - CRC-OP-SC, the Universal Periodic Review as - UPR, and
 * special procedures by the kind of mandate and its name (- SR …, - IE …, - WG …).
 */

export type BodyKind = 'TREATY_BODY' | 'UPR' | 'SPECIAL_PROCEDURE';

export interface RecommendingBody {
  /** The committee code the corpus uses on documents (`committee`, upper-case letters): CRC, CEDAW, UPR, SR … */
  committee: string;
  kind: BodyKind;
  /** The Optional Protocol the CRC acted under, as a corpus treaty id. */
  protocolTreatyId: string | null;
  /** The treaty the body monitors, where it is in the graph (the CRC family); null otherwise. */
  treatyId: string | null;
  /** For a special procedure, its mandate as UHRI names it ("SR on torture"); otherwise null. */
  mandate: string | null;
  /** The value as the file wrote it, without the "- " prefix. */
  label: string;
}

const TREATY_BODIES = new Set(['CRC', 'CEDAW', 'CCPR', 'CESCR', 'CERD', 'CAT', 'CMW', 'CRPD', 'CED', 'SPT']);
const CRC_PROTOCOLS: Readonly<Record<string, string>> = { 'CRC-OP-AC': 'treaty:OPAC', 'CRC-OP-SC': 'treaty:OPSC' };
const SPECIAL_PROCEDURE = /^(SRSG|SR|IE|WG)(?:\s|$)/;

/** The body of one `Reccomending Body` value; null when it is none of the forms above. */
export function parseBody(value: string): RecommendingBody | null {
  const label = value.trim().replace(/^-\s*/, '').trim();
  const code = label.toUpperCase();
  const protocol = CRC_PROTOCOLS[code];
  if (protocol !== undefined) {
    return {
      committee: 'CRC',
      kind: 'TREATY_BODY',
      protocolTreatyId: protocol,
      treatyId: protocol,
      mandate: null,
      label,
    };
  }
  if (TREATY_BODIES.has(code)) {
    return {
      committee: code,
      kind: 'TREATY_BODY',
      protocolTreatyId: null,
      treatyId: code === 'CRC' ? 'treaty:CRC' : null,
      mandate: null,
      label,
    };
  }
  if (code === 'UPR')
    return { committee: 'UPR', kind: 'UPR', protocolTreatyId: null, treatyId: null, mandate: null, label };
  const special = SPECIAL_PROCEDURE.exec(label);
  if (special) {
    return {
      committee: special[1]!,
      kind: 'SPECIAL_PROCEDURE',
      protocolTreatyId: null,
      treatyId: null,
      mandate: label,
      label,
    };
  }
  return null;
}

/**
 * The body of a row whose cell may list several values: some UHRI copies add "- Special Procedures"
 * after a mandate. The first value that names a body wins; "Special Procedures" alone names none.
 */
export function bodyOfValues(values: readonly string[]): RecommendingBody | null {
  for (const value of values) {
    const body = parseBody(value);
    if (body !== null) return body;
  }
  return null;
}
