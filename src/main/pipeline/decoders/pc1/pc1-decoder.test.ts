import { deflateSync } from 'node:zlib';
import { encode } from 'cborg';
import { describe, expect, it } from 'vitest';
import { buildCoseSign1 } from '../../../../common/cose/cose-sign1.js';
import { base45Encode } from '../../../../common/formats/base45.js';
import { encodePc1Claims, PC1_PREFIX } from '../../../../common/formats/pc1/pc1-claims.js';
import { demoPassClaims } from '../../../demo/demo-authority.js';
import { FIXED_NOW_MS, pipelineFixture } from '../../test-fixtures.js';
import { decodePc1 } from './pc1-decoder.js';

const wrap = (bytes: Uint8Array): string => PC1_PREFIX + base45Encode(deflateSync(bytes));

function failureCode(text: string): string {
  const decoded = decodePc1(text);
  return decoded.ok ? 'ok' : decoded.reason.code;
}

describe('PC1 decoder', () => {
  const fixture = pipelineFixture();

  it('reads every claim of a demo pass and the facts its signature needs', () => {
    const decoded = decodePc1(fixture.pass({ status: 'yellow' }));
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    const credential = decoded.value;
    expect(credential).toMatchObject({
      kind: 'pc1',
      subjectIds: ['VN-ID:079190001234'],
      holder: { name: 'Trần Thị Bích Ngọc', dateOfBirth: '1990-04-12' },
      issuer: 'VN-MOH-DEMO',
      statusAtIssue: 'yellow',
      vaccination: { doses: 3, lastDoseDate: '2022-03-15' },
    });
    expect(credential.signature.alg).toBe('EdDSA');
    expect(Array.from(credential.signature.kid)).toEqual(Array.from(fixture.authority.kid));
    expect(credential.signature.signature).toHaveLength(64);
  });

  it('refuses a zlib bomb without inflating it', () => {
    const bomb = PC1_PREFIX + base45Encode(deflateSync(new Uint8Array(10_000_000)));
    expect(failureCode(bomb)).toBe('zlib_too_large');
  });

  it.each([
    ['not base45', `${PC1_PREFIX}abc`, 'base45_invalid'],
    ['not zlib', PC1_PREFIX + base45Encode(Uint8Array.from([1, 2, 3, 4])), 'zlib_invalid'],
    ['not CBOR', wrap(Uint8Array.from([0xff, 0xff])), 'cose_invalid'],
    ['CBOR but not COSE', wrap(encode({ hello: 'world' })), 'cose_invalid'],
  ])('fails %s with %s', (_name, text, code) => {
    expect(failureCode(text)).toBe(code);
  });

  it('refuses algorithms other than EdDSA', () => {
    const payload = encodePc1Claims(demoPassClaims(fixture.authority, { nowMs: FIXED_NOW_MS }));
    const es256 = buildCoseSign1('ES256', fixture.authority.kid, payload, () => new Uint8Array(64));
    expect(failureCode(wrap(es256))).toBe('unsupported_algorithm');
  });

  it('fails a payload that is not a claims map with cwt_invalid', () => {
    const cose = buildCoseSign1('EdDSA', fixture.authority.kid, encode([1, 2, 3]), () => new Uint8Array(64));
    expect(failureCode(wrap(cose))).toBe('cwt_invalid');
  });

  it('survives deeply nested CBOR with a reason', () => {
    const deep = new Uint8Array(4000).fill(0x81);
    expect(failureCode(wrap(deep))).toBe('cose_invalid');
  });

  it('never throws on a truncated pass, whatever the cut', () => {
    const pass = fixture.pass();
    for (let length = PC1_PREFIX.length; length < pass.length; length++) {
      const decoded = decodePc1(pass.slice(0, length));
      expect(decoded.ok).toBe(false);
    }
  });
});
