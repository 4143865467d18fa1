import type { Resolvers } from '../../generated/graphql';
import { paged } from '../../pagination';
import { required, sourcedFields, stateId, treatyId } from '../common/resolvers';
import { linksFor, prefetchFor } from '../prefetch';
import { projectionFor } from '../selection';

const stateOrNull = (state: string | null | undefined) => (state ? stateId(state) : null);

export const treatiesResolvers: Resolvers = {
  Query: {
    treaty: async (_parent, { id }, { repositories }) =>
      (await repositories.common.nodeOf(treatyId(id), ['Treaty'])) ?? repositories.treaties.treatyByShortName(id),
    treaties: (_parent, args, { repositories }) =>
      paged(
        args,
        'treaties',
        (offset, limit) => repositories.treaties.treaties(offset, limit),
        () => repositories.treaties.treatyCount(),
      ),
    treatyArticle: (_parent, { id }, { repositories }, info) =>
      repositories.treaties.article(id, projectionFor(info, 'TreatyArticle'), prefetchFor(info)),
  },

  Treaty: {
    ...sourcedFields,
    protocolTo: (treaty, _args, { repositories }) => repositories.treaties.protocolTo(treaty.id),
    protocols: (treaty, _args, { repositories }) => repositories.treaties.protocols(treaty.id),
    articles: (treaty, args, { repositories }, info) =>
      paged(
        args,
        'Treaty.articles',
        (offset, limit) =>
          repositories.treaties.articles(treaty.id, offset, limit, projectionFor(info, 'TreatyArticle')),
        () => repositories.treaties.articleCount(treaty.id),
      ),
    article: (treaty, { number }, { repositories }) =>
      repositories.common.nodeOf(`${treaty.id}:art:${number}`, ['TreatyArticle']),
    stateActions: (treaty, { state }, { repositories }) =>
      repositories.treaties.stateActions(treaty.id, stateOrNull(state)),
  },

  TreatyArticle: {
    ...sourcedFields,
    treaty: async (article, _args, { repositories }) =>
      (await repositories.treaties.articleTreaty(article.id)) ??
      required(
        await repositories.common.nodeOf(article.treatyId, ['Treaty']),
        `Treaty ${article.treatyId} is referenced but does not exist`,
      ),
    paragraphs: async (article, _args, { repositories }) =>
      (await repositories.treaties.articleParagraphs(article)).map((text, index) => ({
        position: index + 1,
        text,
      })),
    text: async (article, _args, { repositories }) => {
      const { paragraphs, text } = await repositories.treaties.articleText(article);
      return text ?? paragraphs.join('\n\n');
    },
    implementations: (article, { state, ...args }, { repositories }, info) =>
      paged(
        args,
        'TreatyArticle.implementations',
        async (offset, limit) =>
          (
            await repositories.treaties.implementations(
              article.id,
              stateOrNull(state),
              offset,
              limit,
              prefetchFor(info, ['edges', 'node']),
              linksFor(info, ['edges', 'node']),
              projectionFor(info, ['Provision', 'LegalInstrument']),
            )
          ).map((item) => ({
            from: item.node,
            to: article,
            rel: item.rel,
          })),
        () => repositories.treaties.implementationCount(article.id, stateOrNull(state)),
      ),
    mechanisms: (article, { state, ...args }, { repositories }) =>
      paged(
        args,
        'TreatyArticle.mechanisms',
        (offset, limit) => repositories.treaties.mechanisms(article.id, stateOrNull(state), offset, limit),
        () => repositories.treaties.mechanismCount(article.id, stateOrNull(state)),
      ),
    recommendations: (article, { state, ...args }, { repositories }) =>
      paged(
        args,
        'TreatyArticle.recommendations',
        (offset, limit) => repositories.treaties.recommendations(article.id, stateOrNull(state), offset, limit),
        () => repositories.treaties.recommendationCount(article.id, stateOrNull(state)),
      ),
  },

  TreatyArticleConnection: { totalCount: (connection) => connection.totalCount() },
  TreatyConnection: { totalCount: (connection) => connection.totalCount() },
};
