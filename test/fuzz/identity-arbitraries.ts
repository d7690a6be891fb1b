// Generators of well-formed identity codes with real-looking Vietnamese and foreign people:
// the fuzz suite round-trips them, then damages them.
import fc from 'fast-check';
import { composeCitizenId } from '../../src/common/formats/cccd/citizen-id.js';
import type { CccdQr } from '../../src/common/formats/cccd/cccd-qr.js';
import { PROVINCE_CODES } from '../../src/common/formats/cccd/provinces.js';
import type { MrzFields } from '../../src/common/formats/mrz/mrz-encode.js';
import type { MrzFormat } from '../../src/common/formats/mrz/mrz.js';
import type { PccovidV1Qr } from '../../src/common/formats/pccovid-v1/pccovid-v1-qr.js';
import { mod3736CheckCharacter, type VhdQr } from '../../src/common/formats/vhd/vhd-qr.js';
import { FIXED_NOW_MS } from '../../src/main/pipeline/test-fixtures.js';

export const NOW_MS = FIXED_NOW_MS;

const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Đức', 'Minh', 'Ngọc', 'Thanh', 'Quốc', 'Thu', 'Xuân'];
const GIVEN = ['An', 'Bình', 'Cường', 'Dũng', 'Giang', 'Hà', 'Hải', 'Hương', 'Khánh', 'Linh', 'Mai', 'Nam', 'Ngọc', 'Phương', 'Quân', 'Sơn', 'Thảo', 'Trang', 'Tuấn', 'Yến', 'Ánh', 'Ưng', 'Đạt', 'Nguyệt'];

/** A Vietnamese full name, NFC. */
export const vietnameseName = fc
  .tuple(fc.constantFrom(...SURNAMES), fc.array(fc.constantFrom(...MIDDLE), { minLength: 0, maxLength: 2 }), fc.constantFrom(...GIVEN))
  .map(([surname, middle, given]) => [surname, ...middle, given].join(' ').normalize('NFC'));

/** The same name without diacritics, upper case, as the PC-Covid QR prints it. */
export function asciiUpper(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replaceAll('Đ', 'D')
    .replaceAll('đ', 'd')
    .toUpperCase();
}

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A date of birth between 1900 and yesterday. */
export const birthDate = fc.integer({ min: Date.UTC(1900, 0, 1), max: NOW_MS - 86_400_000 }).map(iso);

const provinceCode = fc.constantFrom(...Object.keys(PROVINCE_CODES));

/** A person with a citizen id that agrees with their birth year and sex. */
export const citizen = fc
  .tuple(vietnameseName, birthDate, fc.constantFrom<'M' | 'F'>('M', 'F'), provinceCode, fc.nat({ max: 999_999 }))
  .map(([name, dateOfBirth, sex, province, serial]) => ({
    name,
    dateOfBirth,
    sex,
    citizenId: composeCitizenId(province, Number(dateOfBirth.slice(0, 4)), sex, serial),
  }));

const ADDRESSES = [
  '12 Lê Lợi, Phường Bến Thành, Quận 1, TP. Hồ Chí Minh',
  'Thôn Đông, Xã Yên Sở, Huyện Hoài Đức, Hà Nội',
  'Số 5 ngõ 42 phố Hàng Bạc, Hoàn Kiếm, Hà Nội',
  'Tổ 3, Phường Thạch Thang, Quận Hải Châu, Đà Nẵng',
  'Ấp Mỹ Hòa, Xã Mỹ Khánh, Huyện Phong Điền, Cần Thơ',
];

export const cccdCard: fc.Arbitrary<Omit<CccdQr, 'province'>> = fc
  .tuple(citizen, fc.option(fc.stringMatching(/^\d{9}$/), { nil: null }), fc.constantFrom(...ADDRESSES), fc.nat({ max: 3650 }))
  .map(([person, formerNumber, address, daysAfter]) => {
    const born = Date.parse(person.dateOfBirth);
    const issued = Math.min(NOW_MS - 86_400_000, Math.max(born, Date.UTC(2016, 0, 1)) + daysAfter * 86_400_000);
    return { ...person, formerNumber, address, issueDate: iso(issued) };
  });

const QID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-';

export const pccovidCode: fc.Arbitrary<Omit<PccovidV1Qr, 'citizenId'>> = fc
  .tuple(
    citizen,
    fc.constantFrom('full', 'masked-number', 'masked-all', 'cmnd'),
    fc.boolean(),
    fc.string({ unit: fc.constantFrom(...Array.from(QID_CHARS)), minLength: 1, maxLength: 64 }),
    fc.boolean(),
  )
  .map(([person, shown, onBehalf, qid, withSex]) => ({
    documentNumber:
      shown === 'cmnd' ? person.citizenId.slice(3) : shown === 'full' ? person.citizenId : `******${person.citizenId.slice(6)}`,
    name: asciiUpper(person.name),
    dateOfBirth: shown === 'masked-all' ? person.dateOfBirth.slice(0, 4) : person.dateOfBirth,
    declaredOnBehalf: onBehalf,
    qid,
    sex: withSex ? person.sex : null,
  }));

const CODE_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export const vhdCode: fc.Arbitrary<Omit<VhdQr, 'citizenId' | 'cmndNumber'> & { idNumber: string }> = fc
  .tuple(citizen, fc.string({ unit: fc.constantFrom(...Array.from(CODE_CHARS)), minLength: 9, maxLength: 9 }), fc.constantFrom('cccd', 'cmnd', 'none'), fc.boolean(), fc.nat({ max: 700 }))
  .map(([person, body, id, withSex, daysAgo]) => ({
    personalCode: body + mod3736CheckCharacter(body),
    idNumber: id === 'cccd' ? person.citizenId : id === 'cmnd' ? person.citizenId.slice(3) : '',
    name: person.name,
    dateOfBirth: person.dateOfBirth,
    sex: withSex ? person.sex : null,
    lastDeclared: iso(NOW_MS - daysAgo * 86_400_000 - 86_400_000),
  }));

const STATES = ['VNM', 'D', 'FRA', 'USA', 'GBR', 'JPN', 'KOR', 'CHN', 'THA', 'SGP', 'AUS', 'CAN', 'LAO', 'KHM'];
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const word = (min: number, max: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...Array.from(LETTERS)), minLength: min, maxLength: max });

function yymmdd(isoDate: string): string {
  return isoDate.slice(2, 4) + isoDate.slice(5, 7) + isoDate.slice(8, 10);
}

/** A document whose lines are well formed in one of the five layouts. */
export const mrzDocument: fc.Arbitrary<{ format: MrzFormat; fields: MrzFields; birth: string; expiry: string }> = fc
  .tuple(
    fc.constantFrom<MrzFormat>('TD1', 'TD2', 'TD3', 'MRV-A', 'MRV-B'),
    fc.constantFrom(...STATES),
    fc.constantFrom(...STATES),
    fc.string({ unit: fc.constantFrom(...Array.from(CODE_CHARS)), minLength: 1, maxLength: 9 }),
    word(1, 10),
    fc.array(word(1, 8), { minLength: 0, maxLength: 2 }),
    // Birth within the last 99 years (two-digit years are unambiguous then), expiry within 49.
    fc.integer({ min: NOW_MS - 98 * 365 * 86_400_000, max: NOW_MS - 86_400_000 }),
    fc.integer({ min: NOW_MS - 20 * 365 * 86_400_000, max: NOW_MS + 40 * 365 * 86_400_000 }),
    fc.constantFrom<'M' | 'F' | '<'>('M', 'F', '<'),
    fc.string({ unit: fc.constantFrom(...Array.from(CODE_CHARS)), minLength: 0, maxLength: 7 }),
  )
  .map(([format, issuingState, nationality, documentNumber, surname, given, born, expires, sex, optional]) => {
    // A TD2 starting "IDFRA" is France's older national card layout, a different document.
    const documentCode = format === 'TD3' ? 'P' : format.startsWith('MRV') ? 'V' : format === 'TD2' && issuingState === 'FRA' ? 'I' : 'ID';
    const birth = iso(born);
    const expiry = iso(expires);
    return {
      format,
      birth,
      expiry,
      fields: {
        documentCode,
        issuingState,
        documentNumber,
        nationality,
        surname,
        givenNames: given.join(' '),
        birthDate: yymmdd(birth),
        sex,
        expiryDate: yymmdd(expiry),
        optional,
      },
    };
  });
