// The health authority's sealing key travels in the root-signed key list: installed with the
// key list's signature, chain and rollback checks, atomically, and back after a reopen; a
// tampered, publisher-signed or older key list carrying another key is refused.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { concatBundle, parseBundlePrefix, signBundleHeader } from '../../src/common/bundle/bundle-format.js';
import { encodeKeyList } from '../../src/common/bundle/key-list.js';
import type { BundleError } from '../../src/main/bundles/bundle-error.js';
import { BundleStore } from '../../src/main/bundles/bundle-store.js';
import { bundleBytes, endorse } from '../../src/hub/publisher/publisher.js';
import { rawPublicKey, sha256, signWith } from '../../src/hub/publisher/signing-key.js';
import { DAY_MS, TestAuthority } from './test-authority.js';

/** Expects `run` to be refused with a BundleError of `code` (nothing installed). */
function expectRefused(run: () => unknown, code: BundleError['code']): void {
  expect(run).toThrow(expect.objectContaining({ name: 'BundleError', code }));
}

const newSealingKey = (): Uint8Array => Uint8Array.from(rawPublicKey(generateKeyPairSync('x25519').privateKey, 'X25519'));

function setup() {
  const authority = new TestAuthority();
  const dir = mkdtempSync(join(tmpdir(), 'pccovid-sealing-key-'));
  const open = (): BundleStore =>
    BundleStore.open({ dir, rootKeys: authority.rootKeys, deviceKey: authority.device.privateKey, now: () => authority.clock.now, compactAbove: null });
  const keyList = (sealingKey: Uint8Array | null): Uint8Array => {
    const endorsed = endorse(authority.publisherKey, authority.clock.now - DAY_MS, authority.clock.now + 365 * DAY_MS);
    return bundleBytes(authority.publisher.publishKeyList([endorsed], authority.validForMs, sealingKey));
  };
  return { authority, open, keyList };
}

describe('the authority sealing key in the key list', () => {
  it('installs with the key list, survives a reopen, and a newer key list rotates it', () => {
    const { open, keyList } = setup();
    const first = newSealingKey();
    const second = newSealingKey();
    const store = open();
    store.install(keyList(first));
    expect(store.keyList?.sealingKey).toEqual(first);
    expect(open().keyList?.sealingKey).toEqual(first);
    store.install(keyList(second));
    expect(store.keyList?.sealingKey).toEqual(second);
    expect(open().keyList?.sealingKey).toEqual(second);
    // A key list without one says so (the kiosk then keeps no subjects and warns).
    store.install(keyList(null));
    expect(store.keyList?.sealingKey).toBeUndefined();
  });

  it('refuses a key list whose sealing key was altered, or that a publisher key signed, or an older one', () => {
    const { authority, open, keyList } = setup();
    const store = open();
    const genuine = keyList(newSealingKey());
    const parsed = parseBundlePrefix(genuine, genuine.length);
    if (!parsed.ok) throw new Error(parsed.detail);

    // The sealing key is the payload's last 32 bytes: swap in an attacker's key.
    const tampered = Uint8Array.from(genuine);
    tampered.set(newSealingKey(), tampered.length - 32);
    expectRefused(() => store.install(tampered), 'payload_mismatch');

    // A header re-made for the attacker's payload, signed by anything but the pinned root key.
    const endorsed = endorse(authority.publisherKey, authority.clock.now - DAY_MS, authority.clock.now + 365 * DAY_MS);
    const forgedPayload = encodeKeyList({ keys: [endorsed], sealingKey: newSealingKey() });
    const { header } = parsed.value;
    const fields = { type: 'key-list' as const, sequence: header.sequence, issuedAt: header.issuedAt, expiresAt: header.expiresAt, previousHash: header.previousHash };
    const byPublisher = signBundleHeader(fields, forgedPayload, authority.publisherKey.kid, sha256, signWith(authority.publisherKey));
    expectRefused(() => store.install(concatBundle(byPublisher.prefix, forgedPayload)), 'unknown_key');
    const rootKidWrongKey = signBundleHeader(fields, forgedPayload, authority.root.kid, sha256, signWith(authority.publisherKey));
    expectRefused(() => store.install(concatBundle(rootKidWrongKey.prefix, forgedPayload)), 'signature_invalid');
    expect(store.keyList).toBeNull();

    // The genuine one installs; then the same or an older key list (another key) is a rollback.
    const older = genuine;
    const newer = keyList(newSealingKey());
    store.install(newer);
    const installedKey = store.keyList?.sealingKey;
    expectRefused(() => store.install(older), 'rollback');
    expectRefused(() => store.install(newer), 'rollback');
    expect(store.keyList?.sealingKey).toEqual(installedKey);
  });
});
