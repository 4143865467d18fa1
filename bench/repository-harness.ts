/**
 * Running the analysis repository's own Cypher outside GraphQL: timing it alone and PROFILE-ing it.
 * (The before/after comparison that found the fan-out problem, bench/compare.ts with proposed patches, is in
 * the history at 898a88d; the fix is now in src/modules/analysis/repository.ts.)
 */
import { performance } from 'node:perf_hooks';
import neo4j, { type Driver, type ProfiledPlan, type RecordShape } from 'neo4j-driver';
import { AnalysisRepository } from '../src/modules/analysis/repository';
import { type Executor, RequestDb, integerParams } from '../src/db/executor';
import { DEFAULT_PATH_RELATIONSHIP_TYPES } from '../src/graph/vocabulary';

/** The path query's default relationship types (all path types but the hubs), from the vocabulary. */
export const PATH_TYPES: string[] = [...DEFAULT_PATH_RELATIONSHIP_TYPES];

export type AnalysisQuery =
  'recommendationGaps' | 'treatyCoverage' | 'implementationChain' | 'reiteratedRecommendations' | 'path';

/** Each analysis query as the resolvers call it, for the given (GraphQL-like) variables plus the state's id. */
export const REPOSITORY_CALLS: Record<
  AnalysisQuery,
  (repository: AnalysisRepository, vars: Record<string, unknown>) => Promise<unknown>
> = {
  recommendationGaps: (repo, v) =>
    repo.recommendationGaps(
      {
        state: String(v.stateId),
        treaty: 'treaty:CRC',
        strict: false,
        articles: null,
        themes: null,
        cycles: null,
        reasons: null,
      },
      0,
      51,
    ),
  treatyCoverage: (repo, v) => repo.treatyCoverage('treaty:CRC', String(v.stateId)),
  implementationChain: (repo, v) => repo.implementationChain(String(v.article), String(v.stateId)),
  reiteratedRecommendations: (repo, v) => repo.reiteratedRecommendations(String(v.stateId), 2, null, 0, 21),
  path: (repo, v) => repo.path(String(v.from), String(v.to), 6, PATH_TYPES),
};

export interface Profile {
  queryName: string;
  cypher: string;
  plan: ProfiledPlan | false;
  ms: number;
}

/** Runs the repository's Cypher with PROFILE in front and keeps the plans. */
export class ProfilingDb extends RequestDb {
  readonly profiles: Profile[] = [];

  constructor(
    executor: Executor,
    private readonly driver: Driver,
  ) {
    super(executor, 'bench-profile');
  }

  override async read<R extends RecordShape>(
    queryName: string,
    cypher: string,
    params: Record<string, unknown> = {},
  ): Promise<R[]> {
    const session = this.driver.session({ defaultAccessMode: neo4j.session.READ });
    try {
      const started = performance.now();
      const result = await session.executeRead((tx) => tx.run<R>(`PROFILE ${cypher}`, integerParams(params)), {
        timeout: 600_000,
      });
      this.profiles.push({ queryName, cypher, plan: result.summary.profile, ms: performance.now() - started });
      return result.records.map((record) => record.toObject());
    } finally {
      await session.close();
    }
  }
}

export interface PlanLine {
  depth: number;
  operator: string;
  details: string;
  rows: number;
  dbHits: number;
}

export function flattenPlan(plan: ProfiledPlan, depth = 0, lines: PlanLine[] = []): PlanLine[] {
  lines.push({
    depth,
    operator: plan.operatorType,
    details: String(plan.arguments.Details ?? ''),
    rows: Number(plan.rows),
    dbHits: Number(plan.dbHits),
  });
  for (const child of plan.children) flattenPlan(child, depth + 1, lines);
  return lines;
}

export const totalDbHits = (plan: ProfiledPlan | false): number =>
  plan ? flattenPlan(plan).reduce((sum, line) => sum + line.dbHits, 0) : NaN;

/** A readable PROFILE: total, the heaviest operators, then the whole plan. */
export function describeProfile(title: string, profile: Profile): string[] {
  if (!profile.plan) return [`### ${title}: no profile returned`];
  const lines = flattenPlan(profile.plan);
  const total = lines.reduce((a, l) => a + l.dbHits, 0);
  const out = [
    `### ${title}: ${total.toLocaleString('en')} db hits, ${profile.ms.toFixed(1)} ms under PROFILE`,
    'Top operators by db hits:',
  ];
  for (const line of [...lines].sort((a, b) => b.dbHits - a.dbHits).slice(0, 10)) {
    out.push(
      `  ${line.dbHits.toString().padStart(11)} hits ${line.rows.toString().padStart(9)} rows  ${line.operator}  ${line.details.replace(/\s+/g, ' ').slice(0, 220)}`,
    );
  }
  out.push('Plan:');
  for (const line of lines)
    out.push(
      `  ${'  '.repeat(line.depth)}${line.operator} [rows ${line.rows}, hits ${line.dbHits}] ${line.details.replace(/\s+/g, ' ').slice(0, 160)}`,
    );
  return out;
}

// ---------------------------------------------------------------- statistics

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

export const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '—');

/** Times one repository call (the analysis Cypher alone: one round trip, no GraphQL, no follow-up loaders). */
export async function timeCall(
  executor: Executor,
  query: AnalysisQuery,
  vars: Record<string, unknown>,
): Promise<{ ms: number; result: unknown }> {
  const repository = new AnalysisRepository(executor.forRequest('bench-cypher'));
  const started = performance.now();
  const result = await REPOSITORY_CALLS[query](repository, vars);
  return { ms: performance.now() - started, result };
}
