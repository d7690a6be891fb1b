// The health authority's tracing tool opens sealed check-in subjects with its private sealing
// keys (src/hub/publisher/authority-sealing-key.ts keeps them; the kiosk seals with
// src/main/sync/checkin-sealer.ts). HPKE base mode, RFC 9180, through @hpke/core: an
// implementation independent of the kiosk's own, so each check-in opened also proves the two agree.
import type { KeyObject } from 'node:crypto';
import { Aes128Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';
import { SUBJECT_SEAL_ENC_BYTES as ENC_BYTES, SUBJECT_SEAL_INFO_TEXT, SUBJECT_SEAL_SUITE as SUITE, type SealedSubjectPlaintext } from '../../common/sync/sealed-subject.js';

export interface SealedRow {
  nonce: string;
  sealSuite: string | null;
  sealKeyId: string | null;
  sealedSubject: Buffer | null;
}

/**
 * Why a subject is not given: 'none' (the row has no subject: unreadable scan, override, or a
 * kiosk that had no authority key), 'no_key' (sealed to a key not given), 'unopenable' (the key
 * does not open it: altered, or moved from another row).
 */
export type SubjectOutcome = { subjectIds: string[] } | { closed: 'none' | 'no_key' | 'unopenable' };

export interface SubjectOpener {
  open(row: SealedRow): Promise<SubjectOutcome>;
}

export async function createSubjectOpener(keys: ReadonlyMap<string, KeyObject>): Promise<SubjectOpener> {
  const suite = new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes128Gcm() });
  const info = new TextEncoder().encode(SUBJECT_SEAL_INFO_TEXT);
  const imported = new Map<string, CryptoKey>();
  for (const [keyId, key] of keys) {
    const jwk = key.export({ format: 'jwk' });
    imported.set(keyId, await suite.kem.importKey('jwk', { kty: 'OKP', crv: 'X25519', d: jwk.d, x: jwk.x }, false));
  }
  return {
    async open(row) {
      if (row.sealedSubject === null || row.sealKeyId === null) return { closed: 'none' };
      const recipientKey = imported.get(row.sealKeyId);
      if (recipientKey === undefined) return { closed: 'no_key' };
      if (row.sealSuite !== SUITE || row.sealedSubject.length <= ENC_BYTES) return { closed: 'unopenable' };
      try {
        const enc = Uint8Array.from(row.sealedSubject.subarray(0, ENC_BYTES)).buffer;
        const plaintext = await suite.open(
          { recipientKey, enc, info: info.buffer },
          Uint8Array.from(row.sealedSubject.subarray(ENC_BYTES)).buffer,
          new TextEncoder().encode(row.nonce).buffer,
        );
        const parsed = JSON.parse(Buffer.from(plaintext).toString('utf8')) as Partial<SealedSubjectPlaintext>;
        if (parsed.v !== 1 || !Array.isArray(parsed.subjectIds) || !parsed.subjectIds.every((id) => typeof id === 'string')) return { closed: 'unopenable' };
        return { subjectIds: parsed.subjectIds };
      } catch {
        return { closed: 'unopenable' };
      }
    },
  };
}
