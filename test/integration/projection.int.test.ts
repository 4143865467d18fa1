import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import {
  buildSchema,
  getNamedType,
  isLeafType,
  isNonNullType,
  isObjectType,
  Kind,
  parse,
  visit,
  type GraphQLField,
  type GraphQLObjectType,
  type OperationDefinitionNode,
} from 'graphql';
import { getComplexity } from 'graphql-query-complexity';
import { costEstimator, LIMITS } from '../../src/limits';
import { ENTITY_MODELS } from '../../src/modules/entities';
import { ANSWERER_LABELS } from '../../src/modules/un-documents/models';
import type { Logger } from '../../src/logger';
import { loadTypeDefs } from '../../src/schema';
import { ensureRealCorpus, postGraphQL, startTestServer, type TestServer } from '../support/harness';

/**
 * Every field of every entity type a projected read returns, along every path that reads it with a
 * projection (docs/reading.md "Reading only the properties a query selects"), against the real corpus.
 *
 * An entity read with a projection throws for a model property its field's selection did not name, so a
 * resolver that reads a property other than the one of its own name, without modules/selection.ts
 * `FIELD_PROPERTIES` saying so, fails a user's query. Here each field is selected ALONE below its own copy
 * (an alias) of the field that reads with the projection, so that no other field selected beside it can
 * name the property it needs, and its value is compared with the same field of the same entity read whole
 * (`nodes(ids:)`, which reads every property). The fields come from the schema, so a field added later is
 * covered without touching this file; a new path (a new `projectionFor` call) needs a site below, and a new
 * kind read with a projection fails the first test until one is added.
 */

let test: TestServer;
const schema = buildSchema(loadTypeDefs().join('\n'));

/** The server's error lines, so that a failure shows what the client sees masked (the guard's message). */
const logged: Array<{ message: string; fields: Record<string, unknown> }> = [];
const keep = (message: string, fields: Record<string, unknown> = {}) => {
  logged.push({ message, fields });
};
const logger: Logger = { debug: () => undefined, info: () => undefined, warn: keep, error: keep };

beforeAll(async () => {
  test = await startTestServer({ logger });
  await ensureRealCorpus(test.driver);
}, 180_000);

afterAll(async () => {
  await test?.close();
});

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

async function ask(query: string, variables: Record<string, unknown> = {}): Promise<Record<string, Json>> {
  const response = await postGraphQL<Record<string, Json>>(test.server.graphqlUrl, query, variables);
  if (response.status !== 200 || response.body.errors?.length || !response.body.data) {
    const requestId = response.headers.get('x-request-id');
    const lines = logged.filter((line) => line.fields.requestId === requestId);
    throw new Error(
      `Expected a successful GraphQL response.\nQuery:\n${query}\nVariables: ${JSON.stringify(variables)}\n` +
        `Status: ${response.status}\nErrors: ${JSON.stringify(response.body.errors ?? null, null, 2)}\n` +
        `Logged: ${JSON.stringify(lines, (_key, value: unknown) => (value instanceof Error ? value.message : value), 2)}`,
    );
  }
  return response.body.data;
}

function objectType(name: string): GraphQLObjectType {
  const type = schema.getType(name);
  if (!isObjectType(type)) throw new Error(`The schema has no object type ${name}`);
  return type;
}

/** Arguments for a field: a small page where it has one; a required argument without a default needs a value here. */
function argumentsOf(type: string, field: GraphQLField<unknown, unknown>): string {
  const given: string[] = [];
  for (const argument of field.args) {
    if (argument.name === 'first') given.push('first: 2');
    else if (isNonNullType(argument.type) && argument.defaultValue === undefined)
      throw new Error(`${type}.${field.name}(${argument.name}:) is required: give this test a value for it`);
  }
  return given.length ? `(${given.join(', ')})` : '';
}

/** A field as selected here: leaves directly, objects, interfaces and unions by their `__typename`. */
function selectionOf(type: string, field: GraphQLField<unknown, unknown>): string {
  const below = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  return `${field.name}${argumentsOf(type, field)}${below}`;
}

/** Every field of an entity type but its id (always read and selected beside each field). */
function fieldsOf(type: string): Array<GraphQLField<unknown, unknown>> {
  return Object.values(objectType(type).getFields()).filter((field) => field.name !== 'id');
}

/** The alias of a field's own copy of the reading field (the field itself is selected by its name). */
const aliasOf = (type: string, field: string) => `${type}_${field}`;

/**
 * A place where a query reads entities with a projection: `around` is the query with `%` where the aliased
 * copies of the reading field go, `pick` is one copy (under `alias`) holding `selection` on the entity.
 * The root query or field that holds `%` must not select `__typename` (entities are found by it).
 */
interface Site {
  path: string;
  types: readonly string[];
  around: string;
  pick: (alias: string, selection: string, type: string) => string;
  variables?: () => Record<string, unknown>;
}

/** Whether a query stays within the request-shape limits the server enforces (src/limits.ts). */
function withinLimits(query: string, variables: Record<string, unknown>): boolean {
  const document = parse(query);
  let aliases = 0;
  visit(document, {
    Field(node) {
      if (node.alias) aliases += 1;
    },
  });
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const rootFields = operation?.selectionSet.selections.length ?? 0;
  const cost = getComplexity({ schema, query: document, variables, estimators: [costEstimator] });
  return aliases <= LIMITS.maxAliases && rootFields <= LIMITS.maxRootFields && cost <= LIMITS.maxCost;
}

/** The site's queries: as many copies in each as the limits allow. */
function queriesOf(site: Site, copies: readonly string[], variables: Record<string, unknown>): string[] {
  const queries: string[] = [];
  let taken: string[] = [];
  const query = (some: readonly string[]) => site.around.replace('%', some.join('\n'));
  for (const copy of copies) {
    if (withinLimits(query([...taken, copy]), variables)) taken.push(copy);
    else {
      if (taken.length === 0) throw new Error(`One copy is over the limits on ${site.path}:\n${query([copy])}`);
      queries.push(query(taken));
      taken = [copy];
    }
  }
  if (taken.length) queries.push(query(taken));
  return queries;
}

const STATE = 'KAZ';
const ARTICLE = 'treaty:CRC:art:19';
/** The recommendations to Kazakhstan something answers (test/integration/analysis.int.test.ts), and more. */
const ANSWERED = [
  'rec:CRC/C/15/Add.213:39',
  'rec:CRC/C/15/Add.213:44(b)',
  'rec:CRC/C/15/Add.213:44(c)',
  'rec:CRC/C/15/Add.213:67(a)',
  'rec:CRC/C/KAZ/CO/4:65',
];
let recommendationIds: string[] = [];
let provisionIds: string[] = [];

const LIST = `recommendations(first: 20, filter: { state: "${STATE}" })`;
const byRecommendation = `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Recommendation { id % } } }`;
const byProvision = `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Provision { id % } } }`;
const recommendations = () => ({ ids: recommendationIds });
const provisions = () => ({ ids: provisionIds });
const on = (type: string, selection: string) => `__typename ... on ${type} { ${selection} }`;
const IMPLEMENTATIONS = `implementations(state: "${STATE}", first: 50)`;
/** Articles whose implementing provisions mandate a body (Law 345-II art. 7-1) and ground mechanisms (Code art. 116). */
const ARTICLE_WITH_BODIES = 'treaty:CRC:art:4';
const ARTICLE_WITH_MECHANISMS = 'treaty:CRC:art:20';
const CHAIN = `implementationChain(article: "${ARTICLE}", state: "${STATE}")`;
/** Under the strict test, recommendations something answers in part are gaps too. */
const GAPS = `recommendationGaps(state: "${STATE}", strictness: STRICT, first: 50)`;

const SITES: Site[] = [
  // Recommendations: the root list (projected, read ahead below).
  {
    path: 'Query.recommendations',
    types: ['Recommendation'],
    around: '{ % }',
    pick: (alias, selection) => `${alias}: ${LIST} { edges { node { ${selection} } } }`,
  },
  // Documents, articles and themes of recommendations: read ahead by the root list, and by their loaders.
  {
    path: 'Query.recommendations → Recommendation.document (read ahead)',
    types: ['Document'],
    around: `{ ${LIST} { edges { node { id % } } } }`,
    pick: (alias, selection) => `${alias}: document { ${selection} }`,
  },
  {
    path: 'nodes → Recommendation.document',
    types: ['Document'],
    around: byRecommendation,
    pick: (alias, selection) => `${alias}: document { ${selection} }`,
    variables: recommendations,
  },
  {
    path: 'Query.recommendations → Recommendation.articles → ArticleConcern.article (read ahead)',
    types: ['TreatyArticle'],
    around: `{ ${LIST} { edges { node { id % } } } }`,
    pick: (alias, selection) => `${alias}: articles { article { ${selection} } }`,
  },
  {
    path: 'nodes → Recommendation.articles → ArticleConcern.article',
    types: ['TreatyArticle'],
    around: byRecommendation,
    pick: (alias, selection) => `${alias}: articles { article { ${selection} } }`,
    variables: recommendations,
  },
  {
    path: 'Query.recommendations → Recommendation.themes (read ahead)',
    types: ['Theme'],
    around: `{ ${LIST} { edges { node { id % } } } }`,
    pick: (alias, selection) => `${alias}: themes { ${selection} }`,
  },
  {
    path: 'nodes → Recommendation.themes',
    types: ['Theme'],
    around: byRecommendation,
    pick: (alias, selection) => `${alias}: themes { ${selection} }`,
    variables: recommendations,
  },
  {
    path: 'nodes → Recommendation.answers → Answer.by',
    types: ANSWERER_LABELS,
    around: byRecommendation,
    pick: (alias, selection, type) => `${alias}: answers { by { ${on(type, selection)} } }`,
    variables: recommendations,
  },
  // Treaty articles: the article question (read ahead below) and a treaty's articles.
  {
    path: 'Query.treatyArticle',
    types: ['TreatyArticle'],
    around: '{ % }',
    pick: (alias, selection) => `${alias}: treatyArticle(id: "${ARTICLE}") { ${selection} }`,
  },
  {
    path: 'Query.treaty → Treaty.articles',
    types: ['TreatyArticle'],
    around: '{ treaty(id: "CRC") { % } }',
    pick: (alias, selection) => `${alias}: articles(first: 60) { edges { node { ${selection} } } }`,
  },
  // Implementations of an article: provisions and instruments, read ahead by the article question, and below.
  {
    path: 'Query.treatyArticle → TreatyArticle.implementations → Implementation.provision (read ahead)',
    types: ['Provision'],
    around: `{ treatyArticle(id: "${ARTICLE}") { % } }`,
    pick: (alias, selection) => `${alias}: ${IMPLEMENTATIONS} { edges { node { provision { ${selection} } } } }`,
  },
  {
    path: 'Query.treatyArticle → TreatyArticle.implementations → Implementation.instrument (read ahead)',
    types: ['LegalInstrument'],
    around: `{ treatyArticle(id: "${ARTICLE}") { % } }`,
    pick: (alias, selection) => `${alias}: ${IMPLEMENTATIONS} { edges { node { instrument { ${selection} } } } }`,
  },
  {
    path: 'Query.treaty → Treaty.articles → TreatyArticle.implementations → Implementation.provision, .instrument',
    types: ['Provision', 'LegalInstrument'],
    around: '{ treaty(id: "CRC") { articles(first: 60) { edges { node { id % } } } } }',
    pick: (alias, selection, type) =>
      `${alias}: implementations(state: "${STATE}", first: 5) { edges { node { ${type === 'Provision' ? 'provision' : 'instrument'} { ${selection} } } } }`,
  },
  {
    path: 'Query.treatyArticle → TreatyArticle.implementations → Provision.instrument (read ahead)',
    types: ['LegalInstrument'],
    around: `{ treatyArticle(id: "${ARTICLE}") { % } }`,
    pick: (alias, selection) =>
      `${alias}: ${IMPLEMENTATIONS} { edges { node { provision { instrument { ${selection} } } } } }`,
  },
  {
    path: 'nodes → Provision.instrument',
    types: ['LegalInstrument'],
    around: byProvision,
    pick: (alias, selection) => `${alias}: instrument { ${selection} }`,
    variables: provisions,
  },
  {
    path: 'nodes → Provision.establishedBodies, .mandatedBodies',
    types: ['Body'],
    around: byProvision,
    pick: (alias, selection) =>
      `${alias}: establishedBodies { ${selection} } ${alias}_mandated: mandatedBodies { ${selection} }`,
    variables: provisions,
  },
  {
    path: 'Query.treatyArticle → … → Provision.establishedBodies, .mandatedBodies (read ahead)',
    types: ['Body'],
    around: `{ treatyArticle(id: "${ARTICLE_WITH_BODIES}") { % } }`,
    pick: (alias, selection) =>
      `${alias}: ${IMPLEMENTATIONS} { edges { node { provision { establishedBodies { ${selection} } mandatedBodies { ${selection} } } } } }`,
  },
  // The analyses, which read entities they name by id with a projection.
  {
    path: 'Query.recommendationGaps → RecommendationGap.answers → Answer.by',
    types: ANSWERER_LABELS,
    around: `{ ${GAPS} { edges { node { % } } } }`,
    pick: (alias, selection, type) => `${alias}: answers { by { ${on(type, selection)} } }`,
  },
  {
    path: 'Query.recommendationGaps → RecommendationGap.relatedMechanisms',
    types: ['Mechanism'],
    around: `{ ${GAPS} { edges { node { % } } } }`,
    pick: (alias, selection) => `${alias}: relatedMechanisms { ${selection} }`,
  },
  {
    path: 'Query.implementationChain → ImplementationChain.mechanisms',
    types: ['Mechanism'],
    around: `{ ${CHAIN} { % } }`,
    pick: (alias, selection) => `${alias}: mechanisms { ${selection} }`,
  },
  {
    path: 'Query.implementationChain → ImplementationChain.evidence',
    types: ['Statistic', 'Finding'],
    around: `{ ${CHAIN} { % } }`,
    pick: (alias, selection, type) => `${alias}: evidence { ${on(type, selection)} }`,
  },
  {
    path: 'Query.implementationChain → ChainProvision.bodies → ChainBody.body',
    types: ['Body'],
    around: `{ ${CHAIN} { provisions { % } } }`,
    pick: (alias, selection) => `${alias}: bodies { body { ${selection} } }`,
  },
  {
    path: 'Query.implementationChain → ChainProvision.mechanisms',
    types: ['Mechanism'],
    around: `{ implementationChain(article: "${ARTICLE_WITH_MECHANISMS}", state: "${STATE}") { provisions { % } } }`,
    pick: (alias, selection) => `${alias}: mechanisms { ${selection} }`,
  },
  {
    path: 'Query.implementationChain → ChainProvision.implementation → Implementation.instrument',
    types: ['LegalInstrument'],
    around: `{ ${CHAIN} { provisions { implementation { % } } } }`,
    pick: (alias, selection) => `${alias}: instrument { ${selection} }`,
  },
  {
    path: 'Query.implementationChain → ChainRecommendation.document, .relatedDocuments',
    types: ['Document'],
    around: `{ ${CHAIN} { recommendations { % } } }`,
    pick: (alias, selection) =>
      `${alias}: document { ${selection} } ${alias}_related: relatedDocuments { ${selection} }`,
  },
  {
    path: 'Query.treatyCoverage → CoverageRow.implementations → Implementation.instrument',
    types: ['LegalInstrument'],
    around: `{ treatyCoverage(treaty: "CRC", state: "${STATE}") { rows { implementations { % } } } }`,
    pick: (alias, selection) => `${alias}: instrument { ${selection} }`,
  },
];

/** What one copy returned: the field's value on an entity. */
interface Seen {
  type: string;
  id: string;
  field: string;
  value: Json;
}

/** The entities of `types` in a response, each with the one field (besides id) its copy selected. */
function seenIn(data: Json, types: readonly string[], found: Seen[] = []): Seen[] {
  if (Array.isArray(data)) {
    for (const item of data) seenIn(item, types, found);
  } else if (data !== null && typeof data === 'object') {
    const { __typename: type, id, ...rest } = data;
    const fields = Object.keys(rest);
    if (typeof type === 'string' && types.includes(type) && typeof id === 'string' && fields.length === 1) {
      const [field] = fields as [string];
      found.push({ type, id, field, value: rest[field] ?? null });
    } else {
      for (const value of Object.values(data)) seenIn(value, types, found);
    }
  }
  return found;
}

/** The same fields of the same entities read whole (`nodes(ids:)` reads every property), by id. */
async function readWhole(type: string, ids: readonly string[]): Promise<Map<string, Record<string, Json>>> {
  const whole = new Map<string, Record<string, Json>>();
  const selection = fieldsOf(type)
    .map((field) => selectionOf(type, field))
    .join(' ');
  for (let start = 0; start < ids.length; start += 100) {
    const data = await ask(`query ($ids: [ID!]!) { nodes(ids: $ids) { ... on ${type} { id ${selection} } } }`, {
      ids: ids.slice(start, start + 100),
    });
    for (const node of data.nodes as Array<Record<string, Json> | null>) {
      if (node && typeof node.id === 'string') whole.set(node.id, node);
    }
  }
  return whole;
}

/** The labels the resolvers pass to `projectionFor(info, …)`, read from their source. */
function projectedKinds(): Set<string> {
  const modules = join(__dirname, '..', '..', 'src', 'modules');
  const kinds = new Set<string>();
  for (const entry of readdirSync(modules, { withFileTypes: true })) {
    const file = join(modules, entry.name, 'resolvers.ts');
    if (!entry.isDirectory() || !existsSync(file)) continue;
    for (const match of readFileSync(file, 'utf8').matchAll(/projectionFor\(\s*info,\s*([^)]+?)\s*\)/g)) {
      const argument = match[1] ?? '';
      if (argument === 'ANSWERER_LABELS') ANSWERER_LABELS.forEach((label) => kinds.add(label));
      else {
        const labels = [...argument.matchAll(/'(\w+)'/g)].map((quoted) => quoted[1] ?? '');
        if (labels.length === 0) throw new Error(`${file}: projectionFor(info, ${argument}): name its kinds here`);
        labels.forEach((label) => kinds.add(label));
      }
    }
  }
  return kinds;
}

describe('every field of an entity read with a projection shows what the entity read whole shows', () => {
  beforeAll(async () => {
    const listed = await ask(
      `{ recommendations(first: 20, filter: { state: "${STATE}" }) { edges { node { id } } }
         provisions(state: "${STATE}", first: 100) { edges { node { id } } } }`,
    );
    const ids = (connection: Json) =>
      ((connection as { edges: Array<{ node: { id: string } }> }).edges ?? []).map((edge) => edge.node.id);
    recommendationIds = [...new Set([...ANSWERED, ...ids(listed.recommendations ?? null)])].slice(0, 20);
    provisionIds = ids(listed.provisions ?? null);
  }, 60_000);

  it('has a site for every kind a resolver reads with a projection, each an entity type of the schema', () => {
    const kinds = projectedKinds();
    expect(kinds.size).toBeGreaterThan(0);
    for (const kind of kinds) {
      expect(Object.keys(ENTITY_MODELS)).toContain(kind);
      expect(objectType(kind).name).toBe(kind);
    }
    const covered = new Set(SITES.flatMap((site) => site.types));
    expect([...kinds].filter((kind) => !covered.has(kind))).toEqual([]);
  });

  it.each(SITES.map((site) => [site.path, site] as const))(
    '%s',
    async (_path, site) => {
      const copies = site.types.flatMap((type) =>
        fieldsOf(type).map((field) =>
          site.pick(aliasOf(type, field.name), `__typename id ${selectionOf(type, field)}`, type),
        ),
      );
      const variables = site.variables?.() ?? {};
      const seen: Seen[] = [];
      for (const query of queriesOf(site, copies, variables)) seenIn(await ask(query, variables), site.types, seen);
      // A site that reaches no entity tests nothing: its arguments must reach some in the corpus.
      expect(seen.length).toBeGreaterThan(0);

      const differences: string[] = [];
      for (const type of site.types) {
        const ofType = seen.filter((item) => item.type === type);
        const whole = await readWhole(type, [...new Set(ofType.map((item) => item.id))]);
        for (const item of ofType) {
          const expected = whole.get(item.id)?.[item.field];
          if (!isDeepStrictEqual(item.value, expected))
            differences.push(
              `${type} ${item.id}.${item.field}: ${JSON.stringify(item.value)}, read whole ${JSON.stringify(expected)}`,
            );
        }
        // Every field of the type was read on this site for each entity found (none was dropped on the way).
        const fields = fieldsOf(type).map((field) => field.name);
        for (const id of new Set(ofType.map((item) => item.id))) {
          const read = new Set(ofType.filter((item) => item.id === id).map((item) => item.field));
          const missing = fields.filter((field) => !read.has(field));
          if (missing.length) differences.push(`${type} ${id}: no value seen for ${missing.join(', ')}`);
        }
      }
      expect(differences).toEqual([]);
    },
    60_000,
  );
});
