// ICAO Doc 9303 machine-readable zones as document readers send them: TD1 (ID cards, 3 x 30),
// TD2 (2 x 36), TD3 (passports, 2 x 44) through the `mrz` package, and the machine-readable
// visas MRV-A (2 x 44) and MRV-B (2 x 36), which the package does not read, here. Every check
// digit is verified and each wrong one is named. Layout and rules in README.md beside this file.
import { parse as parseWithLibrary, states, type Details, type ParseResult } from 'mrz';
import { checkCitizenId } from '../cccd/citizen-id.js';
import { isoDate } from '../identity-text.js';
import type { ReasonCode } from '../../types/reasons.js';
import { stageFail, stageOk, type StageResult } from '../../types/result.js';

export type MrzFormat = 'TD1' | 'TD2' | 'TD3' | 'MRV-A' | 'MRV-B';

export interface MrzDocument {
  format: MrzFormat;
  /** "P", "PN", "I", "ID", "AC", "V", ...: fillers removed. */
  documentCode: string;
  issuingState: string;
  documentNumber: string;
  nationality: string;
  /** Primary identifier, fillers turned to spaces. */
  surname: string;
  /** Secondary identifier; empty when the document has none. */
  givenNames: string;
  /** ISO date; "YYYY-MM" or "YYYY" when the MRZ marks the day or month unknown; null if the year is. */
  dateOfBirth: string | null;
  sex: 'M' | 'F' | 'X';
  expiryDate: string;
  /** Optional data fields (personal number ...), fillers removed; empty strings left out. */
  optionalData: string[];
  /** The 12-digit citizen id a Vietnamese passport or ID card carries in its optional data. */
  citizenId: string | null;
}

/** Longest text a reader sends for one MRZ (3 x 30 or 2 x 44, line breaks, slack). */
export const MRZ_MAX_LENGTH = 200;

const LINE = /^[A-Z0-9<]+$/;
const SHAPES: Record<string, readonly [number, number]> = {
  TD1: [3, 30],
  TD2: [2, 36],
  TD3: [2, 44],
};

/** ICAO 9303 part 3 §4.9: weights 7, 3, 1; digits 0-9, A-Z 10-35, filler 0. */
export function mrzCheckDigit(text: string): number {
  const weights = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const value = code >= 48 && code <= 57 ? code - 48 : code >= 65 && code <= 90 ? code - 55 : 0;
    sum += value * (weights[i % 3] ?? 1);
  }
  return sum % 10;
}

/**
 * The MRZ lines of a reader's text: CR, LF or CRLF between lines (blank lines and spaces
 * around lines ignored), or one run of 90, 72 or 88 characters when the reader sent no breaks.
 */
export function splitMrzLines(text: string): string[] {
  const lines = text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const [only] = lines;
  if (lines.length === 1 && only !== undefined) {
    const width = only.length === 90 ? 30 : only.length === 72 ? 36 : only.length === 88 ? 44 : 0;
    if (width > 0) {
      const split: string[] = [];
      for (let i = 0; i < only.length; i += width) split.push(only.slice(i, i + width));
      return split;
    }
  }
  return lines;
}

/** Shape check for the decoder registry: MRZ characters only, a document code first, fillers. */
export function looksLikeMrz(text: string): boolean {
  if (text.length < 30 || text.length > MRZ_MAX_LENGTH) return false;
  return /^[ACIPV][A-Z0-9<]/.test(text) && /^[A-Z0-9<\r\n ]+$/.test(text) && text.includes('<<');
}

function fail<T>(code: ReasonCode, detail: string): StageResult<T> {
  return stageFail({ code, detail });
}

const clean = (raw: string): string => raw.replace(/<+$/, '').replaceAll('<', ' ').trim();

function isState(code: string): boolean {
  return /^[A-Z]{1,3}$/.test(code) && Object.hasOwn(states, code);
}

/** 2-digit years: a birth date is the latest one not in the future. */
function resolveBirthDate(raw: string, nowMs: number): string | null | undefined {
  if (!/^[0-9<]{6}$/.test(raw)) return undefined;
  const yy = raw.slice(0, 2);
  const mm = raw.slice(2, 4);
  const dd = raw.slice(4, 6);
  if (!/^\d\d$/.test(yy)) return yy === '<<' ? null : undefined;
  const nowYear = new Date(nowMs).getUTCFullYear();
  const knownMonth = /^\d\d$/.test(mm);
  const knownDay = /^\d\d$/.test(dd);
  if ((!knownMonth && mm !== '<<') || (!knownDay && dd !== '<<') || (!knownMonth && knownDay)) return undefined;
  const month = knownMonth ? Number(mm) : 1;
  const day = knownDay ? Number(dd) : 1;
  let year = nowYear - (nowYear % 100) + Number(yy);
  if (Date.UTC(year, month - 1, day) > nowMs) year -= 100;
  const iso = isoDate(year, month, day);
  if (iso === null) return undefined;
  return knownDay ? iso : knownMonth ? iso.slice(0, 7) : iso.slice(0, 4);
}

/** 2-digit years: an expiry date is the one within 50 years either side of today. */
function resolveExpiryDate(raw: string, nowMs: number): string | undefined {
  if (!/^\d{6}$/.test(raw)) return undefined;
  const nowYear = new Date(nowMs).getUTCFullYear();
  let year = nowYear - (nowYear % 100) + Number(raw.slice(0, 2));
  if (year > nowYear + 50) year -= 100;
  else if (year < nowYear - 50) year += 100;
  return isoDate(year, Number(raw.slice(2, 4)), Number(raw.slice(4, 6))) ?? undefined;
}

const FIELD_LABELS: Record<string, string> = {
  documentCode: 'document code',
  issuingState: 'issuing state',
  documentNumber: 'document number',
  documentNumberCheckDigit: 'document number',
  birthDate: 'date of birth',
  birthDateCheckDigit: 'date of birth',
  sex: 'sex',
  expirationDate: 'date of expiry',
  expirationDateCheckDigit: 'date of expiry',
  nationality: 'nationality',
  lastName: 'surname',
  firstName: 'given names',
  optional: 'optional data',
  optional1: 'optional data (line 1)',
  optional2: 'optional data (line 2)',
  personalNumber: 'personal number',
  personalNumberCheckDigit: 'personal number',
  compositeCheckDigit: 'composite (whole zone)',
};

function where(line: number, start: number): string {
  return `line ${line + 1}, character ${start + 1}`;
}

interface RawFields {
  format: MrzFormat;
  documentCode: string;
  issuingState: string;
  documentNumber: string;
  nationality: string;
  names: string;
  birthDate: string;
  sex: string;
  expiryDate: string;
  optionalData: string[];
  /** Check digits that did not match, as "field (line l, character c)". */
  badCheckDigits: string[];
  /** Fields the layout rules reject, as "field (line l, character c)". */
  badFields: string[];
}

function fromLibrary(result: ParseResult, format: MrzFormat, lines: readonly string[]): RawFields {
  const raw = (detail: Details | undefined): string => {
    const range = detail?.ranges[0];
    return range === undefined ? '' : (lines[range.line] ?? '').slice(range.start, range.end);
  };
  const byField = new Map<string, Details>();
  const badCheckDigits: string[] = [];
  const badFields: string[] = [];
  for (const detail of result.details) {
    if (detail.field === null) continue;
    byField.set(detail.field, detail);
    if (detail.valid) continue;
    const label = `${FIELD_LABELS[detail.field] ?? detail.field} (${where(detail.line, detail.start)})`;
    if (detail.field.endsWith('CheckDigit')) badCheckDigits.push(label);
    else badFields.push(label);
  }
  const optionalFields = ['optional1', 'optional2', 'optional', 'personalNumber'];
  return {
    format,
    documentCode: clean(raw(byField.get('documentCode'))),
    issuingState: clean(raw(byField.get('issuingState'))),
    documentNumber: (result.fields.documentNumber ?? '').replace(/[<\s]/g, ''),
    nationality: clean(raw(byField.get('nationality'))),
    names: raw(byField.get('lastName')),
    birthDate: raw(byField.get('birthDate')),
    sex: raw(byField.get('sex')),
    expiryDate: raw(byField.get('expirationDate')),
    optionalData: optionalFields.map((field) => clean(raw(byField.get(field)))).filter((value) => value !== ''),
    badCheckDigits,
    badFields,
  };
}

/** MRV-A (2 x 44) and MRV-B (2 x 36), ICAO 9303 part 7: no composite check digit. */
function readVisa(lines: readonly [string, string], format: 'MRV-A' | 'MRV-B'): RawFields {
  const [first, second] = lines;
  const badCheckDigits: string[] = [];
  const badFields: string[] = [];
  const checked = (value: string, digitAt: number, label: string): void => {
    const digit = second.charAt(digitAt);
    if (!/^\d$/.test(digit) || Number(digit) !== mrzCheckDigit(value)) badCheckDigits.push(`${label} (${where(1, digitAt)})`);
  };
  const documentCode = first.slice(0, 2);
  if (!/^V[A-Z<]$/.test(documentCode)) badFields.push(`document code (${where(0, 0)})`);
  checked(second.slice(0, 9), 9, 'document number');
  checked(second.slice(13, 19), 19, 'date of birth');
  checked(second.slice(21, 27), 27, 'date of expiry');
  return {
    format,
    documentCode: clean(documentCode),
    issuingState: clean(first.slice(2, 5)),
    documentNumber: second.slice(0, 9).replace(/</g, ''),
    nationality: clean(second.slice(10, 13)),
    names: first.slice(5),
    birthDate: second.slice(13, 19),
    sex: second.charAt(20),
    expiryDate: second.slice(21, 27),
    optionalData: [clean(second.slice(28))].filter((value) => value !== ''),
    badCheckDigits,
    badFields,
  };
}

function readRaw(lines: readonly string[]): StageResult<RawFields> {
  const [first = '', second = ''] = lines;
  const shape = `${lines.length} line${lines.length === 1 ? '' : 's'} of ${lines.map((line) => line.length).join(', ')} characters`;
  const width = first.length;
  if (!lines.every((line) => line.length === width)) {
    return fail('document_unreadable', `${shape}; every line of an MRZ has the same length`);
  }
  if (lines.length === 2 && first.startsWith('V') && (width === 44 || width === 36)) {
    return stageOk(readVisa([first, second], width === 44 ? 'MRV-A' : 'MRV-B'));
  }
  const format = (Object.keys(SHAPES) as MrzFormat[]).find((name) => {
    const expected = SHAPES[name];
    return expected !== undefined && expected[0] === lines.length && expected[1] === width;
  });
  if (format === undefined) {
    return fail('document_unreadable', `${shape}; expected 3 x 30 (TD1), 2 x 36 (TD2, MRV-B) or 2 x 44 (TD3, MRV-A)`);
  }
  let result: ParseResult;
  try {
    result = parseWithLibrary([...lines]);
  } catch (error) {
    // The package throws on a layout it does not know (a TD3 whose code is not P, for one).
    const message = error instanceof Error ? error.message : String(error);
    return fail('document_fields_invalid', `${format}: ${message.slice(0, 160)}`);
  }
  if (result.format !== format) return fail('unknown_format', `a ${result.format} zone, not a travel document`);
  return stageOk(fromLibrary(result, format, lines));
}

/** Names: "SURNAME<<GIVEN<NAMES" -> ["SURNAME", "GIVEN NAMES"]. */
function splitNames(raw: string): { surname: string; givenNames: string } | null {
  if (!/^[A-Z<]+$/.test(raw)) return null;
  const separator = raw.indexOf('<<');
  const surname = clean(separator === -1 ? raw : raw.slice(0, separator));
  const givenNames = separator === -1 ? '' : clean(raw.slice(separator + 2)).replace(/ {2,}/g, ' ');
  if (surname === '') return null;
  return { surname, givenNames };
}

function vietnameseCitizenId(document: Omit<MrzDocument, 'citizenId'>): string | null {
  if (document.issuingState !== 'VNM') return null;
  for (const data of document.optionalData) {
    const candidate = /^\d{12}/.exec(data.replaceAll(' ', ''))?.[0];
    if (candidate === undefined) continue;
    const sex = document.sex === 'X' ? {} : { sex: document.sex };
    const facts = checkCitizenId(candidate, { dateOfBirth: document.dateOfBirth, ...sex });
    if (facts.ok) return candidate;
  }
  return null;
}

/** Reads an MRZ as a reader sends it; every check digit and field is checked against ICAO 9303. */
export function parseMrz(text: string, nowMs: number): StageResult<MrzDocument> {
  if (text.length > MRZ_MAX_LENGTH) {
    return fail('input_too_long', `${text.length} characters; an MRZ has at most ${MRZ_MAX_LENGTH}`);
  }
  const lines = splitMrzLines(text);
  const badLine = lines.findIndex((line) => !LINE.test(line));
  if (badLine >= 0) {
    return fail('document_unreadable', `line ${badLine + 1} holds characters other than A-Z, 0-9 and <`);
  }
  const read = readRaw(lines);
  if (!read.ok) return read;
  const raw = read.value;
  const problems = [...raw.badFields];
  const names = splitNames(raw.names);
  if (names === null && !problems.some((p) => p.startsWith('surname') || p.startsWith('given'))) problems.push('names');
  const dateOfBirth = resolveBirthDate(raw.birthDate, nowMs);
  if (dateOfBirth === undefined && !problems.some((p) => p.startsWith('date of birth'))) problems.push('date of birth');
  const expiryDate = resolveExpiryDate(raw.expiryDate, nowMs);
  if (expiryDate === undefined && !problems.some((p) => p.startsWith('date of expiry'))) problems.push('date of expiry');
  const sex = raw.sex === 'M' ? 'M' : raw.sex === 'F' ? 'F' : raw.sex === '<' || raw.sex === 'X' ? 'X' : undefined;
  if (sex === undefined && !problems.some((p) => p.startsWith('sex'))) problems.push('sex');
  for (const [label, state] of [['issuing state', raw.issuingState], ['nationality', raw.nationality]] as const) {
    if (!isState(state) && !problems.some((p) => p.startsWith(label))) problems.push(label);
  }
  if (!/^[A-Z0-9]{1,20}$/.test(raw.documentNumber) && !problems.some((p) => p.startsWith('document number'))) {
    problems.push('document number');
  }
  if (raw.badCheckDigits.length > 0) {
    const also = problems.length > 0 ? `; also unreadable: ${problems.join(', ')}` : '';
    return fail('check_digit_invalid', `check digit wrong for ${raw.badCheckDigits.join(', ')}${also}`);
  }
  if (problems.length > 0 || names === null || dateOfBirth === undefined || expiryDate === undefined || sex === undefined) {
    return fail('document_fields_invalid', `${raw.format}: ${problems.join(', ')}`);
  }
  const document: Omit<MrzDocument, 'citizenId'> = {
    format: raw.format,
    documentCode: raw.documentCode.replaceAll(' ', ''),
    issuingState: raw.issuingState,
    documentNumber: raw.documentNumber,
    nationality: raw.nationality,
    surname: names.surname,
    givenNames: names.givenNames,
    dateOfBirth,
    sex,
    expiryDate,
    optionalData: raw.optionalData,
  };
  return stageOk({ ...document, citizenId: vietnameseCitizenId(document) });
}

/**
 * The name a guard compares with the person: Vietnamese order (surname first, as on the
 * CCCD and the passport's visual zone) for Vietnamese documents, "GIVEN SURNAME" otherwise.
 */
export function mrzDisplayName(document: Pick<MrzDocument, 'surname' | 'givenNames' | 'nationality' | 'issuingState'>): string {
  const { surname, givenNames } = document;
  if (givenNames === '') return surname;
  const vietnamese = document.nationality === 'VNM' || (document.nationality === '' && document.issuingState === 'VNM');
  return vietnamese ? `${surname} ${givenNames}` : `${givenNames} ${surname}`;
}
