import { generateKeyPairSync } from 'node:crypto';
import { Aes128Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';
import { describe, expect, it } from 'vitest';
import { hpkeOpen, hpkeSeal, rawX25519PublicKey, x25519PrivateKeyFromRaw, x25519PublicKeyFromRaw } from './hpke.js';

const hex = (value: string): Buffer => Buffer.from(value, 'hex');

// RFC 9180 appendix A.1.1: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base mode.
const A11 = {
  info: '4f6465206f6e2061204772656369616e2055726e',
  skEm: '52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736',
  pkRm: '3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d',
  skRm: '4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8',
  enc: '37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431',
  sharedSecret: 'fe0e18c9f024ce43799ae393c7e8fe8fce9d218875e8227b0187c04e7d2ea1fc',
  key: '4531685d41d65f03dc48f6b8302c05b0',
  baseNonce: '56d890e5accaaf011cff4b7d',
  pt: '4265617574792069732074727574682c20747275746820626561757479',
  aad0: '436f756e742d30',
  ct0: 'f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a',
};

function cipherSuite(): CipherSuite {
  return new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes128Gcm() });
}

describe('HPKE base mode, X25519 / HKDF-SHA256 / AES-128-GCM', () => {
  it('reproduces RFC 9180 test vector A.1.1 (sequence 0)', () => {
    const sealed = hpkeSeal({
      recipientPublicKey: x25519PublicKeyFromRaw(hex(A11.pkRm)),
      info: hex(A11.info),
      aad: hex(A11.aad0),
      plaintext: hex(A11.pt),
      ephemeralPrivateKey: x25519PrivateKeyFromRaw(hex(A11.skEm)),
    });
    expect(sealed.enc.toString('hex')).toBe(A11.enc);
    expect(sealed.schedule.sharedSecret.toString('hex')).toBe(A11.sharedSecret);
    expect(sealed.schedule.key.toString('hex')).toBe(A11.key);
    expect(sealed.schedule.baseNonce.toString('hex')).toBe(A11.baseNonce);
    expect(sealed.ciphertext.toString('hex')).toBe(A11.ct0);
    const opened = hpkeOpen({
      recipientPrivateKey: x25519PrivateKeyFromRaw(hex(A11.skRm)),
      enc: hex(A11.enc),
      ciphertext: hex(A11.ct0),
      info: hex(A11.info),
      aad: hex(A11.aad0),
    });
    expect(opened.toString('hex')).toBe(A11.pt);
  });

  it('refuses to open with another AAD or another key', () => {
    const { privateKey, publicKey } = generateKeyPairSync('x25519');
    const sealed = hpkeSeal({ recipientPublicKey: publicKey, info: Buffer.from('i'), aad: Buffer.from('nonce-1'), plaintext: Buffer.from('VN-ID:079190001234') });
    const open = (aad: string, key = privateKey): Buffer =>
      hpkeOpen({ recipientPrivateKey: key, enc: sealed.enc, ciphertext: sealed.ciphertext, info: Buffer.from('i'), aad: Buffer.from(aad) });
    expect(open('nonce-1').toString()).toBe('VN-ID:079190001234');
    expect(() => open('nonce-2')).toThrow();
    expect(() => open('nonce-1', generateKeyPairSync('x25519').privateKey)).toThrow();
  });

  it('interoperates with @hpke/core both ways', async () => {
    const suite = cipherSuite();
    const { privateKey, publicKey } = generateKeyPairSync('x25519');
    const info = Buffer.from('pccovid checkin subject v1');
    const aad = Buffer.from('01J00000000000000000000000');
    const ours = hpkeSeal({ recipientPublicKey: publicKey, info, aad, plaintext: Buffer.from('["VN-ID:079190001234"]') });
    const jwk = privateKey.export({ format: 'jwk' });
    const theirKey = await suite.kem.importKey('jwk', { kty: 'OKP', crv: 'X25519', d: jwk.d, x: jwk.x }, false);
    const opened = await suite.open({ recipientKey: theirKey, enc: ours.enc, info }, ours.ciphertext, aad);
    expect(Buffer.from(opened).toString()).toBe('["VN-ID:079190001234"]');

    const theirPublic = await suite.kem.importKey('raw', Uint8Array.from(rawX25519PublicKey(publicKey)).buffer, true);
    const theirs = await suite.seal({ recipientPublicKey: theirPublic, info }, Buffer.from('DOC:VNM:C1234567'), aad);
    const back = hpkeOpen({ recipientPrivateKey: privateKey, enc: Buffer.from(theirs.enc), ciphertext: Buffer.from(theirs.ct), info, aad });
    expect(back.toString()).toBe('DOC:VNM:C1234567');
  });

  it('never reuses an ephemeral key, also from the pool made between seals', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('x25519');
    const seen = new Set<string>();
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 12; i++) {
        const plaintext = Buffer.from(`subject ${String(round)}-${String(i)}`);
        const sealed = hpkeSeal({ recipientPublicKey: publicKey, info: Buffer.from('i'), aad: Buffer.from('row'), plaintext });
        seen.add(sealed.enc.toString('hex'));
        expect(hpkeOpen({ recipientPrivateKey: privateKey, enc: sealed.enc, ciphertext: sealed.ciphertext, info: Buffer.from('i'), aad: Buffer.from('row') })).toEqual(plaintext);
      }
      // Let the pool refill between check-ins, as at a door.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(seen.size).toBe(48);
  });
});
