import { ListFilter } from '../../db/cypher';
import { ENTITY_LABELS } from '../entities';
import type { GraphReader, Hop } from '../graph-reader';
import { EVIDENCE_LABELS } from './models';

export const EVIDENCE_HOPS = {
  about: { name: 'Evidence.about', type: 'ABOUT', direction: 'out', match: 'Entity', targets: ENTITY_LABELS },
  supports: {
    name: 'Statistic.supports',
    type: 'SUPPORTED_BY',
    direction: 'in',
    match: 'Finding',
    targets: ['Finding'],
  },
  supportedBy: {
    name: 'Finding.supportedBy',
    type: 'SUPPORTED_BY',
    direction: 'out',
    match: 'Statistic',
    targets: ['Statistic'],
  },
} as const satisfies Record<string, Hop<'Finding' | 'Statistic' | (typeof ENTITY_LABELS)[number]>>;

export interface EvidenceFilter {
  labels: ReadonlyArray<(typeof EVIDENCE_LABELS)[number]>;
  state?: string | null;
  about?: string | null;
  verification?: string | null;
}

function evidenceList(filter: EvidenceFilter) {
  // Statistic and Finding nodes also carry the label Evidence.
  return new ListFilter()
    .when('labels', filter.labels, 'any(label IN labels(n) WHERE label IN $labels)')
    .matching('state', filter.state, '(n)-[:OF_STATE]->(:State {id: $state})')
    .matching('about', filter.about, '(n)-[:ABOUT]->(:Entity {id: $about})')
    .when('verification', filter.verification, 'n.verification = $verification')
    .spec('Query.evidence', 'Evidence', 'n.id');
}

/** Evidence of practice: statistics and findings, and what they are about. */
export class EvidenceRepository {
  constructor(private readonly graph: GraphReader) {}

  evidence(filter: EvidenceFilter, offset: number, limit: number) {
    return this.graph.list({ ...evidenceList(filter), kinds: EVIDENCE_LABELS }, offset, limit);
  }

  evidenceCount(filter: EvidenceFilter) {
    return this.graph.listCount(evidenceList(filter));
  }

  about(evidenceId: string) {
    return this.graph.related(EVIDENCE_HOPS.about, evidenceId);
  }

  supports(statisticId: string) {
    return this.graph.targets(EVIDENCE_HOPS.supports, statisticId);
  }

  supportedBy(findingId: string) {
    return this.graph.targets(EVIDENCE_HOPS.supportedBy, findingId);
  }
}

/** The root lists' builders (the warm-up, src/db/warm-up.ts, plans each unfiltered). */
export const EVIDENCE_LISTS = {
  evidenceList: evidenceList,
};
