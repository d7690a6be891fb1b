// The whole decode stage (artefact stripping, then the first decoder that claims the text) on
// bad input: whatever a scanner sends, a credential or a catalogued reason comes back.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { decodeScan } from '../../src/main/pipeline/decode.js';
import {
  SAMPLE_CCCD,
  SAMPLE_MRV_B,
  SAMPLE_PCCOVID_V1_FULL,
  SAMPLE_TD1_VN,
  SAMPLE_TD3,
  SAMPLE_VHD,
} from '../../src/main/pipeline/decoders/identity-samples.js';
import { createDecoderRegistry } from '../../src/main/pipeline/decoders/registry.js';
import { FIXED_NOW_MS, pipelineFixture, scanOf } from '../../src/main/pipeline/test-fixtures.js';
import { anyText, assertProperty, damaged, expectCatalogued, expectWellFormed, runsFor, timeoutFor } from './fuzz-kit.js';

const decoders = createDecoderRegistry({ now: () => FIXED_NOW_MS });
const fixture = pipelineFixture();
const codes = [fixture.pass(), SAMPLE_CCCD, SAMPLE_PCCOVID_V1_FULL, SAMPLE_VHD, SAMPLE_TD3, SAMPLE_TD1_VN, SAMPLE_MRV_B];
const artefact = fc.constantFrom('', ']Q1', ']Q3', ']C0', ']L2', ' ', '\r\n', '\t');

describe('decode stage fuzz (registry)', () => {
  const runs = runsFor(0.2);
  it(`returns a credential or a catalogued reason for anything a scanner sends (${runs} runs)`, () => {
    assertProperty(
      fc.tuple(artefact, fc.oneof(damaged(fc.constantFrom(...codes), '0123456789ABCXYZ<|:\r\n'), anyText(300)), artefact),
      ([before, text, after]) => {
        const decoded = decodeScan(scanOf(before + text + after), decoders);
        expectCatalogued(decoded);
        if (decoded.ok) expectWellFormed(decoded.value);
      },
      runs,
    );
  }, timeoutFor(runs, 80));
});
