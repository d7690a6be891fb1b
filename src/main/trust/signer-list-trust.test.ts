// A provisioned kiosk's trust comes from the signer list bundle: real EU DCCs verify through the
// DCC signer certificates it carries, PC-Covid passes through its issuer keys, and a new list
// replaces the old one (a signer removed from the list is no longer trusted).
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SignerListPayload } from '../../common/bundle/signer-list.js';
import { moduleLogger } from '../log.js';
import { decodeDcc } from '../pipeline/decoders/dcc/dcc-decoder.js';
import { loadDccVector, VALID_DCC_VECTOR_PATHS } from '../pipeline/decoders/dcc/dcc-test-vectors.js';
import { verifyCredential } from '../pipeline/verify.js';
import { followSignerList, trustStoreFromSignerList } from './signer-list-trust.js';
import { keyIdOf } from './trust-store.js';

const logger = moduleLogger('test');

function listWith(ders: readonly Uint8Array[]): SignerListPayload {
  return { issuerKeys: [], dccSigners: ders.map((der) => ({ kid: keyIdOf(der), country: 'XX', certificate: der })) };
}

describe('trust from the signer list', () => {
  it('verifies real EU DCCs through the DCC signer certificates of the list', () => {
    const vectors = VALID_DCC_VECTOR_PATHS.map(loadDccVector);
    const trust = trustStoreFromSignerList(listWith(vectors.map((v) => v.certificateDer)), logger);
    for (const vector of vectors) {
      const decoded = decodeDcc(vector.prefix);
      if (!decoded.ok) throw new Error(vector.name);
      const verified = verifyCredential(decoded.value, trust, vector.clockMs);
      expect(verified.ok ? 'ok' : verified.reason.code, vector.name).toBe('ok');
    }
  });

  it('follows the installed list: a signer no longer listed is no longer trusted; a bad entry is left out', () => {
    const [first] = VALID_DCC_VECTOR_PATHS.map(loadDccVector);
    if (first === undefined) throw new Error('no vector');
    const kid = Buffer.from(keyIdOf(first.certificateDer)).toString('hex');
    const issuer = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' });
    let installed: SignerListPayload | null = null;
    const trust = followSignerList(() => installed, logger);
    expect(trust.keysFor(kid)).toEqual([]);
    installed = {
      issuerKeys: [
        { kid: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), issuer: 'VN-MOH', alg: 'EdDSA', publicKeySpki: issuer },
        { kid: Uint8Array.of(9, 9, 9, 9, 9, 9, 9, 9), issuer: 'broken', alg: 'EdDSA', publicKeySpki: Uint8Array.of(1, 2, 3) },
      ],
      dccSigners: listWith([first.certificateDer]).dccSigners,
    };
    expect(trust.keysFor(kid)).toHaveLength(1);
    expect(trust.keysFor('0102030405060708')).toMatchObject([{ issuer: 'VN-MOH', alg: 'EdDSA' }]);
    expect(trust.keysFor('0909090909090909')).toEqual([]);
    installed = { issuerKeys: [], dccSigners: [] };
    expect(trust.keysFor(kid)).toEqual([]);
  });
});
