/**
 * A faster way through the models' zod schemas for rows that are right, with zod itself for rows that are not.
 *
 * Every row the graph returns is decoded by a zod schema (models.ts `decodeWith`). zod's parse is general:
 * each value goes through a payload object, an issues array and a context, and every object is copied
 * twice over. For the API's rows, which are almost always right, that was a tenth of the CPU of a request
 * and a good part of its garbage. `compileDecoder` walks a schema once and builds plain closures for the
 * kinds of schema the models use (objects, arrays, strings, numbers, safe integers, booleans, enums,
 * literals, unknown, optional, nullable, transforms and pipes, records of string keys). Each closure either
 * returns exactly what zod's parse returns for that value (the same values, the same keys present or absent)
 * or says FAIL. On FAIL, `decodeWith` asks zod itself, so a row the model does not allow gets zod's own
 * error, word for word; and zod is always right: where zod accepts a row the closures refused, zod's answer
 * is used.
 *
 * A kind it does not know (a string with checks, a tuple, a union, `catch`, a default, a strict object…) is
 * not compiled: that part of the schema is parsed by zod (`safeParse`), inside the compiled rest.
 * test/unit/fast-decode.test.ts holds the closures to zod's answers, value by value.
 */
import type { z } from 'zod';
import { util } from 'zod/v4/core';

/** What a compiled decoder returns for a value its schema does not allow (zod then says why). */
export const FAIL: unique symbol = Symbol('FAIL');
export type Decoder = (value: unknown) => unknown;

/** The parts of zod's internals a decoder reads (zod v4: every schema has `_zod.def`, `optin`, `optout`). */
interface Internals {
  def: {
    type: string;
    checks?: Array<{ _zod: { def: { check: string; format?: string } } }>;
    shape?: Record<string, z.ZodType>;
    catchall?: z.ZodType;
    element?: z.ZodType;
    innerType?: z.ZodType;
    in?: z.ZodType;
    out?: z.ZodType;
    entries?: Record<string, unknown>;
    values?: unknown[];
    keyType?: z.ZodType;
    valueType?: z.ZodType;
    mode?: string;
    coerce?: boolean;
    transform?: (value: unknown, payload: unknown) => unknown;
  };
  optin?: string;
  optout?: string;
  values?: Set<unknown>;
}

const internals = (schema: z.ZodType): Internals => (schema as unknown as { _zod: Internals })._zod;

/** Where a schema keeps its decoder: a property of the schema object (cheaper than a WeakMap's entry). */
const DECODER = Symbol('decoder');
type Marked = z.ZodType & { [DECODER]?: Decoder | 'seen' };

/** The decoder of a schema (built once per schema object, then reused). */
export function compileDecoder(schema: z.ZodType): Decoder {
  const marked = schema as Marked;
  let decoder = marked[DECODER];
  if (typeof decoder !== 'function') {
    decoder = build(schema);
    marked[DECODER] = decoder;
  }
  return decoder;
}

/**
 * The decoder of a schema used a second time, else null: a schema built for one call (`decodeWith(z.object(…),
 * …)` inside a function) would cost more to compile than zod's parse of the one value.
 */
export function reusedDecoder(schema: z.ZodType): Decoder | null {
  const marked = schema as Marked;
  const decoder = marked[DECODER];
  if (typeof decoder === 'function') return decoder;
  if (decoder === undefined) {
    marked[DECODER] = 'seen';
    return null;
  }
  return compileDecoder(schema);
}

/** zod itself, for a part of a schema this module does not compile. */
function viaZod(schema: z.ZodType): Decoder {
  return (value) => {
    const result = schema.safeParse(value);
    return result.success ? result.data : FAIL;
  };
}

function build(schema: z.ZodType): Decoder {
  const zod = internals(schema);
  const def = zod.def;
  const checks = def.checks ?? [];
  // Checks (min, max, regex, refine…) are zod's to run; the one exception is `.int()` on a number.
  const onlySafeInt =
    checks.length > 0 && checks.every((c) => c._zod.def.check === 'number_format' && c._zod.def.format === 'safeint');
  if (def.coerce || (checks.length > 0 && !(def.type === 'number' && onlySafeInt))) return viaZod(schema);
  switch (def.type) {
    case 'string':
      return (value) => (typeof value === 'string' ? value : FAIL);
    case 'number':
      return onlySafeInt
        ? (value) => (typeof value === 'number' && Number.isSafeInteger(value) ? value : FAIL)
        : (value) => (typeof value === 'number' && Number.isFinite(value) ? value : FAIL);
    case 'boolean':
      return (value) => (typeof value === 'boolean' ? value : FAIL);
    case 'unknown':
    case 'any':
      return (value) => value;
    case 'enum':
    case 'literal': {
      const allowed = zod.values;
      if (!allowed) return viaZod(schema);
      return (value) => (allowed.has(value) ? value : FAIL);
    }
    case 'optional': {
      const inner = def.innerType!;
      if (internals(inner).optin === 'defaulted') return viaZod(schema);
      const decode = compileDecoder(inner);
      return (value) => (value === undefined ? undefined : decode(value));
    }
    case 'nullable': {
      const decode = compileDecoder(def.innerType!);
      return (value) => (value === null ? null : decode(value));
    }
    case 'transform': {
      const transform = def.transform!;
      return (value) => applyTransform(transform, value);
    }
    case 'pipe': {
      const first = compileDecoder(def.in!);
      const then = compileDecoder(def.out!);
      return (value) => {
        const left = first(value);
        return left === FAIL ? FAIL : then(left);
      };
    }
    case 'array': {
      const decode = compileDecoder(def.element!);
      return (value) => {
        if (!Array.isArray(value)) return FAIL;
        const out = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i += 1) {
          const item = decode(value[i]);
          if (item === FAIL) return FAIL;
          out[i] = item;
        }
        return out;
      };
    }
    case 'object':
      return def.catchall === undefined ? objectDecoder(def.shape ?? {}) : viaZod(schema);
    case 'record': {
      const keyType = internals(def.keyType!);
      const valueType = internals(def.valueType!).def.type;
      const plainStringKeys =
        keyType.def.type === 'string' && (keyType.def.checks ?? []).length === 0 && !keyType.def.coerce;
      if (!plainStringKeys || def.mode === 'loose' || (valueType !== 'unknown' && valueType !== 'any'))
        return viaZod(schema);
      return recordOfUnknown;
    }
    default:
      return viaZod(schema);
  }
}

/**
 * The payload a transform receives as its second argument, as zod's own has it (`value`, `issues`, `addIssue`).
 * One object for every call: a closure made per call (and named by tsx's esbuild, `keepNames`) cost more than
 * the transform. A transform that decodes a row of its own inside (none does) only adds issues after the
 * ones already there, so `applyTransform` counts from where it started.
 */
const transformIssues: unknown[] = [];
const transformPayload = {
  value: undefined as unknown,
  issues: transformIssues,
  addIssue(issue: unknown) {
    transformIssues.push(issue);
  },
};

/** A transform as zod runs it: a transform that adds an issue, or returns a promise, is left to zod. */
function applyTransform(transform: NonNullable<Internals['def']['transform']>, value: unknown): unknown {
  const before = transformIssues.length;
  transformPayload.value = value;
  try {
    const out = transform(value, transformPayload);
    return transformIssues.length > before || out instanceof Promise ? FAIL : out;
  } finally {
    transformIssues.length = before;
    transformPayload.value = undefined;
  }
}

/**
 * An object that strips keys its shape does not name (zod's default), property by property as zod's
 * object parse decides (its handlePropertyResult): an absent key the schema may leave out stays absent; a
 * key present with `undefined` stays present. Generated as one function per shape (as zod's own fast path
 * is), so that every property is read by its name rather than through a variable key.
 */
function objectDecoder(shape: Record<string, z.ZodType>): Decoder {
  const keys = Object.keys(shape).filter((key) => key !== '__proto__');
  const decoders = keys.map((key) => compileDecoder(shape[key]!));
  const lines = keys.map((key, i) => {
    const { optin, optout } = internals(shape[key]!);
    const optionalOut = optout === 'optional';
    const name = JSON.stringify(key);
    const present = `(${name} in input)`;
    // What zod does with the property, decided once from optin and optout (the schema's, fixed).
    const skipAbsent = optionalOut && optin === 'optional';
    const failureIfAbsentIsFine = optin !== undefined && optionalOut;
    const mustBePresent = optin === undefined;
    const keepUndefinedIfAbsent = optin === 'defaulted' && !optionalOut;
    return [
      `{`,
      `  const present = ${present};`,
      skipAbsent ? `  if (present) {` : `  {`,
      `    const r = d[${i}](input[${name}]);`,
      failureIfAbsentIsFine ? `    if (r === FAIL) { if (present) return FAIL; }` : `    if (r === FAIL) return FAIL;`,
      mustBePresent ? `    else if (!present) return FAIL;` : '',
      `    else if (r === undefined) { if (present${keepUndefinedIfAbsent ? ' || true' : ''}) out[${name}] = undefined; }`,
      `    else out[${name}] = r;`,
      `  }`,
      `}`,
    ].join('\n');
  });
  const body = [
    `return function decodeObject(input) {`,
    `if (typeof input !== 'object' || input === null || Array.isArray(input)) return FAIL;`,
    `const out = {};`,
    ...lines,
    `return out;`,
    `};`,
  ].join('\n');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from the shape's own keys, quoted by JSON.stringify
  const make = new Function('d', 'FAIL', body) as (d: Decoder[], fail: typeof FAIL) => Decoder;
  return make(decoders, FAIL);
}

/** `z.record(z.string(), z.unknown())`: a plain object, copied with its enumerable string keys. */
function recordOfUnknown(value: unknown): unknown {
  if (!util.isPlainObject(value)) return FAIL;
  const input = value as Record<string, unknown>;
  // A symbol key is not a string: zod refuses an enumerable one (and skips others, as it skips hidden keys).
  for (const symbol of Object.getOwnPropertySymbols(input))
    if (Object.prototype.propertyIsEnumerable.call(input, symbol)) return FAIL;
  const keys = Object.keys(input);
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i]!;
    if (key !== '__proto__') out[key] = input[key];
  }
  return out;
}
