import { deflateSync } from 'node:zlib';
import { encode } from 'cborg';
import { describe, expect, it } from 'vitest';
import { buildCoseSign1 } from '../../../../common/cose/cose-sign1.js';
import { base45Encode } from '../../../../common/formats/base45.js';
import type { Credential, DccCredential } from '../../../../common/types/credential.js';
import { MapTrustStore } from '../../../trust/trust-store.js';
import { verifyCredential, type IssuerKey, type SignerCertificateFacts } from '../../verify.js';
import { decodeDcc, dccDecoder } from './dcc-decoder.js';
import { loadDccVector, VALID_DCC_VECTOR_PATHS, type DccVector } from './dcc-test-vectors.js';

function decoded(vector: DccVector): Credential {
  const result = decodeDcc(vector.prefix);
  if (!result.ok) throw new Error(`${vector.name}: ${result.reason.code} ${result.reason.detail ?? ''}`);
  return result.value;
}

function verdictOf(vector: DccVector, keys: readonly IssuerKey[] = [vector.signer], nowMs = vector.clockMs): string {
  const verified = verifyCredential(decoded(vector), new MapTrustStore(keys), nowMs);
  return verified.ok ? 'ok' : verified.reason.code;
}

/** A DCC with any claims, signed by nobody in particular: the decoder never checks signatures. */
function unsignedDcc(claims: Map<number, unknown>, kidInProtected = true): string {
  const cose = buildCoseSign1('ES256', new Uint8Array(8), encode(claims), () => new Uint8Array(64));
  void kidInProtected;
  return `HC1:${base45Encode(deflateSync(cose))}`;
}

const VALID_PAYLOAD = {
  ver: '1.3.0',
  nam: { fn: 'Nguyễn', fnt: 'NGUYEN', gn: 'Văn An', gnt: 'VAN<AN' },
  dob: '1990-04-12',
  v: [
    {
      tg: '840539006',
      vp: 'J07BX03',
      mp: 'EU/1/20/1528',
      ma: 'ORG-100030215',
      dn: 2,
      sd: 2,
      dt: '2021-09-01',
      co: 'VN',
      is: 'Ministry of Health of Viet Nam',
      ci: 'urn:uvci:01:vn:123456789abc#x',
    },
  ],
};

function claimsWith(payload: unknown, iat = 1_700_000_000, exp = 1_800_000_000): Map<number, unknown> {
  return new Map<number, unknown>([
    [1, 'VN'],
    [6, iat],
    [4, exp],
    [-260, new Map([[1, payload]])],
  ]);
}

/** AT/1 with its signer, the signer's certificate facts, and that signer expiring a second before the DCC does. */
function austrianSignerVariants(): { vector: DccVector; credential: DccCredential; facts: SignerCertificateFacts; expiredEarly: IssuerKey } {
  const vector = loadDccVector('AT/2DCode/raw/1.json');
  const credential = decoded(vector);
  if (credential.kind !== 'dcc') throw new Error('not a DCC');
  const facts = vector.signer.certificate;
  if (facts === undefined) throw new Error('no certificate facts');
  const expiredEarly = { ...vector.signer, certificate: { ...facts, notAfterMs: credential.expiresAt * 1000 - 1000 } };
  return { vector, credential, facts, expiredEarly };
}

describe('EU DCC decoder and verify', () => {
  it('claims HC1: codes only', () => {
    expect(dccDecoder.claims('HC1:ABC')).toBe(true);
    expect(dccDecoder.claims('PC1:ABC')).toBe(false);
  });

  it('decodes and verifies every valid vector, ES256 and PS256, at its clock', () => {
    const algs = new Set<string>();
    for (const path of VALID_DCC_VECTOR_PATHS) {
      const vector = loadDccVector(path);
      const credential = decoded(vector);
      if (credential.kind === 'dcc') algs.add(credential.signature.alg);
      expect(verdictOf(vector), path).toBe('ok');
    }
    expect([...algs].sort()).toEqual(['ES256', 'PS256']);
  });

  it('reads type, holder (family name first), date of birth and the DCC:<UVCI> subject id', () => {
    const credential = decoded(loadDccVector('AT/2DCode/raw/1.json'));
    expect(credential).toMatchObject({
      kind: 'dcc',
      certificateType: 'vaccination',
      issuer: 'AT',
      holder: { name: 'Musterfrau-Gößinger Gabriele', dateOfBirth: '1998-02-26' },
      subjectIds: ['DCC:URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B'],
    });
    expect(decoded(loadDccVector('IS/2DCode/raw/2.json')).subjectIds).toEqual(['DCC:01 IS/ABC4556#8']);
  });

  it('verifies a PS256 (RSA-2048) certificate, as Vietnam issues', () => {
    const vector = loadDccVector('CH/2DCode/raw/1.json');
    expect(decoded(vector)).toMatchObject({ signature: { alg: 'PS256' } });
    expect(verdictOf(vector)).toBe('ok');
  });

  it('finds the kid in the protected header, or in the unprotected one when the protected has none', () => {
    expect(verdictOf(loadDccVector('common/2DCode/raw/CO18.json'))).toBe('ok');
    expect(verdictOf(loadDccVector('common/2DCode/raw/CO19.json'))).toBe('ok');
    expect(verdictOf(loadDccVector('common/2DCode/raw/CO21.json'))).toBe('ok');
    // A wrong protected kid is not rescued by a right unprotected one.
    expect(verdictOf(loadDccVector('common/2DCode/raw/CO22.json'))).toBe('unknown_issuer');
  });

  it('decodes an untagged COSE_Sign1 and one wrapped in the CWT tag', () => {
    expect(verdictOf(loadDccVector('ES/2DCode/raw/1501.json'))).toBe('ok');
    expect(verdictOf(loadDccVector('common/2DCode/raw/CO28.json'))).toBe('ok');
  });

  it('tries every certificate sharing a kid', () => {
    const vector = loadDccVector('AT/2DCode/raw/1.json');
    const impostor = { ...loadDccVector('CH/2DCode/raw/1.json').signer, kidHex: vector.signer.kidHex, alg: 'ES256' as const };
    const otherEc = { ...loadDccVector('DK/2DCode/raw/1.json').signer, kidHex: vector.signer.kidHex };
    expect(verdictOf(vector, [impostor, otherEc, vector.signer])).toBe('ok');
    expect(verdictOf(vector, [otherEc])).toBe('signature_invalid');
  });

  it('among certificates sharing a kid, signs with the first whose signature holds and that passes every check, else names the first holding one’s failure', () => {
    const { vector, credential, facts, expiredEarly } = austrianSignerVariants();
    const otherEc = { ...loadDccVector('DK/2DCode/raw/1.json').signer, kidHex: vector.signer.kidHex };
    const testsOnly = { ...vector.signer, certificate: { ...facts, dccTypes: ['test' as const] } };
    expect(verdictOf(vector, [testsOnly, otherEc, vector.signer])).toBe('ok');
    expect(verdictOf(vector, [otherEc, expiredEarly])).toBe('signer_certificate_not_valid');
    expect(verdictOf(vector, [expiredEarly, testsOnly])).toBe('signer_certificate_not_valid');
    expect(verdictOf(vector, [testsOnly, expiredEarly, otherEc])).toBe('signer_type_not_allowed');
    const verified = verifyCredential(credential, new MapTrustStore([testsOnly, vector.signer]), vector.clockMs);
    expect(verified.ok && verified.value.issuerKeyId).toBe(vector.signer.kidHex);
  });

  it('refuses a type the certificate may not sign (extended key usage)', () => {
    expect(verdictOf(loadDccVector('common/2DCode/raw/CO6.json'))).toBe('signer_type_not_allowed');
    expect(verdictOf(loadDccVector('IS/2DCode/raw/3.json'))).toBe('signer_type_not_allowed');
    expect(verdictOf(loadDccVector('common/2DCode/raw/CO13.json'))).toBe('ok');
  });

  it('refuses a DCC whose signer certificate expired before it does, or was not yet valid when it was issued', () => {
    const { vector, credential, facts, expiredEarly } = austrianSignerVariants();
    expect(verdictOf(vector, [expiredEarly])).toBe('signer_certificate_not_valid');
    const lateStart = { ...vector.signer, certificate: { ...facts, notBeforeMs: credential.issuedAt * 1000 + 1000 } };
    expect(verdictOf(vector, [lateStart])).toBe('signer_certificate_not_valid');
  });

  it('refuses an expired DCC and one not yet valid; valid through its exp second', () => {
    const vector = loadDccVector('DK/2DCode/raw/1.json');
    const credential = decoded(vector);
    if (credential.kind !== 'dcc') throw new Error('not a DCC');
    expect(verdictOf(vector, [vector.signer], credential.expiresAt * 1000)).toBe('ok');
    expect(verdictOf(vector, [vector.signer], credential.expiresAt * 1000 + 1000)).toBe('expired');
    expect(verdictOf(loadDccVector('common/2DCode/raw/CO17.json'))).toBe('expired');
    expect(verdictOf(loadDccVector('common/2DCode/raw/CO16.json'))).toBe('not_yet_valid');
  });

  it('refuses a forged signature and an unknown signer', () => {
    expect(verdictOf(loadDccVector('common/2DCode/raw/CO5.json'))).toBe('signature_invalid');
    expect(verdictOf(loadDccVector('AT/2DCode/raw/1.json'), [])).toBe('unknown_issuer');
  });

  it('refuses a payload that fails the DCC schema', () => {
    const multiple = decodeDcc(loadDccVector('common/2DCode/raw/DGC2.json').prefix);
    expect(multiple.ok ? 'ok' : multiple.reason.code).toBe('dcc_schema_invalid');
    const noDob = { ...VALID_PAYLOAD, dob: undefined };
    const result = decodeDcc(unsignedDcc(claimsWith(JSON.parse(JSON.stringify(noDob)))));
    expect(result.ok ? 'ok' : result.reason).toMatchObject({ code: 'dcc_schema_invalid' });
    expect(decodeDcc(unsignedDcc(claimsWith({ ...VALID_PAYLOAD, v: [{ ...VALID_PAYLOAD.v[0], dn: 0 }] }))).ok).toBe(false);
  });

  it('decodes a payload it builds itself, with a Vietnamese name', () => {
    const result = decodeDcc(unsignedDcc(claimsWith(VALID_PAYLOAD)));
    expect(result.ok && result.value).toMatchObject({
      holder: { name: 'Nguyễn Văn An', dateOfBirth: '1990-04-12' },
      subjectIds: ['DCC:URN:UVCI:01:VN:123456789ABC#X'],
      certificateType: 'vaccination',
    });
  });

  it('refuses a zlib bomb without inflating it', () => {
    const bomb = `HC1:${base45Encode(deflateSync(new Uint8Array(20 * 1024 * 1024)))}`;
    expect(bomb.length).toBeLessThan(40_000);
    const result = decodeDcc(bomb);
    expect(result.ok ? 'ok' : result.reason.code).toBe('zlib_too_large');
  });

  it('names what is wrong with the claims', () => {
    const cases: [Map<number, unknown>, string][] = [
      [new Map<number, unknown>([[6, 1], [4, 2]]), 'claims_invalid'],
      [claimsWith(VALID_PAYLOAD, Number.NaN), 'claims_invalid'],
      [new Map<number, unknown>([...claimsWith(VALID_PAYLOAD), [-260, new Map([[1, new Uint8Array(3)]])]]), 'claims_invalid'],
      [new Map<number, unknown>([...claimsWith(VALID_PAYLOAD), [-260, 'text']]), 'claims_invalid'],
    ];
    for (const [claims, code] of cases) {
      const result = decodeDcc(unsignedDcc(claims));
      expect(result.ok ? 'ok' : result.reason.code).toBe(code);
    }
  });
});
