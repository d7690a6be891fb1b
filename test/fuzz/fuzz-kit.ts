// Shared by the fuzz suite: the run budget, the property every decoder must keep on bad input
// (never throw; every failure a catalogued reason with sentences a guard understands), and
// generators of damaged input.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { Credential } from '../../src/common/types/credential.js';
import { isIsoDate } from '../../src/common/types/dates.js';
import { REASON_CODES, REASON_MESSAGES, type ReasonCode } from '../../src/common/types/reasons.js';
import type { StageResult } from '../../src/common/types/result.js';
import { isCanonicalSubjectId } from '../../src/common/types/subject-id.js';
import type { CredentialDecoder } from '../../src/main/pipeline/decode.js';

/** Cases per decoder (CI: 100,000; `npm run fuzz`: 1,000,000). Each decoder's properties share it. */
export const FUZZ_RUNS = readRuns(process.env['FUZZ_RUNS']);
/** Set FUZZ_SEED (and FUZZ_PATH) from a failure report to replay it. */
const SEED = process.env['FUZZ_SEED'] === undefined ? undefined : Number(process.env['FUZZ_SEED']);
const PATH = process.env['FUZZ_PATH'];

function readRuns(value: string | undefined): number {
  if (value === undefined || value === '') return 100_000;
  const runs = Number(value);
  if (!Number.isSafeInteger(runs) || runs < 1) throw new Error(`FUZZ_RUNS must be a positive integer, not "${value}"`);
  return runs;
}

/** This property's share of the decoder's budget; at least one run. */
export function runsFor(share: number): number {
  return Math.max(1, Math.round(FUZZ_RUNS * share));
}

/**
 * A test timeout for `runs` cases costing about `microsPerRun` each on the 2-core reference
 * machine, with a wide margin for a busy machine (tests run in parallel).
 */
export function timeoutFor(runs: number, microsPerRun: number): number {
  return Math.max(30_000, Math.ceil((runs * microsPerRun) / 1000) * 6);
}

export function assertProperty<T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T) => void, runs: number): void {
  fc.assert(
    fc.property(arbitrary, predicate),
    { numRuns: runs, ...(SEED === undefined ? {} : { seed: SEED }), ...(PATH === undefined ? {} : { path: PATH }) },
  );
}

const KNOWN_CODES: ReadonlySet<string> = new Set(REASON_CODES);

/** A failure names a catalogued reason whose vi and en sentences exist; a success passes. */
export function expectCatalogued(result: StageResult<unknown>, allowed?: readonly ReasonCode[]): void {
  if (result.ok) return;
  const { code, detail } = result.reason;
  if (!KNOWN_CODES.has(code)) throw new Error(`uncatalogued reason code ${String(code)}`);
  const messages = REASON_MESSAGES[code];
  if (messages.en.length < 10 || messages.vi.length < 10) throw new Error(`reason ${code} lacks a sentence`);
  if (detail !== undefined && (typeof detail !== 'string' || detail.length > 2000)) {
    throw new Error(`reason ${code} has a detail no log should keep: ${String(detail).slice(0, 80)}`);
  }
  if (allowed !== undefined && !allowed.includes(code)) {
    expect.fail(`reason ${code} (${detail ?? ''}) is not one of ${allowed.join(', ')}`);
  }
}

/**
 * What every credential a decoder admits must look like, whatever its input was: canonical
 * subject ids, an NFC name without control characters, a date of birth that is a date.
 */
export function expectWellFormed(credential: Credential): void {
  if (credential.subjectIds.length === 0) throw new Error('a credential without subject ids');
  for (const id of credential.subjectIds) {
    if (!isCanonicalSubjectId(id)) throw new Error(`subject id "${id}" is not canonical`);
  }
  const { name, dateOfBirth } = credential.holder;
  if (name.length === 0 || name !== name.normalize('NFC') || /[\p{Cc}\p{Cf}]/u.test(name)) {
    throw new Error(`holder name ${JSON.stringify(name)} is not a clean NFC name`);
  }
  if (dateOfBirth !== null && !/^\d{4}(-\d{2})?$/.test(dateOfBirth) && !isIsoDate(dateOfBirth)) {
    throw new Error(`date of birth "${dateOfBirth}" is not a date`);
  }
  if ('identity' in credential && credential.identity.documentNumber.length === 0) {
    throw new Error('an identity document without a number');
  }
}

/**
 * The decoder contract on any text: claims() and decode() return, never throw; decode() gives a
 * credential or a catalogued reason. Returns the result for further checks.
 */
export function decodeTotally(decoder: CredentialDecoder, text: string, allowed?: readonly ReasonCode[]): StageResult<Credential> {
  decoder.claims(text);
  const result = decoder.decode(text);
  expectCatalogued(result, allowed);
  if (result.ok) expectWellFormed(result.value);
  return result;
}

// Damage, as scanners and people do it.

/** The text cut at `at` (a scan that stopped early). */
export function truncate(text: string, at: number): string {
  return text.slice(0, at % (text.length + 1));
}

/** One bit of one UTF-16 unit flipped (a misread module), possibly making a lone surrogate. */
export function flipBit(text: string, at: number, bit: number): string {
  if (text.length === 0) return text;
  const i = at % text.length;
  const unit = text.charCodeAt(i) ^ (1 << (bit % 16));
  return text.slice(0, i) + String.fromCharCode(unit) + text.slice(i + 1);
}

/** One character replaced. */
export function replaceAt(text: string, at: number, by: string): string {
  if (text.length === 0) return by;
  const i = at % text.length;
  return text.slice(0, i) + by + text.slice(i + 1);
}

/** One bit of a byte array flipped (a copy). */
export function flipByteBit(bytes: Uint8Array, at: number, bit: number): Uint8Array {
  const copy = bytes.slice();
  if (copy.length === 0) return copy;
  const i = at % copy.length;
  copy[i] = (copy[i] ?? 0) ^ (1 << (bit % 8));
  return copy;
}

/** Any text: every Unicode code point, control characters and all. */
export const anyText = (maxLength = 300): fc.Arbitrary<string> => fc.string({ unit: 'binary', maxLength });

/** Text drawn from a format's own alphabet, so that it gets past the cheap shape checks. */
export const textOf = (alphabet: string, minLength: number, maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...Array.from(alphabet)), minLength, maxLength });

/** A damaged version of a valid code: cut, bit-flipped, character replaced, padded or doubled. */
export function damaged(valid: fc.Arbitrary<string>, alphabet: string): fc.Arbitrary<string> {
  const position = fc.nat({ max: 100_000 });
  return fc.oneof(
    fc.tuple(valid, position).map(([text, at]) => truncate(text, at)),
    fc.tuple(valid, position, fc.nat({ max: 15 })).map(([text, at, bit]) => flipBit(text, at, bit)),
    fc.tuple(valid, position, fc.constantFrom(...Array.from(alphabet))).map(([text, at, by]) => replaceAt(text, at, by)),
    fc.tuple(valid, position, fc.nat({ max: 3 })).map(([text, at, n]) => {
      // Several flips at once: a badly damaged print.
      let out = text;
      for (let k = 0; k <= n; k++) out = flipBit(out, at * (k + 7), at + k);
      return out;
    }),
    fc.tuple(valid, anyText(40)).map(([text, tail]) => text + tail),
    valid.map((text) => text + text),
  );
}

/** Inputs far larger than any code: the decoders must refuse them cheaply, not parse them. */
export const oversized = (seed: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(seed, fc.integer({ min: 1_000, max: 50_000 }), fc.constantFrom('<', '|', 'A', '0', ' ', '\n', 'ữ')).map(
    ([prefix, length, filler]) => prefix + filler.repeat(length),
  );

/** Values of the wrong type or shape for any field of a text code. */
export const wrongFieldValue: fc.Arbitrary<string> = fc.oneof(
  anyText(40),
  fc.constant(''),
  fc.integer().map(String),
  fc.double().map(String),
  fc.bigInt().map(String),
  fc.stringMatching(/^\d{1,14}$/),
  fc.constantFrom('31021990', '00000000', '99999999', '2020-13-45', '1990-**-**', '****-**-**', 'Nam', 'Nữ', 'M', 'F', '0', '1', '2', 'null', 'true', '[]', '{}'),
  fc.json({ maxDepth: 2 }),
);

/** The text with its `index`-th `separator`-delimited field replaced. */
export function replaceField(text: string, separator: string, index: number, value: string): string {
  const fields = text.split(separator);
  fields[index % fields.length] = value;
  return fields.join(separator);
}

/**
 * The two properties every text decoder shares: damaged codes (a share of FUZZ_RUNS) are
 * refused with a catalogued reason or read totally, and oversized input is refused cheaply.
 */
export function itSurvivesDamageAndSize(decoder: CredentialDecoder, code: fc.Arbitrary<string>, alphabet: string, damageShare: number): void {
  const damage = runsFor(damageShare);
  it(`survives damaged codes: cut, bit-flipped, replaced, doubled (${damage} runs)`, () => {
    assertProperty(damaged(code, alphabet), (text) => void decodeTotally(decoder, text), damage);
  }, timeoutFor(damage, 60));

  const big = runsFor(0.05);
  it(`refuses oversized input cheaply (${big} runs)`, () => {
    assertProperty(oversized(code), (text) => void decodeTotally(decoder, text, ['input_too_long']), big);
  }, timeoutFor(big, 200));
}
