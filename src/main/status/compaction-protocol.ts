// The messages between the kiosk's main thread (compaction-runner.ts) and the status compaction
// worker (compaction-worker.ts).
import type { OverlaySlots } from './delta-overlay.js';

export interface CompactionRequest {
  /**
   * The base table: its bytes when they are in shared memory (read in place, not copied), else
   * where the worker reads it itself: [offset, offset + length) of a file.
   */
  base: { bytes: Uint8Array } | { path: string; offset: number; length: number };
  /** The frozen overlay's hash table, in shared memory. */
  overlay: OverlaySlots;
  /** TUPLE_WORDS words per record the deltas brought. */
  extraTupleWords: Uint32Array;
  /** Where the new table is written (durably, atomically) under its final name. */
  out: string;
}

export type CompactionReply =
  /** Merged and checked in memory; writing starts. */
  | { kind: 'merged'; entries: number; byteLength: number }
  | { kind: 'writing'; bytesWritten: number; totalBytes: number }
  /** Written, fsynced and renamed to `out`; the table's bytes, in shared memory. */
  | { kind: 'done'; table: Uint8Array }
  | { kind: 'failed'; message: string };
