/**
 * The paragraphs an import stages, kept on disk per state for the inferred links (docs/model.md,
 * "Imported data"): the rules need each state's paragraphs together, but the file comes in any order.
 * Reading them back from Neo4j after staging cost a query per state that walked every staged
 * paragraph's document, text and themes (54 s of 304 at 270,000 rows, bench/uhri-notes.md); the writer
 * knows all of it when it stages the row, so it appends it here instead, one JSON line per paragraph
 * in a temporary file per state, and the importer reads one state's file at a time. Memory stays
 * bounded: what is buffered is flushed to disk when a state's buffer passes `flushBytes`.
 */
import { mkdtempSync } from 'node:fs';
import { appendFile, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InferParagraph } from './infer';

/** A staged paragraph as the rules read it, and the element id of its staged node. */
export interface SpooledParagraph {
  eid: string;
  paragraph: InferParagraph;
}

export class ParagraphSpool {
  private readonly dir: string;
  private readonly buffers = new Map<string, string[]>();
  private readonly bufferedBytes = new Map<string, number>();
  private readonly files = new Map<string, string>();
  private readonly counts = new Map<string, number>();
  /** Appends in flight (a state's file is written in order: each waits for the one before). */
  private writing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly flushBytes = 64 * 1024,
    parent: string = tmpdir(),
  ) {
    this.dir = mkdtempSync(join(parent, 'uhri-paragraphs-'));
  }

  /** The folder holding the state files (removed by `close`). */
  get path(): string {
    return this.dir;
  }

  /** The number of paragraphs spooled for `stateId`. */
  count(stateId: string): number {
    return this.counts.get(stateId) ?? 0;
  }

  add(entry: SpooledParagraph): void {
    if (this.closed) throw new Error('the paragraph spool is closed');
    const state = entry.paragraph.stateId;
    const line = `${JSON.stringify(entry)}\n`;
    const buffer = this.buffers.get(state) ?? [];
    buffer.push(line);
    this.buffers.set(state, buffer);
    this.counts.set(state, this.count(state) + 1);
    const bytes = (this.bufferedBytes.get(state) ?? 0) + line.length;
    this.bufferedBytes.set(state, bytes);
    if (bytes >= this.flushBytes) this.flushState(state);
  }

  /** Every paragraph spooled for `stateId`, in the order they were added. */
  async read(stateId: string): Promise<SpooledParagraph[]> {
    this.flushState(stateId);
    await this.writing;
    const file = this.files.get(stateId);
    if (file === undefined) return [];
    const text = await readFile(file, 'utf8');
    const entries: SpooledParagraph[] = [];
    for (const line of text.split('\n')) if (line !== '') entries.push(JSON.parse(line) as SpooledParagraph);
    return entries;
  }

  /** Waits for the writes so far; a failed write is thrown here (or by `read`). */
  async flush(): Promise<void> {
    for (const state of [...this.buffers.keys()]) this.flushState(state);
    await this.writing;
  }

  /** Removes the files (the spool cannot be used afterwards). */
  async close(): Promise<void> {
    this.closed = true;
    this.buffers.clear();
    await this.writing.catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }

  private flushState(state: string): void {
    const buffer = this.buffers.get(state);
    if (buffer === undefined || buffer.length === 0) return;
    this.buffers.set(state, []);
    this.bufferedBytes.set(state, 0);
    let file = this.files.get(state);
    if (file === undefined) {
      file = join(this.dir, `${this.files.size}.jsonl`);
      this.files.set(state, file);
    }
    const target = file;
    const data = buffer.join('');
    this.writing = this.writing.then(() => appendFile(target, data, 'utf8'));
  }
}
