// Travel documents' machine-readable zones (TD1, TD2, TD3, MRV-A, MRV-B): identity only.
// Subject ids: DOC:<issuing state>:<document number>, and VN-ID:<12 digits> for a Vietnamese
// document that carries the citizen id in its optional data.
import { looksLikeMrz, mrzDisplayName, parseMrz, type MrzDocument } from '../../../../common/formats/mrz/mrz.js';
import type { IdentityCredential } from '../../../../common/types/credential.js';
import { stageOk, type StageResult } from '../../../../common/types/result.js';
import type { CredentialDecoder } from '../../decode.js';

export function mrzCredential(document: MrzDocument): IdentityCredential {
  const subjectIds = [`DOC:${document.issuingState}:${document.documentNumber}`];
  if (document.citizenId !== null) subjectIds.push(`VN-ID:${document.citizenId}`);
  return {
    kind: 'mrz',
    subjectIds,
    holder: { name: mrzDisplayName(document), dateOfBirth: document.dateOfBirth },
    identity: {
      documentNumber: document.documentNumber,
      documentCode: document.documentCode,
      surname: document.surname,
      givenNames: document.givenNames,
      issuingState: document.issuingState,
      nationality: document.nationality,
      sex: document.sex,
      expiryDate: document.expiryDate,
    },
  };
}

export function createMrzDecoder(now: () => number): CredentialDecoder {
  return {
    name: 'mrz',
    claims: looksLikeMrz,
    decode(text): StageResult<IdentityCredential> {
      const document = parseMrz(text, now());
      return document.ok ? stageOk(mrzCredential(document.value)) : document;
    },
  };
}
