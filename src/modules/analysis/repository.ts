import type { CypherReader } from '../../db/database';
import { z } from 'zod';
import { decodeLinkProps, decodeWith, type EntityLabel } from '../common/models';
import { GraphDataError } from '../../errors';
import { decodeEntity, ENTITY_LABELS, fromProjected, propertiesFor, type Projection } from '../entities';
import { ANSWERER_LABELS } from '../un-documents/models';
import { nodeMap } from '../../db/cypher';
import { GAP_REASONS, pathRelationship } from './models';
import { LIMITS } from '../../limits';
import { visible } from '../../graph/vocabulary';
import type { ChainModel, CoverageModel, GapModel, GapReason, PathModel, ReiterationChainModel } from './models';

/*
 * The rows each statement returns. Nodes (`{labels, props}`) and relationship properties are decoded
 * further by the models of their kind (decodeEntity, decodeLinkProps).
 */
const ids = z.array(z.string());
/** What implements a treaty article: a provision, or an instrument as a whole. */
export const IMPLEMENTING = ['Provision', 'LegalInstrument'] as const;

/**
 * The properties of a treaty article an analysis reads: all but its text (and the search copies of it,
 * which are no model property), which TreatyArticle.paragraphs and text read by id when a query selects them.
 */
const ARTICLE_READ = propertiesFor(['TreatyArticle'], 'light');
const ARTICLE = nodeMap('a', ARTICLE_READ);
/** A node as PROJECTED returns it. */
const projectedNode = z.object({
  labels: z.array(z.string()),
  props: z.record(z.string(), z.unknown()).nullable(),
  values: z.array(z.unknown()).nullable(),
});
const GAP_ROWS = z.array(
  z.object({
    tested: z.number().int(),
    total: z.number().int(),
    page: z.array(
      z.object({
        r: projectedNode,
        reasons: z.array(z.enum(GAP_REASONS)),
        /** The places of its related mechanisms in the row's `mechanisms`. */
        mechanisms: z.array(z.number().int()).nullable(),
        provisionIds: ids.nullable(),
        bodyIds: ids.nullable(),
        answers: z.array(z.object({ node: projectedNode, rel: z.unknown() })).nullable(),
      }),
    ),
    /** The state's mechanisms (with related mechanisms selected), each once. */
    mechanisms: z.array(projectedNode),
  }),
);
const COVERAGE_ROWS = z.array(
  z.object({
    treaty: z.unknown(),
    state: z.unknown(),
    rows: z.array(
      z.object({
        article: z.unknown(),
        implementations: z.array(z.object({ provision: z.unknown(), rel: z.unknown() })),
        bodyIds: ids,
        mechanismIds: ids,
        recommendations: z.array(z.object({ id: z.string(), open: z.boolean() })),
        statisticIds: ids,
        findingIds: ids,
      }),
    ),
  }),
);
const CHAIN_ROWS = z.array(
  z.object({
    article: z.unknown(),
    state: z.unknown(),
    provisions: z.array(
      z.object({
        provision: projectedNode,
        rel: z.unknown(),
        bodies: z.array(z.object({ node: projectedNode, relation: z.string(), rel: z.unknown() })),
        mechanisms: z.array(projectedNode),
      }),
    ),
    mechanisms: z.array(projectedNode),
    evidence: z.array(projectedNode),
    recommendations: z.array(
      z.object({
        r: projectedNode,
        concern: z.unknown(),
        /** The place of its document in `documents` (null: a recommendation without a document, a data error). */
        document: z.number().int().nullable(),
      }),
    ),
    /** Each document of the recommendations once, with its related documents. */
    documents: z.array(z.object({ node: projectedNode, relatedDocuments: z.array(projectedNode) })),
  }),
);
const REITERATION_ROWS = z.array(
  z.object({
    total: z.number().int(),
    page: z.array(z.object({ recs: z.array(z.unknown()), links: z.array(z.unknown()), answered: z.boolean() })),
  }),
);
const PATH_ROWS = z.array(
  z.object({
    from: z.boolean(),
    to: z.boolean(),
    nodes: z.array(z.unknown()).nullable(),
    rels: z.array(z.object({ type: z.string(), start: z.string(), end: z.string(), props: z.unknown() })).nullable(),
  }),
);

/**
 * The questions no other tool answers. Each is one Cypher query run inside Neo4j; resolvers then fetch
 * the entities it names through the request's batched loaders (a fixed number of further round trips).
 *
 * Fragments shared by the queries, so that "tested", "answered" and "open" mean the same everywhere:
 */

/** Recommendations that are tested: paragraphs of kind RECOMMENDATION, a paragraph with sub-paragraphs in
 * the graph being tested through them instead of its chapeau. Binds `r`. */
const TESTED = `r.kind = 'RECOMMENDATION' AND NOT EXISTS { (sub:Recommendation)-[:PART_OF]->(r) WHERE ${visible('sub')} }`;

/**
 * Law in force: an instrument whose in-force status is one of `statuses` (a Cypher list expression), or a
 * provision of one. Over a variable `l`. The strict test accepts only IN_FORCE; the lenient test also
 * accepts UNKNOWN, i.e. any law the sources do not say is repealed or not yet in force.
 */
const LAW_IN_FORCE = (l: string, statuses = '$inForce') =>
  `((${l}:LegalInstrument AND ${l}.inForce IN ${statuses}) OR (${l}:Provision AND EXISTS { (${l})<-[:HAS_PROVISION]-(i:LegalInstrument) WHERE i.inForce IN ${statuses} }))`;
const LENIENT_IN_FORCE = `['IN_FORCE', 'UNKNOWN']`;

/**
 * Each answer of `r` classified, as a list of maps {type, status, legalBasis, lawInForce, activeBody}: a
 * pattern comprehension (an expression evaluated per recommendation, cheaper than a CALL subquery per row).
 */
const CLASSIFIED_ANSWERS = `[(x:Entity)-[:ANSWERS]->(r) | {
      type: CASE WHEN x:Mechanism THEN 'MECHANISM' WHEN x:Body THEN 'BODY' ELSE 'LAW' END,
      status: x.status,
      legalBasis: CASE WHEN x:Mechanism THEN x.legalBasis END,
      lawInForce: CASE
        WHEN x:Mechanism THEN EXISTS { (x)-[:GROUNDED_IN]->(l) WHERE ${LAW_IN_FORCE('l')} }
        WHEN x:Body THEN true
        ELSE ${LAW_IN_FORCE('x')} END,
      activeBody: CASE
        WHEN x:Mechanism THEN EXISTS { (x)-[:RUN_BY]->(:Body {status: 'ACTIVE'}) }
        WHEN x:Body THEN x.status = 'ACTIVE'
        ELSE true END
    }]`;

/**
 * A node as `{labels, props, values}`: with the list parameter `$<param>` null, every property (`props`);
 * else only the properties it names, their values in its order (`values`; a projection, modules/selection.ts),
 * so that one statement text serves every selection. Decoded by entities.ts `fromProjected`.
 */
const PROJECTED = (x: string, param: string) =>
  `{labels: labels(${x}), props: CASE WHEN $${param} IS NULL THEN properties(${x}) END, values: CASE WHEN $${param} IS NULL THEN null ELSE [k IN $${param} | ${x}[k]] END}`;

/**
 * How much of a relationship an analysis reads, sent as a string parameter so that one statement text (and
 * one plan) serves every selection: `full` every property, `light` those of LIGHT_LINK_PROPERTIES (all but
 * the citations, the note and the inference), `none` nothing (no field of the link is selected). The browse
 * statements, built per selection, name the exact properties instead (db/cypher.ts LinkReading).
 */
export type LinkReading = 'full' | 'light' | 'none';

/** The relationship properties a light link reading returns. */
const LIGHT_LINK_PROPERTIES = ['verification', 'basis', 'extent', 'mergedWith', 'date'] as const;

/** A relationship's properties as much as the query shows of them (a LinkReading, the parameter `$<param>`). */
const LINK = (rel: string, param: string) =>
  `CASE $${param} WHEN 'full' THEN properties(${rel}) WHEN 'light' THEN {${LIGHT_LINK_PROPERTIES.map((p) => `${p}: ${rel}.${p}`).join(', ')}} ELSE {} END`;

/** The place of `item` in the list `list` (null where it is not in it): how a row names a node read once. */
const POSITION = (list: string, item: string) => `[k IN range(0, size(${list}) - 1) WHERE ${list}[k] = ${item}][0]`;

/** Whether an answer (a map of CLASSIFIED_ANSWERS) passes the test; `$strict` chooses which. */
const COUNTS = (a: string) => `CASE WHEN $strict
    THEN ${a}.type = 'MECHANISM' AND ${a}.status = 'OPERATIONAL' AND ${a}.lawInForce AND ${a}.activeBody
    ELSE (${a}.type = 'MECHANISM' AND ${a}.status IN ['OPERATIONAL', 'PARTIAL'])
      OR (${a}.type = 'LAW' AND ${a}.lawInForce)
      OR (${a}.type = 'BODY' AND ${a}.status = 'ACTIVE') END`;

/**
 * The reasons a recommendation with classified answers (the list expression `answers`) and none passing is a gap. Sources silent on a
 * mechanism's legal basis (legalBasis NOT_IDENTIFIED) are not evidence that it has none: that case is
 * LEGAL_BASIS_NOT_IDENTIFIED, never NO_LEGAL_BASIS_IN_FORCE.
 */
const REASONS = (answers: string) => `[reason IN [
    CASE WHEN size(${answers}) = 0 THEN 'NO_ANSWER' END,
    CASE WHEN any(a IN ${answers} WHERE a.type = 'MECHANISM')
          AND all(a IN ${answers} WHERE a.type <> 'MECHANISM' OR a.status IN ['PLANNED', 'ABSENT', 'DEFUNCT'])
          AND none(a IN ${answers} WHERE a.type <> 'MECHANISM') THEN 'ONLY_INEFFECTIVE_MECHANISMS' END,
    CASE WHEN $strict AND any(a IN ${answers} WHERE a.type = 'MECHANISM' AND a.status = 'PARTIAL')
          AND none(a IN ${answers} WHERE a.type = 'MECHANISM' AND a.status = 'OPERATIONAL') THEN 'ONLY_PARTIAL_MECHANISMS' END,
    CASE WHEN $strict AND any(a IN ${answers} WHERE a.type = 'LAW')
          AND none(a IN ${answers} WHERE a.type = 'MECHANISM') THEN 'LAW_WITHOUT_MECHANISM' END,
    CASE WHEN any(a IN ${answers} WHERE a.type = 'MECHANISM' AND a.status = 'UNKNOWN')
          AND none(a IN ${answers} WHERE a.type = 'MECHANISM' AND a.status IN ['OPERATIONAL', 'PARTIAL']) THEN 'MECHANISM_STATUS_UNKNOWN' END,
    CASE WHEN any(a IN ${answers} WHERE a.type <> 'BODY' AND NOT a.lawInForce AND coalesce(a.legalBasis, '') <> 'NOT_IDENTIFIED')
         THEN 'NO_LEGAL_BASIS_IN_FORCE' END,
    CASE WHEN any(a IN ${answers} WHERE a.type = 'MECHANISM' AND a.legalBasis = 'NOT_IDENTIFIED') THEN 'LEGAL_BASIS_NOT_IDENTIFIED' END,
    CASE WHEN any(a IN ${answers} WHERE a.type <> 'LAW' AND NOT a.activeBody) THEN 'NO_ACTIVE_BODY' END
  ] WHERE reason IS NOT NULL]`;

/** Whether `r` is open: no answer passes the lenient test. */
const OPEN_LENIENT = `NOT EXISTS {
    MATCH (x:Entity)-[:ANSWERS]->(r)
    WHERE (x:Mechanism AND x.status IN ['OPERATIONAL', 'PARTIAL'])
       OR (x:Body AND x.status = 'ACTIVE')
       OR ${LAW_IN_FORCE('x', LENIENT_IN_FORCE)}
  }`;

/**
 * Whether a CONCERNS or REITERATES relationship is followed: curated links always, links a rule inferred
 * from imported data (origin/basis INFERRED, docs/inference.md) only when $includeInferred.
 */
const FOLLOWED = (rel: string) =>
  `($includeInferred OR (coalesce(${rel}.origin, 'CURATED') <> 'INFERRED' AND coalesce(${rel}.basis, 'STATED') <> 'INFERRED'))`;

const RECOMMENDATION_ORDER = `coalesce(r.year, 0) DESC, coalesce(r.documentSymbol, ''), r.paragraph, coalesce(r.subParagraph, ''), r.id`;

/**
 * The analysis statements by name, fixed texts whose values all travel as parameters: the warm-up
 * (src/db/warm-up.ts) plans each before the API serves. (`path` is built per request: its hop bound and
 * relationship types must be literals.)
 */
export const ANALYSIS_STATEMENTS = {
  recommendationGaps: `// recommendationGaps
       MATCH (s:State {id: $state}), (t:Treaty {id: $treaty})
       // Every tested recommendation classified, in the order of the answer; the gaps kept with their reasons.
       CALL (s, t) {
         // The tests one after the other, cheapest and most selective first: the kind and cycle (properties),
         // then the treaty (most of a state's imported paragraphs are other bodies'), then no sub-paragraphs
         // (TESTED); each test that walks relationships in a CALL of its own, which the planner does not
         // reorder before the properties are read.
         MATCH (r:Recommendation)-[:ADDRESSED_TO]->(s)
         WHERE r.kind = 'RECOMMENDATION' AND (size($cycleFilter) = 0 OR r.cycle IN $cycleFilter) AND ${visible('r')}
         CALL (r, t) {
           WITH r WHERE EXISTS { (r)-[:ISSUED_IN]->(:Document)-[:UNDER_TREATY]->(t) }
           CALL (r) {
             WITH r WHERE NOT EXISTS { (sub:Recommendation)-[:PART_OF]->(r) WHERE ${visible('sub')} }
             RETURN r AS whole
           }
           RETURN whole
         }
         WITH whole AS r
         WHERE (size($articleFilter) = 0 OR EXISTS { (r)-[c:CONCERNS]->(a:TreatyArticle) WHERE a.id IN $articleFilter AND ${FOLLOWED('c')} })
           AND (size($themeFilter) = 0 OR EXISTS { (r)-[:HAS_THEME]->(th:Theme) WHERE th.id IN $themeFilter })
         WITH r, ${CLASSIFIED_ANSWERS} AS answers
         WITH r, answers, none(a IN answers WHERE ${COUNTS('a')}) AS gap
         ORDER BY ${RECOMMENDATION_ORDER}
         WITH count(r) AS tested, collect(CASE WHEN gap THEN {r: r, answers: answers} END) AS candidates
         WITH tested, [c IN candidates | {r: c.r, reasons: ${REASONS('c.answers')}}] AS gaps
         RETURN tested, [g IN gaps WHERE size($reasonFilter) = 0 OR any(reason IN g.reasons WHERE reason IN $reasonFilter)] AS gaps
       }
       WITH s, tested, size(gaps) AS total, gaps[$offset..($offset + $limit)] AS page
       CALL (s, page) {
         // What the state has, each item with the treaty articles it serves, read once from the state's side
         // (starting from the articles would expand every state's links to them), sorted by id, and only what
         // the query selects ($withMechanisms, $withProvisions, $withBodies). Each gap then keeps the items
         // serving one of its articles: list filters, no row per item and gap. (The MATCH of what is not
         // selected is in a CALL of its own, which the planner does not run before the flag is tested.)
         CALL (s) {
           WITH s WHERE $withMechanisms
           CALL (s) {
             MATCH (m:Mechanism {stateId: $state})-[:GIVES_EFFECT_TO]->(ta:TreatyArticle)
             WHERE EXISTS { (m)-[:OF_STATE]->(s) }
             RETURN m, ta
           }
           WITH m, collect(ta) AS articles ORDER BY m.id
           RETURN collect({node: ${PROJECTED('m', 'mechanismProps')}, articles: articles}) AS stateMechanisms
         }
         CALL (s) {
           WITH s WHERE $withProvisions
           CALL (s) {
             MATCH (p:Provision {stateId: $state})-[:IMPLEMENTS]->(ta:TreatyArticle)
             WHERE EXISTS { (p)<-[:HAS_PROVISION]-(:LegalInstrument)-[:OF_STATE]->(s) }
             RETURN p, ta
           }
           WITH p, collect(ta) AS articles ORDER BY p.id
           RETURN collect({id: p.id, articles: articles}) AS stateProvisions
         }
         CALL (s) {
           // Via a provision or an instrument implementing the article as a whole, or via a mechanism.
           WITH s WHERE $withBodies
           CALL (s) {
             MATCH (b:Body {stateId: $state})-[:ESTABLISHED_BY|MANDATED_BY]->()-[:IMPLEMENTS]->(ta:TreatyArticle)
             WHERE EXISTS { (b)-[:OF_STATE]->(s) }
             RETURN b, ta
             UNION ALL
             MATCH (b:Body {stateId: $state})<-[:RUN_BY]-(:Mechanism)-[:GIVES_EFFECT_TO]->(ta:TreatyArticle)
             WHERE EXISTS { (b)-[:OF_STATE]->(s) }
             RETURN b, ta
           }
           WITH b, collect(ta) AS articles ORDER BY b.id
           RETURN collect({id: b.id, articles: articles}) AS stateBodies
         }
         UNWIND page AS gap
         WITH gap, gap.r AS r, stateMechanisms, stateProvisions, stateBodies
         WITH gap, r, stateMechanisms, stateProvisions, stateBodies,
              CASE WHEN $withMechanisms OR $withProvisions OR $withBodies
                THEN [(r)-[c:CONCERNS]->(ta:TreatyArticle) WHERE ${FOLLOWED('c')} | ta] ELSE [] END AS articles
         // What answers the gap, when the query selects it (the Recommendation.answers hop's order: by id).
         CALL (r) {
           WITH r WHERE $withAnswers
           MATCH (x:Entity)-[a:ANSWERS]->(r)
           WITH x, a ORDER BY x.id
           RETURN collect({node: ${PROJECTED('x', 'answererProps')}, rel: ${LINK('a', 'answerLinks')}}) AS answers
         }
         RETURN collect({r: ${PROJECTED('r', 'recommendationProps')}, reasons: gap.reasons,
                         mechanisms: CASE WHEN $withMechanisms
                           THEN [k IN range(0, size(stateMechanisms) - 1) WHERE any(a IN stateMechanisms[k].articles WHERE a IN articles)] END,
                         provisionIds: CASE WHEN $withProvisions
                           THEN [item IN stateProvisions WHERE any(a IN item.articles WHERE a IN articles) | item.id] END,
                         bodyIds: CASE WHEN $withBodies
                           THEN [item IN stateBodies WHERE any(a IN item.articles WHERE a IN articles) | item.id] END,
                         answers: CASE WHEN $withAnswers THEN answers END}) AS pageRows,
                // The state's mechanisms once (a dozen or two, which the gaps share), each gap naming its own by
                // their places in this list; null for an empty page.
                head(collect([item IN stateMechanisms | item.node])) AS mechanisms
       }
       RETURN tested, total, pageRows AS page, coalesce(mechanisms, []) AS mechanisms`,
  treatyCoverage: `// treatyCoverage
       MATCH (t:Treaty {id: $treaty}), (s:State {id: $state})
       // What the state has per treaty article, read once from the state's side (the stateId indexes);
       // each article then takes its share. Starting from the articles would expand every state's links.
       CALL (s) {
         // Provisions, and instruments implementing an article as a whole.
         CALL (s) {
           MATCH (p:Provision {stateId: $state})-[i:IMPLEMENTS]->(ta:TreatyArticle)
           WHERE EXISTS { (p)<-[:HAS_PROVISION]-(:LegalInstrument)-[:OF_STATE]->(s) }
           RETURN p, i, ta
           UNION
           MATCH (p:LegalInstrument {stateId: $state})-[i:IMPLEMENTS]->(ta:TreatyArticle)
           WHERE EXISTS { (p)-[:OF_STATE]->(s) }
           RETURN p, i, ta
         }
         WITH p, i, ta ORDER BY p.id
         RETURN collect({article: ta, p: p, rel: properties(i)}) AS stateImplementations
       }
       CALL (s) {
         OPTIONAL MATCH (m:Mechanism {stateId: $state})-[:GIVES_EFFECT_TO]->(ta:TreatyArticle)
         WHERE EXISTS { (m)-[:OF_STATE]->(s) }
         WITH m, ta ORDER BY m.id
         RETURN collect(CASE WHEN m IS NULL THEN null ELSE {article: ta, m: m} END) AS stateMechanisms
       }
       CALL (s) {
         // Each tested recommendation once, with the articles it concerns: whether it is open is asked once
         // per recommendation, not once per article.
         MATCH (r:Recommendation {stateId: $state})
         WHERE ${visible('r')} AND ${TESTED} AND EXISTS { (r)-[:ADDRESSED_TO]->(s) }
         CALL (r) {
           MATCH (r)-[c:CONCERNS]->(ta:TreatyArticle)
           WHERE ${FOLLOWED('c')}
           // A curated and an inferred link between the same paragraph and article count once.
           RETURN collect(DISTINCT ta) AS articles
         }
         WITH r, articles WHERE size(articles) > 0
         WITH r, articles, ${OPEN_LENIENT} AS open
         ORDER BY ${RECOMMENDATION_ORDER}
         UNWIND articles AS ta
         RETURN collect({article: ta, id: r.id, open: open}) AS stateRecommendations
       }
       CALL (s) {
         OPTIONAL MATCH (s)<-[:OF_STATE]-(e:Evidence)-[:ABOUT]->(subject)
         RETURN collect(CASE WHEN e IS NULL THEN null ELSE {e: e, about: subject} END) AS stateEvidence
       }
       CALL (t, s, stateImplementations, stateMechanisms, stateRecommendations, stateEvidence) {
         MATCH (t)-[:HAS_ARTICLE]->(a:TreatyArticle)
         CALL (a, stateImplementations) {
           WITH [item IN stateImplementations WHERE item.article = a] AS mine
           RETURN [item IN mine | {provision: {labels: labels(item.p), props: properties(item.p)}, rel: item.rel}] AS implementations,
                  [item IN mine | item.p] AS provisions
         }
         CALL (a, stateMechanisms) {
           RETURN [item IN stateMechanisms WHERE item.article = a | item.m] AS mechanisms
         }
         CALL (s, provisions, mechanisms) {
           UNWIND (CASE WHEN size(provisions) = 0 THEN [null] ELSE provisions END) AS p
           OPTIONAL MATCH (p)<-[:ESTABLISHED_BY|MANDATED_BY]-(b1:Body)
           WITH mechanisms, collect(DISTINCT b1) AS viaLaw
           UNWIND (CASE WHEN size(mechanisms) = 0 THEN [null] ELSE mechanisms END) AS m
           OPTIONAL MATCH (m)-[:RUN_BY]->(b2:Body)
           WITH viaLaw, collect(DISTINCT b2) AS viaMechanism
           WITH viaLaw + viaMechanism AS bodies
           UNWIND (CASE WHEN size(bodies) = 0 THEN [null] ELSE bodies END) AS b
           WITH DISTINCT b ORDER BY b.id
           RETURN collect(b.id) AS bodyIds
         }
         CALL (a, stateRecommendations) {
           RETURN [item IN stateRecommendations WHERE item.article = a | {id: item.id, open: item.open}] AS recommendations
         }
         CALL (a, provisions, mechanisms, stateEvidence) {
           WITH [a] + provisions + mechanisms AS subjects, stateEvidence
           UNWIND stateEvidence AS item
           WITH item WHERE item.about IN subjects
           WITH DISTINCT item.e AS e ORDER BY e.id
           RETURN [x IN collect(e) WHERE x:Statistic | x.id] AS statisticIds, [x IN collect(e) WHERE x:Finding | x.id] AS findingIds
         }
         WITH a, implementations, mechanisms, bodyIds, recommendations, statisticIds, findingIds
         ORDER BY a.number
         RETURN collect({article: ${ARTICLE}, implementations: implementations,
                         mechanismIds: [m IN mechanisms | m.id], bodyIds: bodyIds, recommendations: recommendations,
                         statisticIds: statisticIds, findingIds: findingIds}) AS rows
       }
       RETURN {labels: labels(t), props: properties(t)} AS treaty, {labels: labels(s), props: properties(s)} AS state, rows`,
  implementationChain: `// implementationChain
       MATCH (a:TreatyArticle {id: $article}), (s:State {id: $state})
       // Every entity the chain shows is read here, with the properties the query selects (PROJECTED): the
       // API reads nothing more for it.
       CALL (a, s) {
         // Provisions, and instruments implementing the article as a whole.
         CALL (a, s) {
           MATCH (p:Provision)-[i:IMPLEMENTS]->(a)
           USING INDEX p:Provision(stateId)
           WHERE p.stateId = $state AND EXISTS { (p)<-[:HAS_PROVISION]-(:LegalInstrument)-[:OF_STATE]->(s) }
           RETURN p, i
           UNION
           MATCH (p:LegalInstrument)-[i:IMPLEMENTS]->(a)
           USING INDEX p:LegalInstrument(stateId)
           WHERE p.stateId = $state AND EXISTS { (p)-[:OF_STATE]->(s) }
           RETURN p, i
         }
         CALL (p) {
           MATCH (p)<-[link:ESTABLISHED_BY|MANDATED_BY]-(b:Body)
           WITH b, link ORDER BY b.id, type(link)
           RETURN collect({body: b, relation: type(link), rel: ${LINK('link', 'bodyLinks')}}) AS bodies
         }
         CALL (p) {
           MATCH (p)<-[:GROUNDED_IN]-(m:Mechanism)
           WITH m ORDER BY m.id
           RETURN collect(m) AS mechanisms
         }
         WITH p, i, bodies, mechanisms ORDER BY p.id
         RETURN collect({provision: ${PROJECTED('p', 'provisionProps')}, rel: ${LINK('i', 'implementationLinks')},
                         bodies: [b IN bodies | {node: ${PROJECTED('b.body', 'bodyProps')}, relation: b.relation, rel: b.rel}],
                         mechanisms: [m IN mechanisms | ${PROJECTED('m', 'mechanismProps')}]}) AS provisions,
                collect(p) AS provisionNodes
       }
       CALL (a, s) {
         OPTIONAL MATCH (m:Mechanism)-[:GIVES_EFFECT_TO]->(a)
         USING INDEX m:Mechanism(stateId)
         WHERE m.stateId = $state AND EXISTS { (m)-[:OF_STATE]->(s) }
         WITH m ORDER BY m.id
         RETURN collect(m) AS mechanisms
       }
       CALL (a, s, provisionNodes, mechanisms) {
         OPTIONAL MATCH (a)<-[:IMPLEMENTS]-()<-[:ESTABLISHED_BY|MANDATED_BY]-(b:Body)-[:OF_STATE]->(s)
         USING INDEX b:Body(stateId)
         WHERE b.stateId = $state
         WITH s, a, provisionNodes, mechanisms, collect(DISTINCT b) AS bodies
         WITH s, [a] + provisionNodes + mechanisms + bodies AS subjects
         // The state's evidence (its own hundred or so items), not every state's evidence about these subjects.
         CALL (s, subjects) {
           MATCH (s)<-[:OF_STATE]-(e:Evidence)-[:ABOUT]->(subject)
           WHERE subject IN subjects
           WITH DISTINCT e ORDER BY e.id
           RETURN collect(${PROJECTED('e', 'evidenceProps')}) AS evidence
         }
         RETURN evidence
       }
       CALL (a, s) {
         OPTIONAL MATCH (r:Recommendation)-[c:CONCERNS]->(a)
         USING INDEX r:Recommendation(stateId)
         WHERE r.stateId = $state AND ${FOLLOWED('c')} AND ${visible('r')}
         // A curated and an inferred link between the same paragraph and article: the paragraph once, with the curated link.
         WITH r, c ORDER BY CASE WHEN coalesce(c.basis, '') = 'INFERRED' THEN 1 ELSE 0 END
         WITH r, collect(c)[0] AS c
         // Addressed to the state: tested of the paragraphs about the article only (in a CALL of its own, which the
         // planner does not run before the CONCERNS link is found), not of each of the state's paragraphs.
         CALL (r, s) {
           WITH r WHERE r IS NULL OR EXISTS { (r)-[:ADDRESSED_TO]->(s) }
           RETURN true AS addressed
         }
         OPTIONAL MATCH (r)-[:ISSUED_IN]->(d:Document)
         WITH r, c, d ORDER BY coalesce(r.year, 0), coalesce(r.documentSymbol, ''), r.paragraph, coalesce(r.subParagraph, ''), r.id
         WITH collect(CASE WHEN r IS NULL THEN null ELSE {r: r, c: c, d: d} END) AS items
         // Each document once, with its related documents (a cycle's hundred paragraphs share a few documents):
         // each recommendation names its document by its place in that list.
         CALL (items) {
           UNWIND items AS item
           WITH DISTINCT item.d AS d
           WHERE d IS NOT NULL
           CALL (d) {
             MATCH (d)-[:RESPONDS_TO]-(other:Document)
             WITH DISTINCT other ORDER BY coalesce(other.date, '9999'), other.id
             RETURN collect(${PROJECTED('other', 'documentProps')}) AS relatedDocuments
           }
           RETURN collect(d) AS documentNodes,
                  collect({node: ${PROJECTED('d', 'documentProps')}, relatedDocuments: relatedDocuments}) AS documents
         }
         RETURN [item IN items | {r: ${PROJECTED('item.r', 'recommendationProps')}, concern: ${LINK('item.c', 'concernLinks')},
                                  document: ${POSITION('documentNodes', 'item.d')}}] AS recommendations, documents
       }
       RETURN ${ARTICLE} AS article, {labels: labels(s), props: properties(s)} AS state,
              provisions, [m IN mechanisms | ${PROJECTED('m', 'mechanismProps')}] AS mechanisms, evidence, recommendations,
              documents`,
  reiteratedRecommendations: `// reiteratedRecommendations
       MATCH (s:State {id: $state})
       MATCH (latest:Recommendation)-[:ADDRESSED_TO]->(s)
       WHERE ${visible('latest')}
         AND NOT EXISTS { (later:Recommendation)-[x:REITERATES]->(latest) WHERE ${FOLLOWED('x')} AND ${visible('later')} }
         AND EXISTS { (latest)-[x:REITERATES]->(earlier) WHERE ${FOLLOWED('x')} AND ${visible('earlier')} }
       MATCH chain = (latest)-[:REITERATES*1..${LIMITS.maxChainLength}]->(oldest:Recommendation)
       WHERE all(x IN relationships(chain) WHERE ${FOLLOWED('x')})
         AND all(n IN nodes(chain) WHERE ${visible('n')})
         AND NOT EXISTS { (oldest)-[x:REITERATES]->(earlier) WHERE ${FOLLOWED('x')} AND ${visible('earlier')} }
       // An inferred link beside a curated one between the same paragraphs is the same chain: keep the path
       // with the fewest inferred links (curated links rank first).
       WITH latest, [n IN nodes(chain) | n.id] AS key, chain,
            size([x IN relationships(chain) WHERE coalesce(x.basis, '') = 'INFERRED']) AS inferredLinks
       ORDER BY inferredLinks
       WITH latest, key, collect(chain)[0] AS chain
       WITH latest, chain, size(nodes(chain)) AS length
       WHERE length >= $minLength
       WITH latest, chain, length, EXISTS {
           MATCH (x:Entity)-[:ANSWERS]->(latest)
           WHERE (x:Mechanism AND x.status IN ['OPERATIONAL', 'PARTIAL'])
              OR (x:Body AND x.status = 'ACTIVE')
              OR ${LAW_IN_FORCE('x', LENIENT_IN_FORCE)}
         } AS answered
       WHERE $latestAnswered IS NULL OR answered = $latestAnswered
       WITH latest, chain, length, answered
       ORDER BY length DESC, coalesce(latest.year, 0) DESC, latest.id, [n IN nodes(chain) | n.id]
       WITH collect({recs: [n IN reverse(nodes(chain)) | {labels: labels(n), props: properties(n)}],
                     links: [rel IN reverse(relationships(chain)) | properties(rel)], answered: answered}) AS chains
       RETURN size(chains) AS total, chains[$offset..($offset + $limit)] AS page`,
};

/**
 * The parameters of the statements above for the side-by-side benchmark's questions (LENIENT gaps with no
 * filter; a chain; a coverage), for the tools that run the statements straight through the driver
 * (bench/analysis-profile.ts).
 */
export const analysisParams = {
  gaps: (state: string, treaty: string, offset: number, limit: number): Record<string, unknown> => ({
    ...gapParams(
      { state, treaty, strict: false, articles: null, themes: null, cycles: null, reasons: null },
      offset,
      limit,
    ),
    // The benchmark's selection: recommendation { id summary year }, answers, relatedMechanisms { id name status }.
    ...gapReadingParams({
      recommendation: { only: ['id', 'summary', 'year'] },
      answers: { only: ['id', 'name', 'status'] },
      mechanisms: { only: ['id', 'name', 'status'] },
      provisions: false,
      bodies: false,
      answerLinks: 'light',
    }),
  }),
  chain: (article: string, state: string): Record<string, unknown> => ({
    article,
    state,
    includeInferred: true,
    // The benchmark's selection (bench/peer/questions.ts).
    ...chainReadingParams({
      provisions: { only: ['heading', 'id'] },
      bodies: { only: ['id'] },
      mechanisms: { only: ['id', 'name', 'status'] },
      evidence: { only: ['id'] },
      recommendations: { only: ['id', 'year'] },
      documents: { only: ['date', 'id', 'symbol'] },
      implementationLinks: 'light',
      bodyLinks: 'none',
      concernLinks: 'none',
    }),
  }),
  coverage: (treaty: string, state: string): Record<string, unknown> => ({ treaty, state, includeInferred: true }),
};

/**
 * What a gaps statement reads besides the gaps themselves, from the query's selection (analysis/resolvers.ts):
 * the recommendation's properties, what answers each gap and the related mechanisms (a projection, every
 * property with `full`, nothing with `none`), and whether the related provisions' and bodies' ids are read.
 */
export interface GapReading {
  recommendation: Projection | 'full';
  answers: Projection | 'full' | 'none';
  mechanisms: Projection | 'full' | 'none';
  provisions: boolean;
  bodies: boolean;
  /** How much of each ANSWERS link is read (with `answers`). */
  answerLinks: LinkReading;
}

/** Everything a gap can show, every property (for callers without a selection). */
export const GAPS_READ_WHOLLY: GapReading = {
  recommendation: 'full',
  answers: 'full',
  mechanisms: 'full',
  provisions: true,
  bodies: true,
  answerLinks: 'full',
};

/**
 * A projection's property list, or null for every property (PROJECTED's parameter); none for what is not read
 * (a list all the same: Neo4j caches a plan per parameter types, so the API, which always sends lists, plans
 * each statement once).
 */
const projectionParam = (reading: Projection | 'full' | 'none'): readonly string[] | null =>
  typeof reading === 'object' ? reading.only : reading === 'none' ? [] : null;

function gapReadingParams(reading: GapReading): Record<string, unknown> {
  return {
    recommendationProps: projectionParam(reading.recommendation),
    withAnswers: reading.answers !== 'none',
    answererProps: projectionParam(reading.answers),
    withMechanisms: reading.mechanisms !== 'none',
    mechanismProps: projectionParam(reading.mechanisms),
    withProvisions: reading.provisions,
    withBodies: reading.bodies,
    answerLinks: reading.answers === 'none' ? 'none' : reading.answerLinks,
  };
}

function gapParams(filter: GapFilter, offset: number, limit: number): Record<string, unknown> {
  return {
    state: filter.state,
    treaty: filter.treaty,
    strict: filter.strict,
    inForce: filter.strict ? ['IN_FORCE'] : ['IN_FORCE', 'UNKNOWN'],
    // Lists, empty for no filter (never null): Neo4j caches a plan per parameter types, so every combination
    // of filters shares the one plan the warm-up made.
    articleFilter: filter.articles ?? [],
    themeFilter: filter.themes ?? [],
    cycleFilter: filter.cycles ?? [],
    reasonFilter: filter.reasons ?? [],
    includeInferred: filter.includeInferred ?? true,
    offset,
    limit,
  };
}

/**
 * The properties the implementation chain's statement reads of each kind of entity it shows, from the query's
 * selection (analysis/resolvers.ts): a projection, or every property with `full`.
 */
export interface ChainReading {
  provisions: Projection | 'full';
  bodies: Projection | 'full';
  mechanisms: Projection | 'full';
  evidence: Projection | 'full';
  recommendations: Projection | 'full';
  documents: Projection | 'full';
  /** How much of each link the query shows: a provision's IMPLEMENTS, a body's link to it, a recommendation's CONCERNS. */
  implementationLinks: LinkReading;
  bodyLinks: LinkReading;
  concernLinks: LinkReading;
}

/** Every property of every entity of the chain (for callers without a selection). */
export const CHAIN_READ_WHOLLY: ChainReading = {
  provisions: 'full',
  bodies: 'full',
  mechanisms: 'full',
  evidence: 'full',
  recommendations: 'full',
  documents: 'full',
  implementationLinks: 'full',
  bodyLinks: 'full',
  concernLinks: 'full',
};

function chainReadingParams(reading: ChainReading): Record<string, unknown> {
  return {
    provisionProps: projectionParam(reading.provisions),
    bodyProps: projectionParam(reading.bodies),
    mechanismProps: projectionParam(reading.mechanisms),
    evidenceProps: projectionParam(reading.evidence),
    recommendationProps: projectionParam(reading.recommendations),
    documentProps: projectionParam(reading.documents),
    implementationLinks: reading.implementationLinks,
    bodyLinks: reading.bodyLinks,
    concernLinks: reading.concernLinks,
  };
}

/** What implementationChain's evidence may be. */
export const EVIDENCE_LABELS = ['Statistic', 'Finding'] as const;

export interface GapFilter {
  state: string;
  treaty: string;
  strict: boolean;
  articles: string[] | null;
  themes: string[] | null;
  cycles: string[] | null;
  reasons: GapReason[] | null;
  /** Follow CONCERNS links a rule inferred (default true); false: curated links only. */
  includeInferred?: boolean;
}

export class AnalysisRepository {
  constructor(private readonly db: CypherReader) {}

  async recommendationGaps(
    filter: GapFilter,
    offset: number,
    limit: number,
    reading: GapReading = GAPS_READ_WHOLLY,
  ): Promise<{ gaps: GapModel[]; total: number; tested: number } | null> {
    const rows = decodeWith(
      GAP_ROWS,
      await this.db.read('recommendationGaps', ANALYSIS_STATEMENTS.recommendationGaps, {
        ...gapParams(filter, offset, limit),
        ...gapReadingParams(reading),
      }),
      'recommendationGaps rows',
    );
    const row = rows[0];
    if (!row) return null;
    const read = (kind: Projection | 'full' | 'none') => (typeof kind === 'object' ? kind.only : undefined);
    const recommendationRead = read(reading.recommendation);
    const answererRead = read(reading.answers);
    const mechanismRead = read(reading.mechanisms);
    // Each mechanism decoded once, shared by the gaps it relates to.
    const mechanisms = row.mechanisms.map((m) =>
      decodeEntity(fromProjected(m, mechanismRead, 'An analysis'), ['Mechanism'], mechanismRead),
    );
    const mechanismAt = (index: number) => {
      const mechanism = mechanisms[index];
      if (!mechanism) throw new GraphDataError(`recommendationGaps named mechanism ${index} of ${mechanisms.length}`);
      return mechanism;
    };
    return {
      tested: row.tested,
      total: row.total,
      gaps: row.page.map((gap) => ({
        recommendation: decodeEntity(
          fromProjected(gap.r, recommendationRead, 'An analysis'),
          ['Recommendation'],
          recommendationRead,
        ),
        reasons: gap.reasons,
        mechanisms: gap.mechanisms?.map(mechanismAt) ?? null,
        provisionIds: gap.provisionIds,
        bodyIds: gap.bodyIds,
        answers:
          gap.answers?.map((answer) => ({
            node: decodeEntity(fromProjected(answer.node, answererRead, 'An analysis'), ANSWERER_LABELS, answererRead),
            rel: decodeLinkProps(answer.rel),
          })) ?? null,
      })),
    };
  }

  async treatyCoverage(treatyId: string, stateId: string, includeInferred = true): Promise<CoverageModel | null> {
    const rows = decodeWith(
      COVERAGE_ROWS,
      await this.db.read('treatyCoverage', ANALYSIS_STATEMENTS.treatyCoverage, {
        treaty: treatyId,
        state: stateId,
        includeInferred,
      }),
      'treatyCoverage rows',
    );
    const row = rows[0];
    if (!row) return null;
    return {
      treaty: decodeEntity(row.treaty, ['Treaty']),
      state: decodeEntity(row.state, ['State']),
      rows: row.rows.map((r) => ({
        article: decodeEntity(r.article, ['TreatyArticle'], ARTICLE_READ),
        implementations: r.implementations.map((i) => ({
          provision: decodeEntity(i.provision, IMPLEMENTING),
          rel: decodeLinkProps(i.rel),
        })),
        bodyIds: r.bodyIds,
        mechanismIds: r.mechanismIds,
        recommendationIds: r.recommendations.map((x) => x.id),
        openRecommendationCount: r.recommendations.filter((x) => x.open).length,
        statisticIds: r.statisticIds,
        findingIds: r.findingIds,
      })),
    };
  }

  async implementationChain(
    articleId: string,
    stateId: string,
    includeInferred = true,
    reading: ChainReading = CHAIN_READ_WHOLLY,
  ): Promise<ChainModel | null> {
    const rows = decodeWith(
      CHAIN_ROWS,
      await this.db.read('implementationChain', ANALYSIS_STATEMENTS.implementationChain, {
        article: articleId,
        state: stateId,
        includeInferred,
        ...chainReadingParams(reading),
      }),
      'implementationChain rows',
    );
    const row = rows[0];
    if (!row) return null;
    type NodeKind = Exclude<keyof ChainReading, `${string}Links`>;
    const read = (kind: NodeKind) => projectionParam(reading[kind]) ?? undefined;
    const entity = <L extends EntityLabel>(raw: z.output<typeof projectedNode>, kinds: readonly L[], kind: NodeKind) =>
      decodeEntity(fromProjected(raw, read(kind), 'An analysis'), kinds, read(kind));
    // Each document decoded once, shared by the recommendations it holds.
    const documents = row.documents.map((d) => ({
      document: entity(d.node, ['Document'], 'documents'),
      relatedDocuments: d.relatedDocuments.map((other) => entity(other, ['Document'], 'documents')),
    }));
    const article = decodeEntity(row.article, ['TreatyArticle'], ARTICLE_READ);
    return {
      article,
      state: decodeEntity(row.state, ['State']),
      provisions: row.provisions.map((p) => ({
        article,
        provision: entity(p.provision, IMPLEMENTING, 'provisions'),
        rel: decodeLinkProps(p.rel),
        bodies: p.bodies.map((body) => ({
          body: entity(body.node, ['Body'], 'bodies'),
          relation: body.relation,
          rel: decodeLinkProps(body.rel),
        })),
        mechanisms: p.mechanisms.map((m) => entity(m, ['Mechanism'], 'mechanisms')),
      })),
      mechanisms: row.mechanisms.map((m) => entity(m, ['Mechanism'], 'mechanisms')),
      evidence: row.evidence.map((e) => entity(e, EVIDENCE_LABELS, 'evidence')),
      recommendations: row.recommendations.map((r) => {
        const recommendation = entity(r.r, ['Recommendation'], 'recommendations');
        const issued = r.document === null ? undefined : documents[r.document];
        if (!issued) throw new GraphDataError(`implementationChain: ${recommendation.id} stands in no document`);
        return {
          recommendation,
          article,
          concern: decodeLinkProps(r.concern),
          document: issued.document,
          relatedDocuments: issued.relatedDocuments,
        };
      }),
    };
  }

  async reiteratedRecommendations(
    stateId: string,
    minLength: number,
    latestAnswered: boolean | null,
    offset: number,
    limit: number,
    includeInferred = true,
  ): Promise<{ chains: ReiterationChainModel[]; total: number }> {
    const rows = decodeWith(
      REITERATION_ROWS,
      await this.db.read('reiteratedRecommendations', ANALYSIS_STATEMENTS.reiteratedRecommendations, {
        state: stateId,
        minLength,
        latestAnswered,
        offset,
        limit,
        includeInferred,
      }),
      'reiteratedRecommendations rows',
    );
    const row = rows[0];
    if (!row) return { chains: [], total: 0 };
    return {
      total: row.total,
      chains: row.page.map((chain) => ({
        recommendations: chain.recs.map((r) => decodeEntity(r, ['Recommendation'])),
        links: chain.links.map(decodeLinkProps),
        latestAnswered: chain.answered,
      })),
    };
  }

  /**
   * Shortest path over the given relationship types. The hop bound must be a literal in Cypher: it is an
   * integer the resolver has checked to be 1–LIMITS.maxPathHops, and the types come from the PathRelationship enum.
   */
  async path(
    fromId: string,
    toId: string,
    maxHops: number,
    types: readonly string[],
  ): Promise<{ found: boolean; from: boolean; to: boolean; path: PathModel | null }> {
    if (!Number.isInteger(maxHops) || maxHops < 1 || maxHops > LIMITS.maxPathHops)
      throw new Error(`maxHops ${maxHops} out of range`);
    if (!types.every((type) => /^[A-Z_]+$/.test(type)) || types.length === 0) throw new Error('Bad relationship types');
    const rows = decodeWith(
      PATH_ROWS,
      await this.db.read(
        'path',
        `// path
       OPTIONAL MATCH (a:Entity {id: $from})
       WHERE ${visible('a')}
       OPTIONAL MATCH (b:Entity {id: $to})
       WHERE ${visible('b')}
       CALL (a, b) {
         OPTIONAL MATCH p = shortestPath((a)-[:${types.join('|')}*..${maxHops}]-(b))
         // Not through nodes an unfinished UHRI import has staged (they have no Entity label yet) or written
         // pending (graph/vocabulary.ts, visible).
         WHERE a IS NOT NULL AND b IS NOT NULL AND a <> b AND all(n IN nodes(p) WHERE n:Entity AND ${visible('n')})
         RETURN p
       }
       RETURN a IS NOT NULL AS from, b IS NOT NULL AS to,
              CASE WHEN p IS NULL THEN null ELSE [n IN nodes(p) | {labels: labels(n), props: properties(n)}] END AS nodes,
              CASE WHEN p IS NULL THEN null ELSE [r IN relationships(p) | {type: type(r), start: startNode(r).id, end: endNode(r).id, props: properties(r)}] END AS rels`,
        { from: fromId, to: toId },
      ),
      'path rows',
    );
    const row = rows[0];
    if (!row || !row.nodes || !row.rels)
      return { found: false, from: row?.from ?? false, to: row?.to ?? false, path: null };
    const nodes = row.nodes.map((node) => decodeEntity(node, ENTITY_LABELS));
    return {
      found: true,
      from: row.from,
      to: row.to,
      path: {
        nodes,
        steps: row.rels.map((rel, index) => {
          const from = nodes[index];
          const to = nodes[index + 1];
          if (!from || !to) throw new GraphDataError(`path: relationship ${index} has no node at one end`);
          return {
            type: pathRelationship(rel.type),
            from,
            to,
            forward: rel.start === from.id,
            rel: decodeLinkProps(rel.props),
          };
        }),
      },
    };
  }
}
