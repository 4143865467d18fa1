/**
 * The floor of writing UHRI rows into this Neo4j: what the least Neo4j CPU per row and the best rows/s
 * can be for this graph's data, part by part (issue 11). No importer logic: synthetic rows built by
 * the generator's row builder (bench/uhri-generate.ts `syntheticRow`), mapped by the importer's mapper
 * and shaped by its writer (`recommendationRow`, `concernRow`), then written in UNWIND batches straight
 * through neo4j-driver, one transaction per batch, in cumulative variants:
 *
 *   V1     Recommendation nodes with their properties
 *   V2     + the TextVersion node (searchText enters the full-text index recommendationTextVersionText) and HAS_TEXT
 *   V2ft   V2 with recommendationTextVersionText dropped before the writes and created (populated) after them, timed
 *   V3     + the row's links to pre-existing shared nodes found by element id: ISSUED_IN, ADDRESSED_TO,
 *          HAS_THEME, AFFECTS, SDG_TARGET (each with the row's inherited provenance, 9 properties), and
 *          the recommendation's and the text's SOURCED_FROM (locator, digest)
 *   V4a    + the inferred CONCERNS links with their properties as written today (11, sent once per
 *          distinct set per batch, as the importer does)
 *   V4b    + the inferred CONCERNS links with one property (a basis id naming the set of V4a)
 *   V4c    + the inferred CONCERNS links with no property
 *
 *   npx tsx bench/uhri-floor.ts --rows 50000 [--variants V1,V2,V3,V4a,V4b] [--batch 2000] [--concurrency 1]
 *       [--spread 270000] [--labels final|staged] [--shape eager|lean] [--bare-links] [--profile]
 *       [--name floor] [--port 7790] [--heap 512m] [--seed 1] [--reseed]
 *
 * Every variant runs on a fresh JVM started on a restored copy of one snapshot: the curated corpus
 * loaded with the project's own loader (seed/loader.ts: its schema statements, so the constraints, range
 * and full-text indexes are the real ones). The snapshot is made once per instance name
 * (.neo4j/instances/<name>-snapshot; --reseed makes it again). Before the timed writes the shared nodes
 * the rows link to (the export's Source, states, documents, tags) are MERGEd and their element ids read,
 * untimed; the treaty articles are the corpus's.
 *
 * --spread N picks the rows evenly from the first N of the generator's rows (default 270,000), so that
 * 50,000 rows have the full file's mix of bodies and so its count of inferred CONCERNS links per row
 * (the first 50,000 rows alone have only five bodies and fewer CRC-family rows).
 * --labels staged writes the rows under the importer's staging labels (UhriStaged…, the text with its
 * TextVersion label) instead of Entity and the kind label.
 *
 * Measured per variant: wall time of the writes, rows/s, the Neo4j JVM's CPU seconds (utime + stime of
 * /proc/<pid>/stat, before and after) per row, this process's CPU (the driver's encoding), load average
 * before and after, and the JVM's idle CPU over 5 s before the writes (subtract for a machine's noise).
 */
import { cp, rm, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import neo4j, { type Driver } from 'neo4j-driver';
import { readCorpus, DEFAULT_CORPUS_DIR } from '../seed/corpus';
import { loadCorpus } from '../seed/loader';
import { SCHEMA_STATEMENTS } from '../seed/schema-statements';
import { OWNER_TEXT } from '../src/graph/vocabulary';
import { UHRI_COLUMNS, mapRow, type UhriRecord, type UhriRow } from '../src/modules/uhri';
import {
  concernRow,
  recordDigest,
  SharedProperties,
  uhriSource,
  UhriGraphWriter,
} from '../src/modules/uhri/graph-writer';
import { inferConcerns, inferParagraphsOf } from '../src/modules/uhri/infer';
import { localNeo4jPaths, startLocalNeo4j, type LocalNeo4j } from '../tools/local-neo4j/local-neo4j';
import { parties, syntheticRow } from './uhri-generate';

const PROJECT_ROOT = resolve(__dirname, '..');
const VARIANTS = ['V1', 'V2', 'V2ft', 'V3', 'V4a', 'V4b', 'V4c'] as const;
type Variant = (typeof VARIANTS)[number];

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

const options = {
  rows: Number(argument('rows') ?? 50_000),
  spread: Number(argument('spread') ?? 270_000),
  batch: Number(argument('batch') ?? 2_000),
  concurrency: Number(argument('concurrency') ?? 1),
  variants: (argument('variants') ?? 'V1,V2,V3,V4a,V4b').split(',') as Variant[],
  labels: (argument('labels') ?? 'final') as 'final' | 'staged',
  name: argument('name') ?? 'floor',
  port: Number(argument('port') ?? 7790),
  heap: argument('heap') ?? '512m',
  seed: Number(argument('seed') ?? 1),
  reseed: process.argv.includes('--reseed'),
  /**
   * eager: the importer's statement shape (CALL per link type, unlabelled element-id look-ups after the
   * writes, SET from maps), which the planner fills with Eager operators; lean: every look-up (labelled)
   * before the first write, FOREACH for the links and literal property maps, so no Eager.
   */
  shape: (argument('shape') ?? 'eager') as 'eager' | 'lean',
  /** Lean shape only: the row's links (ISSUED_IN, ADDRESSED_TO, tags) with no property. */
  bareLinks: process.argv.includes('--bare-links'),
  /** PROFILE the second batch and print its plan: operators, rows, db hits, memory. */
  profile: process.argv.includes('--profile'),
};
for (const v of options.variants) if (!VARIANTS.includes(v)) throw new Error(`unknown variant ${v}`);
if (options.spread < options.rows) throw new Error('--spread must be at least --rows');

const log = (line: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

/** utime + stime of a process, in seconds (clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
const ownCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------
// Rows

interface Built {
  records: UhriRecord[];
  rows: {
    rec: ReturnType<UhriGraphWriter['recommendationRow']>;
    digest: string;
    concerns: { to: string; p: number }[];
  }[];
  /** The distinct property sets of the CONCERNS links (V4a sends them once, V4b names them). */
  concernProps: Record<string, unknown>[];
  concernCount: number;
  byInference: Map<string, number>;
}

function buildRows(): Built {
  const states = parties();
  const source = uhriSource('uhri-floor.csv', '2026-12-02');
  const writer = new UhriGraphWriter(source);
  const context = { fileName: 'uhri-floor.csv', exportDate: '2026-12-02', exportDateSource: 'given' as const };
  const records: UhriRecord[] = [];
  const rows: Built['rows'] = [];
  const shared = new SharedProperties();
  const concernProps = shared.list;
  const byInference = new Map<string, number>();
  let concernCount = 0;
  for (let j = 0; j < options.rows; j += 1) {
    const i = Math.floor((j * options.spread) / options.rows);
    const cells = syntheticRow(i, states, options.seed);
    const row: UhriRow = {
      rowNumber: i + 2,
      cells: Object.fromEntries(UHRI_COLUMNS.map((column, k) => [column, cells[k] ?? null])),
    };
    const { record } = mapRow(row, context);
    if (record === null) throw new Error(`synthetic row ${i} was rejected`);
    records.push(record);
    const concerns = inferParagraphsOf(record)
      .flatMap((p) => inferConcerns(p))
      .map((c) => {
        byInference.set(c.inference, (byInference.get(c.inference) ?? 0) + 1);
        const link = concernRow(c);
        return { to: link.to, p: shared.at(link.props) };
      });
    concernCount += concerns.length;
    rows.push({ rec: writer.recommendationRow(record), digest: recordDigest(record), concerns });
  }
  return { records, rows, concernProps, concernCount, byInference };
}

// ---------------------------------------------------------------------------------------------------
// Database

async function run(driver: Driver, cypher: string, params: Record<string, unknown> = {}) {
  const session = driver.session({ defaultAccessMode: neo4j.session.WRITE });
  try {
    return await session.executeWrite((tx) => tx.run(cypher, params));
  } finally {
    await session.close();
  }
}

const snapshotDir = () => join(PROJECT_ROOT, '.neo4j', 'instances', `${options.name}-snapshot`);

async function start(fresh: boolean): Promise<LocalNeo4j> {
  return startLocalNeo4j({
    projectRoot: PROJECT_ROOT,
    instanceName: options.name,
    boltPort: options.port,
    fresh,
    heapSize: options.heap,
    log: (m) => log(`[neo4j] ${m}`),
  });
}

/** The curated corpus with the project's schema, loaded once and copied aside. */
async function ensureSnapshot(): Promise<void> {
  const exists = await stat(snapshotDir()).then(
    () => true,
    () => false,
  );
  if (exists && !options.reseed) return;
  const server = await start(true);
  const driver = neo4j.driver(server.uri, neo4j.auth.basic('neo4j', ''));
  try {
    const report = await loadCorpus(driver, await readCorpus(DEFAULT_CORPUS_DIR), { log: (l) => log(`[seed] ${l}`) });
    log(`snapshot: corpus ${report.version.slice(0, 12)} loaded, ${report.nodeCount} nodes`);
  } finally {
    await driver.close();
    await server.stop();
  }
  await rm(snapshotDir(), { recursive: true, force: true });
  await cp(localNeo4jPaths(PROJECT_ROOT, options.name).dataDir, snapshotDir(), { recursive: true });
}

async function restoreAndStart(): Promise<LocalNeo4j> {
  const { dataDir } = localNeo4jPaths(PROJECT_ROOT, options.name);
  await rm(dataDir, { recursive: true, force: true });
  await cp(snapshotDir(), dataDir, { recursive: true });
  return start(false);
}

/** MERGEs the shared nodes the rows link to (untimed) and returns element ids by `<label> <id>`. */
async function sharedNodes(driver: Driver, built: Built): Promise<Map<string, string>> {
  const source = uhriSource('uhri-floor.csv', '2026-12-02');
  await run(
    driver,
    `MERGE (s:Entity:Source {id: $id}) ON CREATE SET s.kind = 'REFERENCE_COMPILATION', s.title = $id, s.origin = 'UHRI'`,
    { id: source.id },
  );
  const states = new Map<string, { iso3: string; name: string }>();
  const documents = new Map<string, Record<string, unknown>>();
  const tags: Record<'Theme' | 'AffectedGroup' | 'SdgTarget', Map<string, string>> = {
    Theme: new Map(),
    AffectedGroup: new Map(),
    SdgTarget: new Map(),
  };
  for (const { document, recommendation, states: refs } of built.records) {
    for (const s of refs) states.set(s.id, s);
    documents.set(document.id, {
      id: document.id,
      symbol: document.symbol,
      kind: document.kind,
      title: document.symbol,
      committee: document.committee,
      stateId: document.stateId,
      origin: 'UHRI',
    });
    for (const t of recommendation.themes) tags.Theme.set(t.id, t.name);
    for (const t of recommendation.affectedPersons) tags.AffectedGroup.set(t.id, t.name);
    for (const t of recommendation.sdgTargets) tags.SdgTarget.set(t.id, t.label);
  }
  await run(
    driver,
    `UNWIND $rows AS row MERGE (s:Entity:State {id: row.id}) ON CREATE SET s.iso3 = row.iso3, s.name = row.name, s.origin = 'UHRI'`,
    { rows: [...states.entries()].map(([id, s]) => ({ id, iso3: s.iso3, name: s.name })) },
  );
  await run(
    driver,
    `UNWIND $rows AS row MERGE (d:Entity:Document {id: row.id}) ON CREATE SET d += row
     WITH d, row MATCH (s:State {id: row.stateId}) MERGE (d)-[:CONCERNS_STATE]->(s)`,
    { rows: [...documents.values()] },
  );
  for (const [label, map] of Object.entries(tags))
    await run(
      driver,
      `UNWIND $rows AS row MERGE (n:Entity:${label} {id: row.id}) ON CREATE SET n.name = row.name, n.origin = 'UHRI'`,
      { rows: [...map.entries()].map(([id, name]) => ({ id, name })) },
    );
  const eids = new Map<string, string>();
  const articles = new Set(built.rows.flatMap((r) => r.concerns.map((c) => c.to)));
  for (const [label, ids] of [
    ['Source', [source.id]],
    ['State', [...states.keys()]],
    ['Document', [...documents.keys()]],
    ['Theme', [...tags.Theme.keys()]],
    ['AffectedGroup', [...tags.AffectedGroup.keys()]],
    ['SdgTarget', [...tags.SdgTarget.keys()]],
    ['TreatyArticle', [...articles]],
  ] as const) {
    const result = await run(driver, `UNWIND $ids AS id MATCH (n:${label} {id: id}) RETURN id, elementId(n) AS eid`, {
      ids,
    });
    for (const r of result.records) eids.set(`${label} ${r.get('id') as string}`, r.get('eid') as string);
  }
  await run(driver, 'CALL db.awaitIndexes(300)');
  return eids;
}

interface PlanNode {
  operatorType: string;
  rows: number;
  dbHits: number;
  arguments: Record<string, unknown>;
  children: PlanNode[];
}

function printProfile(plan: PlanNode | false, depth = 0): void {
  if (plan === false) return;
  const memory = plan.arguments.Memory;
  const totalMemory = plan.arguments.GlobalMemory;
  log(
    `  ${'  '.repeat(depth)}${plan.operatorType} rows ${plan.rows} dbHits ${plan.dbHits}` +
      `${memory === undefined ? '' : ` memory ${JSON.stringify(memory)}`}${totalMemory === undefined ? '' : ` (query ${JSON.stringify(totalMemory)})`}`,
  );
  for (const child of plan.children) printProfile(child, depth + 1);
}

// ---------------------------------------------------------------------------------------------------
// Variants

const level = (v: Variant) => ({ V1: 1, V2: 2, V2ft: 2, V3: 3, V4a: 4, V4b: 4, V4c: 4 })[v];

function cypherOf(v: Variant): string {
  const staged = options.labels === 'staged';
  const recLabels = staged ? 'UhriStaged:UhriStagedRecommendation' : 'Entity:Recommendation';
  const textLabels = staged
    ? 'TextVersion:RecommendationText:UhriStaged:UhriStagedTextVersion'
    : 'Entity:TextVersion:RecommendationText';
  const l = level(v);
  const out: string[] = [`// uhriFloor${v}`];
  if (l >= 3) out.push('MATCH (src) WHERE elementId(src) = $src');
  out.push('UNWIND $rows AS row');
  if (l >= 3) out.push('MATCH (d) WHERE elementId(d) = row.d');
  out.push(`CREATE (r:${recLabels})`, 'SET r = row.props');
  if (l >= 2) out.push(`CREATE (t:${textLabels})`, 'SET t = row.text', "CREATE (r)-[:HAS_TEXT {origin: 'UHRI'}]->(t)");
  const counted: string[] = [];
  if (l >= 3) {
    out.push(
      "CREATE (t)-[:SOURCED_FROM {locator: row.locator, position: 1, origin: 'UHRI'}]->(src)",
      "CREATE (r)-[:SOURCED_FROM {locator: row.locator, position: 1000, digest: row.digest, origin: 'UHRI'}]->(src)",
      'CREATE (r)-[i:ISSUED_IN]->(d)',
      'SET i = row.links',
      'WITH r, row',
    );
    for (const [list, type] of [
      ['states', 'ADDRESSED_TO'],
      ['themes', 'HAS_THEME'],
      ['groups', 'AFFECTS'],
      ['sdgs', 'SDG_TARGET'],
    ] as const) {
      out.push(`CALL (r, row) {
  UNWIND row.${list} AS e
  MATCH (x) WHERE elementId(x) = e
  CREATE (r)-[l:${type}]->(x)
  SET l = row.links
  RETURN count(l) AS ${list}
}`);
      counted.push(list);
    }
  }
  if (l >= 4) {
    const set = v === 'V4a' ? '\n  SET l = $props[c.p]' : v === 'V4b' ? '\n  SET l.basisId = $basis[c.p]' : '';
    out.push(`CALL (r, row) {
  UNWIND row.concerns AS c
  MATCH (x) WHERE elementId(x) = c.b
  CREATE (r)-[l:CONCERNS]->(x)${set}
  RETURN count(l) AS concerns
}`);
    counted.push('concerns');
  }
  out.push(
    `RETURN count(r) AS rows, ${counted.length === 0 ? '0' : counted.map((c) => `sum(${c})`).join(' + ')} AS links`,
  );
  return out.join('\n');
}

/** `{k: expr.k, …}` over the keys any of `objects` has (a missing key is a null, which CREATE does not store). */
function literal(objects: Iterable<Record<string, unknown>>, expr: string): string {
  const keys = new Set<string>();
  for (const o of objects) for (const k of Object.keys(o)) keys.add(k);
  return `{${[...keys].map((k) => `${k}: ${expr}.${k}`).join(', ')}}`;
}

/** The same writes as `cypherOf`, in the shape the planner can run without Eager (see `shape`). */
function leanCypherOf(v: Variant, built: Built): string {
  const staged = options.labels === 'staged';
  const recLabels = staged ? 'UhriStaged:UhriStagedRecommendation' : 'Entity:Recommendation';
  const textLabels = staged
    ? 'TextVersion:RecommendationText:UhriStaged:UhriStagedTextVersion'
    : 'Entity:TextVersion:RecommendationText';
  const l = level(v);
  const recs = built.rows.map((r) => r.rec);
  // --bare-links: the row's links without the provenance they copy from the row (a model change).
  const links = options.bareLinks
    ? ''
    : literal(
        recs.slice(0, 1).map((r) => r.links),
        'row.links',
      );
  const lists = [
    ['states', 'ADDRESSED_TO', 'State'],
    ['themes', 'HAS_THEME', 'Theme'],
    ['groups', 'AFFECTS', 'AffectedGroup'],
    ['sdgs', 'SDG_TARGET', 'SdgTarget'],
  ] as const;
  const out: string[] = [`// uhriFloor${v} (lean)`];
  if (l >= 3) out.push('MATCH (src:Source) WHERE elementId(src) = $src');
  out.push('UNWIND $rows AS row');
  if (l >= 3) {
    out.push('MATCH (d:Document) WHERE elementId(d) = row.d');
    const collected = lists.map(
      // UNWIND then `=`: with `elementId(x) IN list` the planner sometimes scans the label instead of seeking.
      ([list, , label]) =>
        `COLLECT { UNWIND row.${list} AS e MATCH (x:${label}) WHERE elementId(x) = e RETURN x } AS ${list}`,
    );
    if (l >= 4)
      collected.push(
        'COLLECT { UNWIND row.concerns AS c MATCH (x:TreatyArticle) WHERE elementId(x) = c.b RETURN [x, c.p] } AS concerns',
      );
    out.push(`WITH src, row, d,\n  ${collected.join(',\n  ')}`);
  }
  out.push(
    `CREATE (r:${recLabels} ${literal(
      recs.map((r) => r.props),
      'row.props',
    )})`,
  );
  if (l >= 2)
    out.push(
      `CREATE (t:${textLabels} ${literal(
        recs.slice(0, 1).map((r) => r.text),
        'row.text',
      )})`,
      "CREATE (r)-[:HAS_TEXT {origin: 'UHRI'}]->(t)",
    );
  if (l >= 3) {
    out.push(
      "CREATE (t)-[:SOURCED_FROM {locator: row.locator, position: 1, origin: 'UHRI'}]->(src)",
      "CREATE (r)-[:SOURCED_FROM {locator: row.locator, position: 1000, digest: row.digest, origin: 'UHRI'}]->(src)",
      `CREATE (r)-[:ISSUED_IN ${links}]->(d)`,
      ...lists.map(([list, type]) => `FOREACH (x IN ${list} | CREATE (r)-[:${type} ${links}]->(x))`),
    );
  }
  if (l >= 4) {
    const create =
      v === 'V4a'
        ? `CREATE (r)-[:CONCERNS ${literal(built.concernProps, '$props[c[1]]')}]->(x)`
        : v === 'V4b'
          ? 'CREATE (r)-[:CONCERNS {basisId: $basis[c[1]]}]->(x)'
          : 'CREATE (r)-[:CONCERNS]->(x)';
    out.push(`FOREACH (c IN concerns | FOREACH (x IN [c[0]] | ${create}))`);
  }
  const counted = l >= 3 ? ['states', 'themes', 'groups', 'sdgs', ...(l >= 4 ? ['concerns'] : [])] : [];
  out.push(
    `RETURN count(r) AS rows, ${counted.length === 0 ? '0' : `sum(${counted.map((c) => `size(${c})`).join(' + ')})`} AS links`,
  );
  return out.join('\n');
}

/** The parameters of one batch, only what the variant writes. */
function paramsOf(v: Variant, built: Built, eids: Map<string, string>, from: number, to: number) {
  const l = level(v);
  const eid = (label: string, id: string) => {
    const e = eids.get(`${label} ${id}`);
    if (e === undefined) throw new Error(`no element id for ${label} ${id}`);
    return e;
  };
  let expectedLinks = 0;
  const rows = built.rows.slice(from, to).map(({ rec, digest, concerns }) => {
    const row: Record<string, unknown> = { props: rec.props };
    if (l >= 2) row.text = rec.text;
    if (l >= 3) {
      Object.assign(row, {
        d: eid('Document', rec.documentId),
        locator: rec.locator,
        digest,
        links: rec.links,
        states: rec.states.map((id) => eid('State', id)),
        themes: rec.themes.map((id) => eid('Theme', id)),
        groups: rec.groups.map((id) => eid('AffectedGroup', id)),
        sdgs: rec.sdgs.map((id) => eid('SdgTarget', id)),
      });
      expectedLinks += rec.states.length + rec.themes.length + rec.groups.length + rec.sdgs.length;
    }
    if (l >= 4) {
      // A treaty article the graph does not hold gets no link, as in the importer.
      const known = concerns.filter((c) => eids.has(`TreatyArticle ${c.to}`));
      row.concerns = known.map((c) => ({ b: eid('TreatyArticle', c.to), p: neo4j.int(c.p) }));
      expectedLinks += known.length;
    }
    return row;
  });
  const params: Record<string, unknown> = { rows };
  if (l >= 3) params.src = eid('Source', uhriSource('uhri-floor.csv', '2026-12-02').id);
  if (v === 'V4a') params.props = built.concernProps;
  if (v === 'V4b') params.basis = built.concernProps.map((_, p) => `basis:${p}`);
  return { params, expectedLinks };
}

interface Result {
  variant: string;
  batch: number;
  concurrency: number;
  labels: string;
  shape: string;
  rows: number;
  links: number;
  wallS: number;
  rowsPerS: number;
  neo4jCpuS: number;
  neo4jCpuMsPerRow: number;
  clientCpuS: number;
  clientCpuMsPerRow: number;
  idleNeo4jCpuPerS: number;
  /** The largest estimatedUsedHeapMemory of a write transaction seen while it ran (sampled). */
  peakTxMemoryMiB: number;
  /** The batches from the middle on (with --concurrency 1: those after the first half's rows). */
  secondHalfRowsPerS: number;
  secondHalfNeo4jCpuMsPerRow: number;
  populateWallS?: number;
  populateCpuS?: number;
  loadBefore: string;
  loadAfter: string;
}

async function runVariant(v: Variant, built: Built): Promise<Result> {
  const server = await restoreAndStart();
  const driver = neo4j.driver(server.uri, neo4j.auth.basic('neo4j', ''), {
    maxConnectionPoolSize: options.concurrency + 2,
  });
  try {
    const eids = await sharedNodes(driver, built);
    const fulltext = SCHEMA_STATEMENTS.find((s) => s.name === OWNER_TEXT.Recommendation.index)!;
    if (v === 'V2ft') await run(driver, `DROP INDEX ${OWNER_TEXT.Recommendation.index} IF EXISTS`);
    const cypher = options.shape === 'lean' ? leanCypherOf(v, built) : cypherOf(v);
    log(`  statement:\n${cypher}`);
    const batches: { params: Record<string, unknown>; expectedLinks: number }[] = [];
    for (let from = 0; from < built.rows.length; from += options.batch)
      batches.push(paramsOf(v, built, eids, from, Math.min(from + options.batch, built.rows.length)));
    // The JVM's own background work, for reference.
    const idle0 = cpuSeconds(server.pid);
    await sleep(5_000);
    const idlePerS = (cpuSeconds(server.pid) - idle0) / 5;

    const loadBefore = load();
    const cpu0 = cpuSeconds(server.pid);
    const own0 = ownCpu();
    const t0 = process.hrtime.bigint();
    let peakTxMemory = 0;
    let next = 0;
    let rows = 0;
    let links = 0;
    // Where the second half of the rows starts: the JVM's JIT and the stores' first growth fall in the
    // first half, so the second half is the steady-state figure.
    const half = Math.floor(batches.length / 2);
    let mid: { cpu: number; t: bigint; rows: number } | null = null;
    const worker = async () => {
      const session = driver.session({ defaultAccessMode: neo4j.session.WRITE });
      try {
        for (let b = next++; b < batches.length; b = next++) {
          if (b === half && mid === null) mid = { cpu: cpuSeconds(server.pid), t: process.hrtime.bigint(), rows };
          const { params, expectedLinks } = batches[b]!;
          let result;
          try {
            const profiled = options.profile && b === 1;
            result = await session.executeWrite((tx) => tx.run(profiled ? `PROFILE ${cypher}` : cypher, params));
            if (profiled) printProfile(result.summary.profile);
          } catch (error) {
            const cpu = (cpuSeconds(server.pid) - cpu0).toFixed(1);
            throw new Error(
              `batch ${b} of ${batches.length} failed after ${rows} rows (Neo4j CPU ${cpu} s, peak transaction memory seen ${(peakTxMemory / 2 ** 20).toFixed(1)} MiB): ${(error as Error).message}`,
              { cause: error },
            );
          }
          const record = result.records[0]!;
          const n = neo4j.integer.toNumber(record.get('rows') as number);
          const k = neo4j.integer.toNumber(record.get('links') as number);
          if (n !== (params.rows as unknown[]).length || k !== expectedLinks)
            throw new Error(
              `batch ${b}: ${n} rows, ${k} links written; expected ${(params.rows as unknown[]).length}, ${expectedLinks}`,
            );
          rows += n;
          links += k;
        }
      } finally {
        await session.close();
      }
    };
    // The writes' transaction memory, sampled from another session (SHOW TRANSACTIONS) every 250 ms.
    let watching = true;
    const watcher = (async () => {
      const session = driver.session({ defaultAccessMode: neo4j.session.READ });
      try {
        while (watching) {
          const r = await session
            .run(
              `SHOW TRANSACTIONS YIELD currentQuery, estimatedUsedHeapMemory
             WHERE currentQuery CONTAINS '// uhriFloor' RETURN max(estimatedUsedHeapMemory) AS m`,
            )
            .catch(() => ({ records: [] as { get: (k: string) => unknown }[] }));
          const m = r.records[0]?.get('m') as number | null;
          if (m !== null && m !== undefined) peakTxMemory = Math.max(peakTxMemory, neo4j.integer.toNumber(m));
          await sleep(250);
        }
      } finally {
        await session.close();
      }
    })();
    try {
      await Promise.all(Array.from({ length: options.concurrency }, worker));
    } finally {
      watching = false;
      await watcher;
    }
    const t1 = process.hrtime.bigint();
    const wallS = Number(t1 - t0) / 1e9;
    const cpu1 = cpuSeconds(server.pid);
    const neo4jCpuS = cpu1 - cpu0;
    const m = mid ?? { cpu: cpu0, t: t0, rows: 0 };
    const halfRows = rows - m.rows;
    const clientCpuS = ownCpu() - own0;
    const result: Result = {
      variant: v,
      batch: options.batch,
      concurrency: options.concurrency,
      labels: options.labels,
      shape: options.bareLinks ? `${options.shape}, bare row links` : options.shape,
      rows,
      links,
      wallS: Number(wallS.toFixed(2)),
      rowsPerS: Math.round(rows / wallS),
      neo4jCpuS: Number(neo4jCpuS.toFixed(2)),
      neo4jCpuMsPerRow: Number(((neo4jCpuS * 1000) / rows).toFixed(3)),
      clientCpuS: Number(clientCpuS.toFixed(2)),
      clientCpuMsPerRow: Number(((clientCpuS * 1000) / rows).toFixed(3)),
      idleNeo4jCpuPerS: Number(idlePerS.toFixed(3)),
      peakTxMemoryMiB: Number((peakTxMemory / 2 ** 20).toFixed(1)),
      secondHalfRowsPerS: Math.round(halfRows / (Number(t1 - m.t) / 1e9)),
      secondHalfNeo4jCpuMsPerRow: Number((((cpu1 - m.cpu) * 1000) / halfRows).toFixed(3)),
      loadBefore,
      loadAfter: load(),
    };
    if (v === 'V2ft') {
      const p0 = cpuSeconds(server.pid);
      const w0 = process.hrtime.bigint();
      await run(driver, fulltext.cypher);
      await run(driver, 'CALL db.awaitIndexes(600)');
      result.populateWallS = Number((Number(process.hrtime.bigint() - w0) / 1e9).toFixed(2));
      result.populateCpuS = Number((cpuSeconds(server.pid) - p0).toFixed(2));
      result.loadAfter = load();
    }
    const count = await run(driver, 'MATCH (n:TextVersion) RETURN count(n) AS n');
    log(`  (TextVersion nodes afterwards: ${neo4j.integer.toNumber(count.records[0]!.get('n') as number)})`);
    return result;
  } finally {
    await driver.close();
    await server.stop();
  }
}

async function main(): Promise<void> {
  log(`options ${JSON.stringify(options)}; load ${load()}`);
  const t = Date.now();
  const built = buildRows();
  log(
    `built ${built.rows.length} rows in ${((Date.now() - t) / 1000).toFixed(1)} s: ${built.concernCount} inferred CONCERNS ` +
      `(${(built.concernCount / built.rows.length).toFixed(2)} a row; ${[...built.byInference].map(([k, n]) => `${k} ${n}`).join(', ')}), ` +
      `${built.concernProps.length} distinct property sets`,
  );
  await ensureSnapshot();
  for (const v of options.variants) {
    log(`variant ${v}, batch ${options.batch}, concurrency ${options.concurrency}, labels ${options.labels}`);
    try {
      const result = await runVariant(v, built);
      log(`RESULT ${JSON.stringify(result)}`);
    } catch (error) {
      log(`FAILED ${v} batch ${options.batch}: ${(error as Error).message}`);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
