import type { Resolvers } from '../generated/graphql';
import type {
  BodyModel,
  EntityModel,
  LegalInstrumentModel,
  LinkModel,
  MechanismModel,
  ProvisionModel,
  StateModel,
  TreatyArticleModel,
} from '../db/models';
import { ListQuery } from '../db/list-repository';
import type { Context } from '../context';
import { REL } from './relations';
import {
  linkFields,
  linksFrom,
  linksTo,
  listConnection,
  optional,
  relatedConnection,
  requireNode,
  resolveEntityType,
  sourcedFields,
  stateId,
} from './common';

async function stateOf(model: EntityModel, context: Context): Promise<StateModel> {
  const [state] = await context.loaders.related(REL.ofState).load(model.id);
  if (!state) throw new Error(`${model.id} has no OF_STATE link`);
  return state.node as StateModel;
}

async function loadMany<T extends EntityModel>(context: Context, ids: unknown): Promise<T[]> {
  const list = Array.isArray(ids) ? (ids as string[]) : [];
  const nodes = await context.loaders.node.loadMany(list);
  return nodes.filter((node): node is T => node !== null && !(node instanceof Error)) as T[];
}

/** The instrument a provision belongs to. */
async function instrumentOf(provision: EntityModel, context: Context): Promise<LegalInstrumentModel> {
  const [owner] = await context.loaders.related(REL.provisionInstrument).load(provision.id);
  return (owner?.node ?? (await requireNode(context, String(provision.id).replace(/:art:.*$/, ''), 'Instrument'))) as LegalInstrumentModel;
}

/** Originals such as a title in Russian are stored as two properties: `<name>Language` and `<name>Text`. */
function original(model: EntityModel, name: string) {
  const text = model[`${name}Text`];
  const language = model[`${name}Language`];
  return typeof text === 'string' && typeof language === 'string' ? { language, text } : null;
}

export const nationalImplementationResolvers: Resolvers = {
  Query: {
    legalInstrument: async (_parent, { id }, { loaders }) => {
      const node = await loaders.node.load(id);
      return node?.__label === 'LegalInstrument' ? (node as LegalInstrumentModel) : null;
    },
    legalInstruments: (_parent, { filter, ...page }, context) => {
      const spec = new ListQuery('LegalInstrument', `coalesce(n.adopted, '9999'), n.id`)
        .match('state', filter?.state && stateId(filter.state), '(n)-[:OF_STATE]->(:State {id: $state})')
        .where('kinds', filter?.kinds, 'n.kind IN $kinds')
        .where('inForce', filter?.inForce, 'n.inForce = $inForce')
        .where('verification', filter?.verification, 'n.verification = $verification')
        .build();
      return listConnection(context, spec, page, 'legalInstruments') as Promise<never>;
    },
    provision: async (_parent, { id }, { loaders }) => {
      const node = await loaders.node.load(id);
      return node?.__label === 'Provision' ? (node as ProvisionModel) : null;
    },
    provisions: (_parent, { state, implementsArticle, verification, ...page }, context) => {
      const spec = new ListQuery('Provision', 'n.id')
        .match('state', state && stateId(state), '(n)<-[:HAS_PROVISION]-(:LegalInstrument)-[:OF_STATE]->(:State {id: $state})')
        .match('article', implementsArticle, '(n)-[:IMPLEMENTS]->(:TreatyArticle {id: $article})')
        .where('verification', verification, 'n.verification = $verification')
        .build();
      return listConnection(context, spec, page, 'provisions') as Promise<never>;
    },
    body: async (_parent, { id }, { loaders }) => {
      const node = await loaders.node.load(id);
      return node?.__label === 'Body' ? (node as BodyModel) : null;
    },
    bodies: (_parent, { filter, ...page }, context) => {
      const spec = new ListQuery('Body', 'n.name, n.id')
        .match('state', filter?.state && stateId(filter.state), '(n)-[:OF_STATE]->(:State {id: $state})')
        .where('kinds', filter?.kinds, 'n.kind IN $kinds')
        .where('level', filter?.level, 'n.level = $level')
        .where('status', filter?.status, 'n.status = $status')
        .where('verification', filter?.verification, 'n.verification = $verification')
        .build();
      return listConnection(context, spec, page, 'bodies') as Promise<never>;
    },
    mechanism: async (_parent, { id }, { loaders }) => {
      const node = await loaders.node.load(id);
      return node?.__label === 'Mechanism' ? (node as MechanismModel) : null;
    },
    mechanisms: (_parent, { filter, ...page }, context) => {
      const spec = new ListQuery('Mechanism', 'n.name, n.id')
        .match('state', filter?.state && stateId(filter.state), '(n)-[:OF_STATE]->(:State {id: $state})')
        .match('article', filter?.article, '(n)-[:GIVES_EFFECT_TO]->(:TreatyArticle {id: $article})')
        .where('kinds', filter?.kinds, 'n.kind IN $kinds')
        .where('statuses', filter?.statuses, 'n.status IN $statuses')
        .where('verification', filter?.verification, 'n.verification = $verification')
        .build();
      return listConnection(context, spec, page, 'mechanisms') as Promise<never>;
    },
  },

  LegalInstrument: {
    ...sourcedFields,
    state: (instrument, _args, context) => stateOf(instrument, context),
    number: (instrument) => optional(instrument.number),
    titleOriginal: (instrument) => original(instrument, 'titleOriginal'),
    adopted: (instrument) => optional(instrument.adopted),
    enteredIntoForce: (instrument) => optional(instrument.enteredIntoForce),
    officialCode: (instrument) => optional(instrument.officialCode),
    provisions: async (instrument, _args, { loaders }) =>
      (await loaders.related(REL.instrumentProvisions).load(instrument.id)).map((r) => r.node as ProvisionModel),
    amends: async (instrument, _args, { loaders }) => linksFrom(instrument, await loaders.related(REL.amends).load(instrument.id)),
    amendedBy: async (instrument, _args, { loaders }) => linksTo(instrument, await loaders.related(REL.amendedBy).load(instrument.id)),
    issuedUnder: async (instrument, _args, { loaders }) => linksFrom(instrument, await loaders.related(REL.issuedUnder).load(instrument.id)),
    implements: async (instrument, _args, { loaders }) => linksFrom(instrument, await loaders.related(REL.implements).load(instrument.id)),
    establishedBodies: async (instrument, _args, { loaders }) =>
      (await loaders.related(REL.establishedBodies).load(instrument.id)).map((r) => r.node as BodyModel),
    answers: async (instrument, _args, { loaders }) => linksFrom(instrument, await loaders.related(REL.answersGiven).load(instrument.id)),
  },

  Provision: {
    ...sourcedFields,
    instrument: (provision, _args, context) => instrumentOf(provision, context),
    paragraph: (provision) => optional(provision.paragraph),
    item: (provision) => optional(provision.item),
    heading: (provision) => optional(provision.heading),
    texts: (provision, _args, { loaders }) => loaders.texts.load(provision.id),
    implements: async (provision, _args, { loaders }) => linksFrom(provision, await loaders.related(REL.implements).load(provision.id)),
    establishedBodies: async (provision, _args, { loaders }) =>
      (await loaders.related(REL.establishedBodies).load(provision.id)).map((r) => r.node as BodyModel),
    mandatedBodies: async (provision, _args, { loaders }) =>
      (await loaders.related(REL.mandatedBodies).load(provision.id)).map((r) => r.node as BodyModel),
    groundedMechanisms: async (provision, _args, { loaders }) =>
      (await loaders.related(REL.groundedMechanisms).load(provision.id)).map((r) => r.node as MechanismModel),
    answers: async (provision, _args, { loaders }) => linksFrom(provision, await loaders.related(REL.answersGiven).load(provision.id)),
  },

  Implementation: {
    ...linkFields,
    // The implementing end is a provision, or a whole instrument (then provision is null).
    provision: (link) => (link.from.__label === 'Provision' ? (link.from as ProvisionModel) : null),
    instrument: (link, _args, context) =>
      link.from.__label === 'LegalInstrument' ? (link.from as LegalInstrumentModel) : instrumentOf(link.from, context),
    article: (link) => link.to as TreatyArticleModel,
    extent: (link) => (link.rel.extent as never) ?? 'PARTIAL',
    mergedWith: (link, _args, context) => loadMany<TreatyArticleModel>(context, link.rel.mergedWith),
    merged: (link) => Array.isArray(link.rel.mergedWith) && link.rel.mergedWith.length > 0,
  },

  Amendment: {
    ...linkFields,
    amending: (link) => link.from as LegalInstrumentModel,
    amended: (link) => link.to as LegalInstrumentModel,
    date: (link) => optional(link.rel.date),
  },

  LegalBasis: {
    ...linkFields,
    basis: (link) => link.to as never,
  },
  LegalBasisTarget: { __resolveType: resolveEntityType as never },

  Body: {
    ...sourcedFields,
    state: (body, _args, context) => stateOf(body, context),
    nameOriginal: (body) => original(body, 'nameOriginal'),
    established: (body) => optional(body.established),
    description: (body) => optional(body.description),
    parent: async (body, _args, { loaders }) => ((await loaders.related(REL.bodyParent).load(body.id))[0]?.node as BodyModel | undefined) ?? null,
    children: async (body, _args, { loaders }) => (await loaders.related(REL.bodyChildren).load(body.id)).map((r) => r.node as BodyModel),
    establishedBy: async (body, _args, { loaders }) => linksFrom(body, await loaders.related(REL.establishedBy).load(body.id)),
    mandatedBy: async (body, _args, { loaders }) => linksFrom(body, await loaders.related(REL.mandatedBy).load(body.id)),
    mechanisms: (body, args, context) => relatedConnection(context, body.id, REL.bodyMechanisms, args, 'Body.mechanisms', (r) => r.node as never),
    answers: async (body, _args, { loaders }) => linksFrom(body, await loaders.related(REL.answersGiven).load(body.id)),
  },

  Mechanism: {
    ...sourcedFields,
    state: (mechanism, _args, context) => stateOf(mechanism, context),
    description: (mechanism) => optional(mechanism.description),
    since: (mechanism) => optional(mechanism.since),
    legalBasis: (mechanism) => mechanism.legalBasis,
    runBy: async (mechanism, _args, { loaders }) => linksFrom(mechanism, await loaders.related(REL.runBy).load(mechanism.id)),
    groundedIn: async (mechanism, _args, { loaders }) => linksFrom(mechanism, await loaders.related(REL.groundedIn).load(mechanism.id)),
    givesEffectTo: async (mechanism, _args, { loaders }) =>
      (await loaders.related(REL.givesEffectTo).load(mechanism.id)).map((r) => r.node as TreatyArticleModel),
    answers: async (mechanism, _args, { loaders }) => linksFrom(mechanism, await loaders.related(REL.answersGiven).load(mechanism.id)),
    evidence: async (mechanism, _args, { loaders }) => (await loaders.related(REL.evidenceAbout).load(mechanism.id)).map((r) => r.node as never),
  },

  MechanismOperator: {
    ...linkFields,
    body: (link: LinkModel) => link.to as BodyModel,
  },

  LegalInstrumentConnection: { totalCount: (connection) => connection.totalCount() },
  ProvisionConnection: { totalCount: (connection) => connection.totalCount() },
  ImplementationConnection: { totalCount: (connection) => connection.totalCount() },
  BodyConnection: { totalCount: (connection) => connection.totalCount() },
  MechanismConnection: { totalCount: (connection) => connection.totalCount() },
};

