import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  concatBundle,
  decodeBundleHeader,
  encodeBundleHeader,
  encodeCanonical,
  parseBundlePrefix,
  signBundleHeader,
  bundleSigningInput,
} from './bundle-format.js';
import type { BundleHeader } from './bundle-types.js';

const sha256 = (bytes: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(bytes).digest());
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const kid = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);

function makeBundle(payload: Uint8Array, overrides: Partial<Parameters<typeof signBundleHeader>[0]> = {}) {
  return signBundleHeader(
    { type: 'policy', sequence: 3, issuedAt: 1_000, expiresAt: 2_000, previousHash: sha256(new Uint8Array([9])), ...overrides },
    payload,
    kid,
    sha256,
    (message) => sign(null, message, privateKey),
  );
}

describe('bundle format', () => {
  it('round-trips a header and parses a whole bundle', () => {
    const payload = new TextEncoder().encode('payload bytes');
    const parts = makeBundle(payload);
    const bundle = concatBundle(parts.prefix, payload);
    const parsed = parseBundlePrefix(bundle, bundle.length);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.header).toEqual(parts.header);
    expect(parsed.value.payloadOffset % 8).toBe(0);
    expect(bundle.subarray(parsed.value.payloadOffset)).toEqual(payload);
    expect(verify(null, bundleSigningInput(parsed.value.headerBytes), publicKey, parsed.value.signature)).toBe(true);
  });

  it('names an epoch only on epoch-bound types and a device only on epoch keys', () => {
    const delta = makeBundle(new Uint8Array(0), { type: 'status-delta', epoch: 7 }).header;
    expect(delta.epoch).toBe(7);
    expect(delta.device).toBeNull();
    const withEpoch = new Map<string, unknown>([...headerMap(makeBundle(new Uint8Array(0)).header), ['epoch', 1]]);
    expect(decodeBundleHeader(encodeCanonical(withEpoch))).toMatchObject({ ok: false, code: 'malformed' });
  });

  it('refuses a header that is not in deterministic encoding', () => {
    const header = makeBundle(new Uint8Array(0)).header;
    const nonMinimal = encodeBundleHeader(header);
    expect(decodeBundleHeader(nonMinimal).ok).toBe(true);
    // seq 3 is one byte (0x03); re-encode it as a 1-byte-argument integer (0x18 0x03).
    const at = findSubarray(nonMinimal, [0x63, 0x73, 0x65, 0x71, 0x03]); // "seq", 3
    expect(at).toBeGreaterThan(0);
    const patched = new Uint8Array([...nonMinimal.subarray(0, at + 4), 0x18, 0x03, ...nonMinimal.subarray(at + 5)]);
    expect(decodeBundleHeader(patched)).toMatchObject({ ok: false, code: 'malformed' });
  });

  it('refuses a payload of another length than the header says', () => {
    const payload = new Uint8Array(16);
    const bundle = concatBundle(makeBundle(payload).prefix, payload);
    expect(parseBundlePrefix(bundle.subarray(0, bundle.length - 1), bundle.length - 1)).toMatchObject({ ok: false, code: 'payload_mismatch' });
    expect(parseBundlePrefix(new Uint8Array([...bundle, 0]), bundle.length + 1)).toMatchObject({ ok: false, code: 'payload_mismatch' });
  });

  it('refuses an unknown format version and a bundle expiring before it is issued', () => {
    const header = makeBundle(new Uint8Array(0)).header;
    expect(decodeBundleHeader(encodeCanonical(new Map([...headerMap(header), ['v', 2]])))).toMatchObject({ ok: false, code: 'unsupported_version' });
    expect(decodeBundleHeader(encodeBundleHeader({ ...header, expiresAt: header.issuedAt }))).toMatchObject({ ok: false, code: 'malformed' });
  });

  it('never throws on garbage', () => {
    for (let n = 0; n < 200; n++) {
      const junk = sha256(new Uint8Array([n, n >> 8]));
      const bytes = new Uint8Array([0x50, 0x43, 0x42, 0x31, 0, 0, 0, 20, ...junk]);
      expect(parseBundlePrefix(bytes, bytes.length).ok).toBe(false);
    }
  });
});

function headerMap(header: BundleHeader): Map<string, unknown> {
  return new Map<string, unknown>([
    ['v', header.version],
    ['type', header.type],
    ['seq', header.sequence],
    ['iat', header.issuedAt],
    ['exp', header.expiresAt],
    ['prev', header.previousHash],
    ['kid', header.signerKid],
    ['len', header.payloadLength],
    ['sha256', header.payloadSha256],
  ]);
}

function findSubarray(haystack: Uint8Array, needle: number[]): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
