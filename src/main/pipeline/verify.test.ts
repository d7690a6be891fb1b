import { describe, expect, it } from 'vitest';
import type { Credential, Pc1Credential } from '../../common/types/credential.js';
import { createEphemeralAuthority, issuerKeyOf } from '../demo/demo-authority.js';
import { MapTrustStore } from '../trust/trust-store.js';
import { decodePc1 } from './decoders/pc1/pc1-decoder.js';
import { FIXED_NOW_MS, pipelineFixture } from './test-fixtures.js';
import { ISSUED_AT_SKEW_SECONDS, verifyCredential, type TrustStore } from './verify.js';

function credentialOf(text: string): Pc1Credential {
  const decoded = decodePc1(text);
  if (!decoded.ok) throw new Error(`fixture pass does not decode: ${decoded.reason.code}`);
  return decoded.value;
}

function outcome(credential: Credential, trust: TrustStore, nowMs = FIXED_NOW_MS): string {
  const verified = verifyCredential(credential, trust, nowMs);
  return verified.ok ? 'ok' : verified.reason.code;
}

describe('verify stage', () => {
  const fixture = pipelineFixture();
  const credential = credentialOf(fixture.pass());

  it('accepts a pass signed by a trusted key within its validity', () => {
    const verified = verifyCredential(credential, fixture.trust, FIXED_NOW_MS);
    expect(verified.ok && verified.value.issuerKeyId).toBe(Buffer.from(fixture.authority.kid).toString('hex'));
  });

  it('rejects a pass whose signed bytes changed', () => {
    const toBeSigned = Uint8Array.from(credential.signature.toBeSigned);
    const at = toBeSigned.length - 3;
    toBeSigned[at] = (toBeSigned[at] ?? 0) ^ 0x01;
    const changed = { ...credential, signature: { ...credential.signature, toBeSigned } };
    expect(outcome(changed, fixture.trust)).toBe('signature_invalid');
  });

  it('rejects a truncated or empty signature as invalid, not as a crash', () => {
    for (const signature of [new Uint8Array(0), credential.signature.signature.subarray(0, 10)]) {
      expect(outcome({ ...credential, signature: { ...credential.signature, signature } }, fixture.trust)).toBe('signature_invalid');
    }
  });

  it('rejects a pass from an authority it does not trust', () => {
    expect(outcome(credential, new MapTrustStore([]))).toBe('unknown_issuer');
  });

  it('tries every key sharing a kid', () => {
    const other = createEphemeralAuthority();
    const impostorWithSameKid = { ...issuerKeyOf(other), kidHex: issuerKeyOf(fixture.authority).kidHex };
    const trust = new MapTrustStore([impostorWithSameKid, issuerKeyOf(fixture.authority)]);
    expect(outcome(credential, trust)).toBe('ok');
  });

  it('rejects a key used for another issuer name', () => {
    const trust = new MapTrustStore([{ ...issuerKeyOf(fixture.authority), issuer: 'VN-MOH' }]);
    expect(outcome(credential, trust)).toBe('unknown_issuer');
  });

  it('passes an identity document as identity only: nothing signed to check', () => {
    const idCard: Credential = {
      kind: 'cccd',
      subjectIds: ['VN-ID:079190001234'],
      holder: { name: 'Trần Thị Bích Ngọc', dateOfBirth: '1990-04-12' },
      identity: { documentNumber: '079190001234' },
    };
    expect(verifyCredential(idCard, new MapTrustStore([]), FIXED_NOW_MS)).toEqual({
      ok: true,
      value: { credential: idCard, issuerKeyId: null },
    });
  });

  it('does not bind a DCC key to an issuer name (the certificate does)', () => {
    const asDcc: Credential = { ...credential, kind: 'dcc', issuer: 'VN', certificateType: 'vaccination', payload: {} };
    expect(outcome(asDcc, fixture.trust)).toBe('ok');
  });

  it('checks the validity window at the injected clock', () => {
    const expired = credentialOf(fixture.pass({ expired: true }));
    expect(outcome(expired, fixture.trust)).toBe('expired');
    expect(outcome(credential, fixture.trust, credential.expiresAt * 1000)).toBe('expired');
    expect(outcome(credential, fixture.trust, credential.expiresAt * 1000 - 1000)).toBe('ok');
    const early = (credential.issuedAt - ISSUED_AT_SKEW_SECONDS - 1) * 1000;
    expect(outcome(credential, fixture.trust, early)).toBe('not_yet_valid');
    expect(outcome(credential, fixture.trust, early + 2000)).toBe('ok');
  });
});
