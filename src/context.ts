import type { CypherReader } from './db/database';
import type { Logger } from './logger';
import type { Repositories } from './modules/repositories';

/**
 * What every resolver receives: the request's id, its database reader (round trips counted), the
 * request's repositories (one per domain, batching and caching for this request only), and the logger.
 */
export interface Context {
  requestId: string;
  db: CypherReader;
  repositories: Repositories;
  logger: Logger;
}
