import type { Resolvers } from '../generated/graphql';
import { LIMITS } from '../limits';
import type { DocumentModel, EntityModel, LinkModel, RecommendationModel, StateModel, ThemeModel, TreatyArticleModel, TreatyModel } from '../db/models';
import { ListQuery } from '../db/list-repository';
import type { Context } from '../context';
import { pageRequest, toConnection } from '../pagination';
import { REL, addressedToFilter } from './relations';
import { linkFields, linksFrom, linksTo, listConnection, optional, relatedConnection, resolveEntityType, sourcedFields, stateId, treatyId } from './common';

async function documentOf(recommendation: EntityModel, context: Context): Promise<DocumentModel> {
  const [document] = await context.loaders.related(REL.recommendationDocument).load(recommendation.id);
  if (!document) throw new Error(`${recommendation.id} has no ISSUED_IN link`);
  return document.node as DocumentModel;
}

/** "CRC/C/KAZ/CO/4, para. 29" or "CRC/C/15/Add.213, para. 44(b)". */
export function recommendationLabel(recommendation: RecommendationModel, documentName: string): string {
  const sub = recommendation.subParagraph ? `(${recommendation.subParagraph})` : '';
  return `${documentName}, para. ${recommendation.paragraph}${sub}`;
}

export const unDocumentResolvers: Resolvers = {
  Query: {
    document: async (_parent, { id }, context) => {
      const node = id.startsWith('doc:') ? await context.loaders.node.load(id) : await context.lists.findBy('Document', 'symbol', id);
      return node?.__label === 'Document' ? (node as DocumentModel) : null;
    },
    documents: (_parent, { filter, ...page }, context) => {
      const spec = new ListQuery('Document', `coalesce(n.date, '9999'), n.id`)
        .match('state', filter?.state && stateId(filter.state), '(n)-[:CONCERNS_STATE]->(:State {id: $state})')
        .match('treaty', filter?.treaty && treatyId(filter.treaty), '(n)-[:UNDER_TREATY]->(:Treaty {id: $treaty})')
        .where('kinds', filter?.kinds, 'n.kind IN $kinds')
        .where('cycle', filter?.cycle, 'n.cycle = $cycle')
        .where('committee', filter?.committee, 'n.committee = $committee')
        .build();
      return listConnection(context, spec, page, 'documents') as Promise<never>;
    },
    recommendation: async (_parent, { id }, { loaders }) => {
      const node = await loaders.node.load(id);
      return node?.__label === 'Recommendation' ? (node as RecommendationModel) : null;
    },
    recommendations: (_parent, { filter, ...page }, context) => {
      const spec = new ListQuery('Recommendation', `coalesce(n.year, 0) DESC, coalesce(n.documentSymbol, ''), n.paragraph, coalesce(n.subParagraph, ''), n.id`)
        .match('state', filter?.state && stateId(filter.state), '(n)-[:ADDRESSED_TO]->(:State {id: $state})')
        .match('article', filter?.article, '(n)-[:CONCERNS]->(:TreatyArticle {id: $article})')
        .match('theme', filter?.theme, '(n)-[:HAS_THEME]->(:Theme {id: $theme})')
        .match('document', filter?.document, '(n)-[:ISSUED_IN]->(:Document {id: $document})')
        .where('cycle', filter?.cycle, 'n.cycle = $cycle')
        .where('yearFrom', filter?.yearFrom, 'n.year >= $yearFrom')
        .where('yearTo', filter?.yearTo, 'n.year <= $yearTo')
        .where('kinds', filter?.kinds, 'n.kind IN $kinds')
        .where('verification', filter?.verification, 'n.verification = $verification')
        .build();
      return listConnection(context, spec, page, 'recommendations') as Promise<never>;
    },
    themes: async (_parent, _args, context) =>
      (await context.lists.page({ label: 'Theme', orderBy: 'n.name, n.id' }, 0, LIMITS.maxUnpagedList)) as ThemeModel[],
  },

  Document: {
    ...sourcedFields,
    symbol: (document) => optional(document.symbol),
    treaty: async (document, _args, { loaders }) => ((await loaders.related(REL.documentTreaty).load(document.id))[0]?.node as TreatyModel | undefined) ?? null,
    state: async (document, _args, { loaders }) => ((await loaders.related(REL.documentState).load(document.id))[0]?.node as StateModel | undefined) ?? null,
    cycle: (document) => optional(document.cycle),
    year: (document) => optional(document.year),
    date: (document) => optional(document.date),
    received: (document) => optional(document.received),
    session: (document) => optional(document.session),
    originalLanguage: (document) => optional(document.originalLanguage),
    respondsTo: async (document, _args, { loaders }) => (await loaders.related(REL.respondsTo).load(document.id)).map((r) => r.node as DocumentModel),
    respondedToBy: async (document, _args, { loaders }) => (await loaders.related(REL.respondedToBy).load(document.id)).map((r) => r.node as DocumentModel),
    recommendations: (document, args, context) =>
      relatedConnection(context, document.id, REL.documentRecommendations, args, 'Document.recommendations', (r) => r.node as never, 50),
  },

  Recommendation: {
    ...sourcedFields,
    document: (recommendation, _args, context) => documentOf(recommendation, context),
    subParagraph: (recommendation) => optional(recommendation.subParagraph),
    label: async (recommendation, _args, context) =>
      recommendationLabel(recommendation, recommendation.documentSymbol ?? (await documentOf(recommendation, context)).title),
    addressedTo: async (recommendation, _args, { loaders }) => {
      const [state] = await loaders.related(REL.addressedTo).load(recommendation.id);
      if (!state) throw new Error(`${recommendation.id} has no ADDRESSED_TO link`);
      return state.node as StateModel;
    },
    texts: async (recommendation, { language }, { loaders }) => {
      const texts = await loaders.texts.load(recommendation.id);
      return language ? texts.filter((text) => text.language === language) : texts;
    },
    year: (recommendation) => optional(recommendation.year),
    cycle: (recommendation) => optional(recommendation.cycle),
    partOf: async (recommendation, _args, { loaders }) =>
      ((await loaders.related(REL.partOf).load(recommendation.id))[0]?.node as RecommendationModel | undefined) ?? null,
    subParagraphs: async (recommendation, _args, { loaders }) =>
      (await loaders.related(REL.subParagraphs).load(recommendation.id)).map((r) => r.node as RecommendationModel),
    articles: async (recommendation, _args, { loaders }) => linksFrom(recommendation, await loaders.related(REL.concerns).load(recommendation.id)),
    themes: async (recommendation, _args, { loaders }) => (await loaders.related(REL.themes).load(recommendation.id)).map((r) => r.node as ThemeModel),
    reiterates: async (recommendation, _args, { loaders }) => linksFrom(recommendation, await loaders.related(REL.reiterates).load(recommendation.id)),
    reiteratedBy: async (recommendation, _args, { loaders }) => linksTo(recommendation, await loaders.related(REL.reiteratedBy).load(recommendation.id)),
    reiterationChain: async (recommendation, _args, { loaders }) =>
      (await loaders.reiterationChain.load(recommendation.id)) as RecommendationModel[],
    answers: async (recommendation, _args, { loaders }) => linksTo(recommendation, await loaders.related(REL.answeredBy).load(recommendation.id)),
    relatedByArticle: async (recommendation, { state, ...args }, context) => {
      const page = pageRequest(args, 'Recommendation.relatedByArticle', 20);
      const scope = state ? stateId(state) : null;
      const items = await context.loaders.relatedByArticle(scope, page.offset, page.limit + 1).load(recommendation.id);
      return toConnection(items as RecommendationModel[], page, () => context.loaders.relatedByArticleCount(scope).load(recommendation.id));
    },
    evidence: async (recommendation, _args, { loaders }) => (await loaders.related(REL.evidenceAbout).load(recommendation.id)).map((r) => r.node as never),
  },

  ArticleConcern: {
    ...linkFields,
    article: (link: LinkModel) => link.to as TreatyArticleModel,
  },
  Reiteration: {
    ...linkFields,
    recommendation: (link: LinkModel) => link.from as RecommendationModel,
    reiterated: (link: LinkModel) => link.to as RecommendationModel,
  },
  Answer: {
    ...linkFields,
    recommendation: (link: LinkModel) => link.to as RecommendationModel,
    by: (link: LinkModel) => link.from as never,
    extent: (link: LinkModel) => (link.rel.extent as never) ?? 'PARTIAL',
    date: (link: LinkModel) => optional(link.rel.date),
  },
  Answerer: { __resolveType: resolveEntityType as never },

  Theme: {
    recommendations: (theme, { state, ...args }, context) =>
      relatedConnection(
        context,
        theme.id,
        addressedToFilter(REL.themeRecommendations, state ? stateId(state) : null),
        args,
        'Theme.recommendations',
        (r) => r.node as never,
      ),
  },

  DocumentConnection: { totalCount: (connection) => connection.totalCount() },
  RecommendationConnection: { totalCount: (connection) => connection.totalCount() },
};
