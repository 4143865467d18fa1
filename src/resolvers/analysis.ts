import { GraphQLError } from 'graphql';
import type { Resolvers } from '../generated/graphql';
import { LIMITS } from '../limits';
import type { Context } from '../context';
import { AnalysisRepository } from '../db/analysis-repository';
import type { GapReason } from '../db/analysis-models';
import type { BodyModel, DocumentModel, EntityModel, MechanismModel, ProvisionModel, RecommendationModel, StatisticModel, FindingModel } from '../db/models';
import { pageRequest, toConnection } from '../pagination';
import { REL } from './relations';
import { linkFields, linksTo, stateId, treatyId } from './common';

/** The relationship types a path follows unless the caller says otherwise: all but the hubs. */
const HUBS = new Set(['ADDRESSED_TO', 'OF_STATE', 'HAS_THEME', 'HAS_ARTICLE', 'CONCERNS_STATE']);
const PATH_TYPES = [
  'HAS_ARTICLE', 'PROTOCOL_TO', 'HAS_PROVISION', 'IMPLEMENTS', 'AMENDS', 'ISSUED_UNDER', 'ESTABLISHED_BY', 'MANDATED_BY', 'PART_OF',
  'RUN_BY', 'GROUNDED_IN', 'GIVES_EFFECT_TO', 'ANSWERS', 'CONCERNS', 'ISSUED_IN', 'REITERATES', 'RESPONDS_TO', 'ABOUT', 'SUPPORTED_BY',
  'BY_ACT', 'ON_TREATY', 'TOOK_ACTION', 'UNDER_TREATY', 'CONCERNS_STATE', 'ADDRESSED_TO', 'OF_STATE', 'HAS_THEME',
];
export const MAX_PATH_HOPS = LIMITS.maxPathHops;
/** What a path follows unless the caller says otherwise. */
export const DEFAULT_PATH_TYPES = PATH_TYPES.filter((type) => !HUBS.has(type));

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
  const sentence = parts.length > 1 ? `${parts.slice(0, -1).join('; ')}; and ${parts[parts.length - 1]}` : (parts[0] ?? 'no answer passes the test');
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

function notFound(what: string, id: string, argument: string): GraphQLError {
  return new GraphQLError(`No ${what} with id ${JSON.stringify(id)} (argument ${argument}).`, {
    extensions: { code: 'NOT_FOUND', argument, http: { status: 404 } },
  });
}

async function requireKind(context: Context, id: string, label: string, what: string, argument: string): Promise<EntityModel> {
  const node = await context.loaders.node.load(id);
  if (!node || node.__label !== label) throw notFound(what, id, argument);
  return node;
}

async function loadAll<T extends EntityModel>(context: Context, ids: string[]): Promise<T[]> {
  const nodes = await context.loaders.node.loadMany(ids);
  return nodes.filter((node): node is EntityModel => node !== null && !(node instanceof Error)) as T[];
}

export const analysisResolvers: Resolvers = {
  Query: {
    recommendationGaps: async (_parent, args, context) => {
      const state = stateId(args.state);
      const treaty = treatyId(args.treaty ?? 'CRC');
      await Promise.all([
        requireKind(context, state, 'State', 'state', 'recommendationGaps(state:)'),
        requireKind(context, treaty, 'Treaty', 'treaty', 'recommendationGaps(treaty:)'),
      ]);
      const page = pageRequest(args, 'recommendationGaps', 50);
      const result = await new AnalysisRepository(context.db).recommendationGaps(
        {
          state,
          treaty,
          strict: args.strictness === 'STRICT',
          articles: args.articles?.length ? args.articles : null,
          themes: args.themes?.length ? args.themes : null,
          cycles: args.cycles?.length ? args.cycles : null,
          reasons: args.reasons?.length ? args.reasons : null,
        },
        page.offset,
        page.limit + 1,
      );
      for (const gap of result.gaps) context.loaders.node.prime(gap.recommendation.id, gap.recommendation);
      return { ...toConnection(result.gaps, page, async () => result.total), testedCount: result.tested };
    },

    treatyCoverage: async (_parent, args, context) => {
      const treaty = treatyId(args.treaty);
      const state = stateId(args.state);
      await Promise.all([
        requireKind(context, treaty, 'Treaty', 'treaty', 'treatyCoverage(treaty:)'),
        requireKind(context, state, 'State', 'state', 'treatyCoverage(state:)'),
      ]);
      const coverage = await new AnalysisRepository(context.db).treatyCoverage(treaty, state);
      if (!coverage) throw notFound('treaty', treaty, 'treatyCoverage(treaty:)');
      return coverage;
    },

    implementationChain: async (_parent, args, context) => {
      const state = stateId(args.state);
      await Promise.all([
        requireKind(context, args.article, 'TreatyArticle', 'treaty article', 'implementationChain(article:)'),
        requireKind(context, state, 'State', 'state', 'implementationChain(state:)'),
      ]);
      const chain = await new AnalysisRepository(context.db).implementationChain(args.article, state);
      if (!chain) throw notFound('treaty article', args.article, 'implementationChain(article:)');
      return chain;
    },

    reiteratedRecommendations: async (_parent, args, context) => {
      const state = stateId(args.state);
      await requireKind(context, state, 'State', 'state', 'reiteratedRecommendations(state:)');
      const minLength = args.minLength ?? 2;
      if (minLength < 2 || minLength > LIMITS.maxChainLength) {
        throw new GraphQLError(`reiteratedRecommendations(minLength:) must be from 2 to ${LIMITS.maxChainLength} (got ${minLength}).`, {
          extensions: { code: 'BAD_USER_INPUT', argument: 'reiteratedRecommendations(minLength:)', http: { status: 400 } },
        });
      }
      const page = pageRequest(args, 'reiteratedRecommendations', 20);
      const result = await new AnalysisRepository(context.db).reiteratedRecommendations(state, minLength, args.latestAnswered ?? null, page.offset, page.limit + 1);
      return toConnection(result.chains, page, async () => result.total);
    },

    path: async (_parent, args, context) => {
      const maxHops = args.maxHops ?? 4;
      if (!Number.isInteger(maxHops) || maxHops < 1 || maxHops > MAX_PATH_HOPS) {
        throw new GraphQLError(`path(maxHops:) must be from 1 to ${MAX_PATH_HOPS} (got ${maxHops}).`, {
          extensions: { code: 'BAD_USER_INPUT', argument: 'path(maxHops:)', limit: MAX_PATH_HOPS, http: { status: 400 } },
        });
      }
      const types = args.via?.length ? [...new Set(args.via)] : DEFAULT_PATH_TYPES;
      if (args.from === args.to) {
        const node = await context.loaders.node.load(args.from);
        if (!node) throw notFound('entity', args.from, 'path(from:)');
        return { nodes: [node], steps: [] };
      }
      const result = await new AnalysisRepository(context.db).path(args.from, args.to, maxHops, types);
      if (!result.from) throw notFound('entity', args.from, 'path(from:)');
      if (!result.to) throw notFound('entity', args.to, 'path(to:)');
      return result.path;
    },
  },

  RecommendationGap: {
    explanation: (gap) => explainGap(gap.reasons),
    answers: async (gap, _args, { loaders }) => linksTo(gap.recommendation, await loaders.related(REL.answeredBy).load(gap.recommendation.id)),
    relatedMechanisms: (gap, _args, context) => loadAll<MechanismModel>(context, gap.mechanismIds),
    relatedProvisions: (gap, _args, context) => loadAll<ProvisionModel>(context, gap.provisionIds),
    relatedBodies: (gap, _args, context) => loadAll<BodyModel>(context, gap.bodyIds),
  },
  RecommendationGapConnection: { totalCount: (connection) => connection.totalCount() },

  TreatyCoverage: {
    summary: (coverage) => {
      const rows = coverage.rows;
      return {
        articleCount: rows.length,
        articlesWithNoProvision: rows.filter((row) => row.implementations.length === 0).length,
        articlesWithOnlyDeclarativeProvisions: rows.filter(
          (row) => row.implementations.length > 0 && row.implementations.every((i) => i.rel.extent === 'DECLARATIVE_ONLY'),
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
    bodies: (row, _args, context) => loadAll<BodyModel>(context, row.bodyIds),
    mechanisms: (row, _args, context) => loadAll<MechanismModel>(context, row.mechanismIds),
    recommendations: (row, _args, context) => loadAll<RecommendationModel>(context, row.recommendationIds),
    statistics: (row, _args, context) => loadAll<StatisticModel>(context, row.statisticIds),
    findings: (row, _args, context) => loadAll<FindingModel>(context, row.findingIds),
  },

  ImplementationChain: {
    mechanisms: (chain, _args, context) => loadAll<MechanismModel>(context, chain.mechanismIds),
    evidence: (chain, _args, context) => loadAll<StatisticModel | FindingModel>(context, chain.evidenceIds) as never,
  },
  ChainProvision: {
    implementation: (item) => ({ from: item.provision, to: item.article, rel: item.rel }),
    bodies: async (item, _args, context) => {
      const bodies = await loadAll<BodyModel>(context, item.bodies.map((b) => b.id));
      const byId = new Map(bodies.map((body) => [body.id, body]));
      return item.bodies.flatMap((b) => {
        const body = byId.get(b.id);
        return body ? [{ from: body, to: item.provision, rel: { ...b.rel, relation: b.relation } }] : [];
      });
    },
    mechanisms: (item, _args, context) => loadAll<MechanismModel>(context, item.mechanismIds),
  },
  ChainBody: {
    ...linkFields,
    body: (link) => link.from as BodyModel,
    relation: (link) => String(link.rel.relation),
  },
  ChainRecommendation: {
    concern: (item) => ({ from: item.recommendation, to: item.article, rel: item.concern }),
    document: async (item, _args, context) => (await requireKind(context, item.documentId, 'Document', 'document', 'document')) as DocumentModel,
    relatedDocuments: (item, _args, context) => loadAll<DocumentModel>(context, item.relatedDocumentIds),
    answers: async (item, _args, { loaders }) => linksTo(item.recommendation, await loaders.related(REL.answeredBy).load(item.recommendation.id)),
  },

  ReiterationChain: {
    length: (chain) => chain.recommendations.length,
    firstYear: (chain) => (chain.recommendations[0]?.year as number | undefined) ?? null,
    lastYear: (chain) => (chain.recommendations[chain.recommendations.length - 1]?.year as number | undefined) ?? null,
    latest: (chain) => chain.recommendations[chain.recommendations.length - 1]!,
    links: (chain) =>
      chain.links.map((rel, index) => ({ from: chain.recommendations[index + 1]!, to: chain.recommendations[index]!, rel })),
  },
  ReiterationChainConnection: { totalCount: (connection) => connection.totalCount() },

  Path: {
    length: (path) => path.steps.length,
    nodes: (path) => path.nodes as never,
  },
  PathStep: {
    ...linkFields,
    type: (step) => step.type as never,
    from: (step) => step.from as never,
    to: (step) => step.to as never,
    sources: (step) => linkFields.sources({ from: step.from, to: step.to, rel: step.rel }),
    verification: (step) => linkFields.verification({ from: step.from, to: step.to, rel: step.rel }),
    note: (step) => step.rel.note ?? null,
  },
};

