import type { Resolvers } from '../generated/graphql';
import { LIMITS } from '../limits';
import type { EntityModel, StateModel, TreatyActionModel, TreatyArticleModel, TreatyModel, LegalInstrumentModel } from '../db/models';
import {
  addressedToFilter,
  ofStateFilter,
  provisionOfStateFilter,
  REL,
} from './relations';
import { listConnection, optional, relatedConnection, requireNode, sourcedFields, stateId, treatyId } from './common';

const first = <T extends EntityModel>(items: Array<{ node: EntityModel }>): T | null => (items[0]?.node as T | undefined) ?? null;

export const treatyStateResolvers: Resolvers = {
  Query: {
    treaty: async (_parent, { id }, context) => {
      const byId = await context.loaders.node.load(treatyId(id));
      const found = byId?.__label === 'Treaty' ? byId : await context.lists.findBy('Treaty', 'shortName', id);
      return found?.__label === 'Treaty' ? (found as TreatyModel) : null;
    },
    treaties: (_parent, args, context) =>
      listConnection(
        context,
        { label: 'Treaty', orderBy: `CASE WHEN EXISTS { (n)-[:PROTOCOL_TO]->() } THEN 1 ELSE 0 END, n.id` },
        args,
        'treaties',
      ) as Promise<never>,
    treatyArticle: async (_parent, { id }, context) => {
      const node = await context.loaders.node.load(id);
      return node?.__label === 'TreatyArticle' ? (node as TreatyArticleModel) : null;
    },
    state: async (_parent, { id }, context) => {
      const node = await context.loaders.node.load(stateId(id));
      return node?.__label === 'State' ? (node as StateModel) : null;
    },
    states: (_parent, args, context) => listConnection(context, { label: 'State', orderBy: 'n.name, n.id' }, args, 'states') as Promise<never>,
  },

  Treaty: {
    ...sourcedFields,
    protocolTo: async (treaty, _args, { loaders }) => first<TreatyModel>(await loaders.related(REL.protocolTo).load(treaty.id)),
    protocols: async (treaty, _args, { loaders }) => (await loaders.related(REL.protocols).load(treaty.id)).map((r) => r.node as TreatyModel),
    adopted: (treaty) => optional(treaty.adopted),
    adoptedBy: (treaty) => optional(treaty.adoptedBy),
    entryIntoForce: (treaty) => optional(treaty.entryIntoForce),
    articles: (treaty, args, context) =>
      relatedConnection(context, treaty.id, REL.treatyArticles, args, 'Treaty.articles', (r) => r.node as TreatyArticleModel, 100),
    article: async (treaty, { number }, { loaders }) => {
      const node = await loaders.node.load(`${treaty.id}:art:${number}`);
      return node?.__label === 'TreatyArticle' ? (node as TreatyArticleModel) : null;
    },
    stateActions: async (treaty, { state }, { loaders }) => {
      const spec = state
        ? { ...REL.treatyActionsOnTreaty, where: 'EXISTS { (t)<-[:TOOK_ACTION]-(:State {id: $state}) }', params: { state: stateId(state) } }
        : REL.treatyActionsOnTreaty;
      return (await loaders.page(spec, 0, LIMITS.maxUnpagedList).load(treaty.id)).map((r) => r.node as TreatyActionModel);
    },
  },

  TreatyArticle: {
    ...sourcedFields,
    treaty: async (article, _args, context) => {
      const [owner] = await context.loaders.related(REL.articleTreaty).load(article.id);
      return (owner?.node ?? (await requireNode(context, String(article.id).replace(/:art:\d+$/, ''), 'Treaty'))) as TreatyModel;
    },
    title: (article) => optional(article.title),
    part: (article) => optional(article.part),
    paragraphs: (article) => (article.paragraphs ?? []).map((text, index) => ({ position: index + 1, text })),
    text: (article) => article.text ?? (article.paragraphs ?? []).join('\n\n'),
    implementations: (article, { state, ...page }, context) =>
      relatedConnection(
        context,
        article.id,
        provisionOfStateFilter(REL.articleImplementations, state ? stateId(state) : null),
        page,
        'TreatyArticle.implementations',
        (r) => ({ from: r.node, to: article, rel: r.rel }),
      ),
    mechanisms: (article, { state, ...page }, context) =>
      relatedConnection(context, article.id, ofStateFilter(REL.articleMechanisms, state ? stateId(state) : null), page, 'TreatyArticle.mechanisms', (r) => r.node as never),
    recommendations: (article, { state, ...page }, context) =>
      relatedConnection(
        context,
        article.id,
        addressedToFilter(REL.articleRecommendations, state ? stateId(state) : null),
        page,
        'TreatyArticle.recommendations',
        (r) => r.node as never,
      ),
  },

  State: {
    ...sourcedFields,
    officialName: (state) => optional(state.officialName),
    treatyActions: async (state, { treaty }, { loaders }) => {
      const spec = treaty
        ? { ...REL.stateTreatyActions, where: 'EXISTS { (t)-[:ON_TREATY]->(:Treaty {id: $treaty}) }', params: { treaty: treatyId(treaty) } }
        : REL.stateTreatyActions;
      return (await loaders.page(spec, 0, LIMITS.maxUnpagedList).load(state.id)).map((r) => r.node as TreatyActionModel);
    },
    legalInstruments: (state, args, context) =>
      relatedConnection(context, state.id, REL.stateInstruments, args, 'State.legalInstruments', (r) => r.node as never),
    bodies: (state, args, context) => relatedConnection(context, state.id, REL.stateBodies, args, 'State.bodies', (r) => r.node as never),
    mechanisms: (state, args, context) => relatedConnection(context, state.id, REL.stateMechanisms, args, 'State.mechanisms', (r) => r.node as never),
    documents: (state, args, context) => relatedConnection(context, state.id, REL.stateDocuments, args, 'State.documents', (r) => r.node as never),
    recommendations: (state, args, context) =>
      relatedConnection(context, state.id, REL.stateRecommendations, args, 'State.recommendations', (r) => r.node as never),
  },

  TreatyAction: {
    ...sourcedFields,
    state: async (action, _args, context) => first<StateModel>(await context.loaders.related(REL.actionState).load(action.id)) ?? (await requireNode(context, 'state:?', 'State') as StateModel),
    treaty: async (action, _args, context) => first<TreatyModel>(await context.loaders.related(REL.actionTreaty).load(action.id)) ?? (await requireNode(context, 'treaty:?', 'Treaty') as TreatyModel),
    date: (action) => optional(action.date),
    place: (action) => optional(action.place),
    description: (action) => optional(action.description),
    domesticAct: async (action, _args, { loaders }) => first<LegalInstrumentModel>(await loaders.related(REL.actionDomesticAct).load(action.id)),
  },

  TreatyArticleConnection: { totalCount: (connection) => connection.totalCount() },
  TreatyConnection: { totalCount: (connection) => connection.totalCount() },
  StateConnection: { totalCount: (connection) => connection.totalCount() },
};

