/**
 * The paragraph number and sub-paragraph letters of a UHRI `Text`.
 *
 * UHRI keeps the paragraph number only at the start of the text ("65. The Committee recommends …"),
 * sometimes after the section heading the paragraph stands under ("Rural women 49.The Committee …").
 * Lettered sub-paragraphs stay inside the text: "(a) …; (b) …", or "a) …" in some copies.
 */

export type ParagraphResult =
  | {
      ok: true;
      paragraph: number;
      /** The text without its number (and without a heading before it), as the curated corpus stores texts. */
      body: string;
      /** A section heading written before the number, if any. */
      heading: string | null;
      /** The sub-paragraph letters found, in order: a consecutive run from "a". */
      subParagraphs: string[];
    }
  | { ok: false; reason: string };

const NUMBERED = /^(\d{1,4})\.(?!\d)\s*(?=\S)/;
/** A heading of words (no digits, no full stop) before the number: "Rural women 49.The …". */
const HEADED = /^([\p{L}][^.\d\n]{0,150}?)\s+(\d{1,4})\.(?!\d)\s*(?=\p{Lu}|\()/u;
/** The UPR numbers its recommendations "128.5": a paragraph and an item within it. */
const UPR_NUMBERED = /^(\d{1,4})\.(\d{1,4})\.?\s/;

export function parseParagraph(text: string): ParagraphResult {
  const trimmed = text.trim();
  const upr = UPR_NUMBERED.exec(trimmed);
  if (upr) {
    return {
      ok: false,
      reason: `numbered "${upr[1]}.${upr[2]}" (paragraph and item, as the UPR numbers recommendations): the corpus id scheme rec:<symbol>:<paragraph>[(<letter>)] has no form for an item number`,
    };
  }
  let paragraph: number;
  let body: string;
  let heading: string | null = null;
  const numbered = NUMBERED.exec(trimmed);
  const headed = numbered ? null : HEADED.exec(trimmed);
  if (numbered) {
    paragraph = Number(numbered[1]);
    body = trimmed.slice(numbered[0].length);
  } else if (headed) {
    heading = headed[1]!.trim();
    paragraph = Number(headed[2]);
    body = trimmed.slice(headed[0].length);
  } else {
    return { ok: false, reason: 'Text does not start with a paragraph number ("29. …")' };
  }
  if (paragraph < 1) return { ok: false, reason: `paragraph number ${paragraph} is not a paragraph` };
  return { ok: true, paragraph, body: body.trim(), heading, subParagraphs: subParagraphLetters(body) };
}

/**
 * The letters of the lettered sub-paragraphs in a paragraph: "(a)", or "a)" after a blank or a colon.
 * Only the consecutive run a, b, c … counts, so that a roman "(i)" inside "(b)", or a stray "(c)" in a
 * citation, is not taken for a sub-paragraph.
 */
export function subParagraphLetters(text: string): string[] {
  const letters: string[] = [];
  // A scan for ")" rather than a regular expression with a look-behind: this runs on every row of a
  // 270,000-row file, and the scan is several times faster.
  for (let close = text.indexOf(')'); close !== -1; close = text.indexOf(')', close + 1)) {
    const letter = text.charCodeAt(close - 1);
    if (letter < 97 || letter > 122) continue; // a–z
    const before = close >= 2 ? text[close - 2]! : '';
    if (!(before === '(' || before === '' || /[\s:;]/.test(before))) continue;
    if (close + 1 < text.length && !/\s/.test(text[close + 1]!)) continue;
    const expected = 97 + letters.length;
    if (letter === expected) letters.push(String.fromCharCode(letter));
  }
  return letters;
}
