// The PC-Covid v1.1 personal QR (the national layout of 2021): identity only. Subject ids:
// APP:pccovid-v1:<QID>, and VN-ID:<12 digits> when it shows an unmasked citizen id.
import {
  looksLikePccovidV1,
  parsePccovidV1Qr,
  PCCOVID_V1_APP,
  type PccovidV1Qr,
} from '../../../../common/formats/pccovid-v1/pccovid-v1-qr.js';
import type { IdentityCredential } from '../../../../common/types/credential.js';
import { stageOk, type StageResult } from '../../../../common/types/result.js';
import type { CredentialDecoder } from '../../decode.js';

export function pccovidV1Credential(code: PccovidV1Qr): IdentityCredential {
  const subjectIds = [`APP:${PCCOVID_V1_APP}:${code.qid}`];
  if (code.citizenId !== null) subjectIds.push(`VN-ID:${code.citizenId}`);
  return {
    kind: 'pccovid-v1',
    subjectIds,
    holder: { name: code.name, dateOfBirth: code.dateOfBirth },
    identity: {
      documentNumber: code.documentNumber,
      ...(code.sex === null ? {} : { sex: code.sex }),
    },
  };
}

export function createPccovidV1Decoder(now: () => number): CredentialDecoder {
  return {
    name: 'pccovid-v1',
    claims: looksLikePccovidV1,
    decode(text): StageResult<IdentityCredential> {
      const code = parsePccovidV1Qr(text, now());
      return code.ok ? stageOk(pccovidV1Credential(code.value)) : code;
    },
  };
}
