import { describe, expect, it } from 'vitest';
import { encodePccovidV1Qr, looksLikePccovidV1, parsePccovidV1Qr } from './pccovid-v1-qr.js';

const NOW = Date.UTC(2026, 10, 27, 7, 0, 0);
const full = '079190001234|TRAN THI BICH NGOC|1990-04-12|0|QRQG7F3K2M9A|2<GD4797912345678<0903123456';

function reasonOf(text: string): { code: string; detail: string } {
  const parsed = parsePccovidV1Qr(text, NOW);
  return parsed.ok ? { code: 'ok', detail: '' } : { code: parsed.reason.code, detail: parsed.reason.detail ?? '' };
}

describe('PC-Covid v1.1 personal QR', () => {
  it('reads a code showing the full CCCD number: the citizen id is checked and kept', () => {
    expect(parsePccovidV1Qr(full, NOW)).toEqual({
      ok: true,
      value: {
        documentNumber: '079190001234',
        citizenId: '079190001234',
        name: 'TRAN THI BICH NGOC',
        dateOfBirth: '1990-04-12',
        declaredOnBehalf: false,
        qid: 'QRQG7F3K2M9A',
        sex: 'F',
      },
    });
  });

  it('reads the default masked code: no citizen id, year of birth only, nothing kept of EXT but the sex', () => {
    const parsed = parsePccovidV1Qr('******001234|TRAN THI BICH NGOC|1990-**-**|1|QRQG7F3K2M9A|2<GD4797*******<0903******', NOW);
    expect(parsed).toEqual({
      ok: true,
      value: {
        documentNumber: '******001234',
        citizenId: null,
        name: 'TRAN THI BICH NGOC',
        dateOfBirth: '1990',
        declaredOnBehalf: true,
        qid: 'QRQG7F3K2M9A',
        sex: 'F',
      },
    });
  });

  it('reads a CMND number, a date as YYYY/M/D and an empty EXT', () => {
    const parsed = parsePccovidV1Qr('025123456|NGUYEN VAN C|1989/3/3|0|Q-000123|', NOW);
    expect(parsed.ok && parsed.value).toMatchObject({ citizenId: null, dateOfBirth: '1989-03-03', sex: null });
  });

  it('normalises a name with diacritics, NFD or NFC, to NFC', () => {
    const nfd = full.replace('TRAN THI BICH NGOC', 'Trần Thị Bích Ngọc'.normalize('NFD'));
    const parsed = parsePccovidV1Qr(nfd, NOW);
    expect(parsed.ok && parsed.value.name).toBe('Trần Thị Bích Ngọc'.normalize('NFC'));
  });

  it('round-trips through the encoder', () => {
    const parsed = parsePccovidV1Qr(full, NOW);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsePccovidV1Qr(encodePccovidV1Qr(parsed.value), NOW)).toEqual(parsed);
  });

  it.each([
    ['a province code that does not exist', full.replace('079190001234', '099190001234'), '099 is not a province code'],
    ['a year that does not match', full.replace('1990-04-12', '1991-04-12'), 'the document says 1991'],
    ['a sex that does not match', full.replace('|2<GD', '|1<GD'), 'the document says male'],
  ])('refuses a full citizen id with %s', (_name, text, detail) => {
    expect(reasonOf(text)).toEqual({ code: 'citizen_id_invalid', detail: expect.stringContaining(detail) as unknown });
  });

  it.each([
    ['a document number with spaces', full.replace('079190001234', '0791 90001234'), 'SoGiayTo'],
    ['an empty name', full.replace('TRAN THI BICH NGOC', ''), 'HoTen'],
    ['30 February', full.replace('1990-04-12', '1990-02-30'), 'NgaySinh'],
    ['a birth in the future', full.replace('1990-04-12', '2099-01-01'), 'NgaySinh'],
    ['a QID with a space', full.replace('QRQG7F3K2M9A', 'QRQG 7F3K'), 'QID'],
    ['an empty QID', full.replace('QRQG7F3K2M9A', ''), 'QID'],
    ['a sex item of 7', full.replace('|2<GD', '|7<GD'), 'EXT'],
  ])('refuses %s, naming the field', (_name, text, field) => {
    const reason = reasonOf(text);
    expect(reason.code).toBe('document_fields_invalid');
    expect(reason.detail).toContain(field);
  });

  it('is recognised by six fields whose fourth is 0 or 1', () => {
    expect(looksLikePccovidV1(full)).toBe(true);
    expect(looksLikePccovidV1(full.replace('|0|', '|2|'))).toBe(false);
    expect(looksLikePccovidV1(`${full}|x`)).toBe(false);
    expect(reasonOf(`${full}|x`).code).toBe('document_unreadable');
    expect(reasonOf(full + 'x'.repeat(2000)).code).toBe('input_too_long');
  });
});
