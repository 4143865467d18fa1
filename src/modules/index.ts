import { GraphQLScalarType } from 'graphql';
import type { Resolvers } from '../generated/graphql';
import { analysisResolvers } from './analysis/resolvers';
import { commonResolvers } from './common/resolvers';
import { evidenceResolvers } from './evidence/resolvers';
import { followupResolvers } from './followup/resolvers';
import { identityResolvers } from './identity/resolvers';
import { implementationResolvers } from './implementation/resolvers';
import { nationalLawResolvers } from './national-law/resolvers';
import { searchResolvers } from './search/resolvers';
import { sourcesResolvers } from './sources/resolvers';
import { statesResolvers } from './states/resolvers';
import { systemResolvers } from './system/resolvers';
import { treatiesResolvers } from './treaties/resolvers';
import { unDocumentsResolvers } from './un-documents/resolvers';

/**
 * One resolver map per domain, named as its schema file: schema/<domain>.graphql is resolved by
 * src/modules/<domain>/resolvers.ts. Each domain's Query fields are its own.
 */
const domains: Resolvers[] = [
  analysisResolvers,
  commonResolvers,
  evidenceResolvers,
  followupResolvers,
  identityResolvers,
  implementationResolvers,
  nationalLawResolvers,
  searchResolvers,
  sourcesResolvers,
  statesResolvers,
  systemResolvers,
  treatiesResolvers,
  unDocumentsResolvers,
];

/**
 * Every domain's resolvers in one map. A type several domains resolve (Query, Mutation, a type another
 * domain extends, as follow-up extends Recommendation) gets the fields of each.
 */
function mergeDomains(parts: readonly Resolvers[]): Resolvers {
  const merged: Record<string, unknown> = {};
  for (const part of parts) {
    for (const [type, fields] of Object.entries(part)) {
      const present = merged[type];
      merged[type] =
        present && typeof present === 'object' && typeof fields === 'object' && !(fields instanceof GraphQLScalarType)
          ? { ...present, ...fields }
          : fields;
    }
  }
  return merged;
}

export const resolvers: Resolvers = mergeDomains(domains);
