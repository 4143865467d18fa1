import type { Resolvers } from '../generated/graphql';
import { SystemRepository } from '../db/system-repository';
import { DateScalar } from './common';
import { evidenceSourceResolvers } from './evidence-sources';
import { nationalImplementationResolvers } from './national-implementation';
import { searchResolvers } from './search';
import { treatyStateResolvers } from './treaties-states';
import { unDocumentResolvers } from './un-documents';
import { analysisResolvers } from './analysis';

/** One resolver map per domain, merged; each domain's Query fields are its own. */
const domains: Resolvers[] = [
  treatyStateResolvers,
  nationalImplementationResolvers,
  unDocumentResolvers,
  evidenceSourceResolvers,
  searchResolvers,
  analysisResolvers,
];

export const resolvers: Resolvers = {
  Date: DateScalar,
  ...Object.assign({}, ...domains),
  Query: Object.assign(
    { about: (_parent: unknown, _args: unknown, { db }: { db: ConstructorParameters<typeof SystemRepository>[0] }) => new SystemRepository(db).graphInfo() },
    ...domains.map((domain) => domain.Query ?? {}),
  ),
};
