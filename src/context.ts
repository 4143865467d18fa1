import type { CypherReader } from './db/database';
import type { Logger } from './logger';
import type { Viewer } from './modules/identity/viewer';
import type { Repositories } from './modules/repositories';

/**
 * What every resolver receives: the request's id, its database reader (round trips counted), the
 * request's repositories (one per domain, batching and caching for this request only), who is asking
 * (src/modules/identity/viewer.ts), and the logger.
 */
export interface Context {
  requestId: string;
  db: CypherReader;
  repositories: Repositories;
  viewer: Viewer;
  logger: Logger;
}
