/**
 * UHRI's tags on a row: themes, affected persons and SDG targets, as nodes a writer can merge on.
 *
 * UHRI's themes are its own vocabulary, not the curated corpus's hand-made themes
 * (theme:corporal-punishment): their ids carry a `uhri:` prefix (CONTRACTS D) so that the two never collide, and a
 * link between them is a decision for the editors, not for the importer.
 */

export interface Tag {
  /** Graph id: theme:uhri:<slug>, group:<slug> (docs/model.md, Ids). */
  id: string;
  name: string;
}

export interface SdgTarget {
  /** sdg:<code>, e.g. sdg:16.2 */
  id: string;
  /** Target code ("16.2", "4.a") or a goal number alone ("16"). */
  code: string;
  goal: number;
  label: string;
}

/** Lower case, accents dropped, "&" read as "and", anything else between words a single hyphen. */
export function slug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * UHRI's vocabularies are small (some hundred themes, a few dozen groups of persons), so slugs are
 * remembered; the memo stops growing at a bound so that a file with a new value on every row cannot
 * exhaust memory.
 */
const MEMO_LIMIT = 10_000;
const slugs = new Map<string, string>();
function memoSlug(name: string): string {
  let s = slugs.get(name);
  if (s === undefined) {
    s = slug(name);
    if (slugs.size < MEMO_LIMIT) slugs.set(name, s);
  }
  return s;
}

function tags(prefix: string, names: readonly string[]): Tag[] {
  const byId = new Map<string, Tag>();
  for (const name of names) {
    const s = memoSlug(name);
    if (s !== '' && !byId.has(`${prefix}${s}`)) byId.set(`${prefix}${s}`, { id: `${prefix}${s}`, name });
  }
  return [...byId.values()];
}

export const themeTags = (names: readonly string[]): Tag[] => tags('theme:uhri:', names);
export const affectedPersonTags = (names: readonly string[]): Tag[] => tags('group:', names);

const SDG = /^(\d{1,2})(?:\.(\d{1,2}|[a-z]))?\s*[-–—]\s*(\S.*)$/;

/** "16.2 - End abuse, exploitation …" → target 16.2 with its label; null when the value is not of that form. */
export function parseSdg(value: string): SdgTarget | null {
  const m = SDG.exec(value.trim());
  if (!m) return null;
  const goal = Number(m[1]);
  if (goal < 1 || goal > 17) return null;
  const code = m[2] === undefined ? String(goal) : `${goal}.${m[2]}`;
  return { id: `sdg:${code}`, code, goal, label: m[3]!.trim() };
}
