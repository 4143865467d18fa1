import type { Resolvers } from '../../generated/graphql';
import { paged } from '../../pagination';
import { required, sourcedFields, stateId, treatyId } from '../common/resolvers';

export const statesResolvers: Resolvers = {
  Query: {
    state: (_parent, { id }, { repositories }) => repositories.common.nodeOf(stateId(id), ['State']),
    states: (_parent, args, { repositories }) =>
      paged(
        args,
        'states',
        (offset, limit) => repositories.states.states(offset, limit),
        () => repositories.states.stateCount(),
      ),
  },

  State: {
    ...sourcedFields,
    treatyActions: (state, { treaty }, { repositories }) =>
      repositories.states.treatyActions(state.id, treaty ? treatyId(treaty) : null),
    legalInstruments: (state, args, { repositories }) =>
      paged(
        args,
        'State.legalInstruments',
        (offset, limit) => repositories.states.legalInstruments(state.id, offset, limit),
        () => repositories.states.count('legalInstruments', state.id),
      ),
    bodies: (state, args, { repositories }) =>
      paged(
        args,
        'State.bodies',
        (offset, limit) => repositories.states.bodies(state.id, offset, limit),
        () => repositories.states.count('bodies', state.id),
      ),
    mechanisms: (state, args, { repositories }) =>
      paged(
        args,
        'State.mechanisms',
        (offset, limit) => repositories.states.mechanisms(state.id, offset, limit),
        () => repositories.states.count('mechanisms', state.id),
      ),
    documents: (state, args, { repositories }) =>
      paged(
        args,
        'State.documents',
        (offset, limit) => repositories.states.documents(state.id, offset, limit),
        () => repositories.states.count('documents', state.id),
      ),
    recommendations: (state, args, { repositories }) =>
      paged(
        args,
        'State.recommendations',
        (offset, limit) => repositories.states.recommendations(state.id, offset, limit),
        () => repositories.states.count('recommendations', state.id),
      ),
  },

  TreatyAction: {
    ...sourcedFields,
    state: async (action, _args, { repositories }) =>
      required(await repositories.states.actionState(action.id), `${action.id} has no TOOK_ACTION link`),
    treaty: async (action, _args, { repositories }) =>
      required(await repositories.states.actionTreaty(action.id), `${action.id} has no ON_TREATY link`),
    domesticAct: (action, _args, { repositories }) => repositories.states.domesticAct(action.id),
  },

  StateConnection: { totalCount: (connection) => connection.totalCount() },
};
