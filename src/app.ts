import { resolve } from 'node:path';
import type { Driver } from 'neo4j-driver';
import type { Config } from './config';
import { createDriver } from './db/driver';
import { Executor } from './db/executor';
import { startLocalNeo4j, type LocalNeo4j } from '../tools/local-neo4j/local-neo4j';
import type { Logger } from './logger';
import { createServer, type AppServer } from './server';
import { loadIfChanged } from '../seed/loader';
import { ensureSchemaStatements, upgradeTextSearch } from '../seed/schema-statements';
import { IDENTITY_CONSTRAINTS } from './modules/identity/users';
import { FOLLOWUP_CONSTRAINTS } from './modules/followup/repository';
import { warmUp } from './db/warm-up';
import { namedStatements } from './modules/statements';

/** The project's root folder (where pom.xml and seed/ are), found from this module, not the working directory. */
export const PROJECT_ROOT = resolve(__dirname, '..');
export const SEED_DATA_DIR = resolve(PROJECT_ROOT, 'seed', 'data');

export interface RunningApp {
  server: AppServer;
  driver: Driver;
  /** The local Neo4j the API started (the embedded default), as it is now; undefined with NEO4J_URI. */
  readonly local: LocalNeo4j | undefined;
  /** Drain requests, close the driver, stop the local Neo4j (if the API started one). */
  stop(): Promise<void>;
}

const RESTART_ATTEMPTS = 5;
const REWARM_ATTEMPTS = 5;

/**
 * Starts everything the API needs: the embedded Neo4j (unless NEO4J_URI names one), the driver, the
 * corpus (loaded when the graph holds another version), and the HTTP server. On any failure, what was
 * already started is stopped again before the error is rethrown.
 *
 * The embedded Neo4j is watched: if it exits without being asked to, the API starts it again on the same
 * data folder while answering SERVICE_UNAVAILABLE meanwhile; the driver reconnects by itself. With
 * NEO4J_URI the API never starts or restarts a Neo4j.
 *
 * The server listens as soon as the corpus is in, but /health says `starting` (503) until the database is
 * warm (every index online, every named statement planned: src/db/warm-up.ts), and `recovering` (503) from
 * the moment the embedded Neo4j dies until it is back and warm again; startApp resolves once it is warm.
 */
export async function startApp(config: Config, logger: Logger): Promise<RunningApp> {
  let local: LocalNeo4j | undefined;
  let driver: Driver | undefined;
  let executor: Executor | undefined;
  let server: AppServer | undefined;
  let stopping = false;
  /** After a restart of the embedded Neo4j: its plan cache is empty, so wait for its indexes and plan again. */
  const rewarm = async () => {
    for (let attempt = 1; attempt <= REWARM_ATTEMPTS && !stopping && executor; attempt += 1) {
      try {
        executor.forgetPlans();
        await warmUp(executor, config.database, namedStatements(), logger);
        executor.readiness = 'ok';
        logger.info('the embedded Neo4j is back and warm: serving normally', { component: 'warm-up', attempt });
        return;
      } catch (error) {
        logger.error('could not warm the restarted Neo4j', { component: 'warm-up', attempt, error });
        await new Promise((resolveWait) => setTimeout(resolveWait, attempt * 2_000));
      }
    }
    // Serve what it can: /health then says what ping sees, and statements are planned on first use.
    if (executor && !stopping) executor.readiness = 'ok';
  };
  try {
    let uri: string;
    let auth: { user: string; password: string } | undefined;
    if (config.neo4j.mode === 'embedded') {
      const options = {
        projectRoot: PROJECT_ROOT,
        instanceName: config.neo4j.instanceName,
        boltPort: config.neo4j.boltPort,
        heapSize: config.neo4j.heapSize,
        pageCacheSize: config.neo4j.pageCacheSize,
        log: (message: string) => logger.info(message, { component: 'local-neo4j' }),
      };
      const watch = (instance: LocalNeo4j) => {
        void instance.exited.then(async (exit) => {
          if (stopping || instance !== local) return;
          logger.error('the embedded Neo4j exited unexpectedly; starting it again', { component: 'local-neo4j', exit });
          if (executor) {
            executor.readiness = 'recovering';
            executor.forgetPlans();
          }
          for (let attempt = 1; attempt <= RESTART_ATTEMPTS && !stopping; attempt += 1) {
            try {
              local = await startLocalNeo4j(options);
              if (stopping) {
                await local.stop();
                return;
              }
              watch(local);
              logger.info('the embedded Neo4j is back; warming it before serving normally', {
                component: 'local-neo4j',
                attempt,
              });
              await rewarm();
              return;
            } catch (error) {
              logger.error('could not restart the embedded Neo4j', { component: 'local-neo4j', attempt, error });
              await new Promise((resolveWait) => setTimeout(resolveWait, attempt * 2_000));
            }
          }
          logger.error(`gave up restarting the embedded Neo4j after ${RESTART_ATTEMPTS} attempts; restart the API`, {
            component: 'local-neo4j',
          });
          // No longer recovering: /health reports what ping sees (unavailable).
          if (executor && !stopping) executor.readiness = 'ok';
        });
      };
      local = await startLocalNeo4j(options);
      watch(local);
      uri = local.uri;
    } else {
      uri = config.neo4j.uri;
      auth = { user: config.neo4j.user, password: config.neo4j.password };
      logger.info('using the Neo4j named by NEO4J_URI; no local Neo4j is started', { uri });
    }
    driver = createDriver(uri, auth, config, logger);
    executor = new Executor(driver, { database: config.database, queryTimeoutMs: config.queryTimeoutMs, logger });
    executor.readiness = 'starting';
    await driver.getServerInfo({ database: config.database }).catch((error: Error) => {
      throw new Error(`Cannot reach Neo4j at ${uri}: ${error.message}`);
    });

    if (config.seedOnStart) {
      const result = await loadIfChanged(driver, SEED_DATA_DIR, {
        database: config.database,
        log: (line) => logger.info(line, { component: 'seed' }),
      });
      logger.info(result.loaded ? 'corpus loaded' : 'corpus already up to date', {
        component: 'seed',
        version: result.version,
      });
    }

    // A graph loaded before users existed lacks their constraints, and the loader adds them only when it
    // loads. Without them authentication still works (look-ups scan the few users); so a Neo4j user that may
    // not change the schema gets a warning, not a refusal to start.
    await ensureSchemaStatements(driver, IDENTITY_CONSTRAINTS, config.database).then(
      (created) => {
        if (created.length > 0) logger.info("created the users' constraints", { component: 'identity', created });
      },
      (error: unknown) =>
        logger.warn("could not create the users' constraints; `npm run seed` or `npm run users -- add` creates them", {
          component: 'identity',
          error,
        }),
    );

    // The same for the follow-up records' constraints (the idempotency keys' uniqueness among them).
    await ensureSchemaStatements(driver, FOLLOWUP_CONSTRAINTS, config.database).then(
      (created) => {
        if (created.length > 0)
          logger.info("created the follow-up records' constraints", { component: 'followup', created });
      },
      (error: unknown) =>
        logger.warn(
          "could not create the follow-up records' constraints; run `npm run seed` with a Neo4j user that may",
          {
            component: 'followup',
            error,
          },
        ),
    );

    // Text search reads an index per kind of text over labelled texts (since 2 December 2026); a graph the
    // loader has not loaded since (a Neo4j of one's own, SEED_ON_START false) is brought up to date here.
    await upgradeTextSearch(driver, config.database).then(
      (upgrade) => {
        if (upgrade.labelled > 0 || upgrade.dropped.length > 0 || upgrade.created.length > 0)
          logger.info('brought text search up to date', { component: 'search', ...upgrade });
      },
      (error: unknown) =>
        logger.warn(
          'could not bring text search up to date (texts labelled by kind, an index per kind); search may fail until `npm run seed` runs with a Neo4j user that may change the schema',
          { component: 'search', error },
        ),
    );

    server = await createServer(config, { executor, logger });
    logger.info(`listening at ${server.url}; /health says "starting" until the database is warm`);
    await warmUp(executor, config.database, namedStatements(), logger);
    // A restart of the embedded Neo4j during the warm-up has set `recovering`; its own warm-up ends it.
    if (executor.readiness === 'starting') executor.readiness = 'ok';
    const openDriver = driver;
    const openServer = server;
    return {
      server: openServer,
      driver: openDriver,
      get local() {
        return local;
      },
      stop: async () => {
        stopping = true;
        await openServer.stop();
        logger.info('requests drained; HTTP server closed');
        await openDriver.close();
        logger.info('driver closed');
        if (local) {
          await local.stop();
          logger.info('local Neo4j stopped', { component: 'local-neo4j' });
        }
      },
    };
  } catch (error) {
    stopping = true;
    await server?.stop().catch(() => undefined);
    await driver?.close().catch(() => undefined);
    await local?.stop().catch(() => undefined);
    throw error;
  }
}
