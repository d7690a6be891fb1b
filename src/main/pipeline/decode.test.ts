import { describe, expect, it } from 'vitest';
import { stageFail } from '../../common/types/result.js';
import { decodeScan, stripScannerArtefacts, type CredentialDecoder } from './decode.js';
import { pc1Decoder } from './decoders/pc1/pc1-decoder.js';
import { pipelineFixture, scanOf } from './test-fixtures.js';

describe('decode stage', () => {
  it.each([
    [']Q1PC1:ABC\r\n', 'PC1:ABC'],
    ['  PC1:ABC\n', 'PC1:ABC'],
    [']Q3 PC1:ABC\t', 'PC1:ABC'],
    ['PC1:ABC', 'PC1:ABC'],
  ])('strips scanner artefacts from %j', (raw, clean) => {
    expect(stripScannerArtefacts(raw)).toBe(clean);
  });

  it('decodes a pass wrapped in an AIM id and CR/LF', () => {
    const pass = pipelineFixture().pass();
    const decoded = decodeScan(scanOf(`]Q1${pass}\r\n`), [pc1Decoder]);
    expect(decoded.ok && decoded.value.kind).toBe('pc1');
  });

  it.each([
    ['', 'empty_input'],
    ['   \r\n', 'empty_input'],
    ['https://example.org/menu', 'unknown_format'],
    ['x'.repeat(9000), 'input_too_long'],
  ])('fails %j with %s', (text, code) => {
    const decoded = decodeScan(scanOf(text), [pc1Decoder]);
    expect(decoded.ok ? 'ok' : decoded.reason.code).toBe(code);
  });

  it('asks decoders in order and uses the first that claims the text', () => {
    const seen: string[] = [];
    const decoder = (name: string, claims: boolean): CredentialDecoder => ({
      name,
      claims: () => claims,
      decode: () => {
        seen.push(name);
        return stageFail({ code: 'claims_invalid' });
      },
    });
    decodeScan(scanOf('ANY'), [decoder('a', false), decoder('b', true), decoder('c', true)]);
    expect(seen).toEqual(['b']);
  });
});
