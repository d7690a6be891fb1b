// Stage 5, verdict: what the screen shows and the log keeps. Personal data is reduced to what
// staff need to match a face: a masked name and a birth year.
import type { Credential, SubjectStatus } from '../../common/types/credential.js';
import type { Reason } from '../../common/types/reasons.js';
import type { HolderDisplay, Verdict } from '../../common/types/verdict.js';
import type { PolicyDecision } from './policy.js';

/** "Trần Thị Bích Ngọc" -> "T*** T** B*** N***": each word keeps its first letter. */
export function maskName(name: string): string {
  return name
    .normalize('NFC')
    .split(/\s+/u)
    .filter((word) => word.length > 0)
    .map((word) => {
      const letters = Array.from(word);
      return (letters[0] ?? '') + '*'.repeat(letters.length - 1);
    })
    .join(' ');
}

function holderDisplay(credential: Credential): HolderDisplay {
  const { name, dateOfBirth } = credential.holder;
  return { maskedName: maskName(name), birthYear: dateOfBirth === null ? null : dateOfBirth.slice(0, 4) };
}

/** A scan no decoder could read: the person is asked to scan again. */
export function unreadableVerdict(reason: Reason, nowMs: number): Verdict {
  return {
    outcome: 'deny',
    readable: false,
    reasons: [reason],
    credentialKind: null,
    holder: null,
    status: null,
    decidedAt: nowMs,
  };
}

/**
 * A credential that was read but failed verification (forged, expired, unknown issuer). Its
 * holder is shown only when the signature held (an expired pass): a forgery's name is the
 * forger's words and is not put on screen.
 */
export function rejectedVerdict(credential: Credential, reason: Reason, signatureHeld: boolean, nowMs: number): Verdict {
  return {
    outcome: 'deny',
    readable: true,
    reasons: [reason],
    credentialKind: credential.kind,
    holder: signatureHeld ? holderDisplay(credential) : null,
    status: null,
    decidedAt: nowMs,
  };
}

export function decidedVerdict(
  credential: Credential,
  status: SubjectStatus,
  decision: PolicyDecision,
  nowMs: number,
): Verdict {
  return {
    outcome: decision.outcome,
    readable: true,
    reasons: decision.reasons,
    credentialKind: credential.kind,
    holder: holderDisplay(credential),
    status: status.status,
    decidedAt: nowMs,
  };
}
