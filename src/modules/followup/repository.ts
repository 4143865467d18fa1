/**
 * Follow-up storage (CONTRACTS C; docs/model.md, "Follow-up"): reading measures, progress updates and change
 * records as a viewer may see them, and the mutations, each one write transaction that appends its change
 * records in the same transaction.
 *
 * Visibility is one condition everywhere: a record is read when it is PUBLIC or its state is one of the
 * viewer's `internalStatesOf` (src/modules/identity/viewer.ts); a progress update also needs its measure
 * PUBLIC. Who may change what is decided only by `mayEditFollowUp`.
 */
import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import { z } from 'zod';
import type { CypherReader, WriteTransaction } from '../../db/database';
import { apiError, badUserInput } from '../../errors';
import { visible } from '../../graph/vocabulary';
import { decodeWith } from '../common/models';
import { internalStatesOf, mayEditFollowUp, signedIn, type SignedInUser, type Viewer } from '../identity/viewer';
import {
  changeSchema,
  evidenceSchema,
  measureSchema,
  progressSchema,
  RESULT_KINDS,
  statusChangeAllowed,
  type ChangeRecordModel,
  type EvidenceModel,
  type MeasureModel,
  type MeasureStatus,
  type ProgressUpdateModel,
  type Visibility,
} from './models';

/** Constraints and indexes of the follow-up nodes: made with the corpus schema and at every start (src/app.ts). */
export const FOLLOWUP_CONSTRAINTS: ReadonlyArray<{ name: string; cypher: string }> = [
  {
    name: 'measure_id',
    cypher: 'CREATE CONSTRAINT measure_id IF NOT EXISTS FOR (n:Measure) REQUIRE n.id IS UNIQUE',
  },
  {
    name: 'progress_update_id',
    cypher: 'CREATE CONSTRAINT progress_update_id IF NOT EXISTS FOR (n:ProgressUpdate) REQUIRE n.id IS UNIQUE',
  },
  {
    name: 'change_record_id',
    cypher: 'CREATE CONSTRAINT change_record_id IF NOT EXISTS FOR (n:ChangeRecord) REQUIRE n.id IS UNIQUE',
  },
  {
    name: 'change_record_seq',
    cypher: 'CREATE CONSTRAINT change_record_seq IF NOT EXISTS FOR (n:ChangeRecord) REQUIRE n.seq IS UNIQUE',
  },
  {
    name: 'change_sequence_name',
    cypher: 'CREATE CONSTRAINT change_sequence_name IF NOT EXISTS FOR (n:ChangeSequence) REQUIRE n.name IS UNIQUE',
  },
  {
    name: 'idempotency_key',
    cypher:
      'CREATE CONSTRAINT idempotency_key IF NOT EXISTS FOR (n:IdempotencyKey) REQUIRE (n.userId, n.key) IS UNIQUE',
  },
  {
    name: 'measure_state_id',
    cypher: 'CREATE INDEX measure_state_id IF NOT EXISTS FOR (n:Measure) ON (n.stateId)',
  },
  {
    name: 'change_record_entity_id',
    cypher: 'CREATE INDEX change_record_entity_id IF NOT EXISTS FOR (n:ChangeRecord) ON (n.entityId)',
  },
  {
    name: 'change_record_state_id',
    cypher: 'CREATE INDEX change_record_state_id IF NOT EXISTS FOR (n:ChangeRecord) ON (n.stateId)',
  },
];

/** A measure `m` the reader may see: public, or internal to a state they edit (viewer.ts `internalStatesOf`). */
export const VISIBLE_MEASURE = "(m.visibility = 'PUBLIC' OR m.stateId IN $internalStates)";
const VISIBLE_PROGRESS = "((p.visibility = 'PUBLIC' AND m.visibility = 'PUBLIC') OR p.stateId IN $internalStates)";
/** A change is read when it and the record it is about are both public, or by the state's users. */
const VISIBLE_CHANGE = `(c.stateId IN $internalStates OR (c.visibility = 'PUBLIC' AND (
  EXISTS { MATCH (e:Measure {id: c.entityId}) WHERE e.visibility = 'PUBLIC' } OR
  EXISTS { MATCH (e:ProgressUpdate {id: c.entityId})-[:ON_MEASURE]->(em:Measure)
           WHERE e.visibility = 'PUBLIC' AND em.visibility = 'PUBLIC' })))`;

/** The read statements (planned by the warm-up, src/modules/statements.ts). */
export const FOLLOWUP_STATEMENTS = {
  measures: `// Measure.byId
UNWIND $ids AS id
MATCH (m:Measure {id: id})
WHERE ${VISIBLE_MEASURE}
RETURN id, properties(m) AS measure`,
  progressUpdates: `// ProgressUpdate.byId
UNWIND $ids AS id
MATCH (p:ProgressUpdate {id: id})-[:ON_MEASURE]->(m:Measure)
WHERE ${VISIBLE_PROGRESS}
RETURN id, properties(p) AS progress`,
  measureLinks: `// Measure.links
UNWIND $ids AS id
MATCH (m:Measure {id: id})
RETURN id,
  [(m)-[:LED_BY]->(b:Body) | b.id] AS leadBody,
  [(m)-[r:CONTRIBUTED_BY]->(b:Body) | b.id] AS contributingBodies,
  [(m)-[:ADDRESSES]->(r:Recommendation) WHERE ${visible('r')} | r.id] AS recommendations,
  [(m)-[:PRODUCED]->(x:Entity) WHERE ${visible('x')} | x.id] AS results`,
  progressOf: `// Measure.progress
UNWIND $ids AS id
MATCH (m:Measure {id: id})
CALL (m) {
  OPTIONAL MATCH (p:ProgressUpdate)-[:ON_MEASURE]->(m)
  WHERE ${VISIBLE_PROGRESS}
  WITH p ORDER BY p.date DESC, p.createdAt DESC, p.id
  RETURN collect(properties(p)) AS progress
}
RETURN id, progress`,
  measuresOfRecommendation: `// Recommendation.measures
UNWIND $ids AS id
CALL (id) {
  OPTIONAL MATCH (m:Measure)-[:ADDRESSES]->(:Recommendation {id: id})
  WHERE ${VISIBLE_MEASURE} AND ($includeWithdrawn OR m.withdrawnAt IS NULL)
  WITH m ORDER BY m.createdAt DESC, m.id
  WITH collect(properties(m)) AS found
  RETURN size(found) AS total, found[$offset..($offset + $limit)] AS page
}
RETURN id, total, page`,
  latestStatus: `// Recommendation.latestFollowUpStatus
UNWIND $ids AS id
CALL (id) {
  OPTIONAL MATCH (m:Measure)-[:ADDRESSES]->(:Recommendation {id: id})
  WHERE ${VISIBLE_MEASURE} AND m.withdrawnAt IS NULL
  WITH m ORDER BY m.updatedAt DESC, m.id
  RETURN collect(m.status)[0] AS status
}
RETURN id, status`,
  history: `// Query.history
MATCH (c:ChangeRecord)
WHERE (c.entityId = $id OR c.entityId IN [(p:ProgressUpdate)-[:ON_MEASURE]->(:Measure {id: $id}) | p.id])
  AND ${VISIBLE_CHANGE}
RETURN properties(c) AS change
ORDER BY c.seq`,
  changes: `// Query.changes
MATCH (c:ChangeRecord {stateId: $state})
WHERE c.seq > $afterSeq AND ($since IS NULL OR c.at >= $since) AND ${VISIBLE_CHANGE}
RETURN properties(c) AS change
ORDER BY c.seq
LIMIT $limit`,
};

const measureRows = z.array(z.object({ id: z.string(), measure: z.unknown() }));
const progressRows = z.array(z.object({ id: z.string(), progress: z.unknown() }));
const linkRows = z.array(
  z.object({
    id: z.string(),
    leadBody: z.array(z.string()),
    contributingBodies: z.array(z.string()),
    recommendations: z.array(z.string()),
    results: z.array(z.string()),
  }),
);
const progressListRows = z.array(z.object({ id: z.string(), progress: z.array(z.unknown()) }));
const pageRows = z.array(z.object({ id: z.string(), total: z.number().int(), page: z.array(z.unknown()) }));
const statusRows = z.array(z.object({ id: z.string(), status: z.string().nullable() }));
const changeRows = z.array(z.object({ change: z.unknown() }));

export interface MeasureLinks {
  leadBody: string | null;
  contributingBodies: string[];
  recommendations: string[];
  results: string[];
}

export function decodeMeasure(row: unknown): MeasureModel {
  return { __label: 'Measure', ...decodeWith(measureSchema, row, 'Measure') };
}

export function decodeProgress(row: unknown): ProgressUpdateModel {
  const { evidenceJson, ...props } = decodeWith(progressSchema, row, 'ProgressUpdate');
  const evidence = decodeWith(z.array(evidenceSchema), JSON.parse(evidenceJson), `${props.id} evidence`);
  return { __label: 'ProgressUpdate', ...props, evidence };
}

function decodeChange(row: unknown): ChangeRecordModel {
  return decodeWith(changeSchema, row, 'ChangeRecord');
}

function byId<V>(ids: readonly string[], rows: Array<[string, V]>, missing: V): V[] {
  const map = new Map(rows);
  return ids.map((id) => map.get(id) ?? missing);
}

// ------------------------------------------------------------------------------------------------ inputs

/** A measure's fields as a mutation sends them: absent is unchanged, null is cleared (or refused). */
export interface MeasureFields {
  title?: string | null;
  description?: string | null;
  status?: MeasureStatus | null;
  plannedStart?: string | null;
  dueDate?: string | null;
  visibility?: Visibility | null;
  leadBody?: string | null;
  contributingBodies?: readonly string[] | null;
}

export interface CreateMeasure extends MeasureFields {
  state: string;
  title: string;
  recommendations?: readonly string[] | null;
}

export interface NewProgress {
  date: string;
  text: string;
  reportedStatus: MeasureStatus;
  visibility?: Visibility | null;
  evidence?: ReadonlyArray<{
    source?: string | null;
    title?: string | null;
    locator?: string | null;
    url?: string | null;
  }> | null;
}

/** What every change to an existing measure names. */
export interface Change {
  id: string;
  expectedVersion: number;
  idempotencyKey?: string | null;
}

export type Operation =
  | 'CREATE_MEASURE'
  | 'UPDATE_MEASURE'
  | 'LINK_RECOMMENDATIONS'
  | 'UNLINK_RECOMMENDATIONS'
  | 'LINK_RESULTS'
  | 'UNLINK_RESULTS'
  | 'ADD_PROGRESS'
  | 'WITHDRAW_MEASURE';

/**
 * A test seam, not reachable from the API: called after each statement of a mutation's transaction (with
 * the statement's name and its position, from 1), so a test can fail a mutation half-way. createRepositories
 * never sets it.
 */
export type AfterStatement = (queryName: string, position: number) => void | Promise<void>;

const FULL_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const MAX_LINKS = 100;
const MAX_EVIDENCE = 20;

function text(value: string, field: string, max: number): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) throw badUserInput(`${field} must not be empty.`, field);
  if (trimmed.length > max) throw badUserInput(`${field} is longer than ${max} characters.`, field, { limit: max });
  return trimmed;
}

function optionalText(value: string | null | undefined, field: string, max: number): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  return text(value, field, max);
}

function fullDate(value: string | null | undefined, field: string): string | null {
  if (value === null || value === undefined) return null;
  if (!FULL_DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))
    throw badUserInput(`${field} must be a full date, YYYY-MM-DD (got ${JSON.stringify(value)}).`, field);
  return value;
}

function datesInOrder(plannedStart: string | null, dueDate: string | null, field: string): void {
  if (plannedStart !== null && dueDate !== null && dueDate < plannedStart)
    throw badUserInput(`${field}: the due date ${dueDate} is before the planned start ${plannedStart}.`, field);
}

function idList(values: readonly string[] | null | undefined, field: string, max = MAX_LINKS): string[] {
  const ids = [...new Set(values ?? [])];
  if (ids.length > max) throw badUserInput(`${field} holds ${ids.length} ids; the limit is ${max}.`, field);
  return ids;
}

function nonEmptyIdList(values: readonly string[], field: string): string[] {
  const ids = idList(values, field);
  if (ids.length === 0) throw badUserInput(`${field} must name at least one id.`, field);
  return ids;
}

function idempotencyKey(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (value.length === 0 || value.length > 200)
    throw badUserInput('input.idempotencyKey must be 1 to 200 characters.', 'input.idempotencyKey');
  return value;
}

/** ISO 3166 alpha-3 from `KAZ` or `state:KAZ`. */
export function stateCode(value: string, field: string): string {
  const code = value.startsWith('state:') ? value.slice('state:'.length) : value;
  if (!/^[A-Z]{3}$/.test(code))
    throw badUserInput(
      `${field} must be a state id or ISO alpha-3 code, e.g. KAZ (got ${JSON.stringify(value)}).`,
      field,
    );
  return code;
}

function evidenceList(values: NewProgress['evidence'], field: string): EvidenceModel[] {
  const list = values ?? [];
  if (list.length > MAX_EVIDENCE) throw badUserInput(`${field} holds more than ${MAX_EVIDENCE} items.`, field);
  return list.map((item, index) => {
    const at = `${field}[${index}]`;
    const evidence: EvidenceModel = {
      sourceId: optionalText(item.source, `${at}.source`, 300),
      title: optionalText(item.title, `${at}.title`, 1_000),
      locator: optionalText(item.locator, `${at}.locator`, 300),
      url: optionalText(item.url, `${at}.url`, 2_000),
    };
    if (evidence.sourceId === null && evidence.title === null && evidence.url === null)
      throw badUserInput(`${at} must give a source, a title or a URL.`, at);
    if (evidence.url !== null) {
      const protocol = URL.canParse(evidence.url) ? new URL(evidence.url).protocol : '';
      if (protocol !== 'http:' && protocol !== 'https:')
        throw badUserInput(`${at}.url must be an http or https URL.`, `${at}.url`);
    }
    return evidence;
  });
}

// ------------------------------------------------------------------------------------------------ errors

function unauthenticated(): Error {
  return apiError('UNAUTHENTICATED', 'Recording follow-up requires a signed-in user: send an Authorization header.');
}

function forbidden(permission: string): Error {
  return apiError('FORBIDDEN', `Not allowed: this requires ${permission}.`, { requires: permission });
}

/** Whether the user may record follow-up for this measure; FORBIDDEN naming what is missing otherwise. */
function requireEditor(viewer: Viewer, user: SignedInUser, stateId: string, leadBody: string | null): void {
  if (mayEditFollowUp(viewer, stateId, leadBody)) return;
  if (!user.editorStates.includes(stateId)) throw forbidden(`EDITOR of ${stateId}`);
  throw forbidden('a lead body you edit (set input.leadBody to one of your bodies)');
}

// ------------------------------------------------------------------------------------------------ writing

const MEASURE_SNAPSHOT = `properties(m) AS props,
  [(m)-[:LED_BY]->(b:Body) | b.id] AS leadBody,
  [(m)-[:CONTRIBUTED_BY]->(b:Body) | b.id] AS contributingBodies,
  [(m)-[:ADDRESSES]->(r:Recommendation) WHERE ${visible('r')} | r.id] AS recommendations,
  [(m)-[:PRODUCED]->(x:Entity) WHERE ${visible('x')} | x.id] AS results`;

/** The write statements, each run inside a mutation's one transaction. */
export const FOLLOWUP_WRITES = {
  claimKey: `// FollowUp.claimKey
MERGE (k:IdempotencyKey {userId: $userId, key: $key})
ON CREATE SET k.operation = $operation, k.createdAt = $at
RETURN k.operation AS operation, k.resultId AS resultId`,
  recordKey: `// FollowUp.recordKey
MATCH (k:IdempotencyKey {userId: $userId, key: $key})
SET k.resultId = $resultId`,
  // Writing a property takes the measure's write lock before it is read (the lost-update guard Neo4j's
  // manual describes): a concurrent change waits here for the first one's commit, then reads its version.
  lockMeasure: `// FollowUp.lockMeasure
MATCH (m:Measure {id: $id})
SET m._lock = true
REMOVE m._lock
WITH m
RETURN ${MEASURE_SNAPSHOT}`,
  snapshot: `// FollowUp.snapshot
MATCH (m:Measure {id: $id})
RETURN ${MEASURE_SNAPSHOT}`,
  checkReferences: `// FollowUp.checkReferences
RETURN EXISTS { MATCH (:State {id: $corpusState}) } AS stateExists,
  [id IN $recommendations WHERE NOT EXISTS { MATCH (r:Recommendation {id: id}) WHERE ${visible('r')} }] AS unknownRecommendations,
  [id IN $recommendations WHERE EXISTS { MATCH (r:Recommendation {id: id}) WHERE r.stateId <> $corpusState AND ${visible('r')} }] AS foreignRecommendations,
  [id IN $bodies WHERE NOT EXISTS { MATCH (:Body {id: id}) }] AS unknownBodies,
  [id IN $bodies WHERE EXISTS { MATCH (b:Body {id: id}) WHERE b.stateId <> $corpusState }] AS foreignBodies,
  [id IN $results WHERE NOT EXISTS { MATCH (x:Entity {id: id}) WHERE any(l IN labels(x) WHERE l IN $resultKinds) AND ${visible('x')} }] AS unknownResults,
  [id IN $results WHERE EXISTS { MATCH (x:Entity {id: id}) WHERE x.stateId <> $corpusState AND ${visible('x')} }] AS foreignResults,
  [id IN $sources WHERE NOT EXISTS { MATCH (:Source {id: id}) }] AS unknownSources`,
  createMeasure: `// FollowUp.createMeasure
CREATE (m:FollowUp:Measure)
SET m = $props
RETURN m.id AS id`,
  setMeasure: `// FollowUp.setMeasure
MATCH (m:Measure {id: $id})
SET m += $props
RETURN m.version AS version`,
  setLeadBody: `// FollowUp.setLeadBody
MATCH (m:Measure {id: $id})
OPTIONAL MATCH (m)-[old:LED_BY]->(:Body)
DELETE old
WITH DISTINCT m
CALL (m) {
  MATCH (b:Body {id: $body})
  CREATE (m)-[:LED_BY {addedAt: $at, addedBy: $userId}]->(b)
}
RETURN m.id AS id`,
  setContributors: `// FollowUp.setContributors
MATCH (m:Measure {id: $id})
OPTIONAL MATCH (m)-[old:CONTRIBUTED_BY]->(b:Body) WHERE NOT b.id IN $bodies
DELETE old
WITH DISTINCT m
UNWIND $bodies AS bodyId
MATCH (b:Body {id: bodyId})
MERGE (m)-[r:CONTRIBUTED_BY]->(b)
ON CREATE SET r.addedAt = $at, r.addedBy = $userId
RETURN count(r) AS linked`,
  linkRecommendations: `// FollowUp.linkRecommendations
MATCH (m:Measure {id: $id})
UNWIND $ids AS recommendationId
MATCH (r:Recommendation {id: recommendationId})
WHERE ${visible('r')}
MERGE (m)-[a:ADDRESSES]->(r)
ON CREATE SET a.addedAt = $at, a.addedBy = $userId
RETURN count(a) AS linked`,
  unlinkRecommendations: `// FollowUp.unlinkRecommendations
MATCH (m:Measure {id: $id})-[a:ADDRESSES]->(r:Recommendation)
WHERE r.id IN $ids
DELETE a
RETURN count(*) AS unlinked`,
  linkResults: `// FollowUp.linkResults
MATCH (m:Measure {id: $id})
UNWIND $ids AS resultId
MATCH (x:Entity {id: resultId})
WHERE ${visible('x')}
MERGE (m)-[p:PRODUCED]->(x)
ON CREATE SET p.addedAt = $at, p.addedBy = $userId
RETURN count(p) AS linked`,
  unlinkResults: `// FollowUp.unlinkResults
MATCH (m:Measure {id: $id})-[p:PRODUCED]->(x:Entity)
WHERE x.id IN $ids
DELETE p
RETURN count(*) AS unlinked`,
  createProgress: `// FollowUp.createProgress
MATCH (m:Measure {id: $measureId})
CREATE (p:FollowUp:ProgressUpdate)-[:ON_MEASURE]->(m)
SET p = $props
RETURN p.id AS id`,
  // The sequence node's lock orders every change: seq values are strictly increasing in commit order.
  appendChange: `// FollowUp.appendChange
MERGE (s:ChangeSequence {name: 'followup'})
ON CREATE SET s.value = 0
SET s._lock = true
REMOVE s._lock
WITH s
SET s.value = s.value + 1
CREATE (c:ChangeRecord)
SET c = $change, c.seq = s.value
RETURN c.seq AS seq`,
} as const;

const snapshotRow = z.object({
  props: z.record(z.string(), z.unknown()),
  leadBody: z.array(z.string()),
  contributingBodies: z.array(z.string()),
  recommendations: z.array(z.string()),
  results: z.array(z.string()),
});

interface Snapshot {
  measure: MeasureModel;
  links: MeasureLinks;
}

function decodeSnapshot(row: unknown): Snapshot {
  const decoded = decodeWith(snapshotRow, row, 'measure snapshot');
  return {
    measure: decodeMeasure(decoded.props),
    links: {
      leadBody: decoded.leadBody[0] ?? null,
      contributingBodies: [...decoded.contributingBodies].sort(),
      recommendations: [...decoded.recommendations].sort(),
      results: [...decoded.results].sort(),
    },
  };
}

/** The fields a change record shows of a measure: its properties and its links. */
function measureJson(snapshot: Snapshot): string {
  const { __label: _label, ...props } = snapshot.measure;
  return JSON.stringify({ ...props, ...snapshot.links });
}

const referenceRow = z.object({
  stateExists: z.boolean(),
  unknownRecommendations: z.array(z.string()),
  foreignRecommendations: z.array(z.string()),
  unknownBodies: z.array(z.string()),
  foreignBodies: z.array(z.string()),
  unknownResults: z.array(z.string()),
  foreignResults: z.array(z.string()),
  unknownSources: z.array(z.string()),
});

interface References {
  recommendations?: { ids: readonly string[]; field: string };
  bodies?: Array<{ ids: readonly string[]; field: string }>;
  results?: { ids: readonly string[]; field: string };
  sources?: { ids: readonly string[]; field: string };
}

/** The result a mutation returns: the measure's id and, for a progress update, its id. */
export interface MutationResult {
  measureId: string;
  progressId: string | null;
}

/**
 * The follow-up records of one request. Reads batch per request (DataLoader) and filter by the viewer's
 * visibility; each mutation is one write transaction through `db.write`.
 */
export class FollowUpRepository {
  constructor(
    private readonly db: CypherReader,
    private readonly viewer: Viewer,
    private readonly afterStatement?: AfterStatement,
  ) {}

  private get internalStates(): string[] {
    return internalStatesOf(this.viewer);
  }

  // ---------------------------------------------------------------------------------------------- reads

  private readonly measureLoader = new DataLoader<string, MeasureModel | null>(async (ids) => {
    const rows = decodeWith(
      measureRows,
      await this.db.read('Measure.byId', FOLLOWUP_STATEMENTS.measures, { ids, internalStates: this.internalStates }),
      'Measure.byId rows',
    );
    return byId(
      ids,
      rows.map((row): [string, MeasureModel | null] => [row.id, decodeMeasure(row.measure)]),
      null,
    );
  });

  private readonly progressLoader = new DataLoader<string, ProgressUpdateModel | null>(async (ids) => {
    const rows = decodeWith(
      progressRows,
      await this.db.read('ProgressUpdate.byId', FOLLOWUP_STATEMENTS.progressUpdates, {
        ids,
        internalStates: this.internalStates,
      }),
      'ProgressUpdate.byId rows',
    );
    return byId(
      ids,
      rows.map((row): [string, ProgressUpdateModel | null] => [row.id, decodeProgress(row.progress)]),
      null,
    );
  });

  private readonly linkLoader = new DataLoader<string, MeasureLinks>(async (ids) => {
    const rows = decodeWith(
      linkRows,
      await this.db.read('Measure.links', FOLLOWUP_STATEMENTS.measureLinks, { ids }),
      'Measure.links rows',
    );
    return byId(
      ids,
      rows.map((row): [string, MeasureLinks] => [
        row.id,
        {
          leadBody: row.leadBody[0] ?? null,
          contributingBodies: row.contributingBodies,
          recommendations: row.recommendations,
          results: row.results,
        },
      ]),
      { leadBody: null, contributingBodies: [], recommendations: [], results: [] },
    );
  });

  private readonly progressListLoader = new DataLoader<string, ProgressUpdateModel[]>(async (ids) => {
    const rows = decodeWith(
      progressListRows,
      await this.db.read('Measure.progress', FOLLOWUP_STATEMENTS.progressOf, {
        ids,
        internalStates: this.internalStates,
      }),
      'Measure.progress rows',
    );
    return byId(
      ids,
      rows.map((row): [string, ProgressUpdateModel[]] => [row.id, row.progress.map(decodeProgress)]),
      [],
    );
  });

  private readonly statusLoader = new DataLoader<string, MeasureStatus | null>(async (ids) => {
    const rows = decodeWith(
      statusRows,
      await this.db.read('Recommendation.latestFollowUpStatus', FOLLOWUP_STATEMENTS.latestStatus, {
        ids,
        internalStates: this.internalStates,
      }),
      'Recommendation.latestFollowUpStatus rows',
    );
    return byId(
      ids,
      rows.map((row): [string, MeasureStatus | null] => [
        row.id,
        row.status === null ? null : decodeWith(measureSchema.shape.status, row.status, 'status'),
      ]),
      null,
    );
  });

  /** One loader per page shape, so that a page of recommendations asks for their measures in one statement. */
  private readonly pageLoaders = new Map<string, DataLoader<string, { total: number; page: MeasureModel[] }>>();

  /** A measure the viewer may read, or null. */
  measure(id: string): Promise<MeasureModel | null> {
    return this.measureLoader.load(id);
  }

  /** A progress update the viewer may read, or null. */
  progressUpdate(id: string): Promise<ProgressUpdateModel | null> {
    return this.progressLoader.load(id);
  }

  /** The ids a measure links to. */
  links(measureId: string): Promise<MeasureLinks> {
    return this.linkLoader.load(measureId);
  }

  /** The progress updates of a measure the viewer may read, newest first. */
  progressOf(measureId: string): Promise<ProgressUpdateModel[]> {
    return this.progressListLoader.load(measureId);
  }

  /** A page of the measures answering a recommendation, with how many there are in all. */
  measuresOfRecommendation(
    recommendationId: string,
    offset: number,
    limit: number,
    includeWithdrawn: boolean,
  ): Promise<{ total: number; page: MeasureModel[] }> {
    const key = `${offset}:${limit}:${includeWithdrawn}`;
    let loader = this.pageLoaders.get(key);
    if (!loader) {
      loader = new DataLoader(async (ids) => {
        const rows = decodeWith(
          pageRows,
          await this.db.read('Recommendation.measures', FOLLOWUP_STATEMENTS.measuresOfRecommendation, {
            ids,
            offset,
            limit,
            includeWithdrawn,
            internalStates: this.internalStates,
          }),
          'Recommendation.measures rows',
        );
        return byId(
          ids,
          rows.map((row): [string, { total: number; page: MeasureModel[] }] => [
            row.id,
            { total: row.total, page: row.page.map(decodeMeasure) },
          ]),
          { total: 0, page: [] },
        );
      });
      this.pageLoaders.set(key, loader);
    }
    return loader.load(recommendationId);
  }

  /** The status of the visible, standing measure on a recommendation changed most recently. */
  latestStatus(recommendationId: string): Promise<MeasureStatus | null> {
    return this.statusLoader.load(recommendationId);
  }

  /** The changes of a measure (with its progress updates') or of a progress update, oldest first. */
  async history(id: string): Promise<ChangeRecordModel[]> {
    const rows = decodeWith(
      changeRows,
      await this.db.read('Query.history', FOLLOWUP_STATEMENTS.history, { id, internalStates: this.internalStates }),
      'Query.history rows',
    );
    return rows.map((row) => decodeChange(row.change));
  }

  /** A state's changes after `afterSeq`, in order, at most `limit`. */
  async changes(stateId: string, since: string | null, afterSeq: number, limit: number): Promise<ChangeRecordModel[]> {
    const rows = decodeWith(
      changeRows,
      await this.db.read('Query.changes', FOLLOWUP_STATEMENTS.changes, {
        state: stateId,
        since,
        afterSeq,
        limit,
        internalStates: this.internalStates,
      }),
      'Query.changes rows',
    );
    return rows.map((row) => decodeChange(row.change));
  }

  // --------------------------------------------------------------------------------------------- writes

  private user(): SignedInUser {
    const user = signedIn(this.viewer);
    if (!user) throw unauthenticated();
    return user;
  }

  /**
   * Runs one mutation in one write transaction. With an idempotency key, the first statement claims it
   * (MERGE on the unique key, so a concurrent retry waits for the first attempt's commit); a key already
   * used returns the first attempt's result without changing anything.
   */
  private async mutate(
    operation: Operation,
    key: string | null,
    work: (run: WriteTransaction['run'], at: string) => Promise<MutationResult>,
  ): Promise<MutationResult> {
    const user = this.user();
    return this.db.write(`FollowUp.${operation}`, async (tx) => {
      let position = 0;
      const run: WriteTransaction['run'] = async (queryName, cypher, params) => {
        const rows = await tx.run(queryName, cypher, params);
        position += 1;
        if (this.afterStatement) await this.afterStatement(queryName, position);
        return rows;
      };
      const at = new Date().toISOString();
      if (key !== null) {
        const [claimed] = await run('FollowUp.claimKey', FOLLOWUP_WRITES.claimKey, {
          userId: user.id,
          key,
          operation,
          at,
        });
        const previous = z.object({ operation: z.string(), resultId: z.string().nullable() }).parse(claimed);
        if (previous.operation !== operation)
          throw badUserInput(
            `input.idempotencyKey was used before for another operation (${previous.operation}).`,
            'input.idempotencyKey',
          );
        if (previous.resultId !== null) {
          const [measureId, progressId] = previous.resultId.split(' ');
          return { measureId: measureId!, progressId: progressId ?? null };
        }
      }
      const result = await work(run, at);
      if (key !== null) {
        await run('FollowUp.recordKey', FOLLOWUP_WRITES.recordKey, {
          userId: user.id,
          key,
          resultId: result.progressId ? `${result.measureId} ${result.progressId}` : result.measureId,
        });
      }
      return result;
    });
  }

  private async checkReferences(run: WriteTransaction['run'], stateId: string, refs: References): Promise<void> {
    const bodies = refs.bodies ?? [];
    const [row] = await run('FollowUp.checkReferences', FOLLOWUP_WRITES.checkReferences, {
      corpusState: `state:${stateId}`,
      recommendations: refs.recommendations?.ids ?? [],
      bodies: bodies.flatMap((entry) => entry.ids),
      results: refs.results?.ids ?? [],
      resultKinds: [...RESULT_KINDS],
      sources: refs.sources?.ids ?? [],
    });
    const found = decodeWith(referenceRow, row, 'FollowUp.checkReferences row');
    if (!found.stateExists) throw badUserInput(`input.state: the graph has no state ${stateId}.`, 'input.state');
    const fail = (ids: string[], field: string, what: string) => {
      if (ids.length > 0) throw badUserInput(`${field}: ${what}: ${ids.join(', ')}.`, field, { ids });
    };
    if (refs.recommendations) {
      fail(found.unknownRecommendations, refs.recommendations.field, 'no recommendation has the id');
      fail(found.foreignRecommendations, refs.recommendations.field, `not addressed to ${stateId}`);
    }
    for (const entry of bodies) {
      fail(
        found.unknownBodies.filter((id) => entry.ids.includes(id)),
        entry.field,
        'no body has the id',
      );
      fail(
        found.foreignBodies.filter((id) => entry.ids.includes(id)),
        entry.field,
        `not a body of ${stateId}`,
      );
    }
    if (refs.results) {
      fail(found.unknownResults, refs.results.field, 'no legal instrument, provision, body or mechanism has the id');
      fail(found.foreignResults, refs.results.field, `not of ${stateId}`);
    }
    if (refs.sources) fail(found.unknownSources, refs.sources.field, 'no source has the id');
  }

  private async appendChange(
    run: WriteTransaction['run'],
    user: SignedInUser,
    at: string,
    change: {
      entityId: string;
      entityKind: 'Measure' | 'ProgressUpdate';
      operation: string;
      stateId: string;
      visibility: Visibility;
      beforeJson: string | null;
      afterJson: string;
    },
  ): Promise<void> {
    await run('FollowUp.appendChange', FOLLOWUP_WRITES.appendChange, {
      change: {
        id: `change:${randomUUID()}`,
        at,
        userId: user.id,
        organisation: user.organisation,
        requestId: this.db.requestId,
        ...change,
      },
    });
  }

  /**
   * Locks the measure and checks that the user may change it and that `expectedVersion` is current: NOT_FOUND
   * for an unknown measure (or an internal one of a state the user does not edit: to them it does not
   * exist), FORBIDDEN, BAD_USER_INPUT for a withdrawn measure, CONFLICT with the current version.
   */
  private async lockForChange(
    run: WriteTransaction['run'],
    user: SignedInUser,
    change: Change,
    field: string,
  ): Promise<Snapshot> {
    const [row] = await run('FollowUp.lockMeasure', FOLLOWUP_WRITES.lockMeasure, { id: change.id });
    const snapshot = row ? decodeSnapshot(row) : null;
    const { measure } = snapshot ?? {};
    if (
      !snapshot ||
      !measure ||
      (measure.visibility === 'INTERNAL' && !internalStatesOf(this.viewer).includes(measure.stateId))
    )
      throw apiError('NOT_FOUND', `No measure with id ${JSON.stringify(change.id)} (${field}).`, { argument: field });
    requireEditor(this.viewer, user, measure.stateId, snapshot.links.leadBody);
    if (measure.withdrawnAt !== null)
      throw badUserInput(`${field}: the measure was withdrawn on ${measure.withdrawnAt}; it takes no change.`, field);
    if (measure.version !== change.expectedVersion)
      throw apiError(
        'CONFLICT',
        `The measure has changed since version ${change.expectedVersion}: it is at version ${measure.version}. Read it again and reapply the change.`,
        { currentVersion: measure.version, expectedVersion: change.expectedVersion, argument: 'input.expectedVersion' },
      );
    return snapshot;
  }

  /** Writes the new version and who made it, and the change record of a measure change. */
  private async finishChange(
    run: WriteTransaction['run'],
    user: SignedInUser,
    at: string,
    before: Snapshot,
    operation: string,
    props: Record<string, unknown> = {},
  ): Promise<void> {
    await run('FollowUp.setMeasure', FOLLOWUP_WRITES.setMeasure, {
      id: before.measure.id,
      props: {
        ...props,
        version: before.measure.version + 1,
        updatedAt: at,
        updatedBy: user.id,
        updatedByOrganisation: user.organisation,
      },
    });
    const [afterRow] = await run('FollowUp.snapshot', FOLLOWUP_WRITES.snapshot, { id: before.measure.id });
    const after = decodeSnapshot(afterRow);
    await this.appendChange(run, user, at, {
      entityId: before.measure.id,
      entityKind: 'Measure',
      operation,
      stateId: before.measure.stateId,
      visibility:
        before.measure.visibility === 'INTERNAL' || after.measure.visibility === 'INTERNAL' ? 'INTERNAL' : 'PUBLIC',
      beforeJson: measureJson(before),
      afterJson: measureJson(after),
    });
  }

  async createMeasure(input: CreateMeasure & { idempotencyKey?: string | null }): Promise<MutationResult> {
    const user = this.user();
    const stateId = stateCode(input.state, 'input.state');
    const leadBody = input.leadBody ?? null;
    requireEditor(this.viewer, user, stateId, leadBody);
    const title = text(input.title, 'input.title', 300);
    const description = optionalText(input.description, 'input.description', 10_000);
    const plannedStart = fullDate(input.plannedStart, 'input.plannedStart');
    const dueDate = fullDate(input.dueDate, 'input.dueDate');
    datesInOrder(plannedStart, dueDate, 'input.dueDate');
    const contributingBodies = idList(input.contributingBodies, 'input.contributingBodies');
    const recommendations = idList(input.recommendations, 'input.recommendations');
    const key = idempotencyKey(input.idempotencyKey);
    return this.mutate('CREATE_MEASURE', key, async (run, at) => {
      const id = `measure:${randomUUID()}`;
      await run('FollowUp.createMeasure', FOLLOWUP_WRITES.createMeasure, {
        props: {
          id,
          stateId,
          title,
          description,
          status: input.status ?? 'PLANNED',
          plannedStart,
          dueDate,
          visibility: input.visibility ?? 'INTERNAL',
          version: 1,
          createdAt: at,
          createdBy: user.id,
          organisation: user.organisation,
          updatedAt: at,
          updatedBy: user.id,
          updatedByOrganisation: user.organisation,
        },
      });
      await this.checkReferences(run, stateId, {
        recommendations: { ids: recommendations, field: 'input.recommendations' },
        bodies: [
          { ids: leadBody ? [leadBody] : [], field: 'input.leadBody' },
          { ids: contributingBodies, field: 'input.contributingBodies' },
        ],
      });
      if (leadBody)
        await run('FollowUp.setLeadBody', FOLLOWUP_WRITES.setLeadBody, { id, body: leadBody, at, userId: user.id });
      if (contributingBodies.length > 0)
        await run('FollowUp.setContributors', FOLLOWUP_WRITES.setContributors, {
          id,
          bodies: contributingBodies,
          at,
          userId: user.id,
        });
      if (recommendations.length > 0)
        await run('FollowUp.linkRecommendations', FOLLOWUP_WRITES.linkRecommendations, {
          id,
          ids: recommendations,
          at,
          userId: user.id,
        });
      const [afterRow] = await run('FollowUp.snapshot', FOLLOWUP_WRITES.snapshot, { id });
      const after = decodeSnapshot(afterRow);
      await this.appendChange(run, user, at, {
        entityId: id,
        entityKind: 'Measure',
        operation: 'CREATE',
        stateId,
        visibility: after.measure.visibility,
        beforeJson: null,
        afterJson: measureJson(after),
      });
      return { measureId: id, progressId: null };
    });
  }

  async updateMeasure(input: Change & MeasureFields): Promise<MutationResult> {
    const user = this.user();
    const props: Record<string, unknown> = {};
    if (input.title !== undefined) {
      if (input.title === null) throw badUserInput('input.title cannot be cleared.', 'input.title');
      props.title = text(input.title, 'input.title', 300);
    }
    if (input.description !== undefined)
      props.description = optionalText(input.description, 'input.description', 10_000);
    if (input.plannedStart !== undefined) props.plannedStart = fullDate(input.plannedStart, 'input.plannedStart');
    if (input.dueDate !== undefined) props.dueDate = fullDate(input.dueDate, 'input.dueDate');
    if (input.status === null) throw badUserInput('input.status cannot be cleared.', 'input.status');
    if (input.visibility === null) throw badUserInput('input.visibility cannot be cleared.', 'input.visibility');
    if (input.contributingBodies === null)
      throw badUserInput(
        'input.contributingBodies: send [] to remove every contributing body.',
        'input.contributingBodies',
      );
    const contributingBodies =
      input.contributingBodies === undefined ? undefined : idList(input.contributingBodies, 'input.contributingBodies');
    const key = idempotencyKey(input.idempotencyKey);
    return this.mutate('UPDATE_MEASURE', key, async (run, at) => {
      const before = await this.lockForChange(run, user, input, 'input.id');
      const measure = before.measure;
      const leadBody = input.leadBody === undefined ? before.links.leadBody : input.leadBody;
      // An editor limited to bodies may not hand a measure to a body it does not edit.
      requireEditor(this.viewer, user, measure.stateId, leadBody);
      if (input.status !== undefined && input.status !== null) {
        if (!statusChangeAllowed(measure.status, input.status))
          throw badUserInput(
            `input.status: a ${measure.status} measure cannot become ${input.status} (see MeasureStatus).`,
            'input.status',
          );
        props.status = input.status;
      }
      if (input.visibility !== undefined && input.visibility !== null) props.visibility = input.visibility;
      datesInOrder(
        'plannedStart' in props ? (props.plannedStart as string | null) : measure.plannedStart,
        'dueDate' in props ? (props.dueDate as string | null) : measure.dueDate,
        'dueDate' in props ? 'input.dueDate' : 'input.plannedStart',
      );
      await this.checkReferences(run, measure.stateId, {
        bodies: [
          { ids: input.leadBody ? [input.leadBody] : [], field: 'input.leadBody' },
          { ids: contributingBodies ?? [], field: 'input.contributingBodies' },
        ],
      });
      if (input.leadBody !== undefined)
        await run('FollowUp.setLeadBody', FOLLOWUP_WRITES.setLeadBody, {
          id: measure.id,
          body: input.leadBody,
          at,
          userId: user.id,
        });
      if (contributingBodies !== undefined)
        await run('FollowUp.setContributors', FOLLOWUP_WRITES.setContributors, {
          id: measure.id,
          bodies: contributingBodies,
          at,
          userId: user.id,
        });
      await this.finishChange(run, user, at, before, 'UPDATE', props);
      return { measureId: measure.id, progressId: null };
    });
  }

  async linkRecommendations(input: Change & { ids: readonly string[]; unlink: boolean }): Promise<MutationResult> {
    const user = this.user();
    const ids = nonEmptyIdList(input.ids, 'input.recommendations');
    const key = idempotencyKey(input.idempotencyKey);
    const operation = input.unlink ? 'UNLINK_RECOMMENDATIONS' : 'LINK_RECOMMENDATIONS';
    return this.mutate(operation, key, async (run, at) => {
      const before = await this.lockForChange(run, user, input, 'input.measure');
      if (input.unlink) {
        const notLinked = ids.filter((id) => !before.links.recommendations.includes(id));
        if (notLinked.length > 0)
          throw badUserInput(
            `input.recommendations: not linked to the measure: ${notLinked.join(', ')}.`,
            'input.recommendations',
            { ids: notLinked },
          );
        await run('FollowUp.unlinkRecommendations', FOLLOWUP_WRITES.unlinkRecommendations, {
          id: before.measure.id,
          ids,
        });
      } else {
        await this.checkReferences(run, before.measure.stateId, {
          recommendations: { ids, field: 'input.recommendations' },
        });
        await run('FollowUp.linkRecommendations', FOLLOWUP_WRITES.linkRecommendations, {
          id: before.measure.id,
          ids,
          at,
          userId: user.id,
        });
      }
      await this.finishChange(run, user, at, before, operation);
      return { measureId: before.measure.id, progressId: null };
    });
  }

  async linkResults(input: Change & { ids: readonly string[]; unlink: boolean }): Promise<MutationResult> {
    const user = this.user();
    const ids = nonEmptyIdList(input.ids, 'input.results');
    const key = idempotencyKey(input.idempotencyKey);
    const operation = input.unlink ? 'UNLINK_RESULTS' : 'LINK_RESULTS';
    return this.mutate(operation, key, async (run, at) => {
      const before = await this.lockForChange(run, user, input, 'input.measure');
      if (input.unlink) {
        const notLinked = ids.filter((id) => !before.links.results.includes(id));
        if (notLinked.length > 0)
          throw badUserInput(`input.results: not linked to the measure: ${notLinked.join(', ')}.`, 'input.results', {
            ids: notLinked,
          });
        await run('FollowUp.unlinkResults', FOLLOWUP_WRITES.unlinkResults, { id: before.measure.id, ids });
      } else {
        if (before.measure.status !== 'COMPLETED')
          throw badUserInput(
            `input.measure: results are linked to COMPLETED measures only (this one is ${before.measure.status}).`,
            'input.measure',
          );
        await this.checkReferences(run, before.measure.stateId, { results: { ids, field: 'input.results' } });
        await run('FollowUp.linkResults', FOLLOWUP_WRITES.linkResults, {
          id: before.measure.id,
          ids,
          at,
          userId: user.id,
        });
      }
      await this.finishChange(run, user, at, before, operation);
      return { measureId: before.measure.id, progressId: null };
    });
  }

  async addProgressUpdate(input: Change & NewProgress): Promise<MutationResult> {
    const user = this.user();
    const date = fullDate(input.date, 'input.date')!;
    const progressText = text(input.text, 'input.text', 10_000);
    const evidence = evidenceList(input.evidence, 'input.evidence');
    const key = idempotencyKey(input.idempotencyKey);
    return this.mutate('ADD_PROGRESS', key, async (run, at) => {
      const before = await this.lockForChange(run, user, input, 'input.measure');
      const measure = before.measure;
      if (!statusChangeAllowed(measure.status, input.reportedStatus))
        throw badUserInput(
          `input.reportedStatus: a ${measure.status} measure cannot become ${input.reportedStatus} (see MeasureStatus).`,
          'input.reportedStatus',
        );
      const visibility: Visibility = input.visibility ?? measure.visibility;
      if (visibility === 'PUBLIC' && measure.visibility === 'INTERNAL')
        throw badUserInput(
          'input.visibility: an update on an internal measure is internal (publish the measure first).',
          'input.visibility',
        );
      const sources = evidence.flatMap((item) => (item.sourceId ? [item.sourceId] : []));
      if (sources.length > 0)
        await this.checkReferences(run, measure.stateId, { sources: { ids: sources, field: 'input.evidence' } });
      const id = `progress:${randomUUID()}`;
      const props = {
        id,
        measureId: measure.id,
        stateId: measure.stateId,
        date,
        text: progressText,
        reportedStatus: input.reportedStatus,
        visibility,
        evidenceJson: JSON.stringify(evidence),
        createdAt: at,
        createdBy: user.id,
        organisation: user.organisation,
      };
      await run('FollowUp.createProgress', FOLLOWUP_WRITES.createProgress, { measureId: measure.id, props });
      await this.appendChange(run, user, at, {
        entityId: id,
        entityKind: 'ProgressUpdate',
        operation: 'ADD_PROGRESS',
        stateId: measure.stateId,
        visibility: visibility === 'INTERNAL' || measure.visibility === 'INTERNAL' ? 'INTERNAL' : 'PUBLIC',
        beforeJson: null,
        afterJson: JSON.stringify({ ...props, evidenceJson: undefined, evidence }),
      });
      await this.finishChange(run, user, at, before, 'PROGRESS_ADDED', { status: input.reportedStatus });
      return { measureId: measure.id, progressId: id };
    });
  }

  async withdrawMeasure(input: Change & { reason: string }): Promise<MutationResult> {
    const user = this.user();
    const reason = text(input.reason, 'input.reason', 2_000);
    const key = idempotencyKey(input.idempotencyKey);
    return this.mutate('WITHDRAW_MEASURE', key, async (run, at) => {
      const before = await this.lockForChange(run, user, input, 'input.id');
      await this.finishChange(run, user, at, before, 'WITHDRAW', {
        withdrawnAt: at,
        withdrawnBy: user.id,
        withdrawnByOrganisation: user.organisation,
        withdrawalReason: reason,
      });
      return { measureId: before.measure.id, progressId: null };
    });
  }

  /** The measure as it is now, read inside no transaction: for payloads, after the commit. */
  async measureAfterWrite(id: string): Promise<MeasureModel> {
    const measure = await this.measure(id);
    if (!measure) throw apiError('NOT_FOUND', `No measure with id ${JSON.stringify(id)}.`);
    return measure;
  }
}
