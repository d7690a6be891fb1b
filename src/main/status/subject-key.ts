// Status cache keys (DESIGN.md): the first 8 bytes of HMAC-SHA256(epoch key, canonical id),
// so the cache never holds a raw id.
import { createHmac } from 'node:crypto';

export function subjectKey(epochKey: Uint8Array, canonicalId: string): bigint {
  return createHmac('sha256', epochKey).update(canonicalId, 'utf8').digest().readBigUInt64BE(0);
}
