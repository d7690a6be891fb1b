// The bundles the hub serves: files under <data-dir>/bundles/<hash>.bundle, indexed in SQLite.
// `pccovid-hub publish` puts signed bundles here; the server answers each device with the newest
// of each stream (its own epoch keys only) and the status deltas after the device's head.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseBundlePrefix } from '../../common/bundle/bundle-format.js';
import { streamOf, toHexString, type BundleStream } from '../../common/bundle/bundle-types.js';
import type { BundleIndexEntry } from '../../common/sync/bundle-wire.js';
import type { HubReadableDB, HubWritableDB } from '../store/hub-database.js';
import { cachedStatement } from '../store/statement-cache.js';
import { sha256 } from './signing-key.js';

export const BUNDLES_DIR = 'bundles';

export class BundleShelfError extends Error {
  constructor(
    readonly code: 'not_a_bundle' | 'sequence_not_newer',
    message: string,
  ) {
    super(message);
    this.name = 'BundleShelfError';
  }
}

interface Row {
  hash: string;
  type: BundleIndexEntry['type'];
  sequence: number;
  epoch: number | null;
  size: number;
}

function entryOf(row: Row): BundleIndexEntry {
  return { type: row.type, sequence: row.sequence, hash: row.hash, epoch: row.epoch, size: row.size };
}

function writeDurably(path: string, bytes: Uint8Array): void {
  const temp = `${path}.partial`;
  const fd = openSync(temp, 'w', 0o644);
  try {
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, Math.min(64 << 20, bytes.length - at));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

/** Puts a signed bundle on the shelf. The same bundle twice changes nothing. */
export function shelveBundle(db: HubWritableDB, dataDir: string, bytes: Uint8Array, nowMs: number): BundleIndexEntry {
  const parsed = parseBundlePrefix(bytes, bytes.length);
  if (!parsed.ok) throw new BundleShelfError('not_a_bundle', `This file is not a signed bundle (${parsed.code}: ${parsed.detail}); publish the output of a pccovid-hub bundle command.`);
  const { header, headerBytes } = parsed.value;
  const hash = toHexString(sha256(headerBytes));
  const stream = streamOf(header.type);
  const deviceKid = header.device === null ? null : toHexString(header.device);
  const existing = cachedStatement(db, 'SELECT hash, type, sequence, epoch, size FROM published_bundles WHERE hash = ?').get(hash) as Row | undefined;
  if (existing !== undefined) return entryOf(existing);
  const newest = cachedStatement(db, 'SELECT max(sequence) FROM published_bundles WHERE stream = ? AND device_kid IS ?').pluck().get(stream, deviceKid) as
    | number
    | null;
  if (newest !== null && header.sequence <= newest) {
    throw new BundleShelfError(
      'sequence_not_newer',
      `The hub already serves ${stream} bundle ${newest}; this one is ${header.sequence}. Publish bundles in the order they were signed.`,
    );
  }
  const dir = join(dataDir, BUNDLES_DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeDurably(join(dir, `${hash}.bundle`), bytes);
  cachedStatement(
    db,
    `INSERT INTO published_bundles (hash, type, stream, sequence, epoch, device_kid, issued_at, expires_at, size, published_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(hash, header.type, stream, header.sequence, header.epoch, deviceKid, header.issuedAt, header.expiresAt, bytes.length, nowMs);
  return { type: header.type, sequence: header.sequence, hash, epoch: header.epoch, size: bytes.length };
}

function newest(db: HubReadableDB, stream: BundleStream, deviceKid: string | null): Row | undefined {
  return cachedStatement(
    db,
    'SELECT hash, type, sequence, epoch, size FROM published_bundles WHERE stream = ? AND device_kid IS ? ORDER BY sequence DESC LIMIT 1',
  ).get(stream, deviceKid) as Row | undefined;
}

/**
 * What a device should hold, in install order. Status: the deltas after `statusSince` when they
 * follow on from it, otherwise the newest snapshot and the deltas after it.
 */
export function bundleIndexFor(db: HubReadableDB, deviceKid: string | null, statusSince: number): BundleIndexEntry[] {
  const out: BundleIndexEntry[] = [];
  const add = (row: Row | undefined): void => {
    if (row !== undefined) out.push(entryOf(row));
  };
  add(newest(db, 'key-list', null));
  add(newest(db, 'signer-list', null));
  add(newest(db, 'policy', null));
  if (deviceKid !== null) add(newest(db, 'epoch-key', deviceKid));
  const snapshot = cachedStatement(
    db,
    "SELECT hash, type, sequence, epoch, size FROM published_bundles WHERE type = 'status-snapshot' ORDER BY sequence DESC LIMIT 1",
  ).get() as Row | undefined;
  if (snapshot !== undefined) {
    const from = statusSince >= snapshot.sequence ? statusSince : snapshot.sequence;
    if (from === snapshot.sequence && statusSince < snapshot.sequence) add(snapshot);
    const deltas = cachedStatement(
      db,
      "SELECT hash, type, sequence, epoch, size FROM published_bundles WHERE type = 'status-delta' AND sequence > ? ORDER BY sequence",
    ).all(from) as Row[];
    deltas.forEach(add);
  }
  add(newest(db, 'alias-map', null));
  return out;
}

/** The bytes of a shelved bundle a device may have (an epoch key only its own device). */
export function shelvedBundle(db: HubReadableDB, dataDir: string, hash: string, deviceKid: string | null): Buffer | undefined {
  const row = cachedStatement(db, 'SELECT device_kid FROM published_bundles WHERE hash = ?').get(hash) as { device_kid: string | null } | undefined;
  if (row === undefined || (row.device_kid !== null && row.device_kid !== deviceKid)) return undefined;
  return readFileSync(join(dataDir, BUNDLES_DIR, `${hash}.bundle`));
}
