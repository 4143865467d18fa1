import type { Resolvers } from '../../generated/graphql';
import type { Context } from '../../context';
import { badUserInput } from '../../errors';
import { checkPageSize } from '../../limits';
import { decodeCursor, encodeCursor, paged } from '../../pagination';
import { required } from '../common/resolvers';
import { isOverdue } from './models';
import { stateCode, type MutationResult } from './repository';

async function measurePayload(result: MutationResult, clientMutationId: string | null | undefined, context: Context) {
  return {
    clientMutationId: clientMutationId ?? null,
    measure: required(
      await context.repositories.followUp.measure(result.measureId),
      `measure ${result.measureId} was written but cannot be read back`,
    ),
  };
}

/** What every link and unlink mutation's input has besides the ids it links. */
interface LinkInput {
  measure: string;
  expectedVersion: number;
  idempotencyKey?: string | null;
  clientMutationId?: string | null;
}

/** Links (or unlinks) recommendations or results of a measure: the four link mutations differ only in these. */
async function changeLinks(
  context: Context,
  method: 'linkRecommendations' | 'linkResults',
  input: LinkInput,
  ids: readonly string[],
  unlink: boolean,
) {
  const result = await context.repositories.followUp[method]({
    id: input.measure,
    expectedVersion: input.expectedVersion,
    idempotencyKey: input.idempotencyKey,
    ids,
    unlink,
  });
  return measurePayload(result, input.clientMutationId, context);
}

const attribution = (organisation: string, userId: string, at: string) => ({ organisation, userId, at });

export const followupResolvers: Resolvers = {
  Query: {
    measure: (_parent, { id }, { repositories }) => repositories.followUp.measure(id),
    history: (_parent, { id }, { repositories }) => repositories.followUp.history(id),
    changes: async (_parent, { state, since, first, after }, { repositories }) => {
      const limit = checkPageSize(first, 'changes(first:)', 50);
      // The cursor is the last change's seq, so a tracker can resume later and miss nothing committed since.
      const afterSeq = after ? decodeCursor(after, 'changes(after:)') : 0;
      if (since !== null && since !== undefined && Number.isNaN(Date.parse(since)))
        throw badUserInput(
          'changes(since:) must be an ISO 8601 timestamp, e.g. 2026-12-01T00:00:00.000Z.',
          'changes(since:)',
        );
      const rows = await repositories.followUp.changes(
        stateCode(state, 'changes(state:)'),
        since ? new Date(since).toISOString() : null,
        afterSeq,
        limit + 1,
      );
      const page = rows.slice(0, limit);
      const edges = page.map((node) => ({ cursor: encodeCursor(node.seq), node }));
      return {
        edges,
        pageInfo: {
          hasNextPage: rows.length > limit,
          endCursor: edges.length > 0 ? edges[edges.length - 1]!.cursor : (after ?? null),
        },
      };
    },
  },
  Mutation: {
    createMeasure: async (_parent, { input }, context) => {
      const result = await context.repositories.followUp.createMeasure({
        state: input.state,
        title: input.title,
        description: input.description,
        status: input.status ?? undefined,
        plannedStart: input.plannedStart,
        dueDate: input.dueDate,
        visibility: input.visibility ?? undefined,
        leadBody: input.leadBody,
        contributingBodies: input.contributingBodies ?? undefined,
        recommendations: input.recommendations ?? undefined,
        idempotencyKey: input.idempotencyKey,
      });
      return measurePayload(result, input.clientMutationId, context);
    },
    updateMeasure: async (_parent, { input }, context) => {
      const { clientMutationId, ...change } = input;
      const result = await context.repositories.followUp.updateMeasure(change);
      return measurePayload(result, clientMutationId, context);
    },
    linkRecommendations: (_parent, { input }, context) =>
      changeLinks(context, 'linkRecommendations', input, input.recommendations, false),
    unlinkRecommendations: (_parent, { input }, context) =>
      changeLinks(context, 'linkRecommendations', input, input.recommendations, true),
    linkResults: (_parent, { input }, context) => changeLinks(context, 'linkResults', input, input.results, false),
    unlinkResults: (_parent, { input }, context) => changeLinks(context, 'linkResults', input, input.results, true),
    addProgressUpdate: async (_parent, { input }, context) => {
      const result = await context.repositories.followUp.addProgressUpdate({
        id: input.measure,
        expectedVersion: input.expectedVersion,
        idempotencyKey: input.idempotencyKey,
        date: input.date,
        text: input.text,
        reportedStatus: input.reportedStatus,
        visibility: input.visibility,
        evidence: input.evidence,
      });
      const { measure } = await measurePayload(result, null, context);
      const progressId = required(result.progressId, 'addProgressUpdate returned no progress update id');
      return {
        clientMutationId: input.clientMutationId ?? null,
        measure,
        progressUpdate: required(
          await context.repositories.followUp.progressUpdate(progressId),
          `progress update ${progressId} was written but cannot be read back`,
        ),
      };
    },
    withdrawMeasure: async (_parent, { input }, context) => {
      const result = await context.repositories.followUp.withdrawMeasure({
        id: input.id,
        expectedVersion: input.expectedVersion,
        idempotencyKey: input.idempotencyKey,
        reason: input.reason,
      });
      return measurePayload(result, input.clientMutationId, context);
    },
  },
  Measure: {
    state: async (measure, _args, { repositories }) =>
      required(
        await repositories.common.nodeOf(`state:${measure.stateId}`, ['State']),
        `${measure.id} is of state ${measure.stateId}, which the graph does not hold`,
      ),
    overdue: (measure) => isOverdue(measure),
    reportedBy: (measure) => measure.organisation,
    created: (measure) => attribution(measure.organisation, measure.createdBy, measure.createdAt),
    lastChanged: (measure) =>
      attribution(measure.updatedByOrganisation ?? measure.organisation, measure.updatedBy, measure.updatedAt),
    withdrawal: (measure) =>
      measure.withdrawnAt === null
        ? null
        : {
            by: attribution(
              measure.withdrawnByOrganisation ?? measure.organisation,
              required(measure.withdrawnBy, `${measure.id} is withdrawn by nobody`),
              measure.withdrawnAt,
            ),
            reason: measure.withdrawalReason ?? '',
          },
    leadBody: async (measure, _args, { repositories }) => {
      const { leadBody } = await repositories.followUp.links(measure.id);
      return leadBody === null ? null : repositories.common.nodeOf(leadBody, ['Body']);
    },
    contributingBodies: async (measure, _args, { repositories }) =>
      repositories.common.existing(
        (await repositories.followUp.links(measure.id)).contributingBodies,
        ['Body'],
        `${measure.id} contributing body`,
      ),
    recommendations: async (measure, _args, { repositories }) =>
      repositories.common.existing(
        (await repositories.followUp.links(measure.id)).recommendations,
        ['Recommendation'],
        `${measure.id} recommendation`,
      ),
    results: async (measure, _args, { repositories }) =>
      repositories.common.existing(
        (await repositories.followUp.links(measure.id)).results,
        ['LegalInstrument', 'Provision', 'Body', 'Mechanism'],
        `${measure.id} result`,
      ),
    progress: (measure, _args, { repositories }) => repositories.followUp.progressOf(measure.id),
    history: (measure, _args, { repositories }) => repositories.followUp.history(measure.id),
  },
  MeasureResult: { __resolveType: (result) => result.__label },
  ProgressUpdate: {
    measure: async (progress, _args, { repositories }) =>
      required(await repositories.followUp.measure(progress.measureId), `${progress.id} has no readable measure`),
    reportedBy: (progress) => progress.organisation,
    created: (progress) => attribution(progress.organisation, progress.createdBy, progress.createdAt),
  },
  ReportedEvidence: {
    source: (evidence, _args, { repositories }) =>
      evidence.sourceId === null ? null : repositories.common.nodeOf(evidence.sourceId, ['Source']),
  },
  // Counted only when selected: the connection holds the count as a function (src/pagination.ts), which a
  // compiled operation (src/graphql-jit.ts) calls only through a resolver.
  MeasureConnection: { totalCount: (connection) => connection.totalCount() },
  ChangeRecord: {
    state: (change) => (change.stateId === null ? null : `state:${change.stateId}`),
    before: (change) => change.beforeJson,
    after: (change) => change.afterJson,
  },
  Recommendation: {
    measures: (recommendation, args, { repositories }) => {
      let total = 0;
      return paged(
        args,
        'Recommendation.measures',
        async (offset, limit) => {
          const result = await repositories.followUp.measuresOfRecommendation(
            recommendation.id,
            offset,
            limit,
            args.includeWithdrawn ?? false,
          );
          total = result.total;
          return result.page;
        },
        () => Promise.resolve(total),
      );
    },
    latestFollowUpStatus: (recommendation, _args, { repositories }) =>
      repositories.followUp.latestStatus(recommendation.id),
  },
};
