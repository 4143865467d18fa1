import type { LinkReading, Prefetch } from '../../db/cypher';
import { LIMITS } from '../../limits';
import { GraphDataError } from '../../errors';
import type { Reading } from '../entities';
import type { GraphReader, Hop, List } from '../graph-reader';
import type { PrefetchField } from '../prefetch';
import { stateId } from '../common/resolvers';
import { fetchedPage } from '../../pagination';
import type { TreatyArticleModel } from './models';

/** Recommendations newest first, then in document and paragraph order; shared by every list of them. */
/** A hop's relationship `r` that a rule inferred ranks below curated ones (LinkBasis.INFERRED): sort on this first. */
export const INFERRED_LAST = `CASE WHEN coalesce(r.basis, '') = 'INFERRED' THEN 1 ELSE 0 END`;

export const RECOMMENDATION_ORDER = `coalesce(t.year, 0) DESC, coalesce(t.documentSymbol, ''), t.paragraph, coalesce(t.subParagraph, ''), t.id`;
export const dateOrder = (property: string) => `coalesce(t.${property}, '9999'), t.id`;

const TREATY_LIST_ORDER = `CASE WHEN EXISTS { (n)-[:PROTOCOL_TO]->() } THEN 1 ELSE 0 END, n.id`;

export const TREATY_HOPS = {
  protocolTo: {
    name: 'Treaty.protocolTo',
    type: 'PROTOCOL_TO',
    direction: 'out',
    match: 'Treaty',
    targets: ['Treaty'],
  },
  protocols: { name: 'Treaty.protocols', type: 'PROTOCOL_TO', direction: 'in', match: 'Treaty', targets: ['Treaty'] },
  articles: {
    name: 'Treaty.articles',
    type: 'HAS_ARTICLE',
    direction: 'out',
    match: 'TreatyArticle',
    targets: ['TreatyArticle'],
    orderBy: 't.number, t.id',
  },
  stateActions: {
    name: 'Treaty.stateActions',
    type: 'ON_TREATY',
    direction: 'in',
    match: 'TreatyAction',
    targets: ['TreatyAction'],
    orderBy: dateOrder('date'),
  },
  articleTreaty: {
    name: 'TreatyArticle.treaty',
    type: 'HAS_ARTICLE',
    direction: 'in',
    match: 'Treaty',
    targets: ['Treaty'],
  },
  // A provision, or a whole instrument (LegalInstrument-[:IMPLEMENTS]->TreatyArticle).
  implementations: {
    name: 'TreatyArticle.implementations',
    type: 'IMPLEMENTS',
    direction: 'in',
    match: 'Entity',
    targets: ['Provision', 'LegalInstrument'],
  },
  mechanisms: {
    name: 'TreatyArticle.mechanisms',
    type: 'GIVES_EFFECT_TO',
    direction: 'in',
    match: 'Mechanism',
    targets: ['Mechanism'],
    orderBy: 't.name, t.id',
  },
  recommendations: {
    name: 'TreatyArticle.recommendations',
    type: 'CONCERNS',
    direction: 'in',
    match: 'Recommendation',
    targets: ['Recommendation'],
    orderBy: `${INFERRED_LAST}, ${RECOMMENDATION_ORDER}`,
  },
} as const satisfies Record<
  string,
  Hop<'Treaty' | 'TreatyArticle' | 'TreatyAction' | 'Provision' | 'LegalInstrument' | 'Mechanism' | 'Recommendation'>
>;

/** Narrowed to one state, when one is given: `condition` is over the target `t` and `$state`. */
export function forState<H extends Hop<never> | object>(
  hop: H,
  state: string | null,
  condition: string,
): H & { where?: string; params?: Record<string, unknown> } {
  return state ? { ...hop, where: condition, params: { state } } : hop;
}

export const OF_STATE = 'EXISTS { (t)-[:OF_STATE]->(:State {id: $state}) }';
export const ADDRESSED_TO_STATE = 'EXISTS { (t)-[:ADDRESSED_TO]->(:State {id: $state}) }';

/** Treaties and their articles, and what hangs off an article: provisions, mechanisms, recommendations. */
/** The root lists (their statements are planned by the warm-up, src/db/warm-up.ts). */
export const TREATY_LISTS = {
  treaty: {
    name: 'Query.treaty',
    label: 'Treaty',
    kinds: ['Treaty'],
    where: ['n.shortName = $shortName'],
    orderBy: 'n.id',
  },
  treaties: { name: 'Query.treaties', label: 'Treaty', kinds: ['Treaty'], orderBy: TREATY_LIST_ORDER },
  // One article by id, as a list of at most one, so that its statement reads ahead what its fields walk.
  treatyArticle: {
    name: 'Query.treatyArticle',
    label: 'TreatyArticle',
    kinds: ['TreatyArticle'],
    where: ['n.id = $id'],
    orderBy: 'n.id',
  },
} as const satisfies Record<string, List<'Treaty' | 'TreatyArticle'>>;

export class TreatiesRepository {
  constructor(private readonly graph: GraphReader) {}

  async treatyByShortName(shortName: string) {
    const [treaty] = await this.graph.list({ ...TREATY_LISTS.treaty, params: { shortName } }, 0, 1);
    return treaty ?? null;
  }

  /**
   * A treaty article by id with only what the query reads of it and, in the same statement, the fields
   * below it that can be read ahead (the state's implementations and their count).
   */
  async article(id: string, reading: Reading, prefetch: readonly Prefetch[]) {
    const [article] = await this.graph.list({ ...TREATY_LISTS.treatyArticle, params: { id } }, 0, 1, reading, prefetch);
    return article ?? null;
  }

  treaties(offset: number, limit: number) {
    return this.graph.list(TREATY_LISTS.treaties, offset, limit);
  }

  treatyCount() {
    return this.graph.listCount(TREATY_LISTS.treaties);
  }

  protocolTo(treatyId: string) {
    return this.graph.one(TREATY_HOPS.protocolTo, treatyId);
  }

  protocols(treatyId: string) {
    return this.graph.targets(TREATY_HOPS.protocols, treatyId);
  }

  async articles(treatyId: string, offset: number, limit: number, reading: Reading) {
    return (await this.graph.page(TREATY_HOPS.articles, treatyId, offset, limit, reading)).map((item) => item.node);
  }

  /**
   * An article's text: from the article as read, or, where the statement that read it left the text out
   * (the query's selection did not show it was needed), read by id (one batched round trip for all of them).
   */
  async articleText(article: TreatyArticleModel): Promise<{ paragraphs: string[]; text: string | null }> {
    if (article.paragraphs !== undefined && article.text !== undefined)
      return { paragraphs: article.paragraphs, text: article.text };
    const read = await this.graph.projected(article.id, ['TreatyArticle'], ['paragraphs', 'text']);
    if (!read || read.paragraphs === undefined || read.text === undefined)
      throw new GraphDataError(`Treaty article ${article.id} was read but its text could not be`);
    return { paragraphs: read.paragraphs, text: read.text };
  }

  /**
   * An article's paragraphs: from the article as read, or, where the statement that read it left them out,
   * read by id (one batched round trip for all of them), without the article's whole text.
   */
  async articleParagraphs(article: TreatyArticleModel): Promise<string[]> {
    if (article.paragraphs !== undefined) return article.paragraphs;
    const read = await this.graph.projected(article.id, ['TreatyArticle'], ['paragraphs']);
    if (!read || read.paragraphs === undefined)
      throw new GraphDataError(`Treaty article ${article.id} was read but its paragraphs could not be`);
    return read.paragraphs;
  }

  articleCount(treatyId: string) {
    return this.graph.count(TREATY_HOPS.articles, treatyId);
  }

  /** The actions (signature, ratification, …) states took on a treaty, of one state if given. */
  async stateActions(treatyId: string, state: string | null) {
    const hop = forState(TREATY_HOPS.stateActions, state, 'EXISTS { (t)<-[:TOOK_ACTION]-(:State {id: $state}) }');
    return (await this.graph.page(hop, treatyId, 0, LIMITS.maxUnpagedList)).map((item) => item.node);
  }

  articleTreaty(articleId: string) {
    return this.graph.one(TREATY_HOPS.articleTreaty, articleId);
  }

  /** The provisions and whole instruments implementing an article, of one state's law if given. */
  private implementationHop(state: string | null) {
    return implementationHop(state);
  }

  implementations(
    articleId: string,
    state: string | null,
    offset: number,
    limit: number,
    prefetch: readonly Prefetch[] = [],
    links: LinkReading = 'full',
    reading: Reading = 'light',
  ) {
    return this.graph.page(this.implementationHop(state), articleId, offset, limit, reading, prefetch, links);
  }

  implementationCount(articleId: string, state: string | null) {
    return this.graph.count(this.implementationHop(state), articleId);
  }

  async mechanisms(articleId: string, state: string | null, offset: number, limit: number) {
    return (await this.graph.page(forState(TREATY_HOPS.mechanisms, state, OF_STATE), articleId, offset, limit)).map(
      (item) => item.node,
    );
  }

  mechanismCount(articleId: string, state: string | null) {
    return this.graph.count(forState(TREATY_HOPS.mechanisms, state, OF_STATE), articleId);
  }

  async recommendations(articleId: string, state: string | null, offset: number, limit: number) {
    return (
      await this.graph.page(forState(TREATY_HOPS.recommendations, state, ADDRESSED_TO_STATE), articleId, offset, limit)
    ).map((item) => item.node);
  }

  recommendationCount(articleId: string, state: string | null) {
    return this.graph.count(forState(TREATY_HOPS.recommendations, state, ADDRESSED_TO_STATE), articleId);
  }
}

/**
 * The provisions and whole instruments implementing an article, of one state's law if given: by their
 * `stateId` (a provision's is its instrument's state, an instrument's the state of its OF_STATE; the loader
 * writes both from the instrument's state, docs/model.md), a property read on each candidate rather than a
 * walk to the state from each (on the 100× corpus, an article has the implementations of every state).
 */
export function implementationHop(state: string | null) {
  return forState(TREATY_HOPS.implementations, state, 't.stateId = $state');
}

/** The fields of this module's types that a parent's statement can read ahead (modules/prefetch.ts). */
export const TREATY_PREFETCH: Record<string, PrefetchField> = {
  // As TreatyArticle.implementations resolves: the state's (ISO code or id) implementations, one page.
  'TreatyArticle.implementations': {
    kind: 'hop',
    hop: (args) => implementationHop(typeof args.state === 'string' && args.state ? stateId(args.state) : null),
    page: (args) => fetchedPage(args, 'TreatyArticle.implementations'),
    reading: ['Provision', 'LegalInstrument'],
    items: ['edges', 'node'],
    links: true,
  },
};
