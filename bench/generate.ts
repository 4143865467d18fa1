/**
 * Synthetic corpora shaped like the real one, for the benchmark (bench/run.ts); never for the API's data.
 *
 * The real corpus (seed/data) is loaded first with the project's own loader: it brings the four real
 * treaties with their articles and the real themes. On top of it this module generates synthetic states
 * (`state:XAA`, `state:XAB`, …), each a fully documented state party: treaty actions, CRC reporting cycles
 * (state report, list of issues, replies, concluding observations, linked by RESPONDS_TO), Optional
 * Protocol reviews, other committees' documents, the Committee's paragraphs (concerns, recommendations
 * with sub-paragraphs, questions) concerning CRC articles and themes and reiterating earlier cycles,
 * national law with provisions implementing articles, bodies, mechanisms, what answers which
 * recommendation, statistics and findings, and the sources all of it cites.
 *
 * The rows are written by the loader's own PlanBuilder (seed/plan.ts): the same labels, properties,
 * relationship types, TextVersion and Claim ids, citations and provenance rule as the real corpus gets, and
 * bench/bulk-load.ts writes them with the loader's own statements (seed/write.ts), so that the queries see a
 * graph they cannot tell from a bigger real corpus. This module decides only what exists, not how it is
 * stored. Everything is drawn from a seeded PRNG, one stream per state, so a state is identical whichever
 * corpus it is part of.
 *
 * One synthetic state is about 1,000 nodes and 4,000 relationships on average (state 0, the benchmarked
 * one, is always given the fullest profile: five completed CRC cycles and a sixth under way).
 */
import type { Corpus } from '../seed/corpus';
import { MechanismEntry, type Citation, type Claim, type VerificationStatus } from '../seed/corpus-schema';
import { int, PlanBuilder, yearOf, type GraphPlan, type SourcedEntry, type TextVersionFields } from '../seed/plan';
import { Random } from './random';

/** Bump when the generated shape changes, so that a kept instance is not reused with another generator. */
export const GENERATOR_VERSION = 3;

type Verification = VerificationStatus;

// ---------------------------------------------------------------- what the real corpus provides

export interface RealAnchors {
  /** Article ids per treaty id, e.g. treaty:CRC → [treaty:CRC:art:1, …]. */
  articles: Map<string, string[]>;
  themes: string[];
  treaties: string[];
}

export function anchorsFrom(corpus: Corpus): RealAnchors {
  return {
    articles: new Map(corpus.treaties.map((treaty) => [treaty.id, treaty.articles.map((article) => article.id)])),
    themes: corpus.themes.map((theme) => theme.id),
    treaties: corpus.treaties.map((treaty) => treaty.id),
  };
}

// ---------------------------------------------------------------- vocabulary

/** ISO 3166 reserves these first letters for user-assigned codes (XAA–XZZ, QMA–QZZ); beyond, any unused letters. */
const CODE_PREFIXES = ['X', 'Q', 'J', 'W', 'Y', 'V'];

/** The synthetic state's ISO-like alpha-3 code: 0 → XAA, 1 → XAB, …, 676 → QAA. */
export function stateCode(index: number): string {
  const prefix = CODE_PREFIXES[Math.floor(index / 676)];
  if (!prefix)
    throw new Error(`no state code for index ${index} (at most ${CODE_PREFIXES.length * 676} synthetic states)`);
  const rest = index % 676;
  return `${prefix}${String.fromCharCode(65 + Math.floor(rest / 26))}${String.fromCharCode(65 + (rest % 26))}`;
}

/** CRC articles roughly in the order the Committee's recommendations cite them (the rest follow). */
const CRC_POPULARITY = [
  19, 3, 12, 2, 28, 24, 4, 20, 37, 40, 27, 39, 32, 34, 23, 9, 18, 26, 21, 6, 7, 8, 13, 15, 16, 17, 22, 29, 30, 31, 33,
  35, 36, 38, 25, 11, 10, 14, 5, 1, 42, 44, 41, 43, 45,
];

/** Themes that fit an article, by theme slug (only those the real corpus has are used). */
const ARTICLE_THEMES: Record<number, string[]> = {
  19: ['violence-against-children', 'corporal-punishment', 'child-victims-and-witnesses'],
  37: ['law-enforcement-ill-treatment', 'deprivation-of-liberty', 'juvenile-justice'],
  40: ['juvenile-justice', 'deprivation-of-liberty'],
  39: ['rehabilitation-and-reintegration', 'child-victims-and-witnesses'],
  20: ['alternative-care'],
  21: ['alternative-care'],
  9: ['alternative-care'],
  25: ['alternative-care', 'independent-monitoring'],
  4: ['general-measures', 'budgeting', 'institutional-framework'],
  42: ['general-measures', 'training-of-professionals'],
  44: ['implementation-follow-up'],
  12: ['child-participation'],
  28: ['corporal-punishment'],
  3: ['general-measures', 'institutional-framework'],
  2: ['data-collection'],
  38: ['children-in-armed-conflict'],
};

const GENERAL_THEMES = [
  'general-measures',
  'data-collection',
  'training-of-professionals',
  'budgeting',
  'independent-monitoring',
  'institutional-framework',
  'implementation-follow-up',
  'technical-assistance',
  'complaint-mechanisms',
];

const TOPICS = [
  'birth registration',
  'violence against children',
  'corporal punishment',
  'sexual exploitation and abuse',
  'children deprived of a family environment',
  'adoption',
  'children with disabilities',
  'health and health services',
  'mental health',
  'adolescent health',
  'standard of living',
  'education',
  'early childhood care',
  'juvenile justice',
  'children in street situations',
  'child labour',
  'sale and trafficking',
  'asylum-seeking and refugee children',
  'children belonging to minority groups',
  'non-discrimination',
  'best interests of the child',
  'respect for the views of the child',
  'data collection',
  'independent monitoring',
  'allocation of resources',
  'coordination',
  'dissemination and training',
  'civil society cooperation',
  'harmful practices',
  'bullying in schools',
  'online safety',
  'access to justice',
  'alternative care',
  'leisure and play',
  'environmental health',
];

const LANGUAGES = ['en', 'fr', 'es', 'ru', 'ar'];

const SENTENCES = [
  'The Committee recommends that the State party take all measures necessary to ensure that the legislation is implemented in practice',
  'and that adequate human, technical and financial resources are allocated for that purpose at the national, regional and local levels',
  'It urges the State party to establish a comprehensive system for the collection of data disaggregated by age, sex, disability, geographical location and socioeconomic background',
  'The Committee is concerned that the measures taken have not been effective and that children in rural areas continue to be disproportionately affected',
  'The State party should strengthen awareness-raising programmes for parents, teachers and professionals working with and for children',
  'and ensure that cases are promptly investigated and perpetrators brought to justice, with children provided with remedies and rehabilitation',
  'The Committee draws the attention of the State party to target 16.2 of the Sustainable Development Goals',
  'It further recommends that the State party seek technical assistance from UNICEF and other relevant agencies in this regard',
  'Taking note of target 4.1 of the Sustainable Development Goals, the Committee recommends that the State party ensure access to inclusive education',
  'The Committee welcomes the adoption of the legislative measures referred to in the report of the State party',
];

const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII'];

const CODE_TITLES = [
  'Criminal Code',
  'Code on Marriage and Family',
  'Code of Administrative Offences',
  'Education Code',
  'Social Code',
  'Criminal Procedure Code',
  'Labour Code',
  'Health Code',
];
const LAW_TITLES = [
  'On the Rights of the Child',
  'On Education',
  'On the Prevention of Domestic Violence',
  'On Juvenile Justice',
  'On Social Protection of Persons with Disabilities',
  'On Guardianship and Trusteeship',
  'On Health Care',
  'On Combating Trafficking in Persons',
  'On Special Social Services',
  'On the Ombudsman for Children',
  'On State Youth Policy',
  'On Refugees',
  'On Civil Registration',
  'On Prevention of Offences among Minors',
  'On Child Protection from Harmful Information',
  'On Local Government',
  'On Adoption',
  'On Family Support',
  'On Inclusive Education',
  'On Child Benefits',
  'On Protection of Children from Sexual Abuse',
];
const PROVISION_HEADINGS = [
  'Right to life and development',
  'Protection from violence',
  'Best interests of the child',
  'Right to be heard',
  'Non-discrimination',
  'Right to education',
  'Right to health',
  'Alternative care',
  'Juvenile offenders',
  'Definitions',
  'Duties of the state',
  'Guardianship authorities',
];

const MINISTRIES = [
  'Ministry of Education',
  'Ministry of Health',
  'Ministry of Labour and Social Protection',
  'Ministry of Internal Affairs',
  'Ministry of Justice',
  'Ministry of Finance',
  'Ministry of Culture and Sport',
  'Ministry of Foreign Affairs',
];

const MECHANISM_NAMES = [
  'Child helpline',
  'Support centres for children in difficult life situations',
  'Family-based placement',
  'Guardianship procedures',
  'Juvenile courts',
  'Inter-agency child protection commissions',
  'Inclusive education support',
  "Complaints to the children's ombudsman",
  'Birth registration outreach',
  'Child poverty benefits',
  'Case management of children at risk',
  'Monitoring of residential institutions',
  'National child-rights data system',
  'Diversion programme for juvenile offenders',
  'Early intervention services',
  'Training of police in child-friendly procedures',
  'School anti-bullying programme',
  'Coordination council for children',
  'Youth health centres',
  'Psychological support for child victims',
  'National plan of action for children',
];

const INDICATORS = [
  'Children without parental care',
  'Children in residential institutions',
  'Children placed with foster families',
  'Reported cases of violence against children',
  'Calls to the child helpline',
  'Children registered at birth',
  'Children with disabilities in mainstream schools',
  'Children in pre-trial detention',
  'Juvenile convictions',
  'Child poverty rate',
  'Under-five mortality rate',
  'Children bullied at school',
  'Parents using violent discipline',
  'Budget allocated to child protection',
  'Adoptions',
  'Child marriages registered',
  'Children out of school',
  'Children working',
];

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

// ---------------------------------------------------------------- the global part (once per corpus)

/** Sources many states cite: the kind of compilations a real editor would use besides each state's own. */
export const GLOBAL_SOURCES = {
  uhri: 'source:synthetic-universal-human-rights-index',
  treatyBodyDatabase: 'source:synthetic-treaty-body-database',
  treatyCollection: 'source:synthetic-un-treaty-collection',
};

const GLOBAL_PRIMARY_SOURCES = [GLOBAL_SOURCES.treatyBodyDatabase, GLOBAL_SOURCES.treatyCollection];

export function generateGlobal(plan: GraphPlan): void {
  const w = new PlanBuilder(plan, new Set(GLOBAL_PRIMARY_SOURCES));
  w.node('Source', {
    id: GLOBAL_SOURCES.uhri,
    kind: 'REFERENCE_COMPILATION',
    title: 'Universal Human Rights Index (synthetic)',
    publisher: 'OHCHR',
    url: 'https://uhri.ohchr.org/',
    reliability: 'SECONDARY',
  });
  w.node('Source', {
    id: GLOBAL_SOURCES.treatyBodyDatabase,
    kind: 'WEBSITE',
    title: 'UN Treaty Body Database (synthetic)',
    publisher: 'OHCHR',
    url: 'https://tbinternet.ohchr.org/',
    reliability: 'PRIMARY',
  });
  w.node('Source', {
    id: GLOBAL_SOURCES.treatyCollection,
    kind: 'WEBSITE',
    title: 'United Nations Treaty Collection (synthetic)',
    publisher: 'United Nations',
    url: 'https://treaties.un.org/',
    reliability: 'PRIMARY',
  });
}

// ---------------------------------------------------------------- one synthetic state

export interface StateSummary {
  index: number;
  id: string;
  code: string;
  crcCycles: number;
  recommendations: number;
  testedRecommendations: number;
  reiterations: number;
  answers: number;
  provisions: number;
  mechanisms: number;
}

interface RecInfo {
  id: string;
  kind: 'RECOMMENDATION' | 'CONCERN' | 'WELCOME' | 'QUESTION';
  articles: string[];
  hasSubParagraphs: boolean;
  isSubParagraph: boolean;
}

/** Generates one synthetic state into `plan`; deterministic in (seed, index). */
export function generateState(anchors: RealAnchors, seed: number, index: number, plan: GraphPlan): StateSummary {
  const rng = Random.forKey(seed, `state:${index}`);
  const w = new PlanBuilder(plan, new Set(GLOBAL_PRIMARY_SOURCES));
  const code = stateCode(index);
  const lower = code.toLowerCase();
  const stateId = `state:${code}`;
  const rich = index === 0;
  const stateName = `Synthetica ${code}`;
  const originalLanguage = rng.weighted(LANGUAGES, [5, 2, 2, 2, 1]);

  const crcArticles = orderedCrcArticles(anchors);
  const opArticles = (treaty: string) => anchors.articles.get(treaty) ?? [];
  const themeIds = new Set(anchors.themes);
  const theme = (name: string) => (themeIds.has(`theme:${name}`) ? `theme:${name}` : undefined);
  const popularArticle = () => crcArticles[rng.zipfIndex(crcArticles.length, 1.1)] as string;
  const verification = (weights: [number, number, number] = [75, 20, 5]): Verification =>
    rng.weighted<Verification>(['VERIFIED_PRIMARY', 'SECONDARY_ONLY', 'UNVERIFIED'], weights);

  // ---- the state's own sources
  const referenceSource = `source:reference-${lower}-facts`;
  const statsSource = `source:statistics-office-${lower}`;
  const papers = Array.from({ length: rng.int(2, 5) }, (_, i) => `source:paper-${lower}-${i + 1}`);
  const news = Array.from({ length: rng.int(1, 3) }, (_, i) => `source:news-${lower}-${i + 1}`);
  const ngo = Array.from({ length: rng.int(1, 2) }, (_, i) => `source:ngo-report-${lower}-${i + 1}`);
  const published = (date: string) => ({ published: date, publishedYear: yearOf(date) });
  w.node('Source', {
    id: referenceSource,
    kind: 'REFERENCE_COMPILATION',
    title: `Reference: the CRC in ${stateName}`,
    reliability: 'SECONDARY',
    ...published('2025'),
  });
  w.node('Source', {
    id: statsSource,
    kind: 'WEBSITE',
    title: `National statistics office of ${stateName}`,
    url: `https://stat.${lower}.example/`,
    reliability: 'PRIMARY',
  });
  papers.forEach((id, i) =>
    w.node('Source', {
      id,
      kind: 'PAPER',
      title: `Child protection in ${stateName}: paper ${i + 1}`,
      authors: [`Author ${code}-${i + 1}`, `Co-author ${code}-${i + 1}`],
      ...published(String(rng.int(2012, 2025))),
      reliability: 'SECONDARY',
    }),
  );
  news.forEach((id, i) =>
    w.node('Source', {
      id,
      kind: 'NEWS',
      title: `News item ${i + 1} on children in ${stateName}`,
      ...published(rng.date(rng.int(2015, 2025))),
      reliability: 'SECONDARY',
    }),
  );
  ngo.forEach((id, i) =>
    w.node('Source', {
      id,
      kind: 'NGO_PUBLICATION',
      title: `Alternative report ${i + 1} on ${stateName}`,
      ...published(String(rng.int(2010, 2025))),
      reliability: 'SECONDARY',
    }),
  );
  const secondary = [...papers, ...news, ...ngo];
  const refCite = (locator: string): Citation => ({ source: referenceSource, locator });
  const secondaryCite = (): Citation => ({
    source: rng.pick(secondary),
    locator: rng.pick(['Introduction', 'Legal framework', 'Practical issues', 'Conclusions', 'p. ' + rng.int(2, 40)]),
  });

  // ---- the state
  const stateEntry: SourcedEntry = {
    id: stateId,
    sources: [refCite('§2'), { source: GLOBAL_SOURCES.treatyCollection, locator: 'status of ratification' }],
    verification: 'VERIFIED_PRIMARY',
  };
  w.sourced('State', stateEntry, { iso3: code, name: stateName, officialName: `Republic of ${stateName}` });

  // ---- national law (first, so that treaty actions can name ratification acts)
  const instruments: Array<{ id: string; kind: string; inForce: string; provisions: string[] }> = [];
  const provisions: Array<{ id: string; instrument: string; articles: string[] }> = [];
  let lawNumber = rng.int(100, 400);
  const legalSource = (instrumentId: string, title: string, year: number): Citation[] => {
    if (!rng.chance(0.8)) return [secondaryCite(), refCite('§5')];
    const sourceId = `source:legaldb-${slug(instrumentId.slice('legal:'.length))}`;
    w.node('Source', {
      id: sourceId,
      kind: 'LEGAL_DATABASE',
      title: `${title} (official legal database of ${stateName})`,
      ...published(String(year)),
      url: `https://law.${lower}.example/${slug(instrumentId)}`,
      reliability: 'PRIMARY',
    });
    return rng.chance(0.5)
      ? [{ source: sourceId, locator: 'official text' }, refCite('§5')]
      : [{ source: sourceId, locator: 'official text' }];
  };
  const inForceStatus = () => rng.weighted(['IN_FORCE', 'UNKNOWN', 'REPEALED', 'NOT_YET_IN_FORCE'], [55, 30, 10, 5]);

  const addInstrument = (
    kind: string,
    idTail: string,
    title: string,
    year: number,
    provisionCount: number,
    forcedInForce?: string,
    number?: string,
  ) => {
    const id = `legal:${code}:${idTail}`;
    const adopted = rng.chance(0.05) ? null : rng.date(year);
    const entry: SourcedEntry = { id, sources: legalSource(id, title, year), verification: verification([70, 25, 5]) };
    const inForce = forcedInForce ?? inForceStatus();
    const disputed = rng.chance(0.03) && adopted !== null;
    if (disputed) entry.verification = 'DISPUTED';
    const enteredIntoForce = rng.chance(0.4) && adopted ? rng.date(Math.min(year + rng.int(0, 1), 2026)) : undefined;
    const props = {
      stateId,
      kind,
      number,
      title,
      ...(rng.chance(0.5)
        ? { titleOriginalLanguage: originalLanguage, titleOriginalText: `${title} (${originalLanguage})` }
        : {}),
      adopted,
      adoptedYear: yearOf(adopted),
      inForce,
      enteredIntoForce,
      enteredIntoForceYear: yearOf(enteredIntoForce),
      officialCode: rng.chance(0.5)
        ? `${code}${String(year).slice(2)}${String(rng.int(1, 99999)).padStart(5, '0')}_`
        : undefined,
    };
    // Drawn after the properties, as before, so that a state's graph does not depend on how this is written.
    const claims = disputed ? dateClaims(rng, adopted ?? String(year), entry.sources, secondaryCite()) : [];
    w.sourced('LegalInstrument', { ...entry, claims }, props);
    w.rel('OF_STATE', id, stateId);
    const instrument = { id, kind, inForce, provisions: [] as string[] };
    instruments.push(instrument);
    const articleNumbers = new Set<number>();
    for (let p = 0; p < provisionCount; p += 1) {
      let number = rng.int(1, 180);
      while (articleNumbers.has(number)) number += 1;
      articleNumbers.add(number);
      const articleProvision = addProvision(instrument, String(number), undefined, entry);
      if (rng.chance(0.25)) {
        for (let para = 1, count = rng.int(1, 3); para <= count; para += 1) {
          const paragraph = addProvision(instrument, String(number), String(para), entry);
          w.fact('PART_OF', paragraph, articleProvision, {
            id: paragraph,
            sources: entry.sources,
            verification: entry.verification,
          });
        }
      }
    }
    return instrument;
  };

  const addProvision = (
    instrument: { id: string; provisions: string[] },
    article: string,
    paragraph: string | undefined,
    parent: SourcedEntry,
  ): string => {
    const id = `${instrument.id}:art:${article}${paragraph ? `:para:${paragraph}` : ''}`;
    const entry: SourcedEntry = {
      id,
      sources: rng.chance(0.7)
        ? parent.sources
            .slice(0, 1)
            .map((c) => ({ ...c, locator: `art. ${article}${paragraph ? `(${paragraph})` : ''}` }))
        : [secondaryCite(), refCite('§5')],
      verification: verification([60, 35, 5]),
    };
    w.sourced('Provision', entry, {
      instrumentId: instrument.id,
      stateId,
      article,
      paragraph,
      heading: rng.chance(0.6) ? rng.pick(PROVISION_HEADINGS) : undefined,
    });
    w.rel('HAS_PROVISION', instrument.id, id);
    if (rng.chance(0.6)) {
      const versions: TextVersionFields[] = [
        {
          language: 'en',
          text: paragraphText(rng, 2),
          status: 'UNOFFICIAL_TRANSLATION',
          truncated: rng.chance(0.3),
          sources: entry.sources.slice(0, 1),
        },
      ];
      if (originalLanguage !== 'en' && rng.chance(0.5))
        versions.unshift({
          language: originalLanguage,
          text: paragraphText(rng, 2),
          status: 'OFFICIAL',
          truncated: false,
          sources: entry.sources.slice(0, 1),
        });
      w.texts('Provision', id, versions);
    }
    const articles: string[] = [];
    if (rng.chance(0.65)) {
      for (const target of distinct([popularArticle(), ...(rng.chance(0.3) ? [popularArticle()] : [])])) {
        articles.push(target);
        const own = rng.chance(0.4);
        w.fact(
          'IMPLEMENTS',
          id,
          target,
          entry,
          own
            ? {
                sources: [refCite('§5, implementation table')],
                verification: 'SECONDARY_ONLY',
                note: 'assessed by the editors',
              }
            : {},
          {
            extent: rng.weighted(['FULL', 'PARTIAL', 'DECLARATIVE_ONLY'], [30, 50, 20]),
            mergedWith: rng.chance(0.1) ? [popularArticle()] : [],
          },
        );
      }
    }
    instrument.provisions.push(id);
    provisions.push({ id, instrument: instrument.id, articles });
    return id;
  };

  const baseYear = rng.int(1991, 1999);
  addInstrument(
    'CONSTITUTION',
    `constitution:${baseYear + rng.int(-3, 4)}`,
    `Constitution of ${stateName}`,
    baseYear,
    rng.int(2, 5),
    'IN_FORCE',
  );
  const codes = rng.sample(CODE_TITLES, rich ? 5 : rng.int(2, 5));
  const lawId = () => `${lawNumber++}-${rng.pick(ROMAN)}`;
  for (const title of codes) {
    const number = lawId();
    addInstrument('CODE', `code:${number}`, title, rng.int(baseYear, 2024), rng.int(3, 9), undefined, number);
  }
  const laws = rng.sample(LAW_TITLES, rich ? 18 : rng.int(7, 16)).map((title) => {
    const number = lawId();
    return addInstrument(
      'LAW',
      `law:${number}`,
      title,
      rng.int(baseYear, 2025),
      rng.chance(0.65) ? rng.int(1, 6) : 0,
      undefined,
      number,
    );
  });
  for (let i = 0, n = rich ? 10 : rng.int(3, 8); i < n; i += 1) {
    const year = rng.int(2000, 2025);
    const number = `${rng.int(1, 999)}-${i}`;
    const resolution = addInstrument(
      'GOVERNMENT_RESOLUTION',
      `gov-resolution:${number}-${year}`,
      `Government Resolution on ${rng.pick(TOPICS)}`,
      year,
      0,
      undefined,
      number,
    );
    if (rng.chance(0.5)) {
      const basis = rng.chance(0.5) && provisions.length > 0 ? rng.pick(provisions).id : rng.pick(laws).id;
      w.fact('ISSUED_UNDER', resolution.id, basis, {
        id: resolution.id,
        sources: [refCite('§5')],
        verification: 'SECONDARY_ONLY',
      });
    }
  }
  for (let i = 0, n = rich ? 6 : rng.int(2, 5); i < n; i += 1) {
    const year = rng.int(2005, 2025);
    const number = `${rng.int(1, 2000)}-${i}`;
    const order = addInstrument(
      'MINISTERIAL_ORDER',
      `ministry-order:${number}-${year}`,
      `Order of the ${rng.pick(MINISTRIES)} on ${rng.pick(TOPICS)}`,
      year,
      0,
      undefined,
      number,
    );
    if (rng.chance(0.6))
      w.fact('ISSUED_UNDER', order.id, rng.pick(laws).id, {
        id: order.id,
        sources: [refCite('§5')],
        verification: 'SECONDARY_ONLY',
      });
  }
  for (let i = 0, n = rng.int(1, 3); i < n; i += 1)
    addInstrument(
      'POLICY',
      `policy:national-plan-${i + 1}`,
      `National plan of action for children ${i + 1}`,
      rng.int(2005, 2025),
      0,
    );
  for (const law of laws) {
    if (rng.chance(0.15)) {
      const amended = rng.pick(laws);
      if (amended.id !== law.id) {
        const date = rng.date(rng.int(2005, 2025));
        w.fact(
          'AMENDS',
          law.id,
          amended.id,
          { id: law.id, sources: [refCite('§5')], verification: 'SECONDARY_ONLY' },
          {},
          { date, year: yearOf(date) },
        );
      }
    }
  }

  // ---- treaty actions (with ratification acts)
  const ratified: string[] = [];
  for (const treaty of anchors.treaties) {
    const short = treaty.slice('treaty:'.length);
    const probability = short === 'CRC' ? 1 : short === 'OPIC' ? 0.4 : 0.85;
    if (!rich && !rng.chance(probability)) continue;
    ratified.push(treaty);
    const year = short === 'CRC' ? rng.int(1990, 1995) : rng.int(2001, 2024);
    const actNumber = lawId();
    const act = addInstrument(
      'RATIFICATION_ACT',
      `law:${actNumber}`,
      `On ratification of the ${short}`,
      year,
      0,
      'IN_FORCE',
      actNumber,
    );
    const kinds: Array<[string, string, number]> = [
      ['signature', 'SIGNATURE', 0.9],
      [rng.chance(0.85) ? 'ratification' : 'accession', '', 1],
      ['deposit', 'DEPOSIT', 0.7],
      ['entry-into-force', 'ENTRY_INTO_FORCE', 0.8],
      ['reservation', 'RESERVATION', 0.08],
    ];
    for (const [tail, explicitKind, probabilityOfAction] of kinds) {
      if (!rng.chance(probabilityOfAction)) continue;
      const kind = explicitKind || tail.toUpperCase();
      const id = `action:${code}:${short}:${tail}`;
      const known = rng.chance(0.85);
      const date = known ? rng.date(year, 'day') : null;
      const entry: SourcedEntry = known
        ? {
            id,
            sources: [{ source: GLOBAL_SOURCES.treatyCollection, locator: `${short} status` }, refCite('§2')],
            verification: 'VERIFIED_PRIMARY',
          }
        : {
            id,
            sources: [refCite('§2; §7')],
            verification: 'UNVERIFIED',
            note: 'Loaded so that the gap is visible: the date was not found.',
          };
      w.sourced('TreatyAction', entry, {
        stateId,
        treatyId: treaty,
        kind,
        date,
        year: yearOf(date),
        place: kind === 'SIGNATURE' ? 'New York' : undefined,
      });
      w.fact('TOOK_ACTION', stateId, id, entry);
      w.fact('ON_TREATY', id, treaty, entry);
      if (kind === 'RATIFICATION' || kind === 'ACCESSION') w.fact('BY_ACT', id, act.id, entry);
    }
  }

  // ---- bodies
  const bodies: Array<{ id: string; status: string; kind: string }> = [];
  const usedBodySlugs = new Set<string>();
  const addBody = (name: string, kind: string, level: string, parent?: string) => {
    let bodySlug = slug(name);
    for (let n = 2; usedBodySlugs.has(bodySlug); n += 1) bodySlug = `${slug(name)}-${n}`;
    usedBodySlugs.add(bodySlug);
    const id = `body:${code}:${bodySlug}`;
    const status = rng.weighted(['ACTIVE', 'PROPOSED', 'ABOLISHED'], [88, 7, 5]);
    const entry: SourcedEntry = {
      id,
      sources: rng.chance(0.5) ? [refCite('§5'), secondaryCite()] : [secondaryCite()],
      verification: verification([55, 40, 5]),
    };
    const established = rng.chance(0.5) ? rng.date(rng.int(1992, 2024)) : undefined;
    w.sourced('Body', entry, {
      stateId,
      name,
      ...(rng.chance(0.4)
        ? { nameOriginalLanguage: originalLanguage, nameOriginalText: `${name} (${originalLanguage})` }
        : {}),
      kind,
      level,
      status,
      established,
      establishedYear: yearOf(established),
      description: rng.chance(0.5) ? `${name}: ${rng.pick(SENTENCES).toLowerCase()}.` : undefined,
    });
    w.rel('OF_STATE', id, stateId);
    if (parent) w.fact('PART_OF', id, parent, entry);
    const legalTargets = () =>
      rng.chance(0.6) && provisions.length > 0 ? rng.pick(provisions).id : rng.pick(instruments).id;
    if (rng.chance(0.35))
      w.fact(
        'ESTABLISHED_BY',
        id,
        legalTargets(),
        entry,
        rng.chance(0.3) ? { sources: [refCite('§5')], verification: 'VERIFIED_PRIMARY' } : {},
      );
    if (rng.chance(0.55))
      for (const target of distinct(Array.from({ length: rng.int(1, 2) }, legalTargets)))
        w.fact('MANDATED_BY', id, target, entry);
    bodies.push({ id, status, kind });
    return id;
  };
  const government = addBody(`Government of ${stateName}`, 'GOVERNMENT', 'NATIONAL');
  addBody(`Parliament of ${stateName}`, 'PARLIAMENT', 'NATIONAL');
  const ministries = rng
    .sample(MINISTRIES, rich ? 7 : rng.int(3, 7))
    .map((name) => addBody(name, 'MINISTRY', 'NATIONAL', government));
  for (let i = 0, n = rng.int(1, 3); i < n; i += 1)
    addBody(
      `Committee for the Protection of Children's Rights ${i + 1}`,
      'COMMITTEE',
      'NATIONAL',
      rng.pick(ministries),
    );
  addBody("Children's Ombudsman", 'OMBUDSMAN', 'NATIONAL');
  if (rng.chance(0.5)) addBody('Regional ombudsman offices', 'OMBUDSMAN', 'REGIONAL');
  addBody('Juvenile police', 'POLICE', 'LOCAL', rng.pick(ministries));
  addBody('Prosecutor General', 'PROSECUTOR', 'NATIONAL');
  for (let i = 0, n = rng.int(1, 3); i < n; i += 1) addBody(`Specialised juvenile court ${i + 1}`, 'COURT', 'REGIONAL');
  for (let i = 0, n = rich ? 5 : rng.int(2, 5); i < n; i += 1)
    addBody(`Guardianship authority of region ${i + 1}`, 'LOCAL_AUTHORITY', 'LOCAL');
  for (let i = 0, n = rng.int(1, 4); i < n; i += 1)
    addBody(`Family support centre ${i + 1}`, 'SERVICE_PROVIDER', 'REGIONAL');
  for (let i = 0, n = rng.int(1, 3); i < n; i += 1) addBody(`Child rights coalition ${i + 1}`, 'NGO', 'NATIONAL');

  // ---- mechanisms
  const mechanisms: Array<{ id: string; articles: string[] }> = [];
  for (const [i, name] of rng.sample(MECHANISM_NAMES, rich ? 20 : rng.int(10, 20)).entries()) {
    const id = `mechanism:${code}:${slug(name)}`;
    const status = rng.weighted(['OPERATIONAL', 'PARTIAL', 'PLANNED', 'ABSENT', 'DEFUNCT'], [40, 30, 12, 10, 8]);
    const entry: SourcedEntry = {
      id,
      sources: rng.chance(0.4) ? [refCite('§5'), secondaryCite()] : [secondaryCite()],
      verification: verification([40, 55, 5]),
    };
    const since =
      status !== 'PLANNED' && status !== 'ABSENT' && rng.chance(0.5) ? rng.date(rng.int(1995, 2024)) : undefined;
    const grounded = rng.weighted([0, 1, 2], [30, 50, 20]);
    // As the loader writes it: IDENTIFIED with a basis; without one, the sources either say there is none or are silent.
    const legalBasis = grounded > 0 ? 'IDENTIFIED' : rng.chance(0.5) ? 'NONE' : 'NOT_IDENTIFIED';
    w.sourced('Mechanism', entry, {
      stateId,
      name,
      kind: rng.pick(MechanismEntry.shape.kind.options),
      status,
      legalBasis,
      description: `${name} (${i + 1}): ${rng.pick(SENTENCES).toLowerCase()}.`,
      since,
      sinceYear: yearOf(since),
    });
    w.rel('OF_STATE', id, stateId);
    const runBy = rng.weighted([1, 2, 0], [85, 10, 5]);
    for (const body of rng.sample(bodies, runBy)) w.fact('RUN_BY', id, body.id, entry);
    for (let g = 0; g < grounded; g += 1) {
      const target = rng.chance(0.6) && provisions.length > 0 ? rng.pick(provisions).id : rng.pick(instruments).id;
      w.fact('GROUNDED_IN', id, target, entry);
    }
    const articles = distinct(Array.from({ length: rng.int(1, 3) }, popularArticle));
    for (const article of articles)
      w.fact(
        'GIVES_EFFECT_TO',
        id,
        article,
        entry,
        rng.chance(0.3) ? { note: "the editors' reading of the article" } : {},
      );
    mechanisms.push({ id, articles });
  }

  // ---- reporting: documents and the Committee's paragraphs
  const documents: string[] = [];
  const recs: RecInfo[] = [];
  let reiterations = 0;
  interface DocumentContext {
    id: string;
    symbol: string;
    date: string | null;
    cycle: string;
    year: number;
    language: string;
    /** The source that is the document itself (or the database that lists it). */
    source: string;
  }
  const addDocument = (
    symbol: string,
    kind: string,
    title: string,
    committee: string,
    treaty: string | undefined,
    cycle: string | undefined,
    year: number,
    respondsTo: string[],
    session?: number,
  ): DocumentContext => {
    const id = `doc:${symbol}`;
    const hasDate = rng.chance(0.85);
    const date = hasDate ? rng.date(year, 'day') : null;
    let sources: Citation[];
    if (rng.chance(0.9)) {
      const sourceId = `source:un-${slug(symbol.replace(/\./g, '-'))}`;
      w.node('Source', {
        id: sourceId,
        kind: 'UN_DOCUMENT',
        title: `${symbol}: ${title}`,
        publisher: 'United Nations',
        published: date ?? String(year),
        publishedYear: int(year),
        url: `https://docs.un.org/en/${symbol}`,
        reliability: 'PRIMARY',
      });
      w.rel('IS_DOCUMENT', sourceId, id);
      sources = [{ source: sourceId, locator: 'symbol and title', quote: symbol }];
    } else {
      sources = [{ source: GLOBAL_SOURCES.treatyBodyDatabase, locator: `${committee} ${code}` }, refCite('§3')];
    }
    const entry: SourcedEntry = {
      id,
      sources,
      verification: sources[0]?.source.startsWith('source:un-') ? 'VERIFIED_PRIMARY' : 'SECONDARY_ONLY',
    };
    const received = kind === 'STATE_REPORT' && rng.chance(0.6) ? rng.date(year, 'day') : undefined;
    w.sourced('Document', entry, {
      symbol,
      kind,
      title,
      committee,
      treatyId: treaty,
      stateId,
      cycle,
      date,
      year: int(year),
      received,
      receivedYear: yearOf(received),
      session: session !== undefined ? int(session) : undefined,
      originalLanguage: kind === 'STATE_REPORT' || kind === 'REPLIES_TO_LIST_OF_ISSUES' ? originalLanguage : 'en',
    });
    if (treaty) w.fact('UNDER_TREATY', id, treaty, entry);
    w.fact('CONCERNS_STATE', id, stateId, entry);
    for (const target of respondsTo) w.fact('RESPONDS_TO', id, target, entry);
    documents.push(id);
    return {
      id,
      symbol,
      date,
      cycle: cycle ?? '',
      year,
      language: originalLanguage,
      source: sources[0]?.source ?? GLOBAL_SOURCES.treatyBodyDatabase,
    };
  };

  const addRecommendation = (
    doc: DocumentContext,
    paragraph: number,
    kind: RecInfo['kind'],
    articles: string[],
    themes: string[],
    options: { subParagraph?: string; partOf?: string; reiterates?: string; topic: string },
  ): RecInfo => {
    const id = `rec:${doc.symbol}:${paragraph}${options.subParagraph ? `(${options.subParagraph})` : ''}`;
    const locator = `para. ${paragraph}${options.subParagraph ? `(${options.subParagraph})` : ''}`;
    const sources: Citation[] = [{ source: doc.source, locator }];
    if (rng.chance(0.4)) sources.push({ source: GLOBAL_SOURCES.uhri, locator: `${doc.symbol}, ${locator}` });
    if (rng.chance(0.5)) sources.push(refCite(`§4, ${locator}`));
    if (rng.chance(0.05)) sources.push(secondaryCite());
    const entry: SourcedEntry = {
      id,
      sources,
      verification: rng.weighted<Verification>(['VERIFIED_PRIMARY', 'SECONDARY_ONLY', 'UNVERIFIED'], [80, 15, 5]),
    };
    if (entry.verification !== 'VERIFIED_PRIMARY') entry.note = 'Read only as quoted by a secondary source.';
    const summary = `${kind === 'QUESTION' ? 'Asks about' : kind === 'WELCOME' ? 'Welcomes progress on' : kind === 'CONCERN' ? 'Concern about' : 'Strengthen action on'} ${options.topic}`;
    w.sourced('Recommendation', entry, {
      documentId: doc.id,
      documentSymbol: doc.symbol,
      documentDate: doc.date,
      cycle: doc.cycle,
      year: int(doc.year),
      stateId,
      paragraph: int(paragraph),
      subParagraph: options.subParagraph,
      kind,
      summary,
    });
    const textSources = sources.slice(0, 1);
    const versions: TextVersionFields[] = [
      {
        language: 'en',
        text: paragraphText(rng, options.subParagraph ? 1 : 3),
        status: rng.chance(0.85) ? 'OFFICIAL' : 'ADVANCE_UNEDITED',
        truncated: rng.chance(0.1),
        sources: textSources,
      },
    ];
    if (doc.language !== 'en' && rng.chance(0.25))
      versions.push({
        language: doc.language,
        text: paragraphText(rng, options.subParagraph ? 1 : 3),
        status: 'OFFICIAL',
        truncated: false,
        sources: textSources,
      });
    w.texts('Recommendation', id, versions);
    w.fact('ISSUED_IN', id, doc.id, entry);
    w.fact('ADDRESSED_TO', id, stateId, entry);
    if (options.partOf) w.fact('PART_OF', id, options.partOf, entry);
    articles.forEach((article, i) =>
      w.fact(
        'CONCERNS',
        id,
        article,
        entry,
        i > 0 && rng.chance(0.5)
          ? { verification: 'SECONDARY_ONLY', note: 'tagged by the editors from the subject matter' }
          : {},
      ),
    );
    for (const t of themes) w.fact('HAS_THEME', id, t, entry);
    if (options.reiterates) {
      w.fact(
        'REITERATES',
        id,
        options.reiterates,
        entry,
        rng.chance(0.5)
          ? { verification: 'SECONDARY_ONLY', note: 'the Committee reiterates its previous recommendation' }
          : {},
      );
      reiterations += 1;
    }
    const info: RecInfo = { id, kind, articles, hasSubParagraphs: false, isSubParagraph: Boolean(options.partOf) };
    recs.push(info);
    return info;
  };

  const themesFor = (article: string): string[] => {
    const number = Number(article.split(':').pop());
    const specific = (ARTICLE_THEMES[number] ?? []).map(theme).filter((t): t is string => t !== undefined);
    const general = GENERAL_THEMES.map(theme).filter((t): t is string => t !== undefined);
    const chosen = [
      specific.length > 0 && rng.chance(0.8)
        ? rng.pick(specific)
        : rng.pick(general.length > 0 ? general : anchors.themes),
    ];
    if (rng.chance(0.4)) chosen.push(rng.pick(anchors.themes));
    return distinct(chosen.filter((t): t is string => t !== undefined));
  };

  /** The concluding observations' paragraphs: welcomes, then thematic clusters of concern + recommendation. */
  const concludingObservations = (
    doc: DocumentContext,
    previous: RecInfo[],
    articlesPool: string[],
    rank: (pool: string[]) => string,
    clusters: number,
  ) => {
    const recommendationsHere: RecInfo[] = [];
    const reiterable = new Set(previous.filter((r) => r.kind === 'RECOMMENDATION').map((r) => r.id));
    let paragraph = rng.int(3, 5);
    for (let i = 0, n = rng.int(2, 5); i < n; i += 1)
      addRecommendation(doc, paragraph++, 'WELCOME', [rank(articlesPool)], themesFor(rank(articlesPool)), {
        topic: rng.pick(TOPICS),
      });
    for (let c = 0; c < clusters; c += 1) {
      const primary = rank(articlesPool);
      const topic = rng.pick(TOPICS);
      const articles = distinct([
        primary,
        ...(rng.chance(0.6) ? [rank(articlesPool)] : []),
        ...(rng.chance(0.2) ? [rank(articlesPool)] : []),
      ]);
      const themes = themesFor(primary);
      if (rng.chance(0.8)) addRecommendation(doc, paragraph++, 'CONCERN', articles, themes, { topic });
      // "The Committee reiterates its previous recommendation": most often on the same article.
      let reiterates: string | undefined;
      if (reiterable.size > 0 && rng.chance(0.3)) {
        const sameArticle = previous.filter((r) => reiterable.has(r.id) && r.articles[0] === primary);
        const candidate =
          sameArticle.length > 0 ? rng.pick(sameArticle).id : rng.chance(0.4) ? rng.pick([...reiterable]) : undefined;
        if (candidate) {
          reiterates = candidate;
          reiterable.delete(candidate);
        }
      }
      const main = addRecommendation(doc, paragraph, 'RECOMMENDATION', articles, themes, { topic, reiterates });
      recommendationsHere.push(main);
      if (rng.chance(0.3)) {
        main.hasSubParagraphs = true;
        for (let s = 0, n = rng.int(2, 5); s < n; s += 1) {
          const sub = addRecommendation(
            doc,
            paragraph,
            'RECOMMENDATION',
            rng.chance(0.7) ? [primary] : distinct([primary, rank(articlesPool)]),
            rng.chance(0.5) ? themes : themesFor(primary),
            {
              subParagraph: String.fromCharCode(97 + s),
              partOf: main.id,
              topic,
            },
          );
          recommendationsHere.push(sub);
        }
      }
      paragraph += 1;
    }
    return recommendationsHere;
  };

  const crcRank = () => popularArticle();
  const cycles = rich ? 5 : rng.weighted([2, 3, 4, 5], [15, 35, 35, 15]);
  const inProgress = rich || rng.chance(0.5);
  let previousRecs: RecInfo[] = [];
  let cycleNumber = 1;
  let year = rng.int(1993, 2000);
  let session = 5 + Math.floor((year - 1993) * 3);
  for (let cycleIndex = 0; cycleIndex < cycles + (inProgress ? 1 : 0); cycleIndex += 1) {
    const combined = cycleIndex > 0 && rng.chance(0.5);
    const cycle = combined ? `${cycleNumber}-${cycleNumber + 1}` : String(cycleNumber);
    cycleNumber += combined ? 2 : 1;
    const ordinal = cycleIndex === 0 ? 'initial' : combined ? 'combined periodic' : 'periodic';
    const report = addDocument(
      `CRC/C/${code}/${cycle}`,
      'STATE_REPORT',
      `${ordinal} report of ${stateName} (cycle ${cycle})`,
      'CRC',
      'treaty:CRC',
      cycle,
      year,
      [],
    );
    const listYear = year + 1;
    const list = addDocument(
      `CRC/C/${code}/Q/${cycle}`,
      'LIST_OF_ISSUES',
      `List of issues in relation to the ${ordinal} report of ${stateName}`,
      'CRC',
      'treaty:CRC',
      cycle,
      listYear,
      [report.id],
    );
    for (let q = 1, n = rng.int(10, 22); q <= n; q += 1) {
      const article = crcRank();
      addRecommendation(list, q, 'QUESTION', [article], themesFor(article).slice(0, 1), { topic: rng.pick(TOPICS) });
    }
    const isCurrent = cycleIndex === cycles;
    if (isCurrent) break;
    addDocument(
      `CRC/C/${code}/Q/${cycle}/Add.1`,
      'REPLIES_TO_LIST_OF_ISSUES',
      `Replies of ${stateName} to the list of issues`,
      'CRC',
      'treaty:CRC',
      cycle,
      listYear,
      [list.id],
    );
    const coYear = year + rng.int(2, 3);
    session += rng.int(8, 14);
    const co = addDocument(
      `CRC/C/${code}/CO/${cycle}`,
      'CONCLUDING_OBSERVATIONS',
      `Concluding observations on the ${ordinal} report of ${stateName}`,
      'CRC',
      'treaty:CRC',
      cycle,
      coYear,
      [report.id],
      session,
    );
    previousRecs = concludingObservations(co, previousRecs, crcArticles, crcRank, rich ? 22 : rng.int(12, 20));
    year = coYear + rng.int(4, 6);
  }

  for (const protocol of ['treaty:OPAC', 'treaty:OPSC']) {
    if (!ratified.includes(protocol) || !rng.chance(0.85)) continue;
    const short = protocol.slice('treaty:'.length);
    const reportYear = rng.int(2004, 2018);
    const report = addDocument(
      `CRC/C/${short}/${code}/1`,
      'STATE_REPORT',
      `Initial report of ${stateName} under the ${short}`,
      'CRC',
      protocol,
      '1',
      reportYear,
      [],
    );
    const coYear = reportYear + rng.int(2, 3);
    const co = addDocument(
      `CRC/C/${short}/${code}/CO/1`,
      'CONCLUDING_OBSERVATIONS',
      `Concluding observations on the initial report of ${stateName} under the ${short}`,
      'CRC',
      protocol,
      '1',
      coYear,
      [report.id],
      session,
    );
    const pool = opArticles(protocol);
    if (pool.length > 0) concludingObservations(co, [], pool, (p) => rng.pick(p), rng.int(4, 8));
  }
  for (const [committee, kind, probability] of [
    ['CCPR', 'CONCLUDING_OBSERVATIONS', 0.6],
    ['CERD', 'CONCLUDING_OBSERVATIONS', 0.4],
    ['HRI', 'COMMON_CORE_DOCUMENT', 0.7],
    ['UPR', 'UPR_OUTCOME', 0.8],
  ] as const) {
    if (!rng.chance(probability)) continue;
    const docYear = rng.int(2010, 2025);
    const symbol =
      committee === 'HRI'
        ? `HRI/CORE/${code}/${docYear}`
        : committee === 'UPR'
          ? `UPR-${code}-cycle-${rng.int(2, 4)}-outcome`
          : `${committee}/C/${code}/CO/${rng.int(2, 4)}`;
    addDocument(
      symbol,
      kind,
      `${committee} document on ${stateName}`,
      committee,
      undefined,
      committee === 'HRI' ? undefined : String(rng.int(2, 4)),
      docYear,
      [],
    );
  }

  // ---- what answers which recommendation (many are answered by nothing)
  const tested = recs.filter((r) => r.kind === 'RECOMMENDATION' && !r.hasSubParagraphs);
  let answers = 0;
  for (const rec of tested) {
    if (!rng.chance(0.35)) continue;
    for (let a = 0, n = rng.weighted([1, 2], [80, 20]); a < n; a += 1) {
      const type = rng.weighted(['mechanism', 'law', 'body'], [50, 35, 15]);
      let by: string;
      if (type === 'mechanism') {
        const fitting = mechanisms.filter((m) => m.articles.some((article) => rec.articles.includes(article)));
        by = (fitting.length > 0 && rng.chance(0.7) ? rng.pick(fitting) : rng.pick(mechanisms)).id;
      } else if (type === 'law') {
        const fitting = provisions.filter((p) => p.articles.some((article) => rec.articles.includes(article)));
        by =
          fitting.length > 0 && rng.chance(0.7)
            ? rng.pick(fitting).id
            : rng.chance(0.5) && provisions.length > 0
              ? rng.pick(provisions).id
              : rng.pick(instruments).id;
      } else {
        by = rng.pick(bodies).id;
      }
      const date = rng.chance(0.5) ? rng.date(rng.int(2005, 2025)) : undefined;
      const answerVerification = verification([40, 50, 10]);
      const sources = rng.chance(0.5) ? [secondaryCite(), refCite('§4')] : [secondaryCite()];
      // Drawn in the order the generator has always drawn them, so that a state's graph stays the same.
      const extent = rng.weighted(['FULL', 'PARTIAL', 'FORMAL_ONLY'], [20, 55, 25]);
      const note = rng.chance(0.5)
        ? "The link between the answer and the recommendation is the editors' judgement."
        : undefined;
      w.ownFact(
        'ANSWERS',
        by,
        rec.id,
        { sources, verification: answerVerification, note },
        { extent, date, year: yearOf(date) },
      );
      answers += 1;
    }
  }

  // ---- evidence: statistics and findings
  const statistics: string[] = [];
  const usedStatIds = new Set<string>();
  for (let i = 0, n = rich ? 60 : rng.int(25, 55); i < n; i += 1) {
    const indicator = rng.pick(INDICATORS);
    const statYear = rng.int(2008, 2025);
    let id = `stat:${code}:${slug(indicator)}-${statYear}`;
    for (let k = 2; usedStatIds.has(id); k += 1) id = `stat:${code}:${slug(indicator)}-${statYear}-${k}`;
    usedStatIds.add(id);
    const entry: SourcedEntry = {
      id,
      sources: rng.chance(0.5) ? [{ source: statsSource, locator: `table ${rng.int(1, 40)}` }] : [secondaryCite()],
      verification: verification([45, 50, 5]),
    };
    w.sourced('Statistic', entry, {
      stateId,
      indicator,
      value: Math.round(rng.next() * 100000) / 10,
      unit: rng.pick(['children', 'per cent', 'per 1,000 live births', 'cases', 'national currency (millions)']),
      year: int(statYear),
      scope: rng.chance(0.8) ? 'national' : `region ${rng.int(1, 12)}`,
    });
    w.rel('OF_STATE', id, stateId);
    const about = distinct([
      popularArticle(),
      ...(rng.chance(0.4) ? [rng.pick(mechanisms).id] : []),
      ...(rng.chance(0.15) ? [rng.pick(bodies).id] : []),
      ...(rng.chance(0.15) ? [rng.pick(instruments).id] : []),
      ...(rng.chance(0.2) && tested.length > 0 ? [rng.pick(tested).id] : []),
      ...(rng.chance(0.05) ? [stateId] : []),
    ]);
    for (const target of about) w.fact('ABOUT', id, target, entry);
    statistics.push(id);
  }
  for (let i = 0, n = rich ? 35 : rng.int(15, 32); i < n; i += 1) {
    const kind = rng.weighted(['GAP', 'DISCREPANCY', 'PROGRESS', 'CORRECTION'], [55, 20, 20, 5]);
    const topic = rng.pick(TOPICS);
    const id = `finding:${code}:${slug(topic)}-${kind.toLowerCase()}-${i + 1}`;
    const entry: SourcedEntry = {
      id,
      sources: [secondaryCite(), ...(rng.chance(0.3) ? [secondaryCite()] : [])],
      verification: rng.weighted<Verification>(['SECONDARY_ONLY', 'VERIFIED_PRIMARY', 'UNVERIFIED'], [70, 25, 5]),
    };
    w.sourced('Finding', entry, {
      stateId,
      title: `${kind === 'PROGRESS' ? 'Progress' : 'A gap'} in ${topic}`,
      summary: paragraphText(rng, 2),
      kind,
    });
    w.rel('OF_STATE', id, stateId);
    const pool: string[] = [
      popularArticle(),
      (provisions.length > 0 ? rng.pick(provisions) : rng.pick(instruments)).id,
      rng.pick(instruments).id,
      rng.pick(mechanisms).id,
      rng.pick(bodies).id,
      ...(tested.length > 0 ? [rng.pick(tested).id] : []),
      rng.pick(documents),
    ];
    for (const target of distinct(rng.sample(pool, rng.int(1, 5)))) w.fact('ABOUT', id, target, entry);
    for (const statistic of rng.sample(statistics, rng.weighted([0, 1, 2, 3, 4], [40, 25, 15, 10, 10])))
      w.fact('SUPPORTED_BY', id, statistic, entry);
  }

  return {
    index,
    id: stateId,
    code,
    crcCycles: cycles,
    recommendations: recs.length,
    testedRecommendations: tested.length,
    reiterations,
    answers,
    provisions: provisions.length,
    mechanisms: mechanisms.length,
  };
}

// ---------------------------------------------------------------- small helpers

function orderedCrcArticles(anchors: RealAnchors): string[] {
  const all = anchors.articles.get('treaty:CRC') ?? [];
  const byNumber = new Map(all.map((id) => [Number(id.split(':').pop()), id]));
  const ordered = CRC_POPULARITY.map((n) => byNumber.get(n)).filter((id): id is string => id !== undefined);
  return [...ordered, ...all.filter((id) => !ordered.includes(id))];
}

function distinct<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function paragraphText(rng: Random, sentences: number): string {
  return Array.from({ length: sentences }, () => rng.pick(SENTENCES)).join('; ') + '.';
}

/** A disputed date: the accepted value and a rejected one, each with its own source. */
function dateClaims(rng: Random, accepted: string, sources: Citation[], other: Citation): Claim[] {
  const rejectedYear = Number(accepted.slice(0, 4)) + (rng.chance(0.5) ? 1 : -1);
  return [
    { field: 'date', value: accepted, status: 'ACCEPTED', sources: sources.slice(0, 1) },
    {
      field: 'date',
      value: `${rejectedYear}${accepted.slice(4)}`,
      status: 'REJECTED',
      sources: [other],
      note: 'A secondary source gives another year.',
    },
  ];
}
