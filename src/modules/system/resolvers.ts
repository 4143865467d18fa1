import type { Resolvers } from '../../generated/graphql';

export const systemResolvers: Resolvers = {
  Query: {
    about: (_parent, _args, { repositories }) => repositories.system.graphInfo(),
  },
};
