// The citizen ID card's QR: identity only, canonical id VN-ID:<12 digits>.
import { looksLikeCccdQr, parseCccdQr, type CccdQr } from '../../../../common/formats/cccd/cccd-qr.js';
import type { IdentityCredential } from '../../../../common/types/credential.js';
import { stageOk, type StageResult } from '../../../../common/types/result.js';
import type { CredentialDecoder } from '../../decode.js';

export function cccdCredential(card: CccdQr): IdentityCredential {
  return {
    kind: 'cccd',
    subjectIds: [`VN-ID:${card.citizenId}`],
    holder: { name: card.name, dateOfBirth: card.dateOfBirth },
    identity: {
      documentNumber: card.citizenId,
      issuingState: 'VNM',
      nationality: 'VNM',
      sex: card.sex,
      issueDate: card.issueDate,
      address: card.address,
      ...(card.formerNumber === null ? {} : { formerNumber: card.formerNumber }),
    },
  };
}

export function createCccdDecoder(now: () => number): CredentialDecoder {
  return {
    name: 'cccd',
    claims: looksLikeCccdQr,
    decode(text): StageResult<IdentityCredential> {
      const card = parseCccdQr(text, now());
      return card.ok ? stageOk(cccdCredential(card.value)) : card;
    },
  };
}
