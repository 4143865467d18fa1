/**
 * One UHRI row → the typed records of the model, or the rejects that say why not.
 */
import { bodyOfValues, parseBody, type RecommendingBody } from './bodies';
import { cellText, parsePublicationDate, singleValue, splitMultiValue, type DateOrder } from './cells';
import type { UhriColumn } from './columns';
import { iso3OfCountry } from './countries';
import type { RecommendationKind, UhriProvenance, UhriRecord, UhriStateRef } from './models';
import { parseParagraph } from './paragraphs';
import type { UhriRow } from './read-export';
import type { Reject } from './rejects';
import { documentId, parseSymbol, recommendationId, stateId, type DocumentKind } from './symbols';
import { affectedPersonTags, parseSdg, themeTags, type SdgTarget } from './tags';

export interface MapContext {
  fileName: string;
  exportDate: string;
  exportDateSource: UhriProvenance['exportDateSource'];
  /** How to read text dates whose day and month are both 12 or less; unset: they are rejects. */
  dateOrder?: DateOrder;
}

export interface MapOutcome {
  /** Null when the row was skipped (a ROW_SKIPPED reject says why). */
  record: UhriRecord | null;
  rejects: Reject[];
}

/** UHRI's `Type` values ("- Recommendations", "- Concerns/Observations" …) → the corpus's recommendation kinds. */
export function kindOfType(type: string): RecommendationKind | null {
  const t = type.toLowerCase();
  if (/recommendation/.test(t)) return 'RECOMMENDATION';
  if (/concern|observation/.test(t)) return 'CONCERN';
  if (/positive|welcome|progress/.test(t)) return 'WELCOME';
  if (/question|list of issues/.test(t)) return 'QUESTION';
  return null;
}

export function mapRow(row: UhriRow, context: MapContext): MapOutcome {
  const { cells, rowNumber } = row;
  const annotationId = singleValue(cells['OHCHR Annotation Id'] ?? null) || null;
  const rejects: Reject[] = [];
  const reject = (column: UhriColumn | null, reason: string, action: Reject['action'] = 'ROW_SKIPPED') =>
    rejects.push({
      rowNumber,
      column,
      value: column === null ? '' : cellText(cells[column] ?? null),
      reason,
      action,
      annotationId,
    });

  // Text and its paragraph number.
  const exportedText = cellText(cells.Text ?? null);
  const paragraph = exportedText === '' ? null : parseParagraph(exportedText);
  if (exportedText === '') reject('Text', 'no text');
  else if (paragraph && !paragraph.ok) reject('Text', paragraph.reason);

  // Symbol.
  const rawSymbol = cellText(cells['Document Symbol'] ?? null);
  const symbol = rawSymbol === '' ? null : parseSymbol(rawSymbol);
  if (rawSymbol === '') reject('Document Symbol', 'no document symbol');
  else if (symbol === null)
    reject('Document Symbol', `"${rawSymbol}" is not a UN document symbol this importer can parse`);
  const docId = symbol === null ? null : documentId(symbol.symbol);
  if (symbol !== null && docId === null)
    reject('Document Symbol', `"${symbol.symbol}" holds characters a corpus id cannot`);

  // Countries.
  const countryNames = splitMultiValue(cells['Countries Concerned'] ?? null);
  const states: UhriStateRef[] = [];
  if (countryNames.length === 0) reject('Countries Concerned', 'no country');
  for (const name of countryNames) {
    const iso3 = iso3OfCountry(name);
    const id = iso3 === null ? null : stateId(iso3);
    if (iso3 === null || id === null) reject('Countries Concerned', `unknown country "${name}"`);
    else if (!states.some((s) => s.id === id)) states.push({ id, iso3, name });
  }
  if (symbol?.iso3 && states.length > 0 && !states.some((s) => s.iso3 === symbol.iso3)) {
    reject(
      'Countries Concerned',
      `the symbol ${symbol.symbol} is about ${symbol.iso3}, which is not among the countries concerned`,
    );
  }

  // Body: the cell's, checked against the symbol's committee.
  const bodyValues = splitMultiValue(cells['Reccomending Body'] ?? null);
  let body: RecommendingBody | null = bodyOfValues(bodyValues);
  if (symbol !== null && symbol.committee !== null) {
    const fromSymbol = parseBody(symbol.committee);
    if (body === null) {
      body = fromSymbol;
      reject(
        'Reccomending Body',
        bodyValues.length === 0
          ? `no body; ${symbol.committee} taken from the symbol`
          : `unknown body; ${symbol.committee} taken from the symbol`,
        'VALUE_DROPPED',
      );
    } else if (body.committee !== symbol.committee) {
      reject('Reccomending Body', `the body ${body.committee} does not issue ${symbol.symbol}`);
    } else if (
      body.protocolTreatyId !== null &&
      symbol.protocolTreatyId !== null &&
      body.protocolTreatyId !== symbol.protocolTreatyId
    ) {
      reject('Reccomending Body', `${body.label} does not match the Optional Protocol of ${symbol.symbol}`);
    }
  } else if (symbol !== null && body === null) {
    reject('Reccomending Body', bodyValues.length === 0 ? 'no body' : `unknown body "${bodyValues.join('; ')}"`);
  } else if (symbol !== null && body !== null && body.kind === 'TREATY_BODY') {
    reject('Reccomending Body', `the treaty body ${body.committee} does not issue ${symbol.symbol}`);
  }

  // Values a row can lose without losing the row: each loss is a VALUE_DROPPED reject.
  let date: string | null = null;
  const parsedDate = parsePublicationDate(cells['Document Publication Date'] ?? null, context.dateOrder);
  if (parsedDate?.ok) date = parsedDate.date;
  else if (parsedDate) reject('Document Publication Date', parsedDate.reason, 'VALUE_DROPPED');

  const sdgTargets: SdgTarget[] = [];
  for (const value of splitMultiValue(cells.Sdgs ?? null)) {
    const sdg = parseSdg(value);
    if (sdg === null) reject('Sdgs', `"${value}" is not an SDG target ("16.2 - …")`, 'VALUE_DROPPED');
    else if (!sdgTargets.some((t) => t.id === sdg.id)) sdgTargets.push(sdg);
  }

  const recId = symbol !== null && paragraph?.ok ? recommendationId(symbol.symbol, paragraph.paragraph) : null;
  if (symbol !== null && docId !== null && paragraph?.ok && recId === null) {
    reject('Document Symbol', `rec:${symbol.symbol}:${paragraph.paragraph} is not a valid recommendation id`);
  }

  if (
    rejects.some((r) => r.action === 'ROW_SKIPPED') ||
    symbol === null ||
    docId === null ||
    recId === null ||
    !paragraph?.ok ||
    body === null
  ) {
    return { record: null, rejects };
  }

  const type = singleValue(cells.Type ?? null) || null;
  let documentKind: DocumentKind = symbol.kind;
  if (body.kind === 'UPR' && documentKind === 'OTHER') documentKind = 'UPR_OUTCOME';
  const uprSession = singleValue(cells['UPR Session'] ?? null) || null;
  const uprPosition = singleValue(cells['UPR Position'] ?? null) || null;
  const uprStates = splitMultiValue(cells['UPR Reccomending States'] ?? null);
  const provenance: UhriProvenance = {
    fileName: context.fileName,
    exportDate: context.exportDate,
    exportDateSource: context.exportDateSource,
    rowNumber,
    annotationId,
    locator: annotationId === null ? `row ${rowNumber}` : `OHCHR Annotation Id ${annotationId}`,
  };

  return {
    rejects,
    record: {
      document: {
        id: docId,
        symbol: symbol.symbol,
        committee: body.committee,
        kind: documentKind,
        treatyId: symbol.protocolTreatyId ?? body.treatyId,
        stateId: symbol.iso3 !== null ? `state:${symbol.iso3}` : states.length === 1 ? states[0]!.id : null,
        symbolCycle: symbol.symbolCycle,
        date,
      },
      recommendation: {
        id: recId,
        documentId: docId,
        paragraph: paragraph.paragraph,
        subParagraphs: paragraph.subParagraphs,
        heading: paragraph.heading,
        text: paragraph.body,
        exportedText,
        kind: documentKind === 'LIST_OF_ISSUES' ? 'QUESTION' : type === null ? null : kindOfType(type),
        type,
        addressedTo: states.map((s) => s.id),
        body,
        themes: themeTags(splitMultiValue(cells.Themes ?? null)),
        affectedPersons: affectedPersonTags(splitMultiValue(cells['Affected Persons'] ?? null)),
        sdgTargets,
        regions: splitMultiValue(cells.Regions ?? null),
        upr:
          uprSession || uprPosition || uprStates.length > 0
            ? { session: uprSession, position: uprPosition, recommendingStates: uprStates }
            : null,
        provenance,
      },
      states,
    },
  };
}
