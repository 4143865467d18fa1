/**
 * Every named statement the repositories declare, with representative parameters: what the warm-up
 * (src/db/warm-up.ts) plans before the API serves, and again after the embedded Neo4j restarts.
 *
 * Built from the repositories' own declarations, not a list kept here: every export of a repository module
 * named `*_STATEMENTS` (fixed texts), `*_HOPS` (relationships walked from a parent: their whole, page and
 * count statements) or `*_LISTS` (root lists, specs or builders from a filter: planned unfiltered). A
 * statement added to one of those is warmed with no change here; test/middle/cypher.test.ts checks that
 * every statement the repositories send is registered by name. Statements built per request (narrowed by
 * a filter or a state, `path` with its literal hop bound) are planned by the executor on first use, once
 * for all the identical requests that arrive meanwhile (Executor.plan).
 */
import { countStatement, listCountStatement, listStatement, pageStatement, relatedStatement } from '../db/cypher';
import type { FilteredHop, ListSpec } from '../db/cypher';
import type { WarmStatement } from '../db/warm-up';
import type { EntityLabel } from './common/models';
import { ENTITY_LABELS, propertiesFor, type Reading } from './entities';
import * as analysis from './analysis/repository';
import * as common from './common/repository';
import * as evidence from './evidence/repository';
import * as exportsModule from './exports/repository';
import * as followUpBoard from './followup-board/repository';
import * as followup from './followup/repository';
import * as graphReader from './graph-reader';
import * as identity from './identity/users';
import * as implementation from './implementation/repository';
import * as nationalLaw from './national-law/repository';
import * as search from './search/repository';
import * as sources from './sources/repository';
import * as states from './states/repository';
import * as system from './system/repository';
import * as treaties from './treaties/repository';
import * as unDocuments from './un-documents/repository';

const MODULES: Record<string, Record<string, unknown>> = {
  analysis,
  common,
  evidence,
  exports: exportsModule,
  followUpBoard,
  followup,
  graphReader,
  identity,
  implementation,
  nationalLaw,
  search,
  sources,
  states,
  system,
  treaties,
  unDocuments,
};

/**
 * A representative value for each parameter name the statements use, of the type the API sends (the plan
 * cache is keyed by the statement text; the values only have to be valid).
 */
const PARAMETER_SAMPLES: Record<string, unknown> = {
  ids: ['warm-up'],
  offset: 0,
  limit: 1,
  minLength: 2,
  yearFrom: 2000,
  yearTo: 2000,
  strict: false,
  latestAnswered: false,
  includeInferred: true,
  kinds: ['warm-up'],
  labels: ['warm-up'],
  statuses: ['warm-up'],
  inForce: ['warm-up'],
  cycles: null,
  articles: null,
  themes: null,
  reasons: null,
  overdue: null,
  leadBodies: null,
  documents: null,
  withoutMeasure: null,
  measureFiltered: false,
  asOf: '2000-01-01',
  includeRevoked: true,
  internalStates: ['warm-up'],
  includeWithdrawn: false,
  afterSeq: 0,
  since: null,
  // The analyses' selection (modules/analysis/repository.ts GapReading, ChainReading): what they read, and
  // the properties read of each kind (lists, as the API sends them: a plan is cached per parameter types).
  articleFilter: ['warm-up'],
  themeFilter: ['warm-up'],
  cycleFilter: ['warm-up'],
  reasonFilter: ['warm-up'],
  withAnswers: true,
  withMechanisms: true,
  withProvisions: true,
  withBodies: true,
  recommendationProps: ['id'],
  answererProps: ['id'],
  mechanismProps: ['id'],
  provisionProps: ['id'],
  bodyProps: ['id'],
  evidenceProps: ['id'],
  documentProps: ['id'],
  // What a search reads of its hits (modules/search/repository.ts SearchReading).
  entityProps: ['id'],
  best: true,
  withText: true,
};

/** The parameters a statement names (`$name`), each with its sample (a string where none is listed). */
export function sampleParams(cypher: string): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [, name] of cypher.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)) {
    params[name!] = name! in PARAMETER_SAMPLES ? PARAMETER_SAMPLES[name!] : 'warm-up';
  }
  return params;
}

function statementName(cypher: string): string {
  const match = /^\/\/ (\S+)/.exec(cypher);
  if (!match) throw new Error(`A registered statement does not start with its // name: ${cypher.slice(0, 60)}`);
  return match[1]!;
}

function entry(cypher: string): WarmStatement {
  return { name: statementName(cypher), cypher, params: sampleParams(cypher) };
}

function isHop(value: unknown): value is FilteredHop {
  return typeof value === 'object' && value !== null && 'type' in value && 'direction' in value && 'match' in value;
}

const READINGS: readonly Reading[] = ['light', 'full'];

/** The kinds a hop's targets or a list's entries may be, where the declaration names them. */
function kindsOf(value: object, key: 'targets' | 'kinds'): EntityLabel[] | null {
  const kinds: unknown = (value as Record<string, unknown>)[key];
  if (!Array.isArray(kinds)) return null;
  return kinds.filter((kind): kind is EntityLabel => (ENTITY_LABELS as readonly string[]).includes(kind as string));
}

/**
 * The property lists a statement is sent with: one per reading (a light one leaves out lazy properties such
 * as an article's text) where the kinds are known, else the whole node.
 */
function projections(kinds: EntityLabel[] | null): Array<readonly string[] | undefined> {
  return kinds === null ? [undefined] : READINGS.map((reading) => propertiesFor(kinds, reading));
}

function toListSpec(value: unknown, where: string): ListSpec {
  const spec = typeof value === 'function' ? (value as (filter: object) => unknown)({}) : value;
  if (typeof spec !== 'object' || spec === null || !('label' in spec) || !('orderBy' in spec))
    throw new Error(`${where} is not a list spec or a builder of one`);
  return spec as ListSpec;
}

/** Every statement of every repository, each once (by text), in a stable order. */
export function namedStatements(): WarmStatement[] {
  const byText = new Map<string, WarmStatement>();
  const add = (cypher: string) => {
    if (!byText.has(cypher)) byText.set(cypher, entry(cypher));
  };
  for (const [moduleName, exports] of Object.entries(MODULES)) {
    for (const [exportName, value] of Object.entries(exports)) {
      const where = `${moduleName}.${exportName}`;
      if (exportName.endsWith('_STATEMENTS')) {
        for (const [key, text] of Object.entries(value as Record<string, unknown>)) {
          if (typeof text !== 'string') throw new Error(`${where}.${key} is not a statement text`);
          add(text);
        }
      } else if (exportName.endsWith('_HOPS')) {
        for (const [key, hop] of Object.entries(value as Record<string, unknown>)) {
          if (!isHop(hop)) throw new Error(`${where}.${key} is not a hop`);
          for (const properties of projections(kindsOf(hop, 'targets'))) {
            add(relatedStatement(hop, properties));
            add(pageStatement(hop, properties));
          }
          add(countStatement(hop));
        }
      } else if (exportName.endsWith('_LISTS')) {
        for (const [key, list] of Object.entries(value as Record<string, unknown>)) {
          const spec = toListSpec(list, `${where}.${key}`);
          for (const properties of projections(kindsOf(spec, 'kinds'))) add(listStatement(spec, properties));
          add(listCountStatement(spec));
        }
      }
    }
  }
  return [...byText.values()];
}
