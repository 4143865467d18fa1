/**
 * The UHRI import's publishing transaction at full size, alone (docs/model.md, "All or nothing: staging"):
 * writes N synthetic recommendations and N texts the way the importer leaves them after staging (pending:
 * their own labels and `UhriPending`, indexed properties and texts of the importer's shapes, texts about
 * 1.1 kB like the generator's, a HAS_TEXT link each), then runs the importer's own `finish` (one
 * transaction) and its clean-up in slices, and reports their times and the transaction's heap as Neo4j
 * estimates it (sampled with SHOW TRANSACTIONS). Pending synthetic nodes left by an earlier run are used
 * again rather than written anew. Staging through the whole importer takes far longer on a shared
 * machine; this measures whether the one transaction readers can see fits the embedded default heap.
 *
 * With --labels it first measures, on the same pending nodes, what a change to every node costs a
 * transaction (each variant rolled back): a label with no index, the pending label removed (a publish by
 * relabelling, as before the marker), and a property. That is why a publish that changes every new node
 * grows with the file whatever it changes, and why the publish changes none (docs/model.md, "How large
 * a file one publish can take"). It also prints the budget the importer reads from this server
 * (src/modules/uhri/publish-capacity.ts).
 *
 *   NEO4J_URI=bolt://127.0.0.1:7690 npx tsx bench/uhri-publish.ts [--rows 270000] [--labels] [--keep]
 *
 * FOR A SCRATCH DATABASE ONLY: what it stages is published into the graph (ids `rec:SYNTHETIC-PUBLISH/…`,
 * origin `UHRI`); without --keep it deletes them again at the end, in slices.
 */
import { parseArgs } from 'node:util';
import neo4j from 'neo4j-driver';
import { UhriGraphWriter, uhriSource } from '../src/modules/uhri/graph-writer';
import { maxSharedNodes, readPublishCapacity } from '../src/modules/uhri/publish-capacity';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '270000' },
    keep: { type: 'boolean', default: false },
    labels: { type: 'boolean', default: false },
  },
});
const rows = Number(values.rows);
const uri = process.env.NEO4J_URI ?? 'bolt://127.0.0.1:7690';
const driver = neo4j.driver(
  uri,
  neo4j.auth.basic(process.env.NEO4J_USER ?? 'neo4j', process.env.NEO4J_PASSWORD ?? ''),
  { disableLosslessIntegers: true },
);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** The memory Neo4j estimates for the open transactions tagged `app` (the largest). */
async function heapOf(app: string): Promise<number> {
  const watch = driver.session();
  try {
    const result = await watch.run(
      `SHOW TRANSACTIONS YIELD metaData, estimatedUsedHeapMemory
       WHERE metaData.app = $app RETURN max(estimatedUsedHeapMemory) AS heap`,
      { app },
    );
    return Number(result.records[0]?.get('heap') ?? 0);
  } finally {
    await watch.close();
  }
}

/** Each change to every pending recommendation, in a transaction rolled back: its memory per node. */
async function labelVariants(): Promise<void> {
  const variants: Array<[string, string]> = [
    ['a label with no index (UhriBenchFlag)', 'SET n:UhriBenchFlag'],
    ['the pending label removed (a publish by relabelling)', 'REMOVE n:UhriPending'],
    ['a property (n.published = true)', 'SET n.published = true'],
  ];
  const session = driver.session();
  try {
    for (const [name, change] of variants) {
      const tx = session.beginTransaction({ metadata: { app: 'uhri-publish-bench-variant' } });
      try {
        const started = Date.now();
        await tx.run(`MATCH (n:UhriPending:Recommendation) WHERE n.id STARTS WITH 'rec:SYNTHETIC-PUBLISH/' ${change}`);
        const ms = Date.now() - started;
        const heap = await heapOf('uhri-publish-bench-variant');
        process.stdout.write(
          `  ${name}: ${seconds(ms)}, ${mib(heap)} = ${Math.round(heap / rows)} bytes a node (rolled back)\n`,
        );
      } finally {
        await tx.rollback();
      }
    }
  } finally {
    await session.close();
  }
}

async function slices(cypher: string, params: Record<string, unknown> = {}): Promise<void> {
  const session = driver.session();
  try {
    for (;;) {
      const result = await session.run(cypher, params);
      if (Number(result.records[0]?.get(0) ?? 0) === 0) return;
    }
  } finally {
    await session.close();
  }
}

async function main(): Promise<void> {
  const session = driver.session();
  try {
    for (const statement of UhriGraphWriter.schemaStatements()) await session.run(statement);
    let started = Date.now();
    const already = await session.run(
      `MATCH (n:UhriPending:Recommendation) WHERE n.id STARTS WITH 'rec:SYNTHETIC-PUBLISH/' RETURN count(n) AS n`,
    );
    const staged = Number(already.records[0]?.get('n') ?? 0);
    // The importer's pending shapes (graph-writer.ts, stageRecommendations): 196 states' worth of ids.
    if (staged === rows)
      process.stdout.write(`${rows} pending recommendations and texts from an earlier run: used as they are\n`);
    else if (staged > 0)
      throw new Error(`${staged} pending synthetic recommendations in the graph, not ${rows}: delete them first`);
    else
      await session.run(
        `UNWIND range(0, $rows - 1) AS i
CALL (i) {
  WITH i, 'rec:SYNTHETIC-PUBLISH/' + toString(i / 60) + ':' + toString(i % 60 + 1) AS id,
       reduce(s = '', k IN range(1, 32) | s + 'synthetic publish benchmark word' + toString((i * 7 + k) % 40) + ' ') AS text
  CREATE (r:Entity:Recommendation:UhriPending {id: id, documentId: 'doc:SYNTHETIC-PUBLISH/' + toString(i / 60),
    documentSymbol: 'SYNTHETIC-PUBLISH/' + toString(i / 60), documentDate: '2020-01-01', year: 2020,
    stateId: 'state:S' + toString(i % 196), paragraph: i % 60 + 1, kind: 'RECOMMENDATION',
    verification: 'SECONDARY_ONLY', note: "Imported from OHCHR's Universal Human Rights Index.", origin: 'UHRI'})
  CREATE (t:Entity:TextVersion:RecommendationText:UhriPending {id: id + '#text:en', ownerId: id, ownerLabel: 'Recommendation',
    language: 'en', text: text, searchText: text, status: 'OFFICIAL', truncated: false, position: 1, origin: 'UHRI'})
  CREATE (r)-[:HAS_TEXT {origin: 'UHRI'}]->(t)
} IN TRANSACTIONS OF 2000 ROWS`,
        { rows },
      );
    if (staged === 0)
      process.stdout.write(
        `wrote ${rows} pending recommendations and ${rows} texts in ${seconds(Date.now() - started)}\n`,
      );
    const capacity = await readPublishCapacity(session);
    process.stdout.write(
      capacity === null
        ? 'this server states no transaction memory limit: the importer refuses nothing\n'
        : `the importer's budget for one publish here: ${mib(capacity.budgetBytes)} (half of ${capacity.limitSource}), ` +
            `any number of new rows, with up to about ${maxSharedNodes(capacity)} new states, documents and tags\n`,
    );
    if (values.labels) {
      process.stdout.write(`what one change to each of the ${rows} staged recommendations costs a transaction:\n`);
      await labelVariants();
    }

    // The publishing transaction, the importer's code; its heap sampled meanwhile from another session.
    const writer = new UhriGraphWriter(uhriSource('synthetic-publish.csv', '2026-12-01'));
    let peak = 0;
    let sampling = true;
    const sampler = (async () => {
      const watch = driver.session();
      try {
        while (sampling) {
          const result = await watch.run(
            `SHOW TRANSACTIONS YIELD metaData, estimatedUsedHeapMemory
             WHERE metaData.app = 'uhri-publish-bench' RETURN max(estimatedUsedHeapMemory) AS heap`,
          );
          peak = Math.max(peak, Number(result.records[0]?.get('heap') ?? 0));
          await new Promise((wait) => setTimeout(wait, 500));
        }
      } finally {
        await watch.close();
      }
    })();
    started = Date.now();
    const tx = session.beginTransaction({ metadata: { app: 'uhri-publish-bench' } });
    let swapped = 0;
    try {
      ({ swapped } = await writer.finish(tx));
      await tx.commit();
    } finally {
      if (tx.isOpen()) await tx.rollback();
      sampling = false;
      await sampler;
    }
    process.stdout.write(
      `published ${rows} pending rows (and ${swapped} staged shared nodes) in ONE transaction in ` +
        `${seconds(Date.now() - started)}; its heap as Neo4j estimated it (sampled every 0.5 s): up to ${mib(peak)}\n`,
    );
    started = Date.now();
    await slices(UhriGraphWriter.releasePendingCypher());
    await slices(UhriGraphWriter.unmarkCypher());
    await slices(UhriGraphWriter.cleanupCypher());
    process.stdout.write(`removed the pending labels and the marker in slices in ${seconds(Date.now() - started)}\n`);
  } finally {
    await session.close();
  }
  if (!values.keep) {
    const started = Date.now();
    await slices(
      `MATCH (n:Entity) WHERE n.id STARTS WITH 'rec:SYNTHETIC-PUBLISH/' WITH n LIMIT 5000 DETACH DELETE n RETURN count(*)`,
    );
    process.stdout.write(`deleted them again in ${seconds(Date.now() - started)}\n`);
  }
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => driver.close());
