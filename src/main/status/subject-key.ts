// Status cache keys (DESIGN.md): the first 8 bytes of HMAC-SHA256(epoch key, canonical id),
// so the cache never holds a raw id.
import { createHmac } from 'node:crypto';

/** The HMAC of a canonical id; its first 8 bytes are the subject key. */
export function subjectKeyDigest(epochKey: Uint8Array, canonicalId: string): Buffer {
  return createHmac('sha256', epochKey).update(canonicalId, 'utf8').digest();
}

export function subjectKey(epochKey: Uint8Array, canonicalId: string): bigint {
  return subjectKeyDigest(epochKey, canonicalId).readBigUInt64BE(0);
}

/** The subject key as two unsigned 32-bit halves, as the status tables compare it. */
export function subjectKeyHalves(epochKey: Uint8Array, canonicalId: string): [hi: number, lo: number] {
  const digest = subjectKeyDigest(epochKey, canonicalId);
  return [digest.readUInt32BE(0), digest.readUInt32BE(4)];
}
