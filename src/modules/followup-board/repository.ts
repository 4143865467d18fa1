import DataLoader from 'dataloader';
import { z } from 'zod';
import type { CypherReader } from '../../db/database';
import { visible } from '../../graph/vocabulary';
import { decodeWith } from '../common/models';
import { decodeEntity } from '../entities';
import type { StateModel } from '../states/models';
import type { MeasureModel } from '../followup/models';
import { decodeMeasure, VISIBLE_MEASURE } from '../followup/repository';
import type { BoardFilter, FollowUpRowModel, FollowUpSummaryModel } from './models';

/*
 * The follow-up board reads the follow-up records CONTRACTS C describes, beside the curated graph:
 * `(:FollowUp:Measure)-[:ADDRESSES]->(:Recommendation)`, `(m)-[:LED_BY]->(:Body)`. None of them is an
 * `:Entity`, so nothing here can make a curated fact (an answer, a gap's status) out of a reported one.
 */

/** A measure `m` the reader may see: public, or internal to a state they edit (the follow-up module's rule). */
const VISIBLE = VISIBLE_MEASURE;
/** Overdue, derived (never stored): due before the board's day, still under way, not withdrawn. */
const OVERDUE = `(m.dueDate IS NOT NULL AND m.dueDate < $asOf AND m.status IN ['PLANNED', 'IN_PROGRESS'] AND m.withdrawnAt IS NULL)`;
/** The recommendations the gap analysis tests (analysis/repository.ts's TESTED). Binds `r`. */
const TESTED = `(r.kind = 'RECOMMENDATION' AND NOT EXISTS { (sub:Recommendation)-[:PART_OF]->(r) WHERE ${visible('sub')} })`;
/** A measure item `x` ({m, lead, overdue}) kept by the measure filters. */
const MEASURE_KEPT = `($statuses IS NULL OR x.m.status IN $statuses)
        AND ($overdue IS NULL OR x.overdue = $overdue)
        AND ($leadBodies IS NULL OR x.lead IN $leadBodies)`;
const RECOMMENDATION_ORDER = `coalesce(r.year, 0) DESC, coalesce(r.documentSymbol, ''), r.paragraph, coalesce(r.subParagraph, ''), r.id`;

export const FOLLOW_UP_BOARD_STATEMENTS = {
  /**
   * One page of the board, its count and its summary in one statement: the scope (the state's
   * recommendations narrowed by the recommendation filters, each with the measures the reader may see),
   * the summary over the scope, then the rows the measure filters and withoutMeasure keep, paged.
   */
  followUp: `// followUp
       MATCH (s:State {id: $state})
       OPTIONAL MATCH (r:Recommendation)-[:ADDRESSED_TO]->(s)
       WHERE ${visible('r')}
         AND ($cycles IS NULL OR r.cycle IN $cycles)
         AND ($documents IS NULL OR r.documentId IN $documents)
         AND ($articles IS NULL OR EXISTS { (r)-[:CONCERNS]->(a:TreatyArticle) WHERE a.id IN $articles })
         AND ($themes IS NULL OR EXISTS { (r)-[:HAS_THEME]->(t:Theme) WHERE t.id IN $themes })
       CALL (r) {
         OPTIONAL MATCH (m:Measure)-[:ADDRESSES]->(r)
         WHERE m.stateId = $stateCode AND ${VISIBLE} AND ($includeWithdrawn OR m.withdrawnAt IS NULL)
         OPTIONAL MATCH (m)-[:LED_BY]->(b:Body)
         WITH m, b ORDER BY m.dueDate IS NULL, m.dueDate, m.id
         RETURN collect(CASE WHEN m IS NULL THEN null ELSE {m: m, lead: b.id, overdue: ${OVERDUE}} END) AS measures
       }
       WITH s, r, measures ORDER BY ${RECOMMENDATION_ORDER}
       // A state with no recommendation still gets its (empty) board: collect, not a WHERE that drops s.
       WITH s, collect(CASE WHEN r IS NOT NULL AND (${TESTED} OR size(measures) > 0)
                            THEN {r: r, measures: measures} END) AS scope
       CALL (scope) {
         UNWIND scope AS row
         UNWIND row.measures AS x
         WITH DISTINCT x.m AS m, x.lead AS lead, x.overdue AS overdue
         WITH lead, count(m) AS measureCount, sum(CASE WHEN overdue THEN 1 ELSE 0 END) AS overdueCount
         ORDER BY lead IS NULL, measureCount DESC, lead
         RETURN collect({bodyId: lead, measureCount: measureCount, overdueCount: overdueCount}) AS byLeadBody
       }
       WITH s, scope, byLeadBody,
            [row IN scope WHERE
               ($withoutMeasure IS NULL OR (size(row.measures) = 0) = $withoutMeasure)
               AND (NOT $measureFiltered OR any(x IN row.measures WHERE ${MEASURE_KEPT}))] AS kept
       RETURN {labels: labels(s), props: properties(s)} AS state,
              size(scope) AS recommendationCount,
              size([row IN scope WHERE size(row.measures) = 0]) AS recommendationsWithoutMeasure,
              byLeadBody,
              size(kept) AS total,
              [row IN kept[$offset..($offset + $limit)] | {
                 r: {labels: labels(row.r), props: properties(row.r)},
                 measureCount: size(row.measures),
                 overdueCount: size([x IN row.measures WHERE x.overdue]),
                 measures: [x IN row.measures WHERE ${MEASURE_KEPT} | properties(x.m)]
              }] AS page`,

  /** The measures under way (PLANNED, IN_PROGRESS; not withdrawn) for each of a page of recommendations. */
  measuresUnderWay: `// RecommendationGap.measuresUnderWay
       UNWIND $ids AS id
       MATCH (r:Recommendation {id: id})
       WHERE ${visible('r')}
       CALL (r) {
         OPTIONAL MATCH (m:Measure)-[:ADDRESSES]->(r)
         WHERE ${VISIBLE} AND m.status IN ['PLANNED', 'IN_PROGRESS'] AND m.withdrawnAt IS NULL
         WITH m ORDER BY m.dueDate IS NULL, m.dueDate, m.id
         RETURN collect(properties(m)) AS measures
       }
       RETURN id, measures`,
};

const BOARD_ROWS = z.array(
  z.object({
    state: z.unknown(),
    recommendationCount: z.number().int(),
    recommendationsWithoutMeasure: z.number().int(),
    byLeadBody: z.array(
      z.object({ bodyId: z.string().nullable(), measureCount: z.number().int(), overdueCount: z.number().int() }),
    ),
    total: z.number().int(),
    page: z.array(
      z.object({
        r: z.unknown(),
        measureCount: z.number().int(),
        overdueCount: z.number().int(),
        measures: z.array(z.unknown()),
      }),
    ),
  }),
);
const UNDER_WAY_ROWS = z.array(z.object({ id: z.string(), measures: z.array(z.unknown()) }));

export interface BoardPage {
  state: StateModel;
  rows: FollowUpRowModel[];
  total: number;
  summary: FollowUpSummaryModel;
}

export class FollowUpBoardRepository {
  /** One batching loader per set of readable internal states (a request has one viewer, so one loader). */
  private readonly underWay = new Map<string, DataLoader<string, MeasureModel[]>>();

  constructor(private readonly db: CypherReader) {}

  /** One page of the board (rows offset … offset + limit - 1; ask for one more to learn whether more follow). */
  async board(filter: BoardFilter, offset: number, limit: number): Promise<BoardPage | null> {
    const rows = decodeWith(
      BOARD_ROWS,
      await this.db.read('followUp', FOLLOW_UP_BOARD_STATEMENTS.followUp, {
        state: filter.state,
        stateCode: filter.stateCode,
        internalStates: filter.internalStates,
        statuses: filter.statuses,
        overdue: filter.overdue,
        leadBodies: filter.leadBodies,
        measureFiltered: filter.statuses !== null || filter.overdue !== null || filter.leadBodies !== null,
        articles: filter.articles,
        themes: filter.themes,
        cycles: filter.cycles,
        documents: filter.documents,
        withoutMeasure: filter.withoutMeasure,
        includeWithdrawn: filter.includeWithdrawn,
        asOf: filter.asOf,
        offset,
        limit,
      }),
      'followUp rows',
    );
    const row = rows[0];
    if (!row) return null;
    const byLeadBody = row.byLeadBody;
    return {
      state: decodeEntity(row.state, ['State']),
      total: row.total,
      rows: row.page.map((item) => ({
        recommendation: decodeEntity(item.r, ['Recommendation']),
        measureCount: item.measureCount,
        overdueCount: item.overdueCount,
        measures: item.measures.map(decodeMeasure),
      })),
      summary: {
        recommendationCount: row.recommendationCount,
        recommendationsWithoutMeasure: row.recommendationsWithoutMeasure,
        measureCount: byLeadBody.reduce((sum, lead) => sum + lead.measureCount, 0),
        overdueMeasureCount: byLeadBody.reduce((sum, lead) => sum + lead.overdueCount, 0),
        byLeadBody,
      },
    };
  }

  /** The measures under way for a recommendation, batched across a page of gaps (one statement). */
  measuresUnderWay(recommendationId: string, internalStates: string[]): Promise<MeasureModel[]> {
    const key = JSON.stringify(internalStates);
    let loader = this.underWay.get(key);
    if (!loader) {
      loader = new DataLoader(async (ids) => {
        const rows = decodeWith(
          UNDER_WAY_ROWS,
          await this.db.read('RecommendationGap.measuresUnderWay', FOLLOW_UP_BOARD_STATEMENTS.measuresUnderWay, {
            ids: [...ids],
            internalStates,
          }),
          'RecommendationGap.measuresUnderWay rows',
        );
        const byId = new Map(rows.map((row) => [row.id, row.measures.map(decodeMeasure)]));
        return ids.map((id) => byId.get(id) ?? []);
      });
      this.underWay.set(key, loader);
    }
    return loader.load(recommendationId);
  }
}
