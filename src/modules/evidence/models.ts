import { z } from 'zod';
import type { Connection } from '../../pagination';
import { entityModel, sourced, type LinkModel } from '../common/models';
import type { EntityModel } from '../entities';

export const statisticModel = entityModel('Statistic', {
  ...sourced,
  stateId: z.string(),
  indicator: z.string(),
  value: z.number(),
  unit: z.string(),
  year: z.number().int(),
  scope: z.string(),
});
export type StatisticModel = ReturnType<typeof statisticModel.decode>;

export const findingModel = entityModel('Finding', {
  ...sourced,
  stateId: z.string(),
  title: z.string(),
  summary: z.string(),
  kind: z.string(),
});
export type FindingModel = ReturnType<typeof findingModel.decode>;

export type EvidenceModel = StatisticModel | FindingModel;
export const EVIDENCE_LABELS = ['Statistic', 'Finding'] as const;

/** What a statistic or finding is about (ABOUT): any entity. */
export type EvidenceLinkModel = LinkModel<EvidenceModel, EntityModel>;
export type EvidenceConnectionModel = Connection<EvidenceModel>;
