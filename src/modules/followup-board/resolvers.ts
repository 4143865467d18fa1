import type { Resolvers } from '../../generated/graphql';
import { badUserInput, notFound } from '../../errors';
import { pageRequest, toConnection } from '../../pagination';
import { stateId } from '../common/resolvers';
import { internalStatesOf, type Viewer } from '../identity/viewer';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Today's date in UTC, YYYY-MM-DD: the default day overdue is judged on. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** The states (ISO codes, as follow-up records' `stateId`) whose INTERNAL records the viewer may read (CONTRACTS A). */
export function readableInternalStates(viewer: Viewer): string[] {
  return internalStatesOf(viewer);
}

function checkDay(value: string, argumentPath: string): string {
  const date = new Date(`${value}T00:00:00Z`);
  if (!DAY.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw badUserInput(`${argumentPath} must be a calendar day, YYYY-MM-DD (got "${value}").`, argumentPath);
  }
  return value;
}

const nonEmpty = <T>(list: readonly T[] | null | undefined): T[] | null => (list?.length ? [...list] : null);

export const followUpBoardResolvers: Resolvers = {
  Query: {
    followUp: async (_parent, args, context) => {
      const state = stateId(args.state);
      const measureFiltered =
        Boolean(args.statuses?.length) || (args.overdue ?? null) !== null || Boolean(args.leadBodies?.length);
      if ((args.withoutMeasure ?? null) !== null && measureFiltered) {
        throw badUserInput(
          'followUp(withoutMeasure:) cannot be combined with the measure filters (statuses, overdue, leadBodies): a row without measures has none to filter.',
          'followUp(withoutMeasure:)',
        );
      }
      const asOf = args.asOf ? checkDay(args.asOf, 'followUp(asOf:)') : todayUtc();
      const page = pageRequest(args, 'followUp');
      const result = await context.repositories.followUpBoard.board(
        {
          state,
          stateCode: state.replace(/^state:/, ''),
          internalStates: readableInternalStates(context.viewer),
          statuses: nonEmpty(args.statuses),
          overdue: args.overdue ?? null,
          leadBodies: nonEmpty(args.leadBodies),
          articles: nonEmpty(args.articles),
          themes: nonEmpty(args.themes),
          cycles: nonEmpty(args.cycles),
          documents: nonEmpty(args.documents),
          withoutMeasure: args.withoutMeasure ?? null,
          includeWithdrawn: args.includeWithdrawn,
          asOf,
        },
        page.offset,
        page.limit + 1,
      );
      if (!result) throw notFound('state', state, 'followUp(state:)');
      const connection = toConnection(result.rows, page, () => Promise.resolve(result.total));
      return {
        state: result.state,
        asOf,
        edges: connection.edges,
        pageInfo: connection.pageInfo,
        totalCount: result.total,
        summary: result.summary,
      };
    },
  },

  FollowUpLeadBodyCount: {
    body: async (count, _args, { repositories }) => {
      if (count.bodyId === null) return null;
      const [body] = await repositories.common.existing([count.bodyId], ['Body'], 'A follow-up lead body');
      return body ?? null;
    },
  },

  RecommendationGap: {
    measuresUnderWay: (gap, _args, { repositories, viewer }) =>
      repositories.followUpBoard.measuresUnderWay(gap.recommendation.id, readableInternalStates(viewer)),
  },
};
