import { z } from 'zod';
import type { CypherReader } from '../../db/database';
import { visible } from '../../graph/vocabulary';
import { decodeWith } from '../common/models';

/**
 * The two UHRI tags the GraphQL schema does not expose (yet): affected persons and SDG targets, written by
 * the UHRI import (docs/model.md; CONTRACTS D: `AFFECTS` → `AffectedGroup {name}`, `SDG_TARGET` →
 * `SdgTarget {target, title}`). Read for one page of recommendations at a time; a recommendation without
 * them (every curated one) gets empty lists.
 */
export const EXPORTS_STATEMENTS = {
  uhriTags: `// uhriTags
UNWIND $ids AS id
MATCH (r:Recommendation {id: id})
WHERE ${visible('r')}
RETURN r.id AS id,
       COLLECT { MATCH (r)-[:AFFECTS]->(g:AffectedGroup) RETURN g.name ORDER BY g.name } AS affectedPersons,
       COLLECT { MATCH (r)-[:SDG_TARGET]->(s:SdgTarget)
                 RETURN s.target + CASE WHEN s.title IS NULL THEN '' ELSE ' - ' + s.title END ORDER BY s.target } AS sdgs`,
};

const TAG_ROWS = z.array(z.object({ id: z.string(), affectedPersons: z.array(z.string()), sdgs: z.array(z.string()) }));

export interface UhriTags {
  affectedPersons: string[];
  sdgs: string[];
}

export class ExportsRepository {
  constructor(private readonly db: CypherReader) {}

  /** Affected persons and SDG targets (as `16.2 - title`) of these recommendations, by id. */
  async uhriTags(ids: readonly string[]): Promise<Map<string, UhriTags>> {
    if (ids.length === 0) return new Map();
    const rows = decodeWith(
      TAG_ROWS,
      await this.db.read('uhriTags', EXPORTS_STATEMENTS.uhriTags, { ids }),
      'uhriTags rows',
    );
    return new Map(rows.map((row) => [row.id, { affectedPersons: row.affectedPersons, sdgs: row.sdgs }]));
  }
}
