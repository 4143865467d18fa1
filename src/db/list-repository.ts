import type { RequestDb } from './executor';
import { toEntity } from './graph-loaders';
import type { EntityLabel, EntityModel } from './models';

/**
 * Root lists and lookups: one label, a filter built from fixed Cypher fragments (values always as
 * parameters), a stable order ending with the id, and a page. The count runs only when a query selects
 * totalCount.
 */
export interface ListSpec {
  label: EntityLabel;
  /** Extra MATCH patterns binding more of the graph to filter on, over `n` (fixed fragments only). */
  match?: string[];
  /** WHERE conditions over `n`, joined with AND (fixed fragments only). */
  where?: string[];
  params?: Record<string, unknown>;
  /** ORDER BY over `n`, ending with n.id. */
  orderBy: string;
}

const LABEL_PATTERN = /^[A-Za-z]+$/;

function body(spec: ListSpec): string {
  if (!LABEL_PATTERN.test(spec.label)) throw new Error(`Bad label ${spec.label}`);
  const matches = (spec.match ?? []).map((pattern) => `MATCH ${pattern}`).join('\n');
  const where = spec.where && spec.where.length > 0 ? `WHERE ${spec.where.join(' AND ')}` : '';
  return `MATCH (n:${spec.label})\n${matches}\n${where}`;
}

export class ListRepository {
  constructor(private readonly db: RequestDb) {}

  async page(spec: ListSpec, offset: number, limit: number): Promise<EntityModel[]> {
    const rows = await this.db.read<{ labels: string[]; props: Record<string, unknown> }>(
      `list:${spec.label}`,
      `// list:${spec.label}
       ${body(spec)}
       WITH DISTINCT n
       ORDER BY ${spec.orderBy}
       SKIP $offset LIMIT $limit
       RETURN labels(n) AS labels, properties(n) AS props`,
      { ...spec.params, offset, limit },
    );
    return rows.map((row) => toEntity(row.labels, row.props));
  }

  async count(spec: ListSpec): Promise<number> {
    const [row] = await this.db.read<{ total: number }>(
      `count:${spec.label}`,
      `// count:${spec.label}
       ${body(spec)}
       RETURN count(DISTINCT n) AS total`,
      spec.params ?? {},
    );
    return row?.total ?? 0;
  }

  /** One entity of a label by a key property (e.g. a treaty by short name, a document by symbol). */
  async findBy(label: EntityLabel, property: 'id' | 'shortName' | 'iso3' | 'symbol', value: string): Promise<EntityModel | null> {
    if (!LABEL_PATTERN.test(label)) throw new Error(`Bad label ${label}`);
    const rows = await this.db.read<{ labels: string[]; props: Record<string, unknown> }>(
      `findBy:${label}:${property}`,
      `// findBy:${label}:${property}
       MATCH (n:${label})
       WHERE n.${property} = $value
       RETURN labels(n) AS labels, properties(n) AS props
       ORDER BY n.id LIMIT 1`,
      { value },
    );
    return rows[0] ? toEntity(rows[0].labels, rows[0].props) : null;
  }
}

/**
 * Builds a ListSpec from optional filters: a fragment is added only when its value is given (not null,
 * undefined or an empty list), with the value as the named parameter.
 */
export class ListQuery {
  private readonly spec: Required<ListSpec>;

  constructor(label: EntityLabel, orderBy: string) {
    this.spec = { label, orderBy, match: [], where: [], params: {} };
  }

  /** A pattern over `n` the entity must match, e.g. `(n)-[:OF_STATE]->(:State {id: $state})`. */
  match(param: string, value: unknown, pattern: string): this {
    if (given(value)) {
      this.spec.match.push(pattern);
      this.spec.params[param] = value;
    }
    return this;
  }

  /** A condition over `n`, e.g. `n.kind IN $kinds`. */
  where(param: string, value: unknown, condition: string): this {
    if (given(value)) {
      this.spec.where.push(condition);
      this.spec.params[param] = value;
    }
    return this;
  }

  build(): ListSpec {
    return this.spec;
  }
}

function given(value: unknown): boolean {
  return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
}
