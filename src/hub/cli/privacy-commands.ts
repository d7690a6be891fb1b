// pccovid-hub operator and pccovid-hub checkins: reading check-ins only with an operator key and
// a reason, every read recorded (src/hub/privacy).
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { addOperator, readAudit, readCheckins, signReadRequest, type CheckinQuery } from '../privacy/checkin-access.js';
import { createSubjectOpener } from '../privacy/open-subjects.js';
import { readAuthorityPrivateKeys } from '../publisher/authority-sealing-key.js';
import { openHubDataDir } from '../store/hub-database.js';
import type { HubCliIo } from './ingest-commands.js';

export const PRIVACY_USAGE = `Check-in data (every read needs an operator key and a reason, and is recorded):
  operator key --out K.pem      Make an operator key (kept by the operator); prints its public key.
  operator add --data-dir D --name N --public-key B64
  checkins read --data-dir D --operator-key K.pem --reason R [--device ID] [--venue V] [--from ISO] [--to ISO]
                [--authority-key F|DIR]...
                                With the health authority's sealing keys (a PEM file, or a folder of
                                sealing-key-<id>.pem), each row's subjectIds are opened (tracing).
  checkins audit --data-dir D   Who read what, when and why.`;

export class PrivacyUsageError extends Error {
  override name = 'PrivacyUsageError';
}

const OPTIONS = {
  'data-dir': { type: 'string' },
  out: { type: 'string' },
  name: { type: 'string' },
  'public-key': { type: 'string' },
  'operator-key': { type: 'string' },
  reason: { type: 'string' },
  device: { type: 'string' },
  venue: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  'authority-key': { type: 'string', multiple: true },
} as const;

function need(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new PrivacyUsageError(`--${flag} is required`);
  return value;
}

function instant(value: string | undefined, flag: string): number | null {
  if (value === undefined) return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new PrivacyUsageError(`--${flag} must be a date or ISO 8601 instant`);
  return ms;
}

export function operatorCommand(argv: readonly string[], io: HubCliIo): number {
  const [verb, ...rest] = argv;
  const { values } = parseArgs({ args: rest, options: OPTIONS, strict: true });
  switch (verb) {
    case 'key': {
      const { privateKey } = generateKeyPairSync('ed25519');
      writeFileSync(need(values.out, 'out'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
      const der = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
      io.out(JSON.stringify({ publicKey: der.subarray(der.length - 32).toString('base64') }));
      return 0;
    }
    case 'add': {
      const db = openHubDataDir(need(values['data-dir'], 'data-dir'));
      try {
        io.out(JSON.stringify({ operatorId: addOperator(db, need(values.name, 'name'), need(values['public-key'], 'public-key'), Date.now()) }));
        return 0;
      } finally {
        db.close();
      }
    }
    default:
      throw new PrivacyUsageError('operator takes "key" or "add"');
  }
}

export async function checkinsCommand(argv: readonly string[], io: HubCliIo): Promise<number> {
  const [verb, ...rest] = argv;
  const { values } = parseArgs({ args: rest, options: OPTIONS, strict: true });
  const db = openHubDataDir(need(values['data-dir'], 'data-dir'));
  try {
    switch (verb) {
      case 'read': {
        const key = createPrivateKey(readFileSync(need(values['operator-key'], 'operator-key'), 'utf8'));
        const authorityKeys = values['authority-key'] ?? [];
        // The keys are read before the read is made (and audited): a wrong path reads nothing.
        const opener = authorityKeys.length === 0 ? null : await createSubjectOpener(readAuthorityPrivateKeys(authorityKeys));
        const query: CheckinQuery = {
          device: values.device ?? null,
          venue: values.venue ?? null,
          from: instant(values.from, 'from'),
          to: instant(values.to, 'to'),
          ...(opener === null ? {} : { subjects: true }),
        };
        const now = Date.now();
        for (const row of readCheckins(db, signReadRequest(key, query, need(values.reason, 'reason'), now), now)) {
          const { sealedSubject: _sealed, sealSuite: _suite, ...shown } = row;
          io.out(JSON.stringify({ ...shown, ...(opener === null ? {} : await opener.open(row)) }));
        }
        return 0;
      }
      case 'audit':
        for (const entry of readAudit(db)) io.out(JSON.stringify(entry));
        return 0;
      default:
        throw new PrivacyUsageError('checkins takes "read" or "audit"');
    }
  } finally {
    db.close();
  }
}
