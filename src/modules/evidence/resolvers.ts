import type { Resolvers } from '../../generated/graphql';
import { paged } from '../../pagination';
import { linkFields, required, resolveEntityType, sourcedFields, stateId } from '../common/resolvers';
import { linksFrom } from '../national-law/resolvers';

export const evidenceResolvers: Resolvers = {
  Query: {
    evidence: (_parent, { state, about, types, verification, ...args }, { repositories }) => {
      const filter = {
        labels: types?.length
          ? types.map((type) => (type === 'STATISTIC' ? 'Statistic' : 'Finding'))
          : (['Statistic', 'Finding'] as const),
        state: state ? stateId(state) : null,
        about,
        verification,
      };
      return paged(
        args,
        'evidence',
        (offset, limit) => repositories.evidence.evidence(filter, offset, limit),
        () => repositories.evidence.evidenceCount(filter),
      );
    },
  },

  Evidence: { __resolveType: resolveEntityType },

  Statistic: {
    ...sourcedFields,
    state: async (statistic, _args, { repositories }) =>
      required(await repositories.common.stateOf(statistic.id), `${statistic.id} has no OF_STATE link`),
    about: async (statistic, _args, { repositories }) =>
      linksFrom(statistic, await repositories.evidence.about(statistic.id)),
    supports: (statistic, _args, { repositories }) => repositories.evidence.supports(statistic.id),
  },
  Finding: {
    ...sourcedFields,
    state: async (finding, _args, { repositories }) =>
      required(await repositories.common.stateOf(finding.id), `${finding.id} has no OF_STATE link`),
    about: async (finding, _args, { repositories }) =>
      linksFrom(finding, await repositories.evidence.about(finding.id)),
    supportedBy: (finding, _args, { repositories }) => repositories.evidence.supportedBy(finding.id),
  },
  EvidenceLink: {
    ...linkFields,
    target: (link) => link.to,
  },

  EvidenceConnection: { totalCount: (connection) => connection.totalCount() },
};
