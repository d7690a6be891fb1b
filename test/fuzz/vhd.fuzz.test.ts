// VHD1 health-declaration code decoder on bad input: ≥ FUZZ_RUNS cases in all (see fuzz-kit.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeVhdQr, parseVhdQr, VHD_PREFIX } from '../../src/common/formats/vhd/vhd-qr.js';
import { createVhdDecoder } from '../../src/main/pipeline/decoders/vhd/vhd-decoder.js';
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
import { NOW_MS, vhdCode } from './identity-arbitraries.js';

const decoder = createVhdDecoder(() => NOW_MS);
const CODE_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALPHABET = `${CODE_CHARS}|VHD abcđươ`;
const code = vhdCode.map(encodeVhdQr);

describe('VHD1 decoder fuzz', () => {
  const roundTrip = runsFor(0.2);
  it(`reads back every well-formed code (${roundTrip} runs)`, () => {
    assertProperty(
      vhdCode,
      (fields) => {
        const parsed = parseVhdQr(encodeVhdQr(fields), NOW_MS);
        if (!parsed.ok) throw new Error(`${encodeVhdQr(fields)}: ${parsed.reason.code} ${parsed.reason.detail ?? ''}`);
        expect(parsed.value).toMatchObject({
          personalCode: fields.personalCode,
          name: fields.name,
          dateOfBirth: fields.dateOfBirth,
          sex: fields.sex,
          lastDeclared: fields.lastDeclared,
          citizenId: fields.idNumber.length === 12 ? fields.idNumber : null,
          cmndNumber: fields.idNumber.length === 9 ? fields.idNumber : null,
        });
      },
      roundTrip,
    );
  }, timeoutFor(roundTrip, 80));

  const checkCharacter = runsFor(0.15);
  it(`never reads a code whose personal code changed in one character (${checkCharacter} runs)`, () => {
    assertProperty(
      fc.tuple(vhdCode, fc.nat({ max: 9 }), fc.constantFrom(...Array.from(CODE_CHARS))),
      ([fields, at, by]) => {
        const personalCode = replaceAt(fields.personalCode, at, by);
        if (personalCode === fields.personalCode) return;
        const result = decodeTotally(decoder, encodeVhdQr({ ...fields, personalCode }));
        expect(result.ok ? 'ok' : result.reason.code).toBe('check_digit_invalid');
      },
      checkCharacter,
    );
  }, timeoutFor(checkCharacter, 60));

  const wrongTypes = runsFor(0.2);
  it(`survives a wrong value in any field (${wrongTypes} runs)`, () => {
    assertProperty(
      fc.tuple(code, fc.nat({ max: 5 }), wrongFieldValue),
      ([text, index, value]) => void decodeTotally(decoder, VHD_PREFIX + replaceField(text.slice(VHD_PREFIX.length), '|', index, value)),
      wrongTypes,
    );
  }, timeoutFor(wrongTypes, 60));

  itSurvivesDamageAndSize(decoder, code, ALPHABET, 0.25);

  const random = runsFor(0.15);
  it(`survives random text after the prefix (${random} runs)`, () => {
    assertProperty(
      fc.oneof(anyText(300).map((text) => VHD_PREFIX + text), textOf(ALPHABET, 0, 300).map((text) => VHD_PREFIX + text), anyText(300)),
      (text) => void decodeTotally(decoder, text),
      random,
    );
  }, timeoutFor(random, 60));
});
