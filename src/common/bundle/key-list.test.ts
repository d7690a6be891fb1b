import { describe, expect, it } from 'vitest';
import { decodeCanonical, encodeCanonical } from './bundle-format.js';
import { decodeKeyList, encodeKeyList, type KeyListPayload } from './key-list.js';

const key = { kid: new Uint8Array(8).fill(1), publicKey: new Uint8Array(32).fill(2), types: ['policy' as const], notBefore: 1, notAfter: 2 };
const seal = new Uint8Array(32).fill(9);

describe('key list: the authority sealing key (seal)', () => {
  it('round-trips with and without the sealing key; without it the bytes are those of before', () => {
    const withSeal = decodeKeyList(encodeKeyList({ keys: [key], sealingKey: seal }));
    expect(withSeal).toEqual({ ok: true, value: { keys: [key], sealingKey: seal } });
    const plain = encodeKeyList({ keys: [key] });
    expect(decodeKeyList(plain)).toEqual({ ok: true, value: { keys: [key] } });
    const decoded = decodeCanonical(plain);
    expect(decoded.ok && decoded.value instanceof Map && [...decoded.value.keys()]).toEqual(['keys']);
  });

  it.each<[string, unknown]>([
    ['31 bytes', new Uint8Array(31)],
    ['33 bytes', new Uint8Array(33)],
    ['text', 'AAAA'],
    ['null', null],
  ])('refuses a seal that is %s', (_name, value) => {
    const decoded = decodeCanonical(encodeKeyList({ keys: [key] }));
    if (!decoded.ok || !(decoded.value instanceof Map)) throw new Error('unreachable');
    const map = new Map(decoded.value);
    map.set('seal', value);
    expect(decodeKeyList(encodeCanonical(map))).toMatchObject({ ok: false, code: 'malformed' });
  });

  it('refuses unknown top-level fields and will not encode a wrong-sized key', () => {
    expect(decodeKeyList(encodeCanonical(new Map<string, unknown>([['keys', []], ['seals', [seal]]])))).toMatchObject({ ok: false, code: 'malformed' });
    const bad: KeyListPayload = { keys: [key], sealingKey: new Uint8Array(16) };
    expect(() => encodeKeyList(bad)).toThrow(RangeError);
  });
});
