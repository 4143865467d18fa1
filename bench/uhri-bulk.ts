/**
 * Would an offline bulk load reach issue 11's 5,000 rows/s? Measures the route the transactional import
 * cannot take (bench/results/uhri-floor-2026-12-02.md): Neo4j's own `neo4j-admin database import full`
 * writing a UHRI file's rows, then the schema, the full-text population and the curated corpus on top.
 *
 *   npx tsx bench/uhri-bulk.ts FILE [--name bulk] [--port 7796] [--heap 512m] [--keep]
 *
 * Steps, each timed (wall, and CPU of this process or of the JVM):
 *   1. prepare: the importer's reader and mapper on FILE, the writer's own row shapes
 *      (`UhriGraphWriter.recommendationRow`, `concernRow`), the inference rules (CONCERNS per paragraph,
 *      REITERATES per state and committee), written as neo4j-admin CSV files;
 *   2. admin import: `neo4j-admin database import full` into a scratch instance's database (stopped);
 *   3. start, then the project's schema (seed/schema-statements.ts and the importer's) and
 *      `db.awaitIndexes()`: the range and full-text indexes are populated here, for every row at once;
 *   4. the curated corpus loaded on top with seed/loader.ts (as "reload the corpus after an import" does).
 *
 * This is a measurement of the route, not an importer: it writes the rows' nodes and links with the
 * importer's properties, but the shared nodes (states, documents, tags, the Source) with only the
 * properties the links need, no claims, no kept rows, and it builds a new database rather than adding
 * to one (Community's import writes only a whole database). Nothing here touches another instance.
 */
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { spawn } from 'node:child_process';
import neo4j from 'neo4j-driver';
import { readCorpus, DEFAULT_CORPUS_DIR } from '../seed/corpus';
import { loadCorpus } from '../seed/loader';
import { SCHEMA_STATEMENTS } from '../seed/schema-statements';
import { OWNER_TEXT } from '../src/graph/vocabulary';
import { parseUhriExport } from '../src/modules/uhri';
import { UhriGraphWriter, concernRow, recordDigest, uhriSource } from '../src/modules/uhri/graph-writer';
import { inferConcerns, inferParagraphsOf, inferReiterations, type InferParagraph } from '../src/modules/uhri/infer';
import { javaExecutable, localNeo4jPaths, startLocalNeo4j } from '../tools/local-neo4j/local-neo4j';

const PROJECT_ROOT = resolve(__dirname, '..');

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

const file = process.argv[2];
if (!file || file.startsWith('--'))
  throw new Error('usage: npx tsx bench/uhri-bulk.ts FILE [--name bulk] [--port 7796]');
const options = {
  name: argument('name') ?? 'bulk',
  port: Number(argument('port') ?? 7796),
  heap: argument('heap') ?? '512m',
  keep: process.argv.includes('--keep'),
  /** Step 1 alone, into --out (for profiling the CSV writing). */
  prepareOnly: argument('prepare-only'),
};

const log = (line: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
const ownCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
/** utime + stime (and of waited-for children) of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

// ---------------------------------------------------------------------------------------------------
// neo4j-admin CSV (header types: https://neo4j.com/docs/operations-manual/5/tools/neo4j-admin/neo4j-admin-import/)

type Kind = 'string' | 'long' | 'double' | 'boolean' | 'string[]';
type Columns = readonly (readonly [name: string, kind: Kind])[];

// Written here rather than with csv-stringify or the exports' csvLines: neo4j-admin's fields differ from a
// spreadsheet's (typed columns, arrays joined by ';', no formula guard), and 4.7 million lines are written.
const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
/** A property's CSV field: the row shapes hold strings, numbers, booleans, neo4j Integers and string arrays. */
function cell(value: unknown, kind: Kind): string {
  if (value === null || value === undefined) return '';
  if (kind === 'string[]') return quote((value as string[]).join(';'));
  if (neo4j.isInt(value)) return value.toString();
  const scalar = value as string | number | boolean;
  return kind === 'string' ? quote(String(scalar)) : String(scalar);
}

class CsvFile {
  private readonly out: WriteStream;
  rows = 0;
  constructor(
    readonly path: string,
    head: string[],
    private readonly columns: Columns,
  ) {
    this.out = createWriteStream(path);
    const typed = columns.map(([name, kind]) => (kind === 'string' ? name : `${name}:${kind}`));
    this.out.write(`${[...head, ...typed].join(',')}\n`);
  }
  /** A row's links share one property object: it is serialised once. */
  private readonly cache = new WeakMap<object, string>();
  private serialized(props: Record<string, unknown>): string {
    let out = this.cache.get(props);
    if (out === undefined) {
      out = '';
      for (const [name, kind] of this.columns) out += `${cell(props[name], kind)},`;
      this.cache.set(props, out);
    }
    return out;
  }
  private buffer: string[] = [];
  private buffered = 0;
  /** `fixed` fills the head columns (ids, label, type); `props` the typed ones. Lines go out in ~1 MiB chunks. */
  async add(fixed: string[], props: Record<string, unknown>): Promise<void> {
    this.rows += 1;
    let line = '';
    for (const value of fixed) line += `${quote(value)},`;
    line += this.serialized(props);
    this.buffer.push(line.slice(0, -1));
    this.buffered += line.length;
    if (this.buffered > 1 << 20) await this.flush();
  }
  private async flush(): Promise<void> {
    const chunk = `${this.buffer.join('\n')}\n`;
    this.buffer = [];
    this.buffered = 0;
    if (!this.out.write(chunk)) await new Promise<void>((r) => this.out.once('drain', () => r()));
  }
  async close(): Promise<void> {
    if (this.buffer.length > 0) await this.flush();
    await new Promise<void>((r) => this.out.end(() => r()));
  }
}

/** The provenance every link carries (docs/model.md, "Provenance of links"). */
const PROVENANCE: Columns = [
  ['sourceIds', 'string[]'],
  ['locators', 'string[]'],
  ['verification', 'string'],
  ['basis', 'string'],
  ['sourcesInherited', 'boolean'],
  ['verificationInherited', 'boolean'],
  ['origin', 'string'],
];
/** A row's link to a shared node: provenance inherited from the row. */
const LINK: Columns = [...PROVENANCE, ['inheritedFrom', 'string']];
/** An inferred CONCERNS or REITERATES link. */
const INFERRED: Columns = [
  ...PROVENANCE,
  ['inference', 'string'],
  ['evidence', 'string'],
  ['similarity', 'double'],
  ['note', 'string'],
];

// ---------------------------------------------------------------------------------------------------
// 1. prepare

interface Prepared {
  dir: string;
  nodeFiles: string[];
  relFiles: string[];
  rows: number;
  nodes: number;
  relationships: number;
  concerns: number;
  reiterations: number;
}

async function prepare(dir: string): Promise<Prepared> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const source = uhriSource(basename(file!), '2026-12-02');
  const writer = new UhriGraphWriter(source);
  const f = (name: string) => join(dir, name);
  const recs = new CsvFile(
    f('recommendations.csv'),
    ['id:ID', ':LABEL'],
    [
      ['documentId', 'string'],
      ['documentSymbol', 'string'],
      ['documentDate', 'string'],
      ['cycle', 'string'],
      ['year', 'long'],
      ['stateId', 'string'],
      ['paragraph', 'long'],
      ['kind', 'string'],
      ['verification', 'string'],
      ['note', 'string'],
      ['origin', 'string'],
    ],
  );
  const texts = new CsvFile(
    f('texts.csv'),
    ['id:ID', ':LABEL'],
    [
      ['ownerId', 'string'],
      ['ownerLabel', 'string'],
      ['language', 'string'],
      ['text', 'string'],
      ['searchText', 'string'],
      ['status', 'string'],
      ['truncated', 'boolean'],
      ['position', 'long'],
      ['origin', 'string'],
    ],
  );
  const shared = new CsvFile(f('shared.csv'), ['id:ID', ':LABEL'], [['origin', 'string']]);
  const hasText = new CsvFile(f('has-text.csv'), [':START_ID', ':END_ID', ':TYPE'], [['origin', 'string']]);
  const sourced = new CsvFile(
    f('sourced-from.csv'),
    [':START_ID', ':END_ID', ':TYPE'],
    [
      ['locator', 'string'],
      ['position', 'long'],
      ['digest', 'string'],
      ['origin', 'string'],
    ],
  );
  const links = new CsvFile(f('row-links.csv'), [':START_ID', ':END_ID', ':TYPE'], LINK);
  const inferred = new CsvFile(f('inferred.csv'), [':START_ID', ':END_ID', ':TYPE'], INFERRED);

  const seen = new Set<string>();
  const sharedNode = async (id: string, labels: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    await shared.add([id, labels], { origin: 'UHRI' });
  };
  await sharedNode(source.id, 'Entity;Source');
  const byState = new Map<string, InferParagraph[]>();
  let rows = 0;
  let concerns = 0;
  for await (const event of parseUhriExport(file!)) {
    if (event.kind !== 'record') continue;
    const record = event.record;
    rows += 1;
    const row = writer.recommendationRow(record);
    const id = row.props.id as string;
    await recs.add([id, 'Entity;Recommendation'], row.props);
    await texts.add([row.text.id, `Entity;TextVersion;${OWNER_TEXT.Recommendation.label}`], row.text);
    await hasText.add([id, row.text.id, 'HAS_TEXT'], { origin: 'UHRI' });
    await sourced.add([row.text.id, source.id, 'SOURCED_FROM'], { locator: row.locator, position: 1, origin: 'UHRI' });
    await sourced.add([id, source.id, 'SOURCED_FROM'], {
      locator: row.locator,
      position: 1000,
      digest: recordDigest(record),
      origin: 'UHRI',
    });
    await sharedNode(row.documentId, 'Entity;Document');
    await links.add([id, row.documentId, 'ISSUED_IN'], row.links);
    for (const [list, type, label] of [
      [row.states, 'ADDRESSED_TO', 'State'],
      [row.themes, 'HAS_THEME', 'Theme'],
      [row.groups, 'AFFECTS', 'AffectedGroup'],
      [row.sdgs, 'SDG_TARGET', 'SdgTarget'],
    ] as const) {
      for (const target of list) {
        await sharedNode(target, `Entity;${label}`);
        await links.add([id, target, type], row.links);
      }
    }
    for (const paragraph of inferParagraphsOf(record)) {
      for (const concern of inferConcerns(paragraph)) {
        const c = concernRow(concern);
        await sharedNode(c.to, 'Entity;TreatyArticle');
        await inferred.add([c.from, c.to, 'CONCERNS'], c.props);
        concerns += 1;
      }
      const list = byState.get(paragraph.stateId) ?? [];
      list.push(paragraph);
      byState.set(paragraph.stateId, list);
    }
  }
  let reiterations = 0;
  for (const paragraphs of byState.values()) {
    for (const r of inferReiterations(paragraphs)) {
      await inferred.add([r.fromId, r.toId, 'REITERATES'], {
        sourceIds: [],
        locators: [],
        verification: 'UNVERIFIED',
        basis: 'INFERRED',
        sourcesInherited: false,
        verificationInherited: false,
        origin: 'INFERRED',
        inference: r.inference,
        evidence: r.evidence,
        similarity: r.inference === 'TEXT_SIMILARITY' ? r.similarity : null,
        note: 'Inferred from near-identical texts in consecutive cycles.',
      });
      reiterations += 1;
    }
  }
  const nodeFiles = [recs, texts, shared];
  const relFiles = [hasText, sourced, links, inferred];
  for (const c of [...nodeFiles, ...relFiles]) await c.close();
  return {
    dir,
    nodeFiles: nodeFiles.map((c) => c.path),
    relFiles: relFiles.map((c) => c.path),
    rows,
    nodes: nodeFiles.reduce((s, c) => s + c.rows, 0),
    relationships: relFiles.reduce((s, c) => s + c.rows, 0),
    concerns,
    reiterations,
  };
}

// ---------------------------------------------------------------------------------------------------
// 2. neo4j-admin database import full

function adminImport(prepared: Prepared): Promise<{ cpu: number; output: string }> {
  const paths = localNeo4jPaths(PROJECT_ROOT, options.name);
  const args = [
    `-Xmx${options.heap}`,
    '-cp',
    `${paths.libDir}/*`,
    'org.neo4j.cli.AdminTool',
    'database',
    'import',
    'full',
    ...prepared.nodeFiles.map((p) => `--nodes=${p}`),
    ...prepared.relFiles.map((p) => `--relationships=${p}`),
    '--multiline-fields=true',
    '--overwrite-destination=true',
    '--threads=2',
    // Otherwise it writes import.report into the working directory.
    `--report-file=${join(prepared.dir, 'import.report')}`,
    'neo4j',
  ];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(javaExecutable(), args, {
      env: { ...process.env, NEO4J_HOME: paths.instanceDir, NEO4J_CONF: paths.confDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let cpu = 0;
    const sample = setInterval(() => {
      try {
        cpu = cpuSeconds(child.pid!);
      } catch {
        /* exited */
      }
    }, 200);
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => {
      clearInterval(sample);
      if (code === 0) resolvePromise({ cpu, output });
      else reject(new Error(`neo4j-admin import exited ${code}:\n${output.slice(-3000)}`));
    });
  });
}

// ---------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (options.prepareOnly) {
    const started = Date.now();
    const p = await prepare(options.prepareOnly);
    log(
      `prepared ${p.rows} rows, ${p.nodes} nodes, ${p.relationships} relationships in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return;
  }
  log(`file ${file}; instance "${options.name}" on port ${options.port}, heap ${options.heap}; load ${load()}`);
  const figures: string[] = [];
  const step = (name: string, wall: number, cpu: string) => {
    const line = `${name}: ${(wall / 1000).toFixed(1)} s wall, ${cpu}; load ${load()}`;
    figures.push(line);
    log(line);
  };

  // A fresh instance: started once so that its conf and folders exist, then stopped for the import.
  const first = await startLocalNeo4j({
    projectRoot: PROJECT_ROOT,
    instanceName: options.name,
    boltPort: options.port,
    fresh: true,
    heapSize: options.heap,
    log: (m) => log(`[neo4j] ${m}`),
  });
  await first.stop();

  const total = Date.now();
  let t = Date.now();
  const c = ownCpu();
  const prepared = await prepare(join(localNeo4jPaths(PROJECT_ROOT, options.name).instanceDir, 'bulk-csv'));
  step(
    `1 prepare (read, map, infer, write CSV): ${prepared.rows} rows, ${prepared.nodes} nodes, ${prepared.relationships} relationships (${prepared.concerns} CONCERNS, ${prepared.reiterations} REITERATES)`,
    Date.now() - t,
    `${(ownCpu() - c).toFixed(1)} s CPU (this process), peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`,
  );

  t = Date.now();
  const imported = await adminImport(prepared);
  const done = /IMPORT DONE in ([^\n]+)/.exec(imported.output)?.[1]?.trim();
  const peak = /Peak memory usage: ([^\n]+)/.exec(imported.output)?.[1]?.trim();
  step(
    '2 neo4j-admin import',
    Date.now() - t,
    `${imported.cpu.toFixed(1)} s CPU (its JVM); it says ${done}, peak ${peak}`,
  );

  t = Date.now();
  const server = await startLocalNeo4j({
    projectRoot: PROJECT_ROOT,
    instanceName: options.name,
    boltPort: options.port,
    heapSize: options.heap,
    log: (m) => log(`[neo4j] ${m}`),
  });
  const cpu0 = cpuSeconds(server.pid);
  step('3a start on the imported store', Date.now() - t, `${cpu0.toFixed(1)} s CPU (Neo4j)`);
  const driver = neo4j.driver(server.uri, neo4j.auth.basic('neo4j', ''));
  try {
    t = Date.now();
    const session = driver.session();
    try {
      for (const statement of [...SCHEMA_STATEMENTS.map((s) => s.cypher), ...UhriGraphWriter.schemaStatements()])
        await session.run(statement);
      await session.run('CALL db.awaitIndexes(3600)');
    } finally {
      await session.close();
    }
    const cpu1 = cpuSeconds(server.pid);
    step('3b schema and index population', Date.now() - t, `${(cpu1 - cpu0).toFixed(1)} s CPU (Neo4j)`);

    t = Date.now();
    const report = await loadCorpus(driver, await readCorpus(DEFAULT_CORPUS_DIR), { log: () => undefined });
    const cpu2 = cpuSeconds(server.pid);
    step(
      `4 curated corpus on top (${report.nodeCount} corpus nodes)`,
      Date.now() - t,
      `${(cpu2 - cpu1).toFixed(1)} s CPU (Neo4j)`,
    );

    const wall = Date.now() - total;
    const counts = await driver.executeQuery(
      'MATCH (r:Recommendation) WITH count(r) AS recs MATCH ()-[c:CONCERNS]->() RETURN recs, count(c) AS concerns',
    );
    const row = counts.records[0]!;
    log(
      `graph: ${String(row.get('recs'))} recommendations, ${String(row.get('concerns'))} CONCERNS; Neo4j VmHWM ${/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1]} kB`,
    );
    log(
      `total ${(wall / 1000).toFixed(1)} s for ${prepared.rows} rows: ${Math.round(prepared.rows / (wall / 1000))} rows/s (steps 1 to 4 in sequence; the first Neo4j start excluded)`,
    );
  } finally {
    await driver.close();
    await server.stop();
    if (!options.keep)
      await rm(localNeo4jPaths(PROJECT_ROOT, options.name).instanceDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
