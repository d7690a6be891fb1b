// PC1 decoder on bad input, and bit-flipped signed passes through the full pipeline:
// ≥ FUZZ_RUNS cases in all (see fuzz-kit.ts).
import { inflateSync, deflateSync } from 'node:zlib';
import { encode } from 'cborg';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCoseSign1 } from '../../src/common/cose/cose-sign1.js';
import { base45Decode, base45Encode } from '../../src/common/formats/base45.js';
import { CLAIM_EXP, CLAIM_IAT, CLAIM_ISS, CLAIM_PCCOVID, PC1_PREFIX } from '../../src/common/formats/pc1/pc1-claims.js';
import type { Pc1Credential } from '../../src/common/types/credential.js';
import type { ReasonCode } from '../../src/common/types/reasons.js';
import { DEFAULT_VENUE_POLICY } from '../../src/common/types/policy.js';
import { moduleLogger } from '../../src/main/log.js';
import { EMPTY_ALIAS_MAP } from '../../src/main/pipeline/alias.js';
import { pc1Decoder } from '../../src/main/pipeline/decoders/pc1/pc1-decoder.js';
import { createPipeline } from '../../src/main/pipeline/pipeline.js';
import { FIXED_NOW_MS, pipelineFixture, scanOf } from '../../src/main/pipeline/test-fixtures.js';
import { EMPTY_STATUS_CACHE } from '../../src/main/status/memory-status-cache.js';
import {
  anyText,
  assertProperty,
  damaged,
  decodeTotally,
  flipByteBit,
  oversized,
  replaceAt,
  runsFor,
  textOf,
  timeoutFor,
} from './fuzz-kit.js';
import { citizen } from './identity-arbitraries.js';

const BASE45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
/** Every reason the PC1 decoder may give. */
const DECODE_REASONS: readonly ReasonCode[] = [
  'base45_invalid',
  'zlib_invalid',
  'zlib_too_large',
  'cose_invalid',
  'cwt_invalid',
  'claims_invalid',
  'unsupported_algorithm',
];

const fixture = pipelineFixture();
const pipeline = createPipeline({
  decoders: [pc1Decoder],
  trust: fixture.trust,
  status: EMPTY_STATUS_CACHE,
  aliases: EMPTY_ALIAS_MAP,
  policy: DEFAULT_VENUE_POLICY,
  now: () => FIXED_NOW_MS,
  logger: moduleLogger('fuzz'),
});

/** Green passes of different people: each one is admitted as it is. */
const passes = fc.sample(citizen, { numRuns: 24, seed: 2021 }).map((person) =>
  fixture.pass({ subjectId: `VN-ID:${person.citizenId}`, name: person.name, dateOfBirth: person.dateOfBirth }),
);
const compressedOf = (pass: string): Uint8Array => {
  const decoded = base45Decode(pass.slice(PC1_PREFIX.length));
  if (!decoded.ok) throw new Error('a sample pass is not base45');
  return decoded.value;
};
const coseOf = (pass: string): Uint8Array => new Uint8Array(inflateSync(compressedOf(pass)));
const wrap = (bytes: Uint8Array): string => PC1_PREFIX + base45Encode(bytes);
const wrapCose = (cose: Uint8Array): string => wrap(deflateSync(cose));
const samples = passes.map((pass) => ({ pass, compressed: compressedOf(pass), cose: coseOf(pass) }));
const sample = fc.constantFrom(...samples);

/** Any CBOR value cborg can write: the wrong type for every claim. */
const cborValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    fc.integer(),
    fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n - 1n }),
    fc.double(),
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.constantFrom('green', 'VN-ID:079190001234', '1990-04-12', '', 'PC1:'),
    fc.uint8Array({ maxLength: 30 }),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(fc.oneof(fc.integer({ min: -70_002, max: 10 }), fc.string({ maxLength: 4 })), tie('value')), { maxLength: 4 }).map(
      (entries) => new Map(entries),
    ),
  ),
})).value;

function encodeOr(value: unknown, fallback: Uint8Array): Uint8Array {
  try {
    return encode(value);
  } catch {
    return fallback;
  }
}

/** CBOR that is deep, long or lies about its length: each within the 4 KiB inflate cap. */
const hostileCbor: fc.Arbitrary<Uint8Array> = fc.oneof(
  // Nesting: arrays, maps, indefinite arrays, COSE and CWT tags inside themselves.
  fc.tuple(fc.constantFrom([0x81], [0xa1, 0x01], [0x9f], [0xd2], [0xd8, 0x3d], [0xd2, 0x84]), fc.integer({ min: 1, max: 2000 })).map(
    ([unit, depth]) => Uint8Array.from(Array.from({ length: depth }, () => unit).flat()),
  ),
  // Declared lengths of up to 2^64 - 1 items or bytes, with little or nothing behind them.
  fc.tuple(fc.constantFrom(0x5b, 0x7b, 0x9b, 0xbb), fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.uint8Array({ maxLength: 64 })).map(
    ([head, length, tail]) => Uint8Array.from([head, ...length, ...tail]),
  ),
  // Long flat arrays and maps of small items.
  fc.integer({ min: 1, max: 4000 }).map((n) => encode(Array.from({ length: n }, (_, i) => i % 24))),
  fc.uint8Array({ minLength: 0, maxLength: 4096 }),
);

describe('PC1 decoder fuzz', () => {
  const random = runsFor(0.12);
  it(`survives random text after PC1: (${random} runs)`, () => {
    assertProperty(
      fc.oneof(textOf(BASE45, 0, 400).map((text) => PC1_PREFIX + text), anyText(400).map((text) => PC1_PREFIX + text)),
      (text) => void decodeTotally(pc1Decoder, text, DECODE_REASONS),
      random,
    );
  }, timeoutFor(random, 60));

  const bytes = runsFor(0.12);
  it(`survives random bytes, raw or deflated (${bytes} runs)`, () => {
    assertProperty(
      fc.tuple(fc.uint8Array({ maxLength: 600 }), fc.boolean()),
      ([data, deflate]) => void decodeTotally(pc1Decoder, wrap(deflate ? deflateSync(data) : data), DECODE_REASONS),
      bytes,
    );
  }, timeoutFor(bytes, 80));

  const hostile = runsFor(0.1);
  it(`survives deeply nested, huge or lying CBOR as the message, the payload and the protected header (${hostile} runs)`, () => {
    assertProperty(
      fc.tuple(hostileCbor, fc.constantFrom('message', 'payload', 'protected')),
      ([cbor, where]) => {
        let cose = cbor;
        if (where === 'payload') cose = buildCoseSign1('EdDSA', fixture.authority.kid, cbor, () => new Uint8Array(64));
        if (where === 'protected') cose = encode([cbor, new Map(), new Uint8Array(4), new Uint8Array(64)]);
        decodeTotally(pc1Decoder, wrapCose(cose), DECODE_REASONS);
      },
      hostile,
    );
  }, timeoutFor(hostile, 200));

  const bombs = runsFor(0.05);
  it(`refuses zlib bombs without inflating them, however cut or padded (${bombs} runs)`, () => {
    const made = [
      deflateSync(new Uint8Array(10_000_000)),
      deflateSync(new Uint8Array(100_000).fill(0x41), { level: 9 }),
      deflateSync(Uint8Array.from({ length: 1_000_000 }, (_, i) => i % 7)),
      deflateSync(deflateSync(new Uint8Array(5_000_000))),
    ];
    assertProperty(
      fc.tuple(fc.constantFrom(...made), fc.nat(), fc.uint8Array({ maxLength: 16 })),
      ([bomb, cut, tail]) => {
        const bytesIn = Uint8Array.from([...bomb.subarray(0, 2 + (cut % bomb.length)), ...tail]);
        decodeTotally(pc1Decoder, wrap(bytesIn), ['zlib_too_large', 'zlib_invalid', 'cose_invalid']);
      },
      bombs,
    );
    for (const bomb of made.slice(0, 3)) expect(decodeTotally(pc1Decoder, wrap(bomb)).ok).toBe(false);
  }, timeoutFor(bombs, 400));

  const wrongTypes = runsFor(0.16);
  it(`gives claims_invalid, never a bad credential, for a wrong type in any claim (${wrongTypes} runs)`, () => {
    const claimPaths = [
      [CLAIM_ISS],
      [CLAIM_EXP],
      [CLAIM_IAT],
      [CLAIM_PCCOVID],
      [CLAIM_PCCOVID, 'v'],
      [CLAIM_PCCOVID, 'sid'],
      [CLAIM_PCCOVID, 'nam'],
      [CLAIM_PCCOVID, 'dob'],
      [CLAIM_PCCOVID, 'hs'],
      [CLAIM_PCCOVID, 'vac'],
      [CLAIM_PCCOVID, 'vac', 'n'],
      [CLAIM_PCCOVID, 'vac', 'ld'],
    ] as const;
    const claims = (): Map<unknown, unknown> =>
      new Map<unknown, unknown>([
        [CLAIM_ISS, 'VN-MOH-DEMO'],
        [CLAIM_IAT, 1_700_000_000],
        [CLAIM_EXP, 1_900_000_000],
        [
          CLAIM_PCCOVID,
          new Map<unknown, unknown>([
            ['v', 1],
            ['sid', 'VN-ID:079190001234'],
            ['nam', 'Trần Thị Bích Ngọc'],
            ['dob', '1990-04-12'],
            ['hs', 'green'],
            ['vac', new Map<unknown, unknown>([['n', 3], ['ld', '2022-03-15']])],
          ]),
        ],
      ]);
    assertProperty(
      fc.tuple(fc.constantFrom(...claimPaths), cborValue, fc.boolean()),
      ([path, value, remove]) => {
        const map = claims();
        let parent: Map<unknown, unknown> = map;
        for (const key of path.slice(0, -1)) {
          const next = parent.get(key);
          if (!(next instanceof Map)) throw new Error('claim path');
          parent = next;
        }
        const last = path[path.length - 1];
        if (remove) parent.delete(last);
        else parent.set(last, value);
        const payload = encodeOr(map, new Uint8Array([0xa0]));
        const result = decodeTotally(
          pc1Decoder,
          wrapCose(buildCoseSign1('EdDSA', fixture.authority.kid, payload, () => new Uint8Array(64))),
          ['claims_invalid', 'cwt_invalid'],
        );
        if (result.ok) {
          // The random value happened to be a valid one: it must then be read as such.
          const credential = result.value as Pc1Credential;
          expect(typeof credential.issuer).toBe('string');
          expect(Number.isSafeInteger(credential.expiresAt) && credential.expiresAt > credential.issuedAt).toBe(true);
          expect(['green', 'yellow', 'red', 'unknown']).toContain(credential.statusAtIssue);
          expect(Number.isSafeInteger(credential.vaccination.doses)).toBe(true);
        }
      },
      wrongTypes,
    );
  }, timeoutFor(wrongTypes, 80));

  const damage = runsFor(0.1);
  it(`survives damaged passes: cut, bit-flipped, replaced, doubled (${damage} runs)`, () => {
    assertProperty(damaged(fc.constantFrom(...passes), BASE45), (text) => void decodeTotally(pc1Decoder, text, [...DECODE_REASONS]), damage);
  }, timeoutFor(damage, 80));

  const big = runsFor(0.02);
  it(`survives oversized input (${big} runs)`, () => {
    assertProperty(oversized(fc.constantFrom(...passes)), (text) => void decodeTotally(pc1Decoder, text, DECODE_REASONS), big);
  }, timeoutFor(big, 3000));
});

describe('bit-flipped signed passes through the full pipeline', () => {
  it('admits every sample pass as issued', () => {
    for (const pass of passes) expect(pipeline.check(scanOf(pass)).outcome).toBe('admit');
  });

  it('denies a pass with any single bit of its COSE message flipped (every bit of one pass)', () => {
    const [first] = samples;
    if (first === undefined) throw new Error('no sample pass');
    for (let bit = 0; bit < first.cose.length * 8; bit++) {
      const verdict = pipeline.check(scanOf(wrapCose(flipByteBit(first.cose, bit >> 3, bit & 7))));
      expect(verdict.outcome, `bit ${bit}`).toBe('deny');
    }
  });

  const cose = runsFor(0.13);
  it(`never admits a pass with bits of its COSE message flipped (${cose} runs)`, () => {
    assertProperty(
      fc.tuple(sample, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 7 })), { minLength: 1, maxLength: 4 })),
      ([{ cose: original }, flips]) => {
        let bytesOut = original;
        for (const [at, bit] of flips) bytesOut = flipByteBit(bytesOut, at, bit);
        if (Buffer.compare(bytesOut, original) === 0) return;
        expect(pipeline.check(scanOf(wrapCose(bytesOut))).outcome).toBe('deny');
      },
      cose,
    );
  }, timeoutFor(cose, 200));

  const transport = runsFor(0.1);
  it(`admits a flipped compressed stream or text only when it still inflates to the signed message (${transport} runs)`, () => {
    assertProperty(
      fc.tuple(sample, fc.nat(), fc.nat({ max: 7 }), fc.constantFrom(...Array.from(BASE45)), fc.boolean()),
      ([{ pass, compressed, cose: original }, at, bit, char, inText]) => {
        const text = inText ? replaceAt(pass, PC1_PREFIX.length + (at % (pass.length - PC1_PREFIX.length)), char) : wrap(flipByteBit(compressed, at, bit));
        if (text === pass) return;
        const verdict = pipeline.check(scanOf(text));
        if (verdict.outcome !== 'admit') {
          expect(verdict.outcome).toBe('deny');
          return;
        }
        // Only the deflate stream's unused padding bits can change without changing the pass.
        expect(Buffer.compare(coseOf(text), original)).toBe(0);
      },
      transport,
    );
  }, timeoutFor(transport, 200));
});
