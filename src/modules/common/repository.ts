import DataLoader from 'dataloader';
import { z } from 'zod';
import { visible } from '../../graph/vocabulary';
import {
  decodeEntity,
  type EntityModel,
  type ModelByLabel,
  type Projected,
  type PropertyOf,
  type Reading,
} from '../entities';
import type { GraphReader, Hop } from '../graph-reader';
import { RECOMMENDATION_ORDER } from '../treaties/repository';
import {
  citationSchema,
  type CitationModel,
  claimSchema,
  decodeWith,
  textVersionSchema,
  type ClaimModel,
  type EntityLabel,
  type TextVersionModel,
} from './models';

/** A subquery binding `citations`: the SOURCED_FROM citations of the node bound to `variable`, in order. */
function citationsOf(variable: 't' | 'k'): string {
  return `CALL (${variable}) {
  OPTIONAL MATCH (${variable})-[c:SOURCED_FROM]->(s:Source)
  WITH s, c ORDER BY s.id, c.locator
  RETURN collect(CASE WHEN s IS NULL THEN null ELSE {sourceId: s.id, locator: c.locator, quote: c.quote} END) AS citations
}`;
}

export const COMMON_STATEMENTS = {
  citationsOf: `// citationsOf
UNWIND $ids AS id
MATCH (n:Entity {id: id})-[c:SOURCED_FROM]->(s:Source)
WITH id, s, c ORDER BY s.id, c.locator
RETURN id, collect({sourceId: s.id, locator: c.locator, quote: c.quote, source: {labels: labels(s), props: properties(s)}}) AS citations`,
  textsOf: `// textsOf
UNWIND $ids AS id
MATCH (n:Entity {id: id})-[:HAS_TEXT]->(t:TextVersion)
WHERE ${visible('t')}
${citationsOf('t')}
WITH id, t, citations ORDER BY t.id
RETURN id, collect({language: t.language, text: t.text, status: t.status, truncated: coalesce(t.truncated, false), citations: citations}) AS texts`,
  claimsOf: `// claimsOf
UNWIND $ids AS id
MATCH (n:Entity {id: id})-[:HAS_CLAIM]->(k:Claim)
${citationsOf('k')}
WITH id, k, citations ORDER BY k.id
RETURN id, collect({id: k.id, field: k.field, value: k.value, status: k.status, note: k.note, citations: citations}) AS claims`,
};

/**
 * Relationships several kinds of entity have in the same way. One statement serves them all, so a query
 * asking for the state of bodies and of mechanisms at one level makes one round trip (and Neo4j plans one
 * statement, not one per kind).
 */
export const SHARED_HOPS = {
  state: { name: 'Entity.state', type: 'OF_STATE', direction: 'out', match: 'State', targets: ['State'] },
  answers: {
    name: 'Entity.answers',
    type: 'ANSWERS',
    direction: 'out',
    match: 'Recommendation',
    targets: ['Recommendation'],
    orderBy: RECOMMENDATION_ORDER,
  },
  establishedBodies: {
    name: 'Entity.establishedBodies',
    type: 'ESTABLISHED_BY',
    direction: 'in',
    match: 'Body',
    targets: ['Body'],
    orderBy: 't.name, t.id',
  },
  evidence: {
    name: 'Entity.evidence',
    type: 'ABOUT',
    direction: 'in',
    match: 'Evidence',
    targets: ['Statistic', 'Finding'],
  },
} as const satisfies Record<string, Hop<'State' | 'Recommendation' | 'Body' | 'Statistic' | 'Finding'>>;

const citationRows = z.array(
  z.object({ id: z.string(), citations: z.array(citationSchema.extend({ source: z.unknown() })) }),
);
const textRows = z.array(z.object({ id: z.string(), texts: z.array(textVersionSchema) }));
const claimRows = z.array(z.object({ id: z.string(), claims: z.array(claimSchema) }));

function grouped<V>(ids: readonly string[], rows: Array<[string, V[]]>): V[][] {
  const map = new Map(rows);
  return ids.map((id) => map.get(id) ?? []);
}

/** Any entity by id, and what every sourced entity has: citations, texts in several languages, claims. */
export class CommonRepository {
  constructor(private readonly graph: GraphReader) {}

  /** Any entity by id, or null where none has it. */
  node(id: string): Promise<EntityModel | null> {
    return this.graph.nodes.load(id);
  }

  /** The entity with this id if it is of one of these kinds, else null. */
  nodeOf<L extends EntityLabel>(id: string, kinds: readonly L[]): Promise<ModelByLabel[L] | null> {
    return this.graph.node(id, kinds);
  }

  /**
   * The entity with this id, if it is of one of these kinds, with only the named properties (plus id and
   * kind): see GraphReader.projected.
   */
  nodeWith<L extends EntityLabel, K extends PropertyOf<L>>(
    id: string,
    kinds: readonly L[],
    properties: readonly K[],
  ): Promise<Projected<L, K> | null> {
    return this.graph.projected(id, kinds, properties);
  }

  /**
   * Entities by id, null for an unknown id. A failed batch rejects as a whole: the caller's field gets the
   * error, never nulls that would read as "unknown id".
   */
  nodes(ids: readonly string[]): Promise<Array<EntityModel | null>> {
    return Promise.all(ids.map((id) => this.graph.nodes.load(id)));
  }

  /**
   * Entities named by id in another answer (an analysis row, a link's property): each must exist and be of
   * one of these kinds. A failed batch rejects (the field gets the error), never a shorter list.
   */
  existing<L extends EntityLabel>(
    ids: readonly string[],
    kinds: readonly L[],
    what: string,
    /** A projection (`projectionFor`) where the caller's field has one: only what its selection reads. */
    reading: Reading = 'full',
  ): Promise<Array<ModelByLabel[L]>> {
    return this.graph.existing(ids, kinds, what, reading);
  }

  /** The state a legal instrument, body, mechanism, statistic or finding belongs to (OF_STATE). */
  stateOf(id: string) {
    return this.graph.one(SHARED_HOPS.state, id);
  }

  /** The recommendations a mechanism, provision, instrument or body answers, with each link's provenance. */
  answersGiven(id: string) {
    return this.graph.related(SHARED_HOPS.answers, id);
  }

  /** The bodies a provision or instrument establishes. */
  bodiesEstablishedBy(id: string, reading: Reading = 'light') {
    return this.graph.targets(SHARED_HOPS.establishedBodies, id, reading);
  }

  /** The statistics and findings about an entity. */
  evidenceAbout(id: string) {
    return this.graph.targets(SHARED_HOPS.evidence, id);
  }

  private readonly citationLoader = new DataLoader<string, CitationModel[]>(async (ids) => {
    const rows = decodeWith(
      citationRows,
      await this.graph.db.read('citationsOf', COMMON_STATEMENTS.citationsOf, { ids }),
      'citationsOf rows',
    );
    return grouped(
      ids,
      rows.map((row): [string, CitationModel[]] => [
        row.id,
        row.citations.map((citation) => ({
          sourceId: citation.sourceId,
          locator: citation.locator ?? '',
          quote: citation.quote,
          source: decodeEntity(citation.source, ['Source']),
        })),
      ]),
    );
  });

  private readonly textLoader = new DataLoader<string, TextVersionModel[]>(async (ids) => {
    const rows = decodeWith(
      textRows,
      await this.graph.db.read('textsOf', COMMON_STATEMENTS.textsOf, { ids }),
      'textsOf rows',
    );
    return grouped(
      ids,
      rows.map((row): [string, TextVersionModel[]] => [
        row.id,
        row.texts.map((text) => ({ ...text, citations: text.citations.map(withLocator) })),
      ]),
    );
  });

  private readonly claimLoader = new DataLoader<string, ClaimModel[]>(async (ids) => {
    const rows = decodeWith(
      claimRows,
      await this.graph.db.read('claimsOf', COMMON_STATEMENTS.claimsOf, { ids }),
      'claimsOf rows',
    );
    return grouped(
      ids,
      rows.map((row): [string, ClaimModel[]] => [
        row.id,
        row.claims.map((claim) => ({ ...claim, citations: claim.citations.map(withLocator) })),
      ]),
    );
  });

  /**
   * The citations (SOURCED_FROM) of an entity, each with its source: the statement has matched the source
   * anyway, and handing it over saves `Citation.source` a further round trip.
   */
  citations(id: string): Promise<CitationModel[]> {
    return this.citationLoader.load(id);
  }

  texts(id: string): Promise<TextVersionModel[]> {
    return this.textLoader.load(id);
  }

  claims(id: string): Promise<ClaimModel[]> {
    return this.claimLoader.load(id);
  }
}

function withLocator(citation: { sourceId: string; locator: string | null; quote: string | null }) {
  return { sourceId: citation.sourceId, locator: citation.locator ?? '', quote: citation.quote };
}
