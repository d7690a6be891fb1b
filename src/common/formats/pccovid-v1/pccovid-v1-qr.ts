// The personal QR code of PC-Covid v1.1 and of the apps that adopted the same national
// layout (Sổ sức khỏe điện tử, VNeID, local apps) in 2021. Layout in README.md beside this file.
// Unsigned: identity only.
import { checkCitizenId } from '../cccd/citizen-id.js';
import { FieldProblems } from '../field-problems.js';
import { isoDate, isPlausibleBirthDate, normaliseName, normaliseText } from '../identity-text.js';
import { stageFail, stageOk, type StageResult } from '../../types/result.js';

/** The app name in this code's canonical subject id, `APP:pccovid-v1:<QID>`. */
export const PCCOVID_V1_APP = 'pccovid-v1';
export const PCCOVID_V1_MAX_LENGTH = 1024;

export interface PccovidV1Qr {
  /** SoGiayTo as printed: CMND, CCCD or passport number, maybe with its first six characters masked. */
  documentNumber: string;
  /** The 12-digit citizen id when SoGiayTo is one, unmasked, and agrees with the holder. */
  citizenId: string | null;
  name: string;
  /** ISO date, or "YYYY" when the app masked the day and month. */
  dateOfBirth: string;
  /** LoaiDinhDanh 1: someone else declared for this person. */
  declaredOnBehalf: boolean;
  qid: string;
  sex: 'M' | 'F' | null;
}

const DOCUMENT_NUMBER = /^[0-9A-Z*]{6,20}$/;
const QID = /^[A-Za-z0-9._-]{1,64}$/;
const FULL_DATE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/;
const MASKED_DATE = /^(\d{4})[-/]\*{1,2}[-/]\*{1,2}$/;
const MAX_EXT = 512;

/** Shape check for the decoder registry: six fields, the fourth being LoaiDinhDanh (0 or 1). */
export function looksLikePccovidV1(text: string): boolean {
  const fields = text.split('|', 7);
  return fields.length === 6 && (fields[3] === '0' || fields[3] === '1');
}

function parseDateOfBirth(text: string, nowMs: number): string | null {
  const masked = MASKED_DATE.exec(text);
  if (masked !== null) {
    const year = masked[1] ?? '';
    return isPlausibleBirthDate(`${year}-01-01`, nowMs) ? year : null;
  }
  const full = FULL_DATE.exec(text);
  if (full === null) return null;
  const iso = isoDate(Number(full[1]), Number(full[2]), Number(full[3]));
  return iso !== null && isPlausibleBirthDate(iso, nowMs) ? iso : null;
}

/** EXT's first item is the sex: 0 not given, 1 male, 2 female. The rest is not kept. */
function parseExtSex(ext: string): 'M' | 'F' | null | undefined {
  const first = ext.split('<', 1)[0] ?? '';
  switch (first) {
    case '':
    case '0':
      return null;
    case '1':
      return 'M';
    case '2':
      return 'F';
    default:
      return undefined;
  }
}

export function parsePccovidV1Qr(text: string, nowMs: number): StageResult<PccovidV1Qr> {
  if (text.length > PCCOVID_V1_MAX_LENGTH) {
    return stageFail({ code: 'input_too_long', detail: `${text.length} characters; a personal QR has at most ${PCCOVID_V1_MAX_LENGTH}` });
  }
  const fields = text.split('|');
  if (fields.length !== 6) {
    return stageFail({ code: 'document_unreadable', detail: `${fields.length} fields; the personal QR has 6` });
  }
  const [numberText = '', nameText = '', dobText = '', kindText = '', qidText = '', extText = ''] = fields;
  const problems = new FieldProblems();
  const documentNumber = numberText.trim().toUpperCase();
  if (!DOCUMENT_NUMBER.test(documentNumber)) problems.add('SoGiayTo', 'not a document number');
  const name = normaliseName(nameText);
  if (name === null) problems.add('HoTen', 'missing or not a name');
  const dateOfBirth = parseDateOfBirth(dobText.trim(), nowMs);
  if (dateOfBirth === null) problems.add('NgaySinh', `"${dobText.slice(0, 12)}" is not a date of birth (YYYY-MM-DD)`);
  if (kindText !== '0' && kindText !== '1') problems.add('LoaiDinhDanh', 'neither 0 nor 1');
  const qid = qidText.trim();
  if (!QID.test(qid)) problems.add('QID', 'missing or holds characters a QID never has');
  const ext = normaliseText(extText, MAX_EXT);
  const sex = ext === null ? undefined : parseExtSex(ext);
  if (sex === undefined) problems.add('EXT', 'the sex item is not 0, 1 or 2, or the field holds control characters');
  if (!problems.empty || name === null || dateOfBirth === null || sex === undefined) return problems.fail();

  let citizenId: string | null = null;
  if (/^\d{12}$/.test(documentNumber)) {
    const facts = checkCitizenId(documentNumber, { dateOfBirth, ...(sex === null ? {} : { sex }) });
    if (!facts.ok) return facts;
    citizenId = documentNumber;
  }
  return stageOk({ documentNumber, citizenId, name, dateOfBirth, declaredOnBehalf: kindText === '1', qid, sex });
}

/** The code as the app shows it (sex in EXT, nothing else): for tests, samples and the fuzz suite. */
export function encodePccovidV1Qr(code: Omit<PccovidV1Qr, 'citizenId'>): string {
  const sex = code.sex === 'M' ? '1' : code.sex === 'F' ? '2' : '0';
  const dateOfBirth = code.dateOfBirth.length === 4 ? `${code.dateOfBirth}-**-**` : code.dateOfBirth;
  return [code.documentNumber, code.name, dateOfBirth, code.declaredOnBehalf ? '1' : '0', code.qid, sex].join('|');
}
