// CCCD QR decoder on bad input: ≥ FUZZ_RUNS cases in all (see fuzz-kit.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeCccdQr, parseCccdQr } from '../../src/common/formats/cccd/cccd-qr.js';
import { createCccdDecoder } from '../../src/main/pipeline/decoders/cccd/cccd-decoder.js';
import {
  anyText,
  assertProperty,
  decodeTotally,
  itSurvivesDamageAndSize,
  replaceAt,
  replaceField,
  runsFor,
  textOf,
  timeoutFor,
  wrongFieldValue,
} from './fuzz-kit.js';
import { cccdCard, NOW_MS } from './identity-arbitraries.js';

const decoder = createCccdDecoder(() => NOW_MS);
const ALPHABET = '0123456789|abcdefghijklmnopqrstuvwxyz ,.-Đđăâêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ';
const code = fc.tuple(cccdCard, fc.constantFrom<7 | 6>(7, 6), fc.boolean()).map(([card, variant, nfd]) => {
  const text = encodeCccdQr(variant === 6 ? { ...card, formerNumber: null } : card, variant);
  return nfd ? text.normalize('NFD') : text;
});

describe('CCCD decoder fuzz', () => {
  const roundTrip = runsFor(0.2);
  it(`reads back every well-formed card, NFC or NFD, 6 or 7 fields (${roundTrip} runs)`, () => {
    assertProperty(
      fc.tuple(cccdCard, fc.boolean(), fc.boolean()),
      ([card, nfd, six]) => {
        const expected = six ? { ...card, formerNumber: null } : card;
        const text = encodeCccdQr(expected, six ? 6 : 7);
        const parsed = parseCccdQr(nfd ? text.normalize('NFD') : text, NOW_MS);
        if (!parsed.ok) throw new Error(`${text}: ${parsed.reason.code} ${parsed.reason.detail ?? ''}`);
        const { province: _province, ...read } = parsed.value;
        expect(read).toEqual(expected);
      },
      roundTrip,
    );
  }, timeoutFor(roundTrip, 60));

  const idDigits = runsFor(0.15);
  it(`never reads a card whose id's province, century, year or sex digit changed to disagree (${idDigits} runs)`, () => {
    assertProperty(
      fc.tuple(cccdCard, fc.nat({ max: 5 }), fc.nat({ max: 9 })),
      ([card, at, digit]) => {
        const id = replaceAt(card.citizenId, at, String(digit));
        if (id === card.citizenId) return;
        const result = decodeTotally(decoder, encodeCccdQr({ ...card, citizenId: id }));
        if (at >= 3) expect(result.ok ? 'ok' : result.reason.code).toBe('citizen_id_invalid');
        else if (result.ok) expect(result.value.subjectIds).toEqual([`VN-ID:${id}`]);
      },
      idDigits,
    );
  }, timeoutFor(idDigits, 60));

  const wrongTypes = runsFor(0.2);
  it(`survives a wrong value in any field (${wrongTypes} runs)`, () => {
    assertProperty(
      fc.tuple(code, fc.nat({ max: 6 }), wrongFieldValue),
      ([text, index, value]) => void decodeTotally(decoder, replaceField(text, '|', index, value)),
      wrongTypes,
    );
  }, timeoutFor(wrongTypes, 60));

  itSurvivesDamageAndSize(decoder, code, ALPHABET, 0.25);

  const random = runsFor(0.15);
  it(`survives random text (${random} runs)`, () => {
    const shaped = fc.tuple(fc.stringMatching(/^\d{12}$/), fc.array(anyText(30), { minLength: 5, maxLength: 6 })).map(([id, rest]) => [id, ...rest].join('|'));
    assertProperty(fc.oneof(shaped, anyText(300), textOf(ALPHABET, 0, 300)), (text) => void decodeTotally(decoder, text), random);
  }, timeoutFor(random, 60));
});
