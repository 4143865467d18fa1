import type { Session } from 'neo4j-driver';

/**
 * The properties each full-text index of the search reads: the normalised copies (`normalizeSearchText`)
 * the loader writes beside the texts. Must agree with the loader's SCHEMA_STATEMENTS (a unit test checks).
 */
export const SEARCH_INDEX_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  treatyArticleText: ['searchTitle', 'searchText'],
  textVersionText: ['searchText'],
};

/**
 * `CREATE … IF NOT EXISTS` keeps an index of the same name whatever it covers, so a graph made by an
 * earlier loader would keep indexing the raw texts: an index of the search whose properties differ from
 * SEARCH_INDEX_PROPERTIES is dropped here, and the schema statements that follow create it anew.
 */
export async function dropOutdatedSearchIndexes(session: Session): Promise<string[]> {
  const result = await session.run(
    `// outdatedSearchIndexes
     SHOW FULLTEXT INDEXES YIELD name, properties
     WHERE name IN $names
     RETURN name, properties`,
    { names: Object.keys(SEARCH_INDEX_PROPERTIES) },
  );
  const dropped: string[] = [];
  for (const record of result.records) {
    const name = record.get('name') as string;
    const properties = record.get('properties') as string[];
    const expected = SEARCH_INDEX_PROPERTIES[name] ?? [];
    if (properties.length === expected.length && properties.every((property, i) => property === expected[i])) continue;
    // The name comes from SEARCH_INDEX_PROPERTIES, never from input.
    await session.run(`// dropOutdatedSearchIndex\nDROP INDEX ${name} IF EXISTS`);
    dropped.push(name);
  }
  return dropped;
}
