import DataLoader from 'dataloader';
import { LIMITS } from '../limits';
import type { RequestDb } from './executor';
import {
  isEntityLabel,
  type CitationModel,
  type ClaimModel,
  type EntityLabel,
  type EntityModel,
  type LinkProps,
  type Related,
  type SourceModel,
  type TextVersionModel,
} from './models';

/**
 * Batched access to the graph for one request. Each loader turns all the keys asked for at one level of
 * a GraphQL selection into ONE Cypher round trip, so a page of 50 recommendations with their articles,
 * documents and sources costs as many round trips as a page of one (DataLoader rather than compiling the
 * whole selection into one Cypher query: it keeps each query small, reviewable and indexed by id, and
 * the round trips grow with the depth of the query, which the depth limit bounds, never with its width).
 *
 * Relationship types and labels in Cypher come only from the RelSpec constants of the repositories,
 * never from input; every value is a parameter.
 */

/** Which relationship to follow from a parent entity. */
export interface RelSpec {
  type: string;
  direction: 'out' | 'in';
  /** Label the entity at the other end must have (`Entity` for links whose target may be of several kinds). */
  target: EntityLabel | 'Entity';
  /** Cypher ORDER BY expression over `t` (the target) and `r` (the relationship); ends with the id. */
  orderBy?: string;
}

/** A paged relationship: a RelSpec plus a WHERE over `t` with its parameters. */
export interface PageSpec extends RelSpec {
  where?: string;
  params?: Record<string, unknown>;
}

const TYPE_PATTERN = /^[A-Z_]+$/;

export function toEntity(labels: string[], props: Record<string, unknown>): EntityModel {
  const label = labels.find(isEntityLabel);
  if (!label) throw new Error(`Node ${String(props.id)} has no entity label (labels: ${labels.join(', ')})`);
  return { ...props, __label: label, id: String(props.id) };
}

function relPattern(spec: RelSpec): string {
  if (!TYPE_PATTERN.test(spec.type)) throw new Error(`Bad relationship type ${spec.type}`);
  return spec.direction === 'out' ? `-[r:${spec.type}]->(t:${spec.target})` : `<-[r:${spec.type}]-(t:${spec.target})`;
}

/** A subquery binding `citations`: the SOURCED_FROM citations of the node bound to `variable`, in order. */
function citationsOf(variable: 't' | 'k'): string {
  return `CALL (${variable}) {
         OPTIONAL MATCH (${variable})-[c:SOURCED_FROM]->(s:Source)
         WITH s, c ORDER BY s.id, c.locator
         RETURN collect(CASE WHEN s IS NULL THEN null ELSE {sourceId: s.id, locator: c.locator, quote: c.quote} END) AS citations
       }`;
}

/** The parent `p` (bound from `id`), the relationship `r` and the target `t` of a paged spec, filtered. */
function relMatch(spec: PageSpec): string {
  return `MATCH (p:Entity {id: id})${relPattern(spec)}${spec.where ? `\n             WHERE ${spec.where}` : ''}`;
}

export class GraphLoaders {
  private readonly relatedLoaders = new Map<string, DataLoader<string, Related[]>>();
  private readonly pageLoaders = new Map<string, DataLoader<string, Related[]>>();
  private readonly countLoaders = new Map<string, DataLoader<string, number>>();
  private readonly entityPageLoaders = new Map<string, DataLoader<string, EntityModel[]>>();

  constructor(private readonly db: RequestDb) {}

  /** Any entity by id (null where none has it). */
  readonly node = new DataLoader<string, EntityModel | null>(async (ids) => {
    const rows = await this.db.read<{ id: string; labels: string[]; props: Record<string, unknown> }>(
      'nodesById',
      `// nodesById
       UNWIND $ids AS id
       MATCH (n:Entity {id: id})
       WHERE NOT n:TextVersion AND NOT n:Claim
       RETURN id, labels(n) AS labels, properties(n) AS props`,
      { ids },
    );
    const byId = new Map(rows.map((row) => [row.id, toEntity(row.labels, row.props)]));
    return ids.map((id) => byId.get(id) ?? null);
  });

  /**
   * The citations (SOURCED_FROM) of entities, each with its source: the query has matched the source
   * anyway, and handing it over saves `Citation.source` a further round trip whose need would otherwise
   * depend on which sources the request's cache happened to hold (one item's sources often repeat).
   */
  readonly citations = new DataLoader<string, CitationModel[]>(async (ids) => {
    const rows = await this.db.read<{ id: string; citations: Array<Omit<CitationModel, 'source'> & { sourceProps: Record<string, unknown> }> }>(
      'citationsOf',
      `// citationsOf
       UNWIND $ids AS id
       MATCH (n:Entity {id: id})-[c:SOURCED_FROM]->(s:Source)
       WITH id, s, c ORDER BY s.id, c.locator
       RETURN id, collect({sourceId: s.id, locator: c.locator, quote: c.quote, sourceProps: properties(s)}) AS citations`,
      { ids },
    );
    const byId = new Map(
      rows.map((row) => [
        row.id,
        row.citations.map(({ sourceProps, ...citation }) => ({ ...citation, source: toEntity(['Source'], sourceProps) as SourceModel })),
      ]),
    );
    return ids.map((id) => byId.get(id) ?? []);
  });

  /** The text versions of entities (provisions, recommendations), each with its citations. */
  readonly texts = new DataLoader<string, TextVersionModel[]>(async (ids) => {
    const rows = await this.db.read<{ id: string; texts: TextVersionModel[] }>(
      'textsOf',
      `// textsOf
       UNWIND $ids AS id
       MATCH (n:Entity {id: id})-[:HAS_TEXT]->(t:TextVersion)
       ${citationsOf('t')}
       WITH id, t, citations ORDER BY t.id
       RETURN id, collect({language: t.language, text: t.text, status: t.status, truncated: coalesce(t.truncated, false), citations: citations}) AS texts`,
      { ids },
    );
    const byId = new Map(rows.map((row) => [row.id, row.texts]));
    return ids.map((id) => byId.get(id) ?? []);
  });

  /** The claims recorded on entities, each with its citations. */
  readonly claims = new DataLoader<string, ClaimModel[]>(async (ids) => {
    const rows = await this.db.read<{ id: string; claims: ClaimModel[] }>(
      'claimsOf',
      `// claimsOf
       UNWIND $ids AS id
       MATCH (n:Entity {id: id})-[:HAS_CLAIM]->(k:Claim)
       ${citationsOf('k')}
       WITH id, k, citations ORDER BY k.id
       RETURN id, collect({id: k.id, field: k.field, value: k.value, status: k.status, note: k.note, citations: citations}) AS claims`,
      { ids },
    );
    const byId = new Map(rows.map((row) => [row.id, row.claims]));
    return ids.map((id) => byId.get(id) ?? []);
  });

  /** All entities related to each parent by one relationship (for naturally short lists). */
  related(spec: RelSpec): DataLoader<string, Related[]> {
    const key = `${spec.type}|${spec.direction}|${spec.target}|${spec.orderBy ?? ''}`;
    let loader = this.relatedLoaders.get(key);
    if (!loader) {
      loader = new DataLoader(async (ids) => {
        const rows = await this.db.read<{ id: string; items: Array<{ labels: string[]; props: Record<string, unknown>; rel: LinkProps }> }>(
          `related:${spec.type}:${spec.direction}`,
          `// related:${spec.type}:${spec.direction}:${spec.target}
           UNWIND $ids AS id
           MATCH (p:Entity {id: id})${relPattern(spec)}
           WITH id, t, r ORDER BY ${spec.orderBy ?? 't.id'}
           RETURN id, collect({labels: labels(t), props: properties(t), rel: properties(r)}) AS items`,
          { ids },
        );
        const byId = new Map(rows.map((row) => [row.id, row.items.map((item) => ({ node: toEntity(item.labels, item.props), rel: item.rel }))]));
        return ids.map((id) => byId.get(id) ?? []);
      });
      this.relatedLoaders.set(key, loader);
    }
    return loader;
  }

  /**
   * One page of the entities related to each parent, for lists that grow with the corpus. Parents asked
   * for with the same spec and page at the same level share one round trip.
   */
  page(spec: PageSpec, offset: number, limit: number): DataLoader<string, Related[]> {
    const key = `${spec.type}|${spec.direction}|${spec.target}|${spec.where ?? ''}|${JSON.stringify(spec.params ?? {})}|${spec.orderBy ?? ''}|${offset}|${limit}`;
    let loader = this.pageLoaders.get(key);
    if (!loader) {
      loader = new DataLoader(async (ids) => {
        const rows = await this.db.read<{ id: string; items: Array<{ labels: string[]; props: Record<string, unknown>; rel: LinkProps }> }>(
          `page:${spec.type}:${spec.direction}`,
          `// page:${spec.type}:${spec.direction}:${spec.target}
           UNWIND $ids AS id
           CALL (id) {
             ${relMatch(spec)}
             WITH t, r ORDER BY ${spec.orderBy ?? 't.id'}
             SKIP $offset LIMIT $limit
             RETURN collect({labels: labels(t), props: properties(t), rel: properties(r)}) AS items
           }
           RETURN id, items`,
          { ...spec.params, ids, offset, limit },
        );
        const byId = new Map(rows.map((row) => [row.id, row.items.map((item) => ({ node: toEntity(item.labels, item.props), rel: item.rel }))]));
        return ids.map((id) => byId.get(id) ?? []);
      });
      this.pageLoaders.set(key, loader);
    }
    return loader;
  }

  /** How many entities `page` would list in all, per parent: run only when a query selects totalCount. */
  count(spec: PageSpec): DataLoader<string, number> {
    const key = `${spec.type}|${spec.direction}|${spec.target}|${spec.where ?? ''}|${JSON.stringify(spec.params ?? {})}`;
    let loader = this.countLoaders.get(key);
    if (!loader) {
      loader = new DataLoader(async (ids) => {
        const rows = await this.db.read<{ id: string; total: number }>(
          `count:${spec.type}:${spec.direction}`,
          `// count:${spec.type}:${spec.direction}:${spec.target}
           UNWIND $ids AS id
           CALL (id) {
             ${relMatch(spec)}
             RETURN count(t) AS total
           }
           RETURN id, total`,
          { ...spec.params, ids },
        );
        const byId = new Map(rows.map((row) => [row.id, row.total]));
        return ids.map((id) => byId.get(id) ?? 0);
      });
      this.countLoaders.set(key, loader);
    }
    return loader;
  }

  /** Every recommendation linked to each one by reiteration (either way, any distance), oldest first. */
  readonly reiterationChain = new DataLoader<string, EntityModel[]>(async (ids) => {
    const rows = await this.db.read<{ id: string; items: Array<{ labels: string[]; props: Record<string, unknown> }> }>(
      'reiterationChain',
      `// reiterationChain
       UNWIND $ids AS id
       MATCH (r:Recommendation {id: id})
       CALL (r) {
         MATCH (r)-[:REITERATES*0..${LIMITS.maxChainLength}]-(x:Recommendation)
         WITH DISTINCT x ORDER BY coalesce(x.year, 0), x.documentSymbol, x.paragraph, coalesce(x.subParagraph, ''), x.id
         RETURN collect({labels: labels(x), props: properties(x)}) AS items
       }
       RETURN id, items`,
      { ids },
    );
    const byId = new Map(rows.map((row) => [row.id, row.items.map((item) => toEntity(item.labels, item.props))]));
    return ids.map((id) => byId.get(id) ?? []);
  });

  /** How many entities cite each source. */
  readonly citationCount = new DataLoader<string, number>(async (ids) => {
    const rows = await this.db.read<{ id: string; total: number }>(
      'citationCount',
      `// citationCount
       UNWIND $ids AS id
       MATCH (s:Source {id: id})
       RETURN id, COUNT { (s)<-[:SOURCED_FROM]-() } AS total`,
      { ids },
    );
    const byId = new Map(rows.map((row) => [row.id, row.total]));
    return ids.map((id) => byId.get(id) ?? 0);
  });

  /** A page of the other recommendations about the same treaty articles as each recommendation. */
  relatedByArticle(state: string | null, offset: number, limit: number): DataLoader<string, EntityModel[]> {
    const key = `relatedByArticle|${state ?? ''}|${offset}|${limit}`;
    let loader = this.entityPageLoaders.get(key);
    if (!loader) {
      loader = new DataLoader(async (ids) => {
        const rows = await this.db.read<{ id: string; items: Array<{ labels: string[]; props: Record<string, unknown> }> }>(
          'relatedByArticle',
          `// relatedByArticle
           UNWIND $ids AS id
           MATCH (r:Recommendation {id: id})
           CALL (r) {
             MATCH (r)-[:CONCERNS]->(:TreatyArticle)<-[:CONCERNS]-(t:Recommendation)
             WHERE t <> r AND ($state IS NULL OR EXISTS { (t)-[:ADDRESSED_TO]->(:State {id: $state}) })
               AND ($state IS NOT NULL OR EXISTS { (t)-[:ADDRESSED_TO]->(:State)<-[:ADDRESSED_TO]-(r) })
             WITH DISTINCT t ORDER BY coalesce(t.year, 0) DESC, coalesce(t.documentSymbol, ''), t.paragraph, coalesce(t.subParagraph, ''), t.id
             SKIP $offset LIMIT $limit
             RETURN collect({labels: labels(t), props: properties(t)}) AS items
           }
           RETURN id, items`,
          { ids, state, offset, limit },
        );
        const byId = new Map(rows.map((row) => [row.id, row.items.map((item) => toEntity(item.labels, item.props))]));
        return ids.map((id) => byId.get(id) ?? []);
      });
      this.entityPageLoaders.set(key, loader);
    }
    return loader;
  }

  /** How many recommendations relatedByArticle lists in all. */
  relatedByArticleCount(state: string | null): DataLoader<string, number> {
    const key = `relatedByArticleCount|${state ?? ''}`;
    let loader = this.countLoaders.get(key);
    if (!loader) {
      loader = new DataLoader(async (ids) => {
        const rows = await this.db.read<{ id: string; total: number }>(
          'relatedByArticleCount',
          `// relatedByArticleCount
           UNWIND $ids AS id
           MATCH (r:Recommendation {id: id})
           CALL (r) {
             MATCH (r)-[:CONCERNS]->(:TreatyArticle)<-[:CONCERNS]-(t:Recommendation)
             WHERE t <> r AND ($state IS NULL OR EXISTS { (t)-[:ADDRESSED_TO]->(:State {id: $state}) })
               AND ($state IS NOT NULL OR EXISTS { (t)-[:ADDRESSED_TO]->(:State)<-[:ADDRESSED_TO]-(r) })
             RETURN count(DISTINCT t) AS total
           }
           RETURN id, total`,
          { ids, state },
        );
        const byId = new Map(rows.map((row) => [row.id, row.total]));
        return ids.map((id) => byId.get(id) ?? 0);
      });
      this.countLoaders.set(key, loader);
    }
    return loader;
  }
}
