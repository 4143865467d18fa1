import { z } from 'zod';
import { ListFilter, type LinkReading, type Prefetch } from '../../db/cypher';
import { visible } from '../../graph/vocabulary';
import { LIMITS } from '../../limits';
import { decodeWith } from '../common/models';
import { decodeEntity, type Reading } from '../entities';
import type { GraphReader, Hop } from '../graph-reader';
import type { PrefetchField } from '../prefetch';
import { ADDRESSED_TO_STATE, dateOrder, forState, INFERRED_LAST, RECOMMENDATION_ORDER } from '../treaties/repository';
import { ANSWERER_LABELS } from './models';
import DataLoader from 'dataloader';

export const UN_DOCUMENT_HOPS = {
  documentTreaty: {
    name: 'Document.treaty',
    type: 'UNDER_TREATY',
    direction: 'out',
    match: 'Treaty',
    targets: ['Treaty'],
  },
  documentState: {
    name: 'Document.state',
    type: 'CONCERNS_STATE',
    direction: 'out',
    match: 'State',
    targets: ['State'],
  },
  respondsTo: {
    name: 'Document.respondsTo',
    type: 'RESPONDS_TO',
    direction: 'out',
    match: 'Document',
    targets: ['Document'],
    orderBy: dateOrder('date'),
  },
  respondedToBy: {
    name: 'Document.respondedToBy',
    type: 'RESPONDS_TO',
    direction: 'in',
    match: 'Document',
    targets: ['Document'],
    orderBy: dateOrder('date'),
  },
  documentRecommendations: {
    name: 'Document.recommendations',
    type: 'ISSUED_IN',
    direction: 'in',
    match: 'Recommendation',
    targets: ['Recommendation'],
    orderBy: `t.paragraph, coalesce(t.subParagraph, ''), t.id`,
  },
  document: {
    name: 'Recommendation.document',
    type: 'ISSUED_IN',
    direction: 'out',
    match: 'Document',
    targets: ['Document'],
  },
  addressedTo: {
    name: 'Recommendation.addressedTo',
    type: 'ADDRESSED_TO',
    direction: 'out',
    match: 'State',
    targets: ['State'],
  },
  partOf: {
    name: 'Recommendation.partOf',
    type: 'PART_OF',
    direction: 'out',
    match: 'Recommendation',
    targets: ['Recommendation'],
  },
  subParagraphs: {
    name: 'Recommendation.subParagraphs',
    type: 'PART_OF',
    direction: 'in',
    match: 'Recommendation',
    targets: ['Recommendation'],
    orderBy: `coalesce(t.subParagraph, ''), t.id`,
  },
  articles: {
    name: 'Recommendation.articles',
    type: 'CONCERNS',
    direction: 'out',
    match: 'TreatyArticle',
    targets: ['TreatyArticle'],
    // Curated links first: an inferred one ranks below them (LinkBasis.INFERRED).
    orderBy: `${INFERRED_LAST}, t.number, t.id`,
  },
  themes: {
    name: 'Recommendation.themes',
    type: 'HAS_THEME',
    direction: 'out',
    match: 'Theme',
    targets: ['Theme'],
    orderBy: 't.name, t.id',
  },
  reiterates: {
    name: 'Recommendation.reiterates',
    type: 'REITERATES',
    direction: 'out',
    match: 'Recommendation',
    targets: ['Recommendation'],
    orderBy: `${INFERRED_LAST}, ${RECOMMENDATION_ORDER}`,
  },
  reiteratedBy: {
    name: 'Recommendation.reiteratedBy',
    type: 'REITERATES',
    direction: 'in',
    match: 'Recommendation',
    targets: ['Recommendation'],
    orderBy: `${INFERRED_LAST}, ${RECOMMENDATION_ORDER}`,
  },
  answers: {
    name: 'Recommendation.answers',
    type: 'ANSWERS',
    direction: 'in',
    match: 'Entity',
    targets: ANSWERER_LABELS,
  },
  themeRecommendations: {
    name: 'Theme.recommendations',
    type: 'HAS_THEME',
    direction: 'in',
    match: 'Recommendation',
    targets: ['Recommendation'],
    orderBy: RECOMMENDATION_ORDER,
  },
} as const satisfies Record<
  string,
  Hop<
    | 'Treaty'
    | 'State'
    | 'Document'
    | 'Recommendation'
    | 'TreatyArticle'
    | 'Theme'
    | 'Mechanism'
    | 'Provision'
    | 'LegalInstrument'
    | 'Body'
    | 'Statistic'
    | 'Finding'
  >
>;

/** The other recommendations about the same articles, addressed to `$state` (or, without one, to the same state). */
const RELATED_BY_ARTICLE = `MATCH (r)-[:CONCERNS]->(:TreatyArticle)<-[:CONCERNS]-(t:Recommendation)
    WHERE t <> r AND ${visible('t')} AND ($state IS NULL OR EXISTS { (t)-[:ADDRESSED_TO]->(:State {id: $state}) })
      AND ($state IS NOT NULL OR EXISTS { (t)-[:ADDRESSED_TO]->(:State)<-[:ADDRESSED_TO]-(r) })`;

export const UN_DOCUMENT_STATEMENTS = {
  reiterationChain: `// Recommendation.reiterationChain
UNWIND $ids AS id
MATCH (r:Recommendation {id: id})
CALL (r) {
  MATCH chain = (r)-[:REITERATES*0..${LIMITS.maxChainLength}]-(x:Recommendation)
  WHERE all(y IN nodes(chain) WHERE ${visible('y')})
  WITH DISTINCT x ORDER BY coalesce(x.year, 0), x.documentSymbol, x.paragraph, coalesce(x.subParagraph, ''), x.id
  RETURN collect({labels: labels(x), props: properties(x)}) AS items
}
RETURN id, items`,
  relatedByArticle: `// Recommendation.relatedByArticle
UNWIND $ids AS id
MATCH (r:Recommendation {id: id})
CALL (r) {
  ${RELATED_BY_ARTICLE}
  WITH DISTINCT t ORDER BY coalesce(t.year, 0) DESC, coalesce(t.documentSymbol, ''), t.paragraph, coalesce(t.subParagraph, ''), t.id
  SKIP $offset LIMIT $limit
  RETURN collect({labels: labels(t), props: properties(t)}) AS items
}
RETURN id, items`,
  relatedByArticleCount: `// Recommendation.relatedByArticle:count
UNWIND $ids AS id
MATCH (r:Recommendation {id: id})
CALL (r) {
  ${RELATED_BY_ARTICLE}
  RETURN count(DISTINCT t) AS total
}
RETURN id, total`,
};

const itemRows = z.array(z.object({ id: z.string(), items: z.array(z.unknown()) }));
const countRows = z.array(z.object({ id: z.string(), total: z.number().int() }));

export interface DocumentFilter {
  state?: string | null;
  treaty?: string | null;
  kinds?: readonly string[] | null;
  cycle?: string | null;
  committee?: string | null;
}

export interface RecommendationFilter {
  state?: string | null;
  article?: string | null;
  theme?: string | null;
  document?: string | null;
  cycle?: string | null;
  yearFrom?: number | null;
  yearTo?: number | null;
  kinds?: readonly string[] | null;
  verification?: string | null;
}

function documentList(filter: DocumentFilter) {
  return new ListFilter()
    .matching('state', filter.state, '(n)-[:CONCERNS_STATE]->(:State {id: $state})')
    .matching('treaty', filter.treaty, '(n)-[:UNDER_TREATY]->(:Treaty {id: $treaty})')
    .when('kinds', filter.kinds, 'n.kind IN $kinds')
    .when('cycle', filter.cycle, 'n.cycle = $cycle')
    .when('committee', filter.committee, 'n.committee = $committee')
    .spec('Query.documents', 'Document', `coalesce(n.date, '9999'), n.id`);
}

function recommendationList(filter: RecommendationFilter) {
  return new ListFilter()
    .matching('state', filter.state, '(n)-[:ADDRESSED_TO]->(:State {id: $state})')
    .matching('article', filter.article, '(n)-[:CONCERNS]->(:TreatyArticle {id: $article})')
    .matching('theme', filter.theme, '(n)-[:HAS_THEME]->(:Theme {id: $theme})')
    .matching('document', filter.document, '(n)-[:ISSUED_IN]->(:Document {id: $document})')
    .when('cycle', filter.cycle, 'n.cycle = $cycle')
    .when('yearFrom', filter.yearFrom, 'n.year >= $yearFrom')
    .when('yearTo', filter.yearTo, 'n.year <= $yearTo')
    .when('kinds', filter.kinds, 'n.kind IN $kinds')
    .when('verification', filter.verification, 'n.verification = $verification')
    .spec(
      'Query.recommendations',
      'Recommendation',
      `coalesce(n.year, 0) DESC, coalesce(n.documentSymbol, ''), n.paragraph, coalesce(n.subParagraph, ''), n.id`,
    );
}

const THEME_LIST = { name: 'Query.themes', label: 'Theme', kinds: ['Theme'], orderBy: 'n.name, n.id' } as const;

/**
 * The root lists, each a spec or a builder of one from its filter (the warm-up, src/db/warm-up.ts, plans
 * each unfiltered).
 */
export const UN_DOCUMENT_LISTS = {
  document: {
    name: 'Query.document',
    label: 'Document',
    kinds: ['Document'],
    where: ['n.symbol = $symbol'],
    orderBy: 'n.id',
  },
  documents: documentList,
  recommendations: recommendationList,
  themes: THEME_LIST,
} as const;

/** UN documents, the Committee's recommendations in them, and themes. */
export class UnDocumentsRepository {
  constructor(private readonly graph: GraphReader) {}

  async documentBySymbol(symbol: string) {
    const [document] = await this.graph.list({ ...UN_DOCUMENT_LISTS.document, params: { symbol } }, 0, 1);
    return document ?? null;
  }

  documents(filter: DocumentFilter, offset: number, limit: number) {
    return this.graph.list({ ...documentList(filter), kinds: ['Document'] }, offset, limit);
  }

  documentCount(filter: DocumentFilter) {
    return this.graph.listCount(documentList(filter));
  }

  recommendations(
    filter: RecommendationFilter,
    offset: number,
    limit: number,
    prefetch: readonly Prefetch[] = [],
    reading: Reading = 'light',
  ) {
    return this.graph.list(
      { ...recommendationList(filter), kinds: ['Recommendation'] },
      offset,
      limit,
      reading,
      prefetch,
    );
  }

  recommendationCount(filter: RecommendationFilter) {
    return this.graph.listCount(recommendationList(filter));
  }

  themes() {
    return this.graph.list({ ...THEME_LIST, kinds: ['Theme'] }, 0, LIMITS.maxUnpagedList);
  }

  documentTreaty(documentId: string) {
    return this.graph.one(UN_DOCUMENT_HOPS.documentTreaty, documentId);
  }

  documentState(documentId: string) {
    return this.graph.one(UN_DOCUMENT_HOPS.documentState, documentId);
  }

  respondsTo(documentId: string) {
    return this.graph.targets(UN_DOCUMENT_HOPS.respondsTo, documentId);
  }

  respondedToBy(documentId: string) {
    return this.graph.targets(UN_DOCUMENT_HOPS.respondedToBy, documentId);
  }

  async documentRecommendations(documentId: string, offset: number, limit: number) {
    return (await this.graph.page(UN_DOCUMENT_HOPS.documentRecommendations, documentId, offset, limit)).map(
      (item) => item.node,
    );
  }

  documentRecommendationCount(documentId: string) {
    return this.graph.count(UN_DOCUMENT_HOPS.documentRecommendations, documentId);
  }

  document(recommendationId: string, reading: Reading = 'light') {
    return this.graph.one(UN_DOCUMENT_HOPS.document, recommendationId, reading);
  }

  addressedTo(recommendationId: string) {
    return this.graph.one(UN_DOCUMENT_HOPS.addressedTo, recommendationId);
  }

  partOf(recommendationId: string) {
    return this.graph.one(UN_DOCUMENT_HOPS.partOf, recommendationId);
  }

  subParagraphs(recommendationId: string) {
    return this.graph.targets(UN_DOCUMENT_HOPS.subParagraphs, recommendationId);
  }

  articles(
    recommendationId: string,
    reading: Reading,
    prefetch: readonly Prefetch[] = [],
    links: LinkReading = 'full',
  ) {
    return this.graph.related(UN_DOCUMENT_HOPS.articles, recommendationId, reading, prefetch, links);
  }

  themesOf(recommendationId: string, reading: Reading = 'light') {
    return this.graph.targets(UN_DOCUMENT_HOPS.themes, recommendationId, reading);
  }

  reiterates(recommendationId: string) {
    return this.graph.related(UN_DOCUMENT_HOPS.reiterates, recommendationId);
  }

  reiteratedBy(recommendationId: string) {
    return this.graph.related(UN_DOCUMENT_HOPS.reiteratedBy, recommendationId);
  }

  /** What answers a recommendation: mechanisms, provisions, instruments, bodies, with the link's provenance. */
  answers(recommendationId: string, reading: Reading = 'light', links: LinkReading = 'full') {
    return this.graph.related(UN_DOCUMENT_HOPS.answers, recommendationId, reading, [], links);
  }

  async themeRecommendations(themeId: string, state: string | null, offset: number, limit: number) {
    return (
      await this.graph.page(
        forState(UN_DOCUMENT_HOPS.themeRecommendations, state, ADDRESSED_TO_STATE),
        themeId,
        offset,
        limit,
      )
    ).map((item) => item.node);
  }

  themeRecommendationCount(themeId: string, state: string | null) {
    return this.graph.count(forState(UN_DOCUMENT_HOPS.themeRecommendations, state, ADDRESSED_TO_STATE), themeId);
  }

  private readonly chainLoader = new DataLoader<string, unknown[]>(async (ids) => {
    const rows = decodeWith(
      itemRows,
      await this.graph.db.read('Recommendation.reiterationChain', UN_DOCUMENT_STATEMENTS.reiterationChain, { ids }),
      'rows',
    );
    const byId = new Map(rows.map((row) => [row.id, row.items]));
    return ids.map((id) => byId.get(id) ?? []);
  });

  /** Every recommendation linked to this one by reiteration (either way, any distance), oldest first. */
  async reiterationChain(recommendationId: string) {
    return (await this.chainLoader.load(recommendationId)).map((item) => decodeEntity(item, ['Recommendation']));
  }

  private readonly relatedPages = new Map<string, DataLoader<string, unknown[]>>();
  private readonly relatedCounts = new Map<string, DataLoader<string, number>>();

  /** A page of the other recommendations about the same treaty articles. */
  async relatedByArticle(recommendationId: string, state: string | null, offset: number, limit: number) {
    const key = `${state ?? ''}|${offset}|${limit}`;
    let loader = this.relatedPages.get(key);
    if (!loader) {
      loader = new DataLoader(async (ids) => {
        const rows = decodeWith(
          itemRows,
          await this.graph.db.read('Recommendation.relatedByArticle', UN_DOCUMENT_STATEMENTS.relatedByArticle, {
            ids,
            state,
            offset,
            limit,
          }),
          'rows',
        );
        const byId = new Map(rows.map((row) => [row.id, row.items]));
        return ids.map((id) => byId.get(id) ?? []);
      });
      this.relatedPages.set(key, loader);
    }
    return (await loader.load(recommendationId)).map((item) => decodeEntity(item, ['Recommendation']));
  }

  relatedByArticleCount(recommendationId: string, state: string | null) {
    const key = state ?? '';
    let loader = this.relatedCounts.get(key);
    if (!loader) {
      loader = new DataLoader(async (ids) => {
        const rows = decodeWith(
          countRows,
          await this.graph.db.read(
            'Recommendation.relatedByArticle:count',
            UN_DOCUMENT_STATEMENTS.relatedByArticleCount,
            { ids, state },
          ),
          'rows',
        );
        const byId = new Map(rows.map((row) => [row.id, row.total]));
        return ids.map((id) => byId.get(id) ?? 0);
      });
      this.relatedCounts.set(key, loader);
    }
    return loader.load(recommendationId);
  }
}

/** The fields of this module's types that a parent's statement can read ahead (modules/prefetch.ts). */
export const UN_DOCUMENT_PREFETCH: Record<string, PrefetchField> = {
  'Recommendation.document': { kind: 'hop', hop: () => UN_DOCUMENT_HOPS.document, reading: 'Document', items: [] },
  'Recommendation.articles': {
    kind: 'hop',
    hop: () => UN_DOCUMENT_HOPS.articles,
    reading: 'TreatyArticle',
    items: [],
    links: true,
  },
  'Recommendation.themes': { kind: 'hop', hop: () => UN_DOCUMENT_HOPS.themes, reading: 'Theme', items: [] },
  'ArticleConcern.article': { kind: 'same' },
};
