import neo4j, { type Session } from 'neo4j-driver';
import { OWNER_TEXT, TEXT_OWNER_LABELS } from '../src/graph/vocabulary';

/**
 * The properties each full-text index of the search reads: the normalised copies (`normalizeSearchText`)
 * the loader writes beside the texts. Must agree with the loader's SCHEMA_STATEMENTS (a unit test checks).
 */
export const SEARCH_INDEX_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  treatyArticleText: ['searchTitle', 'searchText'],
  ...Object.fromEntries(TEXT_OWNER_LABELS.map((owner) => [OWNER_TEXT[owner].index, ['searchText']])),
};

/**
 * Full-text indexes of earlier loaders that nothing reads any more: `textVersionText`, over every text of
 * either owner kind, replaced on 2 December 2026 by an index per owner kind (OWNER_TEXT). Each is dropped
 * here, so that a graph made before does not keep paying for it on every write of a text.
 */
export const RETIRED_SEARCH_INDEXES: readonly string[] = ['textVersionText'];

/**
 * `CREATE … IF NOT EXISTS` keeps an index of the same name whatever it covers, so a graph made by an
 * earlier loader would keep indexing the raw texts: an index of the search whose properties differ from
 * SEARCH_INDEX_PROPERTIES is dropped here, and the schema statements that follow create it anew. A retired
 * index (RETIRED_SEARCH_INDEXES) is dropped too.
 */
export async function dropOutdatedSearchIndexes(session: Session): Promise<string[]> {
  const result = await session.run(
    `// outdatedSearchIndexes
     SHOW FULLTEXT INDEXES YIELD name, properties
     WHERE name IN $names
     RETURN name, properties`,
    { names: [...Object.keys(SEARCH_INDEX_PROPERTIES), ...RETIRED_SEARCH_INDEXES] },
  );
  const dropped: string[] = [];
  for (const record of result.records) {
    const name = record.get('name') as string;
    const properties = record.get('properties') as string[];
    const expected = SEARCH_INDEX_PROPERTIES[name];
    if (
      expected &&
      properties.length === expected.length &&
      properties.every((property, i) => property === expected[i])
    )
      continue;
    // The name comes from SEARCH_INDEX_PROPERTIES or RETIRED_SEARCH_INDEXES, never from input.
    await session.run(`// dropOutdatedSearchIndex\nDROP INDEX ${name} IF EXISTS`);
    dropped.push(name);
  }
  return dropped;
}

/**
 * Gives every text without its owner-kind label (OWNER_TEXT) that label, from its `ownerLabel`: the texts of a
 * graph loaded or imported before the labels existed, which the search indexes would not see otherwise. The
 * curated texts get theirs again when the loader writes them; imported texts (and texts an import has staged)
 * get theirs only here. A graph whose texts all have theirs costs a label scan per owner kind. Returns how many it
 * labelled.
 */
export async function labelTextsByOwner(session: Session): Promise<number> {
  const kindLabels = TEXT_OWNER_LABELS.map((owner) => `NOT t:${OWNER_TEXT[owner].label}`).join(' AND ');
  let labelled = 0;
  for (const owner of TEXT_OWNER_LABELS) {
    // Labels come from the vocabulary, never from input; the owner kind is a parameter.
    const result = await session.run(
      `// labelTextsByOwner
MATCH (t:TextVersion) WHERE ${kindLabels} AND t.ownerLabel = $owner
CALL (t) { SET t:${OWNER_TEXT[owner].label} } IN TRANSACTIONS OF 10000 ROWS
RETURN count(t) AS labelled`,
      { owner },
    );
    const count: unknown = result.records[0]?.get('labelled');
    labelled += neo4j.isInt(count) ? count.toNumber() : Number(count ?? 0);
  }
  return labelled;
}
