import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParagraphSpool, type SpooledParagraph } from '../../src/modules/uhri/paragraph-spool';

const entry = (stateId: string, n: number, text = `Text ${n} — Қазақстан "quoted"\nsecond line`): SpooledParagraph => ({
  eid: `4:abc:${n}`,
  paragraph: {
    id: `rec:CRC/C/${stateId}/CO/5:${n}`,
    stateId: `state:${stateId}`,
    committee: 'CRC',
    documentSymbol: `CRC/C/${stateId}/CO/5`,
    cycle: n % 2 === 0 ? '5' : null,
    publicationDate: n % 3 === 0 ? null : '2019-10-01',
    paragraph: String(n),
    text,
    themes: ['Corporal punishment', 'Birth registration'],
  },
});

describe('ParagraphSpool', () => {
  let parent: string;
  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'spool-test-'));
  });
  afterEach(() => rmSync(parent, { recursive: true, force: true }));

  it('gives back each state its own paragraphs, as added and in order, across flushes to disk', async () => {
    // A tiny flush threshold: nearly every add goes to disk, so order across flushes is tested.
    const spool = new ParagraphSpool(200, parent);
    const added: Record<string, SpooledParagraph[]> = { KAZ: [], LTU: [] };
    for (let n = 1; n <= 50; n += 1) {
      const state = n % 3 === 0 ? 'LTU' : 'KAZ';
      const e = entry(state, n);
      added[state]!.push(e);
      spool.add(e);
    }
    expect(await spool.read('state:KAZ')).toEqual(added.KAZ);
    expect(await spool.read('state:LTU')).toEqual(added.LTU);
    expect(spool.count('state:KAZ')).toBe(added.KAZ!.length);
    // Read again after more were added: the earlier ones and the new one.
    const later = entry('KAZ', 99);
    spool.add(later);
    expect(await spool.read('state:KAZ')).toEqual([...added.KAZ!, later]);
    await spool.close();
  });

  it('keeps what is still buffered (below the flush threshold) readable', async () => {
    const spool = new ParagraphSpool(1024 * 1024, parent);
    const e = entry('KAZ', 1);
    spool.add(e);
    expect(await spool.read('state:KAZ')).toEqual([e]);
    expect(await spool.read('state:LTU')).toEqual([]);
    await spool.close();
  });

  it('writes to disk, not memory, past the threshold, and removes its files when closed', async () => {
    const spool = new ParagraphSpool(1, parent);
    spool.add(entry('KAZ', 1));
    await spool.flush();
    expect(readdirSync(spool.path)).toHaveLength(1);
    await spool.close();
    expect(existsSync(spool.path)).toBe(false);
    expect(() => spool.add(entry('KAZ', 2))).toThrow(/closed/);
  });
});
