import { describe, expect, it } from 'vitest';
import { checkCitizenId, composeCitizenId } from './citizen-id.js';
import { encodeCccdQr, looksLikeCccdQr, parseCccdQr, type CccdQr } from './cccd-qr.js';
import { PROVINCE_CODES, provinceName } from './provinces.js';

const NOW = Date.UTC(2026, 10, 27, 7, 0, 0);

const ngoc: Omit<CccdQr, 'province'> = {
  citizenId: '079190001234',
  formerNumber: '025123456',
  name: 'Trần Thị Bích Ngọc',
  dateOfBirth: '1990-04-12',
  sex: 'F',
  address: '12 Lê Lợi, Phường Bến Thành, Quận 1, TP. Hồ Chí Minh',
  issueDate: '2021-07-10',
};
const ngocQr = '079190001234|025123456|Trần Thị Bích Ngọc|12041990|Nữ|12 Lê Lợi, Phường Bến Thành, Quận 1, TP. Hồ Chí Minh|10072021';

function reasonOf(text: string): { code: string; detail: string } {
  const parsed = parseCccdQr(text, NOW);
  return parsed.ok ? { code: 'ok', detail: '' } : { code: parsed.reason.code, detail: parsed.reason.detail ?? '' };
}

describe('province codes', () => {
  it('lists the 63 provinces of Circular 07/2016/TT-BCA, 001 Hà Nội to 096 Cà Mau', () => {
    const codes = Object.keys(PROVINCE_CODES);
    expect(codes).toHaveLength(63);
    expect(new Set(Object.values(PROVINCE_CODES)).size).toBe(63);
    expect(codes.every((code) => /^0\d\d$/.test(code))).toBe(true);
    expect(provinceName('001')).toBe('Hà Nội');
    expect(provinceName('079')).toBe('Hồ Chí Minh');
    expect(provinceName('096')).toBe('Cà Mau');
    expect(provinceName('003')).toBeUndefined();
    expect(provinceName('toString')).toBeUndefined();
  });
});

describe('citizen id structure', () => {
  it.each([
    ['079190001234', '1990-04-12', 'F', 'Hồ Chí Minh'],
    ['001085012345', '1985-01-01', 'M', 'Hà Nội'],
    ['096205000001', '2005-06-30', 'M', 'Cà Mau'],
    ['048310000001', '2010-06-30', 'F', 'Đà Nẵng'],
  ] as const)('accepts %s for someone born %s, sex %s', (id, dateOfBirth, sex, province) => {
    expect(checkCitizenId(id, { dateOfBirth, sex })).toEqual({
      ok: true,
      value: { provinceCode: id.slice(0, 3), province, sex, birthYear: Number(dateOfBirth.slice(0, 4)) },
    });
  });

  it.each([
    ['a code that is no province', '003190001234', '1990-04-12', 'F', '003 is not a province code'],
    ['a code beyond Cà Mau', '097190001234', '1990-04-12', 'F', 'province'],
    ['the wrong century (2 = born 2000s)', '079290001234', '1990-04-12', 'M', 'born 2090'],
    ['the wrong year', '079191001234', '1990-04-12', 'F', 'born 1991, the document says 1990'],
    ['the wrong sex (1 = female)', '079190001234', '1990-04-12', 'M', 'says female, the document says male'],
    ['the wrong sex (2 = male)', '079205001234', '2005-01-01', 'F', 'says male'],
  ] as const)('refuses %s', (_name, id, dateOfBirth, sex, detail) => {
    const checked = checkCitizenId(id, { dateOfBirth, sex });
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      expect(checked.reason.code).toBe('citizen_id_invalid');
      expect(checked.reason.detail).toContain(detail);
    }
  });

  it('composes ids that check, for every century digit', () => {
    for (const [year, sex, digit] of [[1950, 'M', '0'], [1950, 'F', '1'], [2020, 'M', '2'], [2020, 'F', '3'], [2101, 'F', '5']] as const) {
      const id = composeCitizenId('001', year, sex, 42);
      expect(id.charAt(3)).toBe(digit);
      expect(checkCitizenId(id, { dateOfBirth: `${year}-01-01`, sex }).ok).toBe(true);
    }
  });
});

describe('CCCD QR', () => {
  it('reads a card with every field', () => {
    expect(encodeCccdQr(ngoc)).toBe(ngocQr);
    expect(parseCccdQr(ngocQr, NOW)).toEqual({ ok: true, value: { ...ngoc, province: 'Hồ Chí Minh' } });
  });

  it('reads a card whose old id is empty', () => {
    const parsed = parseCccdQr(ngocQr.replace('|025123456|', '||'), NOW);
    expect(parsed.ok && parsed.value.formerNumber).toBeNull();
  });

  it('reads the six-field variant without the old id', () => {
    const six = encodeCccdQr({ ...ngoc, formerNumber: null }, 6);
    expect(six.split('|')).toHaveLength(6);
    const parsed = parseCccdQr(six, NOW);
    expect(parsed).toEqual({ ok: true, value: { ...ngoc, formerNumber: null, province: 'Hồ Chí Minh' } });
  });

  it('normalises a decomposed (NFD) Vietnamese name and sex to NFC', () => {
    const nfd = ngocQr.normalize('NFD');
    expect(nfd).not.toBe(ngocQr);
    const parsed = parseCccdQr(nfd, NOW);
    expect(parsed.ok && parsed.value.name).toBe('Trần Thị Bích Ngọc'.normalize('NFC'));
    expect(parsed.ok && parsed.value.name.length).toBe(18);
    expect(parsed.ok && parsed.value.sex).toBe('F');
    expect(parsed.ok && parsed.value.address).toBe(ngoc.address);
  });

  it('reads "Nam" and "NỮ" in any case', () => {
    const male = encodeCccdQr({ ...ngoc, citizenId: '001085012345', name: 'Nguyễn Văn Đức', dateOfBirth: '1985-03-02', sex: 'M' });
    expect(parseCccdQr(male.replace('|Nam|', '|NAM|'), NOW).ok).toBe(true);
    expect(parseCccdQr(ngocQr.replace('|Nữ|', '|NỮ|'), NOW).ok).toBe(true);
  });

  it.each([
    ['province', '003190001234', 'citizen_id_invalid', '003 is not a province code'],
    ['century', '079390001234', 'citizen_id_invalid', 'born 2090'],
    ['year', '079189001234', 'citizen_id_invalid', 'born 1989'],
    ['sex', '079090001234', 'citizen_id_invalid', 'says male, the document says female'],
  ])('refuses an id whose %s does not match the card', (_name, id, code, detail) => {
    expect(reasonOf(ngocQr.replace('079190001234', id))).toEqual({ code, detail: expect.stringContaining(detail) as unknown });
  });

  it.each([
    ['an id of 11 digits', ngocQr.replace('079190001234', '07919000123'), 'id'],
    ['an old id of 8 digits', ngocQr.replace('025123456', '02512345'), 'old id'],
    ['an empty name', ngocQr.replace('Trần Thị Bích Ngọc', ''), 'name'],
    ['a name with digits', ngocQr.replace('Trần Thị Bích Ngọc', 'Tr4n Thi'), 'name'],
    ['a name with a control character', ngocQr.replace('Bích', 'Bí\u0007ch'), 'name'],
    ['31 February', ngocQr.replace('12041990', '31021990'), 'date of birth'],
    ['a birth in the future', ngocQr.replace('12041990', '01012030'), 'date of birth'],
    ['a sex that is neither', ngocQr.replace('|Nữ|', '|X|'), 'sex'],
    ['an issue date before the birth', ngocQr.replace('10072021', '10071980'), 'issue date'],
    ['an issue date in the future', ngocQr.replace('10072021', '10072030'), 'issue date'],
    ['an address with a line break', ngocQr.replace('Quận 1,', 'Quận 1,\n'), 'address'],
  ])('refuses %s, naming the field', (_name, text, field) => {
    const reason = reasonOf(text);
    expect(reason.code).toBe('document_fields_invalid');
    expect(reason.detail).toContain(field);
  });

  it('names every bad field at once', () => {
    const reason = reasonOf(ngocQr.replace('12041990', '99999999').replace('|Nữ|', '|?|'));
    expect(reason.detail).toContain('date of birth');
    expect(reason.detail).toContain('sex');
  });

  it.each([
    ['five fields', '079190001234|Trần Thị Bích Ngọc|12041990|Nữ|Hà Nội', 'document_unreadable'],
    ['eight fields', `${ngocQr}|extra`, 'document_unreadable'],
    ['an oversized code', `${ngocQr}${'x'.repeat(2000)}`, 'input_too_long'],
  ])('refuses %s', (_name, text, code) => {
    expect(reasonOf(text).code).toBe(code);
  });

  it('is recognised by its shape, never the PC-Covid personal QR', () => {
    expect(looksLikeCccdQr(ngocQr)).toBe(true);
    expect(looksLikeCccdQr(encodeCccdQr({ ...ngoc, formerNumber: null }, 6))).toBe(true);
    expect(looksLikeCccdQr('079190001234|TRAN THI BICH NGOC|1990-04-12|0|QRQG7F3K2M9A|2')).toBe(false);
    expect(looksLikeCccdQr('79190001234|x|y|z|w|v|u')).toBe(false);
    expect(looksLikeCccdQr('079190001234|a|b')).toBe(false);
  });
});
