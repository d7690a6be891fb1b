// The health-declaration code of the replaced declaration apps (VHD / NCOVI / tokhaiyte.vn),
// as this project defines it for their exports: layout in README.md beside this file.
// Unsigned: identity only.
import { checkCitizenId } from '../cccd/citizen-id.js';
import { FieldProblems } from '../field-problems.js';
import { DAY_MS, isoDateToMs, isPlausibleBirthDate, normaliseName, parseYyyyMmDd } from '../identity-text.js';
import { stageFail, stageOk, type StageResult } from '../../types/result.js';

export const VHD_PREFIX = 'VHD1|';
/** The app name in this code's canonical subject id, `APP:vhd:<personal code>`. */
export const VHD_APP = 'vhd';
export const VHD_MAX_LENGTH = 512;

export interface VhdQr {
  /** The person's declaration code, check character included. */
  personalCode: string;
  /** The 12-digit citizen id the person declared with, when it was one and agrees with them. */
  citizenId: string | null;
  /** The 9-digit CMND number the person declared with, when it was one. */
  cmndNumber: string | null;
  name: string;
  dateOfBirth: string;
  sex: 'M' | 'F' | null;
  /** ISO date of the person's last declaration in the old app. */
  lastDeclared: string;
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const PERSONAL_CODE = /^[0-9A-Z]{10}$/;

function charValue(char: string): number {
  return ALPHABET.indexOf(char);
}

/** ISO 7064 MOD 37,36 (hybrid system): the check character over an alphanumeric body. */
export function mod3736CheckCharacter(body: string): string {
  let p = 36;
  for (const char of body) {
    let s = (p + charValue(char)) % 36;
    if (s === 0) s = 36;
    p = (s * 2) % 37;
  }
  return ALPHABET.charAt((37 - p) % 36);
}

/** True when the last character of `code` is the MOD 37,36 check character of the rest. */
export function hasValidCheckCharacter(code: string): boolean {
  return code.length > 1 && mod3736CheckCharacter(code.slice(0, -1)) === code.slice(-1);
}

export function looksLikeVhdQr(text: string): boolean {
  return text.startsWith(VHD_PREFIX);
}

export function parseVhdQr(text: string, nowMs: number): StageResult<VhdQr> {
  if (text.length > VHD_MAX_LENGTH) {
    return stageFail({ code: 'input_too_long', detail: `${text.length} characters; a declaration code has at most ${VHD_MAX_LENGTH}` });
  }
  if (!text.startsWith(VHD_PREFIX)) return stageFail({ code: 'unknown_format', detail: 'no VHD1 prefix' });
  const fields = text.slice(VHD_PREFIX.length).split('|');
  if (fields.length !== 6) {
    return stageFail({ code: 'document_unreadable', detail: `${fields.length} fields after VHD1; a declaration code has 6` });
  }
  const [codeText = '', idText = '', nameText = '', dobText = '', sexText = '', declaredText = ''] = fields;
  const problems = new FieldProblems();
  if (!PERSONAL_CODE.test(codeText)) problems.add('personal code', 'not 10 letters or digits');
  if (idText !== '' && !/^(\d{9}|\d{12})$/.test(idText)) problems.add('id number', 'not 9 or 12 digits');
  const name = normaliseName(nameText);
  if (name === null) problems.add('name', 'missing or not a name');
  const dateOfBirth = parseYyyyMmDd(dobText);
  if (dateOfBirth === null) problems.add('date of birth', `"${dobText.slice(0, 12)}" is not a date (YYYYMMDD)`);
  else if (!isPlausibleBirthDate(dateOfBirth, nowMs)) problems.add('date of birth', `${dateOfBirth} is in the future or too long ago`);
  const sex = sexText === 'M' ? 'M' : sexText === 'F' ? 'F' : sexText === '' ? null : undefined;
  if (sex === undefined) problems.add('sex', 'not M, F or empty');
  const lastDeclared = parseYyyyMmDd(declaredText);
  if (lastDeclared === null) problems.add('declared on', `"${declaredText.slice(0, 12)}" is not a date (YYYYMMDD)`);
  else if (isoDateToMs(lastDeclared) > nowMs + DAY_MS) problems.add('declared on', `${lastDeclared} is in the future`);
  if (!problems.empty || name === null || dateOfBirth === null || sex === undefined || lastDeclared === null) {
    return problems.fail();
  }
  // A misprinted or hand-copied code is caught here rather than resolving to someone else.
  if (!hasValidCheckCharacter(codeText)) {
    return stageFail({ code: 'check_digit_invalid', detail: `personal code: check character ${codeText.slice(-1)} does not match` });
  }
  let citizenId: string | null = null;
  if (idText.length === 12) {
    const facts = checkCitizenId(idText, { dateOfBirth, ...(sex === null ? {} : { sex }) });
    if (!facts.ok) return facts;
    citizenId = idText;
  }
  return stageOk({
    personalCode: codeText,
    citizenId,
    cmndNumber: idText.length === 9 ? idText : null,
    name,
    dateOfBirth,
    sex,
    lastDeclared,
  });
}

const compact = (iso: string): string => iso.replaceAll('-', '');

/** The code as the old app printed it: for tests, samples and the fuzz suite. */
export function encodeVhdQr(code: Omit<VhdQr, 'citizenId' | 'cmndNumber'> & { idNumber: string }): string {
  return (
    VHD_PREFIX +
    [code.personalCode, code.idNumber, code.name, compact(code.dateOfBirth), code.sex ?? '', compact(code.lastDeclared)].join('|')
  );
}
