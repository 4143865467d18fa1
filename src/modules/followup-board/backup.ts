/**
 * Backup of the follow-up records (issue 10 item 7): every node CONTRACTS B and C describe (users, measures,
 * progress updates, change records, the change sequence, idempotency keys) and every relationship touching one,
 * written to one JSON document in a stable order, and restored from it into another graph in one transaction.
 *
 * Exporting the same graph twice gives the same bytes, and so does export → import → export: nodes are sorted
 * by kind then key, properties and relationships by name, and the document carries no time stamp of its own.
 * Users' token hashes and salts are left out unless asked (`withSecrets`): a restored user without them cannot
 * sign in with an old token and needs a new one.
 *
 * Property values keep their Neo4j type: Cypher's `valueType` is read with each value, and integers are
 * written back as integers (JSON has one number type). Values of other types (floats, temporal values) are
 * not part of the follow-up storage contract: export refuses them, naming the node and property, rather than
 * restoring them as something else.
 */
import neo4j, { type ManagedTransaction } from 'neo4j-driver';
import { z } from 'zod';
import { visible } from '../../graph/vocabulary';

export const BACKUP_FORMAT = 'child-rights-graph/follow-up-backup';
export const BACKUP_VERSION = 1;

/**
 * The kinds of node backed up, in the document's order, each with the label that names it, the other labels
 * it may carry, and the properties that identify it (the sort key).
 */
const KINDS = [
  { kind: 'User', labels: ['User'], key: ['id'] },
  { kind: 'Measure', labels: ['FollowUp', 'Measure'], key: ['id'] },
  { kind: 'ProgressUpdate', labels: ['FollowUp', 'ProgressUpdate'], key: ['id'] },
  { kind: 'ChangeRecord', labels: ['ChangeRecord'], key: ['seq', 'id'] },
  { kind: 'ChangeSequence', labels: ['ChangeSequence'], key: ['name'] },
  { kind: 'IdempotencyKey', labels: ['IdempotencyKey'], key: ['userId', 'key'] },
] as const;
type Kind = (typeof KINDS)[number]['kind'];
const KIND_NAMES = KINDS.map((k) => k.kind) as unknown as [Kind, ...Kind[]];

/** A node is follow-up data when it carries one of these labels (none of them is `:Entity`). */
export const FOLLOW_UP_DATA_LABELS = ['FollowUp', 'User', 'ChangeRecord', 'ChangeSequence', 'IdempotencyKey'] as const;
const IS_FOLLOW_UP = (v: string) => `(${FOLLOW_UP_DATA_LABELS.map((label) => `${v}:${label}`).join(' OR ')})`;

/** Properties of a user that let a token sign in: exported only with `withSecrets`. */
export const SECRET_USER_PROPERTIES = ['tokenHash', 'tokenSalt'] as const;

type Scalar = string | number | boolean;
type Value = Scalar | string[] | number[] | boolean[];
const value = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.string()),
  z.array(z.number()),
  z.array(z.boolean()),
]);

const backupSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  withSecrets: z.boolean(),
  counts: z.record(z.string(), z.number().int()),
  nodes: z.array(
    z.object({ kind: z.enum(KIND_NAMES), labels: z.array(z.string()), properties: z.record(z.string(), value) }),
  ),
  relationships: z.array(
    z.object({
      type: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
      from: z.object({ kind: z.string(), id: z.string() }),
      to: z.object({ kind: z.string(), id: z.string() }),
      properties: z.record(z.string(), value),
    }),
  ),
});
export type FollowUpBackup = z.output<typeof backupSchema>;

/** An end of a relationship: a follow-up node (by its kind) or a corpus entity (`Entity`), by id. */
interface End {
  kind: string;
  id: string;
}

/** A problem the user can act on (a refused import, data the format cannot hold); the CLI prints it as is. */
export class BackupError extends Error {
  override readonly name = 'BackupError';
}

const NODES = `// followup:export nodes
  MATCH (n) WHERE ${IS_FOLLOW_UP('n')}
  RETURN labels(n) AS labels, [k IN keys(n) | [k, n[k], valueType(n[k])]] AS properties`;
const RELATIONSHIPS = `// followup:export relationships
  MATCH (a)-[r]->(b) WHERE ${IS_FOLLOW_UP('a')} OR ${IS_FOLLOW_UP('b')}
  RETURN type(r) AS type, labels(a) AS fromLabels, a.id AS fromId, labels(b) AS toLabels, b.id AS toId,
         [k IN keys(r) | [k, r[k], valueType(r[k])]] AS properties`;

const SUPPORTED_TYPE = /^(STRING|INTEGER|BOOLEAN|LIST<NOTHING>|LIST<(STRING|INTEGER|BOOLEAN) NOT NULL>)( NOT NULL)?$/;

function decodeProperties(raw: unknown, where: string): Record<string, Value> {
  const triples = z.array(z.tuple([z.string(), z.unknown(), z.string()])).parse(raw);
  const properties: Record<string, Value> = {};
  for (const [name, v, type] of [...triples].sort(([a], [b]) => compare(a, b))) {
    if (!SUPPORTED_TYPE.test(type)) {
      throw new BackupError(
        `${where} has ${name} of type ${type}, which the follow-up backup format does not hold (strings, integers, booleans and lists of them)`,
      );
    }
    properties[name] = value.parse(v);
  }
  return properties;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function kindOf(labels: readonly string[]): Kind | null {
  for (const k of [...KINDS].reverse()) if (k.labels.every((label) => labels.includes(label))) return k.kind;
  return null;
}

function sortKey(kind: Kind, properties: Record<string, Value>): string {
  const spec = KINDS.find((k) => k.kind === kind)!;
  return spec.key
    .map((name) => {
      const v = properties[name];
      // Numbers padded so that 10 sorts after 9.
      return typeof v === 'number' ? String(v).padStart(20, '0') : String(v ?? '');
    })
    .join('\u0000');
}

/** Reads every follow-up record in one read transaction and returns the backup document. */
export async function exportFollowUp(
  tx: Pick<ManagedTransaction, 'run'>,
  options: { withSecrets: boolean },
): Promise<FollowUpBackup> {
  const nodeRecords = await tx.run(NODES);
  const nodes = nodeRecords.records.map((record) => {
    const labels = z.array(z.string()).parse(record.get('labels')).sort(compare);
    const kind = kindOf(labels);
    const properties = decodeProperties(record.get('properties'), `A node labelled ${labels.join(':')}`);
    if (kind === null) {
      throw new BackupError(
        `A follow-up node labelled ${labels.join(':')} (id ${String(properties.id)}) is of no kind the backup knows`,
      );
    }
    if (kind === 'User' && !options.withSecrets) for (const secret of SECRET_USER_PROPERTIES) delete properties[secret];
    return { kind, labels, properties, key: sortKey(kind, properties) };
  });
  const order = new Map(KINDS.map((k, index) => [k.kind, index]));
  nodes.sort((a, b) => order.get(a.kind)! - order.get(b.kind)! || compare(a.key, b.key));

  const relationshipRecords = await tx.run(RELATIONSHIPS);
  const relationships = relationshipRecords.records.map((record) => {
    const type = z.string().parse(record.get('type'));
    const end = (labelsField: string, idField: string): End => {
      const labels = z.array(z.string()).parse(record.get(labelsField));
      const id: unknown = record.get(idField);
      if (typeof id !== 'string') {
        throw new BackupError(`A ${type} relationship has an end labelled ${labels.join(':')} without an id`);
      }
      const kind = kindOf(labels);
      if (kind === null && !labels.includes('Entity')) {
        throw new BackupError(
          `A ${type} relationship ends at ${id} (${labels.join(':')}), neither follow-up nor corpus`,
        );
      }
      return { kind: kind ?? 'Entity', id };
    };
    const from = end('fromLabels', 'fromId');
    const to = end('toLabels', 'toId');
    return { type, from, to, properties: decodeProperties(record.get('properties'), `A ${type} relationship`) };
  });
  relationships.sort(
    (a, b) =>
      compare(a.type, b.type) ||
      compare(a.from.id, b.from.id) ||
      compare(a.to.id, b.to.id) ||
      compare(JSON.stringify(a.properties), JSON.stringify(b.properties)),
  );

  const counts: Record<string, number> = {};
  for (const k of KINDS) counts[k.kind] = nodes.filter((n) => n.kind === k.kind).length;
  counts.relationships = relationships.length;
  return {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    withSecrets: options.withSecrets,
    counts,
    nodes: nodes.map(({ kind, labels, properties }) => ({ kind, labels, properties })),
    relationships,
  };
}

/** The document as written to the file: keys in a fixed order, two-space indentation, a final newline. */
export function serializeBackup(backup: FollowUpBackup): string {
  return `${JSON.stringify(backup, null, 2)}\n`;
}

/** Parses and checks a backup document; throws BackupError naming what is wrong. */
export function parseBackup(text: string): FollowUpBackup {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BackupError(`The backup is not JSON: ${(error as Error).message}`);
  }
  const format = (json as { format?: unknown; version?: unknown } | null) ?? {};
  if (format.format !== BACKUP_FORMAT || format.version !== BACKUP_VERSION) {
    throw new BackupError(
      `The file is not a follow-up backup of version ${BACKUP_VERSION} (format ${JSON.stringify(format.format)}, version ${JSON.stringify(format.version)})`,
    );
  }
  const parsed = backupSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BackupError(`The backup is malformed at ${issue.path.join('.')}: ${issue.message}`);
  }
  for (const node of parsed.data.nodes) {
    const spec = KINDS.find((k) => k.kind === node.kind)!;
    const allowed = new Set<string>(KINDS.flatMap((k) => [...k.labels]));
    const stray = node.labels.find((label) => !allowed.has(label));
    if (stray || !spec.labels.every((label) => node.labels.includes(label))) {
      throw new BackupError(
        `The backup's ${node.kind} ${sortKey(node.kind, node.properties)} has labels ${node.labels.join(':')}`,
      );
    }
  }
  return parsed.data;
}

/** JSON numbers back to Neo4j integers (every number the format holds is one; see the module comment). */
function toNeo4j(properties: Record<string, Value>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(properties)) {
    out[name] =
      typeof v === 'number'
        ? neo4j.int(v)
        : Array.isArray(v) && v.some((item) => typeof item === 'number')
          ? (v as number[]).map((item) => neo4j.int(item))
          : v;
  }
  return out;
}

const BATCH = 5_000;
function* batches<T>(items: readonly T[]): Generator<T[]> {
  for (let start = 0; start < items.length; start += BATCH) yield items.slice(start, start + BATCH);
}

export interface ImportResult {
  nodes: number;
  relationships: number;
  replaced: number;
}

/**
 * Restores a backup in one write transaction (the caller's): refuses when the graph already holds follow-up
 * data (unless `replace`, which deletes it first in the same transaction) or when a corpus entity the records
 * refer to is missing (naming every one), so a refused import changes nothing.
 */
export async function importFollowUp(
  tx: Pick<ManagedTransaction, 'run'>,
  backup: FollowUpBackup,
  options: { replace: boolean },
): Promise<ImportResult> {
  const existing = await tx.run(
    `// followup:import existing
     MATCH (n) WHERE ${IS_FOLLOW_UP('n')}
     WITH [l IN labels(n) WHERE l IN $labels][0] AS label, count(*) AS n
     RETURN label, n ORDER BY label`,
    { labels: [...FOLLOW_UP_DATA_LABELS] },
  );
  const present = existing.records.map((r) => `${Number(r.get('n'))} ${String(r.get('label'))}`);
  if (present.length > 0 && !options.replace) {
    throw new BackupError(
      `The target graph already holds follow-up data (${present.join(', ')}); nothing was imported. Pass --replace to delete it and import the backup in its place.`,
    );
  }

  const corpusIds = [
    ...new Set(
      backup.relationships.flatMap((r) => [r.from, r.to]).flatMap((end) => (end.kind === 'Entity' ? [end.id] : [])),
    ),
  ].sort(compare);
  const missing = await tx.run(
    `// followup:import missing corpus entities
     UNWIND $ids AS id
     OPTIONAL MATCH (e:Entity {id: id})
     WHERE ${visible('e')}
     WITH id, e WHERE e IS NULL
     RETURN collect(id) AS missing`,
    { ids: corpusIds },
  );
  const missingIds = z.array(z.string()).parse(missing.records[0]?.get('missing') ?? []);
  if (missingIds.length > 0) {
    throw new BackupError(
      `The target graph lacks ${missingIds.length} corpus ${missingIds.length === 1 ? 'entity' : 'entities'} the follow-up records refer to: ${missingIds.join(', ')}. Load the corpus they were recorded against first; nothing was imported.`,
    );
  }

  let replaced = 0;
  if (present.length > 0) {
    const deleted = await tx.run(
      `// followup:import replace
       MATCH (n) WHERE ${IS_FOLLOW_UP('n')}
       DETACH DELETE n
       RETURN count(*) AS deleted`,
    );
    replaced = Number(deleted.records[0]?.get('deleted') ?? 0);
  }

  let nodes = 0;
  for (const spec of KINDS) {
    const rows = backup.nodes.filter((n) => n.kind === spec.kind);
    // Group by label set: labels cannot be parameters, and each set is checked by parseBackup against the
    // known follow-up labels, so what is spliced in is never the file's free text.
    const byLabels = new Map<string, Array<Record<string, unknown>>>();
    for (const row of rows) {
      const key = row.labels.join(':');
      byLabels.set(key, [...(byLabels.get(key) ?? []), toNeo4j(row.properties)]);
    }
    for (const [labels, propertiesList] of byLabels) {
      for (const batch of batches(propertiesList)) {
        const result = await tx.run(
          `// followup:import nodes
           UNWIND $rows AS props
           CREATE (n:${labels
             .split(':')
             .map((label) => `\`${label}\``)
             .join(':')})
           SET n = props
           RETURN count(n) AS created`,
          { rows: batch },
        );
        nodes += Number(result.records[0]?.get('created') ?? 0);
      }
    }
  }

  let relationships = 0;
  const groups = new Map<string, Array<{ from: string; to: string; props: Record<string, unknown> }>>();
  for (const r of backup.relationships) {
    const key = `${r.type} ${r.from.kind} ${r.to.kind}`;
    groups.set(key, [...(groups.get(key) ?? []), { from: r.from.id, to: r.to.id, props: toNeo4j(r.properties) }]);
  }
  const endLabel = (kind: string) => {
    if (kind === 'Entity') return 'Entity';
    const spec = KINDS.find((k) => k.kind === kind);
    if (!spec) throw new BackupError(`The backup names a relationship end of unknown kind ${kind}`);
    return spec.kind;
  };
  for (const [key, rows] of groups) {
    const [type, fromKind, toKind] = key.split(' ') as [string, string, string];
    for (const batch of batches(rows)) {
      const result = await tx.run(
        `// followup:import relationships
         UNWIND $rows AS row
         MATCH (a:\`${endLabel(fromKind)}\` {id: row.from})
         MATCH (b:\`${endLabel(toKind)}\` {id: row.to})
         CREATE (a)-[r:\`${type}\`]->(b)
         SET r = row.props
         RETURN count(r) AS created`,
        { rows: batch },
      );
      const created = Number(result.records[0]?.get('created') ?? 0);
      if (created !== batch.length) {
        throw new BackupError(
          `${batch.length - created} of ${batch.length} ${type} relationships (${fromKind} → ${toKind}) found no end; nothing was imported`,
        );
      }
      relationships += created;
    }
  }
  return { nodes, relationships, replaced };
}
