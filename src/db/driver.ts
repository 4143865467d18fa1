import neo4j, { type Driver } from 'neo4j-driver';
import type { Config } from '../config';
import type { Logger } from '../logger';

/**
 * One driver per process. Integers come back as JavaScript numbers (the graph's counts and years are
 * far below 2^53), and transient failures are retried only briefly so that a request made while Neo4j
 * is down fails fast with SERVICE_UNAVAILABLE instead of hanging for the driver's default 30 s.
 */
export function createDriver(
  uri: string,
  auth: { user: string; password: string } | undefined,
  config: Pick<Config, 'retryTimeMs'>,
  logger: Logger,
): Driver {
  const driver = neo4j.driver(uri, auth ? neo4j.auth.basic(auth.user, auth.password) : undefined, {
    disableLosslessIntegers: true,
    maxTransactionRetryTime: config.retryTimeMs,
    connectionTimeout: 5_000,
    connectionAcquisitionTimeout: 10_000,
    userAgent: 'child-rights-graph',
    // The API reads no notification (a cartesian product, a property key unknown to this graph): without
    // this filter Neo4j sends them with the summary of every statement that has one, title, description and
    // status object each, and the driver decodes them all, on list statements of every browse question.
    notificationFilter: { minimumSeverityLevel: 'OFF' },
    // The driver's info events (driver created, routing table updated) go to our debug level; its own
    // debug level, one line per Bolt message, stays off: the executor logs each statement instead.
    logging: {
      level: 'info',
      logger: (level, message) => {
        const fields = { component: 'neo4j-driver' };
        if (level === 'error') logger.error(message, fields);
        else if (level === 'warn') logger.warn(message, fields);
        else logger.debug(message, fields);
      },
    },
  });
  retryTimes.set(driver, config.retryTimeMs);
  return driver;
}

/** The maxTransactionRetryTime each driver was made with (the driver keeps its configuration private). */
const retryTimes = new WeakMap<Driver, number>();

/** The driver's neo4j-driver default, for a driver made elsewhere. */
const DRIVER_DEFAULT_RETRY_TIME_MS = 30_000;

/**
 * How long a failed statement is retried: the maxTransactionRetryTime the driver was made with, which the
 * driver applies to managed transactions and the executor to its auto-commit reads alike.
 */
export function retryTimeOf(driver: Driver): number {
  return retryTimes.get(driver) ?? DRIVER_DEFAULT_RETRY_TIME_MS;
}
