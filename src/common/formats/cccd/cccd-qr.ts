// The QR code on the chip-based citizen ID card (CCCD, Circular 06/2021/TT-BCA). Layout in
// README.md beside this file. Unsigned: it proves nothing by itself, so it gives identity
// only and the status comes from the cache.
import { FieldProblems } from '../field-problems.js';
import {
  DAY_MS,
  isoDateToMs,
  isPlausibleBirthDate,
  normaliseName,
  normaliseText,
  parseDdMmYyyy,
} from '../identity-text.js';
import { stageFail, stageOk, type StageResult } from '../../types/result.js';
import { checkCitizenId } from './citizen-id.js';

/** A real CCCD QR is 150-250 characters; anything far longer is not one. */
export const CCCD_MAX_LENGTH = 1024;
export const CCCD_MAX_ADDRESS = 300;

export interface CccdQr {
  citizenId: string;
  /** The 9-digit CMND (or 12-digit) number the card replaced; null when the card has none. */
  formerNumber: string | null;
  name: string;
  dateOfBirth: string;
  sex: 'M' | 'F';
  address: string;
  issueDate: string;
  province: string;
}

const STARTS_WITH_ID = /^\d{12}\|/;
const FORMER_NUMBER = /^(\d{9}|\d{12})$/;

function pipeCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0x7c) count++;
  return count;
}

/**
 * Shape check for the decoder registry: a 12-digit id, then 6 or 7 fields in all. The 6-field
 * code whose fourth field is "0" or "1" is the PC-Covid v1.1 personal QR, not a card.
 */
export function looksLikeCccdQr(text: string): boolean {
  if (!STARTS_WITH_ID.test(text)) return false;
  // Far too long to be a card: claimed, so that the decoder refuses it as such.
  if (text.length > CCCD_MAX_LENGTH) return true;
  const pipes = pipeCount(text);
  if (pipes === 6) return true;
  if (pipes !== 5) return false;
  const fourth = text.split('|')[3];
  return fourth !== '0' && fourth !== '1';
}

/** "Nam" / "Nữ" as printed, in any case and either Unicode form. */
function parseSex(text: string): 'M' | 'F' | null {
  const sex = text.normalize('NFC').trim().toLowerCase();
  if (sex === 'nam') return 'M';
  if (sex === 'nữ') return 'F';
  return null;
}

export function parseCccdQr(text: string, nowMs: number): StageResult<CccdQr> {
  if (text.length > CCCD_MAX_LENGTH) {
    return stageFail({ code: 'input_too_long', detail: `${text.length} characters; a CCCD QR has at most ${CCCD_MAX_LENGTH}` });
  }
  const fields = text.split('|');
  let parts: [string, string, string, string, string, string, string];
  if (fields.length === 7) {
    const [id = '', former = '', name = '', dob = '', sex = '', address = '', issued = ''] = fields;
    parts = [id, former, name, dob, sex, address, issued];
  } else if (fields.length === 6) {
    const [id = '', name = '', dob = '', sex = '', address = '', issued = ''] = fields;
    parts = [id, '', name, dob, sex, address, issued];
  } else {
    return stageFail({ code: 'document_unreadable', detail: `${fields.length} fields; a CCCD QR has 7 (or 6 without the old id)` });
  }
  const [idText, formerText, nameText, dobText, sexText, addressText, issueText] = parts;
  const problems = new FieldProblems();

  const citizenId = idText.trim();
  if (!/^\d{12}$/.test(citizenId)) problems.add('id', 'not 12 digits');
  const formerTrimmed = formerText.trim();
  if (formerTrimmed !== '' && !FORMER_NUMBER.test(formerTrimmed)) problems.add('old id', 'not 9 or 12 digits');
  const name = normaliseName(nameText);
  if (name === null) problems.add('name', 'missing or not a name');
  const dateOfBirth = parseDdMmYyyy(dobText.trim());
  if (dateOfBirth === null) problems.add('date of birth', `"${dobText.slice(0, 12)}" is not a date (DDMMYYYY)`);
  else if (!isPlausibleBirthDate(dateOfBirth, nowMs)) problems.add('date of birth', `${dateOfBirth} is in the future or too long ago`);
  const sex = parseSex(sexText);
  if (sex === null) problems.add('sex', `"${sexText.slice(0, 12)}" is neither Nam nor Nữ`);
  const address = normaliseText(addressText, CCCD_MAX_ADDRESS);
  if (address === null) problems.add('address', 'too long or holds control characters');
  const issueDate = parseDdMmYyyy(issueText.trim());
  if (issueDate === null) problems.add('issue date', `"${issueText.slice(0, 12)}" is not a date (DDMMYYYY)`);
  else if (isoDateToMs(issueDate) > nowMs + DAY_MS) problems.add('issue date', `${issueDate} is in the future`);
  else if (dateOfBirth !== null && issueDate < dateOfBirth) problems.add('issue date', 'before the date of birth');

  if (!problems.empty || name === null || dateOfBirth === null || sex === null || address === null || issueDate === null) {
    return problems.fail();
  }
  const facts = checkCitizenId(citizenId, { dateOfBirth, sex });
  if (!facts.ok) return facts;
  return stageOk({
    citizenId,
    formerNumber: formerTrimmed === '' ? null : formerTrimmed,
    name,
    dateOfBirth,
    sex,
    address,
    issueDate,
    province: facts.value.province,
  });
}

function ddmmyyyy(iso: string): string {
  return `${iso.slice(8, 10)}${iso.slice(5, 7)}${iso.slice(0, 4)}`;
}

/** The card's QR text, as the card prints it: for tests, samples and the fuzz suite. */
export function encodeCccdQr(card: Omit<CccdQr, 'province'>, variant: 7 | 6 = 7): string {
  const tail = [card.name, ddmmyyyy(card.dateOfBirth), card.sex === 'M' ? 'Nam' : 'Nữ', card.address, ddmmyyyy(card.issueDate)];
  return (variant === 7 ? [card.citizenId, card.formerNumber ?? '', ...tail] : [card.citizenId, ...tail]).join('|');
}
