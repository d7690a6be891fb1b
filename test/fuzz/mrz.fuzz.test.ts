// MRZ decoder on bad input: ≥ FUZZ_RUNS cases in all (see fuzz-kit.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeMrz } from '../../src/common/formats/mrz/mrz-encode.js';
import { parseMrz } from '../../src/common/formats/mrz/mrz.js';
import { createMrzDecoder } from '../../src/main/pipeline/decoders/mrz/mrz-decoder.js';
import { anyText, assertProperty, damaged, decodeTotally, oversized, replaceAt, runsFor, textOf, timeoutFor } from './fuzz-kit.js';
import { mrzDocument, NOW_MS } from './identity-arbitraries.js';

const decoder = createMrzDecoder(() => NOW_MS);
const MRZ_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';
const zone = mrzDocument.map((doc) => ({ ...doc, lines: encodeMrz(doc.format, doc.fields) }));
const zoneText = zone.map((doc) => doc.lines.join('\r\n'));

describe('MRZ decoder fuzz', () => {
  const roundTrip = runsFor(0.2);
  it(`reads back every well-formed document of every layout (${roundTrip} runs)`, () => {
    assertProperty(
      zone,
      (doc) => {
        const parsed = parseMrz(doc.lines.join('\n'), NOW_MS);
        if (!parsed.ok) throw new Error(`${doc.lines.join('/')}: ${parsed.reason.code} ${parsed.reason.detail ?? ''}`);
        const { fields } = doc;
        expect(parsed.value).toMatchObject({
          format: doc.format,
          issuingState: fields.issuingState,
          nationality: fields.nationality,
          documentNumber: fields.documentNumber,
          surname: fields.surname,
          givenNames: fields.givenNames,
          dateOfBirth: doc.birth,
          expiryDate: doc.expiry,
          sex: fields.sex === '<' ? 'X' : fields.sex,
        });
      },
      roundTrip,
    );
  }, timeoutFor(roundTrip, 60));

  const dateChanges = runsFor(0.2);
  it(`never reads a document whose date of birth or expiry, or their check digits, changed (${dateChanges} runs)`, () => {
    assertProperty(
      fc.tuple(zone, fc.nat({ max: 13 }), fc.constantFrom(...Array.from(MRZ_CHARS))),
      ([doc, offset, by]) => {
        const line = 1;
        // TD1 line 2: birth 0-6, expiry 8-14; the others: birth 13-19, expiry 21-27.
        const base = doc.format === 'TD1' ? 0 : 13;
        const at = base + (offset < 7 ? offset : offset + 1);
        const original = doc.lines[line] ?? '';
        if (original.charAt(at) === by) return;
        const lines = doc.lines.map((text, i) => (i === line ? replaceAt(text, at, by) : text));
        const result = decodeTotally(decoder, lines.join('\r\n'), ['check_digit_invalid', 'document_fields_invalid']);
        expect(result.ok).toBe(false);
      },
      dateChanges,
    );
  }, timeoutFor(dateChanges, 60));

  const damage = runsFor(0.3);
  it(`survives damaged zones: cut, bit-flipped, replaced, doubled (${damage} runs)`, () => {
    assertProperty(damaged(zoneText, `${MRZ_CHARS}\r\n`), (text) => void decodeTotally(decoder, text), damage);
  }, timeoutFor(damage, 60));

  const random = runsFor(0.2);
  it(`survives random text: MRZ characters and line breaks, and any code point (${random} runs)`, () => {
    const lines = fc.array(textOf(MRZ_CHARS, 0, 50), { minLength: 1, maxLength: 4 }).map((parts) => parts.join('\n'));
    assertProperty(fc.oneof(lines, anyText(200), textOf(`${MRZ_CHARS}\r\n `, 0, 200)), (text) => void decodeTotally(decoder, text), random);
  }, timeoutFor(random, 40));

  const big = runsFor(0.1);
  it(`refuses oversized input cheaply (${big} runs)`, () => {
    assertProperty(oversized(zoneText), (text) => void decodeTotally(decoder, text, ['input_too_long']), big);
  }, timeoutFor(big, 100));
});
