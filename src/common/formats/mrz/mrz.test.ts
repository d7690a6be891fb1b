import { describe, expect, it } from 'vitest';
import { composeCitizenId } from '../cccd/citizen-id.js';
import { encodeMrz, type MrzFields } from './mrz-encode.js';
import { looksLikeMrz, mrzCheckDigit, mrzDisplayName, parseMrz, splitMrzLines, type MrzFormat } from './mrz.js';

const NOW = Date.UTC(2026, 10, 27, 7, 0, 0);

const erika: MrzFields = {
  documentCode: 'P',
  issuingState: 'D',
  documentNumber: 'C01X00T47',
  nationality: 'D',
  surname: 'MUSTERMANN',
  givenNames: 'ERIKA',
  birthDate: '830812',
  sex: 'F',
  expiryDate: '310101',
};

const codeFor: Record<MrzFormat, string> = { TD1: 'ID', TD2: 'ID', TD3: 'P', 'MRV-A': 'V', 'MRV-B': 'V' };
const lines = (format: MrzFormat, fields: Partial<MrzFields> = {}): string[] =>
  encodeMrz(format, { ...erika, documentCode: codeFor[format], ...fields });

/** Replaces one character (line and character, 0-based) of a zone. */
function change(zone: readonly string[], line: number, at: number, to: string): string {
  return zone.map((text, i) => (i === line ? text.slice(0, at) + to + text.slice(at + 1) : text)).join('\n');
}

function reasonOf(text: string): { code: string; detail: string } {
  const parsed = parseMrz(text, NOW);
  return parsed.ok ? { code: 'ok', detail: '' } : { code: parsed.reason.code, detail: parsed.reason.detail ?? '' };
}

describe('MRZ check digit', () => {
  it('follows ICAO 9303 part 3 (weights 7-3-1, A = 10, < = 0)', () => {
    // Doc 9303 part 3 worked examples.
    expect(mrzCheckDigit('520727')).toBe(3);
    expect(mrzCheckDigit('L898902C3')).toBe(6);
    expect(mrzCheckDigit('D23145890')).toBe(7);
    expect(mrzCheckDigit('<<<<<<<<<')).toBe(0);
  });
});

describe('MRZ lines from a document reader', () => {
  const td3 = lines('TD3');
  it.each([
    ['CR LF', td3.join('\r\n')],
    ['LF', td3.join('\n')],
    ['CR', td3.join('\r')],
    ['a trailing CR LF and spaces', `  ${td3.join('\r\n')} \r\n`],
    ['blank lines between', td3.join('\r\n\r\n')],
    ['no separator at all (88 characters)', td3.join('')],
  ])('accepts lines separated by %s', (_name, text) => {
    expect(splitMrzLines(text)).toEqual(td3);
    expect(parseMrz(text, NOW).ok).toBe(true);
  });

  it('splits a 90-character TD1 and a 72-character TD2 sent without breaks', () => {
    expect(splitMrzLines(lines('TD1').join(''))).toEqual(lines('TD1'));
    expect(splitMrzLines(lines('TD2').join(''))).toEqual(lines('TD2'));
  });
});

describe('MRZ formats', () => {
  it.each(['TD1', 'TD2', 'TD3', 'MRV-A', 'MRV-B'] as const)('reads a %s document', (format) => {
    const parsed = parseMrz(lines(format).join('\n'), NOW);
    expect(parsed).toEqual({
      ok: true,
      value: {
        format,
        documentCode: codeFor[format],
        issuingState: 'D',
        documentNumber: 'C01X00T47',
        nationality: 'D',
        surname: 'MUSTERMANN',
        givenNames: 'ERIKA',
        dateOfBirth: '1983-08-12',
        sex: 'F',
        expiryDate: '2031-01-01',
        optionalData: [],
        citizenId: null,
      },
    });
  });

  it('reads the ICAO 9303 TD1 specimen layout with a long document number continued in the optional data', () => {
    // Doc 9303 part 5: document number D23145890734 (12 characters), check digit after it.
    const number = 'D23145890734';
    const zone = [
      `I<SWE${number.slice(0, 9)}<${number.slice(9)}${mrzCheckDigit(number)}<<<<<<<<<<<`.slice(0, 30),
      '',
      'ERIKSSON<<ANNA<MARIA<<<<<<<<<<',
    ];
    const line2 = `7408122F1204159SWE<<<<<<<<<<<`;
    const composite = zone[0]?.slice(5, 30) + line2.slice(0, 7) + line2.slice(8, 15) + line2.slice(18, 29);
    zone[1] = line2 + String(mrzCheckDigit(composite));
    const parsed = parseMrz(zone.join('\n'), NOW);
    expect(parsed.ok && parsed.value).toMatchObject({ documentNumber: number, issuingState: 'SWE', givenNames: 'ANNA MARIA' });
  });

  it('keeps names with several parts and a TD3 personal number', () => {
    const parsed = parseMrz(lines('TD3', { surname: 'VAN DER BERG', givenNames: 'ANNA MARIA', optional: 'ZE184226B' }).join('\n'), NOW);
    expect(parsed.ok && parsed.value).toMatchObject({ surname: 'VAN DER BERG', givenNames: 'ANNA MARIA', optionalData: ['ZE184226B'] });
  });

  it('maps an unspecified sex (<) to X', () => {
    const parsed = parseMrz(lines('TD3', { sex: '<' }).join('\n'), NOW);
    expect(parsed.ok && parsed.value.sex).toBe('X');
  });
});

describe('MRZ two-digit years', () => {
  it.each([
    ['900412', '1990-04-12'],
    ['200101', '2020-01-01'],
    ['261127', '2026-11-27'],
    ['261128', '1926-11-28'],
    ['000229', '2000-02-29'],
    ['5106<<', '1951-06'],
    ['51<<<<', '1951'],
  ])('reads a birth date %s as %s (latest date not in the future)', (birthDate, iso) => {
    const parsed = parseMrz(lines('TD3', { birthDate }).join('\n'), NOW);
    expect(parsed.ok && parsed.value.dateOfBirth).toBe(iso);
  });

  it('reads an unknown year of birth as no date of birth', () => {
    const parsed = parseMrz(lines('TD3', { birthDate: '<<<<<<' }).join('\n'), NOW);
    expect(parsed.ok && parsed.value.dateOfBirth).toBeNull();
  });

  it.each([
    ['300101', '2030-01-01'],
    ['250630', '2025-06-30'],
    ['761231', '2076-12-31'],
    ['771231', '1977-12-31'],
  ])('reads an expiry %s as %s (within 50 years of today)', (expiryDate, iso) => {
    const parsed = parseMrz(lines('TD3', { expiryDate }).join('\n'), NOW);
    expect(parsed.ok && parsed.value.expiryDate).toBe(iso);
  });

  it('refuses a day that does not exist, naming the field', () => {
    expect(reasonOf(lines('TD3', { birthDate: '830231' }).join('\n'))).toEqual({
      code: 'document_fields_invalid',
      detail: 'TD3: date of birth',
    });
    expect(reasonOf(lines('TD3', { expiryDate: '311301' }).join('\n')).detail).toContain('date of expiry');
  });
});

describe('MRZ check digits: each wrong one is named', () => {
  // [format, field, line, position of the check digit]
  const cases: [MrzFormat, string, number, number][] = [
    ['TD1', 'document number', 0, 14],
    ['TD1', 'date of birth', 1, 6],
    ['TD1', 'date of expiry', 1, 14],
    ['TD1', 'composite', 1, 29],
    ['TD2', 'document number', 1, 9],
    ['TD2', 'date of birth', 1, 19],
    ['TD2', 'date of expiry', 1, 27],
    ['TD2', 'composite', 1, 35],
    ['TD3', 'document number', 1, 9],
    ['TD3', 'date of birth', 1, 19],
    ['TD3', 'date of expiry', 1, 27],
    ['TD3', 'personal number', 1, 42],
    ['TD3', 'composite', 1, 43],
    ['MRV-A', 'document number', 1, 9],
    ['MRV-A', 'date of birth', 1, 19],
    ['MRV-A', 'date of expiry', 1, 27],
    ['MRV-B', 'document number', 1, 9],
    ['MRV-B', 'date of birth', 1, 19],
    ['MRV-B', 'date of expiry', 1, 27],
  ];
  it.each(cases)('%s: a wrong %s check digit', (format, field, line, at) => {
    const zone = lines(format, format === 'TD3' ? { optional: 'ZE184226B' } : {});
    const digit = zone[line]?.charAt(at) ?? '0';
    const wrong = String((Number(digit) + 1) % 10);
    const reason = reasonOf(change(zone, line, at, wrong));
    expect(reason.code).toBe('check_digit_invalid');
    expect(reason.detail).toContain(`${field}`);
    expect(reason.detail).toContain(`line ${line + 1}, character ${at + 1}`);
  });

  it('names every wrong check digit at once when a field was misread', () => {
    const zone = lines('TD3');
    // One misread digit of the birth date breaks its own check digit and the composite.
    const reason = reasonOf(change(zone, 1, 14, zone[1]?.charAt(14) === '3' ? '4' : '3'));
    expect(reason.code).toBe('check_digit_invalid');
    expect(reason.detail).toMatch(/date of birth .*composite/);
  });

  it('catches a changed digit in the document number, date of birth or expiry of every format', () => {
    for (const format of ['TD1', 'TD2', 'TD3', 'MRV-A', 'MRV-B'] as const) {
      const zone = lines(format, { documentNumber: '123456789' });
      const numberLine = format === 'TD1' ? 0 : 1;
      const numberStart = format === 'TD1' ? 5 : 0;
      for (let i = 0; i < 9; i++) {
        const at = numberStart + i;
        const changed = String((Number(zone[numberLine]?.charAt(at)) + 3) % 10);
        expect(reasonOf(change(zone, numberLine, at, changed)).code, `${format} character ${at}`).toBe('check_digit_invalid');
      }
    }
  });
});

describe('MRZ fields that cannot be read', () => {
  it.each([
    ['an unknown issuing state', (z: string[]) => change(z, 0, 2, 'Q'), 'issuing state'],
    ['a sex other than M, F or <', (z: string[]) => change(z, 1, 20, 'Z'), 'sex'],
    ['digits in the name', (z: string[]) => change(z, 0, 7, '7'), 'surname'],
    ['a passport whose code is not P', (z: string[]) => change(z, 0, 0, 'X'), 'TD3'],
  ])('refuses %s, naming it', (_name, mutate, named) => {
    const reason = reasonOf(mutate(lines('TD3')));
    expect(reason.code).toBe('document_fields_invalid');
    expect(reason.detail).toContain(named);
  });

  it.each([
    ['one line only', lines('TD3')[0] ?? ''],
    ['lines of different lengths', `${lines('TD3')[0]}\n${lines('TD2')[1]}`],
    ['a lower-case line', lines('TD3').join('\n').toLowerCase().replace('p<d', 'P<D')],
    ['lines of 40 characters', 'P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<\nC01X00T478D<<8308126F3101012<<<<<<<<<<<<'],
  ])('refuses %s as unreadable', (_name, text) => {
    expect(reasonOf(text).code).toBe('document_unreadable');
  });

  it('refuses an oversized input before reading it', () => {
    expect(reasonOf(`${lines('TD3').join('\n')}\n${'<'.repeat(300)}`).code).toBe('input_too_long');
  });
});

describe('MRZ for Vietnamese documents', () => {
  const citizenId = composeCitizenId('079', 1990, 'M', 1234);

  it('adds the citizen id a Vietnamese passport carries as its personal number', () => {
    const zone = lines('TD3', {
      issuingState: 'VNM',
      nationality: 'VNM',
      documentNumber: 'C1234567',
      surname: 'NGUYEN',
      givenNames: 'VAN AN',
      birthDate: '900412',
      sex: 'M',
      optional: citizenId,
    });
    const parsed = parseMrz(zone.join('\r\n'), NOW);
    expect(parsed.ok && parsed.value).toMatchObject({ documentNumber: 'C1234567', citizenId });
    expect(parsed.ok && mrzDisplayName(parsed.value)).toBe('NGUYEN VAN AN');
  });

  it('adds the citizen id of a chip CCCD (TD1, id in the line 1 optional data)', () => {
    const zone = lines('TD1', {
      documentCode: 'ID',
      issuingState: 'VNM',
      nationality: 'VNM',
      documentNumber: citizenId.slice(3),
      surname: 'NGUYEN',
      givenNames: 'VAN AN',
      birthDate: '900412',
      sex: 'M',
      optional: citizenId,
    });
    const parsed = parseMrz(zone.join('\n'), NOW);
    expect(parsed.ok && parsed.value.citizenId).toBe(citizenId);
  });

  it('ignores optional data that does not fit the holder, without refusing the passport', () => {
    const zone = lines('TD3', { issuingState: 'VNM', nationality: 'VNM', birthDate: '850101', sex: 'M', optional: citizenId });
    const parsed = parseMrz(zone.join('\n'), NOW);
    expect(parsed.ok && parsed.value.citizenId).toBeNull();
  });

  it('puts given names first for other nationalities', () => {
    expect(mrzDisplayName({ surname: 'MUSTERMANN', givenNames: 'ERIKA', nationality: 'D', issuingState: 'D' })).toBe('ERIKA MUSTERMANN');
    expect(mrzDisplayName({ surname: 'MADONNA', givenNames: '', nationality: 'USA', issuingState: 'USA' })).toBe('MADONNA');
  });
});

describe('looksLikeMrz', () => {
  it('claims MRZ text and nothing the other decoders own', () => {
    expect(looksLikeMrz(lines('TD3').join('\r\n'))).toBe(true);
    expect(looksLikeMrz(lines('TD1').join('\n'))).toBe(true);
    expect(looksLikeMrz('PC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH-R6IOO6+IDOEZ')).toBe(false);
    expect(looksLikeMrz('079190001234|025123456|Nguyễn Văn An|12041990|Nam|Hà Nội|10072021')).toBe(false);
    expect(looksLikeMrz('hello')).toBe(false);
  });
});
