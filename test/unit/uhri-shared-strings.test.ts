import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { SharedStringTable } from '../../src/modules/uhri/shared-strings';

describe('the xlsx shared-string table kept on disk', () => {
  it('gives back every text, short or long, Latin or Cyrillic, in any order of reading', () => {
    const table = new SharedStringTable();
    const texts = Array.from({ length: 5000 }, (_, i) =>
      i % 3 === 0
        ? `- Kazakhstan ${i}`
        : `${i}. Комитет рекомендует государству-участнику ${'ратифицировать '.repeat(i % 40)} (a) text; (b) more.`,
    );
    texts.forEach((text, i) => table.add(i, text));
    try {
      for (const i of [4999, 0, 1, 2500, 3, 4998, 1234]) expect(table.get(i)).toBe(texts[i]);
      expect(texts.every((text, i) => table.get(i) === text)).toBe(true);
      expect(table.get(5000)).toBeUndefined();
    } finally {
      table.close();
    }
  });

  it('removes its temporary file when closed', () => {
    const before = new Set(readdirSync(tmpdir()).filter((name) => name.startsWith('uhri-shared-strings-')));
    const table = new SharedStringTable();
    const created = readdirSync(tmpdir()).filter(
      (name) => name.startsWith('uhri-shared-strings-') && !before.has(name),
    );
    expect(created).toHaveLength(1);
    table.add(0, 'x'.repeat(500));
    table.close();
    table.close();
    expect(existsSync(`${tmpdir()}/${created[0]}`)).toBe(false);
  });
});
