/**
 * What the inference rules read and what they return: plain data, no database types. The shapes are the
 * contract with the UHRI importer (which calls the rules and writes the links), section D of the
 * session's contracts; do not change them without the importer.
 */

/** One paragraph as the rules see it. */
export interface InferParagraph {
  /** rec:<symbol>:<paragraph> */
  id: string;
  /** state:<ISO3> */
  stateId: string;
  /** The body whose procedure the document belongs to: CRC (its Optional Protocols included), CEDAW, CCPR … */
  committee: string;
  documentSymbol: string;
  /** The reporting cycle when the caller knows it (the curated corpus does; a UHRI export does not). */
  cycle: string | null;
  /** YYYY-MM-DD */
  publicationDate: string | null;
  /** The paragraph number, as text ("29"). */
  paragraph: string;
  /** The paragraph's text (with or without its number at the start). */
  text: string;
  /** UHRI theme names as exported ("Corporal punishment"). */
  themes: string[];
}

export type ConcernInference = 'ARTICLE_CITATION' | 'THEME_CLUSTER';

/** Recommendation → treaty article, derived by a rule. */
export interface InferredConcern {
  recommendationId: string;
  /** treaty:CRC:art:19, treaty:OPSC:art:3 … */
  articleId: string;
  inference: ConcernInference;
  /** The words matched ("article 19 of the Convention") or the theme ("theme: Corporal punishment"). */
  evidence: string;
  /** THEME_CLUSTER: the sources of the cluster (source ids of the corpus); empty for ARTICLE_CITATION. */
  sourceIds: string[];
  /** THEME_CLUSTER: the place in each source, parallel to sourceIds. */
  locators: string[];
  /** Of the cluster table row (THEME_CLUSTER); ARTICLE_CITATION links are always UNVERIFIED. */
  verification: 'UNVERIFIED' | 'VERIFIED_SECONDARY';
}

export type ReiterationInference = 'EXPLICIT_REFERENCE' | 'TEXT_SIMILARITY';

/** Later paragraph → the earlier paragraph it repeats, derived by a rule. */
export interface InferredReiteration {
  fromId: string;
  toId: string;
  inference: ReiterationInference;
  /** The Committee's words ("reiterates its previous recommendation (CRC/C/KAZ/CO/3, para. 37)") or the measure. */
  evidence: string;
  /** TEXT_SIMILARITY (and an EXPLICIT_REFERENCE resolved to the closest paragraph): the score; else null. */
  similarity: number | null;
}
