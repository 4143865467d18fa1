import type { Resolvers } from '../generated/graphql';
import { analysisResolvers } from './analysis/resolvers';
import { commonResolvers } from './common/resolvers';
import { evidenceResolvers } from './evidence/resolvers';
import { followUpBoardResolvers } from './followup-board/resolvers';
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
  followUpBoardResolvers,
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
 * Every domain's resolvers in one map, merged type by type: a domain that extends another's type (the
 * follow-up board adds `RecommendationGap.measuresUnderWay`) adds its fields beside the owner's, and a field
 * resolved by two domains is a programming error, reported at start-up rather than one silently winning.
 */
export function mergeDomains(parts: readonly Resolvers[]): Resolvers {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const part of parts) {
    for (const [typeName, fields] of Object.entries(part as Record<string, Record<string, unknown>>)) {
      // A scalar (GraphQLScalarType) is one object, not a map of fields: it has one owner.
      if (Object.getPrototypeOf(fields) !== Object.prototype) {
        if (typeName in merged) throw new Error(`${typeName} is resolved by two domains`);
        merged[typeName] = fields;
        continue;
      }
      const target = (merged[typeName] ??= {});
      for (const [fieldName, resolver] of Object.entries(fields)) {
        if (fieldName in target) throw new Error(`${typeName}.${fieldName} is resolved by two domains`);
        target[fieldName] = resolver;
      }
    }
  }
  return merged;
}

export const resolvers: Resolvers = mergeDomains(domains);
