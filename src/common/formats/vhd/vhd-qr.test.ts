import { describe, expect, it } from 'vitest';
import { encodeVhdQr, hasValidCheckCharacter, looksLikeVhdQr, mod3736CheckCharacter, parseVhdQr } from './vhd-qr.js';

const NOW = Date.UTC(2026, 10, 27, 7, 0, 0);
const CODE_BODY = 'HN7K2M9QA';
const CODE = CODE_BODY + mod3736CheckCharacter(CODE_BODY);
const qr = `VHD1|${CODE}|079190001234|Trần Thị Bích Ngọc|19900412|F|20210915`;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function reasonOf(text: string): { code: string; detail: string } {
  const parsed = parseVhdQr(text, NOW);
  return parsed.ok ? { code: 'ok', detail: '' } : { code: parsed.reason.code, detail: parsed.reason.detail ?? '' };
}

describe('ISO 7064 MOD 37,36 check character', () => {
  it('computes the check character of the standard worked example', () => {
    // ISO 7064 hybrid system, alphanumeric (MOD 37,36): e.g. ISAN and GRid use it.
    expect(hasValidCheckCharacter(`${CODE_BODY}${mod3736CheckCharacter(CODE_BODY)}`)).toBe(true);
    expect(mod3736CheckCharacter('A12425GABC1234002')).toBe('M');
  });

  it('catches every single changed character and every swap of neighbours that changes the code', () => {
    for (let i = 0; i < CODE.length; i++) {
      for (const char of ALPHABET) {
        if (char === CODE.charAt(i)) continue;
        expect(hasValidCheckCharacter(CODE.slice(0, i) + char + CODE.slice(i + 1)), `${i} -> ${char}`).toBe(false);
      }
    }
    for (let i = 0; i + 1 < CODE.length; i++) {
      const swapped = CODE.slice(0, i) + CODE.charAt(i + 1) + CODE.charAt(i) + CODE.slice(i + 2);
      if (swapped !== CODE) expect(hasValidCheckCharacter(swapped), `swap ${i}`).toBe(false);
    }
  });
});

describe('VHD1 health-declaration code', () => {
  it('reads a code with a citizen id', () => {
    expect(parseVhdQr(qr, NOW)).toEqual({
      ok: true,
      value: {
        personalCode: CODE,
        citizenId: '079190001234',
        cmndNumber: null,
        name: 'Trần Thị Bích Ngọc',
        dateOfBirth: '1990-04-12',
        sex: 'F',
        lastDeclared: '2021-09-15',
      },
    });
    expect(encodeVhdQr({ personalCode: CODE, idNumber: '079190001234', name: 'Trần Thị Bích Ngọc', dateOfBirth: '1990-04-12', sex: 'F', lastDeclared: '2021-09-15' })).toBe(qr);
  });

  it('reads a code without an id number, and one with a CMND number', () => {
    const none = parseVhdQr(qr.replace('|079190001234|', '||').replace('|F|', '||'), NOW);
    expect(none.ok && none.value).toMatchObject({ citizenId: null, cmndNumber: null, sex: null });
    const cmnd = parseVhdQr(qr.replace('|079190001234|', '|025123456|'), NOW);
    expect(cmnd.ok && cmnd.value).toMatchObject({ citizenId: null, cmndNumber: '025123456' });
  });

  it('normalises an NFD name to NFC', () => {
    const parsed = parseVhdQr(qr.normalize('NFD'), NOW);
    expect(parsed.ok && parsed.value.name).toBe('Trần Thị Bích Ngọc');
  });

  it('refuses a personal code whose check character does not match', () => {
    const wrong = CODE.slice(0, 3) + (CODE.charAt(3) === 'Z' ? 'Y' : 'Z') + CODE.slice(4);
    expect(reasonOf(qr.replace(CODE, wrong))).toEqual({ code: 'check_digit_invalid', detail: expect.stringContaining('personal code') as unknown });
  });

  it('refuses a citizen id that does not fit the person', () => {
    expect(reasonOf(qr.replace('|F|', '|M|')).code).toBe('citizen_id_invalid');
    expect(reasonOf(qr.replace('079190001234', '000190001234')).code).toBe('citizen_id_invalid');
  });

  it.each([
    ['a short personal code', qr.replace(CODE, 'HN7K'), 'personal code'],
    ['a lower-case personal code', qr.replace(CODE, CODE.toLowerCase()), 'personal code'],
    ['an id of 10 digits', qr.replace('079190001234', '0791900012'), 'id number'],
    ['a name that is a number', qr.replace('Trần Thị Bích Ngọc', '12345'), 'name'],
    ['a date of birth in DD/MM/YYYY', qr.replace('19900412', '12/04/1990'), 'date of birth'],
    ['a sex of "Nữ"', qr.replace('|F|', '|Nữ|'), 'sex'],
    ['a declaration in the future', qr.replace('20210915', '20300101'), 'declared on'],
  ])('refuses %s, naming the field', (_name, text, field) => {
    const reason = reasonOf(text);
    expect(reason.code).toBe('document_fields_invalid');
    expect(reason.detail).toContain(field);
  });

  it('refuses other field counts and oversized codes', () => {
    expect(looksLikeVhdQr(qr)).toBe(true);
    expect(reasonOf(`${qr}|x`).code).toBe('document_unreadable');
    expect(reasonOf(qr.slice(0, 20)).code).toBe('document_unreadable');
    expect(reasonOf(qr + 'x'.repeat(600)).code).toBe('input_too_long');
  });
});
