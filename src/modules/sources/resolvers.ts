import type { Resolvers } from '../../generated/graphql';
import { paged } from '../../pagination';

export const sourcesResolvers: Resolvers = {
  Query: {
    source: (_parent, { id }, { repositories }) => repositories.common.nodeOf(id, ['Source']),
    sources: (_parent, { kinds, reliability, ...args }, { repositories }) => {
      const filter = { kinds, reliability };
      return paged(
        args,
        'sources',
        (offset, limit) => repositories.sources.sources(filter, offset, limit),
        () => repositories.sources.sourceCount(filter),
      );
    },
  },

  Source: {
    document: (source, _args, { repositories }) => repositories.sources.document(source.id),
    citationCount: (source, _args, { repositories }) => repositories.sources.citationCount(source.id),
  },

  SourceConnection: { totalCount: (connection) => connection.totalCount() },
};
