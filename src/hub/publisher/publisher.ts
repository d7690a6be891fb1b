// Signs bundles and keeps each stream's chain: the next sequence number and the hash of the
// previous bundle. Used by the pccovid-hub CLI now and by the hub server later.
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { concatBundle, signBundleHeader, type SignedBundleParts } from '../../common/bundle/bundle-format.js';
import { streamOf, toHexString, type BundleType } from '../../common/bundle/bundle-types.js';
import { encodeKeyList, type EndorsedKey } from '../../common/bundle/key-list.js';
import { sha256, signWith, type SigningKey } from './signing-key.js';

export interface StreamHead {
  sequence: number;
  /** Bundle hash of the newest bundle of the stream. */
  hash: Uint8Array;
}

export interface PublishedBundle extends SignedBundleParts {
  payload: Uint8Array;
  /** Bundle hash (SHA-256 of the header bytes): what the next bundle of the stream names. */
  hash: Uint8Array;
}

export interface PublishInput {
  type: Exclude<BundleType, 'key-list'>;
  payload: Uint8Array;
  /** How long kiosks treat it as current, from issue. */
  validForMs: number;
  epoch?: number;
  /** Device key id, for epoch-key bundles (each device has its own chain). */
  device?: Uint8Array;
}

export interface BundlePublisherOptions {
  publisherKey: SigningKey;
  /** Only needed to publish key lists. */
  rootKey?: SigningKey | null;
  /** Heads of each chain, as heads() returned them last time. */
  heads?: Record<string, StreamHead>;
  now?: () => number;
}

/** The chain a bundle extends; every device has its own epoch-key chain. */
export function chainName(type: BundleType, device?: Uint8Array): string {
  const stream = streamOf(type);
  return stream === 'epoch-key' ? `epoch-key:${toHexString(device ?? new Uint8Array())}` : stream;
}

export class BundlePublisher {
  private readonly chains: Map<string, StreamHead>;
  private readonly now: () => number;

  constructor(private readonly options: BundlePublisherOptions) {
    this.chains = new Map(Object.entries(options.heads ?? {}));
    this.now = options.now ?? Date.now;
  }

  heads(): Record<string, StreamHead> {
    return Object.fromEntries(this.chains);
  }

  publish(input: PublishInput): PublishedBundle {
    return this.sign(input.type, input.payload, input.validForMs, this.options.publisherKey, input.epoch, input.device);
  }

  /**
   * A key list endorsing `keys`, signed by the root key; with `sealingKey`, it also hands kiosks
   * the health authority's X25519 public key to seal check-in subjects to.
   */
  publishKeyList(keys: readonly EndorsedKey[], validForMs: number, sealingKey?: Uint8Array | null): PublishedBundle {
    const root = this.options.rootKey;
    if (root === undefined || root === null) throw new Error('publishing a key list needs the root key');
    const payload = encodeKeyList(sealingKey === undefined || sealingKey === null ? { keys: [...keys] } : { keys: [...keys], sealingKey });
    return this.sign('key-list', payload, validForMs, root);
  }

  private sign(
    type: BundleType,
    payload: Uint8Array,
    validForMs: number,
    key: SigningKey,
    epoch?: number,
    device?: Uint8Array,
  ): PublishedBundle {
    if (!(validForMs > 0)) throw new RangeError('a bundle must be valid for some time');
    const chain = chainName(type, device);
    const head = this.chains.get(chain);
    const issuedAt = this.now();
    const parts = signBundleHeader(
      {
        type,
        sequence: (head?.sequence ?? 0) + 1,
        issuedAt,
        expiresAt: issuedAt + validForMs,
        previousHash: head?.hash ?? null,
        epoch: epoch ?? null,
        device: device ?? null,
      },
      payload,
      key.kid,
      sha256,
      signWith(key),
    );
    const hash = sha256(parts.headerBytes);
    this.chains.set(chain, { sequence: parts.header.sequence, hash });
    return { ...parts, payload, hash };
  }
}

export function bundleBytes(bundle: PublishedBundle): Uint8Array {
  return concatBundle(bundle.prefix, bundle.payload);
}

/** Writes a bundle file (prefix then payload, no copy of a big payload), durably. */
export function writeBundleFile(path: string, bundle: PublishedBundle): void {
  const temp = `${path}.partial`;
  const fd = openSync(temp, 'w', 0o644);
  try {
    for (const part of [bundle.prefix, bundle.payload]) {
      for (let at = 0; at < part.length; ) at += writeSync(fd, part, at, Math.min(64 << 20, part.length - at));
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

/** The usual endorsement: a publisher key for every type but key lists, for a period. */
export function endorse(key: SigningKey, notBefore: number, notAfter: number): EndorsedKey {
  return {
    kid: key.kid,
    publicKey: key.publicKey,
    types: ['signer-list', 'policy', 'status-snapshot', 'status-delta', 'alias-map', 'epoch-key'],
    notBefore,
    notAfter,
  };
}
