import type { UhriRecord } from '../models';
import type { InferParagraph } from './models';

/**
 * What the rules need of an imported row, one paragraph per addressed state. A row addressed to several
 * states (rare for treaty bodies) is compared within each state's group. `cycle` stays null: the export
 * has none (the symbol's number is not the cycle; the curated cycle, where the corpus has one, is better
 * and the writer may put it in).
 */
export function inferParagraphsOf(record: UhriRecord): InferParagraph[] {
  const { document, recommendation } = record;
  return recommendation.addressedTo.map((stateId) => ({
    id: recommendation.id,
    stateId,
    committee: document.committee,
    documentSymbol: document.symbol,
    cycle: null,
    publicationDate: document.date,
    paragraph: String(recommendation.paragraph),
    text: recommendation.text,
    themes: recommendation.themes.map((theme) => theme.name),
  }));
}
