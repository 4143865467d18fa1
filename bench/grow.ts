/**
 * Grows a graph holding the real corpus with the generator's synthetic states (bench/generate.ts): the 100×
 * corpus of bench:peer and of bench/analysis-profile.ts.
 */
import type { Driver } from 'neo4j-driver';
import { DEFAULT_CORPUS_DIR, readCorpus } from '../seed/corpus';
import { emptyPlan, planSize } from '../seed/plan';
import { BulkWriter } from './bulk-load';
import { anchorsFrom, generateGlobal, generateState } from './generate';

/** The number of nodes in the graph. */
export async function graphNodes(driver: Driver): Promise<number> {
  const [record] = (await driver.executeQuery('MATCH (n) RETURN count(n) AS n')).records;
  return Number(record?.get('n') ?? 0);
}

/** Grows the graph with synthetic states to at least `target` nodes; returns the graph's node count after. */
export async function growSynthetic(
  driver: Driver,
  target: number,
  seed: number,
  say: (line: string) => void,
): Promise<number> {
  const anchors = anchorsFrom(await readCorpus(DEFAULT_CORPUS_DIR));
  const writer = new BulkWriter(driver, { batchSize: 10_000 });
  const global = emptyPlan();
  generateGlobal(global);
  await writer.write(global);
  let nodes = await graphNodes(driver);
  let index = 0;
  while (nodes < target) {
    const plan = emptyPlan();
    const first = index;
    while (index < first + 25 && nodes + planSize(plan).nodes < target) {
      generateState(anchors, seed, index, plan);
      index += 1;
    }
    await writer.write(plan);
    nodes += planSize(plan).nodes;
  }
  const session = driver.session();
  try {
    await session.run('CALL db.awaitIndexes(600)');
    await session.run('CALL db.resampleOutdatedIndexes()');
  } finally {
    await session.close();
  }
  say(
    `synthetic states: ${index} (XAA…), ${writer.totals.nodes.toLocaleString('en')} nodes and ${writer.totals.relationships.toLocaleString('en')} relationships written in ${(writer.totals.ms / 1000).toFixed(1)} s`,
  );
  return graphNodes(driver);
}
