import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Kind, parse, type EnumValueDefinitionNode } from 'graphql';
import {
  DEFAULT_PATH_RELATIONSHIP_TYPES,
  FACT_RELATIONSHIP_TYPES,
  NODE_LABELS,
  PATH_HUB_RELATIONSHIP_TYPES,
  PATH_RELATIONSHIP_TYPES,
  PROVENANCE_PROPERTIES,
  RELATIONSHIPS,
  isPathRelationshipType,
  isRelationshipType,
  RELATIONSHIP_TYPES,
  SOURCED_ENTRY_LABELS,
  STRUCTURAL_RELATIONSHIP_TYPES,
  type NodeLabel,
  type RelationshipType,
} from '../../src/graph/vocabulary';

const ROOT = resolve(__dirname, '..', '..');
const sorted = <T extends string>(items: Iterable<T>): T[] => [...items].sort();

// ---------------------------------------------------------------- the GraphQL enum

/** The values of `enum PathRelationship` (and any `extend enum`), from every SDL file in schema/, with their descriptions. */
function pathRelationshipEnum(): Map<string, string> {
  const dir = join(ROOT, 'schema');
  const values = new Map<string, string>();
  let found = 0;
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.graphql'))) {
    for (const definition of parse(readFileSync(join(dir, file), 'utf8')).definitions) {
      if (
        (definition.kind === Kind.ENUM_TYPE_DEFINITION || definition.kind === Kind.ENUM_TYPE_EXTENSION) &&
        definition.name.value === 'PathRelationship'
      ) {
        found += 1;
        for (const value of definition.values ?? ([] as readonly EnumValueDefinitionNode[]))
          values.set(value.name.value, value.description?.value ?? '');
      }
    }
  }
  if (found === 0) throw new Error(`no enum PathRelationship in ${dir}/*.graphql`);
  return values;
}

// ---------------------------------------------------------------- docs/model.md

interface DocRow {
  type: string;
  from: NodeLabel[];
  to: NodeLabel[];
  properties: string[];
  line: string;
}

const MODEL_DOC = readFileSync(join(ROOT, 'docs', 'model.md'), 'utf8');

/** The text of a `## heading` section of docs/model.md, up to the next `## `. */
function section(heading: string): string {
  const start = MODEL_DOC.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`docs/model.md has no "## ${heading}" section`);
  const end = MODEL_DOC.indexOf('\n## ', start + 1);
  return MODEL_DOC.slice(start, end < 0 ? undefined : end);
}

/** The body rows of the first Markdown table after `marker` in `text`. */
function tableAfter(text: string, marker: string): string[][] {
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`docs/model.md: "${marker}" not found`);
  const lines = text.slice(at).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

const backticked = (text: string): string[] => [...text.matchAll(/`([^`]+)`/g)].map((match) => match[1] as string);

/** The labels an end of a row names: label names, or the model's phrases for groups of labels. */
function labelsIn(text: string): NodeLabel[] {
  const plain = text.replace(/\([^)]*\)/g, ' ');
  const labels = new Set<NodeLabel>();
  if (/\bany entity\b/i.test(plain)) NODE_LABELS.forEach((label) => labels.add(label));
  if (/\bsourced entry\b/i.test(plain)) SOURCED_ENTRY_LABELS.forEach((label) => labels.add(label));
  for (const word of plain.match(/\b[A-Z][A-Za-z]+\b/g) ?? []) {
    if ((NODE_LABELS as readonly string[]).includes(word)) labels.add(word as NodeLabel);
  }
  return sorted(labels);
}

function relationshipRows(marker: string): DocRow[] {
  return tableAfter(section('Relationships'), marker).map((cells) => {
    const [typeCell = '', ends = '', properties = ''] = cells;
    const [from = '', to = ''] = ends.split('→');
    return {
      type: backticked(typeCell)[0] ?? typeCell,
      from: labelsIn(from),
      to: labelsIn(to),
      properties: sorted(backticked(properties)),
      line: cells.join(' | '),
    };
  });
}

const STRUCTURAL_ROWS = relationshipRows('**Structural**');
const FACT_ROWS = relationshipRows('**Fact-stating**');

const endsKey = (from: readonly NodeLabel[], to: readonly NodeLabel[]) =>
  `${sorted(from).join(',')} -> ${sorted(to).join(',')}`;
const specEnds = (type: RelationshipType) => sorted(RELATIONSHIPS[type].ends.map((end) => endsKey(end.from, end.to)));

// ---------------------------------------------------------------- the tests

describe('the graph vocabulary is one description that the API schema and the model documentation agree with', () => {
  test('every relationship type is either structural or fact-stating, and the derived lists keep the loader order', () => {
    expect(sorted([...STRUCTURAL_RELATIONSHIP_TYPES, ...FACT_RELATIONSHIP_TYPES])).toEqual(sorted(RELATIONSHIP_TYPES));
    expect(RELATIONSHIP_TYPES).toEqual([...STRUCTURAL_RELATIONSHIP_TYPES, ...FACT_RELATIONSHIP_TYPES]);
    for (const type of RELATIONSHIP_TYPES) {
      const spec = RELATIONSHIPS[type];
      expect({ type, hasProvenanceRule: 'provenance' in spec }).toEqual({
        type,
        hasProvenanceRule: spec.kind === 'fact',
      });
      expect({ type, ends: spec.ends.length }).not.toEqual({ type, ends: 0 });
      for (const property of spec.properties)
        expect({
          type,
          property,
          isProvenance: (PROVENANCE_PROPERTIES as readonly string[]).includes(property),
        }).toEqual({ type, property, isProvenance: false });
    }
  });

  test('only vocabulary types pass the guards that keep Cypher free of input', () => {
    expect(isRelationshipType('IMPLEMENTS')).toBe(true);
    expect(isRelationshipType('toString')).toBe(false);
    expect(isPathRelationshipType('IMPLEMENTS')).toBe(true);
    expect(isPathRelationshipType('HAS_TEXT')).toBe(false);
    expect(isPathRelationshipType('IMPLEMENTS]-() DETACH DELETE n //')).toBe(false);
  });

  test('the PathRelationship enum offers exactly the types a path may follow, and says which are hubs', () => {
    const values = pathRelationshipEnum();
    expect(sorted(values.keys())).toEqual(sorted(PATH_RELATIONSHIP_TYPES));
    const describedAsHub = [...values].filter(([, description]) => /\bhub\b/i.test(description)).map(([name]) => name);
    expect(sorted(describedAsHub)).toEqual(sorted(PATH_HUB_RELATIONSHIP_TYPES));
    expect(sorted([...DEFAULT_PATH_RELATIONSHIP_TYPES, ...PATH_HUB_RELATIONSHIP_TYPES])).toEqual(
      sorted(PATH_RELATIONSHIP_TYPES),
    );
  });

  test("docs/model.md's structural table lists exactly the structural types, with their ends and properties", () => {
    expect(sorted(new Set(STRUCTURAL_ROWS.map((row) => row.type)))).toEqual(sorted(STRUCTURAL_RELATIONSHIP_TYPES));
    for (const type of STRUCTURAL_RELATIONSHIP_TYPES) {
      const rows = STRUCTURAL_ROWS.filter((row) => row.type === type);
      expect({ type, ends: sorted(rows.map((row) => endsKey(row.from, row.to))) }).toEqual({
        type,
        ends: specEnds(type),
      });
      expect({ type, properties: sorted(new Set(rows.flatMap((row) => row.properties))) }).toEqual({
        type,
        properties: sorted(RELATIONSHIPS[type].properties),
      });
    }
  });

  test("docs/model.md's fact-stating table lists exactly the fact-stating types, with their ends and further properties", () => {
    expect(sorted(new Set(FACT_ROWS.map((row) => row.type)))).toEqual(sorted(FACT_RELATIONSHIP_TYPES));
    for (const type of FACT_RELATIONSHIP_TYPES) {
      const rows = FACT_ROWS.filter((row) => row.type === type);
      expect({ type, ends: sorted(rows.map((row) => endsKey(row.from, row.to))) }).toEqual({
        type,
        ends: specEnds(type),
      });
      expect({ type, properties: sorted(new Set(rows.flatMap((row) => row.properties))) }).toEqual({
        type,
        properties: sorted(RELATIONSHIPS[type].properties),
      });
    }
  });

  test('docs/model.md names the provenance properties the vocabulary does, and the links that always inherit', () => {
    const provenanceRows = tableAfter(section('Provenance'), '### Provenance of links');
    expect(sorted(provenanceRows.flatMap(([property = '']) => backticked(property)))).toEqual(
      sorted(PROVENANCE_PROPERTIES),
    );
    const factIntro = section('Relationships').match(/\*\*Fact-stating\*\*[^|]*/)?.[0] ?? '';
    expect(sorted(backticked(factIntro).filter((name) => /^[a-z]/.test(name)))).toEqual(sorted(PROVENANCE_PROPERTIES));

    const sentence = section('Provenance')
      .replace(/\s+/g, ' ')
      .match(/Links that come from an entry's own fields \(([^)]*)\)/)?.[1];
    expect(sentence).toBeDefined();
    const alwaysInherit = FACT_RELATIONSHIP_TYPES.filter((type) => RELATIONSHIPS[type].provenance === 'inherited');
    expect(sorted(backticked(sentence ?? ''))).toEqual(sorted(alwaysInherit));
  });

  test('docs/model.md names the hubs and the types a path never follows as the vocabulary does', () => {
    const text = section('Relationships').replace(/\s+/g, ' ');
    const hubs = text.match(/Hubs: ([^.]*)\./)?.[1];
    const never = text.match(/It never follows ([^.]*)\./)?.[1];
    expect(sorted(backticked(hubs ?? ''))).toEqual(sorted(PATH_HUB_RELATIONSHIP_TYPES));
    const excluded = RELATIONSHIP_TYPES.filter((type) => RELATIONSHIPS[type].path === 'excluded');
    expect(sorted(backticked(never ?? ''))).toEqual(sorted(excluded));
  });

  test('the documentation tables are read, not skipped (a parser that found nothing would pass the checks above)', () => {
    expect(STRUCTURAL_ROWS.length).toBeGreaterThanOrEqual(STRUCTURAL_RELATIONSHIP_TYPES.length);
    expect(FACT_ROWS.length).toBeGreaterThanOrEqual(FACT_RELATIONSHIP_TYPES.length);
    for (const row of [...STRUCTURAL_ROWS, ...FACT_ROWS]) {
      expect({ row: row.line, from: row.from.length > 0, to: row.to.length > 0 }).toEqual({
        row: row.line,
        from: true,
        to: true,
      });
    }
  });
});
