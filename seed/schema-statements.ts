/**
 * The schema the loader creates before it writes: a uniqueness constraint on `id` per label, the property
 * indexes the API's filters and orderings use, and the full-text indexes search reads.
 */
import neo4j, { type Driver, type Session } from 'neo4j-driver';
import { NODE_LABELS, OWNER_TEXT, TEXT_OWNER_LABELS } from '../src/graph/vocabulary';
import { FOLLOWUP_CONSTRAINTS } from '../src/modules/followup/repository';
import { IDENTITY_CONSTRAINTS } from '../src/modules/identity/users';
import { dropOutdatedSearchIndexes, labelTextsByOwner, SEARCH_INDEX_PROPERTIES } from './search-indexes';

/** Property indexes the API's filters and orderings use. */
const RANGE_INDEXES: ReadonlyArray<[string, string]> = [
  ['Entity', 'verification'],
  ['Source', 'kind'],
  ['TreatyArticle', 'treatyId'],
  ['TreatyArticle', 'number'],
  ['TreatyAction', 'kind'],
  ['TreatyAction', 'stateId'],
  ['LegalInstrument', 'stateId'],
  ['LegalInstrument', 'kind'],
  ['LegalInstrument', 'inForce'],
  ['LegalInstrument', 'adoptedYear'],
  ['Provision', 'stateId'],
  ['Provision', 'instrumentId'],
  ['Body', 'stateId'],
  ['Body', 'kind'],
  ['Body', 'status'],
  ['Mechanism', 'stateId'],
  ['Mechanism', 'kind'],
  ['Mechanism', 'status'],
  ['Document', 'symbol'],
  ['Document', 'kind'],
  ['Document', 'stateId'],
  ['Document', 'cycle'],
  ['Document', 'year'],
  ['Document', 'committee'],
  ['Recommendation', 'kind'],
  ['Recommendation', 'stateId'],
  ['Recommendation', 'documentId'],
  ['Recommendation', 'documentSymbol'],
  ['Recommendation', 'cycle'],
  ['Recommendation', 'year'],
  ['Statistic', 'stateId'],
  ['Statistic', 'year'],
  ['Finding', 'stateId'],
  ['Finding', 'kind'],
  ['TextVersion', 'ownerId'],
  ['TextVersion', 'language'],
  ['Claim', 'ownerId'],
];

const FULLTEXT_OPTIONS =
  "OPTIONS { indexConfig: { `fulltext.analyzer`: 'standard-no-stop-words', `fulltext.eventually_consistent`: false } }";

const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** Constraints and indexes, each `IF NOT EXISTS` (creating them again is a no-op). */
export const SCHEMA_STATEMENTS: ReadonlyArray<{ name: string; cypher: string }> = [
  ...['Entity', ...NODE_LABELS, 'CorpusMeta'].map((label) => {
    const name = `${snake(label)}_id`;
    return { name, cypher: `CREATE CONSTRAINT ${name} IF NOT EXISTS FOR (n:${label}) REQUIRE n.id IS UNIQUE` };
  }),
  ...RANGE_INDEXES.map(([label, property]) => {
    const name = `${snake(label)}_${snake(property)}`;
    return { name, cypher: `CREATE INDEX ${name} IF NOT EXISTS FOR (n:${label}) ON (n.${property})` };
  }),
  {
    name: 'treatyArticleText',
    cypher: `CREATE FULLTEXT INDEX treatyArticleText IF NOT EXISTS FOR (n:TreatyArticle) ON EACH [n.searchTitle, n.searchText] ${FULLTEXT_OPTIONS}`,
  },
  // Provision texts and recommendation texts in every language, an index per owner kind (OWNER_TEXT); a
  // text's ownerId leads back to its owner.
  ...TEXT_OWNER_LABELS.map((owner) => {
    const { label, index } = OWNER_TEXT[owner];
    return {
      name: index,
      cypher: `CREATE FULLTEXT INDEX ${index} IF NOT EXISTS FOR (n:${label}) ON EACH [n.searchText] ${FULLTEXT_OPTIONS}`,
    };
  }),
  {
    name: 'entityNameText',
    cypher:
      'CREATE FULLTEXT INDEX entityNameText IF NOT EXISTS ' +
      'FOR (n:Source|Theme|Treaty|TreatyArticle|State|LegalInstrument|Provision|Body|Mechanism|Document|Recommendation|Statistic|Finding) ' +
      'ON EACH [n.name, n.title, n.shortName, n.officialName, n.titleOriginalText, n.nameOriginalText, n.heading, n.summary, n.description, n.indicator, n.symbol] ' +
      FULLTEXT_OPTIONS,
  },
  // Users are not corpus entities (src/modules/identity/users.ts); their constraints are made here too.
  ...IDENTITY_CONSTRAINTS,
  // Follow-up records are not corpus entities either (src/modules/followup/repository.ts).
  ...FOLLOWUP_CONSTRAINTS,
];

/** Creates the constraints and indexes (each in its own schema transaction) and waits until they are online. */
export async function ensureSchema(driver: Driver, database?: string): Promise<void> {
  const session = driver.session({ database, defaultAccessMode: neo4j.session.WRITE });
  try {
    await migrateTextSearch(session);
    for (const statement of SCHEMA_STATEMENTS) {
      await session.run(`// ensureSchema ${statement.name}\n${statement.cypher}`);
    }
    await session.run('// awaitIndexes\nCALL db.awaitIndexes(300)');
  } finally {
    await session.close();
  }
}

/**
 * Creates those of `statements` that do not exist yet (by name), without waiting for anything else. The API
 * runs it at every start for the users' constraints, which a graph loaded before they were added lacks
 * (the loader runs the schema statements only when it loads), and `npm run users` runs it before writing.
 */
export async function ensureSchemaStatements(
  driver: Driver,
  statements: ReadonlyArray<{ name: string; cypher: string }>,
  database?: string,
): Promise<string[]> {
  const session = driver.session({ database, defaultAccessMode: neo4j.session.WRITE });
  try {
    const names = new Set<string>();
    for (const show of ['SHOW CONSTRAINTS YIELD name', 'SHOW INDEXES YIELD name']) {
      const existing = await session.run(`// existingSchemaNames\n${show} RETURN name`);
      for (const record of existing.records) names.add(record.get('name') as string);
    }
    const created: string[] = [];
    for (const statement of statements) {
      if (names.has(statement.name)) continue;
      await session.run(`// ensureSchema ${statement.name}\n${statement.cypher}`);
      created.push(statement.name);
    }
    return created;
  } finally {
    await session.close();
  }
}

/** Before the search indexes are created: outdated and retired ones dropped, texts given their kind label. */
async function migrateTextSearch(session: Session): Promise<Omit<TextSearchUpgrade, 'created'>> {
  const dropped = await dropOutdatedSearchIndexes(session);
  const labelled = await labelTextsByOwner(session);
  return { dropped, labelled };
}

/** What upgradeTextSearch changed. */
export interface TextSearchUpgrade {
  /** Texts given their owner-kind label. */
  labelled: number;
  /** Full-text indexes dropped: retired, or reading other properties than search reads. */
  dropped: string[];
  /** Full-text indexes of the search created. */
  created: string[];
}

/**
 * Brings text search up to date on a graph the loader has not loaded since the search changed: texts without
 * their owner-kind label get it, the retired `textVersionText` goes, and the per-kind indexes are created (they
 * come online before the API reports ready: src/db/warm-up.ts). The API runs it at every start, because a Neo4j
 * of one's own is loaded only on request (SEED_ON_START is false for it); on an up-to-date graph it costs two
 * label scans and a look at the indexes.
 */
export async function upgradeTextSearch(driver: Driver, database?: string): Promise<TextSearchUpgrade> {
  const session = driver.session({ database, defaultAccessMode: neo4j.session.WRITE });
  let migrated: Omit<TextSearchUpgrade, 'created'>;
  try {
    migrated = await migrateTextSearch(session);
  } finally {
    await session.close();
  }
  const created = await ensureSchemaStatements(
    driver,
    SCHEMA_STATEMENTS.filter((statement) => statement.name in SEARCH_INDEX_PROPERTIES),
    database,
  );
  return { ...migrated, created };
}
