// The device's private keys wrapped by Electron's safeStorage (the OS keyring: libsecret or
// kwallet on Linux, DPAPI on Windows, Keychain on macOS), so a copy of the data directory alone
// does not hold usable keys. Used only when the keyring is real: Linux's "basic_text" fallback
// is an obfuscation with a fixed key, no better than the file mode, and is not used.
import type { KeyProtector } from '../provision/device-keys.js';

/** The part of Electron's safeStorage used here (a fake in tests). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

export function safeStorageProtector(safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): KeyProtector | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
    if (backend === 'basic_text' || backend === 'unknown') return null;
  }
  return {
    name: 'electron-safeStorage',
    protect: (plain) => safeStorage.encryptString(plain.toString('utf8')),
    unprotect: (wrapped) => Buffer.from(safeStorage.decryptString(wrapped), 'utf8'),
  };
}
