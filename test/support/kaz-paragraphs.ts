import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** A paragraph of the UHRI fixture: its document symbol, paragraph number, text and UHRI themes. */
export interface FixtureParagraph {
  symbol: string;
  paragraph: number;
  text: string;
  themes: string[];
}

/** The real Kazakhstan paragraphs of the UHRI fixture (texts verbatim from the reference, §4), with the themes it gives them. */
export const kazParagraphs = JSON.parse(
  readFileSync(resolve(__dirname, '../fixtures/uhri/kaz-paragraphs.json'), 'utf8'),
) as FixtureParagraph[];
