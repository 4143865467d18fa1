import { getNamedType, type GraphQLResolveInfo } from 'graphql';
import type { Resolvers } from '../../generated/graphql';
import type { Context } from '../../context';
import { badUserInput, GraphDataError, notFound } from '../../errors';
import { LIMITS } from '../../limits';
import { paged, pageRequest, toConnection } from '../../pagination';
import type { EntityLabel } from '../common/models';
import { linkFields, stateId, treatyId } from '../common/resolvers';
import { linksTo } from '../national-law/resolvers';
import { linksFor } from '../prefetch';
import { eachSelectedField, projectionFor } from '../selection';
import { ANSWERER_LABELS } from '../un-documents/models';
import { DEFAULT_PATH_RELATIONSHIP_TYPES } from '../../graph/vocabulary';
import type { GapReason } from './models';
import type { LinkReading } from './repository';

export const MAX_PATH_HOPS = LIMITS.maxPathHops;
/** What a path follows unless the caller says otherwise: every path type but the hubs (the graph vocabulary's). */
export const DEFAULT_PATH_TYPES = DEFAULT_PATH_RELATIONSHIP_TYPES;

const REASON_TEXT: Record<GapReason, string> = {
  NO_ANSWER: 'nothing in the graph answers it',
  ONLY_INEFFECTIVE_MECHANISMS: 'only planned, absent or defunct mechanisms answer it',
  ONLY_PARTIAL_MECHANISMS: 'the mechanisms answering it work only in part',
  LAW_WITHOUT_MECHANISM: 'it is answered by law only, with no mechanism',
  NO_LEGAL_BASIS_IN_FORCE: 'what answers it has no legal basis in force',
  LEGAL_BASIS_NOT_IDENTIFIED: 'the sources do not identify the legal basis of a mechanism answering it',
  MECHANISM_STATUS_UNKNOWN: 'the sources do not say whether a mechanism answering it works',
  NO_ACTIVE_BODY: 'no active body runs what answers it',
};

export function explainGap(reasons: GapReason[]): string {
  const parts = reasons.map((reason) => REASON_TEXT[reason]);
  const sentence =
    parts.length > 1
      ? `${parts.slice(0, -1).join('; ')}; and ${parts[parts.length - 1]}`
      : (parts[0] ?? 'no answer passes the test');
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

/** An analysis's argument must name an existing entity of this kind: otherwise NOT_FOUND, naming the argument. */
async function requireKind(
  context: Context,
  id: string,
  label: EntityLabel,
  what: string,
  argument: string,
): Promise<void> {
  if (!(await context.repositories.common.nodeOf(id, [label]))) throw notFound(what, id, argument);
}

/**
 * What an analysis statement read for a field because the query selects it (fieldsSelectedOn): null means the
 * statement was told the field was not selected, a fault of this module, never an empty answer.
 */
function readByStatement<T>(value: T | null, field: string): T {
  if (value === null) throw new Error(`${field} is selected but the analysis statement did not read it`);
  return value;
}

/**
 * The names of the fields selected on the object type `typeName` anywhere below the resolver's field
 * (through nested fields, inline fragments and named fragments): what an analysis statement must read.
 */
export function fieldsSelectedOn(info: GraphQLResolveInfo, typeName: string): Set<string> {
  const found = new Set<string>();
  eachSelectedField(info, info.fieldNodes, getNamedType(info.returnType), (parent, name) => {
    if (parent.name === typeName) found.add(name);
  });
  return found;
}

/** The fields of a link type that read more of the relationship than a light reading (analysis/repository.ts). */
const FIELDS_NEEDING_FULL_LINKS = ['sources', 'note', 'inference', 'inferenceEvidence', 'similarity'];

/**
 * How much of each relationship an analysis reads for the links of type `linkType` it shows: `none` where no
 * field of the link is selected (`linkFields`, all the link's own fields but those naming its ends), `full`
 * where one needing citations, the note or the inference is, else `light`.
 */
function linkReadingOf(info: GraphQLResolveInfo, linkType: string, linkFieldNames: readonly string[]): LinkReading {
  const selected = fieldsSelectedOn(info, linkType);
  if (!linkFieldNames.some((name) => selected.has(name))) return 'none';
  return FIELDS_NEEDING_FULL_LINKS.some((name) => selected.has(name)) ? 'full' : 'light';
}

/** The fields of SourcedLink, which every link type has. */
const SOURCED_LINK_FIELDS = ['sources', 'verification', 'linkBasis', 'note'];

export const analysisResolvers: Resolvers = {
  Query: {
    recommendationGaps: async (_parent, args, context, info) => {
      const state = stateId(args.state);
      const treaty = treatyId(args.treaty);
      // The state and the treaty are looked up by the gaps statement itself; only where it finds no row is
      // each looked up alone, to say which is missing (before a page request's own error, as always).
      const requireBoth = () =>
        Promise.all([
          requireKind(context, state, 'State', 'state', 'recommendationGaps(state:)'),
          requireKind(context, treaty, 'Treaty', 'treaty', 'recommendationGaps(treaty:)'),
        ]);
      let page: ReturnType<typeof pageRequest>;
      try {
        page = pageRequest(args, 'recommendationGaps');
      } catch (error) {
        await requireBoth();
        throw error;
      }
      const selected = fieldsSelectedOn(info, 'RecommendationGap');
      const result = await context.repositories.analysis.recommendationGaps(
        {
          state,
          treaty,
          strict: args.strictness === 'STRICT',
          articles: args.articles?.length ? args.articles : null,
          themes: args.themes?.length ? args.themes : null,
          cycles: args.cycles?.length ? args.cycles : null,
          reasons: args.reasons?.length ? args.reasons : null,
          includeInferred: args.includeInferred,
        },
        page.offset,
        page.limit + 1,
        {
          recommendation: projectionFor(info, 'Recommendation'),
          answers: selected.has('answers') ? projectionFor(info, ANSWERER_LABELS) : 'none',
          mechanisms: selected.has('relatedMechanisms') ? projectionFor(info, 'Mechanism') : 'none',
          provisions: selected.has('relatedProvisions'),
          bodies: selected.has('relatedBodies'),
          answerLinks: selected.has('answers')
            ? linkReadingOf(info, 'Answer', [...SOURCED_LINK_FIELDS, 'extent', 'date'])
            : 'none',
        },
      );
      if (!result) {
        await requireBoth();
        throw new GraphDataError(`recommendationGaps found ${state} and ${treaty} but returned no row`);
      }
      return { ...toConnection(result.gaps, page, async () => result.total), testedCount: result.tested };
    },

    treatyCoverage: async (_parent, args, context) => {
      const treaty = treatyId(args.treaty);
      const state = stateId(args.state);
      // The treaty and the state are matched by the coverage statement itself; only where it finds no row is
      // each looked up alone, to say which is missing.
      const coverage = await context.repositories.analysis.treatyCoverage(treaty, state, args.includeInferred);
      if (!coverage) {
        await Promise.all([
          requireKind(context, treaty, 'Treaty', 'treaty', 'treatyCoverage(treaty:)'),
          requireKind(context, state, 'State', 'state', 'treatyCoverage(state:)'),
        ]);
        throw notFound('treaty', treaty, 'treatyCoverage(treaty:)');
      }
      return coverage;
    },

    implementationChain: async (_parent, args, context, info) => {
      const state = stateId(args.state);
      // The article and the state are looked up by the chain's statement itself; only where it finds no row
      // is each looked up alone, to say which is missing.
      const chain = await context.repositories.analysis.implementationChain(args.article, state, args.includeInferred, {
        provisions: projectionFor(info, ['Provision', 'LegalInstrument']),
        bodies: projectionFor(info, 'Body'),
        mechanisms: projectionFor(info, 'Mechanism'),
        evidence: projectionFor(info, ['Statistic', 'Finding']),
        recommendations: projectionFor(info, 'Recommendation'),
        documents: projectionFor(info, 'Document'),
        implementationLinks: linkReadingOf(info, 'Implementation', [
          ...SOURCED_LINK_FIELDS,
          'extent',
          'mergedWith',
          'merged',
        ]),
        bodyLinks: linkReadingOf(info, 'ChainBody', SOURCED_LINK_FIELDS),
        concernLinks: linkReadingOf(info, 'ArticleConcern', [...SOURCED_LINK_FIELDS, 'inference', 'inferenceEvidence']),
      });
      if (!chain) {
        await Promise.all([
          requireKind(context, args.article, 'TreatyArticle', 'treaty article', 'implementationChain(article:)'),
          requireKind(context, state, 'State', 'state', 'implementationChain(state:)'),
        ]);
        throw notFound('treaty article', args.article, 'implementationChain(article:)');
      }
      return chain;
    },

    reiteratedRecommendations: async (_parent, args, context) => {
      const state = stateId(args.state);
      await requireKind(context, state, 'State', 'state', 'reiteratedRecommendations(state:)');
      const minLength = args.minLength;
      if (minLength < 2 || minLength > LIMITS.maxChainLength) {
        throw badUserInput(
          `reiteratedRecommendations(minLength:) must be from 2 to ${LIMITS.maxChainLength} (got ${minLength}).`,
          'reiteratedRecommendations(minLength:)',
        );
      }
      let total = 0;
      return paged(
        args,
        'reiteratedRecommendations',
        async (offset, limit) => {
          const result = await context.repositories.analysis.reiteratedRecommendations(
            state,
            minLength,
            args.latestAnswered ?? null,
            offset,
            limit,
            args.includeInferred,
          );
          total = result.total;
          return result.chains;
        },
        async () => total,
      );
    },

    path: async (_parent, args, context) => {
      const maxHops = args.maxHops;
      if (!Number.isInteger(maxHops) || maxHops < 1 || maxHops > MAX_PATH_HOPS) {
        throw badUserInput(`path(maxHops:) must be from 1 to ${MAX_PATH_HOPS} (got ${maxHops}).`, 'path(maxHops:)', {
          limit: MAX_PATH_HOPS,
        });
      }
      const types = args.via?.length ? [...new Set(args.via)] : DEFAULT_PATH_TYPES;
      if (args.from === args.to) {
        const node = await context.repositories.common.node(args.from);
        if (!node) throw notFound('entity', args.from, 'path(from:)');
        return { nodes: [node], steps: [] };
      }
      const result = await context.repositories.analysis.path(args.from, args.to, maxHops, types);
      if (!result.from) throw notFound('entity', args.from, 'path(from:)');
      if (!result.to) throw notFound('entity', args.to, 'path(to:)');
      return result.path;
    },
  },

  RecommendationGap: {
    explanation: (gap) => explainGap(gap.reasons),
    answers: async (gap, _args, { repositories }, info) =>
      linksTo(
        gap.recommendation,
        gap.answers ??
          (await repositories.unDocuments.answers(
            gap.recommendation.id,
            projectionFor(info, ANSWERER_LABELS),
            linksFor(info),
          )),
      ),
    relatedMechanisms: (gap) => readByStatement(gap.mechanisms, 'RecommendationGap.relatedMechanisms'),
    relatedProvisions: (gap, _args, { repositories }) =>
      repositories.common.existing(
        readByStatement(gap.provisionIds, 'RecommendationGap.relatedProvisions'),
        ['Provision'],
        'A gap',
      ),
    relatedBodies: (gap, _args, { repositories }) =>
      repositories.common.existing(readByStatement(gap.bodyIds, 'RecommendationGap.relatedBodies'), ['Body'], 'A gap'),
  },
  RecommendationGapConnection: { totalCount: (connection) => connection.totalCount() },

  TreatyCoverage: {
    summary: (coverage) => {
      const rows = coverage.rows;
      return {
        articleCount: rows.length,
        articlesWithNoProvision: rows.filter((row) => row.implementations.length === 0).length,
        articlesWithOnlyDeclarativeProvisions: rows.filter(
          (row) =>
            row.implementations.length > 0 && row.implementations.every((i) => i.rel.extent === 'DECLARATIVE_ONLY'),
        ).length,
        articlesWithOpenRecommendations: rows.filter((row) => row.openRecommendationCount > 0).length,
        articlesWithMechanism: rows.filter((row) => row.mechanismIds.length > 0).length,
      };
    },
  },
  CoverageRow: {
    implementations: (row) => row.implementations.map((i) => ({ from: i.provision, to: row.article, rel: i.rel })),
    bestExtent: (row) => {
      const extents = row.implementations.map((i) => i.rel.extent);
      return (['FULL', 'PARTIAL', 'DECLARATIVE_ONLY'] as const).find((extent) => extents.includes(extent)) ?? null;
    },
    bodies: (row, _args, { repositories }) =>
      repositories.common.existing(row.bodyIds, ['Body'], `Coverage row ${row.article.id}`),
    mechanisms: (row, _args, { repositories }) =>
      repositories.common.existing(row.mechanismIds, ['Mechanism'], `Coverage row ${row.article.id}`),
    recommendations: (row, _args, { repositories }) =>
      repositories.common.existing(row.recommendationIds, ['Recommendation'], `Coverage row ${row.article.id}`),
    statistics: (row, _args, { repositories }) =>
      repositories.common.existing(row.statisticIds, ['Statistic'], `Coverage row ${row.article.id}`),
    findings: (row, _args, { repositories }) =>
      repositories.common.existing(row.findingIds, ['Finding'], `Coverage row ${row.article.id}`),
  },

  // Every entity of the chain was read by its statement, with the properties the query selects.
  ImplementationChain: {
    mechanisms: (chain) => chain.mechanisms,
    evidence: (chain) => chain.evidence,
  },
  ChainProvision: {
    implementation: (item) => ({ from: item.provision, to: item.article, rel: item.rel }),
    bodies: (item) => item.bodies,
    mechanisms: (item) => item.mechanisms,
  },
  ChainBody: {
    ...linkFields,
    body: (link) => link.body,
    relation: (link) => link.relation,
  },
  ChainRecommendation: {
    concern: (item) => ({ from: item.recommendation, to: item.article, rel: item.concern }),
    document: (item) => item.document,
    relatedDocuments: (item) => item.relatedDocuments,
    answers: async (item, _args, { repositories }) =>
      linksTo(item.recommendation, await repositories.unDocuments.answers(item.recommendation.id)),
  },

  ReiterationChain: {
    length: (chain) => chain.recommendations.length,
    firstYear: (chain) => chain.recommendations[0]?.year ?? null,
    lastYear: (chain) => chain.recommendations[chain.recommendations.length - 1]?.year ?? null,
    latest: (chain) => chain.recommendations[chain.recommendations.length - 1]!,
    links: (chain) =>
      chain.links.map((rel, index) => ({
        from: chain.recommendations[index + 1]!,
        to: chain.recommendations[index]!,
        rel,
      })),
  },
  ReiterationChainConnection: { totalCount: (connection) => connection.totalCount() },

  Path: {
    length: (path) => path.steps.length,
  },
  PathStep: {
    ...linkFields,
  },
};
