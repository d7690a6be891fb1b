// The 12-digit personal identification number (số định danh cá nhân) printed on the citizen
// ID card (CCCD) and carried by the earlier apps' codes. Decree 137/2015/ND-CP art. 7 and
// Circular 07/2016/TT-BCA give its structure:
//
//   PPP G YY NNNNNN
//   PPP    province where the birth was registered (provinces.ts)
//   G      century and sex: 0/1 born 1900-1999 male/female, 2/3 2000-2099, 4/5 2100-2199,
//          6/7 2200-2299, 8/9 2300-2399
//   YY     last two digits of the year of birth
//   NNNNNN random
import { stageFail, stageOk, type StageResult } from '../../types/result.js';
import { provinceName } from './provinces.js';

export interface CitizenIdFacts {
  provinceCode: string;
  province: string;
  sex: 'M' | 'F';
  birthYear: number;
}

export interface CitizenIdExpectations {
  /** ISO date of birth, or "YYYY" when only the year is known. */
  dateOfBirth?: string | null;
  sex?: 'M' | 'F' | 'X';
}

const TWELVE_DIGITS = /^\d{12}$/;

export function isTwelveDigits(text: string): boolean {
  return TWELVE_DIGITS.test(text);
}

function fail<T>(detail: string): StageResult<T> {
  return stageFail({ code: 'citizen_id_invalid', detail });
}

/**
 * Reads the structure of a 12-digit citizen id and checks it against what the same document
 * says of the holder: the century digit and the two year digits must give the year of birth,
 * and the century digit's parity the sex.
 */
export function checkCitizenId(id: string, expect: CitizenIdExpectations = {}): StageResult<CitizenIdFacts> {
  if (!TWELVE_DIGITS.test(id)) return fail('the citizen id is not 12 digits');
  const provinceCode = id.slice(0, 3);
  const province = provinceName(provinceCode);
  if (province === undefined) return fail(`${provinceCode} is not a province code`);
  const centuryDigit = Number(id.charAt(3));
  const birthYear = 1900 + Math.floor(centuryDigit / 2) * 100 + Number(id.slice(4, 6));
  const sex = centuryDigit % 2 === 0 ? 'M' : 'F';
  const { dateOfBirth, sex: expectedSex } = expect;
  if (dateOfBirth !== undefined && dateOfBirth !== null) {
    const documentYear = Number(dateOfBirth.slice(0, 4));
    if (documentYear !== birthYear) {
      return fail(`id digits 4-6 say born ${birthYear}, the document says ${documentYear}`);
    }
  }
  if ((expectedSex === 'M' || expectedSex === 'F') && expectedSex !== sex) {
    return fail(`id digit 4 (${centuryDigit}) says ${sex === 'M' ? 'male' : 'female'}, the document says ${expectedSex === 'M' ? 'male' : 'female'}`);
  }
  return stageOk({ provinceCode, province, sex, birthYear });
}

/** Builds a structurally valid id: for tests, samples and the fuzz suite. */
export function composeCitizenId(provinceCode: string, birthYear: number, sex: 'M' | 'F', serial: number): string {
  const century = Math.floor((birthYear - 1900) / 100);
  const centuryDigit = century * 2 + (sex === 'F' ? 1 : 0);
  return `${provinceCode}${centuryDigit}${String(birthYear % 100).padStart(2, '0')}${String(serial).padStart(6, '0')}`;
}
