// The WAL checkpoint worker, a worker thread (bundled on its own by build/scripts/build.mjs;
// started by checkpoint.ts): its own connection to kiosk.db runs `wal_checkpoint(PASSIVE)` every
// interval, so the page copies and the database fsync never hold the main thread, where a scan's
// verdict waits for it. WAL lets a checkpointer run beside the writer, and PASSIVE never waits
// for the writer or for readers. Commands arrive through shared memory (checkpoint-protocol.ts).
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';
import { Command, Slot, State, type CheckpointWorkerData, type CheckpointWorkerReply } from './checkpoint-protocol.js';

const data = workerData as CheckpointWorkerData;
const control = new Int32Array(data.control);

function reply(message: CheckpointWorkerReply): void {
  parentPort?.postMessage(message);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function setState(state: number): void {
  Atomics.store(control, Slot.STATE, state);
  Atomics.notify(control, Slot.STATE);
}

function open(): BetterSqlite3.Database | null {
  // Stopped before it got here: the main thread does not wait for a connection that never opened.
  if (Atomics.compareExchange(control, Slot.STATE, State.STARTING, State.OPEN) !== State.STARTING) return null;
  try {
    // From the starter's folder: an eval'd script would look in the working directory.
    const Database = createRequire(data.requireFrom)('better-sqlite3') as typeof BetterSqlite3;
    const db = new Database(data.databasePath, { fileMustExist: true, ...(data.nativeBinding === undefined ? {} : { nativeBinding: data.nativeBinding }) });
    db.pragma('synchronous = FULL');
    return db;
  } catch (error) {
    setState(State.CLOSED);
    reply({ kind: 'unavailable', message: messageOf(error) });
    return null;
  }
}

function run(db: BetterSqlite3.Database): void {
  reply({ kind: 'ready' });
  for (;;) {
    const command = Atomics.load(control, Slot.COMMAND);
    if (command === Command.STOP) break;
    if (command === Command.RUN) {
      // Busy first, then the command again: a pause that did not see "busy" is seen here.
      Atomics.store(control, Slot.STATE, State.CHECKPOINTING);
      if (Atomics.load(control, Slot.COMMAND) === Command.RUN) {
        try {
          // Another checkpoint holding the lock makes this one answer busy (a row, no error): it is
          // simply tried again at the next interval.
          db.pragma('wal_checkpoint(PASSIVE)');
          Atomics.add(control, Slot.RUNS, 1);
        } catch (error) {
          reply({ kind: 'failed', message: messageOf(error) });
        }
      }
      setState(State.OPEN);
    }
    // Sleeps one interval, or until the command changes (pause, resume, stop).
    Atomics.wait(control, Slot.COMMAND, command, data.intervalMs);
  }
  db.close();
  setState(State.CLOSED);
}

const db = open();
if (db !== null) run(db);
