import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { unwrapResolverError } from '@apollo/server/errors';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type ErrorRequestHandler } from 'express';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { Config, GraphQLExecution } from './config';
import { jitExecution, jitGateway } from './graphql-jit';
import type { Context } from './context';
import { Authenticator } from './modules/identity/authenticate';
import { signedIn } from './modules/identity/viewer';
import type { Database } from './db/database';
import { ERROR_CODES, isClientCode } from './errors';
import type { Logger } from './logger';
import { resolvers } from './modules';
import { createRepositories } from './modules/repositories';
import { enforceCostLimit, isTokenLimitError, limitRules, LIMITS } from './limits';
import { httpStatusPlugin } from './http-status';
import { graphqlPostHandler } from './graphql-post';
import { graphiqlLandingPage, PLAYGROUND_ASSETS_PATH, servePlaygroundAsset } from './playground';
import { loadTypeDefs } from './schema';
import { EXPORT_PATH, exportContext, exportHandler } from './modules/exports/http';

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
  /** Who is asking (src/modules/identity/authenticate.ts); by default one built from `config.auth`. */
  authenticator?: Authenticator;
  /**
   * `express` serves POST /graphql through Express as every other route (the middle test compares the two
   * paths); by default it is served by src/graphql-post.ts.
   */
  graphqlPost?: 'fast' | 'express';
}

/**
 * Builds the HTTP server: GraphQL at /graphql (a browser opening it gets the self-hosted GraphiQL), a health
 * check at /health, and nothing that loads code from outside the machine.
 */
export async function createServer(
  config: Pick<Config, 'host' | 'port'> & Partial<Pick<Config, 'auth' | 'execution'>>,
  deps: ServerDeps,
): Promise<AppServer> {
  const { executor, logger } = deps;
  const authenticator = deps.authenticator ?? new Authenticator({ jwt: config.auth?.jwt ?? null, logger });
  const app = express();
  // POST /graphql, the route of every GraphQL client, is served without Express (src/graphql-post.ts);
  // everything else, and any POST it does not take, goes through Express as before.
  let fastPost: ((req: IncomingMessage, res: ServerResponse) => boolean) | undefined = undefined;
  const httpServer = createHttpServer((req, res) => {
    if (!fastPost?.(req, res)) app(req, res);
  });

  const apollo = createGraphQLServer(logger, [ApolloServerPluginDrainHttpServer({ httpServer })], config.execution);
  await apollo.start();
  /** The context of one request: its id (echoed in x-request-id), its database reader, who is asking. */
  const contextFor = async (req: IncomingMessage & { ip?: string }, res: ServerResponse): Promise<Context> => {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', requestId);
    // A request with credentials that are not accepted fails here, as a whole, with 401 (or 429, or 503
    // when the graph cannot be asked). The look-up has its own reader, so that `db.roundTrips` counts
    // only what the operation's resolvers do.
    const viewer = await authenticator.authenticate(
      {
        authorization: req.headers.authorization,
        // Express's req.ip (no 'trust proxy') is the socket's address, which the fast path reads directly.
        address: req.ip ?? req.socket.remoteAddress ?? 'unknown',
        requestId,
      },
      () => executor.forRequest(requestId),
    );
    const db = executor.forRequest(requestId);
    return { requestId, db, repositories: createRepositories(db, viewer), viewer, logger };
  };
  if (deps.graphqlPost !== 'express')
    fastPost = graphqlPostHandler({
      apollo,
      context: contextFor,
      maxBodyBytes: LIMITS.maxBodyBytes,
      notJson: { status: ERROR_CODES.BAD_REQUEST.status, body: NOT_JSON_BODY },
      onError: (error, _req, res) => {
        // Apollo answers every failure of a GraphQL request itself; this is only for a fault of our own.
        logger.error('unexpected failure serving POST /graphql', { error });
        if (res.headersSent) {
          res.destroy();
          return;
        }
        res.statusCode = 500;
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.end(
          JSON.stringify({
            errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
          }),
        );
      },
    });

  app.disable('x-powered-by');
  app.get('/', (_req, res) => res.redirect('/graphql'));
  app.get(`${PLAYGROUND_ASSETS_PATH}/:file`, (req, res, next) => {
    servePlaygroundAsset(req, res).catch(next);
  });
  // `ok` (200) only when Neo4j answers and the API is warm; otherwise 503 with why: `starting` (warming up
  // before it reports ready), `recovering` (its embedded Neo4j died and is being started and warmed again),
  // or `unavailable` (Neo4j does not answer).
  app.get('/health', async (_req, res) => {
    const neo4j = await executor.ping();
    const readiness = executor.readiness ?? 'ok';
    const status = readiness !== 'ok' ? readiness : neo4j.reachable ? 'ok' : 'unavailable';
    res.status(status === 'ok' ? 200 : 503).json({ status, neo4j });
  });
  app.use(
    '/graphql',
    express.json({ limit: LIMITS.maxBodyBytes }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => contextFor(req, res),
    }),
    bodyErrorHandler,
  );

  // CSV exports (src/modules/exports): each page of an export is a GraphQL operation run as this request's
  // viewer, through the same schema, limits and error masking as /graphql.
  app.get(
    `${EXPORT_PATH}/:file`,
    exportHandler(
      async (req, res) => exportContext(apollo, await contextFor(req, res), executor, logger, maskUnexpectedError),
      logger,
    ),
  );

  await new Promise<void>((resolveListen, rejectListen) => {
    httpServer.once('error', rejectListen);
    httpServer.listen(config.port, config.host, () => {
      httpServer.off('error', rejectListen);
      resolveListen();
    });
  }).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EADDRINUSE'
      ? new Error(
          `Port ${config.port} on ${config.host} is already in use: stop what uses it or set PORT to another port.`,
        )
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

/**
 * The GraphQL server of the API, without HTTP: its schema, limits, plugins and error masking. `createServer`
 * mounts it at /graphql; the exports (HTTP and `npm run export`) run their pages through it.
 */
export function createGraphQLServer(
  logger: Logger,
  extraPlugins: ApolloServerPlugin<Context>[] = [],
  execution: GraphQLExecution = 'jit',
): ApolloServer<Context> {
  const schema = makeExecutableSchema<Context>({ typeDefs: loadTypeDefs(), resolvers });
  return new ApolloServer<Context>({
    // Operations run compiled (src/graphql-jit.ts), which Apollo Server takes only from a gateway.
    ...(execution === 'graphql-js'
      ? { schema }
      : { gateway: jitGateway(schema, jitExecution(schema, { compileAtFirst: execution === 'jit-first' })) }),
    plugins: [
      ...extraPlugins,
      graphiqlLandingPage('/graphql'),
      // Before the request log, so that the log line shows the status the client gets.
      httpStatusPlugin(),
      requestLogPlugin(logger),
      costLimitPlugin(),
      // The API sets no cache hints (every answer is `cache-control`-free), and Apollo's default cache-control
      // plugin, by its willResolveField hook, wraps every resolver of the schema and runs for every field of
      // every answer: about 5% of the CPU of a list of 50 recommendations, for nothing.
      ApolloServerPluginCacheControlDisabled(),
    ],
    // graphql-js stops parsing a document at this many tokens, so a huge document costs no more than that.
    parseOptions: { maxTokens: LIMITS.maxTokens },
    validationRules: limitRules,
    formatError: maskUnexpectedError,
    // main.ts owns shutdown (drain, then close the driver, then stop Neo4j); Apollo's own signal handlers
    // would race it.
    stopOnTerminationSignals: false,
    // Stack traces are logged server-side with the request id; clients never see them.
    includeStacktraceInErrorResponses: false,
    // Compact JSON rather than Apollo's default two-space indentation: GraphiQL and browsers' developer tools
    // indent an answer themselves, and indenting cost every request (under a list of 50 recommendations, 2.4%
    // of the server's CPU in the indenting stringify and 5.8% in writing the larger answer).
    stringifyResult: (value) => JSON.stringify(value),
  });
}

const NOT_JSON_BODY = {
  errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }],
};

/**
 * A body too large or not JSON never reaches GraphQL: answer it as a GraphQL error body (Express's default
 * handler would send an HTML page and print a stack trace) with the body parser's status, 413 or 400.
 */
const bodyErrorHandler: ErrorRequestHandler = (error: { type?: unknown; status?: unknown }, _req, res, next) => {
  if (error.type === 'entity.too.large') {
    // 413 Payload Too Large: HTTP's own status for this, not a GraphQL error's (the code stays BAD_REQUEST).
    res.status(413).json({
      errors: [
        {
          message: `The request body is larger than the limit of ${LIMITS.maxBodyBytes} bytes.`,
          extensions: { code: 'BAD_REQUEST', limit: LIMITS.maxBodyBytes },
        },
      ],
    });
  } else if (error.type === 'entity.parse.failed') {
    res.status(ERROR_CODES.BAD_REQUEST.status).json(NOT_JSON_BODY);
  } else {
    next(error);
  }
};

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
            userId: signedIn(contextValue.viewer)?.id ?? null,
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
  // graphql-js's token limit is a plain syntax error: give it the limit the other refusals carry.
  if (code === 'GRAPHQL_PARSE_FAILED' && isTokenLimitError(formatted.message)) {
    return {
      ...formatted,
      message: `${formatted.message} The limit is ${LIMITS.maxTokens} tokens.`,
      extensions: { ...formatted.extensions, limit: LIMITS.maxTokens },
    };
  }
  if (isClientCode(code)) return formatted;
  const requestId = error instanceof GraphQLError ? error.extensions.requestId : undefined;
  return {
    message: 'Internal server error. The error was logged; quote the request id when reporting it.',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR', ...(requestId ? { requestId } : {}) },
  };
}
