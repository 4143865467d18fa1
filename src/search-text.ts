/**
 * The one normalisation of text for full-text search, applied alike to what the loader stores for the
 * indexes (the `searchText` / `searchTitle` copies beside the text shown to clients) and to the words a
 * client searches for, so that both sides of a match are spelled the same way:
 *
 * - Unicode NFKC: compatibility forms become their plain letters (ligatures such as "ﬁ", full-width Latin,
 *   non-breaking spaces), and a letter written with a combining mark becomes the one composed letter;
 * - soft hyphens (U+00AD), invisible in print, are removed;
 * - Russian "ё"/"Ё" become "е"/"Е": Russian print writes "е" for "ё" most of the time (the corpus has
 *   "вооруженных", a reader types "вооружённых"), and no analyzer of Neo4j's full-text indexes folds it
 *   (`standard-no-stop-words` only lower-cases; the ASCII folding of `standard-folding` leaves Cyrillic alone).
 *   "й" stays "й": it is a letter of its own, not "и" with a mark.
 *
 * Case is left alone here: the index's analyzer lower-cases what it indexes, and the query side lower-cases
 * its words itself. Every step keeps the string's length except NFKC and the soft hyphen, so `foldForMatch`,
 * which only folds case and "ё", can be used to find a word's position in the original text.
 */
export function normalizeSearchText(text: string): string {
  return foldYo(text.normalize('NFKC').replace(/\u00AD/g, ''));
}

/** Lower case with "ё" folded into "е", character for character (for finding a matched word in the original text). */
export function foldForMatch(text: string): string {
  return foldYo(text.toLowerCase());
}

function foldYo(text: string): string {
  return text.replace(/ё/g, 'е').replace(/Ё/g, 'Е');
}
