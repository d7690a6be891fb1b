// What a border guard's screen shows of a credential (VerdictView.border): identity fields to
// compare with the traveller and the health credential's details. Only ever built in a border
// lane; a venue door keeps the masked holder alone.
import type { BorderDetails } from '../../common/ipc/contract.js';
import type { Credential } from '../../common/types/credential.js';

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function firstOf(value: unknown): Record<string, unknown> | null {
  return Array.isArray(value) ? record(value[0]) : null;
}

/** Copies only the fields that are present: the contract's optional fields stay absent. */
function defined<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;
}

export function borderDetailsOf(credential: Credential): BorderDetails {
  const base = { fullName: credential.holder.name, dateOfBirth: credential.holder.dateOfBirth };
  switch (credential.kind) {
    case 'pc1':
      return defined({
        ...base,
        issuer: credential.issuer,
        validUntil: credential.expiresAt * 1000,
        vaccination: defined({ doses: credential.vaccination.doses, lastDoseDate: credential.vaccination.lastDoseDate }),
      });
    case 'dcc': {
      const payload = record(credential.payload);
      const names = record(payload?.['nam']);
      const vaccination = firstOf(payload?.['v']);
      const test = firstOf(payload?.['t']);
      const doses = vaccination?.['dn'];
      return defined({
        ...base,
        surname: text(names?.['fn']),
        givenNames: text(names?.['gn']),
        issuer: text(vaccination?.['is']) ?? text(test?.['is']) ?? credential.issuer,
        validUntil: credential.expiresAt * 1000,
        certificateType: credential.certificateType,
        vaccination: typeof doses === 'number' ? defined({ doses, lastDoseDate: text(vaccination?.['dt']) }) : undefined,
        test: test === null ? undefined : defined({ type: text(test['tt']), result: text(test['tr']), sampledAt: text(test['sc']) }),
      });
    }
    case 'cccd':
    case 'mrz':
    case 'pccovid-v1':
    case 'health-declaration': {
      const identity = credential.identity;
      return defined({
        ...base,
        surname: identity.surname,
        givenNames: identity.givenNames,
        nationality: identity.nationality,
        sex: identity.sex,
        documentNumber: identity.documentNumber,
        documentExpiry: identity.expiryDate,
      });
    }
    default: {
      const unreachable: never = credential;
      throw new Error(`unknown credential ${String(unreachable)}`);
    }
  }
}
