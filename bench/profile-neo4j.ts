import { resolve } from 'node:path';
import { startLocalNeo4j, type LocalNeo4j } from '../tools/local-neo4j/local-neo4j';

/**
 * The local Neo4j of a profiling tool (bench/analysis-profile.ts, bench/browse-profile.ts) from its command
 * line: `--instance` and `--port` (defaults per tool), `--heap` (1g); fresh when the tool is to `--load` a
 * corpus, else the instance as it was left.
 */
export function startProfileNeo4j(
  option: (name: string) => string | undefined,
  defaults: { instance: string; port: number },
): Promise<LocalNeo4j> {
  return startLocalNeo4j({
    projectRoot: resolve(__dirname, '..'),
    instanceName: option('--instance') ?? defaults.instance,
    boltPort: Number(option('--port') ?? defaults.port),
    fresh: option('--load') !== undefined,
    heapSize: option('--heap') ?? '1g',
    pageCacheSize: '512m',
    readyTimeoutMs: 300_000,
  });
}
