import { LIMITS } from '../../limits';
import type { GraphReader, Hop, List } from '../graph-reader';
import { dateOrder, RECOMMENDATION_ORDER } from '../treaties/repository';

export const STATE_HOPS = {
  treatyActions: {
    name: 'State.treatyActions',
    type: 'TOOK_ACTION',
    direction: 'out',
    match: 'TreatyAction',
    targets: ['TreatyAction'],
    orderBy: dateOrder('date'),
  },
  legalInstruments: {
    name: 'State.legalInstruments',
    type: 'OF_STATE',
    direction: 'in',
    match: 'LegalInstrument',
    targets: ['LegalInstrument'],
    orderBy: dateOrder('adopted'),
  },
  bodies: {
    name: 'State.bodies',
    type: 'OF_STATE',
    direction: 'in',
    match: 'Body',
    targets: ['Body'],
    orderBy: 't.name, t.id',
  },
  mechanisms: {
    name: 'State.mechanisms',
    type: 'OF_STATE',
    direction: 'in',
    match: 'Mechanism',
    targets: ['Mechanism'],
    orderBy: 't.name, t.id',
  },
  documents: {
    name: 'State.documents',
    type: 'CONCERNS_STATE',
    direction: 'in',
    match: 'Document',
    targets: ['Document'],
    orderBy: dateOrder('date'),
  },
  recommendations: {
    name: 'State.recommendations',
    type: 'ADDRESSED_TO',
    direction: 'in',
    match: 'Recommendation',
    targets: ['Recommendation'],
    orderBy: RECOMMENDATION_ORDER,
  },
  actionState: { name: 'TreatyAction.state', type: 'TOOK_ACTION', direction: 'in', match: 'State', targets: ['State'] },
  actionTreaty: {
    name: 'TreatyAction.treaty',
    type: 'ON_TREATY',
    direction: 'out',
    match: 'Treaty',
    targets: ['Treaty'],
  },
  actionDomesticAct: {
    name: 'TreatyAction.domesticAct',
    type: 'BY_ACT',
    direction: 'out',
    match: 'LegalInstrument',
    targets: ['LegalInstrument'],
  },
} as const satisfies Record<
  string,
  Hop<'TreatyAction' | 'LegalInstrument' | 'Body' | 'Mechanism' | 'Document' | 'Recommendation' | 'State' | 'Treaty'>
>;

/** The paged lists of what a state has; each field of State that is a connection names one. */
export type StateList = 'legalInstruments' | 'bodies' | 'mechanisms' | 'documents' | 'recommendations';

/** The root lists (their statements are planned by the warm-up, src/db/warm-up.ts). */
export const STATE_LISTS = {
  states: { name: 'Query.states', label: 'State', kinds: ['State'], orderBy: 'n.name, n.id' },
} as const satisfies Record<string, List<'State'>>;

/** States, their treaty actions, and the lists of what each state has. */
export class StatesRepository {
  constructor(private readonly graph: GraphReader) {}

  states(offset: number, limit: number) {
    return this.graph.list(STATE_LISTS.states, offset, limit);
  }

  stateCount() {
    return this.graph.listCount(STATE_LISTS.states);
  }

  /** A state's treaty actions, on one treaty if given. */
  async treatyActions(stateId: string, treaty: string | null) {
    const hop = treaty
      ? {
          ...STATE_HOPS.treatyActions,
          where: 'EXISTS { (t)-[:ON_TREATY]->(:Treaty {id: $treaty}) }',
          params: { treaty },
        }
      : STATE_HOPS.treatyActions;
    return (await this.graph.page(hop, stateId, 0, LIMITS.maxUnpagedList)).map((item) => item.node);
  }

  async legalInstruments(stateId: string, offset: number, limit: number) {
    return (await this.graph.page(STATE_HOPS.legalInstruments, stateId, offset, limit)).map((item) => item.node);
  }

  async bodies(stateId: string, offset: number, limit: number) {
    return (await this.graph.page(STATE_HOPS.bodies, stateId, offset, limit)).map((item) => item.node);
  }

  async mechanisms(stateId: string, offset: number, limit: number) {
    return (await this.graph.page(STATE_HOPS.mechanisms, stateId, offset, limit)).map((item) => item.node);
  }

  async documents(stateId: string, offset: number, limit: number) {
    return (await this.graph.page(STATE_HOPS.documents, stateId, offset, limit)).map((item) => item.node);
  }

  async recommendations(stateId: string, offset: number, limit: number) {
    return (await this.graph.page(STATE_HOPS.recommendations, stateId, offset, limit)).map((item) => item.node);
  }

  count(list: StateList, stateId: string) {
    return this.graph.count(STATE_HOPS[list], stateId);
  }

  actionState(actionId: string) {
    return this.graph.one(STATE_HOPS.actionState, actionId);
  }

  actionTreaty(actionId: string) {
    return this.graph.one(STATE_HOPS.actionTreaty, actionId);
  }

  domesticAct(actionId: string) {
    return this.graph.one(STATE_HOPS.actionDomesticAct, actionId);
  }
}
