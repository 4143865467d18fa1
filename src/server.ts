import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { unwrapResolverError } from '@apollo/server/errors';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Config } from './config';
import type { Context } from './context';
import type { Database } from './db/database';
import { isClientCode } from './errors';
import type { Logger } from './logger';
import { resolvers } from './modules';
import { createRepositories } from './modules/repositories';
import { depthLimitRule, enforceCostLimit } from './limits';
import { graphiqlLandingPage } from './playground';
import { loadTypeDefs } from './schema';

export interface AppServer {
  /** Base URL of the HTTP server, e.g. http://127.0.0.1:4000 */
  url: string;
  /** The GraphQL endpoint. */
  graphqlUrl: string;
  httpServer: Server;
  /** Stop accepting requests, let in-flight ones finish, then close. Does not close the driver. */
  stop(): Promise<void>;
}

export interface ServerDeps {
  /** The Executor in production; the middle test tier passes a stub that answers without Neo4j. */
  executor: Database;
  logger: Logger;
}

/**
 * Builds the HTTP server: GraphQL at /graphql (a browser opening it gets the self-hosted GraphiQL), a health
 * check at /health, and nothing that loads code from outside the machine.
 */
export async function createServer(config: Pick<Config, 'host' | 'port'>, deps: ServerDeps): Promise<AppServer> {
  const { executor, logger } = deps;
  const app = express();
  const httpServer = createHttpServer(app);

  const apollo = new ApolloServer<Context>({
    typeDefs: loadTypeDefs(),
    resolvers,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      graphiqlLandingPage('/graphql'),
      requestLogPlugin(logger),
      costLimitPlugin(),
    ],
    validationRules: [depthLimitRule],
    formatError: maskUnexpectedError,
    // main.ts owns shutdown (drain, then close the driver, then stop Neo4j); Apollo's own signal handlers
    // would race it.
    stopOnTerminationSignals: false,
    // Stack traces are logged server-side with the request id; clients never see them.
    includeStacktraceInErrorResponses: false,
  });
  await apollo.start();

  app.disable('x-powered-by');
  app.get('/', (_req, res) => res.redirect('/graphql'));
  app.get('/health', async (_req, res) => {
    const neo4j = await executor.ping();
    res.status(neo4j.reachable ? 200 : 503).json({ status: neo4j.reachable ? 'ok' : 'unavailable', neo4j });
  });
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const incoming = req.get('x-request-id');
        const requestId = incoming && /^[\w.\-]{1,100}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('x-request-id', requestId);
        const db = executor.forRequest(requestId);
        return { requestId, db, repositories: createRepositories(db), logger };
      },
    }),
  );

  await new Promise<void>((resolveListen, rejectListen) => {
    httpServer.once('error', rejectListen);
    httpServer.listen(config.port, config.host, () => {
      httpServer.off('error', rejectListen);
      resolveListen();
    });
  }).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EADDRINUSE'
      ? new Error(`Port ${config.port} on ${config.host} is already in use: stop what uses it or set PORT to another port.`)
      : error;
  });
  const address = httpServer.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  return {
    url,
    graphqlUrl: `${url}/graphql`,
    httpServer,
    stop: () => apollo.stop(),
  };
}

/** Rejects an operation whose estimated cost is over the limit before any resolver runs. */
function costLimitPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operationName }) {
          enforceCostLimit(schema, document, request.variables ?? {}, operationName ?? undefined);
        },
      };
    },
  };
}

/** One structured line per GraphQL request: operation, time, Cypher round trips, error codes. */
function requestLogPlugin(logger: Logger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            if (isClientCode(code)) continue;
            // Unexpected: log in full so the masked message the client gets can be traced by its request id.
            logger.error('unexpected error', {
              requestId: contextValue.requestId,
              path: error.path,
              error: unwrapResolverError(error),
            });
            error.extensions.requestId = contextValue.requestId;
          }
        },
        async willSendResponse({ operationName, response, errors }) {
          const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
          logger.info('graphql request', {
            requestId: contextValue.requestId,
            operation: operationName ?? null,
            durationMs: Math.round(durationMs * 10) / 10,
            roundTrips: contextValue.db.roundTrips,
            errors: errors?.map((e) => e.extensions?.code ?? 'INTERNAL_SERVER_ERROR') ?? [],
            http: response.http.status ?? 200,
          });
        },
      };
    },
  };
}

export function maskUnexpectedError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (isClientCode(code)) return formatted;
  const requestId = error instanceof GraphQLError ? error.extensions.requestId : undefined;
  return {
    message: 'Internal server error. The error was logged; quote the request id when reporting it.',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR', ...(requestId ? { requestId } : {}) },
  };
}
