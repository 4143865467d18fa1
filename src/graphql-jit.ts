/**
 * Operations executed by compiled code (graphql-jit) rather than by graphql-js's interpreter, once they are
 * seen again. graphql-js walks the operation for every field of every item of every request, checking types
 * and wrapping values in promises as it goes: under a list of 50 recommendations that was about a fifth of
 * the server's CPU time. graphql-jit compiles an operation once into a function that does the same work for
 * that operation alone.
 *
 * Apollo Server 5 takes another executor only from a gateway, so this is one: it hands Apollo the schema
 * once, and executes each request. Everything else of Apollo's pipeline stays as it is: parsing, validation
 * (with the API's limits), the plugins, the error formatting and masking.
 *
 * - An operation is compiled at its second execution (the first runs on graphql-js), so a stream of
 *   one-off operations costs no compilation; compiled operations are kept by the document's hash and the
 *   operation's name, the least recently used dropped beyond `JIT_CACHE_SIZE`.
 * - The variables are coerced by graphql-js first (`getVariableValues`), so that a bad variable gets
 *   exactly the error graphql-js gives it, which Apollo turns into BAD_USER_INPUT and HTTP 400, and the
 *   compiled operation is given graphql-js's values.
 * - An operation graphql-jit cannot compile runs on graphql-js, every time.
 *
 * `GRAPHQL_EXECUTION` (src/config.ts) chooses: `jit` (this, the default), `jit-first` (compiled at the first
 * execution: the tests run the compiled code), `graphql-js` (never compiled).
 */
import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import {
  type DocumentNode,
  execute,
  type ExecutionResult,
  GraphQLError,
  type GraphQLSchema,
  printSchema,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/** How many compiled operations are kept (a compiled operation is a few kilobytes of generated code). */
export const JIT_CACHE_SIZE = 500;

type Compiled = CompiledQuery<Record<string, unknown>, Record<string, unknown>>;

/** An operation compiled, or found not compilable. */
type Ready = { compiled: Compiled } | { uncompilable: true };
/** An operation's state: seen once, or ready. */
type Entry = { seen: 1 } | Ready;

/** The executor, and how many operations it has compiled (the tests read it). */
export interface JitExecution {
  executor: GatewayExecutor;
  /** How many operations are compiled now. */
  compiledCount(): number;
}

export function jitExecution(
  schema: GraphQLSchema,
  options: { compileAtFirst?: boolean; cacheSize?: number } = {},
): JitExecution {
  const cacheSize = options.cacheSize ?? JIT_CACHE_SIZE;
  // A Map keeps insertion order: an entry used again is moved to the end, the first is the least recent.
  const entries = new Map<string, Entry>();
  const remember = (key: string, entry: Entry) => {
    entries.delete(key);
    entries.set(key, entry);
    if (entries.size > cacheSize) entries.delete(entries.keys().next().value as string);
  };

  const executor: GatewayExecutor = async (request) => {
    const { document, operation, operationName, context } = request;
    const variables = request.request.variables ?? {};
    const key = `${request.queryHash}|${operationName ?? ''}`;
    const known = entries.get(key);
    let entry: Ready;
    if (known === undefined || 'seen' in known) {
      if (known === undefined && !options.compileAtFirst) {
        remember(key, { seen: 1 });
        return execute({ schema, document, operationName, variableValues: variables, contextValue: context });
      }
      entry = compile(schema, document, operationName);
    } else entry = known;
    remember(key, entry);
    if ('uncompilable' in entry)
      return execute({ schema, document, operationName, variableValues: variables, contextValue: context });
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
    if (coerced.errors) return { errors: coerced.errors };
    // The values graphql-js coerced, defaults applied: graphql-jit 0.8.9 refuses a non-null variable that
    // is left out although its definition has a default (`$first: Int! = 100`). Coercing them again gives
    // the same values (the API's one custom scalar, Date, parses a string to itself).
    return asGraphQLJs(await entry.compiled.query(undefined, context, coerced.coerced));
  };

  return {
    executor,
    compiledCount: () => [...entries.values()].filter((entry) => 'compiled' in entry).length,
  };
}

function compile(schema: GraphQLSchema, document: DocumentNode, operationName: string | null): Ready {
  try {
    const compiled = compileQuery(schema, document, operationName ?? undefined, {
      // A resolver's error keeps the stack of where it was thrown (logged with the request id); the compiled
      // code need not capture another for each error it wraps.
      disablingCapturingStackErrors: true,
    });
    return isCompiledQuery(compiled) ? { compiled } : { uncompilable: true };
  } catch {
    // graphql-jit refuses what it does not support by throwing, at times: graphql-js runs it.
    return { uncompilable: true };
  }
}

/**
 * The errors of a compiled execution as graphql-js makes them. graphql-jit's own error class leaves
 * `extensions` undefined where the original error has none (graphql-js gives `{}`, which Apollo's plugins
 * and the API's request log add to), and makes every property read-only.
 */
function asGraphQLJs(result: ExecutionResult): ExecutionResult {
  if (!result.errors) return result;
  const errors = result.errors.map((error) => {
    if (Object.getPrototypeOf(error) === GraphQLError.prototype) return error;
    const copy = new GraphQLError(error.message, {
      path: error.path,
      originalError: error.originalError ?? undefined,
      extensions: error.extensions ?? {},
    });
    // graphql-jit located the error in the document; graphql-js would have from the nodes it does not give.
    (copy as { locations?: GraphQLError['locations'] }).locations = error.locations;
    return copy;
  });
  return { ...result, errors };
}

/** A gateway in name only: it gives Apollo Server this schema, once, and executes with graphql-jit. */
export function jitGateway(schema: GraphQLSchema, execution: JitExecution = jitExecution(schema)): GatewayInterface {
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => undefined;
    },
    async load() {
      return { executor: execution.executor };
    },
    async stop() {},
  };
}
