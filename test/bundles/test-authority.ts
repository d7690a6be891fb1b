// A whole authority for tests and benchmarks: root and publisher keys, a device, one epoch key,
// and one-line builders for every bundle type, all through the real publisher (src/hub).
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { RootKey } from '../../src/common/bundle/key-list.js';
import { encodePolicyPayload } from '../../src/common/bundle/policy-payload.js';
import { encodeSignerList, type SignerListPayload } from '../../src/common/bundle/signer-list.js';
import { encodeSealedEpochKey } from '../../src/common/bundle/epoch-key-payload.js';
import type { StatusRecord } from '../../src/common/bundle/status-record.js';
import type { StatusPolicy } from '../../src/common/types/policy.js';
import { BundlePublisher, bundleBytes, endorse, type PublishedBundle } from '../../src/hub/publisher/publisher.js';
import { generateEpochKey, sealEpochKey } from '../../src/hub/publisher/seal-epoch-key.js';
import { generateSigningKey, keyIdOfRaw, rawPublicKey, type SigningKey } from '../../src/hub/publisher/signing-key.js';
import {
  buildAliasMapPayload,
  buildStatusDeltaPayload,
  buildStatusSnapshotPayload,
  type AliasRecord,
  type StatusChange,
  type SubjectStatusRecord,
} from '../../src/hub/publisher/status-builders.js';

export const DAY_MS = 86_400_000;

export interface TestClock {
  now: number;
}

export class TestAuthority {
  readonly root: SigningKey = generateSigningKey();
  publisherKey: SigningKey = generateSigningKey();
  readonly device: { privateKey: KeyObject; publicKey: Uint8Array; kid: Uint8Array };
  epoch = 1;
  epochKey: Uint8Array = generateEpochKey();
  publisher: BundlePublisher;
  validForMs = 30 * DAY_MS;

  constructor(readonly clock: TestClock = { now: Date.UTC(2026, 10, 27, 7, 0, 0) }) {
    const { privateKey } = generateKeyPairSync('x25519');
    const publicKey = rawPublicKey(privateKey, 'X25519');
    this.device = { privateKey, publicKey, kid: keyIdOfRaw(publicKey) };
    this.publisher = this.newPublisher();
  }

  newPublisher(heads = {}): BundlePublisher {
    return new BundlePublisher({ publisherKey: this.publisherKey, rootKey: this.root, heads, now: () => this.clock.now });
  }

  get rootKeys(): RootKey[] {
    return [{ kid: this.root.kid, publicKey: this.root.publicKey }];
  }

  keyList(keys: SigningKey[] = [this.publisherKey]): Uint8Array {
    const from = this.clock.now - 365 * DAY_MS;
    const to = this.clock.now + 365 * DAY_MS;
    return bundleBytes(this.publisher.publishKeyList(keys.map((key) => endorse(key, from, to)), this.validForMs));
  }

  epochKeyBundle(devicePublicKey: Uint8Array = this.device.publicKey, publisher = this.publisher): Uint8Array {
    const sealed = sealEpochKey(this.epochKey, this.epoch, devicePublicKey);
    return bundleBytes(
      publisher.publish({ type: 'epoch-key', payload: encodeSealedEpochKey(sealed), validForMs: this.validForMs, epoch: this.epoch, device: sealed.device }),
    );
  }

  snapshotBundle(records: Iterable<SubjectStatusRecord>, publisher = this.publisher): PublishedBundle {
    const payload = buildStatusSnapshotPayload(records, { epoch: this.epoch, epochKey: this.epochKey });
    return publisher.publish({ type: 'status-snapshot', payload, validForMs: this.validForMs, epoch: this.epoch });
  }

  snapshot(records: Iterable<SubjectStatusRecord>, publisher = this.publisher): Uint8Array {
    return bundleBytes(this.snapshotBundle(records, publisher));
  }

  delta(changes: Iterable<StatusChange>, publisher = this.publisher): Uint8Array {
    const payload = buildStatusDeltaPayload(changes, { epoch: this.epoch, epochKey: this.epochKey });
    return bundleBytes(publisher.publish({ type: 'status-delta', payload, validForMs: this.validForMs, epoch: this.epoch }));
  }

  aliasMap(aliases: Iterable<AliasRecord>): Uint8Array {
    const payload = buildAliasMapPayload(aliases, { epoch: this.epoch, epochKey: this.epochKey });
    return bundleBytes(this.publisher.publish({ type: 'alias-map', payload, validForMs: this.validForMs, epoch: this.epoch }));
  }

  signerList(payload: SignerListPayload): Uint8Array {
    return bundleBytes(this.publisher.publish({ type: 'signer-list', payload: encodeSignerList(payload), validForMs: this.validForMs }));
  }

  policy(policy: StatusPolicy): Uint8Array {
    return bundleBytes(
      this.publisher.publish({ type: 'policy', payload: encodePolicyPayload({ format: 'status-v1', policy }), validForMs: this.validForMs }),
    );
  }
}

export function recordOf(status: StatusRecord['status'], validUntil: number, doses = 2): StatusRecord {
  return { status, doses, lastDoseDate: doses > 0 ? '2021-10-01' : null, lastNegativeTestAt: null, recoveryDate: null, validUntil };
}

export const idOf = (i: number): string => `VN-ID:${String(790000000000 + i)}`;
