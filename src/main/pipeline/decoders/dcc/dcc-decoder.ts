// The EU DCC: "HC1:" + base45(zlib(COSE_Sign1(ES256 | PS256, CWT claims with hcert -260 → 1))).
// Each stage is exported so that the conformance suite can test the flags of its test files one
// by one; decodeDcc chains them as the kiosk runs them. Nothing here throws on bad input.
import { parseCoseSign1, coseSign1ToBeSigned, type CoseSign1 } from '../../../../common/cose/cose-sign1.js';
import {
  DCC_MAX_INFLATED_BYTES,
  DCC_PREFIX,
  decodeDccCwtClaims,
  parseDccCwt,
  summariseDccPayload,
  type DccCwt,
} from '../../../../common/formats/dcc/dcc-claims.js';
import { base45Decode } from '../../../../common/formats/base45.js';
import type { DccCredential } from '../../../../common/types/credential.js';
import { stageFail, stageOk, type StageResult } from '../../../../common/types/result.js';
import type { CredentialDecoder } from '../../decode.js';
import { inflateCapped } from '../pc1/pc1-decoder.js';
import { validateDccPayload } from './dcc-schema.js';

/** "HC1:" and the base45 text after it. */
export function unprefixDcc(text: string): StageResult<string> {
  if (!text.startsWith(DCC_PREFIX)) {
    return stageFail({ code: 'unknown_format', detail: `an EU DCC starts with "${DCC_PREFIX}", not "${text.slice(0, 4)}"` });
  }
  return stageOk(text.slice(DCC_PREFIX.length));
}

/** base45 text → the compressed bytes → the COSE_Sign1 bytes. */
export function dccCoseBytes(base45Text: string): StageResult<Uint8Array> {
  const compressed = base45Decode(base45Text);
  if (!compressed.ok) return compressed;
  return inflateCapped(compressed.value, DCC_MAX_INFLATED_BYTES);
}

/** COSE_Sign1 with an algorithm a DCC may use (ES256, PS256) and a kid. */
export function parseDccCose(bytes: Uint8Array): StageResult<CoseSign1> {
  const cose = parseCoseSign1(bytes);
  if (!cose.ok) return cose;
  const { alg, algId, kid } = cose.value;
  if (alg !== 'ES256' && alg !== 'PS256') {
    return stageFail({ code: 'unsupported_algorithm', detail: `COSE alg ${String(algId)}; an EU DCC uses ES256 (-7) or PS256 (-37)` });
  }
  if (kid === null) return stageFail({ code: 'cose_invalid', detail: 'no key id (kid) in the headers' });
  return stageOk(cose.value);
}

/** The CWT inside a COSE_Sign1: iss, iat, exp and the hcert payload as JSON. */
export function dccCwtOf(cose: CoseSign1): StageResult<DccCwt> {
  const claims = decodeDccCwtClaims(cose.payload);
  if (!claims.ok) return claims;
  return parseDccCwt(claims.value);
}

/** A decoded COSE_Sign1 message to a credential: CWT, schema, type, subject and holder. */
export function dccCredentialOf(cose: CoseSign1): StageResult<DccCredential> {
  const { alg, kid } = cose;
  if ((alg !== 'ES256' && alg !== 'PS256') || kid === null) {
    return stageFail({ code: 'cose_invalid', detail: 'not a DCC COSE_Sign1 (ES256 or PS256 with a kid)' });
  }
  const cwt = dccCwtOf(cose);
  if (!cwt.ok) return cwt;
  const valid = validateDccPayload(cwt.value.payload);
  if (!valid.ok) return valid;
  const summary = summariseDccPayload(cwt.value.payload);
  if (!summary.ok) return summary;
  return stageOk({
    kind: 'dcc',
    certificateType: summary.value.certificateType,
    subjectIds: summary.value.subjectIds,
    holder: summary.value.holder,
    issuer: cwt.value.issuer,
    issuedAt: cwt.value.issuedAt,
    expiresAt: cwt.value.expiresAt,
    payload: cwt.value.payload,
    signature: {
      alg,
      kid,
      toBeSigned: coseSign1ToBeSigned(cose.protectedBytes, cose.payload),
      signature: cose.signature,
    },
  });
}

export function decodeDcc(text: string): StageResult<DccCredential> {
  const base45Text = unprefixDcc(text);
  if (!base45Text.ok) return base45Text;
  const bytes = dccCoseBytes(base45Text.value);
  if (!bytes.ok) return bytes;
  const cose = parseDccCose(bytes.value);
  if (!cose.ok) return cose;
  return dccCredentialOf(cose.value);
}

export const dccDecoder: CredentialDecoder = {
  name: 'dcc',
  claims: (text) => text.startsWith(DCC_PREFIX),
  decode: decodeDcc,
};
