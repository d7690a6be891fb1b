import { describe, expect, it } from 'vitest';
import type { VerifiedCredential } from '../../common/types/credential.js';
import { EMPTY_STATUS_CACHE, MemoryStatusCache } from '../status/memory-status-cache.js';
import { subjectKey } from '../status/subject-key.js';
import { decodePc1 } from './decoders/pc1/pc1-decoder.js';
import { resolveStatus } from './status.js';
import { FIXED_NOW_MS, pipelineFixture } from './test-fixtures.js';

const epochKey = new TextEncoder().encode('epoch-key-for-tests-0123456789ab');

function verifiedOf(text: string): VerifiedCredential {
  const decoded = decodePc1(text);
  if (!decoded.ok) throw new Error(decoded.reason.code);
  return { credential: decoded.value, issuerKeyId: 'test' };
}

describe('status stage', () => {
  const fixture = pipelineFixture();
  const greenPass = verifiedOf(fixture.pass({ status: 'green' }));

  it('uses the status written in the pass when the cache knows nothing', () => {
    expect(resolveStatus(greenPass, EMPTY_STATUS_CACHE, FIXED_NOW_MS)).toEqual({ status: 'green', source: 'pass' });
  });

  it('lets the cache override the pass: a positive test after issue turns it red', () => {
    const cache = new MemoryStatusCache(epochKey, FIXED_NOW_MS - 3_600_000);
    cache.set('VN-ID:079190001234', { status: 'red', validUntil: FIXED_NOW_MS + 86_400_000 });
    expect(resolveStatus(greenPass, cache, FIXED_NOW_MS)).toEqual({
      status: 'red',
      source: 'cache',
      validUntil: FIXED_NOW_MS + 86_400_000,
      cacheAgeMs: 3_600_000,
    });
  });

  it('knows nothing of an identity document the cache has no entry for', () => {
    const idCard: VerifiedCredential = {
      credential: {
        kind: 'mrz',
        subjectIds: ['DOC:VNM:C1234567'],
        holder: { name: 'NGUYEN VAN AN', dateOfBirth: '1985-01-31' },
        identity: { documentNumber: 'C1234567' },
      },
      issuerKeyId: null,
    };
    expect(resolveStatus(idCard, EMPTY_STATUS_CACHE, FIXED_NOW_MS)).toEqual({ status: 'unknown', source: 'none' });
  });

  it('treats an entry past its validity as unknown', () => {
    const cache = new MemoryStatusCache(epochKey, FIXED_NOW_MS);
    cache.set('VN-ID:079190001234', { status: 'green', validUntil: FIXED_NOW_MS - 1 });
    expect(resolveStatus(greenPass, cache, FIXED_NOW_MS).status).toBe('unknown');
  });

  it('keys the cache by HMAC of the id, never the id itself', () => {
    const key = subjectKey(epochKey, 'VN-ID:079190001234');
    expect(key).toBe(subjectKey(epochKey, 'VN-ID:079190001234'));
    expect(key).not.toBe(subjectKey(epochKey, 'VN-ID:079190001235'));
    expect(key).not.toBe(subjectKey(new TextEncoder().encode('another-epoch-key'), 'VN-ID:079190001234'));
    expect(key.toString(16)).not.toContain('79190001234');
  });
});
