// Property-based tests of the DCC decoder and verifier: whatever is scanned, nothing throws,
// every failure carries a catalogued reason, and no altered signed code is ever verified.
// Runs: FUZZ_RUNS (total over all properties, default 120,000); `npm run fuzz` raises it.
import { deflateSync, inflateSync } from 'node:zlib';
import { encode } from 'cborg';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCoseSign1 } from '../../../../common/cose/cose-sign1.js';
import { base45Decode, base45Encode } from '../../../../common/formats/base45.js';
import { REASON_CODES } from '../../../../common/types/reasons.js';
import type { StageResult } from '../../../../common/types/result.js';
import { MapTrustStore } from '../../../trust/trust-store.js';
import { decodeScan } from '../../decode.js';
import { verifyCredential } from '../../verify.js';
import { dccCoseBytes, decodeDcc, dccDecoder } from './dcc-decoder.js';
import { loadDccVector, VALID_DCC_VECTOR_PATHS } from './dcc-test-vectors.js';

const TOTAL_RUNS = Number(process.env.FUZZ_RUNS ?? '120000');
const runs = (share: number): number => Math.max(50, Math.round(TOTAL_RUNS * share));
const KNOWN_CODES = new Set<string>(REASON_CODES);
const BASE45_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

function expectReasonIfFailed<T>(result: StageResult<T>): void {
  if (!result.ok) expect(KNOWN_CODES.has(result.reason.code), result.reason.code).toBe(true);
}

/** Decode (and verify when it decodes) must neither throw nor fail without a known reason. */
function decodeAndVerify(text: string, trust: MapTrustStore, nowMs: number): StageResult<unknown> {
  const decoded = decodeDcc(text);
  expectReasonIfFailed(decoded);
  if (!decoded.ok) return decoded;
  const verified = verifyCredential(decoded.value, trust, nowMs);
  expectReasonIfFailed(verified);
  return verified;
}

const vectors = VALID_DCC_VECTOR_PATHS.map(loadDccVector);
const trust = new MapTrustStore(vectors.map((vector) => vector.signer));
const coseOf = vectors.map((vector) => {
  const compressed = base45Decode(vector.prefix.slice(4));
  if (!compressed.ok) throw new Error(`fixture ${vector.name} is not base45`);
  return Uint8Array.from(inflateSync(compressed.value));
});

function hc1(cose: Uint8Array): string {
  return `HC1:${base45Encode(deflateSync(cose))}`;
}

const VALID_PAYLOAD: Record<string, unknown> = {
  ver: '1.3.0',
  nam: { fn: 'Nguyễn', fnt: 'NGUYEN', gn: 'Văn An', gnt: 'VAN<AN' },
  dob: '1990-04-12',
  v: [{ tg: '840539006', vp: 'J07BX03', mp: 'EU/1/20/1528', ma: 'ORG-100030215', dn: 2, sd: 2, dt: '2021-09-01', co: 'VN', is: 'MoH', ci: 'URN:UVCI:01:VN:1#X' }],
};

function unsignedDcc(claims: unknown): string {
  return hc1(buildCoseSign1('ES256', new Uint8Array(8), encode(claims), () => new Uint8Array(64)));
}

/** Every path to a value in the payload, so each field can be given a wrong type. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((item, i) => pathsOf(item, [...prefix, i]))];
  if (typeof value === 'object' && value !== null) {
    return [prefix, ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...prefix, key]))];
  }
  return [prefix];
}

function replaceAt(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return replacement;
  if (Array.isArray(value)) return value.map((item, i) => (i === head ? replaceAt(item, rest, replacement) : item));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, key === head ? replaceAt(item, rest, replacement) : item]));
  }
  return value;
}

const PAYLOAD_PATHS = pathsOf(VALID_PAYLOAD);

/** Values of every CBOR major type, including ones JSON has no form for. */
const cborValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.uint8Array({ maxLength: 16 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 4 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('DCC decoder properties', { timeout: 180_000 }, () => {
  const nowMs = vectors[0]?.clockMs ?? Date.UTC(2021, 5, 1);

  it('never throws on random text, HC1: text or base45 text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 400 }),
          fc.string({ unit: fc.constantFrom(...BASE45_ALPHABET), maxLength: 600 }).map((text) => `HC1:${text}`),
          fc.string({ unit: 'binary', maxLength: 200 }).map((text) => `HC1:${text}`),
        ),
        (text) => {
          decodeAndVerify(text, trust, nowMs);
        },
      ),
      { numRuns: runs(0.25) },
    );
  });

  it('never throws on random bytes, compressed or not, behind HC1:', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.boolean(), (bytes, compress) => {
        decodeAndVerify(`HC1:${base45Encode(compress ? deflateSync(bytes) : bytes)}`, trust, nowMs);
      }),
      { numRuns: runs(0.2) },
    );
  });

  it('fails every truncation of a valid code with a reason', () => {
    fc.assert(
      fc.property(fc.nat(vectors.length - 1), fc.double({ min: 0, max: 1, noNaN: true }), (index, fraction) => {
        const prefix = vectors[index]?.prefix ?? '';
        const cut = Math.min(prefix.length - 1, Math.floor(prefix.length * fraction));
        const result = decodeAndVerify(prefix.slice(0, cut), trust, nowMs);
        expect(result.ok).toBe(false);
      }),
      { numRuns: runs(0.1) },
    );
  });

  it('never verifies a signed code whose signed bytes a flipped bit changed (in its COSE bytes or its text)', () => {
    fc.assert(
      fc.property(fc.nat(vectors.length - 1), fc.nat(), fc.nat(7), fc.boolean(), (index, position, bit, inText) => {
        const vector = vectors[index];
        const cose = coseOf[index];
        if (vector === undefined || cose === undefined) return;
        let text: string;
        if (inText) {
          const at = 4 + (position % (vector.prefix.length - 4));
          const flipped = String.fromCharCode(vector.prefix.charCodeAt(at) ^ (1 << bit));
          text = vector.prefix.slice(0, at) + flipped + vector.prefix.slice(at + 1);
        } else {
          const bytes = Uint8Array.from(cose);
          const at = position % bytes.length;
          bytes[at] = (bytes[at] ?? 0) ^ (1 << bit);
          text = hc1(bytes);
        }
        const result = decodeAndVerify(text, new MapTrustStore([vector.signer]), vector.clockMs);
        // A flip in the zlib stream's padding bits leaves the signed COSE bytes as they were:
        // that is the same pass, not an altered one.
        const signed = dccCoseBytes(text.slice(4));
        const unchanged = signed.ok && Buffer.from(signed.value).equals(Buffer.from(cose));
        expect(result.ok).toBe(unchanged);
      }),
      { numRuns: runs(0.2) },
    );
  });

  it('gives every hcert field a wrong type without throwing', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PAYLOAD_PATHS), cborValue, fc.boolean(), (path, value, asMap) => {
        const payload = replaceAt(VALID_PAYLOAD, path, value);
        const claims = new Map<number, unknown>([
          [1, 'VN'],
          [6, 1_700_000_000],
          [4, 1_800_000_000],
          [-260, asMap ? new Map([[1, payload]]) : { 1: payload }],
        ]);
        const result = decodeDcc(unsignedDcc(claims));
        expectReasonIfFailed(result);
      }),
      { numRuns: runs(0.2) },
    );
  });

  it('gives every CWT claim a wrong type without throwing', () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 4, 6, -260), cborValue, (claim, value) => {
        const claims = new Map<number, unknown>([
          [1, 'VN'],
          [6, 1_700_000_000],
          [4, 1_800_000_000],
          [-260, new Map([[1, VALID_PAYLOAD]])],
        ]);
        claims.set(claim, value);
        expectReasonIfFailed(decodeDcc(unsignedDcc(claims)));
      }),
      { numRuns: runs(0.05) },
    );
  });

  it('refuses deeply nested, huge and bomb-like inputs with a reason', () => {
    let nested: unknown = VALID_PAYLOAD;
    for (let i = 0; i < 5000; i++) nested = [nested];
    const deep = decodeDcc(unsignedDcc(new Map<number, unknown>([[1, 'VN'], [6, 1], [4, 2], [-260, new Map([[1, nested]])]])));
    expect(deep.ok ? 'ok' : deep.reason.code).toMatch(/cwt_invalid|claims_invalid|zlib_too_large/);
    const wide = new Map<number, unknown>(Array.from({ length: 6000 }, (_, i) => [i + 10, i] as [number, number]));
    expectReasonIfFailed(decodeDcc(unsignedDcc(wide)));
    const bomb = decodeDcc(`HC1:${base45Encode(deflateSync(new Uint8Array(64 * 1024 * 1024)))}`);
    expect(bomb.ok ? 'ok' : bomb.reason.code).toBe('zlib_too_large');
    const oversized = decodeScan({ source: 'paste', symbology: 'unknown', text: `HC1:${'A'.repeat(100_000)}`, receivedAt: 0 }, [dccDecoder]);
    expect(oversized.ok ? 'ok' : oversized.reason.code).toBe('input_too_long');
    expectReasonIfFailed(decodeDcc(`HC1:${'0'.repeat(30_000)}`));
  });
});
