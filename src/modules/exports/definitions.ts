import { treatyId } from '../common/resolvers';
import { ExportsRepository, type UhriTags } from './repository';
import {
  connectionPages,
  dataOf,
  exportRefusal,
  variablesOf,
  type Cell,
  type Column,
  type ExportArguments,
  type ExportContext,
  type ExportDefinition,
  type ExportParameter,
} from './run-export';

/**
 * The exports, one definition each: its parameters (the GraphQL field's arguments, same names), its columns,
 * and how it reads its rows through the API. Adding an export is adding a definition to EXPORTS: the HTTP
 * route, the CLI, the file name and the README's parameter list follow from it.
 */

// ——— What the operations select, shared by the definitions ———

interface TextVersion {
  language: string;
  text: string;
  truncated: boolean;
}

interface ExportRecommendation {
  id: string;
  label: string;
  kind: string;
  cycle: string | null;
  year: number | null;
  document: { symbol: string | null; committee: string; date: string | null; treaty: { id: string } | null };
  addressedTo: { name: string };
  texts: TextVersion[];
  themes: Array<{ name: string }>;
  articles: Array<{ article: { number: number; treaty: { shortName: string } }; linkBasis: string }>;
}

const RECOMMENDATION_FIELDS = /* GraphQL */ `
  fragment ExportRecommendationFields on Recommendation {
    id
    label
    kind
    cycle
    year
    document {
      symbol
      committee
      date
      treaty {
        id
      }
    }
    addressedTo {
      name
    }
    texts {
      language
      text
      truncated
    }
    themes {
      name
    }
    articles {
      article {
        number
        treaty {
          shortName
        }
      }
      linkBasis
    }
  }
`;

/**
 * A recommendation's theme names for a cell, each once: a paragraph both curated and imported has the
 * editors' themes and UHRI's, separate vocabularies that often share a name ("Corporal punishment"), which a
 * cell of names would otherwise show twice. The GraphQL field keeps both themes (they are different nodes).
 */
export function themeNames(themes: ReadonlyArray<{ name: string }>): string[] {
  return [...new Set(themes.map((theme) => theme.name))];
}

/** The text a spreadsheet shows: the English one where there is one (UHRI's language), else the first recorded. */
function mainText(recommendation: ExportRecommendation): TextVersion | undefined {
  return recommendation.texts.find((text) => text.language === 'en') ?? recommendation.texts[0];
}

/** `CRC art. 19`, with the link's basis where it is not a source's statement (e.g. `[INFERRED]`). */
function articleCell(recommendation: ExportRecommendation): string[] {
  return recommendation.articles.map(
    ({ article, linkBasis }) =>
      `${article.treaty.shortName} art. ${article.number}${linkBasis === 'STATED' ? '' : ` [${linkBasis}]`}`,
  );
}

/** The columns a UHRI export has, filled from the graph; then the ones only the graph has. */
function uhriColumns<Row>(
  pick: (row: Row) => ExportRecommendation,
  tags?: (row: Row) => UhriTags | undefined,
): Column<Row>[] {
  const columns: Column<Row>[] = [
    { header: 'Text', value: (row) => mainText(pick(row))?.text },
    { header: 'Countries Concerned', value: (row) => pick(row).addressedTo.name },
    { header: 'Reccomending Body', value: (row) => pick(row).document.committee },
    { header: 'Document Symbol', value: (row) => pick(row).document.symbol },
    { header: 'Themes', value: (row) => themeNames(pick(row).themes) },
  ];
  if (tags) {
    columns.push(
      { header: 'Affected Persons', value: (row) => tags(row)?.affectedPersons ?? [] },
      { header: 'Sdgs', value: (row) => tags(row)?.sdgs ?? [] },
    );
  }
  columns.push(
    { header: 'Document Publication Date', value: (row) => pick(row).document.date },
    { header: 'Type', value: (row) => pick(row).kind },
    { header: 'Paragraph', value: (row) => pick(row).label },
    { header: 'Recommendation Id', value: (row) => pick(row).id },
    { header: 'Cycle', value: (row) => pick(row).cycle },
    { header: 'Year', value: (row) => pick(row).year },
    { header: 'Treaty Articles', value: (row) => articleCell(pick(row)) },
    { header: 'Text Language', value: (row) => mainText(pick(row))?.language },
    { header: 'Text Is Excerpt', value: (row) => (mainText(pick(row))?.truncated ? 'yes' : 'no') },
  );
  return columns;
}

const STATE: ExportParameter = {
  name: 'state',
  description: 'the state, ISO alpha-3 code or id, e.g. KAZ',
  required: true,
};
const TREATY: ExportParameter = { name: 'treaty', description: 'the treaty (id or short name); default CRC' };
const STRICTNESS: ExportParameter = { name: 'strictness', description: 'LENIENT (default) or STRICT' };

// ——— recommendation-gaps: exactly the rows of `recommendationGaps` ———

interface GapRow {
  recommendation: ExportRecommendation;
  reasons: string[];
  explanation: string;
  answers: Array<{ extent: string; by: { id: string } }>;
  relatedMechanisms: Array<{ name: string }>;
  relatedProvisions: Array<{ id: string }>;
  relatedBodies: Array<{ name: string }>;
}

const GAP_ARGUMENTS = ['state', 'treaty', 'strictness', 'articles', 'themes', 'cycles', 'reasons'] as const;

const GAPS = /* GraphQL */ `
  query ExportRecommendationGaps(
    $state: ID!
    $treaty: ID
    $strictness: GapStrictness
    $articles: [ID!]
    $themes: [ID!]
    $cycles: [String!]
    $reasons: [GapReason!]
    $first: Int!
    $after: String
  ) {
    recommendationGaps(
      state: $state
      treaty: $treaty
      strictness: $strictness
      articles: $articles
      themes: $themes
      cycles: $cycles
      reasons: $reasons
      first: $first
      after: $after
    ) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          recommendation {
            ...ExportRecommendationFields
          }
          reasons
          explanation
          answers {
            extent
            by {
              ... on Node {
                id
              }
            }
          }
          relatedMechanisms {
            name
          }
          relatedProvisions {
            id
          }
          relatedBodies {
            name
          }
        }
      }
    }
  }
  ${RECOMMENDATION_FIELDS}
`;

function gapPages(context: ExportContext, args: ExportArguments): AsyncGenerator<GapRow[]> {
  return connectionPages<GapRow>(
    context,
    GAPS,
    variablesOf(args, GAP_ARGUMENTS),
    (data) => data.recommendationGaps as never,
    () => exportRefusal('INTERNAL_SERVER_ERROR', 'recommendationGaps returned no connection.'),
  );
}

export const recommendationGapsExport: ExportDefinition<GapRow> = {
  name: 'recommendation-gaps',
  description:
    'The recommendations to a state that lack an implementing mechanism (the rows of the GraphQL field recommendationGaps, same filters), with why.',
  parameters: [
    STATE,
    TREATY,
    STRICTNESS,
    { name: 'articles', description: 'only recommendations concerning one of these treaty article ids', list: true },
    { name: 'themes', description: 'only recommendations with one of these theme ids', list: true },
    { name: 'cycles', description: 'only recommendations of these reporting cycles, e.g. 4', list: true },
    { name: 'reasons', description: 'only gaps with one of these GapReason values', list: true },
  ],
  columns: [
    { header: 'Recommendation Id', value: (gap) => gap.recommendation.id },
    { header: 'Paragraph', value: (gap) => gap.recommendation.label },
    { header: 'Document Symbol', value: (gap) => gap.recommendation.document.symbol },
    { header: 'Reccomending Body', value: (gap) => gap.recommendation.document.committee },
    { header: 'Document Publication Date', value: (gap) => gap.recommendation.document.date },
    { header: 'Cycle', value: (gap) => gap.recommendation.cycle },
    { header: 'Year', value: (gap) => gap.recommendation.year },
    { header: 'Text', value: (gap) => mainText(gap.recommendation)?.text },
    { header: 'Text Language', value: (gap) => mainText(gap.recommendation)?.language },
    { header: 'Treaty Articles', value: (gap) => articleCell(gap.recommendation) },
    { header: 'Themes', value: (gap) => themeNames(gap.recommendation.themes) },
    { header: 'Gap Reasons', value: (gap) => gap.reasons },
    { header: 'Gap Explanation', value: (gap) => gap.explanation },
    {
      header: 'Answered In Part By',
      value: (gap) => gap.answers.map((answer) => `${answer.by.id} (${answer.extent})`),
    },
    { header: 'Related Mechanisms', value: (gap) => gap.relatedMechanisms.map((mechanism) => mechanism.name) },
    { header: 'Related Provisions', value: (gap) => gap.relatedProvisions.map((provision) => provision.id) },
    { header: 'Related Bodies', value: (gap) => gap.relatedBodies.map((body) => body.name) },
  ],
  async *rows(context, args) {
    for await (const page of gapPages(context, args)) yield* page;
  },
};

// ——— treaty-coverage: one row per article of `treatyCoverage` ———

interface CoverageRow {
  article: { id: string; number: number; title: string | null };
  bestExtent: string | null;
  implementations: Array<{
    extent: string;
    provision: { id: string } | null;
    instrument: { id: string; title: string };
  }>;
  bodies: Array<{ name: string }>;
  mechanisms: Array<{ name: string; status: string }>;
  recommendations: Array<{ id: string }>;
  openRecommendationCount: number;
  statistics: Array<{ id: string }>;
  findings: Array<{ id: string }>;
}

const COVERAGE = /* GraphQL */ `
  query ExportTreatyCoverage($treaty: ID!, $state: ID!) {
    treatyCoverage(treaty: $treaty, state: $state) {
      rows {
        article {
          id
          number
          title
        }
        bestExtent
        implementations {
          extent
          provision {
            id
          }
          instrument {
            id
            title
          }
        }
        bodies {
          name
        }
        mechanisms {
          name
          status
        }
        recommendations {
          id
        }
        openRecommendationCount
        statistics {
          id
        }
        findings {
          id
        }
      }
    }
  }
`;

export const treatyCoverageExport: ExportDefinition<CoverageRow> = {
  name: 'treaty-coverage',
  description:
    'The coverage matrix of a treaty for a state (the rows of the GraphQL field treatyCoverage): one row per article.',
  parameters: [STATE, { ...TREATY, description: 'the treaty (id or short name); default CRC' }],
  columns: [
    { header: 'Article', value: (row) => row.article.number },
    { header: 'Article Id', value: (row) => row.article.id },
    { header: 'Title', value: (row) => row.article.title },
    { header: 'Best Extent', value: (row) => row.bestExtent ?? 'NONE' },
    {
      header: 'Implemented By',
      value: (row) => row.implementations.map((i) => `${i.provision?.id ?? i.instrument.id} (${i.extent})`),
    },
    { header: 'Bodies', value: (row) => row.bodies.map((body) => body.name) },
    { header: 'Mechanisms', value: (row) => row.mechanisms.map((m) => `${m.name} (${m.status})`) },
    { header: 'Recommendations', value: (row) => row.recommendations.length },
    { header: 'Open Recommendations', value: (row) => row.openRecommendationCount },
    { header: 'Recommendation Ids', value: (row) => row.recommendations.map((r) => r.id) },
    { header: 'Statistics', value: (row) => row.statistics.length },
    { header: 'Findings', value: (row) => row.findings.length },
  ],
  async *rows(context, args) {
    const data = await dataOf<{ treatyCoverage: { rows: CoverageRow[] } }>(context, COVERAGE, {
      treaty: typeof args.treaty === 'string' ? args.treaty : 'CRC',
      state: args.state,
    });
    yield* data.treatyCoverage.rows;
  },
};

// ——— recommendations: every paragraph to a state, UHRI's columns plus articles, reiteration and gap status ———

interface StateRecommendation extends ExportRecommendation {
  subParagraphs: Array<{ id: string }>;
  reiterates: Array<{ reiterated: { label: string }; linkBasis: string }>;
  reiteratedBy: Array<{ recommendation: { label: string }; linkBasis: string }>;
}

interface RecommendationRow {
  recommendation: StateRecommendation;
  tags: UhriTags | undefined;
  gap: { status: 'GAP' | 'NOT_A_GAP' | 'NOT_TESTED'; reasons: string[]; explanation: string | null };
}

const STATE_RECOMMENDATIONS = /* GraphQL */ `
  query ExportStateRecommendations($state: ID!, $first: Int!, $after: String) {
    state(id: $state) {
      recommendations(first: $first, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            ...ExportRecommendationFields
            subParagraphs {
              id
            }
            reiterates {
              reiterated {
                label
              }
              linkBasis
            }
            reiteratedBy {
              recommendation {
                label
              }
              linkBasis
            }
          }
        }
      }
    }
  }
  ${RECOMMENDATION_FIELDS}
`;

/** `CRC/C/KAZ/CO/3, para. 37`, with the link's basis where it is not a source's statement. */
const linkLabel = (label: string, basis: string): string => (basis === 'STATED' ? label : `${label} [${basis}]`);

/**
 * Whether recommendationGaps tests a paragraph (its SDL: kind RECOMMENDATION, from a document under the
 * treaty, a sub-paragraph rather than its chapeau); the gap status of one it tests comes from the field.
 */
function isTested(recommendation: StateRecommendation, treaty: string): boolean {
  return (
    recommendation.kind === 'RECOMMENDATION' &&
    recommendation.document.treaty?.id === treaty &&
    recommendation.subParagraphs.length === 0
  );
}

export const recommendationsExport: ExportDefinition<RecommendationRow> = {
  name: 'recommendations',
  description:
    "Every paragraph addressed to a state, newest first: UHRI's columns where the graph has them, plus treaty articles, reiteration and gap status with reasons (recommendationGaps under the given treaty and strictness).",
  parameters: [STATE, { ...TREATY, description: 'the treaty whose gap test applies; default CRC' }, STRICTNESS],
  columns: [
    ...uhriColumns<RecommendationRow>(
      (row) => row.recommendation,
      (row) => row.tags,
    ),
    {
      header: 'Reiterates',
      value: (row) => row.recommendation.reiterates.map((r) => linkLabel(r.reiterated.label, r.linkBasis)),
    },
    {
      header: 'Reiterated By',
      value: (row) => row.recommendation.reiteratedBy.map((r) => linkLabel(r.recommendation.label, r.linkBasis)),
    },
    { header: 'Gap Status', value: (row) => row.gap.status },
    { header: 'Gap Reasons', value: (row) => row.gap.reasons },
    { header: 'Gap Explanation', value: (row) => row.gap.explanation },
  ],
  async *rows(context, args) {
    const state = args.state as string;
    const pages = connectionPages<StateRecommendation>(
      context,
      STATE_RECOMMENDATIONS,
      { state },
      (data) => (data.state as { recommendations: never } | null)?.recommendations ?? null,
      () =>
        exportRefusal('NOT_FOUND', `No state with id ${JSON.stringify(state)} (argument state).`, {
          argument: 'state',
        }),
    );
    // The first page first: an unknown state is NOT_FOUND before the gap analysis runs.
    const first = await pages.next();
    const gaps = new Map<string, GapRow>();
    for await (const page of gapPages(
      context,
      variablesOf(args, ['state', 'treaty', 'strictness']) as ExportArguments,
    )) {
      for (const gap of page) gaps.set(gap.recommendation.id, gap);
    }
    const treaty = treatyId(typeof args.treaty === 'string' ? args.treaty : 'CRC');
    const rowsOf = async function* (page: StateRecommendation[]): AsyncGenerator<RecommendationRow> {
      let tags: Map<string, UhriTags>;
      try {
        tags = await new ExportsRepository(context.reader()).uhriTags(page.map((r) => r.id));
      } catch (error) {
        throw context.failure(error);
      }
      for (const recommendation of page) {
        const gap = gaps.get(recommendation.id);
        yield {
          recommendation,
          tags: tags.get(recommendation.id),
          gap: gap
            ? { status: 'GAP', reasons: gap.reasons, explanation: gap.explanation }
            : { status: isTested(recommendation, treaty) ? 'NOT_A_GAP' : 'NOT_TESTED', reasons: [], explanation: null },
        };
      }
    };
    if (first.done) return;
    yield* rowsOf(first.value);
    for await (const page of pages) yield* rowsOf(page);
  },
};

// ——— follow-up-board: the rows of `followUp`, one line per recommendation and measure ———

interface BoardMeasure {
  id: string;
  title: string;
  status: string;
  plannedStart: string | null;
  dueDate: string | null;
  overdue: boolean;
  visibility: string;
  reportedBy: string;
  version: number;
  leadBody: { name: string } | null;
  lastChanged: { at: string };
  withdrawal: { by: { at: string }; reason: string } | null;
}

interface BoardRow {
  recommendation: ExportRecommendation;
  measureCount: number;
  overdueCount: number;
  measures: BoardMeasure[];
}

/** A line of the spreadsheet: a recommendation with one of its measures, or with none. */
interface BoardLine {
  row: BoardRow;
  measure: BoardMeasure | null;
}

const BOARD_ARGUMENTS = [
  'state',
  'statuses',
  'overdue',
  'leadBodies',
  'articles',
  'themes',
  'cycles',
  'documents',
  'withoutMeasure',
  'includeWithdrawn',
  'asOf',
] as const;
const BOARD_BOOLEANS = new Set(['overdue', 'withoutMeasure', 'includeWithdrawn']);

const BOARD = /* GraphQL */ `
  query ExportFollowUpBoard(
    $state: ID!
    $statuses: [MeasureStatus!]
    $overdue: Boolean
    $leadBodies: [ID!]
    $articles: [ID!]
    $themes: [ID!]
    $cycles: [String!]
    $documents: [ID!]
    $withoutMeasure: Boolean
    $includeWithdrawn: Boolean
    $asOf: Date
    $first: Int!
    $after: String
  ) {
    followUp(
      state: $state
      statuses: $statuses
      overdue: $overdue
      leadBodies: $leadBodies
      articles: $articles
      themes: $themes
      cycles: $cycles
      documents: $documents
      withoutMeasure: $withoutMeasure
      includeWithdrawn: $includeWithdrawn
      asOf: $asOf
      first: $first
      after: $after
    ) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          recommendation {
            ...ExportRecommendationFields
          }
          measureCount
          overdueCount
          measures {
            id
            title
            status
            plannedStart
            dueDate
            overdue
            visibility
            reportedBy
            version
            leadBody {
              name
            }
            lastChanged {
              at
            }
            withdrawal {
              by {
                at
              }
              reason
            }
          }
        }
      }
    }
  }
  ${RECOMMENDATION_FIELDS}
`;

/** The board's variables: `true`/`false` for its yes-or-no parameters, which a query string carries as text. */
function boardVariables(args: ExportArguments): Record<string, unknown> {
  const variables = variablesOf(args, BOARD_ARGUMENTS);
  for (const name of BOARD_BOOLEANS) {
    const value = variables[name];
    if (value === undefined) continue;
    if (value !== 'true' && value !== 'false') {
      throw exportRefusal('BAD_USER_INPUT', `Parameter "${name}" is true or false (got ${JSON.stringify(value)}).`, {
        argument: name,
      });
    }
    variables[name] = value === 'true';
  }
  return variables;
}

const measureCell =
  (value: (measure: BoardMeasure) => Cell) =>
  (line: BoardLine): Cell =>
    line.measure === null ? null : value(line.measure);

export const followUpBoardExport: ExportDefinition<BoardLine> = {
  name: 'follow-up-board',
  description:
    'The follow-up board of a state (the GraphQL field followUp, same filters): one line per recommendation and measure, and one line for each recommendation without a measure. Measures are statements by the organisation that reported them, never curated facts; internal ones appear only to editors of the state.',
  parameters: [
    STATE,
    { name: 'statuses', description: 'only measures with one of these statuses (PLANNED, IN_PROGRESS, …)', list: true },
    { name: 'overdue', description: 'true: only overdue measures; false: only those not overdue' },
    { name: 'leadBodies', description: 'only measures led by one of these body ids', list: true },
    { name: 'articles', description: 'only recommendations concerning one of these treaty article ids', list: true },
    { name: 'themes', description: 'only recommendations with one of these theme ids', list: true },
    { name: 'cycles', description: 'only recommendations of these reporting cycles, e.g. 4', list: true },
    { name: 'documents', description: 'only recommendations of these document ids', list: true },
    {
      name: 'withoutMeasure',
      description: 'true: only recommendations no measure answers; false: only those with one',
    },
    { name: 'includeWithdrawn', description: 'true: withdrawn measures too (default false)' },
    { name: 'asOf', description: 'the day overdue is judged on, YYYY-MM-DD (default today, UTC)' },
  ],
  columns: [
    { header: 'Recommendation Id', value: (line) => line.row.recommendation.id },
    { header: 'Paragraph', value: (line) => line.row.recommendation.label },
    { header: 'Document Symbol', value: (line) => line.row.recommendation.document.symbol },
    { header: 'Document Publication Date', value: (line) => line.row.recommendation.document.date },
    { header: 'Text', value: (line) => mainText(line.row.recommendation)?.text },
    { header: 'Treaty Articles', value: (line) => articleCell(line.row.recommendation) },
    { header: 'Themes', value: (line) => themeNames(line.row.recommendation.themes) },
    { header: 'Measures', value: (line) => line.row.measureCount },
    { header: 'Measures Overdue', value: (line) => line.row.overdueCount },
    { header: 'Measure Id', value: measureCell((measure) => measure.id) },
    { header: 'Measure', value: measureCell((measure) => measure.title) },
    { header: 'Status', value: measureCell((measure) => measure.status) },
    { header: 'Overdue', value: measureCell((measure) => (measure.overdue ? 'yes' : 'no')) },
    { header: 'Planned Start', value: measureCell((measure) => measure.plannedStart) },
    { header: 'Due Date', value: measureCell((measure) => measure.dueDate) },
    { header: 'Lead Body', value: measureCell((measure) => measure.leadBody?.name) },
    { header: 'Reported By', value: measureCell((measure) => measure.reportedBy) },
    { header: 'Visibility', value: measureCell((measure) => measure.visibility) },
    { header: 'Version', value: measureCell((measure) => measure.version) },
    { header: 'Last Changed', value: measureCell((measure) => measure.lastChanged.at) },
    { header: 'Withdrawn', value: measureCell((measure) => measure.withdrawal?.by.at) },
    { header: 'Withdrawal Reason', value: measureCell((measure) => measure.withdrawal?.reason) },
  ],
  async *rows(context, args) {
    const pages = connectionPages<BoardRow>(
      context,
      BOARD,
      boardVariables(args),
      (data) => data.followUp as never,
      () => exportRefusal('INTERNAL_SERVER_ERROR', 'followUp returned no board.'),
    );
    for await (const page of pages) {
      for (const row of page) {
        if (row.measures.length === 0) yield { row, measure: null };
        else for (const measure of row.measures) yield { row, measure };
      }
    }
  },
};

/** Every export by name. */
export const EXPORTS: ReadonlyMap<string, ExportDefinition<never>> = new Map(
  [recommendationsExport, recommendationGapsExport, treatyCoverageExport, followUpBoardExport].map((definition) => [
    definition.name,
    definition as unknown as ExportDefinition<never>,
  ]),
);

/** The GraphQL operations the exports send (checked against the schema and the cost limit by the unit tests). */
export const EXPORT_DOCUMENTS = {
  recommendationGaps: GAPS,
  treatyCoverage: COVERAGE,
  stateRecommendations: STATE_RECOMMENDATIONS,
  followUpBoard: BOARD,
};
