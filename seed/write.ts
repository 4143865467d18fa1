/**
 * The write statements: a plan's rows go into Neo4j only through these. Every statement is UNWIND over a
 * parameter list; labels and types come only from the vocabulary (src/graph/vocabulary.ts).
 *
 * The loader (loader.ts) runs them all in one transaction (writePlan); the benchmark's bulk writer
 * (bench/bulk-load.ts) runs the same statements in many small transactions (writeNodeRows,
 * writeRelationshipRows) for graphs too big for one.
 */
import neo4j, { type ManagedTransaction } from 'neo4j-driver';
import { LOADER_VERSION, type Corpus } from './corpus';
import { refuseToOrphanFollowUp } from './followup-guard';
import { int, type GraphPlan, type NodeRow, type RelationshipRow } from './plan';
import {
  EXTRA_LABELS,
  NODE_LABELS,
  OWNER_TEXT,
  TEXT_OWNER_LABELS,
  RELATIONSHIP_TYPES,
  type NodeLabel,
  type RelationshipType,
} from '../src/graph/vocabulary';

/** Thrown when the database refuses part of a load; the transaction has been rolled back by then. */
export class CorpusLoadError extends Error {
  override readonly name = 'CorpusLoadError';
}

/** What writePlan wrote. */
export interface WriteCounts {
  /** Nodes written per kind label. */
  nodes: Record<NodeLabel, number>;
  /** Relationships written per type. */
  relationships: Record<RelationshipType, number>;
  nodeCount: number;
  relationshipCount: number;
  /** Entity nodes deleted because they are no longer in the corpus. */
  deletedNodes: number;
}

/** Rows per statement: large enough that the corpus is a few statements, small enough to keep messages modest. */
const BATCH_SIZE = 5_000;

/** A text's label by its owner's kind (OWNER_TEXT), from its `ownerLabel`: one FOREACH per owner kind. */
const ownerTextLabels = TEXT_OWNER_LABELS.map(
  (owner) =>
    `\nFOREACH (_ IN CASE WHEN row.props.ownerLabel = '${owner}' THEN [1] ELSE [] END | SET n:${OWNER_TEXT[owner].label})`,
).join('');

/** MERGE by id (through the `<label>_id` constraint's index), properties replaced; creates or updates. */
export const upsertNodesCypher = (label: NodeLabel) =>
  `// upsert${label}Nodes
UNWIND $rows AS row
MERGE (n:Entity:${label} {id: row.id})
SET n = row.props${EXTRA_LABELS[label] ? `\nSET n:${EXTRA_LABELS[label]}` : ''}${label === 'TextVersion' ? ownerTextLabels : ''}
RETURN count(n) AS written`;

/** Both ends MATCHed by id (through the `entity_id` constraint's index); a row whose end is missing is dropped. */
export const createRelationshipsCypher = (type: RelationshipType) =>
  `// create${type}Relationships
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
CREATE (a)-[r:${type}]->(b)
SET r = row.props
RETURN count(r) AS created`;

const number = (value: unknown): number => (neo4j.isInt(value) ? value.toNumber() : Number(value));

/** Upserts one batch of `label` nodes; returns how many were written. */
export async function writeNodeRows(
  tx: ManagedTransaction,
  label: NodeLabel,
  rows: readonly NodeRow[],
): Promise<number> {
  const result = await tx.run(upsertNodesCypher(label), { rows });
  return number(result.records[0]?.get('written'));
}

/**
 * Creates one batch of `type` relationships; returns how many were created, which is fewer than the rows
 * when an end is missing (the caller decides how to fail).
 */
export async function writeRelationshipRows(
  tx: ManagedTransaction,
  type: RelationshipType,
  rows: readonly RelationshipRow[],
): Promise<number> {
  const result = await tx.run(createRelationshipsCypher(type), { rows });
  return number(result.records[0]?.get('created'));
}

/**
 * Replaces the graph's corpus with `plan` inside `tx`: deletes the corpus relationships and the Entity nodes
 * no longer in the corpus (only what the loader wrote, `origin` CURATED or none: imported and inferred
 * nodes and links stay; docs/model.md, "Imported data"), upserts every node, recreates every relationship, writes CorpusMeta.
 */
export async function writePlan(
  tx: ManagedTransaction,
  plan: GraphPlan,
  corpus: Corpus,
  log: (line: string) => void,
): Promise<WriteCounts> {
  // Before anything is written: a corpus that would remove what follow-up records link to is refused.
  await refuseToOrphanFollowUp(tx, plan);

  const deletedRelationships = await tx.run(
    `// deleteCorpusRelationships
MATCH (:Entity)-[r]->(:Entity)
WHERE type(r) IN $types AND coalesce(r.origin, 'CURATED') = 'CURATED'
DELETE r
RETURN count(r) AS deleted`,
    { types: [...RELATIONSHIP_TYPES] },
  );
  log(`removed ${number(deletedRelationships.records[0]?.get('deleted'))} corpus relationships`);

  // A node is kept when its kind label and id are both in the corpus, so that an id now of another kind is replaced.
  const keys = NODE_LABELS.flatMap((label) => plan.nodes[label].map((row) => `${label} ${row.id}`));
  const deletedNodes = await tx.run(
    `// deleteStaleNodes
MATCH (n:Entity)
WHERE coalesce(n.origin, 'CURATED') = 'CURATED'
WITH n, [label IN labels(n) WHERE label IN $labels] AS kinds
WHERE size(kinds) <> 1 OR NOT (kinds[0] + ' ' + n.id) IN $keys
DETACH DELETE n
RETURN count(*) AS deleted`,
    { labels: [...NODE_LABELS], keys },
  );
  const staleCount = number(deletedNodes.records[0]?.get('deleted'));
  log(`removed ${staleCount} nodes no longer in the corpus`);

  const nodes = {} as Record<NodeLabel, number>;
  for (const label of NODE_LABELS) {
    nodes[label] = 0;
    for (const rows of batches(plan.nodes[label], BATCH_SIZE)) nodes[label] += await writeNodeRows(tx, label, rows);
  }
  log(`wrote nodes: ${NODE_LABELS.map((label) => `${nodes[label]} ${label}`).join(', ')}`);

  const relationships = {} as Record<RelationshipType, number>;
  for (const type of RELATIONSHIP_TYPES) {
    relationships[type] = 0;
    for (const rows of batches(plan.relationships[type], BATCH_SIZE)) {
      const created = await writeRelationshipRows(tx, type, rows);
      // MATCH drops a row silently when an end is missing: a dangling reference must fail the load instead.
      if (created !== rows.length) await failOnMissingEnds(tx, type, rows, created, corpus);
      relationships[type] += created;
    }
  }
  log(
    `wrote relationships: ${RELATIONSHIP_TYPES.filter((type) => relationships[type] > 0)
      .map((type) => `${relationships[type]} ${type}`)
      .join(', ')}`,
  );

  const nodeCount = Object.values(nodes).reduce((a, b) => a + b, 0);
  const relationshipCount = Object.values(relationships).reduce((a, b) => a + b, 0);
  await tx.run(
    `// writeCorpusMeta
MERGE (m:CorpusMeta {id: 'corpus'})
SET m = $props
SET m.loadedAt = datetime()`,
    {
      props: {
        id: 'corpus',
        version: corpus.version,
        loaderVersion: int(LOADER_VERSION),
        files: corpus.files,
        nodeCount: int(nodeCount),
        relationshipCount: int(relationshipCount),
        countsJson: JSON.stringify({ nodes, relationships }),
      },
    },
  );
  return { nodes, relationships, nodeCount, relationshipCount, deletedNodes: staleCount };
}

async function failOnMissingEnds(
  tx: ManagedTransaction,
  type: RelationshipType,
  rows: RelationshipRow[],
  created: number,
  corpus: Corpus,
): Promise<never> {
  const ids = [...new Set(rows.flatMap((row) => [row.from, row.to]))];
  const result = await tx.run(
    `// findMissingEntities
UNWIND $ids AS id
OPTIONAL MATCH (n:Entity {id: id})
WITH id, n WHERE n IS NULL
RETURN collect(id) AS missing`,
    { ids },
  );
  const missing = (result.records[0]?.get('missing') as string[] | undefined) ?? [];
  const examples = rows
    .filter((row) => missing.includes(row.from) || missing.includes(row.to))
    .slice(0, 5)
    .map((row) => {
      const origin = corpus.origins.get(row.from);
      return `${row.from} -[:${type}]-> ${row.to}${origin ? ` (written in ${origin.file})` : ''}`;
    });
  throw new CorpusLoadError(
    `${rows.length - created} of ${rows.length} ${type} relationships could not be written because no Entity has the id ` +
      `${missing.join(', ') || '(unknown)'}: ${examples.join('; ')}. Nothing was written (the load was rolled back).`,
  );
}

/** `rows` in slices of at most `size`. */
export function* batches<T>(rows: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < rows.length; start += size) yield rows.slice(start, start + size);
}
