/**
 * Proposed changes to the analysis Cypher of src/db/analysis-repository.ts, written as replacements of
 * fragments of the Cypher the repository sends, so that the benchmark can run the API with them
 * (`npm run bench -- --proposed hints|restructured`) and bench/compare.ts can check that they return the
 * same results, faster. Nothing here changes src/: the patches are applied in this process only. In a
 * `from`, whitespace runs match any whitespace and `…` matches any text (the shortest).
 *
 * The one problem behind all of them (bench/notes.md has the measurements): every slow part starts from a
 * treaty article and expands its relationships from EVERY state (art. 19 has ~86k CONCERNS, ~17k
 * IMPLEMENTS, ~7k GIVES_EFFECT_TO and ~14k ABOUT on the million-node corpus), then throws away what is not
 * the requested state's with an Expand(Into) on OF_STATE / ADDRESSED_TO per row. So their cost grows with
 * the number of states, not with the size of the state asked about.
 *
 * Two sets of fixes:
 * - HINT_PATCHES, the smallest diff: the same patterns, anchored on the state's own nodes through the
 *   `stateId` range indexes that already exist (Provision, Mechanism, Body, Recommendation) with
 *   `USING INDEX`, plus one new index, Evidence(stateId). Cost now grows with the state's size, but
 *   treatyCoverage and the gaps' page still redo the state-side work once per article / per gap.
 * - RESTRUCTURED_PATCHES: what the state has per treaty article (provisions, mechanisms, bodies,
 *   recommendations, evidence) is read ONCE from the state's side, and each article / gap takes its share
 *   from those lists. No new index.
 *
 * Status: RESTRUCTURED_PATCHES was adopted in commit 34e92fb; both sets are kept as measured, and apply to
 * analysis-repository.ts as of 7958092 (e.g. in a `git worktree` of that commit), to reproduce the figures.
 * New proposals go into PROPOSALS the same way.
 *
 * `x.stateId = $state` adds nothing to the meaning: the loader writes stateId from the same field as the
 * OF_STATE / ADDRESSED_TO relationship (for a provision, its instrument's state), and the existing
 * EXISTS { … -[:OF_STATE]->(s) } tests are kept, so results are identical (compare.ts checks it).
 */

export interface CypherPatch {
  /** The repository method / query name (the `// queryName` comment). */
  query: string;
  /** What the patch does, for reports. */
  why: string;
  /** A fragment of the current Cypher (whitespace runs match any whitespace; `…` matches any text, the shortest). */
  from: string;
  to: string;
}

export const HINT_PATCHES: CypherPatch[] = [
  // ------------------------------------------------------------ recommendationGaps: the page's related entities
  {
    query: 'recommendationGaps',
    why: "related mechanisms: start from the state's mechanisms (Mechanism.stateId index), not from every mechanism of the article",
    from: `OPTIONAL MATCH (r)-[:CONCERNS]->(:TreatyArticle)<-[:GIVES_EFFECT_TO]-(m:Mechanism)-[:OF_STATE]->(s)`,
    to: `OPTIONAL MATCH (r)-[:CONCERNS]->(:TreatyArticle)<-[:GIVES_EFFECT_TO]-(m:Mechanism)-[:OF_STATE]->(s)
           USING INDEX m:Mechanism(stateId) WHERE m.stateId = $state`,
  },
  {
    query: 'recommendationGaps',
    why: "related provisions: start from the state's provisions (Provision.stateId index)",
    from: `OPTIONAL MATCH (r)-[:CONCERNS]->(:TreatyArticle)<-[:IMPLEMENTS]-(p:Provision)<-[:HAS_PROVISION]-(:LegalInstrument)-[:OF_STATE]->(s)`,
    to: `OPTIONAL MATCH (r)-[:CONCERNS]->(:TreatyArticle)<-[:IMPLEMENTS]-(p:Provision)<-[:HAS_PROVISION]-(:LegalInstrument)-[:OF_STATE]->(s)
           USING INDEX p:Provision(stateId) WHERE p.stateId = $state`,
  },
  {
    query: 'recommendationGaps',
    why: "related bodies via law: start from the state's bodies (Body.stateId index)",
    from: `OPTIONAL MATCH (r)-[:CONCERNS]->(:TreatyArticle)<-[:IMPLEMENTS]-(p:Provision)<-[:ESTABLISHED_BY|MANDATED_BY]-(b1:Body)
           WHERE EXISTS { (b1)-[:OF_STATE]->(s) }`,
    to: `OPTIONAL MATCH (r)-[:CONCERNS]->(:TreatyArticle)<-[:IMPLEMENTS]-(p:Provision)<-[:ESTABLISHED_BY|MANDATED_BY]-(b1:Body)
           USING INDEX b1:Body(stateId) WHERE b1.stateId = $state AND EXISTS { (b1)-[:OF_STATE]->(s) }`,
  },
  {
    query: 'recommendationGaps',
    why: "related bodies via mechanisms: start from the state's bodies (Body.stateId index)",
    from: `OPTIONAL MATCH (r)-[:CONCERNS]->(:TreatyArticle)<-[:GIVES_EFFECT_TO]-(:Mechanism)-[:RUN_BY]->(b2:Body)-[:OF_STATE]->(s)`,
    to: `OPTIONAL MATCH (r)-[:CONCERNS]->(:TreatyArticle)<-[:GIVES_EFFECT_TO]-(:Mechanism)-[:RUN_BY]->(b2:Body)-[:OF_STATE]->(s)
           USING INDEX b2:Body(stateId) WHERE b2.stateId = $state`,
  },

  // ------------------------------------------------------------ treatyCoverage and implementationChain: per article
  ...['treatyCoverage', 'implementationChain'].flatMap((query): CypherPatch[] => [
    {
      query,
      why: "implementing provisions: the state's provisions (Provision.stateId index), then Expand(Into) to the article",
      from: `OPTIONAL MATCH (p:Provision)-[i:IMPLEMENTS]->(a)
             WHERE EXISTS { (p)<-[:HAS_PROVISION]-(:LegalInstrument)-[:OF_STATE]->(s) }`,
      to: `OPTIONAL MATCH (p:Provision)-[i:IMPLEMENTS]->(a)
             USING INDEX p:Provision(stateId) WHERE p.stateId = $state AND EXISTS { (p)<-[:HAS_PROVISION]-(:LegalInstrument)-[:OF_STATE]->(s) }`,
    },
    {
      query,
      why: "mechanisms giving effect: the state's mechanisms (Mechanism.stateId index)",
      from: `OPTIONAL MATCH (m:Mechanism)-[:GIVES_EFFECT_TO]->(a)
             WHERE EXISTS { (m)-[:OF_STATE]->(s) }`,
      to: `OPTIONAL MATCH (m:Mechanism)-[:GIVES_EFFECT_TO]->(a)
             USING INDEX m:Mechanism(stateId) WHERE m.stateId = $state AND EXISTS { (m)-[:OF_STATE]->(s) }`,
    },
    {
      query,
      why: "evidence: the state's statistics and findings (proposed Evidence.stateId index), not every state's evidence about the article",
      from: `OPTIONAL MATCH (e:Evidence)-[:ABOUT]->(subject)
             WHERE EXISTS { (e)-[:OF_STATE]->(s) }`,
      to: `OPTIONAL MATCH (e:Evidence)-[:ABOUT]->(subject)
             USING INDEX e:Evidence(stateId) WHERE e.stateId = $state AND EXISTS { (e)-[:OF_STATE]->(s) }`,
    },
  ]),
  {
    query: 'treatyCoverage',
    why: "recommendations per article: the state's recommendations (Recommendation.stateId index), not every state's",
    from: `OPTIONAL MATCH (r:Recommendation)-[:CONCERNS]->(a)
           WHERE r.kind = 'RECOMMENDATION'`,
    to: `OPTIONAL MATCH (r:Recommendation)-[:CONCERNS]->(a)
           USING INDEX r:Recommendation(stateId) WHERE r.stateId = $state AND r.kind = 'RECOMMENDATION'`,
  },
  {
    query: 'implementationChain',
    why: "bodies: the state's bodies (Body.stateId index)",
    from: `OPTIONAL MATCH (a)<-[:IMPLEMENTS]-(:Provision)<-[:ESTABLISHED_BY|MANDATED_BY]-(b:Body)-[:OF_STATE]->(s)`,
    to: `OPTIONAL MATCH (a)<-[:IMPLEMENTS]-(:Provision)<-[:ESTABLISHED_BY|MANDATED_BY]-(b:Body)-[:OF_STATE]->(s)
         USING INDEX b:Body(stateId) WHERE b.stateId = $state`,
  },
  {
    query: 'implementationChain',
    why: "recommendations: the state's recommendations (Recommendation.stateId index)",
    from: `OPTIONAL MATCH (r:Recommendation)-[c:CONCERNS]->(a)
           WHERE EXISTS { (r)-[:ADDRESSED_TO]->(s) }`,
    to: `OPTIONAL MATCH (r:Recommendation)-[c:CONCERNS]->(a)
           USING INDEX r:Recommendation(stateId) WHERE r.stateId = $state AND EXISTS { (r)-[:ADDRESSED_TO]->(s) }`,
  },
];


/** Fragments of analysis-repository.ts, repeated here because the restructured text uses them (there: ${TESTED} etc.). */
const TESTED = `r.kind = 'RECOMMENDATION' AND NOT EXISTS { (:Recommendation)-[:PART_OF]->(r) }`;
const LAW_IN_FORCE = (l: string, statuses: string) =>
  `((${l}:LegalInstrument AND ${l}.inForce IN ${statuses}) OR (${l}:Provision AND EXISTS { (${l})<-[:HAS_PROVISION]-(i:LegalInstrument) WHERE i.inForce IN ${statuses} }))`;
const OPEN_LENIENT = `NOT EXISTS {
    MATCH (x:Entity)-[:ANSWERS]->(r)
    WHERE (x:Mechanism AND x.status IN ['OPERATIONAL', 'PARTIAL'])
       OR (x:Body AND x.status = 'ACTIVE')
       OR ${LAW_IN_FORCE('x', `['IN_FORCE', 'UNKNOWN']`)}
  }`;
const RECOMMENDATION_ORDER = `coalesce(r.year, 0) DESC, coalesce(r.documentSymbol, ''), r.paragraph, coalesce(r.subParagraph, ''), r.id`;

/** The evidence about `subjects` (a list of nodes) that is the state's: from the state's side, not the subjects'. */
const STATE_EVIDENCE_ABOUT = (subjects: string, returns: string) => `CALL (s, ${subjects}) {
           OPTIONAL MATCH (s)<-[:OF_STATE]-(e:Evidence)-[:ABOUT]->(subject)
           WHERE subject IN ${subjects}
           WITH DISTINCT e ORDER BY e.id
           RETURN ${returns}
         }`;

export const RESTRUCTURED_PATCHES: CypherPatch[] = [
  // ------------------------------------------------------------ recommendationGaps: the page's related entities
  {
    query: 'recommendationGaps',
    why: "the page's related mechanisms, provisions and bodies: the state's, per treaty article, read once (not per gap from every state's)",
    from: `CALL (s, page) { UNWIND page AS gap … AS pageRows }`,
    to: `CALL (s, page) {
         CALL (s) {
           OPTIONAL MATCH (m:Mechanism {stateId: $state})-[:GIVES_EFFECT_TO]->(ta:TreatyArticle)
           WHERE EXISTS { (m)-[:OF_STATE]->(s) }
           RETURN collect(CASE WHEN m IS NULL THEN null ELSE {article: ta, m: m} END) AS stateMechanisms
         }
         CALL (s) {
           OPTIONAL MATCH (p:Provision {stateId: $state})-[:IMPLEMENTS]->(ta:TreatyArticle)
           WHERE EXISTS { (p)<-[:HAS_PROVISION]-(:LegalInstrument)-[:OF_STATE]->(s) }
           RETURN collect(CASE WHEN p IS NULL THEN null ELSE {article: ta, p: p} END) AS stateProvisions
         }
         CALL (s) {
           OPTIONAL MATCH (b:Body {stateId: $state})-[:ESTABLISHED_BY|MANDATED_BY]->(:Provision)-[:IMPLEMENTS]->(ta:TreatyArticle)
           WHERE EXISTS { (b)-[:OF_STATE]->(s) }
           RETURN collect(CASE WHEN b IS NULL THEN null ELSE {article: ta, b: b} END) AS bodiesViaLaw
         }
         CALL (s) {
           OPTIONAL MATCH (b:Body {stateId: $state})<-[:RUN_BY]-(:Mechanism)-[:GIVES_EFFECT_TO]->(ta:TreatyArticle)
           WHERE EXISTS { (b)-[:OF_STATE]->(s) }
           RETURN collect(CASE WHEN b IS NULL THEN null ELSE {article: ta, b: b} END) AS bodiesViaMechanism
         }
         UNWIND page AS gap
         WITH gap, gap.r AS r, stateMechanisms, stateProvisions, bodiesViaLaw + bodiesViaMechanism AS stateBodies
         WITH gap, r, stateMechanisms, stateProvisions, stateBodies, [(r)-[:CONCERNS]->(ta:TreatyArticle) | ta] AS articles
         CALL (articles, stateMechanisms) {
           UNWIND stateMechanisms AS item
           WITH item WHERE item.article IN articles
           WITH DISTINCT item.m AS m ORDER BY m.id
           RETURN collect(m.id) AS mechanismIds
         }
         CALL (articles, stateProvisions) {
           UNWIND stateProvisions AS item
           WITH item WHERE item.article IN articles
           WITH DISTINCT item.p AS p ORDER BY p.id
           RETURN collect(p.id) AS provisionIds
         }
         CALL (articles, stateBodies) {
           UNWIND stateBodies AS item
           WITH item WHERE item.article IN articles
           WITH DISTINCT item.b AS b ORDER BY b.id
           RETURN collect(b.id) AS bodyIds
         }
         RETURN collect({r: {labels: labels(r), props: properties(r)}, reasons: gap.reasons,
                         mechanismIds: mechanismIds, provisionIds: provisionIds, bodyIds: bodyIds}) AS pageRows
       }`,
  },

  // ------------------------------------------------------------ treatyCoverage: the state's side once, then per article
  {
    query: 'treatyCoverage',
    why: "what the state has per article (provisions, mechanisms, tested recommendations with open/closed, evidence) read once from the state's side",
    from: `MATCH (t:Treaty {id: $treaty}), (s:State {id: $state})
       CALL (t, s) {
         MATCH (t)-[:HAS_ARTICLE]->(a:TreatyArticle)`,
    to: `MATCH (t:Treaty {id: $treaty}), (s:State {id: $state})
       CALL (s) {
         OPTIONAL MATCH (p:Provision {stateId: $state})-[i:IMPLEMENTS]->(ta:TreatyArticle)
         WHERE EXISTS { (p)<-[:HAS_PROVISION]-(:LegalInstrument)-[:OF_STATE]->(s) }
         WITH p, i, ta ORDER BY p.id
         RETURN collect(CASE WHEN p IS NULL THEN null ELSE {article: ta, p: p, rel: properties(i)} END) AS stateImplementations
       }
       CALL (s) {
         OPTIONAL MATCH (m:Mechanism {stateId: $state})-[:GIVES_EFFECT_TO]->(ta:TreatyArticle)
         WHERE EXISTS { (m)-[:OF_STATE]->(s) }
         WITH m, ta ORDER BY m.id
         RETURN collect(CASE WHEN m IS NULL THEN null ELSE {article: ta, m: m} END) AS stateMechanisms
       }
       CALL (s) {
         OPTIONAL MATCH (r:Recommendation {stateId: $state})-[:CONCERNS]->(ta:TreatyArticle)
         WHERE ${TESTED} AND EXISTS { (r)-[:ADDRESSED_TO]->(s) }
         WITH r, ta ORDER BY ${RECOMMENDATION_ORDER}
         RETURN collect(CASE WHEN r IS NULL THEN null ELSE {article: ta, id: r.id, open: ${OPEN_LENIENT}} END) AS stateRecommendations
       }
       CALL (s) {
         OPTIONAL MATCH (s)<-[:OF_STATE]-(e:Evidence)-[:ABOUT]->(subject)
         RETURN collect(CASE WHEN e IS NULL THEN null ELSE {e: e, about: subject} END) AS stateEvidence
       }
       CALL (t, s, stateImplementations, stateMechanisms, stateRecommendations, stateEvidence) {
         MATCH (t)-[:HAS_ARTICLE]->(a:TreatyArticle)`,
  },
  {
    query: 'treatyCoverage',
    why: "implementing provisions of the article: its share of the state's list",
    from: `CALL (a, s) {
           OPTIONAL MATCH (p:Provision)-[i:IMPLEMENTS]->(a) … AS provisions
         }`,
    to: `CALL (a, stateImplementations) {
           WITH [item IN stateImplementations WHERE item.article = a] AS mine
           RETURN [item IN mine | {provision: {labels: labels(item.p), props: properties(item.p)}, rel: item.rel}] AS implementations,
                  [item IN mine | item.p] AS provisions
         }`,
  },
  {
    query: 'treatyCoverage',
    why: "mechanisms of the article: its share of the state's list",
    from: `CALL (a, s) {
           OPTIONAL MATCH (m:Mechanism)-[:GIVES_EFFECT_TO]->(a) … AS mechanisms
         }`,
    to: `CALL (a, stateMechanisms) {
           RETURN [item IN stateMechanisms WHERE item.article = a | item.m] AS mechanisms
         }`,
  },
  {
    query: 'treatyCoverage',
    why: "recommendations about the article: its share of the state's list (already ordered)",
    from: `CALL (a, s) {
           OPTIONAL MATCH (r:Recommendation)-[:CONCERNS]->(a) … AS recommendations
         }`,
    to: `CALL (a, stateRecommendations) {
           RETURN [item IN stateRecommendations WHERE item.article = a | {id: item.id, open: item.open}] AS recommendations
         }`,
  },
  {
    query: 'treatyCoverage',
    why: "evidence about the article, its provisions or mechanisms: from the state's list",
    from: `CALL (a, s, provisions, mechanisms) {
           WITH [a] + provisions + mechanisms AS subjects … AS findingIds
         }`,
    to: `CALL (a, provisions, mechanisms, stateEvidence) {
           WITH [a] + provisions + mechanisms AS subjects, stateEvidence
           UNWIND stateEvidence AS item
           WITH item WHERE item.about IN subjects
           WITH DISTINCT item.e AS e ORDER BY e.id
           RETURN [x IN collect(e) WHERE x:Statistic | x.id] AS statisticIds, [x IN collect(e) WHERE x:Finding | x.id] AS findingIds
         }`,
  },

  // ------------------------------------------------------------ implementationChain: one article, so index anchors suffice
  ...HINT_PATCHES.filter((patch) => patch.query === 'implementationChain' && !patch.from.includes('(e:Evidence)')),
  {
    query: 'implementationChain',
    why: "evidence: from the state's side (its ~100 statistics and findings), not from each subject's every-state evidence",
    from: `WITH a, provisionNodes, mechanisms, collect(DISTINCT b) AS bodies
         WITH [a] + provisionNodes + mechanisms + bodies AS subjects
         UNWIND subjects AS subject
         OPTIONAL MATCH (e:Evidence)-[:ABOUT]->(subject)
         WHERE EXISTS { (e)-[:OF_STATE]->(s) }
         WITH DISTINCT e ORDER BY e.id
         RETURN collect(e.id) AS evidenceIds`,
    to: `WITH s, a, provisionNodes, mechanisms, collect(DISTINCT b) AS bodies
         WITH s, [a] + provisionNodes + mechanisms + bodies AS subjects
         ${STATE_EVIDENCE_ABOUT('subjects', 'collect(e.id) AS evidenceIds')}
         RETURN evidenceIds`,
  },
];

export type ProposalSet = 'hints' | 'restructured';

export interface Proposal {
  patches: CypherPatch[];
  /** Schema statements the patches need beyond seed/loader.ts's. */
  schema: string[];
  /** The commit whose analysis-repository.ts the `from` fragments were written against. */
  base: string;
  /** Where it stands. */
  status: string;
}

export const PROPOSALS: Record<ProposalSet, Proposal> = {
  hints: {
    patches: HINT_PATCHES,
    schema: ['CREATE INDEX evidence_state_id IF NOT EXISTS FOR (n:Evidence) ON (n.stateId)'],
    base: '7958092',
    status: 'superseded by restructured (not enough for treatyCoverage and recommendationGaps on 1M nodes)',
  },
  restructured: {
    patches: RESTRUCTURED_PATCHES,
    schema: [],
    base: '7958092',
    status: 'adopted in 34e92fb (analysis-repository.ts now holds this Cypher), so it applies only to the older source',
  },
};

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const fragment = (text: string) =>
  new RegExp(
    text
      .trim()
      .split('…')
      .map((part) => part.trim().split(/\s+/).map(escape).join('\\s+'))
      .join('[\\s\\S]*?'),
    'g',
  );

/** The query with every patch for it applied; throws when a patch no longer matches (the source changed). */
export function applyPatches(queryName: string, cypher: string, patches: readonly CypherPatch[]): string {
  let result = cypher;
  for (const patch of patches.filter((p) => p.query === queryName)) {
    const pattern = fragment(patch.from);
    const matches = result.match(pattern)?.length ?? 0;
    if (matches !== 1) {
      throw new Error(
        `proposed patch for ${queryName} (${patch.why}) matched ${matches} times instead of once: analysis-repository.ts is not the source ` +
          `the proposal was written against (see PROPOSALS[…].base and .status in bench/proposed-queries.ts)`,
      );
    }
    result = result.replace(pattern, () => patch.to);
  }
  return result;
}
