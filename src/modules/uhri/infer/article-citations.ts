/**
 * Treaty-article citations in a paragraph's own words: "article 19 of the Convention", "arts. 19 and 39",
 * "articles 28, 29 and 31 of the Convention", "article 3 (1)", "article 2 of the Optional Protocol on the
 * involvement of children in armed conflict", and the Russian "статьи 19 Конвенции".
 *
 * A citation counts only when it says which instrument it is of, because the Committee's paragraphs cite
 * national law the same way ("article 19 of the Constitution", "article 5 of the Law on …", "article 120 of
 * the Criminal Code") and other committees cite their own treaty as "the Convention":
 *
 * - "of/under/in the Convention" (not followed by "on …", "against …", "for …" unless "on the Rights of the
 *   Child") is the CRC in a paragraph of the Committee on the Rights of the Child, and nothing in another
 *   committee's paragraph (CEDAW's "article 16 of the Convention" is CEDAW's article 16).
 * - "the Convention on the Rights of the Child" is the CRC in any committee's paragraph.
 * - "the Optional Protocol" is the Protocol its subject names (sale of children, armed conflict,
 *   communications procedure); with no subject, the Protocol of the document (CRC/C/OPAC/…), else nothing.
 *   A Protocol to another treaty ("to the Convention against Torture") is nothing.
 * - A bare list in brackets, as the Committee's headings write them ("(arts. 19, 24 (3), 28 (2) and 39)"),
 *   is of the document's own treaty (CRC, or its Protocol), for CRC documents only.
 * - Anything else ("of the Constitution", "of the Law on …", "of the Code", "of its Criminal Code", no
 *   instrument at all) is not a treaty citation.
 *
 * Paragraph and sub-paragraph marks ("3 (1)", "37 (a)", "article 3, paragraph 1,") are kept in the evidence
 * and the link goes to the article (the graph's treaty provisions are articles). Numbers beyond the treaty's
 * last article are dropped.
 */
import { parseSymbol } from '../symbols';
import type { InferParagraph } from './models';

/** The number of articles of each treaty the graph holds (seed/data/treaties; a unit test checks them). */
export const TREATY_ARTICLE_COUNTS: Readonly<Record<'CRC' | 'OPAC' | 'OPSC' | 'OPIC', number>> = {
  CRC: 54,
  OPAC: 13,
  OPSC: 17,
  OPIC: 24,
};

export interface ArticleCitation {
  /** treaty:CRC:art:19 */
  articleId: string;
  /** The words the citation was read from, e.g. "articles 37, 39 and 40 of the Convention". */
  evidence: string;
}

type Treaty = keyof typeof TREATY_ARTICLE_COUNTS;

/** "art. 19", "article 3 (1)", "article 3, paragraph 1," "articles 28 to 31". */
const KEYWORD = /\b(?:articles?|arts?\.)\s*(?=\d)/giu;
const QUALIFIER = String.raw`(?:\s*\(\s*[0-9]{1,2}\s*\)|\s*\(\s*[a-z]{1,4}\s*\)|,?\s+(?:paragraphs?|paras?\.)\s*\d{1,2}(?:\s*\([a-z]{1,4}\))?(?:\s*(?:,|and)\s*\d{1,2})*,?)*`;
const ITEM = String.raw`\d{1,3}${QUALIFIER}`;
const SEPARATOR = String.raw`\s*(?:,\s*(?:and|or)\s+|,\s*|\s+and\s+|\s+or\s+|\s*(?:to|through|–|-)\s*)`;
const LIST = new RegExp(String.raw`${ITEM}(?:${SEPARATOR}${ITEM})*`, 'uy');

/** After the list: the instrument it is of. */
const TAIL = /\s*,?\s*(?:of|under|in)\s+(?:the\s+)?(?:present\s+)?/iuy;

const RUSSIAN = new RegExp(
  String.raw`(?<![\p{L}])(?:стать(?:я|и|ей|ю|е|ям|ях|ями))\s+(\d{1,3}(?:\s*\(\s*[0-9a-zа-я]{1,4}\s*\))*(?:\s*(?:,\s*|\s+и\s+|\s*[–-]\s*)\d{1,3}(?:\s*\(\s*[0-9a-zа-я]{1,4}\s*\))*)*)\s+(?:настоящей\s+)?Конвенции(?!\s+(?:о|об|против|относительно)\s+(?!правах\s+ребе|правах\s+ребё))`,
  'giu',
);

/** The treaty the document belongs to, when it is the Committee on the Rights of the Child's. */
function documentTreaty(paragraph: InferParagraph): Treaty | null {
  const parsed = parseSymbol(paragraph.documentSymbol);
  const committee = (parsed?.committee ?? paragraph.committee).toUpperCase();
  if (!committee.startsWith('CRC')) return null;
  if (parsed?.protocolTreatyId === 'treaty:OPAC' || /OP-?AC/.test(paragraph.committee.toUpperCase())) return 'OPAC';
  if (parsed?.protocolTreatyId === 'treaty:OPSC' || /OP-?SC/.test(paragraph.committee.toUpperCase())) return 'OPSC';
  return 'CRC';
}

function isCrcCommittee(paragraph: InferParagraph): boolean {
  const parsed = parseSymbol(paragraph.documentSymbol);
  return (parsed?.committee ?? paragraph.committee).toUpperCase().startsWith('CRC');
}

/** The Protocol a phrase starting "Optional Protocol…" / "Protocol…" names, or null if none of the CRC's. */
function protocolOf(phrase: string): Treaty | 'OTHER' | null {
  const head = phrase.slice(0, 220).toLowerCase();
  // "Optional Protocol to the Convention against Torture …", "… to the International Covenant …"
  const to = /^(?:optional\s+)?protocols?\s+to\s+the\s+([^,;.]*)/u.exec(head);
  if (to && !/^convention on the rights of the child/u.test(to[1]!)) return 'OTHER';
  if (/sale of children|child prostitution|child pornography/u.test(head)) return 'OPSC';
  if (/armed conflict/u.test(head)) return 'OPAC';
  if (/communications procedure/u.test(head)) return 'OPIC';
  return null;
}

/** The instrument named after the list of numbers, or null if it is not one of the graph's treaties. */
function instrumentAfter(text: string, at: number, paragraph: InferParagraph): { treaty: Treaty; end: number } | null {
  TAIL.lastIndex = at;
  const tail = TAIL.exec(text);
  if (tail === null) return null;
  const start = TAIL.lastIndex;
  const rest = text.slice(start, start + 240);
  const convention = /^Convention\b(\s+on\s+the\s+Rights\s+of\s+the\s+Child\b)?/u.exec(rest);
  if (convention) {
    if (convention[1] !== undefined) return { treaty: 'CRC', end: start + convention[0].length };
    // "the Convention on the Rights of Persons with Disabilities", "the Convention against Torture",
    // "the Hague Convention" (not matched: "Hague" precedes), "the Convention No. 182" (ILO).
    if (/^Convention\s+(?:on|against|for|relating|concerning|of|No\.?|\d)/iu.test(rest)) return null;
    return isCrcCommittee(paragraph) ? { treaty: 'CRC', end: start + convention[0].length } : null;
  }
  const protocol = /^(?:Optional\s+)?Protocols?\b/u.exec(rest);
  if (protocol) {
    const named = protocolOf(rest);
    if (named === 'OTHER') return null;
    const treaty = named ?? (isCrcCommittee(paragraph) ? documentTreaty(paragraph) : null);
    if (treaty === null || treaty === 'CRC') return null;
    // The evidence runs to the end of the Protocol's name when a subject was read, else just "Protocol".
    const nameEnd =
      named === null ? protocol[0].length : Math.min(rest.length, /[;.)]|,\s(?!child)/u.exec(rest)?.index ?? 120);
    return { treaty, end: start + nameEnd };
  }
  return null;
}

function numbersOf(list: string): number[] {
  // Paragraph marks are not article numbers: drop "(1)", "(a)" and ", paragraph 1".
  const bare = list
    .replace(/\(\s*[0-9a-zа-я]{1,4}\s*\)/giu, ' ')
    .replace(/,?\s+(?:paragraphs?|paras?\.)\s*\d{1,2}(?:\s*(?:,|and)\s*\d{1,2})*,?/giu, ' ');
  const numbers: number[] = [];
  const parts = /(\d{1,3})(\s*(?:to|through|–|-)\s*(\d{1,3}))?/gu;
  for (const part of bare.matchAll(parts)) {
    const first = Number(part[1]);
    const last = part[3] === undefined ? first : Number(part[3]);
    if (last >= first && last - first <= 20) for (let n = first; n <= last; n += 1) numbers.push(n);
    else numbers.push(first);
  }
  return numbers;
}

function add(out: ArticleCitation[], seen: Set<string>, treaty: Treaty, numbers: number[], evidence: string): void {
  for (const n of numbers) {
    if (n < 1 || n > TREATY_ARTICLE_COUNTS[treaty]) continue;
    const articleId = `treaty:${treaty}:art:${n}`;
    if (seen.has(articleId)) continue;
    seen.add(articleId);
    out.push({ articleId, evidence });
  }
}

const squash = (text: string) => text.replace(/\s+/gu, ' ').trim();

/** The treaty articles a paragraph cites, in the order first cited, each once. */
export function findArticleCitations(paragraph: InferParagraph): ArticleCitation[] {
  const text = paragraph.text;
  const out: ArticleCitation[] = [];
  const seen = new Set<string>();
  let lastTreaty: Treaty | null = null;
  for (const keyword of text.matchAll(KEYWORD)) {
    const listStart = keyword.index + keyword[0].length;
    LIST.lastIndex = listStart;
    const list = LIST.exec(text);
    if (list === null) continue;
    // A separator the list ended on ("19 and" before a word) is not part of it.
    const listText = list[0].replace(/(?:\s*(?:,|and|or|to|through|–|-))+\s*$/u, '');
    const listEnd = listStart + listText.length;
    const instrument = instrumentAfter(text, listEnd, paragraph);
    if (instrument !== null) {
      lastTreaty = instrument.treaty;
      add(out, seen, instrument.treaty, numbersOf(listText), squash(text.slice(keyword.index, instrument.end)));
      continue;
    }
    // "(arts. 19 and 39)": a bare bracketed list, the document's own treaty.
    const bracketed = text[keyword.index - 1] === '(' && /^\s*\)/u.test(text.slice(listEnd));
    const own = documentTreaty(paragraph);
    if (bracketed && own !== null) {
      add(out, seen, own, numbersOf(listText), squash(text.slice(keyword.index - 1, listEnd + 1)));
      continue;
    }
    // "(c) In light of article 39, take …" after "articles 37, 39 and 40 of the Convention" in the same
    // paragraph: a bare number after a citation of the Convention is the Convention's, unless the words
    // before it are about changing law ("amend article 5", "article 5 of its law" is caught above).
    const before = text.slice(Math.max(0, keyword.index - 40), keyword.index);
    if (lastTreaty !== null && !/\b(?:amend|repeal|revis|abolish|law|code|act|decree|constitution)/iu.test(before)) {
      add(
        out,
        seen,
        lastTreaty,
        numbersOf(listText),
        `${squash(text.slice(keyword.index, listEnd))} (after a citation of the ${lastTreaty === 'CRC' ? 'Convention' : 'Protocol'} in the same paragraph)`,
      );
    }
  }
  for (const match of text.matchAll(RUSSIAN)) {
    const named = /^\s+о\s+правах\s+реб[её]нка/u.test(text.slice(match.index + match[0].length));
    if (named || isCrcCommittee(paragraph)) add(out, seen, 'CRC', numbersOf(match[1]!), squash(match[0]));
  }
  return out;
}
