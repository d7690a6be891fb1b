// What the log keeps of a person: their canonical subject ids sealed to the health authority
// (HPKE, AAD = the row's nonce, so a sealed subject cannot be moved to another row), and a keyed
// pseudonym for local duplicate detection whose key changes every UTC day and is deleted after.
import { createHmac, randomBytes } from 'node:crypto';
import { SUBJECT_SEAL_INFO_TEXT, type SealedSubjectPlaintext } from '../../common/sync/sealed-subject.js';
import type { WritableDB } from '../store/database.js';
import { pseudonymKeyFor } from '../store/queries/outbox.js';
import { hpkeSeal } from './hpke.js';
import type { SealingKey } from './sealing-key.js';

export const SUBJECT_SEAL_INFO = Buffer.from(SUBJECT_SEAL_INFO_TEXT);
const DAY_MS = 86_400_000;
const PSEUDONYM_BYTES = 16;

export interface SealedSubject {
  sealed: Buffer;
  keyId: string;
}

export function sealSubject(key: SealingKey, nonce: string, subjectIds: readonly string[]): SealedSubject {
  const plaintext: SealedSubjectPlaintext = { v: 1, subjectIds: [...subjectIds] };
  const { enc, ciphertext } = hpkeSeal({
    recipientPublicKey: key.publicKey,
    info: SUBJECT_SEAL_INFO,
    aad: Buffer.from(nonce, 'utf8'),
    plaintext: Buffer.from(JSON.stringify(plaintext), 'utf8'),
  });
  return { sealed: Buffer.concat([enc, ciphertext]), keyId: key.keyId };
}

export function dayOf(atMs: number): number {
  return Math.floor(atMs / DAY_MS);
}

/** One cached day key; call inside the check-in write so a new day's key commits with its row. */
export function createPseudonymizer(db: WritableDB): (subjectId: string, atMs: number) => Buffer {
  let cached: { day: number; key: Buffer } | null = null;
  return (subjectId, atMs) => {
    const day = dayOf(atMs);
    if (cached === null || cached.day !== day) {
      cached = { day, key: pseudonymKeyFor(db, day, () => randomBytes(32)) };
    }
    return createHmac('sha256', cached.key).update(subjectId, 'utf8').digest().subarray(0, PSEUDONYM_BYTES);
  };
}
