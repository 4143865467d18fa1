import { resolve } from 'node:path';
import type { Driver } from 'neo4j-driver';
import type { Config } from './config';
import { createDriver } from './db/driver';
import { Executor } from './db/executor';
import { startLocalNeo4j, type LocalNeo4j } from './db/local-neo4j';
import type { Logger } from './logger';
import { createServer, type AppServer } from './server';
import { loadIfChanged } from '../seed/loader';

/** The project's root folder (where pom.xml and seed/ are), found from this module, not the working directory. */
export const PROJECT_ROOT = resolve(__dirname, '..');
export const SEED_DATA_DIR = resolve(PROJECT_ROOT, 'seed', 'data');

export interface RunningApp {
  server: AppServer;
  driver: Driver;
  local: LocalNeo4j | undefined;
  /** Drain requests, close the driver, stop the local Neo4j (if the API started one). */
  stop(): Promise<void>;
}

/**
 * Starts everything the API needs: the embedded Neo4j (unless NEO4J_URI names one), the driver, the
 * corpus (loaded when the graph holds another version), and the HTTP server. On any failure, what was
 * already started is stopped again before the error is rethrown.
 */
export async function startApp(config: Config, logger: Logger): Promise<RunningApp> {
  let local: LocalNeo4j | undefined;
  let driver: Driver | undefined;
  try {
    let uri: string;
    let auth: { user: string; password: string } | undefined;
    if (config.neo4j.mode === 'embedded') {
      local = await startLocalNeo4j({
        projectRoot: PROJECT_ROOT,
        instanceName: 'default',
        boltPort: config.neo4j.boltPort,
        heapSize: config.neo4j.heapSize,
        pageCacheSize: config.neo4j.pageCacheSize,
        log: (message) => logger.info(message, { component: 'local-neo4j' }),
      });
      uri = local.uri;
    } else {
      uri = config.neo4j.uri;
      auth = { user: config.neo4j.user, password: config.neo4j.password };
      logger.info('using the Neo4j named by NEO4J_URI; no local Neo4j is started', { uri });
    }
    driver = createDriver(uri, auth, config, logger);
    await driver.getServerInfo({ database: config.database }).catch((error: Error) => {
      throw new Error(`Cannot reach Neo4j at ${uri}: ${error.message}`);
    });

    if (config.seedOnStart) {
      const result = await loadIfChanged(driver, SEED_DATA_DIR, {
        database: config.database,
        log: (line) => logger.info(line, { component: 'seed' }),
      });
      logger.info(result.loaded ? 'corpus loaded' : 'corpus already up to date', { component: 'seed', version: result.version });
    }

    const executor = new Executor(driver, { database: config.database, queryTimeoutMs: config.queryTimeoutMs, logger });
    const server = await createServer(config, { executor, logger });
    const openDriver = driver;
    const openLocal = local;
    return {
      server,
      driver: openDriver,
      local: openLocal,
      stop: async () => {
        await server.stop();
        await openDriver.close();
        await openLocal?.stop();
      },
    };
  } catch (error) {
    await driver?.close().catch(() => undefined);
    await local?.stop().catch(() => undefined);
    throw error;
  }
}
