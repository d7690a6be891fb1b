// PC-Covid v1.1 personal QR decoder on bad input: ≥ FUZZ_RUNS cases in all (see fuzz-kit.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodePccovidV1Qr, parsePccovidV1Qr } from '../../src/common/formats/pccovid-v1/pccovid-v1-qr.js';
import { createPccovidV1Decoder } from '../../src/main/pipeline/decoders/pccovid-v1/pccovid-v1-decoder.js';
import {
  anyText,
  assertProperty,
  decodeTotally,
  itSurvivesDamageAndSize,
  replaceField,
  runsFor,
  textOf,
  timeoutFor,
  wrongFieldValue,
} from './fuzz-kit.js';
import { NOW_MS, pccovidCode } from './identity-arbitraries.js';

const decoder = createPccovidV1Decoder(() => NOW_MS);
const ALPHABET = '0123456789|<*-/ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyz._';
const code = pccovidCode.map(encodePccovidV1Qr);

describe('PC-Covid v1.1 personal QR decoder fuzz', () => {
  const roundTrip = runsFor(0.2);
  it(`reads back every well-formed code, masked or not (${roundTrip} runs)`, () => {
    assertProperty(
      pccovidCode,
      (fields) => {
        const parsed = parsePccovidV1Qr(encodePccovidV1Qr(fields), NOW_MS);
        if (!parsed.ok) throw new Error(`${encodePccovidV1Qr(fields)}: ${parsed.reason.code} ${parsed.reason.detail ?? ''}`);
        const { citizenId, ...read } = parsed.value;
        expect(read).toEqual(fields);
        expect(citizenId).toBe(/^\d{12}$/.test(fields.documentNumber) ? fields.documentNumber : null);
        const result = decodeTotally(decoder, encodePccovidV1Qr(fields));
        expect(result.ok && result.value.subjectIds[0]).toBe(`APP:pccovid-v1:${fields.qid}`);
      },
      roundTrip,
    );
  }, timeoutFor(roundTrip, 80));

  const wrongTypes = runsFor(0.25);
  it(`survives a wrong value in any field, EXT included (${wrongTypes} runs)`, () => {
    assertProperty(
      fc.tuple(code, fc.nat({ max: 5 }), wrongFieldValue),
      ([text, index, value]) => void decodeTotally(decoder, replaceField(text, '|', index, value)),
      wrongTypes,
    );
  }, timeoutFor(wrongTypes, 60));

  itSurvivesDamageAndSize(decoder, code, ALPHABET, 0.3);

  const random = runsFor(0.2);
  it(`survives random text (${random} runs)`, () => {
    const shaped = fc
      .tuple(fc.array(anyText(30), { minLength: 5, maxLength: 5 }), fc.constantFrom('0', '1'))
      .map(([[a = '', b = '', c = '', d = '', e = ''], kind]) => [a, b, c, kind, d, e].join('|'));
    assertProperty(fc.oneof(shaped, anyText(300), textOf(ALPHABET, 0, 300)), (text) => void decodeTotally(decoder, text), random);
  }, timeoutFor(random, 60));
});
