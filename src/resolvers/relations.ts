import type { PageSpec, RelSpec } from '../db/graph-loaders';

/**
 * The relationships resolvers walk, named from the side they are walked from. Orders end with the id so
 * pages are stable. (Graph shape: docs/model.md.)
 */
const RECOMMENDATION_ORDER = `coalesce(t.year, 0) DESC, coalesce(t.documentSymbol, ''), t.paragraph, coalesce(t.subParagraph, ''), t.id`;
const DATE_ORDER = (property: string) => `coalesce(t.${property}, '9999'), t.id`;
const PROVISION_ORDER = `toInteger(split(t.article, '-')[0]), t.article, coalesce(t.paragraph, ''), t.id`;

export const REL = {
  treatyArticles: { type: 'HAS_ARTICLE', direction: 'out', target: 'TreatyArticle', orderBy: 't.number, t.id' },
  articleTreaty: { type: 'HAS_ARTICLE', direction: 'in', target: 'Treaty' },
  protocolTo: { type: 'PROTOCOL_TO', direction: 'out', target: 'Treaty' },
  protocols: { type: 'PROTOCOL_TO', direction: 'in', target: 'Treaty' },
  treatyActionsOnTreaty: { type: 'ON_TREATY', direction: 'in', target: 'TreatyAction', orderBy: DATE_ORDER('date') },
  stateTreatyActions: { type: 'TOOK_ACTION', direction: 'out', target: 'TreatyAction', orderBy: DATE_ORDER('date') },
  actionState: { type: 'TOOK_ACTION', direction: 'in', target: 'State' },
  actionTreaty: { type: 'ON_TREATY', direction: 'out', target: 'Treaty' },
  actionDomesticAct: { type: 'BY_ACT', direction: 'out', target: 'LegalInstrument' },
  ofState: { type: 'OF_STATE', direction: 'out', target: 'State' },
  stateInstruments: { type: 'OF_STATE', direction: 'in', target: 'LegalInstrument', orderBy: DATE_ORDER('adopted') },
  stateBodies: { type: 'OF_STATE', direction: 'in', target: 'Body', orderBy: 't.name, t.id' },
  stateMechanisms: { type: 'OF_STATE', direction: 'in', target: 'Mechanism', orderBy: 't.name, t.id' },
  stateDocuments: { type: 'CONCERNS_STATE', direction: 'in', target: 'Document', orderBy: DATE_ORDER('date') },
  stateRecommendations: { type: 'ADDRESSED_TO', direction: 'in', target: 'Recommendation', orderBy: RECOMMENDATION_ORDER },
  instrumentProvisions: { type: 'HAS_PROVISION', direction: 'out', target: 'Provision', orderBy: PROVISION_ORDER },
  provisionInstrument: { type: 'HAS_PROVISION', direction: 'in', target: 'LegalInstrument' },
  amends: { type: 'AMENDS', direction: 'out', target: 'LegalInstrument', orderBy: DATE_ORDER('adopted') },
  amendedBy: { type: 'AMENDS', direction: 'in', target: 'LegalInstrument', orderBy: DATE_ORDER('adopted') },
  issuedUnder: { type: 'ISSUED_UNDER', direction: 'out', target: 'Entity' },
  implements: { type: 'IMPLEMENTS', direction: 'out', target: 'TreatyArticle', orderBy: 't.id' },
  // A provision or a whole instrument (LegalInstrument-[:IMPLEMENTS]->TreatyArticle).
  articleImplementations: { type: 'IMPLEMENTS', direction: 'in', target: 'Entity', orderBy: 't.id' },
  establishedBodies: { type: 'ESTABLISHED_BY', direction: 'in', target: 'Body', orderBy: 't.name, t.id' },
  mandatedBodies: { type: 'MANDATED_BY', direction: 'in', target: 'Body', orderBy: 't.name, t.id' },
  establishedBy: { type: 'ESTABLISHED_BY', direction: 'out', target: 'Entity' },
  mandatedBy: { type: 'MANDATED_BY', direction: 'out', target: 'Entity' },
  bodyParent: { type: 'PART_OF', direction: 'out', target: 'Body' },
  bodyChildren: { type: 'PART_OF', direction: 'in', target: 'Body', orderBy: 't.name, t.id' },
  bodyMechanisms: { type: 'RUN_BY', direction: 'in', target: 'Mechanism', orderBy: 't.name, t.id' },
  runBy: { type: 'RUN_BY', direction: 'out', target: 'Body', orderBy: 't.name, t.id' },
  groundedIn: { type: 'GROUNDED_IN', direction: 'out', target: 'Entity' },
  groundedMechanisms: { type: 'GROUNDED_IN', direction: 'in', target: 'Mechanism', orderBy: 't.name, t.id' },
  givesEffectTo: { type: 'GIVES_EFFECT_TO', direction: 'out', target: 'TreatyArticle', orderBy: 't.id' },
  articleMechanisms: { type: 'GIVES_EFFECT_TO', direction: 'in', target: 'Mechanism', orderBy: 't.name, t.id' },
  answersGiven: { type: 'ANSWERS', direction: 'out', target: 'Recommendation', orderBy: RECOMMENDATION_ORDER },
  answeredBy: { type: 'ANSWERS', direction: 'in', target: 'Entity' },
  evidenceAbout: { type: 'ABOUT', direction: 'in', target: 'Entity' },
  aboutTargets: { type: 'ABOUT', direction: 'out', target: 'Entity' },
  supports: { type: 'SUPPORTED_BY', direction: 'in', target: 'Finding' },
  supportedBy: { type: 'SUPPORTED_BY', direction: 'out', target: 'Statistic' },
  documentTreaty: { type: 'UNDER_TREATY', direction: 'out', target: 'Treaty' },
  documentState: { type: 'CONCERNS_STATE', direction: 'out', target: 'State' },
  respondsTo: { type: 'RESPONDS_TO', direction: 'out', target: 'Document', orderBy: DATE_ORDER('date') },
  respondedToBy: { type: 'RESPONDS_TO', direction: 'in', target: 'Document', orderBy: DATE_ORDER('date') },
  documentRecommendations: { type: 'ISSUED_IN', direction: 'in', target: 'Recommendation', orderBy: `t.paragraph, coalesce(t.subParagraph, ''), t.id` },
  recommendationDocument: { type: 'ISSUED_IN', direction: 'out', target: 'Document' },
  addressedTo: { type: 'ADDRESSED_TO', direction: 'out', target: 'State' },
  partOf: { type: 'PART_OF', direction: 'out', target: 'Recommendation' },
  subParagraphs: { type: 'PART_OF', direction: 'in', target: 'Recommendation', orderBy: `coalesce(t.subParagraph, ''), t.id` },
  concerns: { type: 'CONCERNS', direction: 'out', target: 'TreatyArticle', orderBy: 't.number, t.id' },
  articleRecommendations: { type: 'CONCERNS', direction: 'in', target: 'Recommendation', orderBy: RECOMMENDATION_ORDER },
  themes: { type: 'HAS_THEME', direction: 'out', target: 'Theme', orderBy: 't.name, t.id' },
  themeRecommendations: { type: 'HAS_THEME', direction: 'in', target: 'Recommendation', orderBy: RECOMMENDATION_ORDER },
  reiterates: { type: 'REITERATES', direction: 'out', target: 'Recommendation', orderBy: RECOMMENDATION_ORDER },
  reiteratedBy: { type: 'REITERATES', direction: 'in', target: 'Recommendation', orderBy: RECOMMENDATION_ORDER },
  sourceDocument: { type: 'IS_DOCUMENT', direction: 'out', target: 'Document' },
} satisfies Record<string, RelSpec>;

/** A page spec narrowed to one state's entities (the target has an OF_STATE link to it). */
export function ofStateFilter(spec: RelSpec, state: string | null | undefined): PageSpec {
  return state ? { ...spec, where: 'EXISTS { (t)-[:OF_STATE]->(:State {id: $state}) }', params: { state } } : spec;
}

/** A page spec narrowed to recommendations addressed to one state. */
export function addressedToFilter(spec: RelSpec, state: string | null | undefined): PageSpec {
  return state ? { ...spec, where: 'EXISTS { (t)-[:ADDRESSED_TO]->(:State {id: $state}) }', params: { state } } : spec;
}

/** A page spec narrowed to one state's instruments and their provisions (only instruments have OF_STATE). */
export function provisionOfStateFilter(spec: RelSpec, state: string | null | undefined): PageSpec {
  return state
    ? {
        ...spec,
        where:
          'EXISTS { (t)<-[:HAS_PROVISION]-(:LegalInstrument)-[:OF_STATE]->(:State {id: $state}) } OR EXISTS { (t)-[:OF_STATE]->(:State {id: $state}) }',
        params: { state },
      }
    : spec;
}
