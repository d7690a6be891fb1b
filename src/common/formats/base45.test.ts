import { decode as libraryDecode } from 'base45-ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base45Decode, base45Encode } from './base45.js';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((byte, i) => byte === b[i]);

describe('base45', () => {
  it.each([
    ['AB', 'BB8'],
    ['Hello!!', '%69 VD92EX0'],
    ['base-45', 'UJCLQE7W581'],
    ['ietf!', 'QED8WEX0'],
  ])('matches RFC 9285 for %s', (plain, encoded) => {
    expect(base45Encode(new TextEncoder().encode(plain))).toBe(encoded);
    const decoded = base45Decode(encoded);
    expect(decoded.ok && text(decoded.value)).toBe(plain);
  });

  it('decodes the largest valid triple and pair', () => {
    const triple = base45Decode('FGW');
    expect(triple.ok && Array.from(triple.value)).toEqual([0xff, 0xff]);
    const pair = base45Decode('U5');
    expect(pair.ok && Array.from(pair.value)).toEqual([0xff]);
  });

  it.each([
    ['GGW', 'overflows'],
    [':::', 'overflows'],
    ['V5', 'overflows'],
    ['ABCD', 'length 4'],
    ['ab', 'character 1'],
    ['BB8é', 'length 4'],
    ['BBé', 'character 3'],
  ])('rejects %s (%s)', (encoded, detail) => {
    const decoded = base45Decode(encoded);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) {
      expect(decoded.reason.code).toBe('base45_invalid');
      expect(decoded.reason.detail).toContain(detail);
    }
  });

  it('round-trips every byte value', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const decoded = base45Decode(base45Encode(bytes));
    expect(decoded.ok && Array.from(decoded.value)).toEqual(Array.from(bytes));
  });

  it('agrees with base45-ts on every string of the alphabet it does not refuse as overflowing', () => {
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
    const base45Text = fc.array(fc.constantFrom(...alphabet), { maxLength: 60 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(base45Text, (encoded) => {
        const decoded = base45Decode(encoded);
        if (encoded.length % 3 === 1) return !decoded.ok;
        if (!decoded.ok) return decoded.reason.detail?.includes('overflows') === true;
        return same(decoded.value, libraryDecode(encoded));
      }),
      { numRuns: 20_000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const decoded = base45Decode(base45Encode(bytes));
        return decoded.ok && same(decoded.value, bytes);
      }),
      { numRuns: 5_000 },
    );
  });
});
