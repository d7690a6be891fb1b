// What the kiosk's main thread (checkpoint.ts) and the WAL checkpoint worker (checkpoint-worker.ts)
// share. The commands go through shared memory, not messages: the main thread pauses and stops
// the worker synchronously (before a wipe's TRUNCATE checkpoint, before closing the database),
// and the worker sleeps in Atomics.wait between checkpoints, waking at once on a new command.

/** Int32 slots of the control array. */
export const COMMAND = 0;
export const STATE = 1;
/** Checkpoints the worker has run (diagnostics and tests). */
export const RUNS = 2;
export const CONTROL_SLOTS = 3;

/** Written by the main thread. */
export const RUN = 0;
export const PAUSE = 1;
export const STOP = 2;

/** Written by the worker, except ABANDONED (the main thread, before the worker opened anything). */
export const STARTING = 0;
export const OPEN = 1;
export const CHECKPOINTING = 2;
export const CLOSED = 3;
export const ABANDONED = 4;

export interface CheckpointWorkerData {
  readonly control: SharedArrayBuffer;
  readonly databasePath: string;
  readonly intervalMs: number;
  /** The file better-sqlite3 is required from (the starting module or bundle), see ../bundled-worker.ts. */
  readonly requireFrom: string;
  readonly nativeBinding?: string;
}

export type CheckpointWorkerReply =
  | { kind: 'ready' }
  /** The worker could not load better-sqlite3 or open the database: nothing was checkpointed. */
  | { kind: 'unavailable'; message: string }
  | { kind: 'failed'; message: string };
