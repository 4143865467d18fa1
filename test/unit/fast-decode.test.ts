import { z } from 'zod';
import { compileDecoder, FAIL } from '../../src/modules/common/fast-decode';
import {
  claimSchema,
  citationSchema,
  decodeWith,
  lazy,
  linkPropsSchema,
  list,
  optional,
  textVersionSchema,
} from '../../src/modules/common/models';
import { GraphDataError } from '../../src/errors';
import { bodyModel, mechanismModel } from '../../src/modules/implementation/models';
import { treatyArticleModel, treatyModel } from '../../src/modules/treaties/models';
import { documentModel, recommendationModel, themeModel } from '../../src/modules/un-documents/models';
import { stateModel, treatyActionModel } from '../../src/modules/states/models';
import { sourceModel } from '../../src/modules/sources/models';
import { legalInstrumentModel, provisionModel } from '../../src/modules/national-law/models';
import { findingModel, statisticModel } from '../../src/modules/evidence/models';

/** A small deterministic generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Internals = { def: Record<string, unknown> & { type: string }; values?: Set<unknown> };
const internals = (schema: z.ZodType): Internals => (schema as unknown as { _zod: Internals })._zod;

/** Every enum and literal value anywhere in a schema (so that generated values can hit them). */
function harvest(schema: z.ZodType, into = new Set<unknown>()): Set<unknown> {
  const zod = internals(schema);
  if ((zod.def.type === 'enum' || zod.def.type === 'literal') && zod.values) for (const v of zod.values) into.add(v);
  for (const key of ['innerType', 'in', 'out', 'element', 'keyType', 'valueType'])
    if (zod.def[key]) harvest(zod.def[key] as z.ZodType, into);
  if (zod.def.type === 'object')
    for (const child of Object.values(zod.def.shape as Record<string, z.ZodType>)) harvest(child, into);
  return into;
}

const ABSENT = Symbol('absent');
const SCALARS: unknown[] = [
  ABSENT,
  undefined,
  null,
  '',
  'text',
  0,
  3,
  -7,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 60,
  true,
  false,
  [],
  ['a'],
  ['a', 'b'],
  [1],
  [null],
  {},
  { id: 'x' },
  { sourceId: 's', locator: 'l', quote: null },
];

/** Values for each property of an object schema: mostly ones its own schema accepts, some it refuses. */
function objects(schema: z.ZodType, seed: number, count: number): unknown[] {
  const rand = random(seed);
  const shape = internals(schema).def.shape as Record<string, z.ZodType>;
  const pools = Object.entries(shape).map(([key, child]) => {
    const candidates = [...SCALARS, ...harvest(child)];
    const nested = internals(child).def.type === 'object' ? objects(child, seed + 1, 20) : [];
    const all = [...candidates, ...nested];
    const accepted = all.filter((v) => v === ABSENT || child.safeParse(v).success);
    return { key, all, accepted };
  });
  const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)] as T;
  const out: unknown[] = [];
  for (let i = 0; i < count; i += 1) {
    const value: Record<string, unknown> = {};
    const wrong = rand() < 0.3;
    for (const { key, all, accepted } of pools) {
      const chosen = wrong && rand() < 0.2 ? pick(all) : pick(accepted.length > 0 ? accepted : all);
      if (chosen !== ABSENT) value[key] = chosen;
    }
    if (rand() < 0.3) value.extra = 'not in the model';
    out.push(value);
  }
  out.push(null, undefined, 'text', [], [{}], new Date(0), Object.create(null));
  return out;
}

/** The decoder's answer must be zod's: the same data (same keys present), or FAIL where zod refuses. */
function expectLikeZod(schema: z.ZodType, value: unknown): void {
  const expected = schema.safeParse(value);
  const actual = compileDecoder(schema)(value);
  if (expected.success) expect({ value, decoded: actual }).toStrictEqual({ value, decoded: expected.data });
  else expect({ value, decoded: actual }).toStrictEqual({ value, decoded: FAIL });
}

const MODELS = [
  bodyModel,
  mechanismModel,
  treatyModel,
  treatyArticleModel,
  documentModel,
  recommendationModel,
  themeModel,
  stateModel,
  treatyActionModel,
  sourceModel,
  legalInstrumentModel,
  provisionModel,
  statisticModel,
  findingModel,
];

describe('compiled decoders agree with zod', () => {
  it.each(MODELS.map((model) => [model.label, model] as const))('%s: whole and partial models', (_label, model) => {
    let accepted = 0;
    for (const schema of [model.schema, model.partial] as z.ZodType[]) {
      for (const value of objects(schema, 42, 400)) {
        expectLikeZod(schema, value);
        if (schema.safeParse(value).success) accepted += 1;
      }
    }
    // The generated rows must exercise the accepting path, not only refusals.
    expect(accepted).toBeGreaterThan(100);
  });

  it.each([
    ['relationship properties', linkPropsSchema],
    ['citation', citationSchema],
    ['text version', textVersionSchema],
    ['claim', claimSchema],
  ] as const)('%s', (_name, schema) => {
    for (const value of objects(schema, 7, 400)) expectLikeZod(schema, value);
  });

  it('the row shapes of the reader: arrays of objects, records of unknown, safe integers', () => {
    const rawNode = z.object({ labels: z.array(z.string()), props: z.record(z.string(), z.unknown()) });
    const rows = z.array(z.object({ id: z.string(), total: z.number().int(), with: z.array(z.unknown()).optional() }));
    const withProto = JSON.parse('{"__proto__": {"x": 1}, "id": "a"}') as unknown;
    const symbolKeyed = { id: 'a', [Symbol('s')]: 1 };
    const hidden = Object.defineProperty({ id: 'a' }, 'secret', { value: 1, enumerable: false });
    const values: unknown[] = [
      { labels: ['Recommendation', 'Entity'], props: { id: 'r1', text: 'x', n: 3, list: ['a'] } },
      { labels: [], props: {} },
      { labels: ['A'], props: withProto },
      { labels: ['A'], props: symbolKeyed },
      { labels: ['A'], props: hidden },
      { labels: ['A'], props: new Date(0) },
      { labels: ['A'], props: Object.create(null) as unknown },
      { labels: ['A'], props: [] },
      { labels: ['A', 1], props: {} },
      { labels: 'A', props: {} },
      { props: {} },
      { labels: ['A'] },
      { labels: ['A'], props: { id: undefined } },
    ];
    for (const value of values) expectLikeZod(rawNode, value);
    const rowValues: unknown[] = [
      [],
      [{ id: 'a', total: 3 }],
      [{ id: 'a', total: 3, with: [1, null] }],
      [{ id: 'a', total: 3, with: undefined }],
      [{ id: 'a', total: 3.5 }],
      [{ id: 'a', total: 2 ** 60 }],
      [{ id: 'a', total: Number.NaN }],
      [{ id: 'a', total: '3' }],
      [{ id: 'a', total: 3 }, null],
      [{ total: 3 }],
      { id: 'a', total: 3 },
    ];
    for (const value of rowValues) expectLikeZod(rows, value);
    const item = z.object({ node: z.unknown(), rel: z.unknown(), with: z.array(z.unknown()).optional() });
    for (const value of [{}, { node: 1 }, { node: undefined, rel: 1 }, { node: null, rel: {}, with: [] }, { rel: 1 }])
      expectLikeZod(item, value);
  });

  it('parts it does not compile are parsed by zod inside the compiled rest', () => {
    const schema = z.object({
      short: z.string().min(2),
      pattern: z.string().regex(/^x/).optional(),
      pair: z.tuple([z.string(), z.number()]).nullable(),
      either: z.union([z.string(), z.number()]),
      caught: z.string().catch('fallback'),
      defaulted: z.string().default('d'),
      strict: z.strictObject({ a: z.string() }).optional(),
      loose: z.object({ a: z.string() }).passthrough().optional(),
      refined: z.number().refine((n) => n > 0),
      checked: z.string().transform((value, ctx) => {
        if (value === 'bad') ctx.addIssue({ code: 'custom', message: 'bad' });
        return value.toUpperCase();
      }),
      lazyText: lazy(optional(z.string())),
      listed: list(z.string()),
    });
    const base = { short: 'ab', pair: ['a', 1], either: 1, caught: 'c', refined: 1, checked: 'ok', listed: null };
    const variants: Array<Record<string, unknown>> = [
      base,
      { ...base, short: 'a' },
      { ...base, pattern: 'xa' },
      { ...base, pattern: 'ya' },
      { ...base, pair: null },
      { ...base, pair: ['a', 'b'] },
      { ...base, either: true },
      { ...base, caught: 3 },
      { ...base, defaulted: undefined },
      { ...base, defaulted: 'e' },
      { ...base, strict: { a: 'x' } },
      { ...base, strict: { a: 'x', b: 1 } },
      { ...base, loose: { a: 'x', b: 1 } },
      { ...base, refined: -1 },
      { ...base, checked: 'bad' },
      { ...base, lazyText: null },
      { ...base, lazyText: undefined },
      { ...base, lazyText: 'text' },
      { ...base, listed: ['a'] },
      { ...base, listed: [1] },
    ];
    for (const value of variants) expectLikeZod(schema, value);
  });
});

describe('decodeWith', () => {
  const schema = z.object({ id: z.string(), year: optional(z.number().int()) });

  it('decodes a row the model allows as zod does, by zod the first time and compiled from then on', () => {
    for (let i = 0; i < 3; i += 1)
      expect(decodeWith(schema, { id: 'a', extra: 1 }, 'row')).toStrictEqual({ id: 'a', year: null });
  });

  it("refuses a row the model does not allow with zod's own issues", () => {
    decodeWith(schema, { id: 'a' }, 'row');
    expect(() => decodeWith(schema, { id: 'a', year: 1.5 }, 'row')).toThrow(GraphDataError);
    expect(() => decodeWith(schema, { id: 'a', year: 1.5 }, 'row')).toThrow(
      `row does not match the API's model: year: ${schema.safeParse({ id: 'a', year: 1.5 }).error?.issues[0]?.message}`,
    );
  });
});
