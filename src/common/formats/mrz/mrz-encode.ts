// Builds machine-readable zones with correct check digits, as a document printer would: for the
// tests, the sample documents and the fuzz suite. The kiosk itself never writes an MRZ.
import { mrzCheckDigit, type MrzFormat } from './mrz.js';

export interface MrzFields {
  /** "P", "ID", "I", "V", ... */
  documentCode: string;
  issuingState: string;
  documentNumber: string;
  nationality: string;
  surname: string;
  givenNames: string;
  /** YYMMDD, "<" allowed for unknown parts. */
  birthDate: string;
  sex: 'M' | 'F' | '<';
  /** YYMMDD. */
  expiryDate: string;
  /** TD1 line 1 optional data, TD2/visa optional data, TD3 personal number. */
  optional?: string;
  /** TD1 line 2 optional data. */
  optional2?: string;
}

const field = (value: string, width: number): string => value.replaceAll(' ', '<').padEnd(width, '<').slice(0, width);
const digit = (value: string): string => String(mrzCheckDigit(value));

function nameField(fields: MrzFields, width: number): string {
  const given = fields.givenNames === '' ? '' : `<<${fields.givenNames}`;
  return field(`${fields.surname}${given}`, width);
}

/** The MRZ lines of a document in the given format; check digits computed. */
export function encodeMrz(format: MrzFormat, fields: MrzFields): string[] {
  const doc9 = field(fields.documentNumber, 9);
  const birth = field(fields.birthDate, 6);
  const expiry = field(fields.expiryDate, 6);
  const header = field(fields.documentCode, 2) + field(fields.issuingState, 3);
  switch (format) {
    case 'TD1': {
      const optional = field(fields.optional ?? '', 15);
      const line1 = header + doc9 + digit(doc9) + optional;
      const optional2 = field(fields.optional2 ?? '', 11);
      const line2Start = birth + digit(birth) + fields.sex + expiry + digit(expiry) + field(fields.nationality, 3) + optional2;
      const composite = line1.slice(5, 30) + line2Start.slice(0, 7) + line2Start.slice(8, 15) + line2Start.slice(18, 29);
      return [line1, line2Start + digit(composite), nameField(fields, 30)];
    }
    case 'TD2':
    case 'TD3': {
      const width = format === 'TD2' ? 36 : 44;
      const line1 = header + nameField(fields, width - 5);
      const start = doc9 + digit(doc9) + field(fields.nationality, 3) + birth + digit(birth) + fields.sex + expiry + digit(expiry);
      const optional =
        format === 'TD2'
          ? field(fields.optional ?? '', 7)
          : field(fields.optional ?? '', 14) + (fields.optional === undefined || fields.optional === '' ? '<' : digit(field(fields.optional, 14)));
      const body = start + optional;
      const composite = body.slice(0, 10) + body.slice(13, 20) + body.slice(21);
      return [line1, body + digit(composite)];
    }
    case 'MRV-A':
    case 'MRV-B': {
      const width = format === 'MRV-A' ? 44 : 36;
      const line1 = header + nameField(fields, width - 5);
      const start = doc9 + digit(doc9) + field(fields.nationality, 3) + birth + digit(birth) + fields.sex + expiry + digit(expiry);
      return [line1, start + field(fields.optional ?? '', width - 28)];
    }
    default: {
      const unreachable: never = format;
      return unreachable;
    }
  }
}
