/**
 * The schema every corpus file in seed/data/ is validated against before anything is written.
 *
 * A corpus file is YAML with any of the top-level sections below; the loader concatenates each
 * section across all files. Ids are written out in full in the data (so an editor can read and grep
 * them) and checked against the id scheme of their kind (docs/model.md, "Ids").
 *
 * zod was chosen over a hand-written validator because its issue paths (["recommendations", 3,
 * "texts", 0, "language"]) let the loader name the file, the entry and the field of every error.
 */
import { z } from 'zod';

// ---------------------------------------------------------------- primitives

/** ISO 8601 calendar date, possibly of reduced precision when the sources give no more. */
export const PartialDate = z
  .string()
  .regex(/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/, 'must be YYYY, YYYY-MM or YYYY-MM-DD');

/** A BCP 47 primary language tag: en, ru, kk, fr, ar … */
export const Language = z
  .string()
  .regex(/^[a-z]{2,3}$/, 'must be a lower-case ISO 639 language code such as en, ru or kk');

export const Verification = z.enum([
  /** Read in a primary source (the treaty, the UN document, the official legal database). */
  'VERIFIED_PRIMARY',
  /** Stated only by a secondary source (a paper, a news item, an NGO summary). */
  'SECONDARY_ONLY',
  /** Not found in any source consulted; loaded so that the gap is visible, not as fact. */
  'UNVERIFIED',
  /** Sources disagree; every claim is kept with its own source (see `claims`). */
  'DISPUTED',
]);

const id = (pattern: RegExp, example: string) =>
  z.string().regex(pattern, `must follow the id scheme, e.g. ${example}`);

export const Ids = {
  source: id(/^source:[a-z0-9][a-z0-9.-]*$/, 'source:mussabalinova-kimep'),
  treaty: id(/^treaty:[A-Z][A-Z0-9-]*$/, 'treaty:CRC'),
  treatyArticle: id(/^treaty:[A-Z][A-Z0-9-]*:art:\d+$/, 'treaty:CRC:art:19'),
  state: id(/^state:[A-Z]{3}$/, 'state:KAZ'),
  treatyAction: id(/^action:[A-Z]{3}:[A-Z][A-Z0-9-]*:[a-z][a-z0-9-]*$/, 'action:KAZ:CRC:ratification'),
  legalInstrument: id(/^legal:[A-Z]{3}:[a-z][a-z-]*:[A-Za-z0-9][A-Za-z0-9.-]*$/, 'legal:KAZ:law:345-II'),
  provision: id(
    /^legal:[A-Z]{3}:[a-z][a-z-]*:[A-Za-z0-9][A-Za-z0-9.-]*:art:[0-9][0-9-]*(:para:[0-9a-z]+)?(:item:[0-9][0-9a-z-]*)?$/,
    'legal:KAZ:law:345-II:art:10, legal:KAZ:law:345-II:art:10:para:2 or legal:KAZ:law:345-II:art:1:item:4-1',
  ),
  body: id(/^body:[A-Z]{3}:[a-z0-9][a-z0-9-]*$/, 'body:KAZ:childrens-rights-commissioner'),
  mechanism: id(/^mechanism:[A-Z]{3}:[a-z0-9][a-z0-9-]*$/, 'mechanism:KAZ:support-centres'),
  document: id(/^doc:[A-Za-z0-9][A-Za-z0-9./-]*$/, 'doc:CRC/C/KAZ/CO/4'),
  recommendation: id(
    /^rec:[A-Za-z0-9][A-Za-z0-9./-]*:\d+(\([a-z]{1,3}\))?$/,
    'rec:CRC/C/KAZ/CO/4:29 or rec:CRC/C/15/Add.213:44(b)',
  ),
  theme: id(/^theme:[a-z0-9][a-z0-9-]*$/, 'theme:corporal-punishment'),
  statistic: id(/^stat:[A-Z]{3}:[a-z0-9][a-z0-9-]*$/, 'stat:KAZ:placements-2023-total'),
  finding: id(/^finding:[A-Z]{3}:[a-z0-9][a-z0-9-]*$/, 'finding:KAZ:article-10-declarative'),
};

/** Any id of the corpus, for links whose target may be of several kinds. */
export const AnyId = z.string().regex(/^[a-z]+:.+$/, 'must be a corpus id such as treaty:CRC:art:19');

// ---------------------------------------------------------------- provenance

/** Where a fact is stated: a source and the place in it (paragraph, article, section heading). */
export const Citation = z.strictObject({
  source: Ids.source,
  locator: z.string().min(1),
  /** A short verbatim quote from the source, where one helps a reader check the fact. */
  quote: z.string().min(1).optional(),
});

/** One side of a disputed (or corrected) fact, with its own source. */
export const Claim = z.strictObject({
  /** The property the claim is about, e.g. "date". */
  field: z.string().min(1),
  value: z.string().min(1),
  /** ACCEPTED: the value the graph uses; REJECTED: recorded so that readers of that source know; UNRESOLVED: no judgement. */
  status: z.enum(['ACCEPTED', 'REJECTED', 'UNRESOLVED']),
  sources: z.array(Citation).min(1),
  note: z.string().min(1).optional(),
});

/** Every entry that states a fact carries these. */
const sourced = {
  sources: z.array(Citation).min(1),
  verification: Verification,
  note: z.string().min(1).optional(),
  claims: z.array(Claim).min(1).optional(),
};

/**
 * Whose statement a link is. STATED (the default): a source states the link (a law says which body it
 * mandates; the Committee says which article a recommendation concerns). EDITORS_JUDGEMENT: no source
 * states it; the editors concluded it from the sources (that a mechanism answers a recommendation, that a
 * law implements an article). A judgement is never a primary fact: it must give its own verification, no
 * higher than SECONDARY_ONLY (docs/model.md, "Judgements are not primary facts").
 */
export const LinkBasis = z.enum(['STATED', 'EDITORS_JUDGEMENT']);

/**
 * The provenance of a link. Where a link gives no sources of its own it inherits the sources and
 * verification of the entry it is written in; the loader makes that explicit in the graph.
 */
const linkProvenance = {
  sources: z.array(Citation).min(1).optional(),
  verification: Verification.optional(),
  basis: LinkBasis.optional(),
  note: z.string().min(1).optional(),
};

/** A text in one language, e.g. a recommendation's official Russian text and an English version. */
export const TextVersion = z.strictObject({
  language: Language,
  text: z.string().min(1),
  /** OFFICIAL: the authentic or official text; ADVANCE_UNEDITED: a UN advance version; UNOFFICIAL_TRANSLATION. */
  status: z.enum(['OFFICIAL', 'ADVANCE_UNEDITED', 'UNOFFICIAL_TRANSLATION']),
  /** True where the stored copy stops before the paragraph ends ("[…]" in the reference). */
  truncated: z.boolean().default(false),
  sources: z.array(Citation).min(1),
});

// ---------------------------------------------------------------- entries

export const SourceEntry = z
  .strictObject({
    id: Ids.source,
    kind: z.enum([
      'PAPER',
      'UN_DOCUMENT',
      'TREATY_TEXT',
      'LEGAL_DATABASE',
      'NEWS',
      'NGO_PUBLICATION',
      'REFERENCE_COMPILATION',
      'WEBSITE',
    ]),
    title: z.string().min(1),
    authors: z.array(z.string().min(1)).optional(),
    publisher: z.string().min(1).optional(),
    published: PartialDate.optional(),
    /** The exact address of what was read (the document's own page, not a site's home page). */
    url: z.string().url().optional(),
    /** Why no address is given, where none is known: a source has exactly one of `url` and `addressUnknown`. */
    addressUnknown: z.string().min(1).optional(),
    /** The UN document this source is, where it is one (doc: id). */
    document: Ids.document.optional(),
    /**
     * PRIMARY: read in the official text (the issuer's or official publisher's copy) or in a third-party copy
     * that meets the rule in docs/model.md, "Grading copies of primary documents"; SECONDARY: commentary,
     * news, summaries, translations and every other copy.
     */
    reliability: z.enum(['PRIMARY', 'SECONDARY']),
    note: z.string().min(1).optional(),
  })
  .refine((source) => (source.url === undefined) !== (source.addressUnknown === undefined), {
    message: 'a source has exactly one of url (where it was read) and addressUnknown (why no address is known)',
    path: ['url'],
  });

export const TreatyArticleEntry = z.strictObject({
  id: Ids.treatyArticle,
  number: z.number().int().positive(),
  /** Editorial short title: the treaty itself has no article headings. */
  title: z.string().min(1).optional(),
  part: z.string().min(1).optional(),
  /** The article's paragraphs in order, as in the official text. */
  paragraphs: z.array(z.string().min(1)).min(1),
  ...sourced,
});

export const TreatyEntry = z.strictObject({
  id: Ids.treaty,
  shortName: z.string().min(1),
  title: z.string().min(1),
  /** The Convention itself, or an Optional Protocol to it (treaty: id). */
  protocolTo: Ids.treaty.optional(),
  adopted: PartialDate.optional(),
  adoptedBy: z.string().min(1).optional(),
  entryIntoForce: PartialDate.optional(),
  articles: z.array(TreatyArticleEntry).min(1),
  ...sourced,
});

export const StateEntry = z.strictObject({
  id: Ids.state,
  iso3: z.string().regex(/^[A-Z]{3}$/),
  name: z.string().min(1),
  officialName: z.string().min(1).optional(),
  ...sourced,
});

/** A state's act in relation to a treaty: signature, ratification, accession, entry into force, reservation. */
export const TreatyActionEntry = z.strictObject({
  id: Ids.treatyAction,
  state: Ids.state,
  treaty: Ids.treaty,
  kind: z.enum(['SIGNATURE', 'RATIFICATION', 'ACCESSION', 'ENTRY_INTO_FORCE', 'DEPOSIT', 'RESERVATION', 'DECLARATION']),
  /** Null where no source gives it: an unknown date stays unknown. */
  date: PartialDate.nullable(),
  place: z.string().min(1).optional(),
  /** The domestic act that did it (legal: id), e.g. the ratification law. */
  domesticAct: Ids.legalInstrument.optional(),
  description: z.string().min(1).optional(),
  ...sourced,
});

const ImplementsLink = z.strictObject({
  article: Ids.treatyArticle,
  /** FULL, PARTIAL, or DECLARATIVE_ONLY (states the right with no mechanism to make it real). */
  extent: z.enum(['FULL', 'PARTIAL', 'DECLARATIVE_ONLY']),
  /** Other treaty articles this one provision also carries (a merge of several articles into one). */
  mergedWith: z.array(Ids.treatyArticle).optional(),
  ...linkProvenance,
});

export const ProvisionEntry = z.strictObject({
  id: Ids.provision,
  /** The article number as the instrument numbers it: "10", "7-1", "120". */
  article: z.string().regex(/^[0-9][0-9-]*$/),
  paragraph: z
    .string()
    .regex(/^[0-9a-z]+$/)
    .optional(),
  /** A numbered item (sub-point) of the article or paragraph, as the instrument numbers it: "4", "4-1". */
  item: z
    .string()
    .regex(/^[0-9][0-9a-z-]*$/)
    .optional(),
  heading: z.string().min(1).optional(),
  texts: z.array(TextVersion).optional(),
  implements: z.array(ImplementsLink).optional(),
  ...sourced,
});

const LegalLink = z.strictObject({
  /** legal: id of an instrument or of one of its provisions. */
  legal: z.union([Ids.provision, Ids.legalInstrument]),
  ...linkProvenance,
});

export const LegalInstrumentEntry = z.strictObject({
  id: Ids.legalInstrument,
  state: Ids.state,
  kind: z.enum([
    'CONSTITUTION',
    'CONSTITUTIONAL_LAW',
    'CODE',
    'LAW',
    'RATIFICATION_ACT',
    'PRESIDENTIAL_DECREE',
    'GOVERNMENT_RESOLUTION',
    'MINISTERIAL_ORDER',
    'RULES',
    'POLICY',
  ]),
  /** The official number ("345-II"); absent where the sources give none. */
  number: z.string().min(1).optional(),
  title: z.string().min(1),
  titleOriginal: z.strictObject({ language: Language, text: z.string().min(1) }).optional(),
  adopted: PartialDate.nullable(),
  inForce: z.enum(['IN_FORCE', 'NOT_YET_IN_FORCE', 'REPEALED', 'UNKNOWN']),
  enteredIntoForce: PartialDate.optional(),
  /** The identifier in the state's official legal database (for Kazakhstan, adilet.zan.kz: "Z020000345_"). */
  officialCode: z.string().min(1).optional(),
  /** Instruments this one amends. */
  amends: z
    .array(z.strictObject({ instrument: Ids.legalInstrument, date: PartialDate.optional(), ...linkProvenance }))
    .optional(),
  /** Instruments issued under this one's authority (e.g. rules adopted under a code's article). */
  issuedUnder: z.array(LegalLink).optional(),
  /**
   * Treaty articles the instrument as a whole implements, where the sources tie the instrument (not one of
   * its provisions) to the article, or no provision of it is recorded.
   */
  implements: z.array(ImplementsLink).optional(),
  provisions: z.array(ProvisionEntry).optional(),
  ...sourced,
});

export const BodyEntry = z.strictObject({
  id: Ids.body,
  state: Ids.state,
  name: z.string().min(1),
  nameOriginal: z.strictObject({ language: Language, text: z.string().min(1) }).optional(),
  kind: z.enum([
    'HEAD_OF_STATE',
    'GOVERNMENT',
    'MINISTRY',
    'COMMITTEE',
    'OMBUDSMAN',
    'COURT',
    'POLICE',
    'PROSECUTOR',
    'LOCAL_AUTHORITY',
    'PARLIAMENT',
    'NGO',
    'SERVICE_PROVIDER',
    'OTHER',
  ]),
  /** UNKNOWN where the sources do not say at which level the body works. */
  level: z.enum(['NATIONAL', 'REGIONAL', 'LOCAL', 'UNKNOWN']),
  status: z.enum(['ACTIVE', 'PROPOSED', 'ABOLISHED']),
  established: PartialDate.optional(),
  parent: Ids.body.optional(),
  description: z.string().min(1).optional(),
  establishedBy: z.array(LegalLink).optional(),
  mandatedBy: z.array(LegalLink).optional(),
  ...sourced,
});

export const MechanismLegalBasis = z.enum(['IDENTIFIED', 'NONE', 'NOT_IDENTIFIED']);

export const MechanismEntry = z.strictObject({
  id: Ids.mechanism,
  state: Ids.state,
  name: z.string().min(1),
  kind: z.enum([
    'PROCEDURE',
    'SERVICE',
    'PROGRAMME',
    'MONITORING_SYSTEM',
    'DATA_SYSTEM',
    'COORDINATION',
    'COMPLAINTS',
    'INSTITUTION',
    'OTHER',
  ]),
  /**
   * OPERATIONAL; PARTIAL (exists but not everywhere or not fully); PLANNED (proposed); ABSENT (no basis or
   * no existence); DEFUNCT; UNKNOWN (the sources do not show whether it works).
   */
  status: z.enum(['OPERATIONAL', 'PARTIAL', 'PLANNED', 'ABSENT', 'DEFUNCT', 'UNKNOWN']),
  /**
   * What the sources say of its legal basis. IDENTIFIED: groundedIn names it. NONE: a source says there is
   * none. NOT_IDENTIFIED: the sources name none and do not say there is none (they are silent, or say a
   * basis exists without naming it). Default: IDENTIFIED when groundedIn is given, else NOT_IDENTIFIED, so
   * that silence is never read as absence.
   */
  legalBasis: MechanismLegalBasis.optional(),
  description: z.string().min(1).optional(),
  since: PartialDate.optional(),
  runBy: z.array(z.strictObject({ body: Ids.body, ...linkProvenance })).optional(),
  groundedIn: z.array(LegalLink).optional(),
  /** Treaty articles this mechanism gives effect to. */
  givesEffectTo: z.array(z.strictObject({ article: Ids.treatyArticle, ...linkProvenance })).optional(),
  ...sourced,
});

export const DocumentEntry = z.strictObject({
  id: Ids.document,
  /** The UN symbol; absent where no source shows it (never inferred). */
  symbol: z.string().min(1).optional(),
  kind: z.enum([
    'STATE_REPORT',
    'LIST_OF_ISSUES',
    'REPLIES_TO_LIST_OF_ISSUES',
    'CONCLUDING_OBSERVATIONS',
    'SUMMARY_RECORD',
    'COMMON_CORE_DOCUMENT',
    'GENERAL_COMMENT',
    'UPR_OUTCOME',
    'OTHER',
  ]),
  title: z.string().min(1),
  /** The UN body whose procedure the document belongs to: CRC, CCPR, CESCR, CRPD, CERD, UPR … */
  committee: z.string().regex(/^[A-Z]+$/),
  /** The instrument under which it was submitted or issued (treaty: id), where it is one of ours. */
  treaty: Ids.treaty.optional(),
  state: Ids.state.optional(),
  /** Reporting cycle as the UN numbers it: "1" (initial), "2-3", "4", "5-6". */
  cycle: z
    .string()
    .regex(/^\d+(-\d+)?$/)
    .optional(),
  /** The date the document bears. */
  date: PartialDate.nullable(),
  /**
   * The year of the document where its date is unknown but its year is not (e.g. concluding observations
   * adopted at a session held in a known year). Ignored in favour of `date` when both are given.
   */
  year: z.number().int().min(1945).max(2100).optional(),
  received: PartialDate.optional(),
  session: z.number().int().positive().optional(),
  originalLanguage: Language.optional(),
  respondsTo: z.array(z.strictObject({ document: Ids.document, ...linkProvenance })).optional(),
  ...sourced,
});

export const RecommendationEntry = z.strictObject({
  id: Ids.recommendation,
  document: Ids.document,
  paragraph: z.number().int().positive(),
  subParagraph: z
    .string()
    .regex(/^[a-z]{1,3}$/)
    .optional(),
  /** The paragraph a sub-paragraph belongs to (rec: id). */
  partOf: Ids.recommendation.optional(),
  /** RECOMMENDATION (the Committee recommends/urges); CONCERN; WELCOME (positive aspects); QUESTION (list of issues). */
  kind: z.enum(['RECOMMENDATION', 'CONCERN', 'WELCOME', 'QUESTION']),
  addressedTo: Ids.state,
  /** A short label in our own words, for lists. */
  summary: z.string().min(1),
  texts: z.array(TextVersion).min(1),
  concerns: z.array(z.strictObject({ article: Ids.treatyArticle, ...linkProvenance })).optional(),
  themes: z.array(Ids.theme).optional(),
  reiterates: z.array(z.strictObject({ recommendation: Ids.recommendation, ...linkProvenance })).optional(),
  ...sourced,
});

export const ThemeEntry = z.strictObject({
  id: Ids.theme,
  name: z.string().min(1),
  description: z.string().min(1),
});

/** Something answers a recommendation: a mechanism, a legal instrument or provision, or a body. */
export const AnswerEntry = z.strictObject({
  recommendation: Ids.recommendation,
  by: z.union([Ids.mechanism, Ids.provision, Ids.legalInstrument, Ids.body]),
  /** FULL: does what was asked; PARTIAL: part of it; FORMAL_ONLY: on paper, with no effect shown. */
  extent: z.enum(['FULL', 'PARTIAL', 'FORMAL_ONLY']),
  date: PartialDate.optional(),
  sources: z.array(Citation).min(1),
  verification: Verification,
  /** STATED where a source says that this answers the recommendation; EDITORS_JUDGEMENT where the editors concluded it. */
  basis: LinkBasis.optional(),
  note: z.string().min(1).optional(),
});

const AboutLink = z.strictObject({ target: AnyId, ...linkProvenance });

export const StatisticEntry = z.strictObject({
  id: Ids.statistic,
  state: Ids.state,
  indicator: z.string().min(1),
  value: z.number(),
  unit: z.string().min(1),
  /** The year (or period start) the figure describes. */
  year: z.number().int().min(1900).max(2100),
  /** "national", or the region or population the figure covers. */
  scope: z.string().min(1),
  about: z.array(AboutLink).min(1),
  ...sourced,
});

export const FindingEntry = z.strictObject({
  id: Ids.finding,
  state: Ids.state,
  title: z.string().min(1),
  /** The finding in our own words (never the paper's prose). */
  summary: z.string().min(1),
  kind: z.enum(['DISCREPANCY', 'GAP', 'PROGRESS', 'CORRECTION']),
  about: z.array(AboutLink).min(1),
  /** Statistics that support it (stat: ids). */
  evidence: z.array(Ids.statistic).optional(),
  ...sourced,
});

export const CorpusFile = z.strictObject({
  sources: z.array(SourceEntry).optional(),
  themes: z.array(ThemeEntry).optional(),
  treaties: z.array(TreatyEntry).optional(),
  states: z.array(StateEntry).optional(),
  treatyActions: z.array(TreatyActionEntry).optional(),
  legalInstruments: z.array(LegalInstrumentEntry).optional(),
  bodies: z.array(BodyEntry).optional(),
  mechanisms: z.array(MechanismEntry).optional(),
  documents: z.array(DocumentEntry).optional(),
  recommendations: z.array(RecommendationEntry).optional(),
  answers: z.array(AnswerEntry).optional(),
  statistics: z.array(StatisticEntry).optional(),
  findings: z.array(FindingEntry).optional(),
});

export type CorpusFile = z.infer<typeof CorpusFile>;
export type SourceEntry = z.infer<typeof SourceEntry>;
export type TreatyEntry = z.infer<typeof TreatyEntry>;
export type TreatyArticleEntry = z.infer<typeof TreatyArticleEntry>;
export type StateEntry = z.infer<typeof StateEntry>;
export type TreatyActionEntry = z.infer<typeof TreatyActionEntry>;
export type LegalInstrumentEntry = z.infer<typeof LegalInstrumentEntry>;
export type ProvisionEntry = z.infer<typeof ProvisionEntry>;
export type BodyEntry = z.infer<typeof BodyEntry>;
export type MechanismEntry = z.infer<typeof MechanismEntry>;
export type DocumentEntry = z.infer<typeof DocumentEntry>;
export type RecommendationEntry = z.infer<typeof RecommendationEntry>;
export type ThemeEntry = z.infer<typeof ThemeEntry>;
export type AnswerEntry = z.infer<typeof AnswerEntry>;
export type StatisticEntry = z.infer<typeof StatisticEntry>;
export type FindingEntry = z.infer<typeof FindingEntry>;
export type Citation = z.infer<typeof Citation>;
export type Claim = z.infer<typeof Claim>;
export type VerificationStatus = z.infer<typeof Verification>;
export type LinkBasisValue = z.infer<typeof LinkBasis>;
export type MechanismLegalBasisValue = z.infer<typeof MechanismLegalBasis>;

/** A mechanism's legal basis as the loader writes it: the explicit value, or the default derived from groundedIn. */
export function mechanismLegalBasis(
  mechanism: Pick<z.infer<typeof MechanismEntry>, 'legalBasis' | 'groundedIn'>,
): MechanismLegalBasisValue {
  return mechanism.legalBasis ?? ((mechanism.groundedIn?.length ?? 0) > 0 ? 'IDENTIFIED' : 'NOT_IDENTIFIED');
}
