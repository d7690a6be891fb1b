// WAL checkpoints off the commit path. SQLite's automatic checkpoint runs inside whichever commit
// crosses the threshold, adding its page copies and database fsync to that one check-in (the
// p99 of the log). Instead checkpoints run between scans, and the automatic one stays only as a
// backstop far above what they leave behind.
//
// They run in a worker thread with its own connection (checkpoint-worker.ts): on the main thread
// a checkpoint took 2–14 ms under load, and a scan arriving meanwhile waited for it. If the
// worker cannot start (its code or better-sqlite3 does not load, the database does not open),
// a timer on the main thread does it instead, as before, and that is logged once.
//
// The worker is paused while a wipe truncates the WAL (withCheckpointsPaused): a checkpoint
// holding the checkpoint lock would make the wipe's TRUNCATE answer busy and leave the deleted
// rows in the log file. stop() returns once the worker's connection is closed.
import type Database from 'better-sqlite3';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { bundledWorkerCode } from '../bundled-worker.js';
import type { Logger } from '../log.js';
import { Command, Slot, State, CONTROL_SLOTS, type CheckpointWorkerData, type CheckpointWorkerReply } from './checkpoint-protocol.js';

export const BACKSTOP_AUTOCHECKPOINT_PAGES = 20_000;
export const CHECKPOINT_WORKER_BUNDLE = 'wal-checkpoint-worker.cjs';
/** How long stop() and pause() wait for a checkpoint in progress before going on regardless. */
const WAIT_FOR_WORKER_MS = 5_000;

export interface CheckpointTimer {
  stop(): void;
}

export interface Checkpointer extends CheckpointTimer {
  /** Where checkpoints run: in the worker (once it reported ready), on the main thread (fallback), or not yet. */
  readonly runsOn: 'worker' | 'main-thread' | 'starting' | 'stopped';
  /** Checkpoints the worker has run. */
  readonly workerCheckpoints: number;
  /** Settles once the worker thread has ended (at once without one). */
  readonly threadEnded: Promise<void>;
  /** No checkpoint runs until as many resume() calls; returns once a checkpoint in progress is done. */
  pause(): void;
  resume(): void;
}

export interface CheckpointerOptions {
  /** The database file: the worker opens its own connection to it. */
  path: string;
  intervalMs: number;
  logger: Logger;
  /** better-sqlite3's addon for another ABI (Electron's), as the main connection was opened with. */
  nativeBinding?: string;
  /** The worker's code (tests); default: the bundle or the sources (../bundled-worker.ts). */
  workerCode?: () => string;
}

/** The running checkpointer of each open database, for withCheckpointsPaused. */
const running = new WeakMap<Database.Database, Checkpointer>();

/** Runs `work` (a TRUNCATE checkpoint, say) with no periodic checkpoint of `db` in progress or starting. */
export function withCheckpointsPaused<T>(db: Database.Database, work: () => T): T {
  const checkpointer = running.get(db);
  checkpointer?.pause();
  try {
    return work();
  } finally {
    checkpointer?.resume();
  }
}

/** Checkpoints on the main thread every interval: the fallback, and what ran before the worker. */
function startCheckpointTimer(db: Database.Database, intervalMs: number, logger: Logger, paused: () => boolean = () => false): CheckpointTimer {
  db.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
  const timer = setInterval(() => {
    if (paused()) return;
    try {
      // PASSIVE: copies what it can without waiting for readers or blocking writers for long.
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch (error) {
      logger.warn({ err: error }, 'WAL checkpoint failed; it will be tried again');
    }
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
    },
  };
}

/**
 * Checkpoints `db` every interval in a worker thread. The worker starts after the first interval
 * (when the first checkpoint is due), so a core opened for a moment (CLI tools, tests) never
 * starts one.
 */
export function startCheckpointer(db: Database.Database, options: CheckpointerOptions): Checkpointer {
  const { intervalMs, logger } = options;
  db.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * Int32Array.BYTES_PER_ELEMENT));
  let worker: Worker | null = null;
  let ready = false;
  let fallback: CheckpointTimer | null = null;
  let stopped = false;
  let pauses = 0;
  let endThread: () => void = () => undefined;
  const threadEnded = new Promise<void>((resolve) => {
    endThread = resolve;
  });

  let canBlock = true;
  /** Waits (blocking the main thread, at most WAIT_FOR_WORKER_MS) until the worker's state is `done`. */
  const waitUntil = (done: (state: number) => boolean): void => {
    const deadline = Date.now() + WAIT_FOR_WORKER_MS;
    for (;;) {
      const state = Atomics.load(control, Slot.STATE);
      if (done(state)) return;
      const left = deadline - Date.now();
      if (left <= 0) {
        logger.warn('the WAL checkpoint worker did not answer in time; going on without it');
        return;
      }
      if (canBlock) {
        try {
          Atomics.wait(control, Slot.STATE, state, left);
        } catch {
          // A main thread that may not block (Chromium's rule, should Electron's main process
          // apply it): polled instead, for the few milliseconds of a checkpoint.
          canBlock = false;
        }
      }
    }
  };
  const command = (next: number): void => {
    Atomics.store(control, Slot.COMMAND, next);
    Atomics.notify(control, Slot.COMMAND);
  };

  const fallBack = (reason: unknown): void => {
    if (stopped || fallback !== null) return;
    logger.warn({ err: reason }, 'the WAL checkpoint worker did not start; checkpoints run on the main thread');
    const failed = worker;
    worker = null;
    ready = false;
    if (failed !== null) void failed.terminate();
    else endThread();
    fallback = startCheckpointTimer(db, intervalMs, logger, () => pauses > 0);
  };

  const start = (): void => {
    if (stopped) return;
    let code: string;
    try {
      code = (options.workerCode ?? (() => bundledWorkerCode(fileURLToPath(import.meta.url), { source: 'checkpoint-worker.ts', bundle: CHECKPOINT_WORKER_BUNDLE })))();
      const workerData: CheckpointWorkerData = {
        control: control.buffer as SharedArrayBuffer,
        databasePath: options.path,
        intervalMs,
        requireFrom: fileURLToPath(import.meta.url),
        ...(options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding }),
      };
      worker = new Worker(code, { eval: true, workerData });
    } catch (error) {
      fallBack(error);
      return;
    }
    const started = worker;
    // Never what keeps the process alive; stop() ends it.
    started.unref();
    started.on('message', (message: CheckpointWorkerReply) => {
      if (message.kind === 'ready') {
        ready = true;
        logger.info('WAL checkpoints run in a worker thread');
      }
      else if (message.kind === 'unavailable') fallBack(new Error(message.message));
      else logger.warn({ err: new Error(message.message) }, 'WAL checkpoint failed; it will be tried again');
    });
    started.on('error', (error) => {
      if (worker === started) fallBack(error);
    });
    started.on('exit', (code) => {
      if (worker === started && !stopped) fallBack(new Error(`the worker stopped (exit code ${code})`));
      endThread();
    });
  };
  const startTimer = setTimeout(start, intervalMs);
  startTimer.unref();

  const checkpointer: Checkpointer = {
    get runsOn() {
      if (stopped) return 'stopped';
      if (fallback !== null) return 'main-thread';
      return ready ? 'worker' : 'starting';
    },
    get workerCheckpoints() {
      return Atomics.load(control, Slot.RUNS);
    },
    threadEnded,
    pause() {
      pauses += 1;
      if (stopped || pauses > 1) return;
      command(Command.PAUSE);
      if (worker !== null) waitUntil((state) => state !== State.CHECKPOINTING);
    },
    resume() {
      if (pauses === 0) return;
      pauses -= 1;
      if (pauses === 0 && !stopped) command(Command.RUN);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      running.delete(db);
      clearTimeout(startTimer);
      fallback?.stop();
      command(Command.STOP);
      const current = worker;
      worker = null;
      if (current === null) {
        endThread();
        return;
      }
      // Not yet at its connection: it never opens one. Else its connection closes before this returns.
      if (Atomics.compareExchange(control, Slot.STATE, State.STARTING, State.ABANDONED) !== State.STARTING) {
        waitUntil((state) => state === State.CLOSED);
      }
      void current.terminate();
    },
  };
  running.set(db, checkpointer);
  return checkpointer;
}
