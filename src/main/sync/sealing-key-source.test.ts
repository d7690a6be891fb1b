import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { Logger } from '../log.js';
import { rawX25519PublicKey, sealingKeyIdOf } from './hpke.js';
import { sealingKeyFromRaw } from './sealing-key.js';
import { createSealingKeySource, NO_AUTHORITY_KEY_MESSAGE, UNPROVISIONED } from './sealing-key-source.js';

const rawKey = (): Buffer => rawX25519PublicKey(generateKeyPairSync('x25519').publicKey);

function source(authorityKey: () => Uint8Array | null | typeof UNPROVISIONED) {
  const demoKey = sealingKeyFromRaw(rawKey());
  const demo = vi.fn(() => demoKey);
  const logger = { info: vi.fn(), error: vi.fn() } as unknown as Logger & { info: ReturnType<typeof vi.fn>; error: ReturnType<typeof vi.fn> };
  return { demoKey, demo, logger, source: createSealingKeySource({ authorityKey, demo, logger }) };
}

describe('which key a check-in is sealed to', () => {
  it('an unprovisioned kiosk: the demo authority key', () => {
    const { source: s, demoKey } = source(() => UNPROVISIONED);
    expect(s.current()).toEqual({ state: 'demo', key: demoKey, message: null });
  });

  it("a provisioned kiosk: the key list's authority key, a new one after rotation, never the demo's", () => {
    const first = rawKey();
    let installed: Uint8Array | null = first;
    const { source: s, demo, logger } = source(() => installed);
    expect(s.current()).toMatchObject({ state: 'authority', key: { keyId: sealingKeyIdOf(first) }, message: null });
    const second = rawKey();
    installed = second;
    expect(s.current()).toMatchObject({ state: 'authority', key: { keyId: sealingKeyIdOf(second) } });
    expect(s.current().key?.keyId).toBe(sealingKeyIdOf(second));
    expect(demo).not.toHaveBeenCalled();
    // Each change said once in the log, not at every check-in.
    expect(logger.info).toHaveBeenCalledTimes(2);
  });

  it('a provisioned kiosk without an authority key: no key, and says so (once)', () => {
    const { source: s, demo, logger } = source(() => null);
    expect(s.current()).toEqual({ state: 'missing', key: null, message: NO_AUTHORITY_KEY_MESSAGE });
    s.current();
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(demo).not.toHaveBeenCalled();
  });

  it('a key that cannot seal (a low-order point) is missing, not a thrown check-in', () => {
    const lowOrder = new Uint8Array(32); // u = 0
    const { source: s } = source(() => lowOrder);
    const choice = s.current();
    expect(choice).toMatchObject({ state: 'missing', key: null });
    expect(choice.message).toMatch(/cannot be used/);
  });
});
