import type { Resolvers } from '../generated/graphql';
import type { LegalInstrumentModel, ProvisionModel, RecommendationModel, SearchHitModel, TreatyArticleModel } from '../db/models';
import type { Context } from '../context';
import { SearchRepository, type SearchKind } from '../db/search-repository';
import { pageRequest, toConnection } from '../pagination';
import { toLuceneQuery } from '../search-query';
import { foldForMatch } from '../search-text';
import { REL } from './relations';
import { recommendationLabel } from './un-documents';

const ALL_KINDS: SearchKind[] = ['TREATY_ARTICLE', 'PROVISION', 'RECOMMENDATION'];
const EXCERPT_RADIUS = 90;

/** About 180 characters around the first matching word, with ellipses where the text is cut. */
export function excerpt(text: string, terms: string[]): string {
  const lower = foldForMatch(text);
  const positions = terms.map((term) => lower.indexOf(term)).filter((index) => index >= 0);
  const hit = positions.length > 0 ? Math.min(...positions) : 0;
  const start = Math.max(0, hit - EXCERPT_RADIUS);
  const end = Math.min(text.length, hit + EXCERPT_RADIUS);
  return `${start > 0 ? '…' : ''}${text.slice(start, end).trim()}${end < text.length ? '…' : ''}`;
}

const INSTRUMENT_FORM: Record<string, string> = {
  LAW: 'Law',
  CODE: 'Code',
  CONSTITUTIONAL_LAW: 'Constitutional Law',
  GOVERNMENT_RESOLUTION: 'Government Resolution',
  MINISTERIAL_ORDER: 'Order',
  PRESIDENTIAL_DECREE: 'Decree',
  RATIFICATION_ACT: 'Act',
};

async function hitLabel(hit: SearchHitModel, context: Context): Promise<string> {
  const entity = hit.entity;
  if (hit.kind === 'TREATY_ARTICLE') {
    const article = entity as TreatyArticleModel;
    return `${String(article.id).split(':')[1]}, art. ${article.number}`;
  }
  if (hit.kind === 'PROVISION') {
    const provision = entity as ProvisionModel;
    const [owner] = await context.loaders.related(REL.provisionInstrument).load(provision.id);
    const instrument = owner?.node as LegalInstrumentModel | undefined;
    const name = instrument
      ? instrument.number
        ? `${INSTRUMENT_FORM[instrument.kind] ?? 'Act'} No. ${String(instrument.number)}`
        : instrument.title
      : provision.id;
    return `${name}, art. ${provision.article}${provision.paragraph ? `(${provision.paragraph})` : ''}${provision.item ? `, item ${provision.item}` : ''}`;
  }
  const recommendation = entity as RecommendationModel;
  return recommendationLabel(recommendation, recommendation.documentSymbol ?? recommendation.id);
}

export const searchResolvers: Resolvers = {
  Query: {
    search: async (_parent, { text, kinds, ...args }, context) => {
      const { query, terms } = toLuceneQuery(text);
      const page = pageRequest(args, 'search', 20);
      const chosen = kinds?.length ? [...new Set(kinds)] : ALL_KINDS;
      const repository = new SearchRepository(context.db);
      const hits = await repository.search(query, chosen, terms, page.offset, page.limit + 1);
      return toConnection(hits, page, () => repository.count(query, chosen));
    },
  },
  SearchHit: {
    entity: (hit) => hit.entity as never,
    label: (hit, _args, context) => hitLabel(hit, context),
    excerpt: (hit) => excerpt(hit.text, hit.terms),
  },
  SearchHitEntity: { __resolveType: (entity: { __label: string }) => entity.__label as never },
  SearchHitConnection: { totalCount: (connection) => connection.totalCount() },
};
