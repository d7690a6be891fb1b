// The export layouts of the three replaced apps (README.md in this folder), read line by line:
// one record a line, never the whole file in memory. A bad line is reported by number, never by
// its content (it may hold a person's id).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export const IMPORT_APPS = ['bluezone', 'vhd', 'sskdt'] as const;
export type ImportApp = (typeof IMPORT_APPS)[number];

export interface ImportRecord {
  line: number;
  app: ImportApp;
  /** The person's id in the old app; their alias becomes APP:<app>:<recordId>. */
  recordId: string;
  citizenId: string | null;
  passport: { country: string; number: string } | null;
  /** Digits with the country code, "84912345678". */
  phone: string | null;
  name: string | null;
  dateOfBirth: string | null;
  vaccination: { doses: number; lastDoseDate: string | null } | null;
}

export type ParsedLine = { ok: true; record: ImportRecord } | { ok: false; line: number; problem: string };

export const CSV_HEADERS: Record<Exclude<ImportApp, 'sskdt'>, readonly string[]> = {
  bluezone: ['bluezone_id', 'phone', 'citizen_id', 'full_name', 'date_of_birth', 'registered_at'],
  vhd: ['personal_code', 'id_number', 'passport_country', 'passport_number', 'full_name', 'date_of_birth', 'sex', 'last_declared'],
};

/** One CSV line (RFC 4180 quoting, no line breaks inside fields). */
export function splitCsvLine(line: string): string[] | null {
  const fields: string[] = [];
  let at = 0;
  for (;;) {
    if (line[at] === '"') {
      let value = '';
      at += 1;
      for (;;) {
        const quote = line.indexOf('"', at);
        if (quote < 0) return null;
        value += line.slice(at, quote);
        if (line[quote + 1] === '"') {
          value += '"';
          at = quote + 2;
        } else {
          at = quote + 1;
          break;
        }
      }
      fields.push(value);
      if (at === line.length) return fields;
      if (line[at] !== ',') return null;
      at += 1;
    } else {
      const comma = line.indexOf(',', at);
      if (comma < 0) {
        fields.push(line.slice(at));
        return fields;
      }
      fields.push(line.slice(at, comma));
      at = comma + 1;
    }
  }
}

const ID_CHARS = /^[A-Za-z0-9._-]{1,64}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function date(value: string | undefined): string | null | undefined {
  if (value === undefined || value === '') return null;
  const iso = /^\d{8}$/.test(value) ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6)}` : value;
  return DATE.test(iso) && !Number.isNaN(Date.parse(`${iso}T00:00:00Z`)) ? iso : undefined;
}

function phoneOf(value: string | undefined): string | null | undefined {
  if (value === undefined || value === '') return null;
  const digits = value.replace(/[\s.-]/g, '');
  if (/^0\d{9}$/.test(digits)) return `84${digits.slice(1)}`;
  if (/^\+?84\d{9}$/.test(digits)) return digits.replace(/^\+/, '');
  return undefined;
}

function citizenOf(value: string | undefined): string | null | undefined {
  if (value === undefined || value === '') return null;
  if (/^\d{12}$/.test(value)) return value;
  // A 9-digit CMND is kept by the old app but is no canonical id: it does not match anyone.
  if (/^\d{9}$/.test(value)) return null;
  return undefined;
}

function nameOf(value: string | undefined): string | null {
  const name = (value ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();
  return name === '' ? null : name;
}

function bad(line: number, problem: string): ParsedLine {
  return { ok: false, line, problem };
}

function fromCsv(app: Exclude<ImportApp, 'sskdt'>, fields: string[], line: number): ParsedLine {
  const get = (name: string): string | undefined => fields[CSV_HEADERS[app].indexOf(name)]?.trim();
  const recordId = get(app === 'bluezone' ? 'bluezone_id' : 'personal_code') ?? '';
  if (!ID_CHARS.test(recordId)) return bad(line, 'the record id is missing or has characters other than A-Z, 0-9, ".", "_", "-"');
  const citizenId = citizenOf(get(app === 'bluezone' ? 'citizen_id' : 'id_number'));
  if (citizenId === undefined) return bad(line, 'the citizen id is not 9 or 12 digits');
  const dateOfBirth = date(get('date_of_birth'));
  if (dateOfBirth === undefined) return bad(line, 'date_of_birth is not a date YYYY-MM-DD or YYYYMMDD');
  let phone: string | null | undefined = null;
  let passport: ImportRecord['passport'] = null;
  if (app === 'bluezone') {
    phone = phoneOf(get('phone'));
    if (phone === undefined) return bad(line, 'phone is not a Vietnamese mobile number');
  } else {
    const country = (get('passport_country') ?? '').toUpperCase();
    const number = (get('passport_number') ?? '').toUpperCase();
    if (number !== '') {
      if (!/^[A-Z]{1,3}$/.test(country) || !/^[A-Z0-9]{1,20}$/.test(number)) return bad(line, 'the passport country or number is malformed');
      passport = { country, number };
    }
  }
  return { ok: true, record: { line, app, recordId, citizenId, passport, phone, name: nameOf(get('full_name')), dateOfBirth, vaccination: null } };
}

function fromJson(json: unknown, line: number): ParsedLine {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return bad(line, 'not a JSON object');
  const o = json as Record<string, unknown>;
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : v === undefined || v === null ? '' : undefined);
  const recordId = text(o['record_id']) ?? '';
  if (!ID_CHARS.test(recordId)) return bad(line, 'record_id is missing or malformed');
  const citizenId = citizenOf(text(o['citizen_id']));
  if (citizenId === undefined) return bad(line, 'citizen_id is not 9 or 12 digits');
  const phone = phoneOf(text(o['phone']));
  if (phone === undefined) return bad(line, 'phone is not a Vietnamese mobile number');
  const dateOfBirth = date(text(o['date_of_birth']));
  if (dateOfBirth === undefined) return bad(line, 'date_of_birth is not a date YYYY-MM-DD');
  let passport: ImportRecord['passport'] = null;
  const p = o['passport'];
  if (p !== undefined && p !== null) {
    const country = typeof p === 'object' ? (p as Record<string, unknown>)['country'] : undefined;
    const number = typeof p === 'object' ? (p as Record<string, unknown>)['number'] : undefined;
    if (typeof country !== 'string' || typeof number !== 'string' || !/^[A-Z]{1,3}$/.test(country) || !/^[A-Z0-9]{1,20}$/.test(number)) {
      return bad(line, 'passport must be {country, number} in capitals');
    }
    passport = { country, number };
  }
  const doses = o['doses'];
  if (!Array.isArray(doses)) return bad(line, 'doses must be a list (empty when none)');
  let lastDoseDate: string | null = null;
  for (const dose of doses) {
    const when = date(typeof dose === 'object' && dose !== null ? text((dose as Record<string, unknown>)['date']) : undefined);
    if (when === undefined || when === null) return bad(line, 'every dose needs a date YYYY-MM-DD');
    if (lastDoseDate === null || when > lastDoseDate) lastDoseDate = when;
  }
  return {
    ok: true,
    record: {
      line,
      app: 'sskdt',
      recordId,
      citizenId,
      passport,
      phone,
      name: nameOf(text(o['full_name'])),
      dateOfBirth,
      vaccination: { doses: Math.min(255, doses.length), lastDoseDate },
    },
  };
}

/** The records of an export (a file, or a stream of text), one at a time; a CSV starts with its header. */
export async function* readExport(app: ImportApp, source: string | NodeJS.ReadableStream): AsyncGenerator<ParsedLine> {
  const lines = createInterface({ input: typeof source === 'string' ? createReadStream(source, 'utf8') : source, crlfDelay: Infinity });
  let number = 0;
  for await (const raw of lines) {
    number += 1;
    const line = number === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (line.trim() === '') continue;
    if (app === 'sskdt') {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        yield bad(number, 'not JSON');
        continue;
      }
      yield fromJson(json, number);
      continue;
    }
    const fields = splitCsvLine(line);
    if (number === 1) {
      if (fields === null || fields.map((f) => f.trim()).join(',') !== CSV_HEADERS[app].join(',')) {
        yield bad(1, `the header must be exactly: ${CSV_HEADERS[app].join(',')}`);
        return;
      }
      continue;
    }
    if (fields === null || fields.length !== CSV_HEADERS[app].length) {
      yield bad(number, `expected ${CSV_HEADERS[app].length} comma-separated fields`);
      continue;
    }
    yield fromCsv(app, fields, number);
  }
}
