/**
 * Follow-up records (docs/model.md, "Follow-up"; storage as CONTRACTS C): measures a state takes in answer to
 * recommendations, dated progress updates on them, and the append-only change records of both. They are
 * statements by the organisation that recorded them, never curated facts, and carry no `:Entity` label, so
 * the corpus loader never writes or deletes them.
 */
import { z } from 'zod';
import type { Connection } from '../../pagination';
import { optional } from '../common/models';

export const MEASURE_STATUSES = ['PLANNED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'] as const;
export type MeasureStatus = (typeof MEASURE_STATUSES)[number];

export const VISIBILITIES = ['PUBLIC', 'INTERNAL'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/**
 * The status changes a measure may make (the same status is always allowed: nothing changes). Reopening a
 * completed measure and taking up a cancelled one again are allowed because reports are corrected; jumping
 * from CANCELLED to COMPLETED is not, since a cancelled measure must be taken up again first.
 */
export const STATUS_TRANSITIONS: Readonly<Record<MeasureStatus, readonly MeasureStatus[]>> = {
  PLANNED: ['IN_PROGRESS', 'COMPLETED', 'CANCELLED'],
  IN_PROGRESS: ['COMPLETED', 'CANCELLED'],
  COMPLETED: ['IN_PROGRESS'],
  CANCELLED: ['PLANNED'],
};

export function statusChangeAllowed(from: MeasureStatus, to: MeasureStatus): boolean {
  return from === to || STATUS_TRANSITIONS[from].includes(to);
}

/** Overdue, derived: due before `today` (YYYY-MM-DD, UTC), still PLANNED or IN_PROGRESS, not withdrawn. */
export function isOverdue(
  measure: Pick<MeasureModel, 'dueDate' | 'status' | 'withdrawnAt'>,
  today: string = new Date().toISOString().slice(0, 10),
): boolean {
  return (
    measure.dueDate !== null &&
    measure.dueDate < today &&
    (measure.status === 'PLANNED' || measure.status === 'IN_PROGRESS') &&
    measure.withdrawnAt === null
  );
}

/** Whether an id names a follow-up record (so `node(id:)` asks the follow-up repository). */
export function isFollowUpId(id: string): boolean {
  return id.startsWith('measure:') || id.startsWith('progress:');
}

/** The labels follow-up nodes carry; none of them is `Entity`. */
export const FOLLOW_UP_LABELS = ['FollowUp', 'Measure', 'ProgressUpdate', 'ChangeRecord', 'IdempotencyKey'] as const;

/** Relationships from a measure to curated entities, with the kinds each may point at. */
export const MEASURE_LINKS = {
  ADDRESSES: ['Recommendation'],
  LED_BY: ['Body'],
  CONTRIBUTED_BY: ['Body'],
  PRODUCED: ['LegalInstrument', 'Provision', 'Body', 'Mechanism'],
} as const;
export type MeasureLinkType = keyof typeof MEASURE_LINKS;

/** The kinds of curated entity a completed measure may have produced. */
export const RESULT_KINDS = MEASURE_LINKS.PRODUCED;
export type ResultKind = (typeof RESULT_KINDS)[number];

export const measureSchema = z.object({
  id: z.string(),
  /** ISO 3166 alpha-3, as in the viewer's editorStates (the corpus state is `state:<stateId>`). */
  stateId: z.string(),
  title: z.string(),
  description: optional(z.string()),
  status: z.enum(MEASURE_STATUSES),
  plannedStart: optional(z.string()),
  dueDate: optional(z.string()),
  visibility: z.enum(VISIBILITIES),
  version: z.number().int(),
  createdAt: z.string(),
  createdBy: z.string(),
  organisation: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  updatedByOrganisation: optional(z.string()),
  withdrawnAt: optional(z.string()),
  withdrawnBy: optional(z.string()),
  withdrawnByOrganisation: optional(z.string()),
  withdrawalReason: optional(z.string()),
});

/** A measure as the API serves it (its links are read separately). */
export type MeasureModel = z.output<typeof measureSchema> & { __label: 'Measure' };

export const evidenceSchema = z.object({
  sourceId: z.string().nullable(),
  title: z.string().nullable(),
  locator: z.string().nullable(),
  url: z.string().nullable(),
});
export type EvidenceModel = z.output<typeof evidenceSchema>;

export const progressSchema = z.object({
  id: z.string(),
  measureId: z.string(),
  stateId: z.string(),
  date: z.string(),
  text: z.string(),
  reportedStatus: z.enum(MEASURE_STATUSES),
  visibility: z.enum(VISIBILITIES),
  evidenceJson: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  organisation: z.string(),
});
export type ProgressUpdateModel = Omit<z.output<typeof progressSchema>, 'evidenceJson'> & {
  __label: 'ProgressUpdate';
  evidence: EvidenceModel[];
};

export const CHANGE_ENTITY_KINDS = ['Measure', 'ProgressUpdate', 'User'] as const;

export const changeSchema = z.object({
  id: z.string(),
  seq: z.number().int(),
  at: z.string(),
  userId: z.string(),
  organisation: z.string(),
  requestId: z.string(),
  entityId: z.string(),
  entityKind: z.enum(CHANGE_ENTITY_KINDS),
  operation: z.string(),
  stateId: optional(z.string()),
  visibility: z.enum(VISIBILITIES),
  beforeJson: optional(z.string()),
  afterJson: z.string(),
});
export type ChangeRecordModel = z.output<typeof changeSchema>;

export type MeasureConnectionModel = Connection<MeasureModel>;

export interface ChangeRecordConnectionModel {
  edges: Array<{ cursor: string; node: ChangeRecordModel }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export interface MeasurePayloadModel {
  clientMutationId: string | null;
  measure: MeasureModel;
}

export interface ProgressPayloadModel {
  clientMutationId: string | null;
  progressUpdate: ProgressUpdateModel;
  measure: MeasureModel;
}
