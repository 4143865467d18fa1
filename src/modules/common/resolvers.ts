import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import type { Resolvers } from '../../generated/graphql';
import type { Context } from '../../context';
import { badUserInput, GraphDataError } from '../../errors';
import { LIMITS } from '../../limits';
import type { EntityModel } from '../entities';
import type { CitationModel, LinkProps } from './models';
import { isFollowUpId, type MeasureModel, type ProgressUpdateModel } from '../followup/models';

const PARTIAL_DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

/** ISO 8601 calendar date at day, month or year precision. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'An ISO 8601 calendar date at day (YYYY-MM-DD), month (YYYY-MM) or year (YYYY) precision.',
  serialize(value) {
    if (typeof value !== 'string' || !PARTIAL_DATE.test(value))
      throw new GraphQLError(`Date cannot represent ${JSON.stringify(value)}`);
    return value;
  },
  parseValue(value) {
    if (typeof value !== 'string' || !PARTIAL_DATE.test(value)) {
      throw new GraphQLError(`Date must be YYYY, YYYY-MM or YYYY-MM-DD (got ${JSON.stringify(value)})`, {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return value;
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING || !PARTIAL_DATE.test(ast.value)) {
      throw new GraphQLError('Date must be a string YYYY, YYYY-MM or YYYY-MM-DD', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return ast.value;
  },
});

/** A follow-up record by id as the viewer may see it, or null (follow-up records are not corpus entities). */
function followUpNode(id: string, { repositories }: Context): Promise<MeasureModel | ProgressUpdateModel | null> {
  return id.startsWith('measure:') ? repositories.followUp.measure(id) : repositories.followUp.progressUpdate(id);
}

/** The GraphQL type of an entity is its label. */
export function resolveEntityType<M extends { __label: string }>(model: M): M['__label'] {
  return model.__label;
}

/** The fields every Sourced entity resolves from elsewhere (verification and note are properties). */
export const sourcedFields = {
  sources: (model: { id: string }, _args: unknown, { repositories }: Context) =>
    repositories.common.citations(model.id),
  claims: (model: { id: string }, _args: unknown, { repositories }: Context) => repositories.common.claims(model.id),
};

/** A relationship's citations, from the aligned sourceIds, locators and quotes lists the loader writes on it. */
export function linkCitations(rel: LinkProps): CitationModel[] {
  return rel.sourceIds.map((sourceId, index) => ({
    sourceId,
    locator: rel.locators[index] ?? '',
    quote: rel.quotes[index] || null,
  }));
}

/** The four fields every SourcedLink has. */
export const linkFields = {
  sources: (link: { rel: LinkProps }) => linkCitations(link.rel),
  verification: (link: { rel: LinkProps }) => link.rel.verification,
  linkBasis: (link: { rel: LinkProps }) => link.rel.basis,
  note: (link: { rel: LinkProps }) => link.rel.note,
};

/** How an INFERRED link was derived; null on curated links (an inference property alone does not make a link inferred). */
export const inferenceFields = {
  inference: (link: { rel: LinkProps }) => (link.rel.basis === 'INFERRED' ? link.rel.inference : null),
  inferenceEvidence: (link: { rel: LinkProps }) => (link.rel.basis === 'INFERRED' ? link.rel.evidence : null),
};

/** Resolves `state:KAZ` or `KAZ` to the state id; ids pass through. */
export function stateId(value: string): string {
  return /^[A-Z]{3}$/.test(value) ? `state:${value}` : value;
}

/** Resolves `treaty:CRC` or `CRC` to the treaty id. */
export function treatyId(value: string): string {
  return value.startsWith('treaty:') ? value : `treaty:${value.toUpperCase()}`;
}

/** Something the graph's model requires (every provision has its instrument, …): missing is a data error, masked for the client. */
export function required<T>(value: T | null, message: string): T {
  if (value === null) throw new GraphDataError(message);
  return value;
}

export const commonResolvers: Resolvers = {
  Date: DateScalar,
  Query: {
    node: (_parent, { id }, context) =>
      isFollowUpId(id) ? followUpNode(id, context) : context.repositories.common.node(id),
    nodes: (_parent, { ids }, context) => {
      if (ids.length > LIMITS.maxIds) {
        throw badUserInput(`nodes(ids:) holds ${ids.length} ids; the limit is ${LIMITS.maxIds}.`, 'nodes(ids:)', {
          limit: LIMITS.maxIds,
        });
      }
      // Follow-up records (not corpus entities) come from their own repository, as the viewer may see them.
      return Promise.all(
        ids.map((id) => (isFollowUpId(id) ? followUpNode(id, context) : context.repositories.common.node(id))),
      );
    },
  },
  Node: { __resolveType: (node: EntityModel | MeasureModel | ProgressUpdateModel) => node.__label },
  Sourced: { __resolveType: (node) => node.__label },
  // Every field returning SourcedLink names its concrete type; the interface itself is never returned.
  SourcedLink: { __resolveType: () => null },
  Citation: {
    source: async (citation, _args, { repositories }) =>
      citation.source ??
      required(
        await repositories.common.nodeOf(citation.sourceId, ['Source']),
        `Citation names source ${citation.sourceId}, which does not exist`,
      ),
  },
  Claim: {
    sources: (claim) => claim.citations,
  },
  TextVersion: {
    sources: (text) => text.citations,
  },
};
