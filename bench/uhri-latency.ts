/**
 * Latency of the analysis queries (issue 11 item 8) with an import loaded: `recommendationGaps` and
 * `treatyCoverage` through the running API, N sequential requests per state after M warm-up requests.
 *
 *   npx tsx bench/uhri-latency.ts [--url http://127.0.0.1:4000/graphql] [--runs 50] [--warm 3] KAZ LTU …
 *
 * Prints p50, p95 and max per query and state, and the answer's size (so that a run over an empty graph
 * shows). An error in any answer stops the run: a failed request is not a figure.
 */
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string', default: `http://127.0.0.1:${process.env.PORT ?? '4000'}/graphql` },
    runs: { type: 'string', default: '50' },
    warm: { type: 'string', default: '3' },
  },
});
const states = positionals.length > 0 ? positionals : ['KAZ'];
const runs = Number(values.runs);
const warm = Number(values.warm);

const QUERIES = {
  recommendationGaps: `query ($state: ID!) { recommendationGaps(state: $state, first: 50) {
    totalCount edges { node { reasons recommendation { id } } } } }`,
  treatyCoverage: `query ($state: ID!) { treatyCoverage(treaty: "CRC", state: $state) {
    summary { articleCount articlesWithNoProvision articlesWithOnlyDeclarativeProvisions articlesWithOpenRecommendations }
    rows { article { number } bestExtent } } }`,
};

async function ask(query: string, state: string): Promise<{ ms: number; size: string }> {
  const started = performance.now();
  const response = await fetch(values.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables: { state } }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  const ms = performance.now() - started;
  if (!response.ok || body.errors) throw new Error(`${response.status}: ${JSON.stringify(body.errors ?? body)}`);
  const data = body.data as {
    recommendationGaps?: { totalCount: number };
    treatyCoverage?: { rows: unknown[]; summary: { articlesWithOpenRecommendations: number } };
  };
  const size = data.recommendationGaps
    ? `${data.recommendationGaps.totalCount} gaps`
    : `${data.treatyCoverage!.rows.length} articles, ${data.treatyCoverage!.summary.articlesWithOpenRecommendations} with open recommendations`;
  return { ms, size };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function main(): Promise<void> {
  for (const state of states)
    for (const [name, query] of Object.entries(QUERIES)) {
      for (let i = 0; i < warm; i += 1) await ask(query, state);
      const times: number[] = [];
      let size = '';
      for (let i = 0; i < runs; i += 1) ({ size } = await ask(query, state).then((r) => (times.push(r.ms), r)));
      times.sort((a, b) => a - b);
      const f = (ms: number) => `${Math.round(ms)} ms`;
      process.stdout.write(
        `${name}(${state}): ${size}; ${runs} requests: p50 ${f(percentile(times, 50))}, p95 ${f(percentile(times, 95))}, max ${f(times.at(-1)!)}\n`,
      );
    }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
