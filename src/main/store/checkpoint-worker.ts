// The WAL checkpoint worker, a worker thread (bundled on its own by build/scripts/build.mjs;
// started by checkpoint.ts): its own connection to kiosk.db runs `wal_checkpoint(PASSIVE)` every
// interval, so the page copies and the database fsync never hold the main thread, where a scan's
// verdict waits for it. WAL lets a checkpointer run beside the writer, and PASSIVE never waits
// for the writer or for readers. Commands arrive through shared memory (checkpoint-protocol.ts).
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';
import {
  CHECKPOINTING,
  CLOSED,
  COMMAND,
  OPEN,
  RUN,
  RUNS,
  STARTING,
  STATE,
  STOP,
  type CheckpointWorkerData,
  type CheckpointWorkerReply,
} from './checkpoint-protocol.js';

const data = workerData as CheckpointWorkerData;
const control = new Int32Array(data.control);

function reply(message: CheckpointWorkerReply): void {
  parentPort?.postMessage(message);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function setState(state: number): void {
  Atomics.store(control, STATE, state);
  Atomics.notify(control, STATE);
}

function open(): BetterSqlite3.Database | null {
  // Stopped before it got here: the main thread does not wait for a connection that never opened.
  if (Atomics.compareExchange(control, STATE, STARTING, OPEN) !== STARTING) return null;
  try {
    // From the starter's folder: an eval'd script would look in the working directory.
    const Database = createRequire(data.requireFrom)('better-sqlite3') as typeof BetterSqlite3;
    const db = new Database(data.databasePath, { fileMustExist: true, ...(data.nativeBinding === undefined ? {} : { nativeBinding: data.nativeBinding }) });
    db.pragma('synchronous = FULL');
    return db;
  } catch (error) {
    setState(CLOSED);
    reply({ kind: 'unavailable', message: messageOf(error) });
    return null;
  }
}

function run(db: BetterSqlite3.Database): void {
  reply({ kind: 'ready' });
  for (;;) {
    const command = Atomics.load(control, COMMAND);
    if (command === STOP) break;
    if (command === RUN) {
      // Busy first, then the command again: a pause that did not see "busy" is seen here.
      Atomics.store(control, STATE, CHECKPOINTING);
      if (Atomics.load(control, COMMAND) === RUN) {
        try {
          // Another checkpoint holding the lock makes this one answer busy (a row, no error): it is
          // simply tried again at the next interval.
          db.pragma('wal_checkpoint(PASSIVE)');
          Atomics.add(control, RUNS, 1);
        } catch (error) {
          reply({ kind: 'failed', message: messageOf(error) });
        }
      }
      setState(OPEN);
    }
    // Sleeps one interval, or until the command changes (pause, resume, stop).
    Atomics.wait(control, COMMAND, command, data.intervalMs);
  }
  db.close();
  setState(CLOSED);
}

const db = open();
if (db !== null) run(db);
