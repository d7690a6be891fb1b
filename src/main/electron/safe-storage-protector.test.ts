import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDeviceKeys, KeyStorageError, loadDeviceKeys } from '../provision/device-keys.js';
import { safeStorageProtector, type SafeStorageLike } from './safe-storage-protector.js';

/** A keyring that XORs with a secret byte: enough to tell wrapped from plain. */
function fakeSafeStorage(backend: string): SafeStorageLike {
  return {
    isEncryptionAvailable: () => true,
    encryptString: (text) => Buffer.from(Buffer.from(text, 'utf8').map((byte) => byte ^ 0x5a)),
    decryptString: (data) => Buffer.from(data.map((byte) => byte ^ 0x5a)).toString('utf8'),
    getSelectedStorageBackend: () => backend,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'pccovid-safe-storage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('safeStorage key protection', () => {
  it('wraps the device keys when the OS keyring is real, and only that protector opens them', () => {
    const protector = safeStorageProtector(fakeSafeStorage('gnome_libsecret'), 'linux');
    expect(protector).not.toBeNull();
    const made = createDeviceKeys(dir, protector);
    const file = readFileSync(join(dir, 'device-key.pem'), 'utf8');
    expect(file).toMatch(/^pccovid-protected-key v1 electron-safeStorage\n/);
    expect(file).not.toContain('PRIVATE KEY');
    const loaded = loadDeviceKeys(dir, 'dev-x', protector);
    expect(loaded?.signing.publicKeyBase64).toBe(made.signing.publicKeyBase64);
    expect(loaded?.sealingPublicHex).toBe(made.sealingPublicHex);
    expect(() => loadDeviceKeys(dir, 'dev-x', null)).toThrow(KeyStorageError);
  });

  it('is not used without a real keyring (Linux basic_text, or encryption unavailable)', () => {
    expect(safeStorageProtector(fakeSafeStorage('basic_text'), 'linux')).toBeNull();
    expect(safeStorageProtector({ ...fakeSafeStorage('kwallet5'), isEncryptionAvailable: () => false }, 'linux')).toBeNull();
    expect(safeStorageProtector(fakeSafeStorage('unknown'), 'win32')).not.toBeNull();
  });
});
