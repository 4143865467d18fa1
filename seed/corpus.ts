/**
 * Reads the corpus (every *.yaml under a folder), validates each file against corpus-schema.ts, and then
 * checks what no single file can show: that ids are unique across files, that every reference resolves
 * to an entry of the right kind, that ids are built from the official identifiers they stand for, and
 * the consistency rules stated in the schema's comments. No database here: the loader only ever writes
 * a corpus this module has accepted, so a bad file stops a load before anything is written.
 *
 * Every problem is reported with the file (and line), the entry (its id, or `section[index]` when it
 * has no valid id) and the field path, and all problems are collected before one error is thrown, so an
 * editor fixes a whole batch at once instead of one per run.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { isNode, LineCounter, parseDocument, type Document as YamlDocument } from 'yaml';
import type { z } from 'zod';
import {
  AnswerEntry,
  BodyEntry,
  DocumentEntry,
  FindingEntry,
  Ids,
  LegalInstrumentEntry,
  MechanismEntry,
  ProvisionEntry,
  RecommendationEntry,
  SourceEntry,
  StateEntry,
  StatisticEntry,
  ThemeEntry,
  TreatyActionEntry,
  TreatyArticleEntry,
  TreatyEntry,
  type Citation,
  type Claim,
  type CorpusFile,
  type LinkBasisValue,
  type VerificationStatus,
} from './corpus-schema';

/**
 * Part of every corpus version: bump it whenever loader.ts changes the shape of the graph (labels,
 * relationship types, properties), so that a server holding a graph of the old shape reloads the same
 * data files.
 */
export const LOADER_VERSION = 5;

/** The project's corpus: seed/data beside this file (never relative to the working directory). */
export const DEFAULT_CORPUS_DIR = resolve(__dirname, 'data');

// ---------------------------------------------------------------- sections and kinds

/** The schema of one entry of each top-level section; `satisfies` keeps this in step with CorpusFile. */
const SECTION_SCHEMAS = {
  sources: SourceEntry,
  themes: ThemeEntry,
  treaties: TreatyEntry,
  states: StateEntry,
  treatyActions: TreatyActionEntry,
  legalInstruments: LegalInstrumentEntry,
  bodies: BodyEntry,
  mechanisms: MechanismEntry,
  documents: DocumentEntry,
  recommendations: RecommendationEntry,
  answers: AnswerEntry,
  statistics: StatisticEntry,
  findings: FindingEntry,
} satisfies { [K in keyof CorpusFile]-?: z.ZodType<NonNullable<CorpusFile[K]>[number]> };

export type SectionName = keyof typeof SECTION_SCHEMAS;
export const SECTION_NAMES = Object.keys(SECTION_SCHEMAS) as SectionName[];

/** The kinds of entries that have ids (answers have none); treaty articles and provisions are nested. */
export const ENTRY_KINDS = [
  'source',
  'theme',
  'treaty',
  'treatyArticle',
  'state',
  'treatyAction',
  'legalInstrument',
  'provision',
  'body',
  'mechanism',
  'document',
  'recommendation',
  'statistic',
  'finding',
] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

const SECTION_KIND: Record<SectionName, EntryKind | undefined> = {
  sources: 'source',
  themes: 'theme',
  treaties: 'treaty',
  states: 'state',
  treatyActions: 'treatyAction',
  legalInstruments: 'legalInstrument',
  bodies: 'body',
  mechanisms: 'mechanism',
  documents: 'document',
  recommendations: 'recommendation',
  answers: undefined,
  statistics: 'statistic',
  findings: 'finding',
};

/** Entries nested in another section's entries: treaties hold articles, legal instruments hold provisions. */
const NESTED: Partial<Record<SectionName, { field: 'articles' | 'provisions'; kind: EntryKind }>> = {
  treaties: { field: 'articles', kind: 'treatyArticle' },
  legalInstruments: { field: 'provisions', kind: 'provision' },
};

const KIND_SCHEMAS: Record<EntryKind, { shape: Record<string, unknown> }> = {
  source: SourceEntry,
  theme: ThemeEntry,
  treaty: TreatyEntry,
  treatyArticle: TreatyArticleEntry,
  state: StateEntry,
  treatyAction: TreatyActionEntry,
  legalInstrument: LegalInstrumentEntry,
  provision: ProvisionEntry,
  body: BodyEntry,
  mechanism: MechanismEntry,
  document: DocumentEntry,
  recommendation: RecommendationEntry,
  statistic: StatisticEntry,
  finding: FindingEntry,
};

const KIND_NAMES: Record<EntryKind, string> = {
  source: 'source',
  theme: 'theme',
  treaty: 'treaty',
  treatyArticle: 'treaty article',
  state: 'state',
  treatyAction: 'treaty action',
  legalInstrument: 'legal instrument',
  provision: 'provision',
  body: 'body',
  mechanism: 'mechanism',
  document: 'document',
  recommendation: 'recommendation',
  statistic: 'statistic',
  finding: 'finding',
};

// ---------------------------------------------------------------- the result

type SectionEntry<K extends SectionName> = NonNullable<CorpusFile[K]>[number];
export type CorpusSections = { [K in SectionName]: Array<SectionEntry<K>> };

/** Where an entry is written. */
export interface EntryOrigin {
  /** Path of the file relative to the corpus folder, with `/` separators. */
  file: string;
  line: number | undefined;
  /** Its place in the file, e.g. `treaties[0].articles[18]`. */
  path: string;
}

/** A validated corpus: each section concatenated across files, in file order then entry order. */
export interface Corpus extends CorpusSections {
  /** sha256 over LOADER_VERSION and the sorted relative paths and contents of the files. */
  version: string;
  /** The folder it was read from (absolute), or '' for a corpus built in memory. */
  dir: string;
  /** The files read, relative to `dir`, sorted. */
  files: string[];
  /** Where each id is written, for messages. */
  origins: ReadonlyMap<string, EntryOrigin>;
}

/** One problem: the file (and line), the entry, the field path within the entry, and what is wrong. */
export interface CorpusIssue {
  file: string;
  line?: number;
  /** The entry's id, or its section and index (`answers[3]`) when it has no valid id; `(file)` for file-level problems. */
  entry: string;
  /** Path of the field within the entry, e.g. `texts[0].language`; `(entry)` for the entry as a whole. */
  field: string;
  message: string;
}

export function formatIssue(issue: CorpusIssue): string {
  return `${issue.file}${issue.line !== undefined ? `:${issue.line}` : ''}: ${issue.entry}: ${issue.field}: ${issue.message}`;
}

/** Thrown with every problem found; the message is the list, one problem per line. */
export class CorpusValidationError extends Error {
  readonly lines: string[];

  constructor(readonly issues: CorpusIssue[]) {
    const lines = issues.map(formatIssue);
    super(lines.join('\n'));
    this.name = 'CorpusValidationError';
    this.lines = lines;
  }
}

/** A corpus file's path (relative to the corpus folder, `/`-separated) and its content. */
export interface CorpusSourceFile {
  path: string;
  content: string | Buffer;
}

// ---------------------------------------------------------------- reading

/** Reads every *.yaml under `dir` (recursively, sorted by path), validates it all, and returns the corpus. */
export async function readCorpus(dir: string): Promise<Corpus> {
  const root = resolve(dir);
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new CorpusValidationError([
      { file: root, entry: '(corpus)', field: '(folder)', message: 'the corpus folder does not exist' },
    ]);
  }
  const paths = await listFiles(root);
  const files = await Promise.all(
    paths.map(async (path) => ({ path, content: await readFile(join(root, ...path.split('/'))) })),
  );
  return parseCorpus(files, root);
}

/** Relative paths (with `/`) of every file under root, skipping hidden files and folders (editor backups, .git). */
async function listFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    for (const item of await readdir(folder, { withFileTypes: true })) {
      if (item.name.startsWith('.')) continue;
      const full = join(folder, item.name);
      const kind = item.isSymbolicLink() ? await stat(full).catch(() => undefined) : item;
      if (kind?.isDirectory()) await walk(full);
      else if (kind?.isFile() && /\.ya?ml$/i.test(item.name)) found.push(relative(root, full).split(sep).join('/'));
    }
  };
  await walk(root);
  return found.sort(comparePaths);
}

function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The corpus version: sha256 over LOADER_VERSION and each file's relative path and bytes, in path order. */
export function computeCorpusVersion(files: readonly CorpusSourceFile[]): string {
  const hash = createHash('sha256');
  hash.update(`child-rights-graph loader ${LOADER_VERSION}\n`);
  for (const file of [...files].sort((a, b) => comparePaths(a.path, b.path))) {
    const bytes = typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content;
    // Length-prefixed, so that no two different file sets hash the same byte stream.
    hash.update(`${file.path}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}

/** Validates files already in memory (paths relative to the corpus folder); throws CorpusValidationError. */
export function parseCorpus(files: readonly CorpusSourceFile[], dir = ''): Corpus {
  const sorted = [...files].sort((a, b) => comparePaths(a.path, b.path));
  const issues = new IssueList();
  const read = emptyReadSections();
  const unreadableIds = new Set<string>();

  if (sorted.length === 0) {
    issues.push({
      file: dir || '.',
      entry: '(corpus)',
      field: '(files)',
      message: 'no *.yaml files found: the corpus is empty',
    });
  }
  for (const file of sorted) {
    if (!file.path.endsWith('.yaml')) {
      issues.push({
        file: file.path,
        entry: '(file)',
        field: '(name)',
        message: 'corpus files must end in .yaml (this one would be ignored)',
      });
      continue;
    }
    readOneFile(file, read, issues, unreadableIds);
  }

  const origins = new CrossFileChecks(read, issues, unreadableIds).run();
  if (issues.length > 0) throw new CorpusValidationError(issues.sorted());

  const sections = Object.fromEntries(
    SECTION_NAMES.map((name) => [name, read[name].map((item) => item.entry)]),
  ) as CorpusSections;
  return {
    ...sections,
    version: computeCorpusVersion(sorted),
    dir,
    files: sorted.map((file) => file.path),
    origins,
  };
}

/** How many entries of each kind (answers included) the corpus holds. */
export function countCorpus(corpus: CorpusSections): Record<EntryKind | 'answer', number> {
  return {
    source: corpus.sources.length,
    theme: corpus.themes.length,
    treaty: corpus.treaties.length,
    treatyArticle: corpus.treaties.reduce((sum, treaty) => sum + treaty.articles.length, 0),
    state: corpus.states.length,
    treatyAction: corpus.treatyActions.length,
    legalInstrument: corpus.legalInstruments.length,
    provision: corpus.legalInstruments.reduce((sum, instrument) => sum + (instrument.provisions?.length ?? 0), 0),
    body: corpus.bodies.length,
    mechanism: corpus.mechanisms.length,
    document: corpus.documents.length,
    recommendation: corpus.recommendations.length,
    answer: corpus.answers.length,
    statistic: corpus.statistics.length,
    finding: corpus.findings.length,
  };
}

/** "12 sources, 54 treaty articles, …" for messages. */
export function describeCounts(counts: Record<EntryKind | 'answer', number>): string {
  const plural: Record<EntryKind | 'answer', string> = {
    source: 'sources',
    theme: 'themes',
    treaty: 'treaties',
    treatyArticle: 'treaty articles',
    state: 'states',
    treatyAction: 'treaty actions',
    legalInstrument: 'legal instruments',
    provision: 'provisions',
    body: 'bodies',
    mechanism: 'mechanisms',
    document: 'documents',
    recommendation: 'recommendations',
    answer: 'answers',
    statistic: 'statistics',
    finding: 'findings',
  };
  return (Object.keys(plural) as Array<EntryKind | 'answer'>)
    .map((kind) => `${counts[kind]} ${plural[kind]}`)
    .join(', ');
}

// ---------------------------------------------------------------- per-file reading and schema validation

type PathSegment = string | number;

interface FileContext {
  path: string;
  doc: YamlDocument.Parsed;
  lines: LineCounter;
}

/** An entry as read: its parsed value, how to name it in messages, and where it is in its file. */
interface EntryContext {
  file: FileContext;
  label: string;
  /** Path from the file's root to the entry, e.g. ['treaties', 0, 'articles', 18]. */
  yamlPath: PathSegment[];
}

interface ReadEntry<T> {
  entry: T;
  ctx: EntryContext;
}

type ReadSections = { [K in SectionName]: Array<ReadEntry<SectionEntry<K>>> };

function emptyReadSections(): ReadSections {
  return Object.fromEntries(SECTION_NAMES.map((name) => [name, []])) as unknown as ReadSections;
}

class IssueList {
  private readonly items: CorpusIssue[] = [];

  get length(): number {
    return this.items.length;
  }

  push(issue: CorpusIssue): void {
    this.items.push(issue);
  }

  /** A problem with a field of an entry; the line is that of the field (or of its nearest written parent). */
  at(ctx: EntryContext, field: PathSegment[], message: string): void {
    this.items.push({
      file: ctx.file.path,
      line: lineOf(ctx.file, [...ctx.yamlPath, ...field]),
      entry: ctx.label,
      field: formatField(field),
      message,
    });
  }

  /** By file, then line; problems on the same line keep the order they were found in. */
  sorted(): CorpusIssue[] {
    return this.items
      .map((issue, index) => ({ issue, index }))
      .sort(
        (a, b) =>
          comparePaths(a.issue.file, b.issue.file) || (a.issue.line ?? 0) - (b.issue.line ?? 0) || a.index - b.index,
      )
      .map(({ issue }) => issue);
  }
}

function formatField(path: readonly PathSegment[]): string {
  if (path.length === 0) return '(entry)';
  return path
    .map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`))
    .join('');
}

function lineOf(file: FileContext, path: readonly PathSegment[]): number | undefined {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = depth === 0 ? file.doc.contents : file.doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return file.lines.linePos(node.range[0]).line;
  }
  return undefined;
}

function readOneFile(file: CorpusSourceFile, read: ReadSections, issues: IssueList, unreadableIds: Set<string>): void {
  const text = typeof file.content === 'string' ? file.content : file.content.toString('utf8');
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  const fileIssue = (message: string, line?: number, field = '(file)') =>
    issues.push({ file: file.path, line, entry: '(file)', field, message });

  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      // yaml appends "at line L, column C:" and a code excerpt; the line goes into the issue instead.
      const message = error.message.replace(/ at line \d+, column \d+:[\s\S]*$/, '');
      const position = error.linePos?.[0];
      fileIssue(
        `YAML syntax error${position ? ` at column ${position.col}` : ''}: ${message}`,
        position?.line,
        '(yaml)',
      );
    }
    // Ids written in the unreadable file are not reported again as dangling wherever they are referenced.
    for (const match of text.matchAll(/^[\s-]*id:\s*['"]?([^'"\s#]+)/gm)) if (match[1]) unreadableIds.add(match[1]);
    return;
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    fileIssue(`cannot be read: ${error instanceof Error ? error.message : String(error)}`, 1, '(yaml)');
    return;
  }
  const context: FileContext = { path: file.path, doc, lines };
  if (data === null || data === undefined) {
    fileIssue(`holds no data: expected a mapping with sections such as ${SECTION_NAMES.slice(0, 4).join(', ')}`, 1);
    return;
  }
  if (!isPlainObject(data)) {
    fileIssue(`must be a mapping of sections (${SECTION_NAMES.join(', ')}), not ${describeValue(data)}`, 1);
    return;
  }

  for (const [key, value] of Object.entries(data)) {
    const line = lineOf(context, [key]);
    if (!(SECTION_NAMES as string[]).includes(key)) {
      fileIssue(`unknown section "${key}"; the sections are ${SECTION_NAMES.join(', ')}`, line, key);
      continue;
    }
    const section = key as SectionName;
    if (!Array.isArray(value)) {
      issues.push({
        file: file.path,
        line,
        entry: section,
        field: '(section)',
        message: `must be a list of entries${value === null ? ' (it is empty: write [] or remove the section)' : `, not ${describeValue(value)}`}`,
      });
      continue;
    }
    value.forEach((raw, index) => readEntry(context, section, index, raw, read, issues, unreadableIds));
  }
}

function readEntry(
  file: FileContext,
  section: SectionName,
  index: number,
  raw: unknown,
  read: ReadSections,
  issues: IssueList,
  unreadableIds: Set<string>,
): void {
  const kind = SECTION_KIND[section];
  const ctx: EntryContext = { file, label: labelOf(raw, kind, `${section}[${index}]`), yamlPath: [section, index] };
  const result = SECTION_SCHEMAS[section].safeParse(raw);
  if (result.success) {
    (read[section] as Array<ReadEntry<unknown>>).push({ entry: result.data, ctx });
    return;
  }
  // The entry is left out; its id (and its nested entries' ids) must not then be reported as dangling.
  if (isPlainObject(raw)) {
    if (typeof raw.id === 'string') unreadableIds.add(raw.id);
    const nested = NESTED[section];
    const children = nested ? raw[nested.field] : undefined;
    if (Array.isArray(children))
      for (const child of children)
        if (isPlainObject(child) && typeof child.id === 'string') unreadableIds.add(child.id);
  }
  for (const issue of result.error.issues) {
    for (const problem of describeZodIssue(issue, raw)) {
      const { entryCtx, field } = locateInEntry(ctx, section, raw, problem.path);
      issues.at(entryCtx, field, problem.message);
    }
  }
}

/** The entry's id when it is a valid id of its kind; otherwise the fallback (`section[index]`). */
function labelOf(raw: unknown, kind: EntryKind | undefined, fallback: string): string {
  if (kind && isPlainObject(raw) && Ids[kind].safeParse(raw.id).success) return raw.id as string;
  return fallback;
}

/** Splits a path within a top-level entry into the (possibly nested) entry it belongs to and the field path in that entry. */
function locateInEntry(
  ctx: EntryContext,
  section: SectionName,
  raw: unknown,
  path: PathSegment[],
): { entryCtx: EntryContext; field: PathSegment[] } {
  const nested = NESTED[section];
  const [first, second] = path;
  if (nested && first === nested.field && typeof second === 'number' && path.length > 2) {
    const child =
      isPlainObject(raw) && Array.isArray(raw[nested.field]) ? (raw[nested.field] as unknown[])[second] : undefined;
    const label = labelOf(child, nested.kind, `${nested.field}[${second}] of ${ctx.label}`);
    return {
      entryCtx: { file: ctx.file, label, yamlPath: [...ctx.yamlPath, nested.field, second] },
      field: path.slice(2),
    };
  }
  return { entryCtx: ctx, field: path };
}

type ZodIssue = z.core.$ZodIssue;

/** Turns a zod issue into messages an editor can act on (what is wrong and what was found). */
function describeZodIssue(issue: ZodIssue, raw: unknown): Array<{ path: PathSegment[]; message: string }> {
  const path = issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
  const value = valueAt(raw, path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        path: [...path, key],
        message: 'unknown field (not in the schema: check its spelling and its indentation)',
      }));
    case 'invalid_type': {
      if (value === undefined) return [{ path, message: `is required (${describeExpected(issue.expected)})` }];
      if (issue.expected === 'string' && typeof value === 'number') {
        return [
          { path, message: `must be a string: write it in quotes ("${value}"), YAML reads ${value} as a number` },
        ];
      }
      return [{ path, message: `must be ${describeExpected(issue.expected)}, not ${describeValue(value)}` }];
    }
    case 'invalid_value':
      if (value === undefined)
        return [{ path, message: `is required (one of ${issue.values.map((v) => String(v)).join(', ')})` }];
      return [
        {
          path,
          message: `must be one of ${issue.values.map((v) => String(v)).join(', ')}; got ${describeValue(value)}`,
        },
      ];
    case 'invalid_format':
      return [{ path, message: `${issue.message}; got ${describeValue(value)}` }];
    case 'too_small':
      if (issue.origin === 'array') return [{ path, message: `must have at least ${String(issue.minimum)} item(s)` }];
      if (issue.origin === 'string') return [{ path, message: 'must not be empty' }];
      return [{ path, message: `${issue.message}; got ${describeValue(value)}` }];
    case 'invalid_union': {
      if (value === undefined) return [{ path, message: 'is required' }];
      const alternatives = issue.errors
        .map((branch) => branch.map((inner) => inner.message).join(', '))
        .filter((m) => m !== '');
      return [
        {
          path,
          message: `matches none of the allowed forms (${alternatives.join('; or ')}); got ${describeValue(value)}`,
        },
      ];
    }
    default:
      return [{ path, message: value === undefined ? issue.message : `${issue.message}; got ${describeValue(value)}` }];
  }
}

function describeExpected(expected: string): string {
  if (expected === 'array') return 'a list';
  if (expected === 'object') return 'a mapping';
  return `a ${expected}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null (empty)';
  if (Array.isArray(value)) return 'a list';
  if (isPlainObject(value)) return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `${typeof value} ${String(value)}`;
  }
  // Nothing else comes out of YAML (every object is a mapping above); should it ever, its type names it.
  return typeof value;
}

function valueAt(raw: unknown, path: readonly PathSegment[]): unknown {
  let current: unknown = raw;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (isPlainObject(current) && typeof segment === 'string') current = current[segment];
    else return undefined;
  }
  return current;
}

/** A value a claim (a string) can state: the entry's field is compared with it as text. */
function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------- checks across files

type TreatyArticle = z.infer<typeof TreatyArticleEntry>;
type Provision = z.infer<typeof ProvisionEntry>;
type Document = z.infer<typeof DocumentEntry>;
type Recommendation = z.infer<typeof RecommendationEntry>;

interface Registered {
  kind: EntryKind;
  ctx: EntryContext;
  entry: { id: string } & Record<string, unknown>;
}

/** The provenance fields every sourced entry has. */
interface SourcedFields {
  id: string;
  sources: Citation[];
  verification: VerificationStatus;
  claims?: Claim[];
}

/** The provenance of a link written inside an entry (inherits the entry's where it gives none). */
interface LinkFields {
  sources?: Citation[];
  verification?: VerificationStatus;
  basis?: LinkBasisValue;
}

/** Source kinds that are primary documents (the treaty, the UN document, the official legal database). */
const PRIMARY_SOURCE_KINDS: ReadonlySet<string> = new Set(['TREATY_TEXT', 'UN_DOCUMENT', 'LEGAL_DATABASE']);

/** The grades a judgement may have: it is never read in a source, so never VERIFIED_PRIMARY (and not a dispute between sources). */
const JUDGEMENT_GRADES: readonly VerificationStatus[] = ['SECONDARY_ONLY', 'UNVERIFIED'];

const DATE_FIELDS = new Set([
  'published',
  'adopted',
  'entryIntoForce',
  'date',
  'enteredIntoForce',
  'established',
  'since',
  'received',
]);

class CrossFileChecks {
  private readonly registry = new Map<string, Registered>();

  constructor(
    private readonly read: ReadSections,
    private readonly issues: IssueList,
    private readonly unreadableIds: ReadonlySet<string>,
  ) {}

  run(): Map<string, EntryOrigin> {
    this.registerAll();
    const r = this.read;
    for (const { entry, ctx } of r.sources) {
      if (entry.document) this.ref(ctx, ['document'], entry.document, ['document']);
      // PRIMARY is what makes a citation vouch for VERIFIED_PRIMARY: only a primary document can be graded so.
      if (entry.reliability === 'PRIMARY' && !PRIMARY_SOURCE_KINDS.has(entry.kind)) {
        this.issues.at(
          ctx,
          ['reliability'],
          `is PRIMARY but the source is a ${entry.kind}: only ${[...PRIMARY_SOURCE_KINDS].join(', ')} sources are primary (a copy elsewhere is SECONDARY)`,
        );
      }
      this.checkDates(ctx, entry);
    }
    for (const { entry, ctx } of r.treaties) this.checkTreaty(entry, ctx);
    for (const { entry, ctx } of r.states) this.checkState(entry, ctx);
    for (const { entry, ctx } of r.treatyActions) this.checkTreatyAction(entry, ctx);
    for (const { entry, ctx } of r.legalInstruments) this.checkLegalInstrument(entry, ctx);
    for (const { entry, ctx } of r.bodies) this.checkBody(entry, ctx);
    for (const { entry, ctx } of r.mechanisms) this.checkMechanism(entry, ctx);
    for (const { entry, ctx } of r.documents) this.checkDocument(entry, ctx);
    for (const { entry, ctx } of r.recommendations) this.checkRecommendation(entry, ctx);
    this.checkAnswers();
    for (const { entry, ctx } of r.statistics) {
      this.checkStateScoped(ctx, entry.id, entry.state);
      this.checkSourced(ctx, 'statistic', entry);
      this.checkAbout(ctx, entry);
    }
    for (const { entry, ctx } of r.findings) {
      this.checkStateScoped(ctx, entry.id, entry.state);
      this.checkSourced(ctx, 'finding', entry);
      this.checkAbout(ctx, entry);
      entry.evidence?.forEach((id, i) => this.ref(ctx, ['evidence', i], id, ['statistic']));
      this.noDuplicates(ctx, ['evidence'], entry.evidence ?? []);
    }

    const origins = new Map<string, EntryOrigin>();
    for (const [id, { ctx }] of this.registry) {
      origins.set(id, { file: ctx.file.path, line: lineOf(ctx.file, ctx.yamlPath), path: formatField(ctx.yamlPath) });
    }
    return origins;
  }

  // ---- ids

  private registerAll(): void {
    for (const section of SECTION_NAMES) {
      const kind = SECTION_KIND[section];
      if (!kind) continue;
      for (const { entry, ctx } of this.read[section] as Array<ReadEntry<{ id: string }>>) {
        this.register(kind, ctx, entry);
        const nested = NESTED[section];
        const children = nested
          ? ((entry as Record<string, unknown>)[nested.field] as Array<{ id: string }> | undefined)
          : undefined;
        children?.forEach((child, i) => {
          if (!nested) return;
          const childCtx: EntryContext = {
            file: ctx.file,
            label: child.id,
            yamlPath: [...ctx.yamlPath, nested.field, i],
          };
          this.register(nested.kind, childCtx, child);
        });
      }
    }
  }

  private register(kind: EntryKind, ctx: EntryContext, entry: { id: string }): void {
    const existing = this.registry.get(entry.id);
    if (existing) {
      const where = `${existing.ctx.file.path}:${lineOf(existing.ctx.file, existing.ctx.yamlPath) ?? '?'} (${formatField(existing.ctx.yamlPath)})`;
      this.issues.at(ctx, ['id'], `duplicate id: ${entry.id} is also defined in ${where}`);
      return;
    }
    this.registry.set(entry.id, { kind, ctx, entry: entry });
  }

  /** Resolves a reference; reports it when it names no entry or an entry of another kind. */
  private ref(
    ctx: EntryContext,
    field: PathSegment[],
    id: string,
    kinds: readonly EntryKind[],
  ): Registered | undefined {
    const target = this.registry.get(id);
    const expected = kinds.map((kind) => KIND_NAMES[kind]).join(' or ');
    if (!target) {
      // An id whose own entry failed to read has been reported there already.
      if (!this.unreadableIds.has(id))
        this.issues.at(ctx, field, `references ${id}, which is not defined in the corpus (expected a ${expected})`);
      return undefined;
    }
    if (!kinds.includes(target.kind)) {
      this.issues.at(ctx, field, `references ${id}, which is a ${KIND_NAMES[target.kind]}, not a ${expected}`);
      return undefined;
    }
    return target;
  }

  private expectId(ctx: EntryContext, actual: string, expected: string, how: string): void {
    if (actual !== expected) this.issues.at(ctx, ['id'], `must be ${expected} (${how}), not ${actual}`);
  }

  /** body:KAZ:…, legal:KAZ:… : the state code in the id must be the entry's state. */
  private checkStateScoped(ctx: EntryContext, id: string, state: string): void {
    this.ref(ctx, ['state'], state, ['state']);
    const code = id.split(':')[1];
    const stateCode = state.slice('state:'.length);
    if (code !== stateCode) this.issues.at(ctx, ['id'], `names the state ${code} but the entry's state is ${state}`);
  }

  private noDuplicates(ctx: EntryContext, field: PathSegment[], ids: readonly string[]): void {
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (seen.has(id)) this.issues.at(ctx, [...field, i], `lists ${id} twice`);
      seen.add(id);
    });
  }

  // ---- provenance

  private checkCitations(ctx: EntryContext, field: PathSegment[], citations: readonly Citation[]): void {
    citations.forEach((citation, i) => this.ref(ctx, [...field, i, 'source'], citation.source, ['source']));
  }

  /**
   * VERIFIED_PRIMARY means read in a primary source: at least one cited source must be PRIMARY (a source
   * can be PRIMARY only if its kind is a primary document, checked on the source).
   */
  private checkPrimary(
    ctx: EntryContext,
    field: PathSegment[],
    verification: VerificationStatus,
    citations: readonly Citation[],
  ): void {
    if (verification !== 'VERIFIED_PRIMARY') return;
    const sources = citations.map((c) => this.registry.get(c.source)).filter((t) => t?.kind === 'source');
    // When a cited source is missing the dangling reference is reported instead.
    if (sources.length === citations.length && !sources.some((t) => t?.entry.reliability === 'PRIMARY')) {
      this.issues.at(
        ctx,
        field,
        'is VERIFIED_PRIMARY but none of its cited sources is PRIMARY (use SECONDARY_ONLY, or cite the primary source)',
      );
    }
  }

  /**
   * A judgement (basis EDITORS_JUDGEMENT) is the editors' conclusion, read in no source: it states its own
   * verification, never inherited from its entry, and that is SECONDARY_ONLY or UNVERIFIED.
   */
  private checkJudgement(ctx: EntryContext, field: PathSegment[], link: LinkFields, owner?: SourcedFields): void {
    if (link.basis !== 'EDITORS_JUDGEMENT') return;
    if (!link.verification) {
      this.issues.at(
        ctx,
        [...field, 'verification'],
        `is required on a link whose basis is EDITORS_JUDGEMENT: a judgement cannot inherit its entry's verification${owner ? ` (${owner.verification})` : ''}; set SECONDARY_ONLY or UNVERIFIED`,
      );
    } else if (!JUDGEMENT_GRADES.includes(link.verification)) {
      this.issues.at(
        ctx,
        [...field, 'verification'],
        `is ${link.verification} but the link's basis is EDITORS_JUDGEMENT: a judgement is no primary fact and can be graded no higher than SECONDARY_ONLY (use SECONDARY_ONLY or UNVERIFIED)`,
      );
    }
  }

  private checkSourced(ctx: EntryContext, kind: EntryKind, entry: SourcedFields): void {
    this.checkCitations(ctx, ['sources'], entry.sources);
    this.checkPrimary(ctx, ['verification'], entry.verification, entry.sources);
    this.checkClaims(ctx, kind, entry);
    this.checkDates(ctx, entry as unknown as Record<string, unknown>);
  }

  /**
   * Claims: each names a field of its entry; at most one ACCEPTED per field, and it must be the value the
   * entry holds; DISPUTED needs two claims about one field; an unresolved disagreement must be DISPUTED.
   */
  private checkClaims(ctx: EntryContext, kind: EntryKind, entry: SourcedFields): void {
    const claims = entry.claims ?? [];
    const fields = Object.keys(KIND_SCHEMAS[kind].shape).filter(
      (f) => !['id', 'sources', 'verification', 'note', 'claims'].includes(f),
    );
    const byField = new Map<string, Array<{ claim: Claim; index: number }>>();
    claims.forEach((claim, index) => {
      this.checkCitations(ctx, ['claims', index, 'sources'], claim.sources);
      if (!fields.includes(claim.field)) {
        this.issues.at(
          ctx,
          ['claims', index, 'field'],
          `"${claim.field}" is not a field of a ${KIND_NAMES[kind]} (its fields: ${fields.join(', ')})`,
        );
      }
      byField.set(claim.field, [...(byField.get(claim.field) ?? []), { claim, index }]);
    });
    for (const [field, group] of byField) {
      const accepted = group.filter(({ claim }) => claim.status === 'ACCEPTED');
      if (accepted.length > 1) {
        this.issues.at(
          ctx,
          ['claims', accepted[1]?.index ?? 0, 'status'],
          `a second ACCEPTED claim about ${field}: at most one claim per field is ACCEPTED`,
        );
      }
      const value = (entry as unknown as Record<string, unknown>)[field];
      for (const { claim, index } of accepted.slice(0, 1)) {
        if (fields.includes(field) && (value === undefined || value === null || isScalar(value))) {
          if (value === undefined || value === null) {
            this.issues.at(
              ctx,
              ['claims', index, 'value'],
              `the ACCEPTED claim gives ${field} "${claim.value}" but the entry's ${field} is not set`,
            );
          } else if (String(value) !== claim.value) {
            this.issues.at(
              ctx,
              ['claims', index, 'value'],
              `the ACCEPTED claim gives ${field} "${claim.value}" but the entry's ${field} is "${String(value)}"`,
            );
          }
        }
      }
      if (entry.verification !== 'DISPUTED' && group.length > 1 && accepted.length === 0) {
        this.issues.at(
          ctx,
          ['verification'],
          `is ${entry.verification} but its ${group.length} claims about ${field} are unresolved (none ACCEPTED): mark one ACCEPTED or set DISPUTED`,
        );
      }
    }
    if (entry.verification === 'DISPUTED') {
      if (claims.length < 2) {
        this.issues.at(
          ctx,
          ['claims'],
          `verification is DISPUTED, which needs at least two claims (one per side, each with its sources); found ${claims.length}`,
        );
      } else if (![...byField.values()].some((group) => group.length >= 2)) {
        this.issues.at(
          ctx,
          ['claims'],
          'verification is DISPUTED but no two claims are about the same field: a dispute needs two claims about one field',
        );
      }
    }
  }

  /** A link's own provenance: its sources resolve; with its own sources it states its own verification. */
  private checkLink(ctx: EntryContext, field: PathSegment[], link: LinkFields, owner: SourcedFields): void {
    if (link.sources) {
      this.checkCitations(ctx, [...field, 'sources'], link.sources);
      if (!link.verification) {
        this.issues.at(
          ctx,
          [...field, 'verification'],
          "is required when the link gives its own sources (the entry's verification does not vouch for other sources)",
        );
      }
    }
    if (link.verification)
      this.checkPrimary(ctx, [...field, 'verification'], link.verification, link.sources ?? owner.sources);
    // A link with sources but no verification is reported above; do not report the same field twice.
    if (!link.sources || link.verification) this.checkJudgement(ctx, field, link, owner);
  }

  /** Calendar dates must exist (2023-02-30 does not). */
  private checkDates(ctx: EntryContext, entry: Record<string, unknown>, path: PathSegment[] = []): void {
    for (const [key, value] of Object.entries(entry)) {
      if (!DATE_FIELDS.has(key) || typeof value !== 'string') continue;
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
      if (!match) continue;
      const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
      if (day > new Date(Date.UTC(year, month, 0)).getUTCDate())
        this.issues.at(ctx, [...path, key], `${value} is not a calendar date`);
    }
  }

  // ---- kinds

  private checkTreaty(treaty: z.infer<typeof TreatyEntry>, ctx: EntryContext): void {
    this.checkSourced(ctx, 'treaty', treaty);
    if (treaty.protocolTo) {
      if (treaty.protocolTo === treaty.id)
        this.issues.at(ctx, ['protocolTo'], 'a treaty cannot be a protocol to itself');
      else this.ref(ctx, ['protocolTo'], treaty.protocolTo, ['treaty']);
    }
    treaty.articles.forEach((article: TreatyArticle, i) => {
      const articleCtx = this.nestedCtx(ctx, 'articles', i, article.id);
      this.expectId(
        articleCtx,
        article.id,
        `${treaty.id}:art:${article.number}`,
        'the treaty id, ":art:" and the article number',
      );
      this.checkSourced(articleCtx, 'treatyArticle', article);
    });
  }

  private nestedCtx(parent: EntryContext, field: string, index: number, id: string): EntryContext {
    return { file: parent.file, label: id, yamlPath: [...parent.yamlPath, field, index] };
  }

  private checkState(state: z.infer<typeof StateEntry>, ctx: EntryContext): void {
    this.checkSourced(ctx, 'state', state);
    this.expectId(ctx, state.id, `state:${state.iso3}`, '"state:" and the ISO 3166-1 alpha-3 code');
  }

  private checkTreatyAction(action: z.infer<typeof TreatyActionEntry>, ctx: EntryContext): void {
    this.checkSourced(ctx, 'treatyAction', action);
    this.ref(ctx, ['state'], action.state, ['state']);
    this.ref(ctx, ['treaty'], action.treaty, ['treaty']);
    const [, code, treatyCode] = action.id.split(':');
    const expectedPrefix = `action:${action.state.slice('state:'.length)}:${action.treaty.slice('treaty:'.length)}:`;
    if (`action:${code}:${treatyCode}:` !== expectedPrefix) {
      this.issues.at(
        ctx,
        ['id'],
        `must start with ${expectedPrefix} (the action's state and treaty), not ${action.id}`,
      );
    }
    if (action.domesticAct) {
      const act = this.ref(ctx, ['domesticAct'], action.domesticAct, ['legalInstrument']);
      if (act && act.entry.state !== action.state)
        this.issues.at(ctx, ['domesticAct'], `is an instrument of ${String(act.entry.state)}, not of ${action.state}`);
    }
  }

  private checkLegalBasis(
    ctx: EntryContext,
    field: string,
    links: ReadonlyArray<{ legal: string } & LinkFields> | undefined,
    owner: SourcedFields,
  ): void {
    links?.forEach((link, i) => {
      if (link.legal === owner.id) this.issues.at(ctx, [field, i, 'legal'], 'an entry cannot be its own legal basis');
      else this.ref(ctx, [field, i, 'legal'], link.legal, ['provision', 'legalInstrument']);
      this.checkLink(ctx, [field, i], link, owner);
    });
    this.noDuplicates(ctx, [field], links?.map((link) => link.legal) ?? []);
  }

  private checkLegalInstrument(instrument: z.infer<typeof LegalInstrumentEntry>, ctx: EntryContext): void {
    this.checkSourced(ctx, 'legalInstrument', instrument);
    this.checkStateScoped(ctx, instrument.id, instrument.state);
    // The id ends with the official number where there is one and it can stand in an id.
    const lastSegment = instrument.id.split(':')[3];
    if (
      instrument.number &&
      /^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(instrument.number) &&
      lastSegment !== instrument.number
    ) {
      this.issues.at(
        ctx,
        ['id'],
        `must end with the official number ${instrument.number} (legal:<state>:<form>:<number>), not ${lastSegment}`,
      );
    }
    instrument.amends?.forEach((amendment, i) => {
      if (amendment.instrument === instrument.id)
        this.issues.at(ctx, ['amends', i, 'instrument'], 'an instrument cannot amend itself');
      else this.ref(ctx, ['amends', i, 'instrument'], amendment.instrument, ['legalInstrument']);
      this.checkLink(ctx, ['amends', i], amendment, instrument);
      this.checkDates(ctx, amendment, ['amends', i]);
    });
    this.checkLegalBasis(ctx, 'issuedUnder', instrument.issuedUnder, instrument);
    this.checkImplements(ctx, instrument.implements, instrument);
    instrument.provisions?.forEach((provision: Provision, i) => {
      const pctx = this.nestedCtx(ctx, 'provisions', i, provision.id);
      const expected = `${instrument.id}:art:${provision.article}${provision.paragraph !== undefined ? `:para:${provision.paragraph}` : ''}${provision.item !== undefined ? `:item:${provision.item}` : ''}`;
      this.expectId(
        pctx,
        provision.id,
        expected,
        'the instrument id, ":art:" and the article, then ":para:" and the paragraph and ":item:" and the item if it is one',
      );
      this.checkSourced(pctx, 'provision', provision);
      provision.texts?.forEach((text, t) => this.checkCitations(pctx, ['texts', t, 'sources'], text.sources));
      this.checkImplements(pctx, provision.implements, provision);
    });
  }

  /** IMPLEMENTS links of a provision or of a whole instrument. */
  private checkImplements(ctx: EntryContext, links: Provision['implements'], owner: SourcedFields): void {
    links?.forEach((link, l) => {
      this.ref(ctx, ['implements', l, 'article'], link.article, ['treatyArticle']);
      link.mergedWith?.forEach((other, m) => {
        if (other === link.article)
          this.issues.at(ctx, ['implements', l, 'mergedWith', m], `repeats the implemented article ${other}`);
        else this.ref(ctx, ['implements', l, 'mergedWith', m], other, ['treatyArticle']);
      });
      this.noDuplicates(ctx, ['implements', l, 'mergedWith'], link.mergedWith ?? []);
      this.checkLink(ctx, ['implements', l], link, owner);
    });
    this.noDuplicates(ctx, ['implements'], links?.map((link) => link.article) ?? []);
  }

  private checkBody(body: z.infer<typeof BodyEntry>, ctx: EntryContext): void {
    this.checkSourced(ctx, 'body', body);
    this.checkStateScoped(ctx, body.id, body.state);
    if (body.parent) {
      if (body.parent === body.id) this.issues.at(ctx, ['parent'], 'a body cannot be part of itself');
      else if (this.ref(ctx, ['parent'], body.parent, ['body'])) {
        // A chain of parents must end: A → B → A would make "part of" meaningless.
        const seen = new Set([body.id]);
        for (
          let at = this.registry.get(body.parent);
          at?.kind === 'body';
          at = typeof at.entry.parent === 'string' ? this.registry.get(at.entry.parent) : undefined
        ) {
          if (seen.has(at.entry.id)) {
            this.issues.at(ctx, ['parent'], `the chain of parents loops back to ${at.entry.id}`);
            break;
          }
          seen.add(at.entry.id);
        }
      }
    }
    this.checkLegalBasis(ctx, 'establishedBy', body.establishedBy, body);
    this.checkLegalBasis(ctx, 'mandatedBy', body.mandatedBy, body);
  }

  private checkMechanism(mechanism: z.infer<typeof MechanismEntry>, ctx: EntryContext): void {
    this.checkSourced(ctx, 'mechanism', mechanism);
    this.checkStateScoped(ctx, mechanism.id, mechanism.state);
    mechanism.runBy?.forEach((link, i) => {
      this.ref(ctx, ['runBy', i, 'body'], link.body, ['body']);
      this.checkLink(ctx, ['runBy', i], link, mechanism);
    });
    this.noDuplicates(ctx, ['runBy'], mechanism.runBy?.map((link) => link.body) ?? []);
    this.checkLegalBasis(ctx, 'groundedIn', mechanism.groundedIn, mechanism);
    // legalBasis says what groundedIn cannot: whether an empty groundedIn means "none" or "not identified".
    const grounded = (mechanism.groundedIn?.length ?? 0) > 0;
    if (mechanism.legalBasis === 'IDENTIFIED' && !grounded) {
      this.issues.at(
        ctx,
        ['legalBasis'],
        'is IDENTIFIED but groundedIn names no provision or instrument: name it, or use NOT_IDENTIFIED or NONE',
      );
    } else if (mechanism.legalBasis !== undefined && mechanism.legalBasis !== 'IDENTIFIED' && grounded) {
      this.issues.at(
        ctx,
        ['legalBasis'],
        `is ${mechanism.legalBasis} but groundedIn names a legal basis: a mechanism with groundedIn has an IDENTIFIED legal basis`,
      );
    }
    mechanism.givesEffectTo?.forEach((link, i) => {
      this.ref(ctx, ['givesEffectTo', i, 'article'], link.article, ['treatyArticle']);
      this.checkLink(ctx, ['givesEffectTo', i], link, mechanism);
    });
    this.noDuplicates(ctx, ['givesEffectTo'], mechanism.givesEffectTo?.map((link) => link.article) ?? []);
  }

  private checkDocument(document: Document, ctx: EntryContext): void {
    this.checkSourced(ctx, 'document', document);
    if (document.symbol !== undefined)
      this.expectId(ctx, document.id, `doc:${document.symbol}`, '"doc:" and the UN symbol');
    if (document.treaty) this.ref(ctx, ['treaty'], document.treaty, ['treaty']);
    if (document.state) this.ref(ctx, ['state'], document.state, ['state']);
    document.respondsTo?.forEach((link, i) => {
      if (link.document === document.id)
        this.issues.at(ctx, ['respondsTo', i, 'document'], 'a document cannot respond to itself');
      else this.ref(ctx, ['respondsTo', i, 'document'], link.document, ['document']);
      this.checkLink(ctx, ['respondsTo', i], link, document);
    });
    this.noDuplicates(ctx, ['respondsTo'], document.respondsTo?.map((link) => link.document) ?? []);
  }

  private checkRecommendation(rec: Recommendation, ctx: EntryContext): void {
    this.checkSourced(ctx, 'recommendation', rec);
    rec.texts.forEach((text, t) => this.checkCitations(ctx, ['texts', t, 'sources'], text.sources));
    this.ref(ctx, ['addressedTo'], rec.addressedTo, ['state']);
    const doc = this.ref(ctx, ['document'], rec.document, ['document'])?.entry as Document | undefined;
    const suffix = `${rec.paragraph}${rec.subParagraph !== undefined ? `(${rec.subParagraph})` : ''}`;
    if (doc) {
      const prefix = doc.symbol ?? doc.id.slice('doc:'.length);
      const how =
        doc.symbol !== undefined
          ? "its document's UN symbol"
          : 'its document\'s id without "doc:" (the document has no symbol)';
      this.expectId(
        ctx,
        rec.id,
        `rec:${prefix}:${suffix}`,
        `"rec:", ${how}, then the paragraph${rec.subParagraph !== undefined ? ' and (sub-paragraph)' : ''}`,
      );
      if (doc.state && doc.state !== rec.addressedTo) {
        this.issues.at(ctx, ['addressedTo'], `is ${rec.addressedTo} but its document ${doc.id} concerns ${doc.state}`);
      }
    } else if (!rec.id.endsWith(`:${suffix}`)) {
      this.issues.at(
        ctx,
        ['id'],
        `must end with :${suffix} (the paragraph${rec.subParagraph !== undefined ? ' and (sub-paragraph)' : ''})`,
      );
    }

    // A sub-paragraph is part of its paragraph, whose id is its own without the "(x)".
    const paragraphId = rec.id.replace(/\([a-z]{1,3}\)$/, '');
    if (rec.subParagraph === undefined) {
      if (rec.partOf !== undefined)
        this.issues.at(ctx, ['partOf'], 'only a sub-paragraph (with subParagraph) is part of another recommendation');
    } else if (rec.partOf !== undefined) {
      if (rec.partOf !== paragraphId)
        this.issues.at(
          ctx,
          ['partOf'],
          `must be ${paragraphId} (the paragraph of this sub-paragraph), not ${rec.partOf}`,
        );
      else this.ref(ctx, ['partOf'], rec.partOf, ['recommendation']);
    } else if (this.registry.get(paragraphId)?.kind === 'recommendation') {
      this.issues.at(
        ctx,
        ['partOf'],
        `is missing: the paragraph ${paragraphId} is in the corpus, so set partOf: ${paragraphId}`,
      );
    }

    rec.concerns?.forEach((link, i) => {
      this.ref(ctx, ['concerns', i, 'article'], link.article, ['treatyArticle']);
      this.checkLink(ctx, ['concerns', i], link, rec);
    });
    this.noDuplicates(ctx, ['concerns'], rec.concerns?.map((link) => link.article) ?? []);
    rec.themes?.forEach((theme, i) => this.ref(ctx, ['themes', i], theme, ['theme']));
    this.noDuplicates(ctx, ['themes'], rec.themes ?? []);
    rec.reiterates?.forEach((link, i) => {
      this.checkLink(ctx, ['reiterates', i], link, rec);
      if (link.recommendation === rec.id) {
        this.issues.at(ctx, ['reiterates', i, 'recommendation'], 'a recommendation cannot reiterate itself');
        return;
      }
      const earlier = this.ref(ctx, ['reiterates', i, 'recommendation'], link.recommendation, ['recommendation']);
      const earlierDoc = earlier
        ? (this.registry.get(String(earlier.entry.document))?.entry as Document | undefined)
        : undefined;
      if (doc?.date && earlierDoc?.date && comparePartialDates(earlierDoc.date, doc.date) > 0) {
        this.issues.at(
          ctx,
          ['reiterates', i, 'recommendation'],
          `${link.recommendation} is from ${earlierDoc.date}, after this one (${doc.date}): only an earlier recommendation can be reiterated`,
        );
      }
    });
    this.noDuplicates(ctx, ['reiterates'], rec.reiterates?.map((link) => link.recommendation) ?? []);
  }

  private checkAnswers(): void {
    const seen = new Map<string, EntryContext>();
    for (const { entry: answer, ctx } of this.read.answers) {
      this.ref(ctx, ['recommendation'], answer.recommendation, ['recommendation']);
      this.ref(ctx, ['by'], answer.by, ['mechanism', 'provision', 'legalInstrument', 'body']);
      this.checkCitations(ctx, ['sources'], answer.sources);
      this.checkPrimary(ctx, ['verification'], answer.verification, answer.sources);
      this.checkJudgement(ctx, [], answer);
      this.checkDates(ctx, answer);
      const key = `${answer.by} → ${answer.recommendation}`;
      const first = seen.get(key);
      if (first)
        this.issues.at(
          ctx,
          ['by'],
          `${key} is already stated in ${first.file.path} (${first.label}): state each answer once`,
        );
      else seen.set(key, ctx);
    }
  }

  private checkAbout(
    ctx: EntryContext,
    entry: SourcedFields & { about: Array<{ target: string } & LinkFields> },
  ): void {
    entry.about.forEach((link, i) => {
      if (link.target === entry.id) this.issues.at(ctx, ['about', i, 'target'], 'evidence cannot be about itself');
      else this.ref(ctx, ['about', i, 'target'], link.target, ENTRY_KINDS);
      this.checkLink(ctx, ['about', i], link, entry);
    });
    this.noDuplicates(
      ctx,
      ['about'],
      entry.about.map((link) => link.target),
    );
  }
}

/** Compares dates of possibly reduced precision; a date and a more precise one within it count as equal. */
function comparePartialDates(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  const [x, y] = [a.slice(0, length), b.slice(0, length)];
  return x < y ? -1 : x > y ? 1 : 0;
}
