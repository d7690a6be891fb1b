// The manifest: which installed bundle files make up the kiosk's current state. It is the one
// file an install replaces (durable-file.ts), so the state on disk is always the old one or the
// new one. CBOR, with a SHA-256 of its body so a damaged manifest is recognised, not misread.
import { decodeCanonical, encodeCanonical, hasOnlyKeys, readBytes, readText, readUint } from '../../common/bundle/bundle-format.js';
import { bytesEqual, isBundleType, SHA256_BYTES, type BundleType } from '../../common/bundle/bundle-types.js';
import { sha256 } from './bundle-crypto.js';

export const MANIFEST_FILE = 'manifest.cbor';
const MANIFEST_VERSION = 1;

/** The facts of one installed bundle and the file under objects/ that holds it. */
export interface InstalledBundle {
  type: BundleType;
  sequence: number;
  /** Bundle hash: SHA-256 of its header bytes. */
  hash: Uint8Array;
  issuedAt: number;
  expiresAt: number;
  epoch: number | null;
  file: string;
  /** Bytes of the file, checked when it is read back. */
  size: number;
}

/** Where the status table comes from: the snapshot bundle itself, or a table compacted here. */
export type StatusBase = { kind: 'snapshot' } | { kind: 'table'; file: string; size: number; sequence: number };

export interface StatusState {
  /** The snapshot the data started from (its file is gone once compacted). */
  snapshot: InstalledBundle;
  base: StatusBase;
  /** Deltas applied on top of the base, oldest first. */
  deltas: InstalledBundle[];
}

export interface Manifest {
  generation: number;
  keyList: InstalledBundle | null;
  signerList: InstalledBundle | null;
  policy: InstalledBundle | null;
  aliasMap: InstalledBundle | null;
  /** The newest epoch-key bundle (sequence and chain of that stream). */
  epochKeyHead: InstalledBundle | null;
  /** Epoch keys kept: the ones the status and alias tables use and the newest. */
  epochKeys: InstalledBundle[];
  /** The newest status bundle (snapshot or delta): sequence and chain of the status stream. */
  statusHead: InstalledBundle | null;
  status: StatusState | null;
}

export const EMPTY_MANIFEST: Manifest = {
  generation: 0,
  keyList: null,
  signerList: null,
  policy: null,
  aliasMap: null,
  epochKeyHead: null,
  epochKeys: [],
  statusHead: null,
  status: null,
};

/** Every file under objects/ the manifest needs. */
export function referencedFiles(manifest: Manifest): Set<string> {
  const files = new Set<string>();
  const add = (bundle: InstalledBundle | null): void => {
    if (bundle !== null && bundle.file !== '') files.add(bundle.file);
  };
  add(manifest.keyList);
  add(manifest.signerList);
  add(manifest.policy);
  add(manifest.aliasMap);
  manifest.epochKeys.forEach(add);
  if (manifest.status !== null) {
    if (manifest.status.base.kind === 'snapshot') add(manifest.status.snapshot);
    else files.add(manifest.status.base.file);
    manifest.status.deltas.forEach(add);
  }
  return files;
}

function encodeBundle(bundle: InstalledBundle | null): unknown {
  if (bundle === null) return null;
  return new Map<string, unknown>([
    ['type', bundle.type],
    ['seq', bundle.sequence],
    ['hash', bundle.hash],
    ['iat', bundle.issuedAt],
    ['exp', bundle.expiresAt],
    ['epoch', bundle.epoch],
    ['file', bundle.file],
    ['size', bundle.size],
  ]);
}

export function encodeManifest(manifest: Manifest): Uint8Array {
  const status = manifest.status;
  const body = encodeCanonical(
    new Map<string, unknown>([
      ['generation', manifest.generation],
      ['keyList', encodeBundle(manifest.keyList)],
      ['signerList', encodeBundle(manifest.signerList)],
      ['policy', encodeBundle(manifest.policy)],
      ['aliasMap', encodeBundle(manifest.aliasMap)],
      ['epochKeyHead', encodeBundle(manifest.epochKeyHead)],
      ['epochKeys', manifest.epochKeys.map(encodeBundle)],
      ['statusHead', encodeBundle(manifest.statusHead)],
      [
        'status',
        status === null
          ? null
          : new Map<string, unknown>([
              ['snapshot', encodeBundle(status.snapshot)],
              [
                'base',
                status.base.kind === 'snapshot'
                  ? null
                  : new Map<string, unknown>([
                      ['file', status.base.file],
                      ['size', status.base.size],
                      ['seq', status.base.sequence],
                    ]),
              ],
              ['deltas', status.deltas.map(encodeBundle)],
            ]),
      ],
    ]),
  );
  return encodeCanonical([MANIFEST_VERSION, body, sha256(body)]);
}

class ManifestError extends Error {}

function decodeBundle(value: unknown): InstalledBundle | null {
  if (value === null) return null;
  if (!(value instanceof Map) || !hasOnlyKeys(value, ['type', 'seq', 'hash', 'iat', 'exp', 'epoch', 'file', 'size'])) {
    throw new ManifestError('bundle entry is not a map of the known fields');
  }
  const type = value.get('type');
  const sequence = readUint(value, 'seq');
  const hash = readBytes(value, 'hash', SHA256_BYTES);
  const issuedAt = readUint(value, 'iat');
  const expiresAt = readUint(value, 'exp');
  const epochValue = value.get('epoch');
  const epoch = epochValue === null ? null : readUint(value, 'epoch');
  const file = readText(value, 'file');
  const size = readUint(value, 'size');
  if (!isBundleType(type) || sequence === undefined || hash === undefined || issuedAt === undefined || expiresAt === undefined) {
    throw new ManifestError('bundle entry with a bad type, sequence, hash or date');
  }
  if (epoch === undefined || file === undefined || !/^[0-9a-z.-]*$/.test(file) || size === undefined) {
    throw new ManifestError('bundle entry with a bad epoch, file name or size');
  }
  return { type, sequence, hash, issuedAt, expiresAt, epoch, file, size };
}

function required(value: InstalledBundle | null): InstalledBundle {
  if (value === null) throw new ManifestError('missing bundle entry');
  return value;
}

function decodeBundles(value: unknown): InstalledBundle[] {
  if (!Array.isArray(value)) throw new ManifestError('bundle list is not an array');
  return value.map((item) => required(decodeBundle(item)));
}

/** The manifest in `bytes`, or a description of what is wrong with it. */
export function decodeManifest(bytes: Uint8Array): { ok: true; value: Manifest } | { ok: false; detail: string } {
  const outer = decodeCanonical(bytes);
  if (!outer.ok) return { ok: false, detail: outer.detail };
  const parts = outer.value;
  if (!Array.isArray(parts) || parts.length !== 3 || parts[0] !== MANIFEST_VERSION) {
    return { ok: false, detail: 'not a version 1 manifest' };
  }
  const [, body, digest] = parts as unknown[];
  if (!(body instanceof Uint8Array) || !(digest instanceof Uint8Array) || !bytesEqual(sha256(body), digest)) {
    return { ok: false, detail: 'manifest checksum mismatch' };
  }
  const inner = decodeCanonical(body);
  if (!inner.ok) return { ok: false, detail: inner.detail };
  const map = inner.value;
  try {
    if (!(map instanceof Map)) throw new ManifestError('manifest body is not a map');
    const generation = readUint(map, 'generation');
    if (generation === undefined) throw new ManifestError('no generation');
    const statusValue = map.get('status');
    let status: StatusState | null = null;
    if (statusValue !== null) {
      if (!(statusValue instanceof Map)) throw new ManifestError('status is not a map');
      const baseValue = statusValue.get('base');
      let base: StatusBase = { kind: 'snapshot' };
      if (baseValue !== null) {
        if (!(baseValue instanceof Map)) throw new ManifestError('status base is not a map');
        const file = readText(baseValue, 'file');
        const size = readUint(baseValue, 'size');
        const sequence = readUint(baseValue, 'seq');
        if (file === undefined || !/^[0-9a-z.-]+$/.test(file) || size === undefined || sequence === undefined) {
          throw new ManifestError('status base with a bad file, size or sequence');
        }
        base = { kind: 'table', file, size, sequence };
      }
      status = {
        snapshot: required(decodeBundle(statusValue.get('snapshot'))),
        base,
        deltas: decodeBundles(statusValue.get('deltas')),
      };
    }
    return {
      ok: true,
      value: {
        generation,
        keyList: decodeBundle(map.get('keyList')),
        signerList: decodeBundle(map.get('signerList')),
        policy: decodeBundle(map.get('policy')),
        aliasMap: decodeBundle(map.get('aliasMap')),
        epochKeyHead: decodeBundle(map.get('epochKeyHead')),
        epochKeys: decodeBundles(map.get('epochKeys')),
        statusHead: decodeBundle(map.get('statusHead')),
        status,
      },
    };
  } catch (error) {
    if (error instanceof ManifestError) return { ok: false, detail: error.message };
    throw error;
  }
}
