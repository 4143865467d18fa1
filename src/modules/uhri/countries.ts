/**
 * State names as UHRI writes them (the UN's short names: "Bolivia (Plurinational State of)", "Türkiye",
 * "Democratic People's Republic of Korea") → ISO 3166-1 alpha-3.
 *
 * The names come from a maintained country library, `world-countries` (mledoze/countries: common,
 * official and alternative names of every ISO 3166 entry). The UN writes a qualified name with the
 * qualifier in brackets after the short name; the library writes the same name in natural order
 * ("Plurinational State of Bolivia") or ISO's comma order ("Bolivia, Plurinational State of"), so a
 * bracketed name is tried in both orders. Only the UN names the library lacks in any order are added
 * below, each with the reason.
 */
import countries from 'world-countries';

/**
 * UN names absent from world-countries 5.1 in every spelling and word order:
 * - "Cabo Verde": the UN's short name since 2013 at the state's request; the library has only
 *   "Cape Verde" and "Republic of Cabo Verde".
 * - "Holy See": the UN's name for the observer state (a CRC party); the library has "Vatican City"
 *   and "Holy See (Vatican City State)".
 */
const UN_NAME_ALIASES: Readonly<Record<string, string>> = {
  'Cabo Verde': 'CPV',
  'Holy See': 'VAT',
};

function normaliseName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

function buildIndex(): Map<string, string> {
  const index = new Map<string, string>();
  const ambiguous = new Set<string>();
  for (const country of countries) {
    for (const name of [country.name.common, country.name.official, ...country.altSpellings]) {
      const key = normaliseName(name);
      const known = index.get(key);
      if (known !== undefined && known !== country.cca3) ambiguous.add(key);
      else index.set(key, country.cca3);
    }
  }
  // A name two countries share identifies neither.
  for (const key of ambiguous) index.delete(key);
  for (const [name, iso3] of Object.entries(UN_NAME_ALIASES)) index.set(normaliseName(name), iso3);
  return index;
}

let index: Map<string, string> | undefined;

/** Names already resolved (UHRI has some two hundred), bounded so that odd files cannot grow it without end. */
const resolved = new Map<string, string | null>();
const RESOLVED_LIMIT = 10_000;

/** The ISO 3166 alpha-3 code of a state name, or null when the name is not known. */
export function iso3OfCountry(name: string): string | null {
  let iso3 = resolved.get(name);
  if (iso3 === undefined) {
    iso3 = lookUp(name);
    if (resolved.size < RESOLVED_LIMIT) resolved.set(name, iso3);
  }
  return iso3;
}

function lookUp(name: string): string | null {
  index ??= buildIndex();
  const key = normaliseName(name);
  const direct = index.get(key);
  if (direct !== undefined) return direct;
  // "Bolivia (Plurinational State of)" → "plurinational state of bolivia", "bolivia, plurinational state of".
  const bracketed = /^(.+?) \((.+)\)$/.exec(key);
  if (bracketed) {
    const [, short, qualifier] = bracketed;
    return index.get(`${qualifier} ${short}`) ?? index.get(`${short}, ${qualifier}`) ?? null;
  }
  return null;
}

/** Every country the library lists, for generators: ISO3, common name, and whether the UN counts it a member. */
export function listCountries(): { iso3: string; name: string; unMember: boolean }[] {
  return countries.map((c) => ({ iso3: c.cca3, name: c.name.common, unMember: c.unMember }));
}
