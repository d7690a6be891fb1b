// The trust store of a provisioned kiosk: the signer list installed from the hub (PC-Covid issuer
// keys and EU DCC document signer certificates), rebuilt only when a new list is installed.
import { createPublicKey } from 'node:crypto';
import type { SignerListPayload } from '../../common/bundle/signer-list.js';
import type { Logger } from '../log.js';
import type { IssuerKey, TrustStore } from '../pipeline/verify.js';
import { dccSignerKey } from './dcc-signers.js';
import { MapTrustStore } from './trust-store.js';

export function trustStoreFromSignerList(list: SignerListPayload, logger: Logger): MapTrustStore {
  const keys: IssuerKey[] = [];
  for (const issuer of list.issuerKeys) {
    const kidHex = Buffer.from(issuer.kid).toString('hex');
    try {
      keys.push({ kidHex, issuer: issuer.issuer, alg: issuer.alg, publicKey: createPublicKey({ key: Buffer.from(issuer.publicKeySpki), format: 'der', type: 'spki' }) });
    } catch (error) {
      logger.error({ err: error, kid: kidHex }, 'an issuer key of the signer list is unreadable; it is not trusted');
    }
  }
  for (const signer of list.dccSigners) {
    const key = dccSignerKey(signer.certificate, signer.country);
    if (key.ok) keys.push({ ...key.value, kidHex: Buffer.from(signer.kid).toString('hex') });
    else logger.error({ kid: Buffer.from(signer.kid).toString('hex'), reason: key.reason }, 'a DCC signer certificate of the signer list cannot be used');
  }
  return new MapTrustStore(keys);
}

/** Follows the installed signer list: the store is rebuilt when the list object changes. */
export function followSignerList(current: () => SignerListPayload | null, logger: Logger): TrustStore {
  let built: { list: SignerListPayload; store: MapTrustStore } | null = null;
  const empty = new MapTrustStore([]);
  return {
    keysFor(kidHex) {
      const list = current();
      if (list === null) return empty.keysFor(kidHex);
      if (built?.list !== list) built = { list, store: trustStoreFromSignerList(list, logger) };
      return built.store.keysFor(kidHex);
    },
  };
}
