import { getNamedType, type GraphQLResolveInfo } from 'graphql';
import type { Resolvers } from '../../generated/graphql';
import type { Context } from '../../context';
import { pageRequest, toConnection } from '../../pagination';
import { toLuceneQuery } from '../../search-query';
import { foldForMatch } from '../../search-text';
import { recommendationLabel } from '../un-documents/resolvers';
import { eachSelectedField, projectionFor } from '../selection';
import { SEARCH_KINDS, type SearchHitModel } from './models';
import type { SearchReading } from './repository';
import { GraphDataError } from '../../errors';

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

async function hitLabel(hit: SearchHitModel, { repositories }: Context): Promise<string> {
  switch (hit.kind) {
    case 'TREATY_ARTICLE':
      return `${hit.entity.id.split(':')[1]}, art. ${hit.entity.number}`;
    case 'PROVISION': {
      const provision = hit.entity;
      const instrument = await repositories.nationalLaw.provisionInstrument(provision.id);
      const name = instrument
        ? instrument.number
          ? `${INSTRUMENT_FORM[instrument.kind] ?? 'Act'} No. ${instrument.number}`
          : instrument.title
        : provision.id;
      return `${name}, art. ${provision.article}${provision.paragraph ? `(${provision.paragraph})` : ''}${provision.item ? `, item ${provision.item}` : ''}`;
    }
    case 'RECOMMENDATION':
      return recommendationLabel(hit.entity, hit.entity.documentSymbol ?? hit.entity.id);
  }
}

function unread(field: string): never {
  throw new GraphDataError(`A search hit's ${field} was not read for a selection that shows it`);
}

/**
 * What a search reads of its hits for this selection: the entities' properties its fields read (every
 * property where a hit's `label` is selected, which reads several properties of each kind), and the matched
 * text only where an `excerpt` is selected.
 */
function searchReading(info: GraphQLResolveInfo): SearchReading {
  const hitFields = new Set<string>();
  eachSelectedField(info, info.fieldNodes, getNamedType(info.returnType), (parent, name) => {
    if (parent.name === 'SearchHit') hitFields.add(name);
  });
  return {
    entities: hitFields.has('label') ? 'full' : projectionFor(info, ['TreatyArticle', 'Provision', 'Recommendation']),
    best: hitFields.has('language') || hitFields.has('excerpt'),
    text: hitFields.has('excerpt'),
  };
}

export const searchResolvers: Resolvers = {
  Query: {
    search: async (_parent, { text, kinds, ...args }, { repositories }, info) => {
      const { query, terms } = toLuceneQuery(text);
      const chosen = kinds?.length ? [...new Set(kinds)] : SEARCH_KINDS;
      const page = pageRequest(args, 'search');
      // One statement gives the page (with one extra hit, to tell whether there is a next page) and the total,
      // so totalCount is known without a second search; it reads what the selection shows (searchReading).
      const { hits, total } = await repositories.search.search(
        query,
        chosen,
        terms,
        page.offset,
        page.limit + 1,
        searchReading(info),
      );
      return toConnection(hits, page, () => Promise.resolve(total));
    },
  },
  SearchHit: {
    entity: (hit) => hit.entity,
    label: (hit, _args, context) => hitLabel(hit, context),
    // searchReading reads the language and the text whenever these fields are selected; null here is a bug.
    language: (hit) => hit.language ?? unread('language'),
    excerpt: (hit) => excerpt(hit.text ?? unread('text'), hit.terms),
  },
  SearchHitEntity: { __resolveType: (entity) => entity.__label },
  SearchHitConnection: { totalCount: (connection) => connection.totalCount() },
};
