/**
 * Imports the Convention on the Rights of the Child and its three Optional Protocols from the
 * Markdown copies of the OHCHR texts in the shared reference folder into corpus YAML:
 *
 *   seed/data/treaties/{crc,opac,opsc,opic}.yaml  one TreatyEntry each, under `treaties:`
 *   seed/data/treaties/sources.yaml               the `sources:` those entries cite
 *
 * Usage, from anywhere (paths are resolved from this file, never from the working directory):
 *
 *   npx tsx seed/tools/import-treaties.ts [treaties-dir]
 *
 * treaties-dir defaults to ../shared/reference/treaties relative to the project root; a relative
 * argument is resolved against the project root too.
 *
 * The Markdown copies were parsed from web pages and carry artefacts (reference
 * crc-kazakhstan-facts.md §6.1). The parser handles those it can handle without guessing:
 * - a repeat of the article heading inside the article body ("Article 5 — Individual
 *   communications Communications may be …") is removed;
 * - a numbered paragraph run into the previous line ("… fully respected. 4. A variety …") is split
 *   off, but only when its number is the next one expected in that article;
 * - a footnote marker ("1 /") is taken out of the paragraph and the footnote, found after the "____"
 *   rule at the end of the file, goes into the article's note;
 * - the OHCHR page footer ("Our Work", "Latest", …) ends the text; an article left with no text
 *   is omitted and reported.
 * Whatever cannot be repaired without inventing text (lost paragraph numbers, lost leading words,
 * missing paragraphs or sub-items) is kept verbatim; gaps it can detect (numbering that skips, an
 * article that ends on a colon) are stated in the article's note.
 *
 * Output is deterministic: the same input gives byte-identical files.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse as parseYaml, stringify } from 'yaml';
import { CorpusFile, type SourceEntry, type TreatyArticleEntry, type TreatyEntry } from '../corpus-schema';

// ---------------------------------------------------------------- parsing

export interface ParsedArticle {
  /** Full corpus id, e.g. treaty:CRC:art:19. */
  id: string;
  number: number;
  /** The Part (I, II …) the file places the article in, where it marks Parts at all. */
  part?: string;
  paragraphs: string[];
  /** A title seen in a duplicated heading inside the body ("Article 5 — Individual communications"). */
  duplicatedHeadingTitle?: string;
  /** Footnotes referenced from this article's paragraphs. */
  footnotes: { marker: string; paragraph: number; text: string }[];
  /** Gaps detected in the source copy, in words fit for the entry's note. */
  gaps: string[];
}

export interface ParsedTreaty {
  treatyId: string;
  /** The level-1 heading without the trailing abbreviation. */
  title: string;
  /** The abbreviation in parentheses at the end of the level-1 heading, e.g. CRC-OPAC. */
  shortName?: string;
  /** The year from the "Adopted: YYYY." line, where there is one. */
  adoptedYear?: string;
  articles: ParsedArticle[];
  /** Footnotes found at the end of the file, by marker. */
  footnotes: Record<string, string>;
  /** Every repair made and every oddity seen, for the import log. */
  artefacts: string[];
}

/** The first line of the OHCHR site footer that the web-page copies carry after the last article. */
const PAGE_FOOTER_START = /^Our Work$/;
const ARTICLE_HEADING = /^#{2,6}\s+Article\s+(\d+)\s*$/i;
const PART_HEADING = /^#{2,6}\s+Part\s+([IVXLC]+)\b.*$/i;
const TITLE_HEADING = /^#\s+(.+?)\s*$/;
const ANY_HEADING = /^#{1,6}\s/;
const FOOTNOTE_RULE = /^_{3,}$/;
const FOOTNOTE = /^(\d+)\s*\/\s*(.+)$/;
const NUMBERED = /^(\d+)\.\s/;

/**
 * Parses one treaty file. Pure: no I/O, the same input always gives the same result.
 * @param treatyId the treaty's corpus id (treaty:CRC), used for article ids and messages.
 */
export function parseTreatyMarkdown(markdown: string, treatyId: string): ParsedTreaty {
  const lines = markdown.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const result: ParsedTreaty = { treatyId, title: '', articles: [], footnotes: {}, artefacts: [] };
  const log = (lineNo: number, message: string) => result.artefacts.push(`${treatyId} line ${lineNo}: ${message}`);

  let current: ParsedArticle | undefined;
  let part: string | undefined;
  let lastNumbered = 0; // highest paragraph number seen in the current article
  let mode: 'text' | 'footnotes' | 'footer' = 'text';
  let footerLine = 0;
  let lastFootnote: string | undefined;

  const startArticle = (number: number, lineNo: number) => {
    const previous = result.articles[result.articles.length - 1];
    if (previous && number <= previous.number)
      throw new Error(`${treatyId} line ${lineNo}: Article ${number} follows Article ${previous.number}`);
    if (previous && number !== previous.number + 1)
      log(lineNo, `Article ${number} follows Article ${previous.number}: articles missing from the file`);
    if (!previous && number !== 1) log(lineNo, `the first article is Article ${number}`);
    current = { id: `${treatyId}:art:${number}`, number, paragraphs: [], footnotes: [], gaps: [] };
    if (part) current.part = part;
    result.articles.push(current);
    lastNumbered = 0;
  };

  const addParagraph = (text: string, lineNo: number) => {
    if (!current) return;
    // A numbered paragraph run into the end of the previous line: split it off, but only when its
    // number is the next one this article expects (a bare "paragraph 1." in running text has no
    // sentence punctuation before the number and is never matched).
    let rest = text;
    if (lastNumbered > 0) {
      const merged = /([.;:])(\s+)(\d{1,2})\.\s+(?=[A-Z])/g;
      for (let m = merged.exec(rest); m; m = merged.exec(rest)) {
        if (Number(m[3]) !== lastNumbered + 1) continue;
        const numberStart = m.index + m[1]!.length + m[2]!.length;
        log(lineNo, `Article ${current.number}: paragraph ${m[3]} was run into the previous line; split off`);
        pushParagraph(rest.slice(0, m.index + m[1]!.length));
        rest = rest.slice(numberStart);
        lastNumbered = Number(m[3]);
        merged.lastIndex = 0;
      }
    }
    pushParagraph(rest);
  };

  const pushParagraph = (text: string) => {
    if (!current) return;
    const numbered = NUMBERED.exec(text);
    if (numbered) lastNumbered = Math.max(lastNumbered, Number(numbered[1]));
    current.paragraphs.push(text);
  };

  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.trim();
    if (line === '') return;

    if (mode === 'footer') {
      if (ARTICLE_HEADING.test(line))
        throw new Error(
          `${treatyId} line ${lineNo}: an article heading after the page footer that began on line ${footerLine}`,
        );
      return;
    }
    if (PAGE_FOOTER_START.test(line)) {
      mode = 'footer';
      footerLine = lineNo;
      log(lineNo, `web-page footer ("${line}" …) dropped from here to the end of the file`);
      return;
    }
    if (mode === 'footnotes') {
      const footnote = FOOTNOTE.exec(line);
      if (footnote) {
        lastFootnote = footnote[1]!;
        result.footnotes[lastFootnote] = footnote[2]!.trim();
      } else if (lastFootnote !== undefined) {
        result.footnotes[lastFootnote] += ` ${line}`;
      } else {
        throw new Error(
          `${treatyId} line ${lineNo}: text after the footnote rule that is not a footnote: ${line.slice(0, 60)}`,
        );
      }
      return;
    }
    if (FOOTNOTE_RULE.test(line)) {
      mode = 'footnotes';
      return;
    }

    const title = TITLE_HEADING.exec(line);
    if (title) {
      if (result.title) throw new Error(`${treatyId} line ${lineNo}: a second level-1 heading`);
      const abbreviation = /^(.*?)\s*\(([A-Z][A-Za-z0-9-]*)\)$/.exec(title[1]!);
      result.title = abbreviation ? abbreviation[1]! : title[1]!;
      if (abbreviation) result.shortName = abbreviation[2]!;
      return;
    }
    const article = ARTICLE_HEADING.exec(line);
    if (article) {
      const number = Number(article[1]);
      if (current && number === current.number) {
        log(lineNo, `Article ${number}: heading repeated as a heading; dropped`);
        return;
      }
      startArticle(number, lineNo);
      return;
    }
    const partHeading = PART_HEADING.exec(line);
    if (partHeading) {
      part = partHeading[1]!.toUpperCase();
      return;
    }
    if (ANY_HEADING.test(line)) throw new Error(`${treatyId} line ${lineNo}: unexpected heading: ${line}`);

    if (!current) {
      // The lines before the first article: the adoption note and the description of the copy.
      const adopted = /^Adopted:\s*(\d{4})\b/.exec(line);
      if (adopted) result.adoptedYear = adopted[1]!;
      return;
    }

    // A repeat of the article heading inside the body, alone or followed by the article's title and
    // its first sentence on the same line.
    const repeat = new RegExp(`^(?:#{1,6}\\s*)?Article\\s+${current.number}\\b\\s*(?:[—–:.-]\\s*)?(.*)$`).exec(line);
    if (repeat && (repeat[1] === '' || /^Article\s+\d+\s*[—–:.-]/.test(line))) {
      const { title: headingTitle, text } = splitHeadingTitle(repeat[1]!);
      log(
        lineNo,
        `Article ${current.number}: heading repeated in the body${headingTitle ? ` ("${headingTitle}")` : ''}; dropped`,
      );
      if (headingTitle) current.duplicatedHeadingTitle = headingTitle;
      if (text) addParagraph(text, lineNo);
      return;
    }
    addParagraph(line, lineNo);
  });

  if (!result.title) throw new Error(`${treatyId}: no level-1 heading with the treaty's title`);

  // Footnote markers ("… this Convention. 1 / The members …"): out of the text, into the article.
  const used = new Set<string>();
  for (const art of result.articles) {
    art.paragraphs = art.paragraphs.map((text, i) => {
      let out = text;
      for (const [marker, footnote] of Object.entries(result.footnotes)) {
        const pattern = new RegExp(`(?<=\\S)\\s+${marker}\\s?\\/(?=\\s)`, 'g');
        if (!pattern.test(out)) continue;
        out = out.replace(pattern, '');
        used.add(marker);
        art.footnotes.push({ marker, paragraph: i, text: footnote });
        result.artefacts.push(
          `${treatyId}: Article ${art.number}: footnote marker ${marker}/ taken out of the text; the footnote goes into the note`,
        );
      }
      return out;
    });
  }
  for (const marker of Object.keys(result.footnotes)) {
    if (!used.has(marker)) result.artefacts.push(`${treatyId}: footnote ${marker}/ is referenced from no article`);
  }

  // Articles left without text (only page footer after the heading) are omitted.
  result.articles = result.articles.filter((art) => {
    if (art.paragraphs.length > 0) return true;
    result.artefacts.push(`${treatyId}: Article ${art.number} has no text in the file; omitted`);
    return false;
  });

  for (const art of result.articles) art.gaps = detectGaps(art);
  return result;
}

/**
 * Splits "Individual communications Communications may be …" into the heading's title and the text:
 * the title is the first word and the lower-case words after it; the text starts at the next
 * capitalised word. With no such word the whole string is the title.
 */
function splitHeadingTitle(rest: string): { title?: string; text?: string } {
  const words = rest.split(/\s+/).filter(Boolean);
  if (words.length === 0) return {};
  let i = 1;
  while (i < words.length && !/^[A-Z(0-9]/.test(words[i]!)) i++;
  const title = words.slice(0, i).join(' ');
  const text = words.slice(i).join(' ');
  return text ? { title, text } : { title };
}

function detectGaps(art: ParsedArticle): string[] {
  const gaps: string[] = [];
  const numbers = art.paragraphs
    .map((p) => NUMBERED.exec(p))
    .filter((m) => m !== null)
    .map((m) => Number(m[1]));
  if (numbers.length > 0) {
    const max = Math.max(...numbers);
    const missing: number[] = [];
    for (let n = 1; n <= max; n++) if (!numbers.includes(n)) missing.push(n);
    if (missing.length > 0) {
      gaps.push(
        `The source copy lacks ${missing.length === 1 ? 'paragraph' : 'paragraphs'} ${formatRanges(missing)} of this article; the text here is incomplete.`,
      );
    }
    if (numbers.some((n, i) => i > 0 && n <= numbers[i - 1]!))
      gaps.push('The paragraph numbers in the source copy are out of order.');
  }
  const last = art.paragraphs[art.paragraphs.length - 1]!;
  if (last.endsWith(':')) {
    gaps.push(
      'The source copy stops after an introductory clause ending in a colon; what follows it in the official text is missing.',
    );
  }
  return gaps;
}

function formatRanges(numbers: number[]): string {
  const ranges: string[] = [];
  let start = numbers[0]!;
  let prev = start;
  for (const n of [...numbers.slice(1), Number.NaN]) {
    if (n === prev + 1) {
      prev = n;
      continue;
    }
    ranges.push(start === prev ? `${start}` : `${start}–${prev}`);
    start = n;
    prev = n;
  }
  return ranges.join(', ');
}

// ---------------------------------------------------------------- what the files do not say

/**
 * Short titles of the CRC's articles: the Convention has none. Column A of the reference's §1
 * (crc-kazakhstan-facts.md), which follows the opvoedkunde.eu "List of Articles in the Convention
 * on the Rights of the Child" (CRIN wording) for arts. 1–42; for arts. 43–54 the list has only
 * group headings and column A's titles are descriptive, written from the treaty text.
 */
const CRC_TITLES: Record<number, string> = {
  1: 'Definition of a child',
  2: 'Non-discrimination',
  3: 'Best interests of the child',
  4: 'Implementation of rights',
  5: "Parental guidance and the child's evolving capacities",
  6: 'Survival and development',
  7: 'Name and nationality',
  8: 'Preservation of identity',
  9: 'Separation from parents',
  10: 'Family reunification',
  11: 'Illicit transfer and non-return',
  12: "The child's opinion",
  13: 'Freedom of expression',
  14: 'Freedom of thought, conscience and religion',
  15: 'Freedom of association',
  16: 'Protection of privacy',
  17: 'Access to appropriate information',
  18: 'Parental responsibilities',
  19: 'Protection from abuse and neglect',
  20: 'Protection of children without families',
  21: 'Adoption',
  22: 'Refugee children',
  23: 'Children with a disability',
  24: 'Health and health services',
  25: 'Periodic review of placement',
  26: 'Social security',
  27: 'Standard of living',
  28: 'Education',
  29: 'Aims of education',
  30: 'Children of minorities or indigenous peoples',
  31: 'Leisure, recreation and cultural activities',
  32: 'Child labour',
  33: 'Drug abuse',
  34: 'Sexual exploitation',
  35: 'Sale, trafficking and abduction',
  36: 'Other forms of exploitation',
  37: 'Torture and deprivation of liberty',
  38: 'Armed conflicts',
  39: 'Rehabilitative care',
  40: 'Administration of juvenile justice',
  41: 'Respect for existing standards',
  42: 'Raising public awareness of the Convention',
  43: 'Committee on the Rights of the Child: establishment and election',
  44: 'Reports by States Parties',
  45: 'Role of specialized agencies, UNICEF and other bodies',
  46: 'Signature',
  47: 'Ratification',
  48: 'Accession',
  49: 'Entry into force',
  50: 'Amendments',
  51: 'Reservations',
  52: 'Denunciation',
  53: 'Depositary',
  54: 'Authentic texts',
};

/** Where the List of Articles has only a group heading (reference §1, column B's remarks). */
function crcTitleGroup(n: number): { locator: string; heading: string } | undefined {
  if (n === 43 || n === 44) return { locator: 'List of Articles, arts. 43–44', heading: 'Monitoring and reporting' };
  if (n === 45) return { locator: 'List of Articles, art. 45', heading: 'NGO involvement in monitoring and reporting' };
  if (n >= 46 && n <= 54)
    return { locator: 'List of Articles, arts. 46–54', heading: 'How the Convention comes into force' };
  return undefined;
}

const TITLES_SOURCE = 'source:crc-article-titles';

interface Instrument {
  file: string;
  output: string;
  treatyId: string;
  source: string;
  protocolTo?: string;
  /** Only what the reference VERIFIES (crc-kazakhstan-facts.md §1, §2); checked against the file's "Adopted:" year. */
  adopted?: string;
  adoptedBy?: string;
  entryIntoForce?: string;
  /** Further citations for the treaty entry (for facts the text itself does not state). */
  extraSources?: { source: string; locator: string }[];
  /**
   * Articles the stored OHCHR copy lacks, taken verbatim from another copy (cited as `source`) and graded
   * SECONDARY_ONLY, since that copy is not the official text (docs/model.md, "Grading copies").
   */
  supplements?: { number: number; paragraphs: string[]; source: string; locator: string; note: string }[];
  /** The address of the OHCHR page the stored copy matches, where one was found; else the source says why none is given. */
  url?: string;
  note?: string;
}

const COPY_NOTE =
  'Article texts are imported from a Markdown copy of the OHCHR page (no preamble). The copy was parsed from a web page: ' +
  'paragraph numbers, leading words and sub-item layout may differ from the official text in places (reference §6.1); ' +
  'article notes state the gaps the import could detect. Check the official text where exact wording matters.';

const INSTRUMENTS: Instrument[] = [
  {
    file: 'crc.md',
    output: 'crc.yaml',
    treatyId: 'treaty:CRC',
    source: 'source:ohchr-crc-text',
    adopted: '1989-11-20',
    adoptedBy: 'UN General Assembly resolution 44/25',
    entryIntoForce: '1990-09-02',
    note: `${COPY_NOTE} The file does not mark the Convention's Parts, so articles carry no part.`,
  },
  {
    file: 'crc-opac.md',
    output: 'opac.yaml',
    treatyId: 'treaty:OPAC',
    source: 'source:ohchr-opac-text',
    protocolTo: 'treaty:CRC',
    supplements: [
      {
        number: 13,
        paragraphs: [
          '1. The present Protocol, of which the Arabic, Chinese, English, French, Russian and Spanish texts are equally authentic, shall be deposited in the archives of the United Nations.',
          '2. The Secretary-General of the United Nations shall transmit certified copies of the present Protocol to all States Parties to the Convention and all States that have signed the Convention.',
        ],
        source: 'source:laws-markdown-opac',
        locator: 'Article 13',
        note:
          'The stored OHCHR copy ends at the heading "Article 13" (the page footer follows), so this article is taken from the ' +
          'English text of the Dutch treaty database (BWBV0004034) as converted in statengeneraal/laws-markdown. That copy is ' +
          'not the official text and elsewhere shows small slips (art. 12: "there upon" for "thereupon"), hence SECONDARY_ONLY; ' +
          'check the UN text where exact wording matters.',
      },
    ],
    note: `${COPY_NOTE} Article 13 is missing from the OHCHR copy and is supplied from a secondary copy (see its note).`,
  },
  {
    file: 'crc-opsc.md',
    output: 'opsc.yaml',
    treatyId: 'treaty:OPSC',
    source: 'source:ohchr-opsc-text',
    protocolTo: 'treaty:CRC',
    entryIntoForce: '2002-01-18',
    extraSources: [
      { source: 'source:verdragen-nl', locator: 'Optional Protocol on the sale of children: entry into force' },
      { source: 'source:whatconvention-org', locator: 'Optional Protocol on the sale of children: entry into force' },
    ],
    note:
      `${COPY_NOTE} The general entry-into-force date (18 January 2002) is not in the OHCHR text, which gives only the rule ` +
      '(art. 14); it is from verdragen.nl and whatconvention.org as recorded in the reference (§2).',
  },
  {
    file: 'crc-opic.md',
    output: 'opic.yaml',
    treatyId: 'treaty:OPIC',
    source: 'source:ohchr-opic-text',
    protocolTo: 'treaty:CRC',
    url: 'https://web.dev.ohchr.un-icc.cloud/en/instruments-mechanisms/instruments/optional-protocol-convention-rights-child-communications',
    note: COPY_NOTE,
  },
];

function buildSources(parsed: Map<string, ParsedTreaty>): SourceEntry[] {
  const treatySources: SourceEntry[] = INSTRUMENTS.map((inst) => {
    const treaty = parsed.get(inst.treatyId)!;
    return {
      id: inst.source,
      kind: 'TREATY_TEXT',
      title: treaty.title,
      publisher: 'OHCHR',
      ...(inst.url
        ? { url: inst.url }
        : {
            addressUnknown: `The stored copy (shared/reference/treaties/${inst.file}) does not record the address of the OHCHR page it was parsed from, and none was found.`,
          }),
      reliability: 'PRIMARY',
      note: inst.url
        ? `UN treaty text as published by the Office of the High Commissioner for Human Rights; stored copy: shared/reference/treaties/${inst.file}. The address is the OHCHR page on a UN International Computing Centre host of the OHCHR website, whose heading and opening match the stored copy.`
        : `UN treaty text as published by the Office of the High Commissioner for Human Rights; stored copy: shared/reference/treaties/${inst.file}.`,
    };
  });
  return [
    ...treatySources,
    {
      id: TITLES_SOURCE,
      kind: 'REFERENCE_COMPILATION',
      title: 'List of Articles in the Convention on the Rights of the Child',
      publisher: 'opvoedkunde.eu',
      addressUnknown:
        'The reference (crc-kazakhstan-facts.md §1) names the site and the list but not the page address.',
      reliability: 'SECONDARY',
      note:
        'The Convention has no article headings: these short titles are editorial. Arts. 1–42 follow the opvoedkunde.eu list, ' +
        "whose wording matches CRIN's per-article pages (checked for art. 41), as given in column A of the reference " +
        '(crc-kazakhstan-facts.md §1). For arts. 43–54 the list has only group headings; the titles there are descriptive, ' +
        'written from the treaty text.',
    },
    {
      id: 'source:laws-markdown-opac',
      kind: 'WEBSITE',
      title:
        'Optional Protocol to the Convention on the Rights of the Child on the involvement of children in armed conflict (English text, Dutch treaty database BWBV0004034, as converted in statengeneraal/laws-markdown)',
      publisher: 'statengeneraal/laws-markdown (GitHub)',
      url: 'https://github.com/statengeneraal/laws-markdown/blob/1a7c9c0182d5539cca208799e72285e6434cf1c3/verdrag/optional/protocol/to/the/convention/on/the/rights/of/the/child/on/the/etc/BWBV0004034/README.md',
      reliability: 'SECONDARY',
      note:
        'A Markdown conversion, by a third party, of the English text held in the Dutch government treaty database (BWBV0004034). ' +
        'Read at the commit in the address. Secondary under the copy rule (docs/model.md): not an official publication, and its ' +
        'text has small slips. Used only for OPAC art. 13, which the stored OHCHR copy lacks.',
    },
    {
      id: 'source:verdragen-nl',
      kind: 'WEBSITE',
      title: 'verdragen.nl (Dutch treaty database)',
      addressUnknown: 'The reference names only the site; the page address was not recorded.',
      reliability: 'SECONDARY',
      note: "Cited by the reference (crc-kazakhstan-facts.md §2) for the OPSC's general entry into force, 18 January 2002; the page's address was not recorded.",
    },
    {
      id: 'source:whatconvention-org',
      kind: 'WEBSITE',
      title: 'whatconvention.org',
      addressUnknown: 'The reference names only the site; the page address was not recorded.',
      reliability: 'SECONDARY',
      note: "Cited by the reference (crc-kazakhstan-facts.md §2) for the OPSC's general entry into force, 18 January 2002; the page's address was not recorded.",
    },
  ];
}

function buildArticle(inst: Instrument, art: ParsedArticle): TreatyArticleEntry {
  const isCrc = inst.treatyId === 'treaty:CRC';
  const title = isCrc ? CRC_TITLES[art.number] : undefined;
  if (isCrc && !title) throw new Error(`no short title for CRC article ${art.number}`);
  const sources: TreatyArticleEntry['sources'] = [{ source: inst.source, locator: `Article ${art.number}` }];
  const notes: string[] = [...art.gaps];
  if (title) {
    const group = crcTitleGroup(art.number);
    sources.push({ source: TITLES_SOURCE, locator: group ? group.locator : `List of Articles, art. ${art.number}` });
    if (group)
      notes.push(
        `The short title is descriptive, written from the treaty text; the List of Articles has only the group heading "${group.heading}" here.`,
      );
  }
  for (const footnote of art.footnotes) {
    notes.push(
      `Footnote ${footnote.marker}/ of the OHCHR text, at paragraph ${footnote.paragraph + 1}: ${footnote.text}`,
    );
  }
  // Key order here is the key order in the YAML.
  return {
    id: art.id,
    number: art.number,
    ...(title ? { title } : {}),
    ...(art.part ? { part: art.part } : {}),
    paragraphs: art.paragraphs,
    sources,
    verification: 'VERIFIED_PRIMARY',
    ...(notes.length > 0 ? { note: notes.join(' ') } : {}),
  };
}

/** An article the stored copy lacks, from another copy; refused if the stored copy has it after all. */
function buildSupplement(
  inst: Instrument,
  parsed: ParsedTreaty,
  sup: NonNullable<Instrument['supplements']>[number],
): TreatyArticleEntry {
  if (parsed.articles.some((art) => art.number === sup.number)) {
    throw new Error(`${inst.treatyId}: article ${sup.number} is in ${inst.file} now; drop its supplement`);
  }
  return {
    id: `${inst.treatyId}:art:${sup.number}`,
    number: sup.number,
    paragraphs: sup.paragraphs,
    sources: [{ source: sup.source, locator: sup.locator }],
    verification: 'SECONDARY_ONLY',
    note: sup.note,
  };
}

function buildTreaty(inst: Instrument, parsed: ParsedTreaty): TreatyEntry {
  if (inst.adopted && parsed.adoptedYear && !inst.adopted.startsWith(parsed.adoptedYear)) {
    throw new Error(
      `${inst.treatyId}: adoption date ${inst.adopted} disagrees with the file's "Adopted: ${parsed.adoptedYear}"`,
    );
  }
  // The full date where the reference verifies it, else the year of the OHCHR copy's adoption note.
  const adopted = inst.adopted ?? parsed.adoptedYear;
  return {
    id: inst.treatyId,
    shortName: parsed.shortName ?? inst.treatyId.slice('treaty:'.length),
    title: parsed.title,
    ...(inst.protocolTo ? { protocolTo: inst.protocolTo } : {}),
    ...(adopted ? { adopted } : {}),
    ...(inst.adoptedBy ? { adoptedBy: inst.adoptedBy } : {}),
    ...(inst.entryIntoForce ? { entryIntoForce: inst.entryIntoForce } : {}),
    articles: [
      ...parsed.articles.map((art) => buildArticle(inst, art)),
      ...(inst.supplements ?? []).map((sup) => buildSupplement(inst, parsed, sup)),
    ],
    sources: [{ source: inst.source, locator: 'Title and adoption note' }, ...(inst.extraSources ?? [])],
    verification: 'VERIFIED_PRIMARY',
    ...(inst.note ? { note: inst.note } : {}),
  };
}

// ---------------------------------------------------------------- output

const REGENERATE = 'npx tsx seed/tools/import-treaties.ts';

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function renderYaml(header: string[], data: CorpusFile): string {
  const body = stringify(data, { lineWidth: 0, minContentWidth: 0, indent: 2, indentSeq: true, sortMapEntries: false });
  const text = `${header.map((line) => `# ${line}`.trimEnd()).join('\n')}\n\n${body}`;
  // Whatever is written must read back as exactly the data (no YAML surprises).
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(parseYaml(text))), JSON.parse(JSON.stringify(data)))) {
    throw new Error('the YAML does not read back as the data it was written from');
  }
  return text;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export interface ImportResult {
  files: Map<string, string>;
  counts: Record<string, number>;
  artefacts: string[];
}

/** Reads the treaty files in `treatiesDir` and returns the YAML files to write (by file name). */
export function importTreaties(treatiesDir: string, projectRoot: string): ImportResult {
  const files = new Map<string, string>();
  const parsed = new Map<string, ParsedTreaty>();
  const inputs = new Map<string, { rel: string; hash: string }>();
  const artefacts: string[] = [];
  for (const inst of INSTRUMENTS) {
    const file = path.join(treatiesDir, inst.file);
    if (!existsSync(file)) throw new Error(`missing treaty file ${file}`);
    const markdown = readFileSync(file, 'utf8');
    const treaty = parseTreatyMarkdown(markdown, inst.treatyId);
    parsed.set(inst.treatyId, treaty);
    inputs.set(inst.treatyId, { rel: toPosix(path.relative(projectRoot, file)), hash: sha256(markdown) });
    artefacts.push(...treaty.artefacts);
  }

  const sources = buildSources(parsed);
  const sourceIds = new Set(sources.map((s) => s.id));
  const cited = new Set<string>();
  const counts: Record<string, number> = {};
  for (const inst of INSTRUMENTS) {
    const treaty = buildTreaty(inst, parsed.get(inst.treatyId)!);
    counts[inst.treatyId] = treaty.articles.length;
    for (const citation of [...treaty.sources, ...treaty.articles.flatMap((a) => a.sources)]) {
      if (!sourceIds.has(citation.source))
        throw new Error(`${inst.treatyId} cites ${citation.source}, which sources.yaml does not define`);
      cited.add(citation.source);
    }
    const input = inputs.get(inst.treatyId)!;
    files.set(
      inst.output,
      renderYaml(
        [
          `Generated by seed/tools/import-treaties.ts from ${input.rel}`,
          `(sha256 ${input.hash}). Do not edit by hand:`,
          `regenerate from the project root with \`${REGENERATE}\`.`,
        ],
        CorpusFile.parse({ treaties: [treaty] }),
      ),
    );
  }
  const unused = sources.filter((s) => !cited.has(s.id)).map((s) => s.id);
  if (unused.length > 0) throw new Error(`sources nobody cites: ${unused.join(', ')}`);
  files.set(
    'sources.yaml',
    renderYaml(
      [
        'Generated by seed/tools/import-treaties.ts: the sources cited by the treaty files in this folder, made from',
        ...INSTRUMENTS.map((inst) => `  ${inputs.get(inst.treatyId)!.rel} (sha256 ${inputs.get(inst.treatyId)!.hash})`),
        'and the source descriptions in the script. Do not edit by hand:',
        `regenerate from the project root with \`${REGENERATE}\`.`,
      ],
      CorpusFile.parse({ sources }),
    ),
  );
  return { files, counts, artefacts };
}

/** The project root: two levels above this file (seed/tools/), never the working directory. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

function main(argv: string[]): void {
  const treatiesDir = path.resolve(PROJECT_ROOT, argv[0] ?? '../shared/reference/treaties');
  const outDir = path.join(PROJECT_ROOT, 'seed', 'data', 'treaties');
  const { files, counts, artefacts } = importTreaties(treatiesDir, PROJECT_ROOT);
  mkdirSync(outDir, { recursive: true });
  for (const [name, text] of files) writeFileSync(path.join(outDir, name), text);
  for (const line of artefacts) console.error(`artefact: ${line}`);
  for (const [treaty, count] of Object.entries(counts)) console.log(`${treaty}: ${count} articles`);
  console.log(
    `wrote ${[...files.keys()].map((name) => toPosix(path.relative(PROJECT_ROOT, path.join(outDir, name)))).join(', ')}`,
  );
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`import-treaties: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
