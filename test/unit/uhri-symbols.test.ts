import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { bodyOfValues, parseBody } from '../../src/modules/uhri/bodies';
import { documentId, parseSymbol, recommendationId } from '../../src/modules/uhri/symbols';

describe('the UN symbol grammar', () => {
  it.each([
    ['CRC/C/KAZ/CO/4', 'CRC', null, 'KAZ', 'CONCLUDING_OBSERVATIONS', '4'],
    ['CRC/C/KAZ/CO/5-6', 'CRC', null, 'KAZ', 'CONCLUDING_OBSERVATIONS', '5-6'],
    ['CRC/C/OPAC/KAZ/CO/1', 'CRC', 'treaty:OPAC', 'KAZ', 'CONCLUDING_OBSERVATIONS', '1'],
    ['CRC/C/OPSC/KAZ/CO/1', 'CRC', 'treaty:OPSC', 'KAZ', 'CONCLUDING_OBSERVATIONS', '1'],
    ['CRC/C/OPSA/KAZ/1', 'CRC', 'treaty:OPSC', 'KAZ', 'STATE_REPORT', '1'],
    ['CRC/C/KAZ/4', 'CRC', null, 'KAZ', 'STATE_REPORT', '4'],
    ['CRC/C/KAZ/Q/5-6', 'CRC', null, 'KAZ', 'LIST_OF_ISSUES', '5-6'],
    ['CRC/C/KAZ/Q/3/Add.1', 'CRC', null, 'KAZ', 'REPLIES_TO_LIST_OF_ISSUES', '3'],
    ['CRC/C/OPAC/KAZ/Q/1/Add.1', 'CRC', 'treaty:OPAC', 'KAZ', 'REPLIES_TO_LIST_OF_ISSUES', '1'],
    ['CRC/C/KAZ/RQ/5-6', 'CRC', null, 'KAZ', 'REPLIES_TO_LIST_OF_ISSUES', '5-6'],
    ['CRC/C/KAZ/QPR/7', 'CRC', null, 'KAZ', 'LIST_OF_ISSUES', '7'],
    ['CEDAW/C/KAZ/CO/5', 'CEDAW', null, 'KAZ', 'CONCLUDING_OBSERVATIONS', '5'],
    ['CCPR/C/KAZ/CO/2', 'CCPR', null, 'KAZ', 'CONCLUDING_OBSERVATIONS', '2'],
    ['CERD/C/KAZ/CO/8-10', 'CERD', null, 'KAZ', 'CONCLUDING_OBSERVATIONS', '8-10'],
    ['CRPD/C/KAZ/CO/1', 'CRPD', null, 'KAZ', 'CONCLUDING_OBSERVATIONS', '1'],
    ['E/C.12/KAZ/CO/2', 'CESCR', null, 'KAZ', 'CONCLUDING_OBSERVATIONS', '2'],
    ['CCPR/C/KAZ/CO/2/Corr.1', 'CCPR', null, 'KAZ', 'CONCLUDING_OBSERVATIONS', '2'],
    ['CRC/C/15/Add.213', 'CRC', null, null, 'CONCLUDING_OBSERVATIONS', null],
    ['CRC/C/41/Add.13', 'CRC', null, null, 'OTHER', null],
    ['A/HRC/43/11', null, null, null, 'OTHER', null],
    ['A/HRC/43/11/Add.1', null, null, null, 'OTHER', null],
  ])('%s: committee %s, protocol %s, state %s, %s, number %s', (symbol, committee, protocol, iso3, kind, cycle) => {
    expect(parseSymbol(symbol)).toEqual({
      symbol,
      committee,
      protocolTreatyId: protocol,
      iso3,
      kind,
      symbolCycle: cycle,
    });
  });

  it('removes blanks and a multi-value prefix a symbol cell may carry', () => {
    expect(parseSymbol(' - CRC/C/KAZ/CO/ 4 ')?.symbol).toBe('CRC/C/KAZ/CO/4');
  });

  it.each([
    'CRC/KAZ/CO-4',
    'CRC/C/KAZ/CO/',
    'CRC/C/Kaz/CO/4',
    'CEDAW/C/OPAC/KAZ/CO/1',
    'XYZ/C/KAZ/CO/1',
    'CRC/C/KAZ/CO/four',
    'Kazakhstan',
    '',
  ])('%j is not a symbol', (symbol) => {
    expect(parseSymbol(symbol)).toBeNull();
  });

  it('builds the corpus ids, checked against the corpus id scheme', () => {
    expect(documentId('CRC/C/KAZ/CO/4')).toBe('doc:CRC/C/KAZ/CO/4');
    expect(recommendationId('CRC/C/KAZ/CO/4', 29)).toBe('rec:CRC/C/KAZ/CO/4:29');
    expect(recommendationId('CRC/C/15/Add.213', 44, 'b')).toBe('rec:CRC/C/15/Add.213:44(b)');
    expect(documentId('CRC/C/KAZ/CO/4 (advance)')).toBeNull();
  });

  it('parses every symbol of the curated corpus to the committee, state and treaty the corpus gives it', () => {
    const un = parse(readFileSync(resolve(__dirname, '../../seed/data/kaz/un.yaml'), 'utf8')) as {
      documents: { symbol?: string; committee: string; state?: string; treaty?: string; kind: string }[];
    };
    const withSymbols = un.documents.filter((d) => /^(CRC|CCPR|CEDAW|CERD|CRPD)\//.test(d.symbol ?? ''));
    expect(withSymbols.length).toBeGreaterThanOrEqual(12);
    for (const doc of withSymbols) {
      const parsed = parseSymbol(doc.symbol!);
      expect({ symbol: doc.symbol, parsed: parsed !== null }).toEqual({ symbol: doc.symbol, parsed: true });
      expect(parsed!.committee).toBe(doc.committee);
      // OTHER: a form whose kind the grammar does not claim (old-style series other than CRC/C/15).
      if (parsed!.kind !== 'OTHER') expect(parsed!.kind).toBe(doc.kind);
      if (parsed!.iso3 !== null) expect(`state:${parsed!.iso3}`).toBe(doc.state);
      if (parsed!.protocolTreatyId !== null) expect(parsed!.protocolTreatyId).toBe(doc.treaty);
    }
  });
});

describe('the recommending body', () => {
  it.each([
    ['- CRC', 'CRC', 'TREATY_BODY', 'treaty:CRC', null],
    ['- CRC-OP-SC', 'CRC', 'TREATY_BODY', 'treaty:OPSC', null],
    ['- CRC-OP-AC', 'CRC', 'TREATY_BODY', 'treaty:OPAC', null],
    ['- CEDAW', 'CEDAW', 'TREATY_BODY', null, null],
    ['- CCPR', 'CCPR', 'TREATY_BODY', null, null],
    ['- CESCR', 'CESCR', 'TREATY_BODY', null, null],
    ['- UPR', 'UPR', 'UPR', null, null],
    ['- SR Sale of children', 'SR', 'SPECIAL_PROCEDURE', null, 'SR Sale of children'],
    ['- IE SOGI', 'IE', 'SPECIAL_PROCEDURE', null, 'IE SOGI'],
    ['- WG Arbitrary detention', 'WG', 'SPECIAL_PROCEDURE', null, 'WG Arbitrary detention'],
  ])('%s is %s (%s)', (value, committee, kind, treatyId, mandate) => {
    expect(parseBody(value)).toMatchObject({ committee, kind, treatyId, mandate });
  });

  it('reads the mandate of a cell that adds "- Special Procedures" after it', () => {
    expect(bodyOfValues(['SR Torture', 'Special Procedures'])).toMatchObject({
      committee: 'SR',
      mandate: 'SR Torture',
    });
    expect(bodyOfValues(['Special Procedures'])).toBeNull();
  });

  it('does not take an unknown value for a body', () => {
    expect(parseBody('- The Committee')).toBeNull();
    expect(parseBody('- SRI')).toBeNull();
  });
});
