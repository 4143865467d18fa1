/**
 * An xlsx file's shared-string table, kept on disk instead of in memory.
 *
 * Excel (and the libraries that write UHRI's export) store each distinct text once, in a table that
 * cells refer to by index. A streaming reader must keep that table until the last row, and for a
 * full UHRI export it holds every paragraph: exceljs's own cache ('cache' mode) took the reader to
 * 1.15 GB at 270,000 rows. Here texts longer than a few dozen characters go to a temporary file and are
 * read back by offset when a cell refers to them; short ones (countries, bodies, symbols, ids), which
 * rows share, stay in memory. Memory then grows by about 16 bytes per long text instead of by the text.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Texts up to this many UTF-16 units stay in memory. */
const IN_MEMORY_MAX = 64;
const FLUSH_BYTES = 1 << 20;

/** A string that shares no memory with the one it was taken from (V8 keeps sliced strings' parents alive). */
export function detached(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

export class SharedStringTable {
  private readonly directory: string;
  private readonly fd: number;
  private readonly short: (string | undefined)[] = [];
  private offsets: Float64Array = new Float64Array(1024);
  private lengths: Uint32Array = new Uint32Array(1024);
  private written = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private closed = false;

  constructor() {
    this.directory = mkdtempSync(join(tmpdir(), 'uhri-shared-strings-'));
    this.fd = openSync(join(this.directory, 'strings.bin'), 'w+');
  }

  /** Stores the text of shared string `index` (indices arrive in order, from 0). */
  add(index: number, text: string): void {
    if (text.length <= IN_MEMORY_MAX) {
      // A copy: the parser's text can be a slice of a whole chunk of the XML, which keeping the slice
      // would keep alive (with it, in the end, the whole table).
      this.short[index] = detached(text);
      return;
    }
    if (index >= this.offsets.length) this.grow(index);
    const bytes = Buffer.from(text, 'utf8');
    this.offsets[index] = this.written + this.pendingBytes;
    this.lengths[index] = bytes.length + 1; // 0 marks "not on disk"
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  /** The text of shared string `index`; undefined when the table has no such entry. */
  get(index: number): string | undefined {
    const short = this.short[index];
    if (short !== undefined) return short;
    const length = index < this.lengths.length ? this.lengths[index]! : 0;
    if (length === 0) return undefined;
    if (this.pendingBytes > 0) this.flush();
    const buffer = Buffer.allocUnsafe(length - 1);
    readSync(this.fd, buffer, 0, length - 1, this.offsets[index]!);
    return buffer.toString('utf8');
  }

  /** Deletes the temporary file; safe to call more than once. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
    rmSync(this.directory, { recursive: true, force: true });
  }

  private flush(): void {
    const chunk = Buffer.concat(this.pending, this.pendingBytes);
    let done = 0;
    while (done < chunk.length) done += writeSync(this.fd, chunk, done, chunk.length - done, this.written + done);
    this.written += chunk.length;
    this.pending = [];
    this.pendingBytes = 0;
  }

  private grow(index: number): void {
    let size = this.offsets.length;
    while (size <= index) size *= 2;
    const offsets = new Float64Array(size);
    offsets.set(this.offsets);
    const lengths = new Uint32Array(size);
    lengths.set(this.lengths);
    this.offsets = offsets;
    this.lengths = lengths;
  }
}
