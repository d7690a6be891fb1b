// Stage 1, decode: a raw scan becomes a Credential, or a reason it could not be read.
// Scanner artefacts are stripped first; the first decoder that claims the text decodes it.
import type { Credential, ScanEvent } from '../../common/types/credential.js';
import { stageFail, type StageResult } from '../../common/types/result.js';
import { MAX_SCAN_TEXT } from '../../common/ipc/contract.js';

export interface CredentialDecoder {
  readonly name: string;
  /** Cheap check on the prefix or shape: does this decoder own the text? */
  claims(text: string): boolean;
  decode(text: string): StageResult<Credential>;
}

// AIM symbology identifier ("]" + code letter + modifier digit) that scanners may prepend.
const AIM_PREFIX = /^\][A-Za-z][0-9A-Za-z]/;

/** Removes what scanners add around the payload: AIM id, surrounding whitespace, CR/LF. */
export function stripScannerArtefacts(text: string): string {
  const trimmed = text.trim();
  return AIM_PREFIX.test(trimmed) ? trimmed.slice(3).trim() : trimmed;
}

export function decodeScan(
  scan: ScanEvent,
  decoders: readonly CredentialDecoder[],
): StageResult<Credential> {
  if (scan.text.length > MAX_SCAN_TEXT) {
    return stageFail({ code: 'input_too_long', detail: `${scan.text.length} characters` });
  }
  const text = stripScannerArtefacts(scan.text);
  if (text.length === 0) return stageFail({ code: 'empty_input' });
  for (const decoder of decoders) {
    if (decoder.claims(text)) return decoder.decode(text);
  }
  return stageFail({ code: 'unknown_format', detail: `starts with "${text.slice(0, 12)}"` });
}
