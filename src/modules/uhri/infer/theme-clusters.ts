/**
 * The table mapping UHRI themes to the Committee's clusters of articles (theme-clusters.yaml, explained
 * in docs/inference.md), read once and checked: every article exists in the CRC, every theme names a
 * known cluster, and a cluster graded VERIFIED_SECONDARY cites at least one source.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { TREATY_ARTICLE_COUNTS } from './article-citations';

const ClusterRow = z.strictObject({
  id: z.string().regex(/^[a-z-]+$/),
  title: z.string().min(1),
  articles: z.array(z.number().int().min(1).max(TREATY_ARTICLE_COUNTS.CRC)).min(1),
  verification: z.enum(['UNVERIFIED', 'VERIFIED_SECONDARY']),
  sources: z.array(z.strictObject({ source: z.string().regex(/^source:[a-z0-9-]+$/), locator: z.string().min(1) })),
  note: z.string().min(1),
});

const Table = z.strictObject({
  clusters: z.array(ClusterRow).min(1),
  themes: z.array(z.strictObject({ theme: z.string().min(1), cluster: z.string().min(1) })),
});

export type ThemeCluster = z.output<typeof ClusterRow>;

/** How theme names are compared: case, spacing and "&" versus "and" do not matter. */
export function themeKey(name: string): string {
  return name.toLowerCase().replace(/&/g, ' and ').replace(/\s+/g, ' ').trim();
}

export const THEME_CLUSTER_FILE = join(__dirname, 'theme-clusters.yaml');

export function readThemeClusters(path: string = THEME_CLUSTER_FILE): {
  clusters: ThemeCluster[];
  clusterOfTheme: Map<string, ThemeCluster>;
} {
  const table = Table.parse(parse(readFileSync(path, 'utf8')));
  const byId = new Map(table.clusters.map((cluster) => [cluster.id, cluster]));
  for (const cluster of table.clusters) {
    if (cluster.verification === 'VERIFIED_SECONDARY' && cluster.sources.length === 0)
      throw new Error(`${path}: cluster ${cluster.id} is VERIFIED_SECONDARY but cites no source`);
  }
  const clusterOfTheme = new Map<string, ThemeCluster>();
  for (const row of table.themes) {
    const cluster = byId.get(row.cluster);
    if (cluster === undefined) throw new Error(`${path}: theme "${row.theme}" names no known cluster (${row.cluster})`);
    const key = themeKey(row.theme);
    if (clusterOfTheme.has(key)) throw new Error(`${path}: theme "${row.theme}" is listed twice`);
    clusterOfTheme.set(key, cluster);
  }
  return { clusters: table.clusters, clusterOfTheme };
}

let table: ReturnType<typeof readThemeClusters> | null = null;

/** The cluster a UHRI theme belongs to, or null if the table does not map it. */
export function clusterOfTheme(theme: string): ThemeCluster | null {
  table ??= readThemeClusters();
  return table.clusterOfTheme.get(themeKey(theme)) ?? null;
}
