/**
 * The benchmark's questions, each asked of both servers: the project's query, the Neo4j GraphQL Library's
 * query for the same answer, and a normaliser per side that turns each response into one canonical shape.
 * The run checks that the two canonical answers are deep-equal before it times anything.
 *
 * The library's queries use the fast forms (see bench/notes.md): the state is filtered on the `stateId`
 * property, never through a relationship filter; "no sub-paragraphs" is a `none` filter with a real
 * condition, because `subParagraphs: { none: {} }` is silently ignored by @neo4j/graphql 7.6.
 */
import { toLuceneQuery } from '../../src/search-query';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Data = Record<string, unknown>;

export interface Asked {
  query: string;
  variables: Record<string, unknown>;
}

export interface Question {
  name: string;
  /** What it asks, for the table. */
  title: string;
  project: Asked;
  library: Asked;
  normaliseProject(data: Data): Json;
  normaliseLibrary(data: Data): Json;
}

/** What a question is asked about on one corpus. */
export interface QuestionScope {
  /** Project form of the state (ISO code), e.g. KAZ. */
  state: string;
  /** The treaty article of the first question (the state's most implemented one). */
  article: string;
  /** Search text (plain words). */
  searchText: string;
}

// ---------------------------------------------------------------- small helpers for normalisers

const obj = (value: unknown): Data => {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new Error(`expected an object, got ${JSON.stringify(value)?.slice(0, 200)}`);
  return value as Data;
};
const list = (value: unknown): unknown[] => {
  if (!Array.isArray(value)) throw new Error(`expected a list, got ${JSON.stringify(value)?.slice(0, 200)}`);
  return value;
};
/** Picks fields (absent and undefined read as null, so a field one side omits compares as null). */
const pick = (value: unknown, keys: string[]): { [key: string]: Json } => {
  const source = obj(value);
  const result: { [key: string]: Json } = {};
  for (const key of keys) result[key] = (source[key] ?? null) as Json;
  return result;
};
/** Code-unit order, as Cypher orders ASCII strings (localeCompare follows a locale's collation, which orders punctuation and case differently). */
const compare = (a: unknown, b: unknown) => {
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
};
const byId = (a: { [key: string]: Json }, b: { [key: string]: Json }) => compare(a.id, b.id);
/** Edges of a connection, their nodes. */
const nodes = (connection: unknown): unknown[] => list(obj(connection).edges).map((edge) => obj(edge).node);

/** Keeps the first of each id, in order. An id that is not a string is a normaliser's mistake: said, not collapsed. */
function uniqueById<T extends { [key: string]: Json }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const id = item.id;
    if (typeof id !== 'string') throw new Error(`expected a string id, got ${JSON.stringify(id)?.slice(0, 200)}`);
    return seen.has(id) ? false : (seen.add(id), true);
  });
}

// ---------------------------------------------------------------- the shared selection shapes

/** The project's recommendation order (RECOMMENDATION_ORDER, list orders) as the library's sort: ids of
 * sub-paragraphs sort after their paragraph's id exactly as coalesce(subParagraph, '') does. */
const RECOMMENDATION_SORT = `[{ year: DESC }, { documentSymbol: ASC }, { paragraph: ASC }, { id: ASC }]`;

const implementation = (edge: unknown, withInstrumentDetails: boolean, withBodies: boolean) => {
  const e = obj(edge);
  // project: edges[].node = { extent, verification?, provision }; library: edges[] = { properties, node }
  const isLibrary = 'properties' in e;
  const link = isLibrary ? obj(e.properties) : obj(e.node);
  const provision = obj(isLibrary ? e.node : link.provision);
  const instrument =
    provision.instrument === null
      ? null
      : pick(
          provision.instrument,
          withInstrumentDetails ? ['id', 'title', 'number', 'adopted', 'inForce'] : ['id', 'title'],
        );
  return {
    extent: (link.extent ?? null) as Json,
    ...(withInstrumentDetails ? { verification: (link.verification ?? null) as Json } : {}),
    provision: {
      ...pick(provision, ['id', 'heading']),
      instrument,
      ...(withBodies
        ? {
            establishedBodies: list(provision.establishedBodies).map((b) => pick(b, ['id', 'name', 'status'])),
            mandatedBodies: list(provision.mandatedBodies).map((b) => pick(b, ['id', 'name', 'status'])),
          }
        : {}),
    },
  };
};

/**
 * One implementation in the deep question: a provision with its instrument, or a whole instrument (its
 * provision null). Project: edges[].node = { extent, provision, instrument }; library: provision edges
 * { properties, node: provision } and instrument edges { properties, node: instrument }.
 */
const deepImplementation = (edge: unknown) => {
  const e = obj(edge);
  if (!('properties' in e)) {
    const link = obj(e.node);
    return {
      extent: (link.extent ?? null) as Json,
      provision: link.provision === null ? null : pick(link.provision, ['id', 'heading']),
      instrument: pick(link.instrument, ['id', 'title']),
    };
  }
  const node = obj(e.node);
  const isProvision = 'heading' in node;
  return {
    extent: (obj(e.properties).extent ?? null) as Json,
    provision: isProvision ? pick(node, ['id', 'heading']) : null,
    instrument: isProvision ? pick(node.instrument, ['id', 'title']) : pick(node, ['id', 'title']),
  };
};
const byImplementer = (
  a: { provision: { [key: string]: Json } | null; instrument: { [key: string]: Json } },
  b: typeof a,
) => compare(a.provision?.id ?? a.instrument.id, b.provision?.id ?? b.instrument.id);

// ---------------------------------------------------------------- the questions

export function questions(scope: QuestionScope): Question[] {
  const stateId = `state:${scope.state}`;
  const lucene = toLuceneQuery(scope.searchText).query;

  const article: Question = {
    name: 'article',
    title: "one treaty article with the state's implementing provisions",
    project: {
      query: `query PeerArticle($id: ID!, $state: ID!) {
  treatyArticle(id: $id) {
    id number title
    paragraphs { position text }
    implementations(state: $state, first: 100) {
      totalCount
      edges { node {
        extent verification
        provision {
          id heading
          instrument { id title number adopted inForce }
          establishedBodies { id name status }
          mandatedBodies { id name status }
        }
      } }
    }
  }
}`,
      variables: { id: scope.article, state: scope.state },
    },
    library: {
      query: `query PeerArticle($id: ID!, $state: String!) {
  treatyArticles(where: { id: { eq: $id } }) {
    id number title paragraphs
    implementedByConnection(where: { node: { stateId: { eq: $state } } }, sort: [{ node: { id: ASC } }], first: 100) {
      totalCount
      edges {
        properties { extent verification }
        node {
          id heading
          instrument { id title number adopted inForce }
          establishedBodies(sort: [{ name: ASC }, { id: ASC }]) { id name status }
          mandatedBodies(sort: [{ name: ASC }, { id: ASC }]) { id name status }
        }
      }
    }
  }
}`,
      variables: { id: scope.article, state: stateId },
    },
    normaliseProject: (data) => {
      const a = obj(data.treatyArticle);
      const implementations = obj(a.implementations);
      return {
        ...pick(a, ['id', 'number', 'title']),
        paragraphs: list(a.paragraphs).map((p) => obj(p).text as Json),
        totalCount: implementations.totalCount as Json,
        implementations: list(implementations.edges).map((edge) => implementation(edge, true, true)),
      };
    },
    normaliseLibrary: (data) => {
      const found = list(data.treatyArticles);
      if (found.length !== 1) throw new Error(`expected one treaty article, got ${found.length}`);
      const a = obj(found[0]);
      const connection = obj(a.implementedByConnection);
      return {
        ...pick(a, ['id', 'number', 'title']),
        paragraphs: list(a.paragraphs) as Json,
        totalCount: connection.totalCount as Json,
        implementations: list(connection.edges).map((edge) => implementation(edge, true, true)),
      };
    },
  };

  const recommendationShape = (r: unknown, documentOf: (r: Data) => unknown, articlesOf: (r: Data) => unknown[]) => {
    const rec = obj(r);
    const document = documentOf(rec);
    return {
      ...pick(rec, ['id', 'paragraph', 'subParagraph', 'kind', 'summary', 'year']),
      document: document === null ? null : pick(document, ['id', 'symbol', 'date']),
      articles: articlesOf(rec).map((a) => pick(a, ['id', 'number', 'title'])),
      themes: list(rec.themes).map((t) => pick(t, ['id', 'name'])),
    };
  };
  const recommendationList: Question = {
    name: 'recommendations',
    title: '50 recommendations with document, articles and themes',
    project: {
      query: `query PeerRecommendations($state: ID!) {
  recommendations(filter: { state: $state }, first: 50) {
    edges { node {
      id paragraph subParagraph kind summary year
      document { id symbol date }
      articles { article { id number title } }
      themes { id name }
    } }
  }
}`,
      variables: { state: scope.state },
    },
    library: {
      query: `query PeerRecommendations($state: String!) {
  recommendations(where: { stateId: { eq: $state } }, sort: ${RECOMMENDATION_SORT}, limit: 50) {
    id paragraph subParagraph kind summary year
    document { id symbol date }
    articles(sort: [{ number: ASC }, { id: ASC }]) { id number title }
    themes(sort: [{ name: ASC }, { id: ASC }]) { id name }
  }
}`,
      variables: { state: stateId },
    },
    normaliseProject: (data) =>
      nodes(data.recommendations).map((r) =>
        recommendationShape(
          r,
          (rec) => rec.document,
          (rec) => list(rec.articles).map((c) => obj(c).article),
        ),
      ),
    normaliseLibrary: (data) =>
      list(data.recommendations).map((r) =>
        recommendationShape(
          r,
          (rec) => rec.document,
          (rec) => list(rec.articles),
        ),
      ),
  };

  const deep: Question = {
    name: 'deep',
    title: '20 recommendations → articles → provisions → instrument',
    project: {
      query: `query PeerDeep($state: ID!) {
  recommendations(filter: { state: $state }, first: 20) {
    edges { node {
      id
      articles { article {
        id number
        implementations(state: $state, first: 20) { edges { node { extent provision { id heading } instrument { id title } } } }
      } }
    } }
  }
}`,
      variables: { state: scope.state },
    },
    library: {
      query: `query PeerDeep($state: String!) {
  recommendations(where: { stateId: { eq: $state } }, sort: ${RECOMMENDATION_SORT}, limit: 20) {
    id
    articles(sort: [{ number: ASC }, { id: ASC }]) {
      id number
      implementedByConnection(where: { node: { stateId: { eq: $state } } }, sort: [{ node: { id: ASC } }], first: 20) {
        edges { properties { extent } node { id heading instrument { id title } } }
      }
      implementedByInstrumentsConnection(where: { node: { stateId: { eq: $state } } }, sort: [{ node: { id: ASC } }], first: 20) {
        edges { properties { extent } node { id title } }
      }
    }
  }
}`,
      variables: { state: stateId },
    },
    normaliseProject: (data) =>
      nodes(data.recommendations).map((r) => ({
        id: obj(r).id as Json,
        articles: list(obj(r).articles).map((c) => {
          const a = obj(obj(c).article);
          return {
            ...pick(a, ['id', 'number']),
            implementations: list(obj(a.implementations).edges).map(deepImplementation).sort(byImplementer),
          };
        }),
      })),
    normaliseLibrary: (data) =>
      list(data.recommendations).map((r) => ({
        id: obj(r).id as Json,
        articles: list(obj(r).articles).map((value) => {
          const a = obj(value);
          return {
            ...pick(a, ['id', 'number']),
            implementations: [
              ...list(obj(a.implementedByConnection).edges).map(deepImplementation),
              ...list(obj(a.implementedByInstrumentsConnection).edges).map(deepImplementation),
            ].sort(byImplementer),
          };
        }),
      })),
  };

  // The lenient gap test as a library filter. Tested: paragraphs of kind RECOMMENDATION without
  // sub-paragraphs, of documents under the CRC. Open: nothing answers it that passes the lenient test (an
  // operational or partial mechanism, an active body, law whose in-force status is IN_FORCE or UNKNOWN).
  const TESTED = `stateId: { eq: $state }
      kind: { eq: "RECOMMENDATION" }
      subParagraphs: { none: { id: { startsWith: "rec:" } } }
      document: { treatyId: { eq: "treaty:CRC" } }`;
  const gaps: Question = {
    name: 'gaps',
    title: "recommendationGaps (LENIENT) vs the library's best filter",
    project: {
      query: `query PeerGaps($state: ID!) {
  recommendationGaps(state: $state, strictness: LENIENT, first: 50) {
    totalCount
    testedCount
    edges { node {
      recommendation { id summary year }
      answers { extent by { __typename ... on Mechanism { id } ... on Provision { id } ... on LegalInstrument { id } ... on Body { id } } }
      relatedMechanisms { id name status }
    } }
  }
}`,
      variables: { state: scope.state },
    },
    library: {
      query: `query PeerGaps($state: String!) {
  tested: recommendationsConnection(where: {
      ${TESTED}
  }) { totalCount }
  gaps: recommendationsConnection(where: {
      ${TESTED}
      answeringMechanisms: { none: { status: { in: ["OPERATIONAL", "PARTIAL"] } } }
      answeringBodies: { none: { status: { eq: "ACTIVE" } } }
      answeringInstruments: { none: { inForce: { in: ["IN_FORCE", "UNKNOWN"] } } }
      answeringProvisions: { none: { instrument: { inForce: { in: ["IN_FORCE", "UNKNOWN"] } } } }
    }, sort: ${RECOMMENDATION_SORT}, first: 50) {
    totalCount
    edges { node {
      id summary year
      answeringMechanismsConnection { edges { properties { extent } node { id } } }
      answeringProvisionsConnection { edges { properties { extent } node { id } } }
      answeringInstrumentsConnection { edges { properties { extent } node { id } } }
      answeringBodiesConnection { edges { properties { extent } node { id } } }
      articles { mechanisms(where: { stateId: { eq: $state } }) { id name status } }
    } }
  }
}`,
      variables: { state: stateId },
    },
    normaliseProject: (data) => {
      const connection = obj(data.recommendationGaps);
      return {
        totalCount: connection.totalCount as Json,
        testedCount: connection.testedCount as Json,
        gaps: nodes(connection).map((g) => {
          const gap = obj(g);
          return {
            recommendation: pick(gap.recommendation, ['id', 'summary', 'year']),
            answers: list(gap.answers)
              .map((a) => ({ extent: obj(a).extent as Json, id: obj(obj(a).by).id as Json }))
              .sort(byId),
            relatedMechanisms: list(gap.relatedMechanisms).map((m) => pick(m, ['id', 'name', 'status'])),
          };
        }),
      };
    },
    normaliseLibrary: (data) => {
      const connection = obj(data.gaps);
      return {
        totalCount: connection.totalCount as Json,
        testedCount: obj(data.tested).totalCount as Json,
        gaps: nodes(connection).map((r) => {
          const rec = obj(r);
          const answers = [
            'answeringMechanismsConnection',
            'answeringProvisionsConnection',
            'answeringInstrumentsConnection',
            'answeringBodiesConnection',
          ]
            .flatMap((field) => list(obj(rec[field]).edges))
            .map((edge) => ({ extent: obj(obj(edge).properties).extent as Json, id: obj(obj(edge).node).id as Json }))
            .sort(byId);
          const mechanisms = list(rec.articles).flatMap((a) =>
            list(obj(a).mechanisms).map((m) => pick(m, ['id', 'name', 'status'])),
          );
          return {
            recommendation: pick(rec, ['id', 'summary', 'year']),
            answers,
            relatedMechanisms: uniqueById(mechanisms.sort(byId)),
          };
        }),
      };
    },
  };

  const search: Question = {
    name: 'search',
    title: 'full-text search (recommendation texts), first 10 with totalCount',
    project: {
      query: `query PeerSearch($text: String!) {
  search(text: $text, kinds: [RECOMMENDATION], first: 10) {
    totalCount
    edges { node { entity { ... on Recommendation { id summary } } } }
  }
}`,
      variables: { text: scope.searchText },
    },
    library: {
      // One hit per recommendation needs @cypher (library-type-defs.graphql); the phrase is the Lucene query
      // the project builds from the words, because the library passes it to Lucene as it is.
      query: `query PeerSearch($phrase: String!) {
  searchRecommendations(phrase: $phrase, first: 10) { id summary }
  searchRecommendationsCount(phrase: $phrase)
}`,
      variables: { phrase: lucene },
    },
    normaliseProject: (data) => {
      const connection = obj(data.search);
      return {
        totalCount: connection.totalCount as Json,
        hits: nodes(connection).map((h) => pick(obj(h).entity, ['id', 'summary'])),
      };
    },
    normaliseLibrary: (data) => ({
      totalCount: data.searchRecommendationsCount as Json,
      hits: list(data.searchRecommendations).map((r) => pick(r, ['id', 'summary'])),
    }),
  };

  const ids = (items: unknown): Json[] => list(items).map((item) => obj(item).id as Json);
  const sortedUnique = (values: Json[]): Json[] => [...new Set(values.map(String))].sort(compare);
  const STATE_ONLY = '(where: { stateId: { eq: $state } })';
  const chain: Question = {
    name: 'chain',
    title: 'implementationChain (one article; evidence as ids)',
    project: {
      query: `query PeerChain($article: ID!, $state: ID!) {
  implementationChain(article: $article, state: $state) {
    provisions {
      implementation { extent provision { id heading } }
      bodies { relation body { id } }
      mechanisms { id }
    }
    mechanisms { id name status }
    evidence { id }
    recommendations { recommendation { id year } document { symbol date } }
  }
}`,
      variables: { article: scope.article, state: scope.state },
    },
    library: {
      query: `query PeerChain($article: ID!, $state: String!) {
  treatyArticles(where: { id: { eq: $article } }) {
    evidence${STATE_ONLY} { id }
    implementedByConnection(where: { node: { stateId: { eq: $state } } }, sort: [{ node: { id: ASC } }]) {
      edges {
        properties { extent }
        node {
          id heading
          establishedBodies { id evidence${STATE_ONLY} { id } }
          mandatedBodies { id evidence${STATE_ONLY} { id } }
          groundedMechanisms(sort: [{ id: ASC }]) { id }
          evidence${STATE_ONLY} { id }
        }
      }
    }
    mechanisms(where: { stateId: { eq: $state } }, sort: [{ id: ASC }]) { id name status evidence${STATE_ONLY} { id } }
    recommendations(where: { stateId: { eq: $state } }, sort: [{ year: ASC }, { documentSymbol: ASC }, { paragraph: ASC }, { id: ASC }]) {
      id year document { symbol date }
    }
  }
}`,
      variables: { article: scope.article, state: stateId },
    },
    normaliseProject: (data) => {
      const c = obj(data.implementationChain);
      return {
        provisions: list(c.provisions).map((p) => {
          const item = obj(p);
          const implementation = obj(item.implementation);
          return {
            extent: implementation.extent as Json,
            provision: pick(implementation.provision, ['id', 'heading']),
            bodies: list(item.bodies).map((b) => ({
              id: obj(obj(b).body).id as Json,
              relation: obj(b).relation as Json,
            })),
            mechanisms: ids(item.mechanisms),
          };
        }),
        mechanisms: list(c.mechanisms).map((m) => pick(m, ['id', 'name', 'status'])),
        evidence: ids(c.evidence),
        recommendations: list(c.recommendations).map((r) => ({
          ...pick(obj(r).recommendation, ['id', 'year']),
          document: pick(obj(r).document, ['symbol', 'date']),
        })),
      };
    },
    normaliseLibrary: (data) => {
      const found = list(data.treatyArticles);
      if (found.length !== 1) throw new Error(`expected one treaty article, got ${found.length}`);
      const a = obj(found[0]);
      const evidence: Json[] = ids(a.evidence);
      const provisions = list(obj(a.implementedByConnection).edges).map((e) => {
        const edge = obj(e);
        const p = obj(edge.node);
        const bodies = [
          ...list(p.establishedBodies).map((b) => ({ id: obj(b).id as Json, relation: 'ESTABLISHED_BY' })),
          ...list(p.mandatedBodies).map((b) => ({ id: obj(b).id as Json, relation: 'MANDATED_BY' })),
        ].sort((x, y) => compare(x.id, y.id) || compare(x.relation, y.relation));
        for (const b of [...list(p.establishedBodies), ...list(p.mandatedBodies)])
          evidence.push(...ids(obj(b).evidence));
        evidence.push(...ids(p.evidence));
        return {
          extent: obj(edge.properties).extent as Json,
          provision: pick(p, ['id', 'heading']),
          bodies,
          mechanisms: ids(p.groundedMechanisms),
        };
      });
      for (const m of list(a.mechanisms)) evidence.push(...ids(obj(m).evidence));
      return {
        provisions,
        mechanisms: list(a.mechanisms).map((m) => pick(m, ['id', 'name', 'status'])),
        evidence: sortedUnique(evidence),
        recommendations: list(a.recommendations).map((r) => ({
          ...pick(r, ['id', 'year']),
          document: pick(obj(r).document, ['symbol', 'date']),
        })),
      };
    },
  };

  return [article, recommendationList, deep, gaps, search, chain];
}

/** Deep equality of canonical answers, and where the first difference is (a JSON path), for the failure message. */
export function firstDifference(a: Json, b: Json, path = '$'): string | null {
  if (a === b) return null;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
      if (i >= a.length || i >= b.length)
        return `${path}: lengths ${a.length} and ${b.length} (first extra item: ${JSON.stringify(i >= a.length ? b[i] : a[i])?.slice(0, 300)})`;
      const found = firstDifference(a[i] as Json, b[i] as Json, `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      if (!(key in a) || !(key in b)) return `${path}.${key}: present on one side only`;
      const found = firstDifference(a[key] as Json, b[key] as Json, `${path}.${key}`);
      if (found) return found;
    }
    return null;
  }
  return `${path}: ${JSON.stringify(a)?.slice(0, 300)} ≠ ${JSON.stringify(b)?.slice(0, 300)}`;
}
