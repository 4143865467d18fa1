/**
 * The building blocks of every domain's models: how a node's properties are decoded into a typed model
 * (zod, at the repository boundary), the provenance every sourced entity and fact-stating link carries,
 * and citations, texts and claims. Resolvers see only these models, never a driver Record.
 */
import { z } from 'zod';
import type { NodeLabel } from '../../graph/vocabulary';
import { GraphDataError } from '../../errors';
import type { SourceModel } from '../sources/models';
import { FAIL, reusedDecoder } from './fast-decode';

/** A property the graph may leave out: absent or null in the graph is null in the model. */
export function optional<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((value): z.output<T> | null => value ?? null);
}

/**
 * A large property that lists and links read only when a query selects it (see `entityModel`'s `lazy`):
 * undefined when the statement did not read it, else decoded by `schema` (absent in the graph is null).
 */
export function lazy<T extends z.ZodType>(schema: T) {
  return schema.optional();
}

/** A list property the graph may leave out: absent is an empty list. */
export function list<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .nullish()
    .transform((value): Array<z.output<T>> => value ?? []);
}

export const VERIFICATION = ['VERIFIED_PRIMARY', 'SECONDARY_ONLY', 'UNVERIFIED', 'DISPUTED'] as const;
export type Verification = (typeof VERIFICATION)[number];
/** A fact whose verification the graph does not record counts as UNVERIFIED. */
const verification = z
  .enum(VERIFICATION)
  .nullish()
  .transform((value): Verification => value ?? 'UNVERIFIED');

/** Whose statement a link is (the LinkBasis enum of schema/common.graphql). */
export const LINK_BASES = ['STATED', 'EDITORS_JUDGEMENT', 'INFERRED'] as const;
export type LinkBasis = (typeof LINK_BASES)[number];

/** How an INFERRED link was derived (the InferenceMethod enum of schema/common.graphql). */
export const INFERENCE_METHODS = [
  'ARTICLE_CITATION',
  'THEME_CLUSTER',
  'EXPLICIT_REFERENCE',
  'TEXT_SIMILARITY',
] as const;
export type InferenceMethod = (typeof INFERENCE_METHODS)[number];

/** The labels of the entities the API serves: every label the loader writes but texts and claims, which belong to one. */
/** The labels the API decodes as entities: not texts and claims, nor the imported UHRI tags (not exposed yet). */
export type EntityLabel = Exclude<NodeLabel, 'TextVersion' | 'Claim' | 'AffectedGroup' | 'SdgTarget'>;

/** What a sourced entity carries besides its own properties (its citations and claims are read separately). */
export const sourced = { verification, note: optional(z.string()) };

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

/**
 * Parses with a schema; a row the model does not allow is a GraphDataError naming what is wrong. A row the
 * schema allows is decoded by the schema's compiled decoder (fast-decode.ts: the same result as zod's parse,
 * without its overhead) from the schema's second use on; any other row goes through zod, whose issues make
 * the error.
 */
export function decodeWith<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const decode = reusedDecoder(schema);
  const decoded = decode ? decode(value) : FAIL;
  if (decoded !== FAIL) return decoded as z.output<T>;
  const result = schema.safeParse(value);
  if (!result.success)
    throw new GraphDataError(`${what} does not match the API's model: ${describeIssues(result.error)}`);
  return result.data;
}

/**
 * The model of one label: a zod object of its properties (every property the loader writes that the API
 * serves, see docs/model.md), decoded into `{__label, id, …}`. `decodePartial` decodes a projection (a
 * subset of the properties, see db/cypher.ts `nodeMap`), for callers that ask for fewer properties.
 *
 * `lazy` names the large properties (an article's text, declared with `lazy()`) that lists and links read
 * only when a query selects them; a node read without them lacks them (undefined, never a default).
 */
export function entityModel<L extends EntityLabel, S extends z.ZodRawShape>(
  label: L,
  shape: S,
  lazyProperties: ReadonlyArray<keyof S & string> = [],
) {
  const schema = z.object({ id: z.string(), ...shape });
  const partial = schema.partial();
  return {
    label,
    properties: Object.keys(schema.shape),
    lazy: lazyProperties,
    /** The zod schemas themselves (whole and partial), for tests of decoding. */
    schema,
    partial,
    // The decoded object is a new one (zod's and the compiled decoders' alike): its kind is added to it, not
    // to a copy of it.
    decode: (props: unknown) => labelled(decodeWith(schema, props, `${label} node`), label),
    decodePartial: (props: unknown) => labelled(decodeWith(partial, props, `${label} node`), label),
  };
}

function labelled<T extends object, L extends string>(decoded: T, label: L): T & { __label: L } {
  const out = decoded as T & { __label: L };
  out.__label = label;
  return out;
}

/** The provenance properties of a fact-stating relationship (see the loader), plus the few links that carry more. */
export const linkPropsSchema = z.object({
  sourceIds: list(z.string()),
  locators: list(z.string()),
  quotes: list(z.string()),
  verification,
  note: optional(z.string()),
  /** Whose statement the link is; links written before the loader recorded it are a source's (STATED). */
  basis: z
    .enum(LINK_BASES)
    .nullish()
    .transform((value): LinkBasis => value ?? 'STATED'),
  /** INFERRED links (CONCERNS, REITERATES written by the UHRI import): the rule, what it matched, the score. */
  inference: optional(z.enum(INFERENCE_METHODS)),
  evidence: optional(z.string()),
  similarity: optional(z.number()),
  /** IMPLEMENTS and ANSWERS: how fully. */
  extent: optional(z.string()),
  /** IMPLEMENTS: the other treaty articles one provision implements together with this one. */
  mergedWith: list(z.string()),
  /** AMENDS and ANSWERS. */
  date: optional(z.string()),
});
export type LinkProps = z.output<typeof linkPropsSchema>;

/** A relationship read with none of its properties, decoded once (its lists frozen: the value is shared). */
let noProperties: LinkProps | undefined;

export function decodeLinkProps(props: unknown): LinkProps {
  if (typeof props === 'object' && props !== null && isEmpty(props)) {
    if (!noProperties) {
      const decoded = decodeWith(linkPropsSchema, {}, 'relationship');
      for (const value of Object.values(decoded)) if (Array.isArray(value)) Object.freeze(value);
      noProperties = Object.freeze(decoded);
    }
    return noProperties;
  }
  return decodeWith(linkPropsSchema, props, 'relationship');
}

function isEmpty(object: object): boolean {
  for (const key in object) if (Object.hasOwn(object, key)) return false;
  return true;
}

/** A fact-stating link as the API shows it: both ends and the link's own provenance. */
export interface LinkModel<From, To> {
  from: From;
  to: To;
  rel: LinkProps;
}

/** A relationship seen from one end: the entity at the other end, and the relationship's properties. */
export interface Related<T> {
  node: T;
  rel: LinkProps;
}

export const citationSchema = z.object({
  sourceId: z.string(),
  locator: optional(z.string()),
  quote: optional(z.string()),
});

export interface CitationModel {
  sourceId: string;
  locator: string;
  quote: string | null;
  /** The source itself, where the statement that found the citation read it too. */
  source?: SourceModel;
}

export const textVersionSchema = z.object({
  language: z.string(),
  text: z.string(),
  status: z.enum(['OFFICIAL', 'ADVANCE_UNEDITED', 'UNOFFICIAL_TRANSLATION']),
  truncated: z.boolean(),
  citations: z.array(citationSchema),
});
export type TextVersionModel = Omit<z.output<typeof textVersionSchema>, 'citations'> & { citations: CitationModel[] };

export const claimSchema = z.object({
  id: z.string(),
  field: z.string(),
  value: z.string(),
  status: z.enum(['ACCEPTED', 'REJECTED', 'UNRESOLVED']),
  note: optional(z.string()),
  citations: z.array(citationSchema),
});
export type ClaimModel = Omit<z.output<typeof claimSchema>, 'citations'> & { citations: CitationModel[] };

export interface LocalizedTextModel {
  language: string;
  text: string;
}

/** Originals such as a title in Russian are stored as two properties: `<name>Language` and `<name>Text`. */
export function localized(language: string | null, text: string | null): LocalizedTextModel | null {
  return language !== null && text !== null ? { language, text } : null;
}
