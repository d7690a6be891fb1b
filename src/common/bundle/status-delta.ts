// The status delta: the changes since the previous status bundle, as the payload of a
// status-delta bundle. Small and flat, so a kiosk applies millions of entries a second.
//
// All integers little-endian, keys big-endian bytes:
//   header (32 bytes): "PCSD" | u16 version 1 | u16 0 | u32 epoch | u32 tuple count T |
//                      u32 entry count N | 12 zero bytes
//   tuples  T x 16 bytes (status-record.ts)
//   entries N x 12 bytes: 8-byte subject key | u32 tuple index, or REMOVED_TUPLE when the subject
//           leaves the cache. Strictly ascending by key.
import { bundleFail, bundleOk, type BundleResult } from './bundle-types.js';
import { TUPLE_BYTES, TUPLE_WORDS } from './status-record.js';
import { keyHex, sortKeyColumns, type Allocate } from './status-table.js';

export const DELTA_MAGIC = new Uint8Array([0x50, 0x43, 0x53, 0x44]); // "PCSD"
export const DELTA_VERSION = 1;
export const DELTA_HEADER_BYTES = 32;
export const DELTA_ENTRY_BYTES = 12;
export const REMOVED_TUPLE = 0xffff_ffff;

export interface DeltaLayout {
  epoch: number;
  tupleCount: number;
  entryCount: number;
  tuplesOffset: number;
  entriesOffset: number;
}

function dataView(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Checks a whole delta (sizes, order, tuple indices); reading it afterwards cannot go wrong. */
export function readDeltaLayout(bytes: Uint8Array): BundleResult<DeltaLayout> {
  if (bytes.length < DELTA_HEADER_BYTES) return bundleFail('malformed', 'status delta shorter than its header');
  for (let i = 0; i < DELTA_MAGIC.length; i++) {
    if (bytes[i] !== DELTA_MAGIC[i]) return bundleFail('malformed', 'not a status delta (magic)');
  }
  const view = dataView(bytes);
  const version = view.getUint16(4, true);
  if (version !== DELTA_VERSION) return bundleFail('unsupported_version', `status delta version ${version}`);
  if (view.getUint16(6, true) !== 0) return bundleFail('malformed', 'reserved delta header bytes are not zero');
  for (let i = 20; i < DELTA_HEADER_BYTES; i++) if (bytes[i] !== 0) return bundleFail('malformed', 'reserved delta header bytes are not zero');
  const epoch = view.getUint32(8, true);
  const tupleCount = view.getUint32(12, true);
  const entryCount = view.getUint32(16, true);
  const tuplesOffset = DELTA_HEADER_BYTES;
  const entriesOffset = tuplesOffset + tupleCount * TUPLE_BYTES;
  if (entriesOffset + entryCount * DELTA_ENTRY_BYTES !== bytes.length) {
    return bundleFail('malformed', `status delta of ${bytes.length} bytes does not hold ${tupleCount} tuples and ${entryCount} entries`);
  }
  let lastHi = -1;
  let lastLo = -1;
  for (let i = 0; i < entryCount; i++) {
    const at = entriesOffset + i * DELTA_ENTRY_BYTES;
    const hi = view.getUint32(at, false);
    const lo = view.getUint32(at + 4, false);
    const tuple = view.getUint32(at + 8, true);
    if (hi < lastHi || (hi === lastHi && lo <= lastLo)) return bundleFail('malformed', `delta entry ${i} is out of key order`);
    if (tuple !== REMOVED_TUPLE && tuple >= tupleCount) return bundleFail('malformed', `delta entry ${i} names tuple ${tuple} of ${tupleCount}`);
    lastHi = hi;
    lastLo = lo;
  }
  return bundleOk({ epoch, tupleCount, entryCount, tuplesOffset, entriesOffset });
}

export interface StatusDeltaInput {
  epoch: number;
  count: number;
  keyHi: Uint32Array;
  keyLo: Uint32Array;
  /** Tuple index of each change, or REMOVED_TUPLE. */
  tuple: Uint32Array;
  tupleWords: Uint32Array;
  allocate?: Allocate;
}

/** Builds a delta from unsorted changes; throws when a key changes twice. */
export function buildStatusDelta(input: StatusDeltaInput): Uint8Array {
  const tupleCount = input.tupleWords.length / TUPLE_WORDS;
  const sorted = sortKeyColumns(
    { hi: input.keyHi, lo: input.keyLo, values: [input.tuple] },
    input.count,
    Math.max(0, Math.floor(Math.log2(Math.max(1, input.count / 8)))),
  );
  const byteLength = DELTA_HEADER_BYTES + tupleCount * TUPLE_BYTES + input.count * DELTA_ENTRY_BYTES;
  const bytes = (input.allocate ?? ((n) => new Uint8Array(n)))(byteLength);
  bytes.fill(0, 0, DELTA_HEADER_BYTES);
  const view = dataView(bytes);
  bytes.set(DELTA_MAGIC, 0);
  view.setUint16(4, DELTA_VERSION, true);
  view.setUint32(8, input.epoch, true);
  view.setUint32(12, tupleCount, true);
  view.setUint32(16, input.count, true);
  for (let i = 0; i < input.tupleWords.length; i++) view.setUint32(DELTA_HEADER_BYTES + 4 * i, input.tupleWords[i] ?? 0, true);
  const entriesOffset = DELTA_HEADER_BYTES + tupleCount * TUPLE_BYTES;
  const tuples = sorted.values[0] ?? new Uint32Array(0);
  for (let i = 0; i < input.count; i++) {
    const hi = sorted.hi[i] ?? 0;
    const lo = sorted.lo[i] ?? 0;
    if (i > 0 && hi === sorted.hi[i - 1] && lo === sorted.lo[i - 1]) throw new RangeError(`subject key ${keyHex(hi, lo)} changes twice in one delta`);
    const tuple = tuples[i] ?? 0;
    if (tuple !== REMOVED_TUPLE && tuple >= tupleCount) throw new RangeError(`tuple ${tuple} of ${tupleCount}`);
    const at = entriesOffset + i * DELTA_ENTRY_BYTES;
    view.setUint32(at, hi, false);
    view.setUint32(at + 4, lo, false);
    view.setUint32(at + 8, tuple, true);
  }
  return bytes;
}
