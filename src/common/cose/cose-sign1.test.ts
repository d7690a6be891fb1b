import { encode, Tagged } from 'cborg';
import { describe, expect, it } from 'vitest';
import { buildCoseSign1, coseSign1ToBeSigned, CWT_TAG, HEADER_ALG, HEADER_KID, parseCoseSign1 } from './cose-sign1.js';

const kid = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
const payload = encode(new Map([[1, 'issuer']]));
const fakeSignature = Uint8Array.from({ length: 64 }, (_, i) => i);

describe('COSE_Sign1', () => {
  it('parses what it builds, with the Sig_structure the signer saw', () => {
    let seen: Uint8Array | undefined;
    const message = buildCoseSign1('EdDSA', kid, payload, (toBeSigned) => {
      seen = toBeSigned;
      return fakeSignature;
    });
    expect(message[0]).toBe(0xd2); // tag 18
    const parsed = parseCoseSign1(message);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.alg).toBe('EdDSA');
    expect(Array.from(parsed.value.kid ?? [])).toEqual(Array.from(kid));
    expect(Array.from(parsed.value.signature)).toEqual(Array.from(fakeSignature));
    expect(Array.from(coseSign1ToBeSigned(parsed.value.protectedBytes, parsed.value.payload))).toEqual(Array.from(seen ?? []));
  });

  it('writes the Sig_structure byte for byte as the CBOR encoder does, at every length boundary', () => {
    const bytes = (length: number): Uint8Array => Uint8Array.from({ length }, (_, i) => (i * 7) & 0xff);
    for (const protectedLength of [0, 1, 23, 24, 255, 256]) {
      for (const payloadLength of [0, 5, 23, 24, 255, 256, 65535, 65536, 70000]) {
        const protectedBytes = bytes(protectedLength);
        const body = bytes(payloadLength);
        const expected = encode(['Signature1', protectedBytes, new Uint8Array(0), body]);
        const written = coseSign1ToBeSigned(protectedBytes, body);
        const same = written.length === expected.length && written.every((byte, i) => byte === expected[i]);
        expect(same, `${protectedLength}/${payloadLength}`).toBe(true);
      }
    }
  });

  it('accepts an untagged message, a CWT-tagged one, and kid in the unprotected header', () => {
    const protectedBytes = encode(new Map([[HEADER_ALG, -7]]));
    const items = [protectedBytes, new Map([[HEADER_KID, kid]]), payload, fakeSignature];
    for (const message of [encode(items), encode(new Tagged(CWT_TAG, new Tagged(18, items)))]) {
      const parsed = parseCoseSign1(message);
      expect(parsed.ok && parsed.value.alg).toBe('ES256');
      expect(parsed.ok && Array.from(parsed.value.kid ?? [])).toEqual(Array.from(kid));
    }
  });

  it('prefers the protected kid over the unprotected one', () => {
    const other = Uint8Array.from([9, 9, 9, 9, 9, 9, 9, 9]);
    const protectedBytes = encode(new Map<number, unknown>([[HEADER_ALG, -8], [HEADER_KID, kid]]));
    const parsed = parseCoseSign1(encode([protectedBytes, new Map([[HEADER_KID, other]]), payload, fakeSignature]));
    expect(parsed.ok && Array.from(parsed.value.kid ?? [])).toEqual(Array.from(kid));
  });

  it('reports an unknown algorithm as null rather than guessing', () => {
    const protectedBytes = encode(new Map([[HEADER_ALG, -35]]));
    const parsed = parseCoseSign1(encode([protectedBytes, new Map(), payload, fakeSignature]));
    expect(parsed.ok && parsed.value.alg).toBeNull();
    expect(parsed.ok && parsed.value.algId).toBe(-35);
  });

  it.each([
    ['garbage', Uint8Array.from([0xff, 0x00, 0x13])],
    ['a map', encode(new Map([[1, 2]]))],
    ['three items', encode([new Uint8Array(0), new Map(), payload])],
    ['text payload', encode([new Uint8Array(0), new Map(), 'payload', fakeSignature])],
    ['protected header not a map', encode([encode([1, 2]), new Map(), payload, fakeSignature])],
    ['unknown tag', encode(new Tagged(99, [new Uint8Array(0), new Map(), payload, fakeSignature]))],
    ['empty input', new Uint8Array(0)],
    ['trailing bytes', Uint8Array.from([...encode([new Uint8Array(0), new Map(), payload, fakeSignature]), 0x00])],
  ])('rejects %s with cose_invalid', (_name, bytes) => {
    const parsed = parseCoseSign1(bytes);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason.code).toBe('cose_invalid');
  });
});
