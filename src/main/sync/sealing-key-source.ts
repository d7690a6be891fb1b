// Which key a new check-in's subject is sealed to, decided at each check-in:
// - a provisioned kiosk: the health authority's key from the installed, root-signed key list
//   (src/common/bundle/key-list.ts `seal`); a newer key list with another key (rotation) seals
//   the next rows to it, rows already written keep the key id they were sealed to;
// - a provisioned kiosk whose key list carries no usable authority key: no key at all. The row
//   (the verdict the person saw) is still logged, without its subject, and kiosk:health says so:
//   a provisioned kiosk never seals to a key it made itself;
// - an unprovisioned demo kiosk: the demo authority pair (sealing-key.ts).
import type { Logger } from '../log.js';
import { sealSubject } from './checkin-sealer.js';
import { sealingKeyFromRaw, type SealingKey } from './sealing-key.js';

export type SealingState = 'authority' | 'demo' | 'missing';

export interface SealingChoice {
  state: SealingState;
  /** Null when state is 'missing': the subject is not kept. */
  key: SealingKey | null;
  /** For staff when state is 'missing'; null otherwise. */
  message: string | null;
}

/** What `authorityKey` answers for a kiosk that is not provisioned (demo). */
export const UNPROVISIONED = 'unprovisioned';

export interface SealingKeySourceOptions {
  /**
   * The authority sealing key of the installed key list (raw X25519), null when a provisioned
   * kiosk has none (or no key list is loaded), UNPROVISIONED for a demo kiosk. Asked at every
   * check-in: it answers without making an object.
   */
  authorityKey: () => Uint8Array | null | typeof UNPROVISIONED;
  /** The demo authority's key (made on first use); only an unprovisioned kiosk seals to it. */
  demo: () => SealingKey;
  logger: Logger;
}

export interface SealingKeySource {
  current(): SealingChoice;
}

export const NO_AUTHORITY_KEY_MESSAGE =
  "This kiosk is provisioned but the hub's key list carries no health-authority sealing key: check-ins are logged without the " +
  "person's identity and cannot be traced. The operator runs pccovid-hub authority-key, then key-list and publish; the kiosk " +
  'takes the key at its next sync.';

/** A probe seal: a key that cannot seal (a low-order point) must not make a check-in's write throw. */
function usable(key: SealingKey): boolean {
  try {
    sealSubject(key, '00000000000000000000000000', ['probe']);
    return true;
  } catch {
    return false;
  }
}

export function createSealingKeySource(options: SealingKeySourceOptions): SealingKeySource {
  let adopted: { raw: Uint8Array; choice: SealingChoice } | null = null;
  // Each choice is made once and kept, so a check-in allocates nothing here and the log line is
  // written only when the choice changes (compared by identity).
  let demoChoice: SealingChoice | null = null;
  const missingChoice: SealingChoice = { state: 'missing', key: null, message: NO_AUTHORITY_KEY_MESSAGE };
  let lastSaid: SealingChoice | null = null;

  const say = (choice: SealingChoice): SealingChoice => {
    if (choice !== lastSaid) {
      lastSaid = choice;
      if (choice.state === 'missing') options.logger.error({ sealing: choice.state }, choice.message ?? NO_AUTHORITY_KEY_MESSAGE);
      else options.logger.info({ sealing: choice.state, keyId: choice.key?.keyId }, 'check-in subjects are sealed to this key');
    }
    return choice;
  };

  const fromRaw = (raw: Uint8Array): SealingChoice => {
    if (adopted !== null && adopted.raw === raw) return adopted.choice;
    let choice: SealingChoice;
    try {
      const key = sealingKeyFromRaw(raw);
      choice = usable(key)
        ? { state: 'authority', key, message: null }
        : {
            state: 'missing',
            key: null,
            message: `The health-authority sealing key ${key.keyId} in the hub's key list cannot be used (not a valid X25519 key): check-ins are logged without the person's identity. The operator makes a new one (pccovid-hub authority-key), then key-list and publish.`,
          };
    } catch {
      choice = { state: 'missing', key: null, message: NO_AUTHORITY_KEY_MESSAGE };
    }
    adopted = { raw, choice };
    return choice;
  };

  return {
    current() {
      const authorityKey = options.authorityKey();
      if (authorityKey === UNPROVISIONED) {
        const key = options.demo();
        if (demoChoice?.key !== key) demoChoice = { state: 'demo', key, message: null };
        return say(demoChoice);
      }
      if (authorityKey === null) return say(missingChoice);
      return say(fromRaw(authorityKey));
    },
  };
}
