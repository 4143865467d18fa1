import type { RequestDb } from './db/executor';
import type { GraphLoaders } from './db/graph-loaders';
import type { ListRepository } from './db/list-repository';
import type { Logger } from './logger';

/**
 * What every resolver receives: the request's id, its database handle (round trips counted), the
 * request's batched loaders and list repository, and the logger.
 */
export interface Context {
  requestId: string;
  db: RequestDb;
  loaders: GraphLoaders;
  lists: ListRepository;
  logger: Logger;
}
