import type { Reading } from '../entities';
import { ListFilter } from '../../db/cypher';
import type { GraphReader, Hop } from '../graph-reader';
import type { PrefetchField } from '../prefetch';
import { SHARED_HOPS } from '../common/repository';
import { dateOrder } from '../treaties/repository';

const PROVISION_ORDER = `toInteger(split(t.article, '-')[0]), t.article, coalesce(t.paragraph, ''), t.id`;

export const NATIONAL_LAW_HOPS = {
  provisions: {
    name: 'LegalInstrument.provisions',
    type: 'HAS_PROVISION',
    direction: 'out',
    match: 'Provision',
    targets: ['Provision'],
    orderBy: PROVISION_ORDER,
  },
  amends: {
    name: 'LegalInstrument.amends',
    type: 'AMENDS',
    direction: 'out',
    match: 'LegalInstrument',
    targets: ['LegalInstrument'],
    orderBy: dateOrder('adopted'),
  },
  amendedBy: {
    name: 'LegalInstrument.amendedBy',
    type: 'AMENDS',
    direction: 'in',
    match: 'LegalInstrument',
    targets: ['LegalInstrument'],
    orderBy: dateOrder('adopted'),
  },
  issuedUnder: {
    name: 'LegalInstrument.issuedUnder',
    type: 'ISSUED_UNDER',
    direction: 'out',
    match: 'Entity',
    targets: ['Provision', 'LegalInstrument'],
  },
  provisionInstrument: {
    name: 'Provision.instrument',
    type: 'HAS_PROVISION',
    direction: 'in',
    match: 'LegalInstrument',
    targets: ['LegalInstrument'],
  },
  implements: {
    name: 'Provision.implements',
    type: 'IMPLEMENTS',
    direction: 'out',
    match: 'TreatyArticle',
    targets: ['TreatyArticle'],
  },
  /** Articles an instrument implements as a whole (not through one of its provisions). */
  instrumentImplements: {
    name: 'LegalInstrument.implements',
    type: 'IMPLEMENTS',
    direction: 'out',
    match: 'TreatyArticle',
    targets: ['TreatyArticle'],
  },
  mandatedBodies: {
    name: 'Provision.mandatedBodies',
    type: 'MANDATED_BY',
    direction: 'in',
    match: 'Body',
    targets: ['Body'],
    orderBy: 't.name, t.id',
  },
  groundedMechanisms: {
    name: 'Provision.groundedMechanisms',
    type: 'GROUNDED_IN',
    direction: 'in',
    match: 'Mechanism',
    targets: ['Mechanism'],
    orderBy: 't.name, t.id',
  },
} as const satisfies Record<string, Hop<'Provision' | 'LegalInstrument' | 'Body' | 'TreatyArticle' | 'Mechanism'>>;

export interface LegalInstrumentFilter {
  state?: string | null;
  kinds?: readonly string[] | null;
  inForce?: string | null;
  verification?: string | null;
}

export interface ProvisionFilter {
  state?: string | null;
  implementsArticle?: string | null;
  verification?: string | null;
}

function instrumentList(filter: LegalInstrumentFilter) {
  return new ListFilter()
    .matching('state', filter.state, '(n)-[:OF_STATE]->(:State {id: $state})')
    .when('kinds', filter.kinds, 'n.kind IN $kinds')
    .when('inForce', filter.inForce, 'n.inForce = $inForce')
    .when('verification', filter.verification, 'n.verification = $verification')
    .spec('Query.legalInstruments', 'LegalInstrument', `coalesce(n.adopted, '9999'), n.id`);
}

function provisionList(filter: ProvisionFilter) {
  return new ListFilter()
    .matching('state', filter.state, '(n)<-[:HAS_PROVISION]-(:LegalInstrument)-[:OF_STATE]->(:State {id: $state})')
    .matching('article', filter.implementsArticle, '(n)-[:IMPLEMENTS]->(:TreatyArticle {id: $article})')
    .when('verification', filter.verification, 'n.verification = $verification')
    .spec('Query.provisions', 'Provision', 'n.id');
}

/** National law: instruments, their provisions, and what links to them. */
export class NationalLawRepository {
  constructor(private readonly graph: GraphReader) {}

  legalInstruments(filter: LegalInstrumentFilter, offset: number, limit: number) {
    return this.graph.list({ ...instrumentList(filter), kinds: ['LegalInstrument'] }, offset, limit);
  }

  legalInstrumentCount(filter: LegalInstrumentFilter) {
    return this.graph.listCount(instrumentList(filter));
  }

  provisions(filter: ProvisionFilter, offset: number, limit: number) {
    return this.graph.list({ ...provisionList(filter), kinds: ['Provision'] }, offset, limit);
  }

  provisionCount(filter: ProvisionFilter) {
    return this.graph.listCount(provisionList(filter));
  }

  provisionsOf(instrumentId: string) {
    return this.graph.targets(NATIONAL_LAW_HOPS.provisions, instrumentId);
  }

  amends(instrumentId: string) {
    return this.graph.related(NATIONAL_LAW_HOPS.amends, instrumentId);
  }

  amendedBy(instrumentId: string) {
    return this.graph.related(NATIONAL_LAW_HOPS.amendedBy, instrumentId);
  }

  issuedUnder(instrumentId: string) {
    return this.graph.related(NATIONAL_LAW_HOPS.issuedUnder, instrumentId);
  }

  provisionInstrument(provisionId: string, reading: Reading = 'light') {
    return this.graph.one(NATIONAL_LAW_HOPS.provisionInstrument, provisionId, reading);
  }

  implements(provisionId: string) {
    return this.graph.related(NATIONAL_LAW_HOPS.implements, provisionId);
  }

  instrumentImplements(instrumentId: string) {
    return this.graph.related(NATIONAL_LAW_HOPS.instrumentImplements, instrumentId);
  }

  bodiesMandatedByProvision(provisionId: string, reading: Reading = 'light') {
    return this.graph.targets(NATIONAL_LAW_HOPS.mandatedBodies, provisionId, reading);
  }

  groundedMechanisms(provisionId: string) {
    return this.graph.targets(NATIONAL_LAW_HOPS.groundedMechanisms, provisionId);
  }
}

/** The root lists' builders (the warm-up, src/db/warm-up.ts, plans each unfiltered). */
export const NATIONAL_LAW_LISTS = {
  instrumentList: instrumentList,
  provisionList: provisionList,
};

/** The fields of this module's types that a parent's statement can read ahead (modules/prefetch.ts). */
export const NATIONAL_LAW_PREFETCH: Record<string, PrefetchField> = {
  'Provision.instrument': {
    kind: 'hop',
    hop: () => NATIONAL_LAW_HOPS.provisionInstrument,
    reading: 'LegalInstrument',
    items: [],
  },
  'Provision.establishedBodies': { kind: 'hop', hop: () => SHARED_HOPS.establishedBodies, reading: 'Body', items: [] },
  'Provision.mandatedBodies': { kind: 'hop', hop: () => NATIONAL_LAW_HOPS.mandatedBodies, reading: 'Body', items: [] },
  // The implementing end: a provision (the link's target), or a whole instrument.
  'Implementation.provision': { kind: 'same' },
  // A provision's instrument (a whole instrument is the link's own end, and has no HAS_PROVISION to itself).
  'Implementation.instrument': {
    kind: 'hop',
    hop: () => NATIONAL_LAW_HOPS.provisionInstrument,
    reading: 'LegalInstrument',
    items: [],
  },
};
