// What the kiosk's main thread (checkpoint.ts) and the WAL checkpoint worker (checkpoint-worker.ts)
// share. The commands go through shared memory, not messages: the main thread pauses and stops
// the worker synchronously (before a wipe's TRUNCATE checkpoint, before closing the database),
// and the worker sleeps in Atomics.wait between checkpoints, waking at once on a new command.

/** Int32 slots of the control array; RUNS counts the checkpoints the worker ran (diagnostics, tests). */
export const Slot = { COMMAND: 0, STATE: 1, RUNS: 2 } as const;
export const CONTROL_SLOTS = 3;

/** Written by the main thread. */
export const Command = { RUN: 0, PAUSE: 1, STOP: 2 } as const;

/** Written by the worker, except ABANDONED (the main thread, before the worker opened anything). */
export const State = { STARTING: 0, OPEN: 1, CHECKPOINTING: 2, CLOSED: 3, ABANDONED: 4 } as const;

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
