import type { Resolvers } from '../../generated/graphql';
import { paged } from '../../pagination';
import { localized, type LinkProps, type Related } from '../common/models';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../../context';
import { projectionFor } from '../selection';
import { IMPLEMENTATION_EXTENTS, type LegalInstrumentModel, type ProvisionModel } from './models';
import { linkFields, required, resolveEntityType, sourcedFields, stateId } from '../common/resolvers';

/** Links from `from` to each related entity. */
export function linksFrom<F, T>(from: F, related: Array<Related<T>>) {
  return related.map(({ node, rel }) => ({ from, to: node, rel }));
}

/** Links to `to` from each related entity. */
export function linksTo<F, T>(to: T, related: Array<Related<F>>) {
  return related.map(({ node, rel }) => ({ from: node, to, rel }));
}

/** How fully a provision implements an article; a link that does not say is PARTIAL. */
function implementationExtent(rel: LinkProps) {
  return IMPLEMENTATION_EXTENTS.find((extent) => extent === rel.extent) ?? 'PARTIAL';
}

/**
 * The instrument a provision belongs to: through its HAS_PROVISION link, else (a data error) by the
 * provision's `instrumentId`, read from the whole provision: the provision may have been read with the
 * projection of another field's selection (`Implementation.instrument` reads the provision that
 * `TreatyArticle.implementations` projected), which need not name `instrumentId`.
 */
async function instrumentOf(
  provision: ProvisionModel,
  { repositories }: Context,
  info: GraphQLResolveInfo,
): Promise<LegalInstrumentModel> {
  const linked = await repositories.nationalLaw.provisionInstrument(
    provision.id,
    projectionFor(info, 'LegalInstrument'),
  );
  if (linked) return linked;
  const whole = required(
    await repositories.common.nodeOf(provision.id, ['Provision']),
    `Provision ${provision.id} is referenced but does not exist`,
  );
  return required(
    await repositories.common.nodeOf(whole.instrumentId, ['LegalInstrument']),
    `Instrument ${whole.instrumentId} is referenced but does not exist`,
  );
}

export const nationalLawResolvers: Resolvers = {
  Query: {
    legalInstrument: (_parent, { id }, { repositories }) => repositories.common.nodeOf(id, ['LegalInstrument']),
    legalInstruments: (_parent, { filter, ...args }, { repositories }) => {
      const scope = { ...filter, state: filter?.state ? stateId(filter.state) : null };
      return paged(
        args,
        'legalInstruments',
        (offset, limit) => repositories.nationalLaw.legalInstruments(scope, offset, limit),
        () => repositories.nationalLaw.legalInstrumentCount(scope),
      );
    },
    provision: (_parent, { id }, { repositories }) => repositories.common.nodeOf(id, ['Provision']),
    provisions: (_parent, { state, implementsArticle, verification, ...args }, { repositories }) => {
      const filter = { state: state ? stateId(state) : null, implementsArticle, verification };
      return paged(
        args,
        'provisions',
        (offset, limit) => repositories.nationalLaw.provisions(filter, offset, limit),
        () => repositories.nationalLaw.provisionCount(filter),
      );
    },
  },

  LegalInstrument: {
    ...sourcedFields,
    state: async (instrument, _args, { repositories }) =>
      required(await repositories.common.stateOf(instrument.id), `${instrument.id} has no OF_STATE link`),
    titleOriginal: (instrument) => localized(instrument.titleOriginalLanguage, instrument.titleOriginalText),
    provisions: (instrument, _args, { repositories }) => repositories.nationalLaw.provisionsOf(instrument.id),
    amends: async (instrument, _args, { repositories }) =>
      linksFrom(instrument, await repositories.nationalLaw.amends(instrument.id)),
    amendedBy: async (instrument, _args, { repositories }) =>
      linksTo(instrument, await repositories.nationalLaw.amendedBy(instrument.id)),
    issuedUnder: async (instrument, _args, { repositories }) =>
      linksFrom(instrument, await repositories.nationalLaw.issuedUnder(instrument.id)),
    implements: async (instrument, _args, { repositories }) =>
      linksFrom(instrument, await repositories.nationalLaw.instrumentImplements(instrument.id)),
    establishedBodies: (instrument, _args, { repositories }) => repositories.common.bodiesEstablishedBy(instrument.id),
    answers: async (instrument, _args, { repositories }) =>
      linksFrom(instrument, await repositories.common.answersGiven(instrument.id)),
  },

  Provision: {
    ...sourcedFields,
    instrument: (provision, _args, context, info) => instrumentOf(provision, context, info),
    texts: (provision, _args, { repositories }) => repositories.common.texts(provision.id),
    implements: async (provision, _args, { repositories }) =>
      linksFrom(provision, await repositories.nationalLaw.implements(provision.id)),
    establishedBodies: (provision, _args, { repositories }, info) =>
      repositories.common.bodiesEstablishedBy(provision.id, projectionFor(info, 'Body')),
    mandatedBodies: (provision, _args, { repositories }, info) =>
      repositories.nationalLaw.bodiesMandatedByProvision(provision.id, projectionFor(info, 'Body')),
    groundedMechanisms: (provision, _args, { repositories }) =>
      repositories.nationalLaw.groundedMechanisms(provision.id),
    answers: async (provision, _args, { repositories }) =>
      linksFrom(provision, await repositories.common.answersGiven(provision.id)),
  },

  Implementation: {
    ...linkFields,
    // The implementing end is a provision, or a whole instrument (then provision is null).
    provision: (link) => (link.from.__label === 'Provision' ? link.from : null),
    instrument: (link, _args, context, info) =>
      link.from.__label === 'LegalInstrument' ? link.from : instrumentOf(link.from, context, info),
    article: (link) => link.to,
    extent: (link) => implementationExtent(link.rel),
    mergedWith: (link, _args, { repositories }) =>
      repositories.common.existing(
        link.rel.mergedWith,
        ['TreatyArticle'],
        `The implementation ${link.from.id} → ${link.to.id}`,
      ),
    merged: (link) => link.rel.mergedWith.length > 0,
  },

  Amendment: {
    ...linkFields,
    amending: (link) => link.from,
    amended: (link) => link.to,
    date: (link) => link.rel.date,
  },

  LegalBasis: {
    ...linkFields,
    basis: (link) => link.to,
  },
  LegalBasisTarget: { __resolveType: resolveEntityType },

  LegalInstrumentConnection: { totalCount: (connection) => connection.totalCount() },
  ProvisionConnection: { totalCount: (connection) => connection.totalCount() },
  ImplementationConnection: { totalCount: (connection) => connection.totalCount() },
};
