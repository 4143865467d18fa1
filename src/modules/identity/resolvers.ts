import type { Resolvers } from '../../generated/graphql';
import { rolesOf, signedIn } from './viewer';

export const identityResolvers: Resolvers = {
  Query: {
    viewer: (_parent, _args, { viewer }) => signedIn(viewer),
  },
  Viewer: {
    roles: (user) => rolesOf(user),
    editorStates: (user) => [...user.editorStates],
    editorBodyIds: (user) => [...user.editorBodies],
    authenticatedBy: (user) => user.via,
  },
};
