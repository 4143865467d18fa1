import type { Resolvers } from '../../generated/graphql';
import { paged } from '../../pagination';
import type { LinkProps } from '../common/models';
import {
  inferenceFields,
  linkFields,
  required,
  resolveEntityType,
  sourcedFields,
  stateId,
  treatyId,
} from '../common/resolvers';
import { linksFrom, linksTo } from '../national-law/resolvers';
import { ANSWER_EXTENTS, ANSWERER_LABELS, type RecommendationModel } from './models';
import { linksFor, prefetchFor } from '../prefetch';
import { projectionFor } from '../selection';

/** "CRC/C/KAZ/CO/4, para. 29" or "CRC/C/15/Add.213, para. 44(b)". */
export function recommendationLabel(
  recommendation: Pick<RecommendationModel, 'paragraph' | 'subParagraph'>,
  documentName: string,
): string {
  const sub = recommendation.subParagraph ? `(${recommendation.subParagraph})` : '';
  return `${documentName}, para. ${recommendation.paragraph}${sub}`;
}

/** How fully something answers a recommendation; a link that does not say is PARTIAL. */
function answerExtent(rel: LinkProps) {
  return ANSWER_EXTENTS.find((extent) => extent === rel.extent) ?? 'PARTIAL';
}

export const unDocumentsResolvers: Resolvers = {
  Query: {
    document: async (_parent, { id }, { repositories }) =>
      id.startsWith('doc:')
        ? repositories.common.nodeOf(id, ['Document'])
        : repositories.unDocuments.documentBySymbol(id),
    documents: (_parent, { filter, ...args }, { repositories }) => {
      const scope = {
        ...filter,
        state: filter?.state ? stateId(filter.state) : null,
        treaty: filter?.treaty ? treatyId(filter.treaty) : null,
      };
      return paged(
        args,
        'documents',
        (offset, limit) => repositories.unDocuments.documents(scope, offset, limit),
        () => repositories.unDocuments.documentCount(scope),
      );
    },
    recommendation: (_parent, { id }, { repositories }) => repositories.common.nodeOf(id, ['Recommendation']),
    recommendations: (_parent, { filter, ...args }, { repositories }, info) => {
      const scope = { ...filter, state: filter?.state ? stateId(filter.state) : null };
      return paged(
        args,
        'recommendations',
        (offset, limit) =>
          repositories.unDocuments.recommendations(
            scope,
            offset,
            limit,
            prefetchFor(info, ['edges', 'node']),
            projectionFor(info, 'Recommendation'),
          ),
        () => repositories.unDocuments.recommendationCount(scope),
      );
    },
    themes: (_parent, _args, { repositories }) => repositories.unDocuments.themes(),
  },

  Document: {
    ...sourcedFields,
    treaty: (document, _args, { repositories }) => repositories.unDocuments.documentTreaty(document.id),
    state: (document, _args, { repositories }) => repositories.unDocuments.documentState(document.id),
    respondsTo: (document, _args, { repositories }) => repositories.unDocuments.respondsTo(document.id),
    respondedToBy: (document, _args, { repositories }) => repositories.unDocuments.respondedToBy(document.id),
    recommendations: (document, args, { repositories }) =>
      paged(
        args,
        'Document.recommendations',
        (offset, limit) => repositories.unDocuments.documentRecommendations(document.id, offset, limit),
        () => repositories.unDocuments.documentRecommendationCount(document.id),
      ),
  },

  Recommendation: {
    ...sourcedFields,
    document: async (recommendation, _args, { repositories }, info) =>
      required(
        await repositories.unDocuments.document(recommendation.id, projectionFor(info, 'Document')),
        `${recommendation.id} has no ISSUED_IN link`,
      ),
    label: async (recommendation, _args, { repositories }) =>
      recommendationLabel(
        recommendation,
        recommendation.documentSymbol ??
          required(
            await repositories.unDocuments.document(recommendation.id),
            `${recommendation.id} has no ISSUED_IN link`,
          ).title,
      ),
    summary: (recommendation) => required(recommendation.summary, `${recommendation.id} has no summary`),
    addressedTo: async (recommendation, _args, { repositories }) =>
      required(
        await repositories.unDocuments.addressedTo(recommendation.id),
        `${recommendation.id} has no ADDRESSED_TO link`,
      ),
    texts: async (recommendation, { language }, { repositories }) => {
      const texts = await repositories.common.texts(recommendation.id);
      return language ? texts.filter((text) => text.language === language) : texts;
    },
    partOf: (recommendation, _args, { repositories }) => repositories.unDocuments.partOf(recommendation.id),
    subParagraphs: (recommendation, _args, { repositories }) =>
      repositories.unDocuments.subParagraphs(recommendation.id),
    articles: async (recommendation, _args, { repositories }, info) =>
      linksFrom(
        recommendation,
        await repositories.unDocuments.articles(
          recommendation.id,
          projectionFor(info, 'TreatyArticle'),
          prefetchFor(info),
          linksFor(info),
        ),
      ),
    themes: (recommendation, _args, { repositories }, info) =>
      repositories.unDocuments.themesOf(recommendation.id, projectionFor(info, 'Theme')),
    reiterates: async (recommendation, _args, { repositories }) =>
      linksFrom(recommendation, await repositories.unDocuments.reiterates(recommendation.id)),
    reiteratedBy: async (recommendation, _args, { repositories }) =>
      linksTo(recommendation, await repositories.unDocuments.reiteratedBy(recommendation.id)),
    reiterationChain: (recommendation, _args, { repositories }) =>
      repositories.unDocuments.reiterationChain(recommendation.id),
    answers: async (recommendation, _args, { repositories }, info) =>
      linksTo(
        recommendation,
        await repositories.unDocuments.answers(recommendation.id, projectionFor(info, ANSWERER_LABELS), linksFor(info)),
      ),
    relatedByArticle: (recommendation, { state, ...args }, { repositories }) => {
      const scope = state ? stateId(state) : null;
      return paged(
        args,
        'Recommendation.relatedByArticle',
        (offset, limit) => repositories.unDocuments.relatedByArticle(recommendation.id, scope, offset, limit),
        () => repositories.unDocuments.relatedByArticleCount(recommendation.id, scope),
      );
    },
    evidence: (recommendation, _args, { repositories }) => repositories.common.evidenceAbout(recommendation.id),
  },

  ArticleConcern: {
    ...linkFields,
    ...inferenceFields,
    article: (link) => link.to,
  },
  Reiteration: {
    ...linkFields,
    ...inferenceFields,
    similarity: (link) => link.rel.similarity,
    recommendation: (link) => link.from,
    reiterated: (link) => link.to,
  },
  Answer: {
    ...linkFields,
    recommendation: (link) => link.to,
    by: (link) => link.from,
    extent: (link) => answerExtent(link.rel),
    date: (link) => link.rel.date,
  },
  Answerer: { __resolveType: resolveEntityType },

  Theme: {
    recommendations: (theme, { state, ...args }, { repositories }) => {
      const scope = state ? stateId(state) : null;
      return paged(
        args,
        'Theme.recommendations',
        (offset, limit) => repositories.unDocuments.themeRecommendations(theme.id, scope, offset, limit),
        () => repositories.unDocuments.themeRecommendationCount(theme.id, scope),
      );
    },
  },

  DocumentConnection: { totalCount: (connection) => connection.totalCount() },
  RecommendationConnection: { totalCount: (connection) => connection.totalCount() },
};
