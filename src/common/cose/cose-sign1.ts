// COSE_Sign1 (RFC 9052 §4.2) parsing and building, shared by every signed format (PC1 now,
// EU DCC next). Parsing never throws: malformed input becomes a reason.
import { decode, encode, Tagged, type TagDecoder } from 'cborg';
import type { SignatureAlgorithm } from '../types/credential.js';
import { stageFail, stageOk, type StageResult } from '../types/result.js';

export const COSE_SIGN1_TAG = 18;
export const CWT_TAG = 61;

/** COSE header labels (RFC 9052 §3.1). */
export const HEADER_ALG = 1;
export const HEADER_KID = 4;

/** COSE algorithm ids (IANA "COSE Algorithms"). */
const ALGORITHMS_BY_ID = new Map<number, SignatureAlgorithm>([
  [-8, 'EdDSA'],
  [-7, 'ES256'],
  [-37, 'PS256'],
]);
export const ALGORITHM_IDS: Record<SignatureAlgorithm, number> = { EdDSA: -8, ES256: -7, PS256: -37 };

export interface CoseSign1 {
  protectedBytes: Uint8Array;
  protectedHeader: Map<unknown, unknown>;
  unprotectedHeader: Map<unknown, unknown>;
  payload: Uint8Array;
  signature: Uint8Array;
  /** Null when the alg header is absent or not one this kiosk accepts. */
  alg: SignatureAlgorithm | null;
  algId: number | null;
  kid: Uint8Array | null;
}

class CwtTagged {
  constructor(readonly inner: unknown) {}
}

// Only the COSE_Sign1 and CWT tags are understood; cborg rejects every other tag.
const tags: Record<number, TagDecoder> = {
  [COSE_SIGN1_TAG]: (content) => content(),
  [CWT_TAG]: (content) => new CwtTagged(content()),
};
const decodeOptions = { useMaps: true, rejectDuplicateMapKeys: true, tags };

function decodeCbor(bytes: Uint8Array): StageResult<unknown> {
  try {
    return stageOk(decode(bytes, decodeOptions));
  } catch (error) {
    return stageFail({ code: 'cose_invalid', detail: `CBOR: ${describe(error)}` });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200);
}

function decodeHeaderMap(bytes: Uint8Array): Map<unknown, unknown> | null {
  if (bytes.length === 0) return new Map();
  try {
    const value: unknown = decode(bytes, decodeOptions);
    return value instanceof Map ? value : null;
  } catch {
    return null;
  }
}

/** Parses a COSE_Sign1 message, tagged (18) or untagged, optionally wrapped in a CWT tag (61). */
export function parseCoseSign1(bytes: Uint8Array): StageResult<CoseSign1> {
  const decoded = decodeCbor(bytes);
  if (!decoded.ok) return decoded;
  let value = decoded.value;
  if (value instanceof CwtTagged) value = value.inner;
  if (!Array.isArray(value) || value.length !== 4) {
    return stageFail({ code: 'cose_invalid', detail: 'not a COSE_Sign1 array of four items' });
  }
  const [protectedBytes, unprotectedHeader, payload, signature] = value as unknown[];
  if (!(protectedBytes instanceof Uint8Array)) {
    return stageFail({ code: 'cose_invalid', detail: 'protected header is not a byte string' });
  }
  if (!(unprotectedHeader instanceof Map)) {
    return stageFail({ code: 'cose_invalid', detail: 'unprotected header is not a map' });
  }
  if (!(payload instanceof Uint8Array)) {
    return stageFail({ code: 'cose_invalid', detail: 'payload is not a byte string' });
  }
  if (!(signature instanceof Uint8Array)) {
    return stageFail({ code: 'cose_invalid', detail: 'signature is not a byte string' });
  }
  const protectedHeader = decodeHeaderMap(protectedBytes);
  if (protectedHeader === null) {
    return stageFail({ code: 'cose_invalid', detail: 'protected header is not a CBOR map' });
  }
  // The spec lets kid sit in either bucket; the protected one wins because it is signed.
  const kidValue = protectedHeader.get(HEADER_KID) ?? unprotectedHeader.get(HEADER_KID);
  const algValue = protectedHeader.get(HEADER_ALG) ?? unprotectedHeader.get(HEADER_ALG);
  const algId = typeof algValue === 'number' ? algValue : null;
  return stageOk({
    protectedBytes,
    protectedHeader,
    unprotectedHeader,
    payload,
    signature,
    algId,
    alg: algId === null ? null : (ALGORITHMS_BY_ID.get(algId) ?? null),
    kid: kidValue instanceof Uint8Array ? kidValue : null,
  });
}

/** CBOR array(4), text "Signature1": the Sig_structure's fixed start. */
const SIG_STRUCTURE_START = Uint8Array.of(0x84, 0x6a, ...Array.from('Signature1', (char) => char.charCodeAt(0)));
/** A byte string's CBOR head (major type 2, shortest length form) for a given length. */
function byteStringHeadLength(length: number): number {
  return length < 24 ? 1 : length < 0x100 ? 2 : length < 0x10000 ? 3 : 5;
}

function writeByteString(out: Uint8Array, at: number, bytes: Uint8Array): number {
  const length = bytes.length;
  if (length < 24) {
    out[at++] = 0x40 | length;
  } else if (length < 0x100) {
    out[at++] = 0x58;
    out[at++] = length;
  } else if (length < 0x10000) {
    out[at++] = 0x59;
    out[at++] = length >>> 8;
    out[at++] = length & 0xff;
  } else {
    out[at++] = 0x5a;
    out[at++] = length >>> 24;
    out[at++] = (length >>> 16) & 0xff;
    out[at++] = (length >>> 8) & 0xff;
    out[at++] = length & 0xff;
  }
  out.set(bytes, at);
  return at + length;
}

/**
 * Sig_structure for COSE_Sign1 (RFC 9052 §4.4) with empty external AAD:
 * ["Signature1", protected, h'', payload], written directly (the bytes cborg's encode gives).
 */
export function coseSign1ToBeSigned(protectedBytes: Uint8Array, payload: Uint8Array): Uint8Array {
  if (protectedBytes.length > 0xffffffff || payload.length > 0xffffffff) {
    return encode(['Signature1', protectedBytes, new Uint8Array(0), payload]);
  }
  const out = new Uint8Array(
    SIG_STRUCTURE_START.length +
      byteStringHeadLength(protectedBytes.length) +
      protectedBytes.length +
      1 +
      byteStringHeadLength(payload.length) +
      payload.length,
  );
  out.set(SIG_STRUCTURE_START, 0);
  const at = writeByteString(out, SIG_STRUCTURE_START.length, protectedBytes);
  out[at] = 0x40; // external_aad: empty byte string
  writeByteString(out, at + 1, payload);
  return out;
}

/** Builds a tagged COSE_Sign1 message; the signature comes from the caller's key. */
export function buildCoseSign1(
  alg: SignatureAlgorithm,
  kid: Uint8Array,
  payload: Uint8Array,
  sign: (toBeSigned: Uint8Array) => Uint8Array,
): Uint8Array {
  const protectedBytes = encode(
    new Map<number, unknown>([
      [HEADER_ALG, ALGORITHM_IDS[alg]],
      [HEADER_KID, kid],
    ]),
  );
  const signature = sign(coseSign1ToBeSigned(protectedBytes, payload));
  return encode(new Tagged(COSE_SIGN1_TAG, [protectedBytes, new Map(), payload, signature]));
}

/** Decodes a CWT claims map (RFC 8392); claims keys stay as CBOR gave them (ints or text). */
export function decodeCwtClaims(payload: Uint8Array): StageResult<Map<unknown, unknown>> {
  try {
    const value: unknown = decode(payload, decodeOptions);
    if (!(value instanceof Map)) {
      return stageFail({ code: 'cwt_invalid', detail: 'CWT payload is not a map' });
    }
    return stageOk(value);
  } catch (error) {
    return stageFail({ code: 'cwt_invalid', detail: `CBOR: ${describe(error)}` });
  }
}
