import DataLoader from 'dataloader';
import { z } from 'zod';
import { ListFilter } from '../../db/cypher';
import { SOME_HIDDEN, visible } from '../../graph/vocabulary';
import { decodeWith } from '../common/models';
import type { GraphReader, Hop } from '../graph-reader';

export const SOURCE_HOPS = {
  document: {
    name: 'Source.document',
    type: 'IS_DOCUMENT',
    direction: 'out',
    match: 'Document',
    targets: ['Document'],
  },
} as const satisfies Record<string, Hop<'Document'>>;

export const SOURCE_STATEMENTS = {
  citationCount: `// Source.citationCount
UNWIND $ids AS id
MATCH (s:Source {id: id})
// The degree while nothing is hidden (the export's Source of a full UHRI file is cited 540,000 times);
// node by node only while an import stages.
RETURN id, CASE WHEN ${SOME_HIDDEN} THEN COUNT { (s)<-[:SOURCED_FROM]-(x) WHERE ${visible('x')} }
       ELSE COUNT { (s)<-[:SOURCED_FROM]-() } END AS total`,
};

const countRows = z.array(z.object({ id: z.string(), total: z.number().int() }));

export interface SourceFilter {
  kinds?: readonly string[] | null;
  reliability?: string | null;
}

function sourceList(filter: SourceFilter) {
  return new ListFilter()
    .when('kinds', filter.kinds, 'n.kind IN $kinds')
    .when('reliability', filter.reliability, 'n.reliability = $reliability')
    .spec('Query.sources', 'Source', 'n.id');
}

/** The sources facts are read from. */
export class SourcesRepository {
  constructor(private readonly graph: GraphReader) {}

  sources(filter: SourceFilter, offset: number, limit: number) {
    return this.graph.list({ ...sourceList(filter), kinds: ['Source'] }, offset, limit);
  }

  sourceCount(filter: SourceFilter) {
    return this.graph.listCount(sourceList(filter));
  }

  document(sourceId: string) {
    return this.graph.one(SOURCE_HOPS.document, sourceId);
  }

  private readonly citationCounts = new DataLoader<string, number>(async (ids) => {
    const rows = decodeWith(
      countRows,
      await this.graph.db.read('Source.citationCount', SOURCE_STATEMENTS.citationCount, { ids }),
      'rows',
    );
    const byId = new Map(rows.map((row) => [row.id, row.total]));
    return ids.map((id) => byId.get(id) ?? 0);
  });

  /** How many entities cite a source. */
  citationCount(sourceId: string) {
    return this.citationCounts.load(sourceId);
  }
}

/** The root lists' builders (the warm-up, src/db/warm-up.ts, plans each unfiltered). */
export const SOURCE_LISTS = {
  sourceList: sourceList,
};
