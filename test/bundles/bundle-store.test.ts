// Bundles from the real publisher (src/hub) installed by the real kiosk store (src/main), on
// real files in temporary directories.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBundlePrefix, concatBundle, signBundleHeader } from '../../src/common/bundle/bundle-format.js';
import { encodeSealedEpochKey } from '../../src/common/bundle/epoch-key-payload.js';
import { DEFAULT_VENUE_POLICY } from '../../src/common/types/policy.js';
import { BundleError } from '../../src/main/bundles/bundle-error.js';
import { BundleStore, type BundleStoreOptions } from '../../src/main/bundles/bundle-store.js';
import { MANIFEST_FILE } from '../../src/main/bundles/manifest.js';
import { bundleBytes } from '../../src/hub/publisher/publisher.js';
import { generateEpochKey, sealEpochKey } from '../../src/hub/publisher/seal-epoch-key.js';
import { generateSigningKey, sha256, signWith } from '../../src/hub/publisher/signing-key.js';
import { DAY_MS, idOf, recordOf, TestAuthority } from './test-authority.js';

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'pccovid-bundles-'));

function setup(options: Partial<BundleStoreOptions> = {}) {
  const authority = new TestAuthority();
  const dir = tempDir();
  const open = (extra: Partial<BundleStoreOptions> = {}) =>
    BundleStore.open({
      dir,
      rootKeys: authority.rootKeys,
      deviceKey: authority.device.privateKey,
      now: () => authority.clock.now,
      compactAbove: null,
      ...options,
      ...extra,
    });
  return { authority, dir, open, store: open() };
}

const until = (authority: TestAuthority): number => authority.clock.now + 10 * DAY_MS;

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof BundleError) return error.code;
    throw error;
  }
  return 'installed';
}

/** A kiosk with a key list, an epoch key and a snapshot of `n` people, all green but #1 yellow. */
function provisioned(n = 50, options: Partial<BundleStoreOptions> = {}) {
  const ctx = setup(options);
  const { authority, store } = ctx;
  store.install(authority.keyList());
  store.install(authority.epochKeyBundle());
  const records = Array.from({ length: n }, (_, i) => ({ id: idOf(i), record: recordOf(i === 1 ? 'yellow' : 'green', until(authority)) }));
  store.install(authority.snapshot(records));
  return ctx;
}

describe('bundle store: install and reopen', () => {
  it('installs every bundle type and finds the same state after reopening', () => {
    const { authority, store, open } = provisioned();
    store.install(authority.delta([{ id: idOf(0), record: recordOf('red', until(authority)) }]));
    store.install(authority.aliasMap([{ alias: 'APP:bluezone:B0000001', id: idOf(1) }]));
    store.install(
      authority.signerList({
        issuerKeys: [{ kid: new Uint8Array([1, 2]), issuer: 'VN-MOH', alg: 'EdDSA', publicKeySpki: generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }) }],
        dccSigners: [],
      }),
    );
    store.install(authority.policy({ ...DEFAULT_VENUE_POLICY, id: 'border-v2', outcomes: { ...DEFAULT_VENUE_POLICY.outcomes, unknown: 'deny' } }));
    for (const s of [store, open()]) {
      expect(s.problems).toEqual([]);
      expect(s.status.lookup([idOf(0)])?.status).toBe('red');
      expect(s.status.lookup([idOf(2)])?.status).toBe('green');
      expect(s.status.lookup(['APP:bluezone:B0000001'])?.status).toBe('yellow');
      expect(s.status.lookup([idOf(999)])).toBeUndefined();
      expect(s.signerList?.issuerKeys[0]?.issuer).toBe('VN-MOH');
      expect(s.policy?.policy.id).toBe('border-v2');
      expect(s.ages(authority.clock.now).map((a) => a.type).sort()).toEqual(
        ['alias-map', 'epoch-key', 'key-list', 'policy', 'signer-list', 'status-delta', 'status-snapshot'],
      );
    }
  });

  it('reads bundles from a file too', () => {
    const { authority, store, dir } = provisioned();
    const path = join(dir, 'incoming.bundle');
    writeFileSync(path, authority.delta([{ id: idOf(3), record: null }]));
    expect(store.install({ path })).toMatchObject({ type: 'status-delta', entries: 1 });
    expect(store.status.lookup([idOf(3)])).toBeUndefined();
  });

  it('knows each bundle age and reports an expired one as stale, still using it', () => {
    const { authority, store } = provisioned();
    authority.clock.now += 2 * 3_600_000;
    expect(store.ageOf('status-snapshot', authority.clock.now)).toMatchObject({ ageMs: 2 * 3_600_000, stale: false });
    authority.clock.now += authority.validForMs;
    expect(store.ageOf('status-snapshot', authority.clock.now)?.stale).toBe(true);
    expect(store.ages(authority.clock.now).every((age) => age.stale)).toBe(true);
    expect(store.status.lookup([idOf(2)])?.status).toBe('green');
  });
});

describe('bundle store: refusals', () => {
  it('refuses a bundle with any single byte flipped, and changes nothing', () => {
    const { authority, store, dir } = provisioned();
    const delta = authority.delta([{ id: idOf(0), record: recordOf('red', until(authority)) }]);
    const keyList = authority.keyList();
    const before = readdirSync(join(dir, 'objects')).sort();
    for (const bundle of [delta, keyList]) {
      for (let i = 0; i < bundle.length; i++) {
        for (const mask of [0x01, 0x80]) {
          const flipped = new Uint8Array(bundle);
          flipped[i] = (flipped[i] ?? 0) ^ mask;
          expect(refusal(() => store.install(flipped)), `byte ${i} ^ ${mask}`).not.toBe('installed');
        }
      }
    }
    expect(readdirSync(join(dir, 'objects')).sort()).toEqual(before);
    expect(store.status.lookup([idOf(0)])?.status).toBe('green');
    expect(store.install(delta).sequence).toBe(2);
  });

  it('refuses an older or replayed bundle (rollback)', () => {
    const { authority, store } = provisioned();
    const first = authority.delta([{ id: idOf(0), record: recordOf('red', until(authority)) }]);
    const second = authority.delta([{ id: idOf(0), record: recordOf('green', until(authority)) }]);
    store.install(first);
    store.install(second);
    expect(refusal(() => store.install(first))).toBe('rollback');
    expect(refusal(() => store.install(second))).toBe('rollback');
    const oldKeyList = authority.keyList();
    store.install(authority.keyList());
    expect(refusal(() => store.install(oldKeyList))).toBe('rollback');
    expect(store.status.lookup([idOf(0)])?.status).toBe('green');
  });

  it('refuses a delta whose previous hash is not the installed state', () => {
    const { authority, store } = provisioned();
    const fork = authority.newPublisher(authority.publisher.heads());
    store.install(authority.delta([{ id: idOf(0), record: recordOf('red', until(authority)) }]));
    // The fork's first delta names the snapshot, its second names that first delta: neither is
    // the delta installed.
    authority.delta([{ id: idOf(5), record: null }], fork);
    const forked = authority.delta([{ id: idOf(6), record: null }], fork);
    expect(refusal(() => store.install(forked))).toBe('chain_broken');
    expect(store.status.lookup([idOf(6)])).toBeDefined();
  });

  it('refuses a delta with no snapshot, and a fork of a whole-state stream at the next sequence', () => {
    const { authority, store } = setup();
    store.install(authority.keyList());
    store.install(authority.epochKeyBundle());
    expect(refusal(() => store.install(authority.delta([{ id: idOf(0), record: null }])))).toBe('chain_broken');
    const heads = authority.publisher.heads();
    authority.policy(DEFAULT_VENUE_POLICY);
    store.install(authority.policy(DEFAULT_VENUE_POLICY)); // policy #2: a gap from nothing is fine
    const fork = authority.newPublisher({ ...heads, policy: { sequence: 2, hash: new Uint8Array(32) } });
    const forkedPolicy = bundleBytes(fork.publish({ type: 'policy', payload: parsePayload(authority.policy(DEFAULT_VENUE_POLICY)), validForMs: DAY_MS }));
    expect(refusal(() => store.install(forkedPolicy))).toBe('chain_broken');
  });

  it('refuses an expired bundle and one dated in the future', () => {
    const { authority, store } = provisioned();
    const delta = authority.delta([{ id: idOf(0), record: null }]);
    authority.clock.now += authority.validForMs;
    expect(refusal(() => store.install(delta))).toBe('expired');
    authority.clock.now -= authority.validForMs + 3_600_000;
    expect(refusal(() => store.install(delta))).toBe('not_yet_valid');
  });

  it('refuses unknown and unendorsed signing keys; follows a key rotation', () => {
    const { authority, store } = provisioned();
    // A key list signed by anything but the pinned root.
    const impostor = new TestAuthority(authority.clock);
    expect(refusal(() => store.install(impostor.keyList()))).toBe('unknown_key');
    // A bundle signed by a key the key list does not carry.
    const rogue = generateSigningKey();
    const rogueDelta = bundleBytes(
      authority.newPublisher(authority.publisher.heads()).publish({ type: 'policy', payload: parsePayload(authority.policy(DEFAULT_VENUE_POLICY)), validForMs: DAY_MS }),
    );
    expect(refusal(() => store.install(rebind(rogueDelta, rogue)))).toBe('unknown_key');
    // A key endorsed only for policies may not sign a status delta.
    const narrow = generateSigningKey();
    const from = authority.clock.now - DAY_MS;
    store.install(
      bundleBytes(
        authority.publisher.publishKeyList(
          [
            { kid: authority.publisherKey.kid, publicKey: authority.publisherKey.publicKey, types: ['status-delta', 'policy'], notBefore: from, notAfter: from + 9 * DAY_MS },
            { kid: narrow.kid, publicKey: narrow.publicKey, types: ['policy'], notBefore: from, notAfter: from + 9 * DAY_MS },
          ],
          DAY_MS,
        ),
      ),
    );
    const narrowDelta = rebind(authority.delta([{ id: idOf(0), record: null }], authority.newPublisher(authority.publisher.heads())), narrow);
    expect(refusal(() => store.install(narrowDelta))).toBe('key_not_endorsed');
    // Rotation: a key list endorsing only the new key; bundles by the old key are refused.
    const oldKey = authority.publisherKey;
    authority.publisherKey = generateSigningKey();
    const heads = authority.publisher.heads();
    store.install(authority.keyList([authority.publisherKey]));
    authority.publisher = authority.newPublisher(heads);
    expect(store.install(authority.delta([{ id: idOf(4), record: null }])).type).toBe('status-delta');
    expect(refusal(() => store.install(rebind(authority.delta([{ id: idOf(5), record: null }], authority.newPublisher(authority.publisher.heads())), oldKey)))).toBe('unknown_key');
  });

  it('refuses an epoch key sealed to another device, or one that does not open', () => {
    const { authority, store } = setup();
    store.install(authority.keyList());
    const other = new TestAuthority(authority.clock);
    expect(refusal(() => store.install(authority.epochKeyBundle(other.device.publicKey)))).toBe('wrong_device');
    const sealed = sealEpochKey(generateEpochKey(), authority.epoch, authority.device.publicKey);
    sealed.ciphertext[0] = (sealed.ciphertext[0] ?? 0) ^ 1; // signed after tampering: only the seal can tell
    const bad = bundleBytes(
      authority.publisher.publish({ type: 'epoch-key', payload: encodeSealedEpochKey(sealed), validForMs: DAY_MS, epoch: authority.epoch, device: sealed.device }),
    );
    expect(refusal(() => store.install(bad))).toBe('unseal_failed');
    const noDevice = setup({ deviceKey: null });
    noDevice.store.install(noDevice.authority.keyList());
    expect(refusal(() => noDevice.store.install(noDevice.authority.epochKeyBundle()))).toBe('no_device_key');
  });

  it('refuses a snapshot before its epoch key, and a signed but malformed table', () => {
    const { authority, store } = setup();
    store.install(authority.keyList());
    expect(refusal(() => store.install(authority.snapshot([{ id: idOf(0), record: recordOf('green', until(authority)) }])))).toBe('epoch_key_missing');
    store.install(authority.epochKeyBundle());
    const broken = bundleBytes(authority.publisher.publish({ type: 'status-snapshot', payload: new Uint8Array(100), validForMs: DAY_MS, epoch: 1 }));
    expect(refusal(() => store.install(broken))).toBe('malformed');
    expect(store.statusCache).toBeNull();
  });

  it('says what to do in its error message', () => {
    const { authority, store } = provisioned();
    const delta = authority.delta([{ id: idOf(0), record: null }]);
    store.install(delta);
    expect(() => store.install(delta)).toThrow(/not newer than the installed status-delta #2.*Fetch the latest from the hub/);
  });
});

describe('bundle store: snapshots, compaction and damage', () => {
  it('replaces deltas with a newer snapshot, skipping sequence numbers, and deletes the old files', () => {
    const { authority, store, dir } = provisioned();
    store.install(authority.delta([{ id: idOf(0), record: null }]));
    authority.delta([{ id: idOf(1), record: null }]); // published, never received
    store.install(authority.snapshot([{ id: idOf(7), record: recordOf('red', until(authority)) }]));
    expect(store.status.lookup([idOf(0)])).toBeUndefined();
    expect(store.status.lookup([idOf(7)])?.status).toBe('red');
    expect(readdirSync(join(dir, 'objects'))).toHaveLength(3); // key list, epoch key, snapshot
  });

  it('compacts the overlay into a table with the same answers, before and after reopening', async () => {
    const { authority, store, open, dir } = provisioned(200, { compactAbove: 5 });
    const small = store.install(authority.delta([{ id: idOf(0), record: recordOf('red', until(authority)) }]));
    expect(small.compacting).toBe(false);
    const changes = Array.from({ length: 10 }, (_, i) => ({ id: idOf(300 + i), record: recordOf('yellow', until(authority)) }));
    expect(store.install(authority.delta([...changes, { id: idOf(2), record: null }])).compacting).toBe(true);
    expect(await store.whenCompacted()).toBe(true);
    for (const s of [store, open()]) {
      expect(s.statusCache?.overlaySize).toBe(0);
      expect(s.status.lookup([idOf(0)])?.status).toBe('red');
      expect(s.status.lookup([idOf(305)])?.status).toBe('yellow');
      expect(s.status.lookup([idOf(2)])).toBeUndefined();
      expect(s.status.lookup([idOf(199)])?.status).toBe('green');
    }
    expect(readdirSync(join(dir, 'objects')).filter((f) => f.endsWith('.table'))).toHaveLength(1);
    expect(readdirSync(join(dir, 'objects')).filter((f) => f.endsWith('.bundle'))).toHaveLength(2);
    // Deltas keep applying on the compacted table.
    store.install(authority.delta([{ id: idOf(305), record: null }]));
    expect(store.status.lookup([idOf(305)])).toBeUndefined();
  });

  it('gives the worker the base table in place when it is in shared memory, else its file', async () => {
    const { authority, store, open } = provisioned(300, { compactAbove: 5 });
    const changes = (from: number, status: 'red' | 'yellow') =>
      Array.from({ length: 8 }, (_, i) => ({ id: idOf(from + i), record: recordOf(status, until(authority)) }));
    // A snapshot installed from bytes in this run: the worker reads its file.
    store.install(authority.delta(changes(1_000, 'red')));
    expect(await store.whenCompacted()).toBe(true);
    expect(store.lastCompaction).toMatchObject({ baseShared: false, entries: 308 });
    // The table a compaction made is shared memory.
    store.install(authority.delta(changes(2_000, 'yellow')));
    expect(await store.whenCompacted()).toBe(true);
    expect(store.lastCompaction).toMatchObject({ baseShared: true, entries: 316 });
    // So is a table opened from its file at start, once loaded.
    const reopened = open();
    await reopened.whenLoaded();
    reopened.install(authority.delta(changes(3_000, 'red')));
    expect(await reopened.whenCompacted()).toBe(true);
    expect(reopened.lastCompaction).toMatchObject({ baseShared: true, entries: 324 });
    for (const [id, status] of [[1_003, 'red'], [2_007, 'yellow'], [3_000, 'red'], [299, 'green']] as const) {
      expect(reopened.status.lookup([idOf(id)])?.status, String(id)).toBe(status);
      expect(open().status.lookup([idOf(id)])?.status, String(id)).toBe(status);
    }
  });

  it('answers lookups the same while compacting; a status bundle meanwhile is "busy", changes nothing, and installs once after', async () => {
    const { authority, store, open, dir } = provisioned(2_000, { compactAbove: 5 });
    const changes = Array.from({ length: 10 }, (_, i) => ({ id: idOf(3_000 + i), record: recordOf('red', until(authority)) }));
    expect(store.install(authority.delta([...changes, { id: idOf(2), record: null }])).compacting).toBe(true);
    expect(store.compacting).toBe(true);
    const probes = [idOf(2), idOf(1), idOf(1_999), idOf(3_004), idOf(9_999)];
    const answers = probes.map((id) => store.status.lookup([id])?.status);
    expect(answers).toEqual([undefined, 'yellow', 'green', 'red', undefined]);

    const delta = authority.delta([{ id: idOf(1), record: recordOf('red', until(authority)) }]);
    const head = store.installed().statusHead?.sequence;
    const busy = store.install(delta);
    expect(busy).toMatchObject({ outcome: 'busy', type: 'status-delta', entries: null });
    expect(store.installed().statusHead?.sequence).toBe(head);
    expect(store.status.lookup([idOf(1)])?.status).toBe('yellow');
    expect(readdirSync(join(dir, 'objects')).some((f) => f.startsWith(busy.hash))).toBe(false);
    // Other streams install meanwhile, and survive the compaction's manifest.
    store.install(authority.policy({ ...DEFAULT_VENUE_POLICY, id: 'during-compaction' }));
    expect(probes.map((id) => store.status.lookup([id])?.status)).toEqual(answers);

    expect(await store.whenCompacted()).toBe(true);
    expect(store.compacting).toBe(false);
    expect(probes.map((id) => store.status.lookup([id])?.status)).toEqual(answers);
    expect(store.policy?.policy.id).toBe('during-compaction');
    expect(store.install(delta)).toMatchObject({ outcome: 'installed', sequence: (head ?? 0) + 1 });
    expect(store.status.lookup([idOf(1)])?.status).toBe('red');
    expect(() => store.install(delta)).toThrow(BundleError); // once only: a replay is a rollback
    const reopened = open();
    expect(reopened.policy?.policy.id).toBe('during-compaction');
    expect(reopened.installed().status?.base.kind).toBe('table');
    expect(probes.map((id) => reopened.status.lookup([id])?.status)).toEqual([undefined, 'red', 'green', 'red', undefined]);
  });

  it('leaves the previous state when a compaction is stopped before it ends', async () => {
    const { authority, store, open, dir } = provisioned(2_000, { compactAbove: 5 });
    const changes = Array.from({ length: 10 }, (_, i) => ({ id: idOf(3_000 + i), record: recordOf('red', until(authority)) }));
    store.install(authority.delta(changes));
    expect(store.compacting).toBe(true);
    await store.close();
    expect(await store.whenCompacted()).toBe(false);
    expect(store.status.lookup([idOf(3_001)])?.status).toBe('red');
    const reopened = open();
    expect(reopened.problems).toEqual([]);
    expect(reopened.installed().status?.base.kind).toBe('snapshot');
    expect(reopened.status.lookup([idOf(3_001)])?.status).toBe('red');
    expect(readdirSync(join(dir, 'objects')).filter((f) => f.includes('.table'))).toEqual([]);
    // The overlay was thawed: the next delta applies (and compacts again).
    expect(store.install(authority.delta([{ id: idOf(5), record: null }]))).toMatchObject({ outcome: 'installed', compacting: true });
    expect(await store.whenCompacted()).toBe(true);
    expect(store.status.lookup([idOf(5)])).toBeUndefined();
  });

  it('runs without a damaged status file, says so, and recovers with the next snapshot', () => {
    const { authority, store, open, dir } = provisioned();
    const snapshotFile = store.installed().status?.snapshot.file ?? '';
    const path = join(dir, 'objects', snapshotFile);
    writeFileSync(path, new Uint8Array(10));
    const reopened = open();
    expect(reopened.problems.join(' ')).toMatch(/status #1 does not load.*runs without them until the next sync/);
    expect(reopened.status.lookup([idOf(2)])).toBeUndefined();
    expect(reopened.keyList).not.toBeNull();
    expect(refusal(() => reopened.install(authority.delta([{ id: idOf(0), record: null }])))).toBe('chain_broken');
    reopened.install(authority.snapshot([{ id: idOf(2), record: recordOf('red', until(authority)) }]));
    expect(reopened.status.lookup([idOf(2)])?.status).toBe('red');
  });

  it('starts empty, with a problem reported, when the manifest is damaged', () => {
    const { dir, open } = provisioned();
    writeFileSync(join(dir, MANIFEST_FILE), new Uint8Array([1, 2, 3]));
    const reopened = open();
    expect(reopened.problems).toHaveLength(1);
    expect(reopened.keyList).toBeNull();
    expect(readdirSync(join(dir, 'objects'))).toEqual([]);
  });
});

/** The payload of a published bundle. */
function parsePayload(bundle: Uint8Array): Uint8Array {
  const parsed = parseBundlePrefix(bundle, bundle.length);
  if (!parsed.ok) throw new Error(parsed.detail);
  return bundle.subarray(parsed.value.payloadOffset);
}

/** The same bundle, re-signed by `key` (claiming to be it). */
function rebind(bundle: Uint8Array, key: ReturnType<typeof generateSigningKey>): Uint8Array {
  const parsed = parseBundlePrefix(bundle, bundle.length);
  if (!parsed.ok) throw new Error(parsed.detail);
  const { header } = parsed.value;
  const payload = bundle.subarray(parsed.value.payloadOffset);
  const parts = signBundleHeader(
    { type: header.type, sequence: header.sequence, issuedAt: header.issuedAt, expiresAt: header.expiresAt, previousHash: header.previousHash, epoch: header.epoch, device: header.device },
    payload,
    key.kid,
    sha256,
    signWith(key),
  );
  return concatBundle(parts.prefix, payload);
}
