import { ListFilter } from '../../db/cypher';
import type { GraphReader, Hop } from '../graph-reader';

export const IMPLEMENTATION_HOPS = {
  parent: { name: 'Body.parent', type: 'PART_OF', direction: 'out', match: 'Body', targets: ['Body'] },
  children: {
    name: 'Body.children',
    type: 'PART_OF',
    direction: 'in',
    match: 'Body',
    targets: ['Body'],
    orderBy: 't.name, t.id',
  },
  establishedBy: {
    name: 'Body.establishedBy',
    type: 'ESTABLISHED_BY',
    direction: 'out',
    match: 'Entity',
    targets: ['Provision', 'LegalInstrument'],
  },
  mandatedBy: {
    name: 'Body.mandatedBy',
    type: 'MANDATED_BY',
    direction: 'out',
    match: 'Entity',
    targets: ['Provision', 'LegalInstrument'],
  },
  bodyMechanisms: {
    name: 'Body.mechanisms',
    type: 'RUN_BY',
    direction: 'in',
    match: 'Mechanism',
    targets: ['Mechanism'],
    orderBy: 't.name, t.id',
  },
  runBy: {
    name: 'Mechanism.runBy',
    type: 'RUN_BY',
    direction: 'out',
    match: 'Body',
    targets: ['Body'],
    orderBy: 't.name, t.id',
  },
  groundedIn: {
    name: 'Mechanism.groundedIn',
    type: 'GROUNDED_IN',
    direction: 'out',
    match: 'Entity',
    targets: ['Provision', 'LegalInstrument'],
  },
  givesEffectTo: {
    name: 'Mechanism.givesEffectTo',
    type: 'GIVES_EFFECT_TO',
    direction: 'out',
    match: 'TreatyArticle',
    targets: ['TreatyArticle'],
  },
} as const satisfies Record<string, Hop<'Body' | 'Provision' | 'LegalInstrument' | 'Mechanism' | 'TreatyArticle'>>;

export interface BodyFilter {
  state?: string | null;
  kinds?: readonly string[] | null;
  level?: string | null;
  status?: string | null;
  verification?: string | null;
}

export interface MechanismFilter {
  state?: string | null;
  article?: string | null;
  kinds?: readonly string[] | null;
  statuses?: readonly string[] | null;
  verification?: string | null;
}

function bodyList(filter: BodyFilter) {
  return new ListFilter()
    .matching('state', filter.state, '(n)-[:OF_STATE]->(:State {id: $state})')
    .when('kinds', filter.kinds, 'n.kind IN $kinds')
    .when('level', filter.level, 'n.level = $level')
    .when('status', filter.status, 'n.status = $status')
    .when('verification', filter.verification, 'n.verification = $verification')
    .spec('Query.bodies', 'Body', 'n.name, n.id');
}

function mechanismList(filter: MechanismFilter) {
  return new ListFilter()
    .matching('state', filter.state, '(n)-[:OF_STATE]->(:State {id: $state})')
    .matching('article', filter.article, '(n)-[:GIVES_EFFECT_TO]->(:TreatyArticle {id: $article})')
    .when('kinds', filter.kinds, 'n.kind IN $kinds')
    .when('statuses', filter.statuses, 'n.status IN $statuses')
    .when('verification', filter.verification, 'n.verification = $verification')
    .spec('Query.mechanisms', 'Mechanism', 'n.name, n.id');
}

/** The bodies and mechanisms meant to make rights real. */
export class ImplementationRepository {
  constructor(private readonly graph: GraphReader) {}

  bodies(filter: BodyFilter, offset: number, limit: number) {
    return this.graph.list({ ...bodyList(filter), kinds: ['Body'] }, offset, limit);
  }

  bodyCount(filter: BodyFilter) {
    return this.graph.listCount(bodyList(filter));
  }

  mechanisms(filter: MechanismFilter, offset: number, limit: number) {
    return this.graph.list({ ...mechanismList(filter), kinds: ['Mechanism'] }, offset, limit);
  }

  mechanismCount(filter: MechanismFilter) {
    return this.graph.listCount(mechanismList(filter));
  }

  parent(bodyId: string) {
    return this.graph.one(IMPLEMENTATION_HOPS.parent, bodyId);
  }

  children(bodyId: string) {
    return this.graph.targets(IMPLEMENTATION_HOPS.children, bodyId);
  }

  establishedBy(bodyId: string) {
    return this.graph.related(IMPLEMENTATION_HOPS.establishedBy, bodyId);
  }

  mandatedBy(bodyId: string) {
    return this.graph.related(IMPLEMENTATION_HOPS.mandatedBy, bodyId);
  }

  async mechanismsRunBy(bodyId: string, offset: number, limit: number) {
    return (await this.graph.page(IMPLEMENTATION_HOPS.bodyMechanisms, bodyId, offset, limit)).map((item) => item.node);
  }

  mechanismsRunByCount(bodyId: string) {
    return this.graph.count(IMPLEMENTATION_HOPS.bodyMechanisms, bodyId);
  }

  runBy(mechanismId: string) {
    return this.graph.related(IMPLEMENTATION_HOPS.runBy, mechanismId);
  }

  groundedIn(mechanismId: string) {
    return this.graph.related(IMPLEMENTATION_HOPS.groundedIn, mechanismId);
  }

  givesEffectTo(mechanismId: string) {
    return this.graph.targets(IMPLEMENTATION_HOPS.givesEffectTo, mechanismId);
  }
}

/** The root lists' builders (the warm-up, src/db/warm-up.ts, plans each unfiltered). */
export const IMPLEMENTATION_LISTS = {
  bodyList: bodyList,
  mechanismList: mechanismList,
};
