import type { ApolloServer } from '@apollo/server';
import type { Request, RequestHandler, Response } from 'express';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Context } from '../../context';
import type { Database } from '../../db/database';
import { isClientCode } from '../../errors';
import type { Logger } from '../../logger';
import { createRepositories } from '../repositories';
import { EXPORTS } from './definitions';
import {
  corpusVersion,
  ExportError,
  exportFileName,
  exportRefusal,
  parseArguments,
  streamCsv,
  type ExecuteGraphQL,
  type ExportContext,
} from './run-export';

/** Where the exports are served: `GET /export/<name>.csv?state=KAZ&…`. */
export const EXPORT_PATH = '/export';

/** Runs operations through the API's GraphQL server (schema, limits, plugins, masking), each with a fresh context. */
export function graphQLExecutor(apollo: ApolloServer<Context>, contextValue: () => Context): ExecuteGraphQL {
  return async (query, variables) => {
    const response = await apollo.executeOperation({ query, variables }, { contextValue: contextValue() });
    if (response.body.kind !== 'single') throw new Error('An export operation was answered incrementally.');
    return { data: response.body.singleResult.data ?? null, errors: response.body.singleResult.errors };
  };
}

type Mask = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/**
 * The context an export runs in, for one request: every page is a GraphQL operation as this request's viewer
 * with a fresh database reader (each page gets the limits a client paging through the field gets, its own
 * database time budget included); `failure` logs an unexpected error in full and masks it as /graphql does.
 */
export function exportContext(
  apollo: ApolloServer<Context>,
  request: Context,
  database: Database,
  logger: Logger,
  mask: Mask,
): ExportContext {
  const reader = () => database.forRequest(request.requestId);
  return {
    execute: graphQLExecutor(apollo, () => {
      const db = reader();
      return { ...request, db, repositories: createRepositories(db) };
    }),
    reader,
    failure: (error) => {
      const graphQLError =
        error instanceof GraphQLError
          ? error
          : new GraphQLError(error instanceof Error ? error.message : String(error), {
              originalError: error instanceof Error ? error : undefined,
            });
      if (!isClientCode(graphQLError.extensions.code)) {
        logger.error('unexpected error in an export', { requestId: request.requestId, error });
        graphQLError.extensions.requestId = request.requestId;
      }
      return new ExportError([mask(graphQLError.toJSON(), graphQLError)]);
    },
  };
}

/**
 * `GET /export/<name>.csv`: the export streamed as CSV (run-export.ts). Until the first rows are read,
 * any refusal or failure is a JSON `{ errors }` body with the HTTP status of its code (src/errors.ts); after
 * the first byte, a failure cuts the connection (the client sees an incomplete transfer, never a short file
 * that looks complete) and is logged.
 */
export function exportHandler(
  prepare: (req: Request, res: Response) => ExportContext | Promise<ExportContext>,
  logger: Logger,
): RequestHandler {
  return async (req, res) => {
    let context: ExportContext | undefined;
    try {
      const file = String(req.params.file ?? '');
      const name = /^([a-z][a-z-]*)\.csv$/.exec(file)?.[1];
      const definition = name === undefined ? undefined : EXPORTS.get(name);
      if (!definition) {
        throw exportRefusal(
          'NOT_FOUND',
          `No export named ${JSON.stringify(file)}; the exports are ${[...EXPORTS.keys()].map((n) => `${n}.csv`).join(', ')}.`,
        );
      }
      const args = parseArguments(definition, req.query);
      // Authentication happens here (as for /graphql): a refused token is its error, before anything is read.
      context = await prepare(req, res);
      const version = await corpusVersion(context);
      const madeAt = new Date();
      const fileName = exportFileName(definition.name, args, version, madeAt);
      const rows = await streamCsv(definition, context, args, {
        start: () => {
          res.status(200);
          res.setHeader('content-type', 'text/csv; charset=utf-8');
          res.setHeader('content-disposition', `attachment; filename="${fileName}"`);
          res.setHeader('x-corpus-version', version ?? 'none');
          res.setHeader('x-exported-at', madeAt.toISOString());
        },
        write: (chunk) =>
          new Promise<void>((resolveWrite, rejectWrite) => {
            if (res.destroyed) {
              rejectWrite(new Error('the client closed the connection'));
              return;
            }
            if (res.write(chunk)) resolveWrite();
            else {
              const done = () => {
                res.off('drain', done);
                res.off('close', done);
                resolveWrite();
              };
              res.once('drain', done);
              res.once('close', done);
            }
          }),
      });
      res.end();
      logger.info('export', { requestId: res.getHeader('x-request-id'), export: definition.name, rows, fileName });
    } catch (error) {
      const failure = exportFailure(error, context, logger, res.getHeader('x-request-id'));
      if (!res.headersSent) {
        // Headers an error asks for travel with it, as on /graphql (`WWW-Authenticate` on a 401, `Retry-After` on a 429).
        const http: unknown = error instanceof GraphQLError ? error.extensions.http : undefined;
        const headers = http && typeof http === 'object' && 'headers' in http ? http.headers : undefined;
        if (headers instanceof Map) for (const [name, value] of headers) res.setHeader(String(name), String(value));
        res.status(failure.status).json(failure.body());
      } else {
        logger.error('export failed after its first rows were sent; connection cut', {
          requestId: res.getHeader('x-request-id'),
          error,
        });
        res.destroy(error instanceof Error ? error : new Error(String(error)));
      }
    }
  };
}

/** The error a client gets for a failed export: its own, the context's masking, or a refusal before the context existed. */
function exportFailure(
  error: unknown,
  context: ExportContext | undefined,
  logger: Logger,
  requestId: unknown,
): ExportError {
  if (error instanceof ExportError) return error;
  if (context) return context.failure(error);
  if (error instanceof GraphQLError && isClientCode(error.extensions.code)) return new ExportError([error.toJSON()]);
  logger.error('unexpected error before an export started', { requestId, error });
  return new ExportError([
    {
      message: 'Internal server error. The error was logged; quote the request id when reporting it.',
      extensions: { code: 'INTERNAL_SERVER_ERROR', ...(typeof requestId === 'string' ? { requestId } : {}) },
    },
  ]);
}
