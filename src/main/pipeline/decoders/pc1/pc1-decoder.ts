// The PC-Covid pass: "PC1:" + base45(zlib(COSE_Sign1(EdDSA, CWT claims))).
import { inflateSync } from 'node:zlib';
import { parseCoseSign1, coseSign1ToBeSigned, decodeCwtClaims } from '../../../../common/cose/cose-sign1.js';
import { base45Decode } from '../../../../common/formats/base45.js';
import {
  PC1_MAX_INFLATED_BYTES,
  PC1_PREFIX,
  parsePc1Claims,
} from '../../../../common/formats/pc1/pc1-claims.js';
import type { Pc1Credential } from '../../../../common/types/credential.js';
import { stageFail, stageOk, type StageResult } from '../../../../common/types/result.js';
import type { CredentialDecoder } from '../../decode.js';

/** zlib inflate with a hard cap on the output, so a small bomb cannot exhaust memory. */
export function inflateCapped(bytes: Uint8Array, maxBytes: number): StageResult<Uint8Array> {
  try {
    return stageOk(inflateSync(bytes, { maxOutputLength: maxBytes }));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      return stageFail({ code: 'zlib_too_large', detail: `inflates beyond ${maxBytes} bytes` });
    }
    return stageFail({ code: 'zlib_invalid', detail: error instanceof Error ? error.message : 'inflate failed' });
  }
}

export function decodePc1(text: string): StageResult<Pc1Credential> {
  const compressed = base45Decode(text.slice(PC1_PREFIX.length));
  if (!compressed.ok) return compressed;
  const inflated = inflateCapped(compressed.value, PC1_MAX_INFLATED_BYTES);
  if (!inflated.ok) return inflated;
  const cose = parseCoseSign1(inflated.value);
  if (!cose.ok) return cose;
  const { alg, kid, algId } = cose.value;
  if (alg !== 'EdDSA') {
    return stageFail({ code: 'unsupported_algorithm', detail: `COSE alg ${String(algId)}; PC1 uses EdDSA (-8)` });
  }
  if (kid === null) return stageFail({ code: 'cose_invalid', detail: 'no key id (kid) in the headers' });
  const claimsMap = decodeCwtClaims(cose.value.payload);
  if (!claimsMap.ok) return claimsMap;
  const claims = parsePc1Claims(claimsMap.value);
  if (!claims.ok) return claims;
  const c = claims.value;
  return stageOk({
    kind: 'pc1',
    subjectIds: [c.subjectId],
    holder: { name: c.name, dateOfBirth: c.dateOfBirth },
    issuer: c.issuer,
    issuedAt: c.issuedAt,
    expiresAt: c.expiresAt,
    statusAtIssue: c.status,
    vaccination: c.vaccination,
    signature: {
      alg,
      kid,
      toBeSigned: coseSign1ToBeSigned(cose.value.protectedBytes, cose.value.payload),
      signature: cose.value.signature,
    },
  });
}

export const pc1Decoder: CredentialDecoder = {
  name: 'pc1',
  claims: (text) => text.startsWith(PC1_PREFIX),
  decode: decodePc1,
};
