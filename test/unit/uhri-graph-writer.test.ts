import { collectUhriExport } from '../../src/modules/uhri';
import { recordDigest, uhriSourceId, UhriGraphWriter, STAGED_LABELS } from '../../src/modules/uhri/graph-writer';
import { resolve } from 'node:path';

const FIXTURE = resolve(__dirname, '..', 'fixtures', 'uhri', 'kaz-uhri-export.csv');

describe('what the UHRI graph writer decides without a database', () => {
  test('one Source per export file and export day, with an id of the corpus scheme', () => {
    expect(uhriSourceId('kaz-uhri-export.xlsx', '2026-11-30')).toBe('source:uhri-kaz-uhri-export-2026-11-30');
    expect(uhriSourceId('Résultats UHRI (1).csv', '2026-12-01')).toBe('source:uhri-resultats-uhri-1-2026-12-01');
    expect(uhriSourceId('kaz-uhri-export.xlsx', '2026-11-30')).toMatch(/^source:[a-z0-9][a-z0-9-]*$/);
  });

  test('a row digest changes with what the row states, not with where it is in the file', async () => {
    const { records } = await collectUhriExport(FIXTURE, { exportDate: '2026-11-30' });
    const record = records[0]!;
    const moved = {
      ...record,
      recommendation: { ...record.recommendation, provenance: { ...record.recommendation.provenance, rowNumber: 99 } },
    };
    expect(recordDigest(moved)).toBe(recordDigest(record));
    const edited = { ...record, recommendation: { ...record.recommendation, text: `${record.recommendation.text} ` } };
    expect(recordDigest(edited)).not.toBe(recordDigest(record));
    expect(new Set(records.map(recordDigest)).size).toBe(records.length);
  });

  test('staging has an index for every shared kind it looks up by id, and none on the rows it never looks up', () => {
    const statements = UhriGraphWriter.schemaStatements();
    for (const label of STAGED_LABELS) {
      const indexed = statements.some((statement) => statement.includes(`FOR (n:UhriStaged${label}) ON (n.id)`));
      expect([label, indexed]).toEqual([label, label !== 'Recommendation' && label !== 'TextVersion']);
    }
    // An index on the rows costs an entry per row: one an earlier version created is dropped.
    expect(statements).toContain('DROP INDEX uhri_staged_recommendation_id IF EXISTS');
    expect(statements).toContain('DROP INDEX uhri_staged_textversion_id IF EXISTS');
    expect(statements).toContain('DROP INDEX uhri_staged_recommendation_state IF EXISTS');
  });

  test('a failed run is discarded rows first, then its citations of unchanged rows, shared nodes last, and never a published node', () => {
    const statements = UhriGraphWriter.discardStatements();
    // Its pending rows first (recommendations, then texts), and only while no run has published (no marker).
    const pending = statements.slice(0, 2);
    expect(pending.map((statement) => /MATCH \(n:UhriPending:(\w+)\)/.exec(statement)?.[1])).toEqual([
      'Recommendation',
      'TextVersion',
    ]);
    for (const statement of pending)
      expect(statement).toMatch(/WHERE NOT EXISTS \{ MATCH \(:UhriPublished\) \}\s+WITH n LIMIT \d+\s+DETACH DELETE n/);
    // Then the citations of unchanged rows to an export's Source never published: one per row of the file,
    // they would all go into one transaction with the Source.
    expect(statements[2]).toMatch(
      /MATCH \(s:UhriStagedSource\)<-\[c:SOURCED_FROM\]-\(\) WHERE NOT s:Entity\s+WITH c LIMIT \d+\s+DELETE c/,
    );
    const staged = statements.slice(3);
    const kinds = staged.map((statement) => /MATCH \(n:UhriStaged(\w+)\)/.exec(statement)?.[1]);
    expect(kinds.slice().sort()).toEqual([...STAGED_LABELS].sort());
    // The export's Source and the themes have a link from every row: deleted before the rows, they would
    // take all those links into one transaction.
    expect(kinds.indexOf('Recommendation')).toBe(0);
    expect(kinds.indexOf('Source')).toBe(kinds.length - 1);
    expect(kinds.indexOf('Theme')).toBeGreaterThan(kinds.indexOf('TextVersion'));
    for (const statement of staged)
      expect(statement).toMatch(/WHERE NOT n:Entity[^\n]*\s+WITH n LIMIT \d+\s+DETACH DELETE n/);
  });

  test('the pending label is released only once a run has published, and the marker deleted only after', () => {
    expect(UhriGraphWriter.releasePendingCypher()).toMatch(
      /MATCH \(n:UhriPending\) WHERE EXISTS \{ MATCH \(:UhriPublished\) \}\s+WITH n LIMIT \d+\s+REMOVE n:UhriPending/,
    );
    expect(UhriGraphWriter.unmarkCypher()).toMatch(
      /MATCH \(m:UhriPublished\) WHERE NOT EXISTS \{ MATCH \(:UhriPending\) \}\s+DELETE m/,
    );
  });

  test('the clean-up after publishing removes every staging label from published nodes only', () => {
    const cleanup = UhriGraphWriter.cleanupCypher();
    expect(cleanup).toMatch(/MATCH \(n:UhriStaged\) WHERE n:Entity/);
    for (const label of STAGED_LABELS) expect(cleanup).toContain(`:UhriStaged${label}`);
  });
});
