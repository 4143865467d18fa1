// First: graphql-js must be loaded in its production mode before anything imports it.
import './graphql-production';
import { ConfigError, parseConfig } from './config';
import { createLogger, sourceMapsForLogsOnly } from './logger';
import { startApp } from './app';

async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  // Every module of the server is loaded by now (imported above), with its source map read.
  sourceMapsForLogsOnly();
  const app = await startApp(config, logger);
  logger.info(`API ready: GraphQL at ${app.server.graphqlUrl}, health at ${app.server.url}/health`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down: draining requests, closing the driver, stopping the local Neo4j', { signal });
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
