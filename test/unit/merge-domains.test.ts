import { mergeDomains, resolvers } from '../../src/modules';
import type { Resolvers } from '../../src/generated/graphql';

describe('merging the domains’ resolvers', () => {
  it('keeps the fields of a type that two domains resolve (one owns it, the other extends it)', () => {
    const owner: Resolvers = { RecommendationGap: { explanation: () => 'owner' } };
    const extension: Resolvers = { RecommendationGap: { measuresUnderWay: () => [] } };
    const merged = mergeDomains([owner, extension]);
    expect(Object.keys(merged.RecommendationGap ?? {}).sort()).toEqual(['explanation', 'measuresUnderWay']);
  });

  it('refuses a field two domains both resolve, naming it', () => {
    const one: Resolvers = { RecommendationGap: { explanation: () => 'one' } };
    const two: Resolvers = { RecommendationGap: { explanation: () => 'two' } };
    expect(() => mergeDomains([one, two])).toThrow('RecommendationGap.explanation is resolved by two domains');
  });

  it('the API’s map still resolves the gap’s own fields beside the follow-up board’s', () => {
    expect(Object.keys(resolvers.RecommendationGap ?? {})).toEqual(
      expect.arrayContaining(['explanation', 'relatedMechanisms', 'measuresUnderWay']),
    );
    expect(resolvers.Date).toBeDefined();
    expect(Object.getPrototypeOf(resolvers.Date)).not.toBe(Object.prototype);
  });
});
