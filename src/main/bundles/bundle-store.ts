// The kiosk's installed bundles: verify, install atomically, load at start, and serve the
// pipeline (status cache, signer list, policy, ages). One directory:
//   manifest.cbor          what the current state is made of (replaced atomically)
//   objects/<hash>.bundle  installed bundles as received (their hash is the header's SHA-256)
//   objects/*.table        a status table compacted here from a snapshot and its deltas
// An install writes its bundle file, then the new manifest; a crash before the manifest's rename
// leaves the previous state whole, and the leftovers are swept at the next open.
// A compaction runs in a worker thread (../status/compaction-runner.ts) while lookups go on; until
// it ends, status bundles are not installed but answered 'busy' (try again later).
import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_PREFIX_BYTES, parseBundlePrefix, bundleSigningInput } from '../../common/bundle/bundle-format.js';
import {
  bundleFail,
  bundleOk,
  bytesEqual,
  toHexString,
  type BundleHeader,
  type BundleResult,
  type BundleType,
} from '../../common/bundle/bundle-types.js';
import { decodeSealedEpochKey } from '../../common/bundle/epoch-key-payload.js';
import { decodeKeyList, type KeyListPayload, type RootKey } from '../../common/bundle/key-list.js';
import { decodePolicyPayload, type PolicyPayload } from '../../common/bundle/policy-payload.js';
import { decodeSignerList, type SignerListPayload } from '../../common/bundle/signer-list.js';
import { readDeltaLayout } from '../../common/bundle/status-delta.js';
import { moduleLogger, type Logger } from '../log.js';
import { bundleAge, type BundleAge, type BundleFreshness } from '../pipeline/freshness.js';
import type { StatusLookup } from '../pipeline/status.js';
import { runCompaction, type CompactionRun } from '../status/compaction-runner.js';
import { CountryStatusCache } from '../status/status-cache.js';
import { openTableFile } from '../status/table-loader.js';
import { TableView } from '../status/table-view.js';
import { checkSequence, checkTimes } from './acceptance.js';
import { BundleError } from './bundle-error.js';
import { keyIdOfRaw, sha256, verifyEd25519 } from './bundle-crypto.js';
import { removeTemporaryFiles, TEMP_MARK, writeFileDurably, writeFileDurablyAsync } from './durable-file.js';
import { deviceKeyIdOf, openSealedEpochKey } from './epoch-key-seal.js';
import { decodeManifest, EMPTY_MANIFEST, encodeManifest, MANIFEST_FILE, referencedFiles, type InstalledBundle, type Manifest } from './manifest.js';
import { readFilePrefix, readWholeFile } from './read-file.js';

/** Payloads up to this size are re-hashed when read back at open; bigger ones are size-checked. */
const REHASH_AT_OPEN_BYTES = 64 << 20;
const OBJECTS_DIR = 'objects';
/** Suffix of a replaced file being deleted in the background (a temporary name: swept at open). */
const TRASH_SUFFIX = `${TEMP_MARK}trash`;

export interface BundleStoreOptions {
  dir: string;
  /** The authority's root keys, pinned at provisioning. */
  rootKeys: readonly RootKey[];
  /** This device's X25519 private key, to open epoch keys; without it no epoch key installs. */
  deviceKey?: KeyObject | null;
  now?: () => number;
  logger?: Logger;
  /**
   * Compact the status overlay into a new table once it holds more entries than this (default:
   * the larger of one million and a sixteenth of the table, about 200 MB of overlay at 100 M
   * entries); null never compacts on its own. A compaction runs in the background.
   */
  compactAbove?: number | null;
}

/**
 * Install steps in order; 'writing' repeats per chunk. A compaction started by a delta's install
 * reports to the same listener later, from the background: 'compacting', 'writing'...,
 * 'object-written', 'manifest-written', 'compacted'.
 */
export type InstallStep = 'verified' | 'writing' | 'object-written' | 'manifest-written' | 'installed' | 'compacting' | 'compacted';

export interface InstallProgress {
  step: InstallStep;
  bytesWritten?: number;
  totalBytes?: number;
}

export interface InstallOptions {
  onProgress?: (progress: InstallProgress) => void;
}

export interface InstallResult {
  /**
   * 'busy': a status bundle that arrived while the status cache is being compacted; nothing was
   * written or applied, and the same bundle installs once the compaction is done (try again
   * later; whenCompacted() settles then). Every other bundle type installs during a compaction.
   */
  outcome: 'installed' | 'busy';
  type: BundleType;
  sequence: number;
  issuedAt: number;
  expiresAt: number;
  /** Bundle hash, hex. */
  hash: string;
  /** Entries of a status snapshot, delta or alias map. */
  entries: number | null;
  /** Whether this install started a compaction of the status overlay (it runs in the background). */
  compacting: boolean;
}

/** What the last compaction cost (the log says it too). */
export interface CompactionReport {
  /** Entries of the new table. */
  entries: number;
  /** Whether the worker read the base table in place (shared memory) rather than from its file. */
  baseShared: boolean;
  /** From start to the new table in use. */
  totalMs: number;
  /** The longest piece of work the compaction did on this thread at one time. */
  longestMainThreadMs: number;
  /** Each piece, ms: the start (freeze, worker), the switch before the manifest, and after it. */
  mainThreadSlicesMs: number[];
}

/** A compaction running in the background. */
interface RunningCompaction {
  cache: CountryStatusCache;
  /** The status head whose data it merges. */
  head: InstalledBundle;
  /** The new table's file, protected from the garbage collection until the manifest names it. */
  file: string;
  run: CompactionRun | null;
  /** Writing the manifest that names the new table: no install of any type until it is written. */
  switching: boolean;
  baseShared: boolean;
  startedAt: number;
  mainThreadSlicesMs: number[];
  /** True once the new table is installed; false when the compaction failed or was abandoned. */
  done: Promise<boolean>;
}

interface LoadedState {
  keyList: KeyListPayload | null;
  signerList: SignerListPayload | null;
  policy: PolicyPayload | null;
  epochKeys: Map<number, Uint8Array>;
  aliases: TableView | null;
  cache: CountryStatusCache | null;
}

interface ReadBundle {
  header: BundleHeader;
  headerBytes: Uint8Array;
  signature: Uint8Array;
  payload: Uint8Array;
}

interface Prepared {
  entries: number | null;
  nextManifest(manifest: Manifest, installed: InstalledBundle): Manifest;
  commit(state: LoadedState): void;
}

function fail(result: { code: BundleError['code']; detail: string }): never {
  throw new BundleError(result.code, result.detail);
}

export class BundleStore implements BundleFreshness {
  readonly dir: string;
  /** What could not be loaded at open (the kiosk runs without it until the next sync). */
  readonly problems: string[] = [];
  private manifest: Manifest = EMPTY_MANIFEST;
  private state: LoadedState = {
    keyList: null,
    signerList: null,
    policy: null,
    epochKeys: new Map(),
    aliases: null,
    cache: null,
  };
  private readonly objectsDir: string;
  private readonly rootKeys: readonly RootKey[];
  private readonly deviceKey: KeyObject | null;
  private readonly deviceKid: Uint8Array | null;
  private readonly now: () => number;
  private readonly logger: Logger;
  private readonly compactAbove: number | null | undefined;
  private statusLoaded: Promise<void> = Promise.resolve();
  private compaction: RunningCompaction | null = null;
  private lastCompactionReport: CompactionReport | null = null;

  /** The pipeline's view of the status cache; it follows every install and compaction. */
  readonly status: StatusLookup;

  private constructor(options: BundleStoreOptions) {
    this.dir = options.dir;
    this.objectsDir = join(options.dir, OBJECTS_DIR);
    this.rootKeys = options.rootKeys;
    this.deviceKey = options.deviceKey ?? null;
    this.deviceKid = this.deviceKey === null ? null : deviceKeyIdOf(this.deviceKey);
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? moduleLogger('bundles');
    this.compactAbove = options.compactAbove;
    const cacheIssuedAt = (): number | null => this.state.cache?.issuedAt ?? null;
    this.status = {
      lookup: (subjectIds) => this.state.cache?.lookup(subjectIds),
      get issuedAt() {
        return cacheIssuedAt();
      },
      freshness: this,
    };
  }

  /** Opens (creating if needed) the bundle directory and loads what is installed. */
  static open(options: BundleStoreOptions): BundleStore {
    const store = new BundleStore(options);
    store.load();
    return store;
  }

  // ---- What the pipeline and the rest of the kiosk read -------------------------------------

  get statusCache(): CountryStatusCache | null {
    return this.state.cache;
  }

  get keyList(): KeyListPayload | null {
    return this.state.keyList;
  }

  get signerList(): SignerListPayload | null {
    return this.state.signerList;
  }

  get policy(): PolicyPayload | null {
    return this.state.policy;
  }

  /** The installed bundle of each stream (status: head), for sync requests and diagnostics. */
  installed(): Manifest {
    return this.manifest;
  }

  ages(nowMs: number): BundleAge[] {
    const m = this.manifest;
    const facts: InstalledBundle[] = [];
    for (const bundle of [m.keyList, m.signerList, m.policy, m.aliasMap, m.epochKeyHead]) if (bundle !== null) facts.push(bundle);
    if (m.status !== null) {
      facts.push(m.status.snapshot);
      if (m.statusHead !== null && m.statusHead.type === 'status-delta') facts.push(m.statusHead);
    }
    return facts.map((bundle) => bundleAge(bundle, nowMs));
  }

  ageOf(type: BundleType, nowMs: number): BundleAge | null {
    return this.ages(nowMs).find((age) => age.type === type) ?? null;
  }

  // ---- Install ------------------------------------------------------------------------------

  /**
   * Verifies and installs one bundle (its bytes, or a file). Throws a BundleError saying why a
   * bundle is refused; a refused or interrupted install leaves the previous state in use.
   * The store keeps the bytes it is given (a snapshot is looked up in place): do not reuse them.
   */
  install(source: Uint8Array | { path: string }, options: InstallOptions = {}): InstallResult {
    const bytes = source instanceof Uint8Array ? source : readWholeFile(source.path);
    const parsed = parseBundlePrefix(bytes, bytes.length);
    if (!parsed.ok) fail(parsed);
    const { header, headerBytes, signature, payloadOffset } = parsed.value;
    const verified = this.verifySignature(header, headerBytes, signature);
    if (!verified.ok) fail(verified);
    const payload = bytes.subarray(payloadOffset);
    const times = checkTimes(header, this.now());
    if (!times.ok) fail(times);
    const sequence = checkSequence(header, this.headOf(header.type));
    if (!sequence.ok) fail(sequence);
    if (this.compaction !== null && (this.compaction.switching || header.type === 'status-snapshot' || header.type === 'status-delta')) {
      // The compaction merges the status data as it is: nothing of the status stream changes
      // until it ends, and no manifest is written while the compaction writes its own (a few
      // ms). Not an error: the download loop tries again later.
      this.logger.info({ type: header.type, sequence: header.sequence }, 'status cache compacting: bundle to install later');
      return {
        outcome: 'busy',
        type: header.type,
        sequence: header.sequence,
        issuedAt: header.issuedAt,
        expiresAt: header.expiresAt,
        hash: toHexString(sha256(headerBytes)),
        entries: null,
        compacting: true,
      };
    }
    // After the busy answer: hashing a gigabyte's snapshot takes a second and a half.
    if (!bytesEqual(sha256(payload), header.payloadSha256)) {
      fail({ code: 'payload_mismatch', detail: `${header.type} #${header.sequence}: payload does not match its signed hash` });
    }
    const prepared = this.prepare(header, payload);
    if (!prepared.ok) fail(prepared);
    options.onProgress?.({ step: 'verified' });

    const hash = sha256(headerBytes);
    const hashHex = toHexString(hash);
    const installed: InstalledBundle = {
      type: header.type,
      sequence: header.sequence,
      hash,
      issuedAt: header.issuedAt,
      expiresAt: header.expiresAt,
      epoch: header.epoch,
      file: `${hashHex}.bundle`,
      size: bytes.length,
    };
    this.writeObject(installed.file, bytes, options);
    options.onProgress?.({ step: 'object-written' });
    const next = prepared.value.nextManifest(this.manifest, installed);
    this.writeManifest(next);
    options.onProgress?.({ step: 'manifest-written' });
    prepared.value.commit(this.state);
    this.collectGarbage();
    this.logger.info({ type: header.type, sequence: header.sequence, hash: hashHex }, 'bundle installed');
    const compacting = header.type === 'status-delta' && this.compactIfDue(options);
    options.onProgress?.({ step: 'installed' });
    return {
      outcome: 'installed',
      type: header.type,
      sequence: header.sequence,
      issuedAt: header.issuedAt,
      expiresAt: header.expiresAt,
      hash: hashHex,
      entries: prepared.value.entries,
      compacting,
    };
  }

  private headOf(type: BundleType): InstalledBundle | null {
    const m = this.manifest;
    switch (type) {
      case 'key-list':
        return m.keyList;
      case 'signer-list':
        return m.signerList;
      case 'policy':
        return m.policy;
      case 'alias-map':
        return m.aliasMap;
      case 'epoch-key':
        return m.epochKeyHead;
      case 'status-snapshot':
      case 'status-delta':
        return m.statusHead;
      default: {
        const unreachable: never = type;
        return unreachable;
      }
    }
  }

  /** Root keys sign key lists; keys the installed key list endorses sign the rest. */
  private verifySignature(header: BundleHeader, headerBytes: Uint8Array, signature: Uint8Array): BundleResult<void> {
    const name = `${header.type} #${header.sequence}`;
    const kidHex = toHexString(header.signerKid);
    let publicKey: Uint8Array;
    if (header.type === 'key-list') {
      const root = this.rootKeys.find((key) => bytesEqual(key.kid, header.signerKid));
      if (root === undefined) return bundleFail('unknown_key', `${name} is signed by ${kidHex}, not a pinned root key`);
      publicKey = root.publicKey;
    } else {
      const keyList = this.state.keyList;
      if (keyList === null) return bundleFail('unknown_key', `${name}: no key list is installed yet`);
      const key = keyList.keys.find((k) => bytesEqual(k.kid, header.signerKid));
      if (key === undefined) return bundleFail('unknown_key', `${name} is signed by ${kidHex}, which the key list does not endorse`);
      if (!key.types.includes(header.type)) return bundleFail('key_not_endorsed', `${name}: key ${kidHex} may not sign ${header.type}`);
      if (header.issuedAt < key.notBefore || header.issuedAt > key.notAfter) {
        return bundleFail('key_not_endorsed', `${name} was issued outside key ${kidHex}'s window`);
      }
      publicKey = key.publicKey;
    }
    if (!verifyEd25519(publicKey, bundleSigningInput(headerBytes), signature)) {
      return bundleFail('signature_invalid', `${name}: signature by ${kidHex} does not verify`);
    }
    return bundleOk(undefined);
  }

  /** Decodes and checks a payload for its type; nothing changes until commit(). */
  private prepare(header: BundleHeader, payload: Uint8Array): BundleResult<Prepared> {
    const name = `${header.type} #${header.sequence}`;
    switch (header.type) {
      case 'key-list': {
        const keyList = decodeKeyList(payload);
        if (!keyList.ok) return keyList;
        for (const key of keyList.value.keys) {
          if (!bytesEqual(key.kid, keyIdOfRaw(key.publicKey))) return bundleFail('malformed', `${name}: a kid is not its key's id`);
        }
        return bundleOk({
          entries: keyList.value.keys.length,
          nextManifest: (m, installed) => ({ ...m, keyList: installed }),
          commit: (state) => {
            state.keyList = keyList.value;
          },
        });
      }
      case 'signer-list': {
        const signers = decodeSignerList(payload);
        if (!signers.ok) return signers;
        for (const key of signers.value.issuerKeys) {
          try {
            createPublicKey({ key: Buffer.from(key.publicKeySpki), format: 'der', type: 'spki' });
          } catch {
            return bundleFail('malformed', `${name}: issuer key ${toHexString(key.kid)} is not a public key`);
          }
        }
        return bundleOk({
          entries: signers.value.issuerKeys.length + signers.value.dccSigners.length,
          nextManifest: (m, installed) => ({ ...m, signerList: installed }),
          commit: (state) => {
            state.signerList = signers.value;
          },
        });
      }
      case 'policy': {
        const policy = decodePolicyPayload(payload);
        if (!policy.ok) return policy;
        return bundleOk({
          entries: null,
          nextManifest: (m, installed) => ({ ...m, policy: installed }),
          commit: (state) => {
            state.policy = policy.value;
          },
        });
      }
      case 'epoch-key': {
        const epochKey = this.unsealEpochKey(header, payload);
        if (!epochKey.ok) return epochKey;
        const epoch = header.epoch ?? 0;
        return bundleOk({
          entries: null,
          nextManifest: (m, installed) =>
            this.pruneEpochKeys({ ...m, epochKeyHead: installed, epochKeys: [...m.epochKeys.filter((k) => k.epoch !== epoch), installed] }),
          commit: (state) => {
            state.epochKeys.set(epoch, epochKey.value);
            this.dropUnlistedEpochKeys();
          },
        });
      }
      case 'alias-map': {
        const table = this.epochTable(header, payload, 'alias');
        if (!table.ok) return table;
        return bundleOk({
          entries: table.value.entryCount,
          nextManifest: (m, installed) => this.pruneEpochKeys({ ...m, aliasMap: installed }),
          commit: (state) => {
            state.aliases = table.value;
            if (state.cache !== null && !state.cache.setAliases(table.value)) {
              this.logger.warn({ epoch: header.epoch }, 'alias map of another epoch than the status cache: unused until they match');
            }
            this.dropUnlistedEpochKeys();
          },
        });
      }
      case 'status-snapshot': {
        const table = this.epochTable(header, payload, 'status');
        if (!table.ok) return table;
        const epochKey = this.state.epochKeys.get(header.epoch ?? 0);
        if (epochKey === undefined) return bundleFail('epoch_key_missing', `${name} needs epoch ${header.epoch}`);
        return bundleOk({
          entries: table.value.entryCount,
          nextManifest: (m, installed) =>
            this.pruneEpochKeys({ ...m, statusHead: installed, status: { snapshot: installed, base: { kind: 'snapshot' }, deltas: [] } }),
          commit: (state) => {
            state.cache = new CountryStatusCache({ base: table.value, epochKey, issuedAt: header.issuedAt, aliases: state.aliases });
            this.statusLoaded = Promise.resolve();
            this.dropUnlistedEpochKeys();
          },
        });
      }
      case 'status-delta': {
        const cache = this.state.cache;
        const status = this.manifest.status;
        if (cache === null || status === null) return bundleFail('chain_broken', `${name}: no status snapshot is installed`);
        if (header.epoch !== cache.epoch) return bundleFail('chain_broken', `${name} is for epoch ${header.epoch}, the cache is epoch ${cache.epoch}`);
        const layout = readDeltaLayout(payload);
        if (!layout.ok) return layout;
        if (layout.value.epoch !== header.epoch) return bundleFail('malformed', `${name}: payload epoch differs from its header`);
        return bundleOk({
          entries: layout.value.entryCount,
          nextManifest: (m, installed) => ({
            ...m,
            statusHead: installed,
            status: { ...status, deltas: [...status.deltas, installed] },
          }),
          commit: () => {
            const applied = cache.applyDelta(payload, header.issuedAt);
            if (!applied.ok) throw new BundleError(applied.code, applied.detail); // checked above; unreachable
          },
        });
      }
      default: {
        const unreachable: never = header.type;
        return unreachable;
      }
    }
  }

  private unsealEpochKey(header: BundleHeader, payload: Uint8Array): BundleResult<Uint8Array> {
    const name = `${header.type} #${header.sequence}`;
    if (this.deviceKey === null || this.deviceKid === null) return bundleFail('no_device_key', `${name}: this kiosk has no device key`);
    if (header.device === null || !bytesEqual(header.device, this.deviceKid)) {
      return bundleFail('wrong_device', `${name} is for device ${toHexString(header.device ?? new Uint8Array())}, this is ${toHexString(this.deviceKid)}`);
    }
    const sealed = decodeSealedEpochKey(payload);
    if (!sealed.ok) return sealed;
    if (sealed.value.epoch !== header.epoch || !bytesEqual(sealed.value.device, header.device)) {
      return bundleFail('malformed', `${name}: sealed epoch or device differs from its header`);
    }
    const key = openSealedEpochKey(sealed.value, this.deviceKey);
    if (key === null) return bundleFail('unseal_failed', `${name}: the epoch key does not open with this device key`);
    return bundleOk(key);
  }

  /** Opens and fully checks a status or alias table of an epoch whose key is installed. */
  private epochTable(header: BundleHeader, payload: Uint8Array, kind: 'status' | 'alias'): BundleResult<TableView> {
    const name = `${header.type} #${header.sequence}`;
    if (!this.state.epochKeys.has(header.epoch ?? -1)) return bundleFail('epoch_key_missing', `${name} needs epoch ${header.epoch}`);
    const view = TableView.open(payload, kind);
    if (!view.ok) return view;
    if (view.value.layout.epoch !== header.epoch) return bundleFail('malformed', `${name}: table epoch differs from its header`);
    return view.value.checkEntries();
  }

  /** Keeps the epoch keys the status and alias tables use, and the newest. */
  private pruneEpochKeys(m: Manifest): Manifest {
    const keep = new Set<number | null>([m.status?.snapshot.epoch ?? null, m.aliasMap?.epoch ?? null, m.epochKeyHead?.epoch ?? null]);
    return { ...m, epochKeys: m.epochKeys.filter((k) => keep.has(k.epoch)) };
  }

  private dropUnlistedEpochKeys(): void {
    const listed = new Set(this.manifest.epochKeys.map((k) => k.epoch));
    for (const epoch of this.state.epochKeys.keys()) if (!listed.has(epoch)) this.state.epochKeys.delete(epoch);
  }

  // ---- Compaction ---------------------------------------------------------------------------

  /** Starts a background compaction when the overlay has grown past the threshold. */
  private compactIfDue(options: InstallOptions): boolean {
    const cache = this.state.cache;
    if (cache === null || this.compactAbove === null || this.compaction !== null) return false;
    const threshold = this.compactAbove ?? Math.max(1_000_000, Math.floor(cache.baseTable.entryCount / 16));
    if (cache.overlaySize <= threshold) return false;
    void this.compactStatus(options);
    return true;
  }

  /** Whether a compaction is running (status bundles are answered 'busy' meanwhile). */
  get compacting(): boolean {
    return this.compaction !== null;
  }

  /** Settles when no compaction is running: true if the last one installed its table. */
  whenCompacted(): Promise<boolean> {
    return this.compaction?.done ?? Promise.resolve(false);
  }

  /**
   * Merges the status overlay into a new table file and makes it the base; the snapshot and
   * delta files it replaces are deleted. The merge and the write run in a worker thread: lookups
   * keep their answers from the frozen base and overlay meanwhile, and the switch (manifest, then
   * cache) is one short step on this thread. A crash at any point leaves the previous state, as
   * the manifest names the new table only once it is whole on disk. Settles with false when there
   * was nothing to merge or the compaction failed (the overlay stays; the next delta tries again).
   */
  compactStatus(options: InstallOptions = {}): Promise<boolean> {
    if (this.compaction !== null) return this.compaction.done;
    const cache = this.state.cache;
    const status = this.manifest.status;
    const head = this.manifest.statusHead;
    if (cache === null || status === null || head === null || cache.overlaySize === 0) return Promise.resolve(false);
    const startedAt = performance.now();
    const input = cache.freeze();
    const base = input.base;
    const file = `status-${head.sequence}-${toHexString(head.hash).slice(0, 16)}.table`;
    let source: { bytes: Uint8Array } | { path: string; offset: number; length: number };
    if (base.bytes.buffer instanceof SharedArrayBuffer && base.loaded) {
      source = { bytes: base.bytes };
    } else if (status.base.kind === 'table') {
      source = { path: join(this.objectsDir, status.base.file), offset: 0, length: status.base.size };
    } else {
      // A snapshot bundle's payload is its end.
      source = { path: join(this.objectsDir, status.snapshot.file), offset: status.snapshot.size - base.bytes.length, length: base.bytes.length };
    }
    const baseShared = 'bytes' in source;
    const job: RunningCompaction = { cache, head, file, run: null, switching: false, baseShared, startedAt, mainThreadSlicesMs: [], done: Promise.resolve(false) };
    this.compaction = job;
    options.onProgress?.({ step: 'compacting' });
    job.run = runCompaction(
      { base: source, overlay: input.overlay, extraTupleWords: input.extraTupleWords, out: join(this.objectsDir, file) },
      (progress) => {
        if (progress.kind === 'writing') options.onProgress?.({ step: 'writing', bytesWritten: progress.bytesWritten, totalBytes: progress.totalBytes });
      },
    );
    job.done = job.run.done
      .then((table) => this.finishCompaction(job, table, options))
      .catch((error: unknown) => {
        this.endCompaction(job);
        this.logger.warn({ err: error, sequence: head.sequence }, 'status compaction failed; the overlay stays and the next delta tries again');
        return false;
      });
    job.mainThreadSlicesMs.push(performance.now() - startedAt);
    return job.done;
  }

  /** What the last completed compaction cost, or null. */
  get lastCompaction(): CompactionReport | null {
    return this.lastCompactionReport;
  }

  /**
   * The worker wrote the new table: name it in the manifest, then swap it into the cache. Every
   * step here is short on this thread: the manifest is written on the thread pool, the replaced
   * files (a gigabyte takes a few hundred ms to unlink) are deleted there too.
   */
  private async finishCompaction(job: RunningCompaction, table: Uint8Array, options: InstallOptions): Promise<boolean> {
    let sliceStart = performance.now();
    options.onProgress?.({ step: 'object-written' });
    const status = this.manifest.status;
    const head = this.manifest.statusHead;
    // Status installs wait while a compaction runs; a close abandons it (its file is deleted).
    if (this.compaction !== job || this.state.cache !== job.cache || status === null || head === null || !bytesEqual(head.hash, job.head.hash)) {
      this.endCompaction(job);
      this.collectGarbage({ background: true });
      return false;
    }
    // The worker checked every entry; the bucket table needs no second pass here.
    const view = TableView.open(table, 'status', { checkBuckets: false });
    if (!view.ok) throw new BundleError('state_corrupt', `compaction produced an unreadable table: ${view.detail}`);
    job.switching = true;
    job.mainThreadSlicesMs.push(performance.now() - sliceStart);
    await this.writeManifestAsync({ ...this.manifest, status: { ...status, base: { kind: 'table', file: job.file, size: table.length, sequence: job.head.sequence }, deltas: [] } });
    sliceStart = performance.now();
    options.onProgress?.({ step: 'manifest-written' });
    job.cache.replaceBase(view.value);
    this.statusLoaded = Promise.resolve();
    this.endCompaction(job);
    this.collectGarbage({ background: true });
    const now = performance.now();
    job.mainThreadSlicesMs.push(now - sliceStart);
    const report: CompactionReport = {
      entries: view.value.entryCount,
      baseShared: job.baseShared,
      totalMs: now - job.startedAt,
      longestMainThreadMs: Math.max(...job.mainThreadSlicesMs),
      mainThreadSlicesMs: job.mainThreadSlicesMs,
    };
    this.lastCompactionReport = report;
    this.logger.info({ sequence: job.head.sequence, ...report }, 'status cache compacted');
    options.onProgress?.({ step: 'compacted' });
    return true;
  }

  private endCompaction(job: RunningCompaction): void {
    if (this.compaction !== job) return;
    this.compaction = null;
    job.cache.thaw();
  }

  /**
   * Stops a running compaction (its partial file is swept at the next open or install); one
   * already writing its manifest is let finish.
   */
  async close(): Promise<void> {
    const job = this.compaction;
    if (job === null) return;
    if (job.switching) {
      await job.done;
      return;
    }
    this.endCompaction(job);
    await job.run?.terminate();
    await job.done;
  }

  // ---- Files ----------------------------------------------------------------------------------

  private writeObject(file: string, bytes: Uint8Array, options: InstallOptions): void {
    try {
      writeFileDurably(join(this.objectsDir, file), [bytes], (bytesWritten, totalBytes) =>
        options.onProgress?.({ step: 'writing', bytesWritten, totalBytes }),
      );
    } catch (error) {
      throw new BundleError('io_failed', `writing ${file} failed: ${(error as Error).message}`, { cause: error });
    }
  }

  private writeManifest(next: Manifest): void {
    const manifest = { ...next, generation: this.manifest.generation + 1 };
    try {
      writeFileDurably(join(this.dir, MANIFEST_FILE), [encodeManifest(manifest)]);
    } catch (error) {
      throw new BundleError('io_failed', `writing the manifest failed: ${(error as Error).message}`, { cause: error });
    }
    this.manifest = manifest;
  }

  /** writeManifest on the thread pool; the caller keeps every other manifest write out meanwhile. */
  private async writeManifestAsync(next: Manifest): Promise<void> {
    const manifest = { ...next, generation: this.manifest.generation + 1 };
    try {
      await writeFileDurablyAsync(join(this.dir, MANIFEST_FILE), encodeManifest(manifest));
    } catch (error) {
      throw new BundleError('io_failed', `writing the manifest failed: ${(error as Error).message}`, { cause: error });
    }
    this.manifest = manifest;
  }

  /**
   * Deletes object files the manifest no longer names (replaced bundles, merged deltas), but not
   * the table a running compaction is writing (nor its temporary file). In the background, each
   * is renamed out of the way at once and unlinked on the thread pool.
   */
  private collectGarbage(options: { background?: boolean } = {}): void {
    const keep = referencedFiles(this.manifest);
    const writing = this.compaction?.file ?? null;
    for (const name of readdirSync(this.objectsDir)) {
      if (keep.has(name) || (writing !== null && name.startsWith(writing)) || name.endsWith(TRASH_SUFFIX)) continue;
      const path = join(this.objectsDir, name);
      try {
        if (options.background === true) {
          renameSync(path, `${path}${TRASH_SUFFIX}`);
          rm(`${path}${TRASH_SUFFIX}`, { force: true }).catch((error: unknown) => this.logger.warn({ err: error, file: name }, 'a replaced file could not be deleted yet'));
        } else {
          rmSync(path, { force: true });
        }
      } catch (error) {
        // Still open (a table streaming in, on Windows): the next install or open deletes it.
        this.logger.warn({ err: error, file: name }, 'a replaced bundle file could not be deleted yet');
      }
    }
  }

  // ---- Open -----------------------------------------------------------------------------------

  private load(): void {
    mkdirSync(this.objectsDir, { recursive: true, mode: 0o700 });
    removeTemporaryFiles(this.dir);
    removeTemporaryFiles(this.objectsDir);
    const path = join(this.dir, MANIFEST_FILE);
    if (!existsSync(path)) return;
    const decoded = decodeManifest(readWholeFile(path));
    if (!decoded.ok) {
      // Without a readable manifest nothing installed can be trusted; a full sync restores it.
      this.problem('state_corrupt', `the manifest is unreadable (${decoded.detail}); starting with no bundles`);
      this.writeManifest({ ...EMPTY_MANIFEST, generation: this.manifest.generation });
      this.collectGarbage();
      return;
    }
    this.manifest = decoded.value;
    let m = decoded.value;
    const dropped: string[] = [];

    const keyList = this.loadPiece(m.keyList, (read) => decodeKeyList(read.payload));
    if (keyList === undefined && m.keyList !== null) dropped.push('key list');
    this.state.keyList = keyList ?? null;
    const signerList = this.loadPiece(m.signerList, (read) => decodeSignerList(read.payload));
    this.state.signerList = signerList ?? null;
    const policy = this.loadPiece(m.policy, (read) => decodePolicyPayload(read.payload));
    this.state.policy = policy ?? null;

    const epochKeys = m.epochKeys.filter((bundle) => {
      const key = this.loadPiece(bundle, (read) => this.unsealEpochKey(read.header, read.payload));
      if (key !== undefined) this.state.epochKeys.set(bundle.epoch ?? 0, key);
      return key !== undefined;
    });

    const aliases = this.loadPiece(m.aliasMap, (read): BundleResult<TableView> => {
      if (!this.state.epochKeys.has(read.header.epoch ?? -1)) return bundleFail('epoch_key_missing', `no key for epoch ${read.header.epoch}`);
      return TableView.open(read.payload, 'alias');
    });
    this.state.aliases = aliases ?? null;

    let status = m.status;
    if (status !== null) {
      const cache = this.loadStatus(status);
      if (cache === undefined) status = null;
      else this.state.cache = cache;
    }
    if (signerList === undefined && m.signerList !== null) dropped.push('signer list');
    if (policy === undefined && m.policy !== null) dropped.push('policy');
    if (epochKeys.length !== m.epochKeys.length) dropped.push('epoch key');
    if (aliases === undefined && m.aliasMap !== null) dropped.push('alias map');
    if (status !== m.status) dropped.push('status cache');
    if (dropped.length > 0) {
      // Heads stay, so sequence numbers still only grow; the data comes back with the next sync.
      m = {
        ...m,
        keyList: keyList === undefined ? null : m.keyList,
        signerList: signerList === undefined ? null : m.signerList,
        policy: policy === undefined ? null : m.policy,
        aliasMap: aliases === undefined ? null : m.aliasMap,
        epochKeys,
        status,
      };
      this.writeManifest(m);
    }
    this.collectGarbage();
  }

  private problem(code: BundleError['code'], detail: string): void {
    const error = new BundleError(code, detail);
    this.problems.push(error.message);
    this.logger.error({ code }, error.message);
  }

  /** Reads an installed bundle file back, checking it is the one installed. */
  private readInstalled(bundle: InstalledBundle): ReadBundle {
    const bytes = readWholeFile(join(this.objectsDir, bundle.file));
    if (bytes.length !== bundle.size) throw new Error(`${bundle.file} has ${bytes.length} bytes, ${bundle.size} were installed`);
    const parsed = parseBundlePrefix(bytes, bytes.length);
    if (!parsed.ok) throw new Error(`${bundle.file}: ${parsed.detail}`);
    if (!bytesEqual(sha256(parsed.value.headerBytes), bundle.hash)) throw new Error(`${bundle.file} is not the bundle installed`);
    const payload = bytes.subarray(parsed.value.payloadOffset);
    if (payload.length <= REHASH_AT_OPEN_BYTES && !bytesEqual(sha256(payload), parsed.value.header.payloadSha256)) {
      throw new Error(`${bundle.file}: payload damaged`);
    }
    return { ...parsed.value, payload };
  }

  /** Loads one piece of state; a damaged piece is reported and left out (undefined). */
  private loadPiece<T>(bundle: InstalledBundle | null, decode: (read: ReadBundle) => BundleResult<T>): T | undefined {
    if (bundle === null) return undefined;
    try {
      const decoded = decode(this.readInstalled(bundle));
      if (decoded.ok) return decoded.value;
      this.problem('state_corrupt', `installed ${bundle.type} #${bundle.sequence} does not load (${decoded.detail})`);
    } catch (error) {
      this.problem('state_corrupt', `installed ${bundle.type} #${bundle.sequence} does not load (${(error as Error).message})`);
    }
    return undefined;
  }

  /**
   * The status table: a small snapshot is read and re-hashed whole; a big one, or a compacted
   * table, opens at once and streams into memory behind (table-loader.ts).
   */
  private openStatusTable(status: NonNullable<Manifest['status']>): TableView {
    let path: string;
    let offset: number;
    let length: number;
    if (status.base.kind === 'snapshot') {
      const bundle = status.snapshot;
      path = join(this.objectsDir, bundle.file);
      if (bundle.size <= REHASH_AT_OPEN_BYTES) {
        const view = TableView.open(this.readInstalled(bundle).payload, 'status');
        if (!view.ok) throw new Error(view.detail);
        return view.value;
      }
      const prefix = readFilePrefix(path, MAX_PREFIX_BYTES);
      if (prefix.size !== bundle.size) throw new Error(`${bundle.file} has ${prefix.size} bytes, ${bundle.size} were installed`);
      const parsed = parseBundlePrefix(prefix.bytes, prefix.size);
      if (!parsed.ok) throw new Error(`${bundle.file}: ${parsed.detail}`);
      if (!bytesEqual(sha256(parsed.value.headerBytes), bundle.hash)) throw new Error(`${bundle.file} is not the bundle installed`);
      offset = parsed.value.payloadOffset;
      length = parsed.value.header.payloadLength;
    } else {
      path = join(this.objectsDir, status.base.file);
      offset = 0;
      length = status.base.size;
    }
    const opened = openTableFile(path, offset, length, 'status');
    if (!opened.ok) throw new Error(opened.detail);
    this.statusLoaded = opened.value.loaded;
    return opened.value.view;
  }

  /** Settles once the status table is wholly in memory (lookups work before, a little slower). */
  whenLoaded(): Promise<void> {
    return this.statusLoaded;
  }

  private loadStatus(status: NonNullable<Manifest['status']>): CountryStatusCache | undefined {
    const name = `status #${status.snapshot.sequence}`;
    try {
      const epochKey = this.state.epochKeys.get(status.snapshot.epoch ?? -1);
      if (epochKey === undefined) throw new Error(`no key for epoch ${status.snapshot.epoch}`);
      const view = this.openStatusTable(status);
      const issuedAt = status.snapshot.issuedAt;
      const cache = new CountryStatusCache({ base: view, epochKey, issuedAt, aliases: this.state.aliases });
      for (const delta of status.deltas) {
        const read = this.readInstalled(delta);
        const applied = cache.applyDelta(read.payload, read.header.issuedAt);
        if (!applied.ok) throw new Error(`delta #${delta.sequence}: ${applied.detail}`);
      }
      return cache;
    } catch (error) {
      this.problem('state_corrupt', `installed ${name} does not load (${(error as Error).message})`);
      return undefined;
    }
  }
}
