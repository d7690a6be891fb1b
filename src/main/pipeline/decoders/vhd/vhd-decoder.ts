// The health-declaration apps' personal code (VHD1, defined in src/common/formats/vhd):
// identity only. Subject ids: APP:vhd:<personal code>, and VN-ID:<12 digits> when the person
// declared with their citizen id.
import { looksLikeVhdQr, parseVhdQr, VHD_APP, type VhdQr } from '../../../../common/formats/vhd/vhd-qr.js';
import type { IdentityCredential } from '../../../../common/types/credential.js';
import { stageOk, type StageResult } from '../../../../common/types/result.js';
import type { CredentialDecoder } from '../../decode.js';

export function vhdCredential(code: VhdQr): IdentityCredential {
  const subjectIds = [`APP:${VHD_APP}:${code.personalCode}`];
  if (code.citizenId !== null) subjectIds.push(`VN-ID:${code.citizenId}`);
  return {
    kind: 'health-declaration',
    subjectIds,
    holder: { name: code.name, dateOfBirth: code.dateOfBirth },
    identity: {
      documentNumber: code.personalCode,
      issueDate: code.lastDeclared,
      ...(code.sex === null ? {} : { sex: code.sex }),
      ...(code.cmndNumber === null ? {} : { formerNumber: code.cmndNumber }),
    },
  };
}

export function createVhdDecoder(now: () => number): CredentialDecoder {
  return {
    name: 'vhd',
    claims: looksLikeVhdQr,
    decode(text): StageResult<IdentityCredential> {
      const code = parseVhdQr(text, now());
      return code.ok ? stageOk(vhdCredential(code.value)) : code;
    },
  };
}
