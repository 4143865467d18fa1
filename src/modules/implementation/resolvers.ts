import type { Resolvers } from '../../generated/graphql';
import { paged } from '../../pagination';
import { localized } from '../common/models';
import { linkFields, required, sourcedFields, stateId } from '../common/resolvers';
import { linksFrom } from '../national-law/resolvers';

export const implementationResolvers: Resolvers = {
  Query: {
    body: (_parent, { id }, { repositories }) => repositories.common.nodeOf(id, ['Body']),
    bodies: (_parent, { filter, ...args }, { repositories }) => {
      const scope = { ...filter, state: filter?.state ? stateId(filter.state) : null };
      return paged(
        args,
        'bodies',
        (offset, limit) => repositories.implementation.bodies(scope, offset, limit),
        () => repositories.implementation.bodyCount(scope),
      );
    },
    mechanism: (_parent, { id }, { repositories }) => repositories.common.nodeOf(id, ['Mechanism']),
    mechanisms: (_parent, { filter, ...args }, { repositories }) => {
      const scope = { ...filter, state: filter?.state ? stateId(filter.state) : null };
      return paged(
        args,
        'mechanisms',
        (offset, limit) => repositories.implementation.mechanisms(scope, offset, limit),
        () => repositories.implementation.mechanismCount(scope),
      );
    },
  },

  Body: {
    ...sourcedFields,
    state: async (body, _args, { repositories }) =>
      required(await repositories.common.stateOf(body.id), `${body.id} has no OF_STATE link`),
    nameOriginal: (body) => localized(body.nameOriginalLanguage, body.nameOriginalText),
    parent: (body, _args, { repositories }) => repositories.implementation.parent(body.id),
    children: (body, _args, { repositories }) => repositories.implementation.children(body.id),
    establishedBy: async (body, _args, { repositories }) =>
      linksFrom(body, await repositories.implementation.establishedBy(body.id)),
    mandatedBy: async (body, _args, { repositories }) =>
      linksFrom(body, await repositories.implementation.mandatedBy(body.id)),
    mechanisms: (body, args, { repositories }) =>
      paged(
        args,
        'Body.mechanisms',
        (offset, limit) => repositories.implementation.mechanismsRunBy(body.id, offset, limit),
        () => repositories.implementation.mechanismsRunByCount(body.id),
      ),
    answers: async (body, _args, { repositories }) => linksFrom(body, await repositories.common.answersGiven(body.id)),
  },

  Mechanism: {
    ...sourcedFields,
    state: async (mechanism, _args, { repositories }) =>
      required(await repositories.common.stateOf(mechanism.id), `${mechanism.id} has no OF_STATE link`),
    runBy: async (mechanism, _args, { repositories }) =>
      linksFrom(mechanism, await repositories.implementation.runBy(mechanism.id)),
    groundedIn: async (mechanism, _args, { repositories }) =>
      linksFrom(mechanism, await repositories.implementation.groundedIn(mechanism.id)),
    givesEffectTo: (mechanism, _args, { repositories }) => repositories.implementation.givesEffectTo(mechanism.id),
    answers: async (mechanism, _args, { repositories }) =>
      linksFrom(mechanism, await repositories.common.answersGiven(mechanism.id)),
    evidence: (mechanism, _args, { repositories }) => repositories.common.evidenceAbout(mechanism.id),
  },

  MechanismOperator: {
    ...linkFields,
    body: (link) => link.to,
  },

  BodyConnection: { totalCount: (connection) => connection.totalCount() },
  MechanismConnection: { totalCount: (connection) => connection.totalCount() },
};
