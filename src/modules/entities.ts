/**
 * Every entity label with its model, so that a node whose kind is known only at run time (the target of a
 * link that may point at several kinds, `node(id:)`, a path) is decoded by its label's model.
 */
import { z } from 'zod';
import { GraphDataError } from '../errors';
import { decodeWith, type EntityLabel } from './common/models';
import { bodyModel, mechanismModel, type BodyModel, type MechanismModel } from './implementation/models';
import { findingModel, statisticModel, type FindingModel, type StatisticModel } from './evidence/models';
import { legalInstrumentModel, provisionModel, type LegalInstrumentModel, type ProvisionModel } from './national-law/models';
import { sourceModel, type SourceModel } from './sources/models';
import { stateModel, treatyActionModel, type StateModel, type TreatyActionModel } from './states/models';
import { treatyArticleModel, treatyModel, type TreatyArticleModel, type TreatyModel } from './treaties/models';
import { documentModel, recommendationModel, themeModel, type DocumentModel, type RecommendationModel, type ThemeModel } from './un-documents/models';

export interface ModelByLabel {
  Source: SourceModel;
  Theme: ThemeModel;
  Treaty: TreatyModel;
  TreatyArticle: TreatyArticleModel;
  State: StateModel;
  TreatyAction: TreatyActionModel;
  LegalInstrument: LegalInstrumentModel;
  Provision: ProvisionModel;
  Body: BodyModel;
  Mechanism: MechanismModel;
  Document: DocumentModel;
  Recommendation: RecommendationModel;
  Statistic: StatisticModel;
  Finding: FindingModel;
}

/** Any entity: a union discriminated by `__label`. */
export type EntityModel = ModelByLabel[EntityLabel];

interface ModelOf<M> {
  properties: string[];
  decode(props: unknown): M;
}

export const ENTITY_MODELS: { [L in EntityLabel]: ModelOf<ModelByLabel[L]> } = {
  Source: sourceModel,
  Theme: themeModel,
  Treaty: treatyModel,
  TreatyArticle: treatyArticleModel,
  State: stateModel,
  TreatyAction: treatyActionModel,
  LegalInstrument: legalInstrumentModel,
  Provision: provisionModel,
  Body: bodyModel,
  Mechanism: mechanismModel,
  Document: documentModel,
  Recommendation: recommendationModel,
  Statistic: statisticModel,
  Finding: findingModel,
};

export const ENTITY_LABELS: readonly EntityLabel[] = [
  'Source',
  'Theme',
  'Treaty',
  'TreatyArticle',
  'State',
  'TreatyAction',
  'LegalInstrument',
  'Provision',
  'Body',
  'Mechanism',
  'Document',
  'Recommendation',
  'Statistic',
  'Finding',
];

/** A node as every statement returns it (db/cypher.ts `nodeMap`). */
const rawNode = z.object({ labels: z.array(z.string()), props: z.record(z.string(), z.unknown()) });

function decodeAs<L extends EntityLabel>(label: L, props: unknown): ModelByLabel[L] {
  const model: ModelOf<ModelByLabel[L]> = ENTITY_MODELS[label];
  return model.decode(props);
}

/**
 * Decodes a node returned as `{labels, props}` by the model of its label, which must be one of `allowed`:
 * a node of another kind where the graph's model allows only these is a GraphDataError, never a silent
 * mismatch.
 */
export function decodeEntity<L extends EntityLabel>(raw: unknown, allowed: readonly L[]): ModelByLabel[L] {
  const node = decodeWith(rawNode, raw, 'node');
  const label = allowed.find((candidate) => node.labels.includes(candidate));
  if (label === undefined) {
    throw new GraphDataError(`Node ${String(node.props.id)} (labels ${node.labels.join(', ')}) is not one of ${allowed.join(', ')}`);
  }
  return decodeAs(label, node.props);
}
