import type { Resolvers } from '../generated/graphql';
import type { DocumentModel, FindingModel, LinkModel, SourceModel, StateModel, StatisticModel, ClaimModel, CitationModel } from '../db/models';
import { ListQuery } from '../db/list-repository';
import { REL } from './relations';
import { checkIdCount, linkFields, linksFrom, listConnection, optional, resolveEntityType, sourcedFields, stateId } from './common';

async function stateOf(id: string, loaders: import('../db/graph-loaders').GraphLoaders): Promise<StateModel> {
  const [state] = await loaders.related(REL.ofState).load(id);
  if (!state) throw new Error(`${id} has no OF_STATE link`);
  return state.node as StateModel;
}

export const evidenceSourceResolvers: Resolvers = {
  Query: {
    node: (_parent, { id }, { loaders }) => loaders.node.load(id) as never,
    nodes: async (_parent, { ids }, { loaders }) => {
      checkIdCount(ids, 'nodes(ids:)');
      return (await loaders.node.loadMany(ids)).map((node) => (node instanceof Error ? null : node)) as never;
    },
    evidence: (_parent, { state, about, types, verification, ...page }, context) => {
      const labels = types?.length ? types.map((type) => (type === 'STATISTIC' ? 'Statistic' : 'Finding')) : ['Statistic', 'Finding'];
      // Statistic and Finding nodes also carry the label Evidence.
      const spec = new ListQuery('Evidence' as never, 'n.id')
        .where('labels', labels, 'any(label IN labels(n) WHERE label IN $labels)')
        .match('state', state && stateId(state), '(n)-[:OF_STATE]->(:State {id: $state})')
        .match('about', about, '(n)-[:ABOUT]->(:Entity {id: $about})')
        .where('verification', verification, 'n.verification = $verification')
        .build();
      return listConnection(context, spec, page, 'evidence') as Promise<never>;
    },
    source: async (_parent, { id }, { loaders }) => {
      const node = await loaders.node.load(id);
      return node?.__label === 'Source' ? (node as SourceModel) : null;
    },
    sources: (_parent, { kinds, reliability, ...page }, context) => {
      const spec = new ListQuery('Source', 'n.id')
        .where('kinds', kinds, 'n.kind IN $kinds')
        .where('reliability', reliability, 'n.reliability = $reliability')
        .build();
      return listConnection(context, spec, page, 'sources') as Promise<never>;
    },
  },

  Node: { __resolveType: resolveEntityType as never },
  Sourced: { __resolveType: resolveEntityType as never },
  SourcedLink: { __resolveType: () => null as never },
  Evidence: { __resolveType: resolveEntityType as never },

  Citation: {
    source: async (citation: CitationModel, _args, { loaders }) => {
      if (citation.source) return citation.source;
      const source = await loaders.node.load(citation.sourceId);
      if (!source) throw new Error(`Citation names source ${citation.sourceId}, which does not exist`);
      return source as SourceModel;
    },
    quote: (citation: CitationModel) => citation.quote ?? null,
  },
  Claim: {
    sources: (claim: ClaimModel) => claim.citations,
    note: (claim: ClaimModel) => claim.note ?? null,
  },
  TextVersion: {
    sources: (text) => text.citations,
  },

  Statistic: {
    ...sourcedFields,
    state: (statistic, _args, { loaders }) => stateOf(statistic.id, loaders),
    about: async (statistic, _args, { loaders }) => linksFrom(statistic, await loaders.related(REL.aboutTargets).load(statistic.id)),
    supports: async (statistic, _args, { loaders }) => (await loaders.related(REL.supports).load(statistic.id)).map((r) => r.node as FindingModel),
  },
  Finding: {
    ...sourcedFields,
    state: (finding, _args, { loaders }) => stateOf(finding.id, loaders),
    about: async (finding, _args, { loaders }) => linksFrom(finding, await loaders.related(REL.aboutTargets).load(finding.id)),
    supportedBy: async (finding, _args, { loaders }) => (await loaders.related(REL.supportedBy).load(finding.id)).map((r) => r.node as StatisticModel),
  },
  EvidenceLink: {
    ...linkFields,
    target: (link: LinkModel) => link.to as never,
  },

  Source: {
    authors: (source) => source.authors ?? [],
    publisher: (source) => optional(source.publisher),
    published: (source) => optional(source.published),
    url: (source) => optional(source.url),
    note: (source) => optional(source.note),
    document: async (source, _args, { loaders }) => ((await loaders.related(REL.sourceDocument).load(source.id))[0]?.node as DocumentModel | undefined) ?? null,
    citationCount: (source, _args, { loaders }) => loaders.citationCount.load(source.id),
  },

  EvidenceConnection: { totalCount: (connection) => connection.totalCount() },
  SourceConnection: { totalCount: (connection) => connection.totalCount() },
};
