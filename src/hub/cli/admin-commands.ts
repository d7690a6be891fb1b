// The operator's commands on the hub's records: venues and lanes, status events, PC1 passes, and
// publishing the status stream and the signer list (signed, then served to devices).
import { parseArgs } from 'node:util';
import QRCode from 'qrcode';
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { encodeSignerList, type SignerListDccSigner } from '../../common/bundle/signer-list.js';
import { isCanonicalSubjectId } from '../../common/types/subject-id.js';
import { shelveBundle } from '../publisher/bundle-shelf.js';
import { signerListEntry, ensureIssuerKey, signPc1 } from '../publisher/issuer-key.js';
import { epochKeyOf, openPublisherDirectory } from '../publisher/publisher-directory.js';
import { bundleBytes } from '../publisher/publisher.js';
import { buildStatusDeltaPayload, buildStatusSnapshotPayload } from '../publisher/status-builders.js';
import { openHubDataDir, type HubWritableDB } from '../store/hub-database.js';
import {
  addVenue,
  findSubject,
  lastEventSeq,
  lastPublishedEvent,
  listVenues,
  markStatusPublished,
  recordStatusEvent,
  STATUS_EVENTS,
  subjectsChangedAfter,
  type StatusEvent,
} from '../subjects/subjects.js';
import type { HubCliIo } from './ingest-commands.js';

export const ADMIN_USAGE = `Records (hub data directory D, publisher directory P):
  venue add --data-dir D --id V --name N [--lane-of V2]   A venue, or a lane of venue V2.
  venue list --data-dir D
  status record --data-dir D --id SID --event E [--date YYYY-MM-DD] [--name N --dob YYYY-MM-DD] [--operator O]
                                E: ${STATUS_EVENTS.join(', ')}. SID is a canonical id (VN-ID:..., DOC:...).
  pass issue --data-dir D --dir P --id SID [--valid-days N] [--qr]
                                A PC1 pass signed by the hub's issuer key (made on first use).
  publish-status --data-dir D --dir P --epoch N [--valid-hours H]
                                First time a snapshot of every subject, then a delta of what changed.
  publish-signer-list --data-dir D --dir P [--valid-hours H] [--dcc-certificate FILE]...
                                The signer list naming the hub's issuer key, and the EU DCC
                                document signer certificates given (PEM, DER or base64 DER;
                                repeat the flag), so kiosks verify DCCs offline.`;

export class AdminUsageError extends Error {
  override name = 'AdminUsageError';
}

const OPTIONS = {
  'data-dir': { type: 'string' },
  dir: { type: 'string' },
  id: { type: 'string' },
  name: { type: 'string' },
  'lane-of': { type: 'string' },
  event: { type: 'string' },
  date: { type: 'string' },
  dob: { type: 'string' },
  operator: { type: 'string' },
  epoch: { type: 'string' },
  'valid-hours': { type: 'string' },
  'valid-days': { type: 'string' },
  qr: { type: 'boolean' },
  'dcc-certificate': { type: 'string', multiple: true },
} as const;

function parse(argv: readonly string[]): ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; strict: true }>>['values'] {
  return parseArgs({ args: [...argv], options: OPTIONS, strict: true }).values;
}

function need(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new AdminUsageError(`--${flag} is required`);
  return value;
}

function isoDate(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw new AdminUsageError(`--${flag} must be a date YYYY-MM-DD`);
  return value;
}

function subjectIdOf(value: string | undefined): string {
  const id = need(value, 'id');
  if (!isCanonicalSubjectId(id)) throw new AdminUsageError(`--id must be a canonical subject id such as VN-ID:079190001234, not "${id}"`);
  return id;
}

function hoursOf(value: string | undefined, fallback: number): number {
  const hours = value === undefined ? fallback : Number(value);
  if (!Number.isFinite(hours) || hours <= 0) throw new AdminUsageError('--valid-hours must be more than 0');
  return hours;
}

function withDb<T>(dataDir: string, run: (db: HubWritableDB) => T): T {
  const db = openHubDataDir(dataDir);
  try {
    return run(db);
  } finally {
    db.close();
  }
}

export function venueCommand(argv: readonly string[], io: HubCliIo): number {
  const [verb, ...rest] = argv;
  const values = parse(rest);
  const dataDir = need(values['data-dir'], 'data-dir');
  switch (verb) {
    case 'add':
      return withDb(dataDir, (db) => {
        const venue = { id: need(values.id, 'id'), name: need(values.name, 'name'), laneOf: values['lane-of'] ?? null };
        addVenue(db, venue, Date.now());
        io.out(JSON.stringify({ ...venue, kind: venue.laneOf === null ? 'venue' : 'lane' }));
        return 0;
      });
    case 'list':
      return withDb(dataDir, (db) => {
        for (const venue of listVenues(db)) io.out(JSON.stringify(venue));
        return 0;
      });
    default:
      throw new AdminUsageError('venue takes "add" or "list"');
  }
}

export function statusCommand(argv: readonly string[], io: HubCliIo): number {
  const [verb, ...rest] = argv;
  if (verb !== 'record') throw new AdminUsageError('status takes "record"');
  const values = parse(rest);
  const event = need(values.event, 'event');
  if (!(STATUS_EVENTS as readonly string[]).includes(event)) throw new AdminUsageError(`--event must be one of ${STATUS_EVENTS.join(', ')}`);
  const subjectId = subjectIdOf(values.id);
  const date = isoDate(values.date, 'date') ?? new Date().toISOString().slice(0, 10);
  const name = values.name;
  const dateOfBirth = isoDate(values.dob, 'dob');
  return withDb(need(values['data-dir'], 'data-dir'), (db) => {
    const row = recordStatusEvent(
      db,
      {
        subjectId,
        event: event as StatusEvent,
        date,
        ...(name === undefined ? {} : { name }),
        ...(dateOfBirth === undefined ? {} : { dateOfBirth }),
        operator: values.operator ?? null,
      },
      Date.now(),
    );
    io.out(JSON.stringify({ id: row.subjectId, status: row.record.status, doses: row.record.doses, event, seq: row.changeSeq }));
    return 0;
  });
}

export async function passCommand(argv: readonly string[], io: HubCliIo): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb !== 'issue') throw new AdminUsageError('pass takes "issue"');
  const values = parse(rest);
  const subjectId = subjectIdOf(values.id);
  const days = values['valid-days'] === undefined ? 30 : Number(values['valid-days']);
  if (!Number.isInteger(days) || days <= 0 || days > 366) throw new AdminUsageError('--valid-days must be a whole number from 1 to 366');
  const subject = withDb(need(values['data-dir'], 'data-dir'), (db) => findSubject(db, subjectId));
  if (subject === undefined || subject.name === null || subject.dateOfBirth === null) {
    throw new AdminUsageError(`${subjectId} has no record with a name and date of birth; record one with "status record --name --dob" first`);
  }
  const key = ensureIssuerKey(need(values.dir, 'dir'));
  const issuedAt = Math.floor(Date.now() / 1000);
  const pass = signPc1(key, {
    issuedAt,
    expiresAt: issuedAt + days * 86_400,
    subjectId,
    name: subject.name,
    dateOfBirth: subject.dateOfBirth,
    status: subject.record.status,
    vaccination: subject.record.lastDoseDate === null ? { doses: subject.record.doses } : { doses: subject.record.doses, lastDoseDate: subject.record.lastDoseDate },
  });
  io.out(JSON.stringify({ id: subjectId, pass }));
  if (values.qr === true) io.out(await QRCode.toString(pass, { type: 'terminal', small: true, errorCorrectionLevel: 'M' }));
  return 0;
}

export function publishStatusCommand(argv: readonly string[], io: HubCliIo): number {
  const values = parse(argv);
  const dataDir = need(values['data-dir'], 'data-dir');
  const dir = need(values.dir, 'dir');
  const epoch = Number(need(values.epoch, 'epoch'));
  if (!Number.isSafeInteger(epoch) || epoch < 0) throw new AdminUsageError('--epoch must be a whole number');
  const validForMs = hoursOf(values['valid-hours'], 24) * 3_600_000;
  return withDb(dataDir, (db) => {
    const directory = openPublisherDirectory(dir);
    const keying = { epoch, epochKey: epochKeyOf(dir, epoch, false) };
    const since = lastPublishedEvent(db);
    const upTo = lastEventSeq(db);
    const rows = [...subjectsChangedAfter(db, since)];
    if (since !== null && rows.length === 0) {
      io.err('pccovid-hub: no status change since the last publication; nothing was signed.');
      return 0;
    }
    const bundle =
      since === null
        ? directory.publisher.publish({ type: 'status-snapshot', payload: buildStatusSnapshotPayload(rows.map((r) => ({ id: r.subjectId, record: r.record })), keying), validForMs, epoch })
        : directory.publisher.publish({ type: 'status-delta', payload: buildStatusDeltaPayload(rows.map((r) => ({ id: r.subjectId, record: r.record })), keying), validForMs, epoch });
    directory.save();
    const entry = shelveBundle(db, dataDir, bundleBytes(bundle), Date.now());
    markStatusPublished(db, upTo, Date.now());
    io.out(JSON.stringify({ ...entry, entries: rows.length }));
    return 0;
  });
}

/** A document signer certificate file: PEM, raw DER, or DER in base64 (as the EU gateway lists them). */
function readDccSigner(path: string): SignerListDccSigner {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new AdminUsageError(`cannot read the certificate ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const text = bytes.toString('latin1');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(/^[A-Za-z0-9+/=\s]+$/.test(text) && !text.includes('BEGIN') ? Buffer.from(text, 'base64') : bytes);
  } catch {
    throw new AdminUsageError(`${path} is not an X.509 certificate (PEM, DER or base64 DER)`);
  }
  const country = /^C=([A-Za-z]{2})$/m.exec(certificate.subject)?.[1]?.toUpperCase();
  if (country === undefined) throw new AdminUsageError(`${path} names no country (C=) in its subject; a DCC signer certificate must`);
  return { kid: createHash('sha256').update(certificate.raw).digest().subarray(0, 8), country, certificate: certificate.raw };
}

export function publishSignerListCommand(argv: readonly string[], io: HubCliIo): number {
  const values = parse(argv);
  const dataDir = need(values['data-dir'], 'data-dir');
  const dir = need(values.dir, 'dir');
  const validForMs = hoursOf(values['valid-hours'], 24 * 7) * 3_600_000;
  return withDb(dataDir, (db) => {
    const directory = openPublisherDirectory(dir);
    const dccSigners = (values['dcc-certificate'] ?? []).map(readDccSigner);
    const payload = encodeSignerList({ issuerKeys: [signerListEntry(ensureIssuerKey(dir))], dccSigners });
    const bundle = directory.publisher.publish({ type: 'signer-list', payload, validForMs });
    directory.save();
    io.out(JSON.stringify(shelveBundle(db, dataDir, bundleBytes(bundle), Date.now())));
    return 0;
  });
}
