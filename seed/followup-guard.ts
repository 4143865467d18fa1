/**
 * The corpus and follow-up data never harm each other (issue 10, item 5). Follow-up records (measures,
 * progress updates: src/modules/followup) are not `:Entity` nodes, so the loader's relationship rewrite never
 * touches their links; but a corpus that no longer holds an entity they link to would DETACH DELETE it and
 * silently drop their links. The load refuses such a corpus before it writes anything, naming every entity
 * still referred to and the follow-up records referring to it.
 */
import neo4j, { type ManagedTransaction } from 'neo4j-driver';
import type { GraphPlan } from './plan';
import { CorpusLoadError } from './write';
import { NODE_LABELS } from '../src/graph/vocabulary';

/** How many follow-up records are named per entity in the error (the count says how many there are). */
const NAMED_PER_ENTITY = 10;

export const FOLLOWUP_GUARD_STATEMENTS = {
  referencedEntities: `// followUpReferencedEntities
MATCH (:FollowUp)-[]->(n:Entity)
WITH DISTINCT n
RETURN n.id AS id, [label IN labels(n) WHERE label IN $labels] AS kinds`,
  referencesTo: `// followUpReferencesTo
UNWIND $ids AS id
MATCH (f:FollowUp)-[r]->(n:Entity {id: id})
WITH id, f, type(r) AS type ORDER BY f.id
RETURN id, count(f) AS total, collect(f.id + ' (' + type + ')')[..$named] AS records`,
};

/**
 * Refuses (CorpusLoadError, nothing written: run it first in the load's transaction) a corpus that would
 * remove an entity a follow-up record links to. An entity is kept when its kind label and id are both in the
 * corpus, as the loader's stale-node deletion decides (seed/write.ts).
 */
export async function refuseToOrphanFollowUp(tx: ManagedTransaction, plan: GraphPlan): Promise<void> {
  const keys = new Set(NODE_LABELS.flatMap((label) => plan.nodes[label].map((row) => `${label} ${row.id}`)));
  const referenced = await tx.run(FOLLOWUP_GUARD_STATEMENTS.referencedEntities, { labels: [...NODE_LABELS] });
  const removed = referenced.records
    .map((record) => ({ id: record.get('id') as string, kinds: record.get('kinds') as string[] }))
    .filter(({ id, kinds }) => kinds.length !== 1 || !keys.has(`${kinds[0]} ${id}`));
  if (removed.length === 0) return;
  const references = await tx.run(FOLLOWUP_GUARD_STATEMENTS.referencesTo, {
    ids: removed.map((entity) => entity.id),
    named: neo4j.int(NAMED_PER_ENTITY),
  });
  const lines = references.records
    .map((record) => {
      const id = record.get('id') as string;
      const total = neo4j.integer.toNumber(record.get('total') as number);
      const records = record.get('records') as string[];
      const kinds = removed.find((entity) => entity.id === id)?.kinds.join(', ') ?? '';
      const more = total > records.length ? ` and ${total - records.length} more` : '';
      return `${id} (${kinds}) is referred to by ${records.join(', ')}${more}`;
    })
    .sort();
  throw new CorpusLoadError(
    `The corpus no longer holds ${removed.length} ${removed.length === 1 ? 'entity' : 'entities'} that follow-up records ` +
      `refer to; loading it would drop their links: ${lines.join('; ')}. Keep the entities in the corpus, or unlink ` +
      'them from the follow-up records first. Nothing was written.',
  );
}
