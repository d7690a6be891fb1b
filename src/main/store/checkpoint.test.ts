import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CHECKPOINT_WORKER_BUNDLE, startCheckpointer, withCheckpointsPaused, type Checkpointer, type CheckpointerOptions } from './checkpoint.js';
import { openWritableDatabase, type WritableDB } from './database.js';

const work = mkdtempSync(join(tmpdir(), 'pccovid-checkpoint-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Running {
  db: WritableDB;
  path: string;
  logs: { level: number; msg: string }[];
  checkpointer: Checkpointer;
}

/**
 * A new database with a checkpointer (every 20 ms unless told), given to `body`; then the
 * checkpointer stopped, the database closed, and both checked: the WAL deleted by the main
 * connection's close at once (SQLite deletes it only when no other connection is open, so the
 * worker's was closed when stop() returned, not later as the thread ends), then the thread ended.
 */
async function withCheckpointer(options: Partial<CheckpointerOptions>, body: (running: Running) => Promise<void> | void): Promise<void> {
  const path = join(mkdtempSync(join(work, 'db-')), 'kiosk.db');
  const db = openWritableDatabase(path);
  db.exec('CREATE TABLE scratch (x BLOB)');
  const logs: Running['logs'] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line) as Running['logs'][number]) });
  const checkpointer = startCheckpointer(db, { path, intervalMs: 20, logger, ...options });
  try {
    await body({ db, path, logs, checkpointer });
  } finally {
    checkpointer.stop();
    db.close();
  }
  expect(existsSync(`${path}-wal`)).toBe(false);
  await checkpointer.threadEnded;
}

/** Commits `pages` pages or so of new rows, one transaction: they sit in the WAL until a checkpoint. */
function write(db: WritableDB, pages: number): void {
  const insert = db.prepare('INSERT INTO scratch VALUES (randomblob(4000))');
  db.transaction(() => {
    for (let i = 0; i < pages; i++) insert.run();
  })();
}

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const sizeOf = (path: string): number => (existsSync(path) ? statSync(path).size : 0);
const truncate = (db: WritableDB): number => (db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[])[0]?.busy ?? -1;

describe('WAL checkpoints in a worker thread', () => {
  it('moves the WAL frames into the database file while the main thread only writes', () =>
    withCheckpointer({}, async ({ db, path, logs, checkpointer }) => {
      const before = sizeOf(path);
      write(db, 200);
      // The main connection never checkpoints this little (its backstop is 20,000 pages).
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(20_000);
      expect(sizeOf(path)).toBe(before);
      // (The worker counts a checkpoint once it returned, after its pages were written.)
      await until(() => checkpointer.runsOn === 'worker' && sizeOf(path) >= before + 200 * 4000 && checkpointer.workerCheckpoints > 0, 'the pages in the database file');
      // Everything in the log is already in the database: nothing left for a checkpoint to copy.
      await until(() => {
        const [result] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
        return result !== undefined && result.log === result.checkpointed;
      }, 'the log fully checkpointed');
      // Once backfilled the WAL is written again from its start, so it stops growing.
      const wal = sizeOf(`${path}-wal`);
      for (let i = 0; i < 5; i++) {
        write(db, 200);
        await new Promise((resolve) => setTimeout(resolve, 60));
      }
      expect(sizeOf(`${path}-wal`)).toBeLessThanOrEqual(wal + 200 * 4200);
      expect(logs.filter((line) => line.level >= 40)).toEqual([]);
    }));

  it('stop() closes the worker connection before it returns and ends the thread', () =>
    withCheckpointer({ intervalMs: 10 }, async ({ db, checkpointer }) => {
      await until(() => checkpointer.runsOn === 'worker', 'the worker');
      write(db, 50);
      checkpointer.stop();
      expect(checkpointer.runsOn).toBe('stopped');
    }));

  it('on a main thread that may not block (Atomics.wait throws), pause and stop poll instead', () =>
    withCheckpointer({ intervalMs: 1 }, async ({ db, checkpointer }) => {
      await until(() => checkpointer.runsOn === 'worker' && checkpointer.workerCheckpoints > 0, 'the worker');
      const wait = vi.spyOn(Atomics, 'wait').mockImplementation(() => {
        throw new TypeError('Atomics.wait cannot be called in this context');
      });
      try {
        write(db, 300);
        expect(withCheckpointsPaused(db, () => truncate(db))).toBe(0);
        checkpointer.stop();
      } finally {
        wait.mockRestore();
      }
    }));

  it('stopped before the worker started (a core open for a moment): no thread at all', () =>
    withCheckpointer({ intervalMs: 1_000 }, () => undefined));

  it('stopped while the worker is still loading: it never opens the database, and stop() does not wait for it', () =>
    withCheckpointer({ intervalMs: 1 }, async ({ checkpointer }) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      const started = Date.now();
      checkpointer.stop();
      expect(Date.now() - started).toBeLessThan(1_000);
    }));

  it("runs the built bundle (build/scripts/build.mjs; better-sqlite3 external, required from the starter's folder)", async () => {
    const dist = join(work, 'dist');
    execFileSync(process.execPath, [join(import.meta.dirname, '../../../build/scripts/build.mjs')], { env: { ...process.env, PCCOVID_DIST_DIR: dist } });
    const code = readFileSync(join(dist, CHECKPOINT_WORKER_BUNDLE), 'utf8');
    expect(code).not.toContain('sqlite3_open');
    expect(readFileSync(join(dist, 'electron', CHECKPOINT_WORKER_BUNDLE), 'utf8')).toBe(code);
    await withCheckpointer({ workerCode: () => code }, async ({ db, path, checkpointer }) => {
      const before = sizeOf(path);
      write(db, 100);
      await until(() => checkpointer.runsOn === 'worker' && sizeOf(path) >= before + 100 * 4000, 'the bundled worker checkpointing');
    });
  });
});

describe('falling back to the main thread', () => {
  const cases: [string, Partial<CheckpointerOptions>][] = [
    ['its code cannot be found', { workerCode: () => { throw new Error('no worker bundle here'); } }],
    ['its code throws', { workerCode: () => 'throw new Error("broken bundle")' }],
    ['better-sqlite3 does not load in it', { nativeBinding: join(work, 'no-such-addon.node') }],
  ];
  for (const [what, options] of cases) {
    it(`checkpoints on the main thread when ${what}, and says so once`, () =>
      withCheckpointer(options, async ({ db, path, logs, checkpointer }) => {
        const before = sizeOf(path);
        write(db, 100);
        await until(() => checkpointer.runsOn === 'main-thread' && sizeOf(path) >= before + 100 * 4000, 'the main-thread checkpoints');
        await new Promise((resolve) => setTimeout(resolve, 100));
        const warnings = logs.filter((line) => line.level >= 40);
        expect(warnings.map((line) => line.msg)).toEqual(['the WAL checkpoint worker did not start; checkpoints run on the main thread']);
        expect(checkpointer.workerCheckpoints).toBe(0);
      }));
  }
});

describe('pausing (a wipe truncating the WAL)', () => {
  it('runs no checkpoint while paused, and again after', () =>
    withCheckpointer({ intervalMs: 5 }, async ({ db, checkpointer }) => {
      await until(() => checkpointer.runsOn === 'worker' && checkpointer.workerCheckpoints > 0, 'the worker');
      withCheckpointsPaused(db, () => {
        const runs = checkpointer.workerCheckpoints;
        // Blocks this thread for 20 intervals: the worker would have run some meanwhile.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
        expect(checkpointer.workerCheckpoints).toBe(runs);
      });
      const runs = checkpointer.workerCheckpoints;
      await until(() => checkpointer.workerCheckpoints > runs, 'a checkpoint after the pause');
    }));

  it('a TRUNCATE checkpoint beside a busy worker: busy and the WAL left as it was unless paused', () =>
    // A checkpoint every millisecond: the worker nearly always holds the checkpoint lock.
    withCheckpointer({ intervalMs: 1 }, async ({ db, path, checkpointer }) => {
      await until(() => checkpointer.runsOn === 'worker' && checkpointer.workerCheckpoints > 0, 'the worker');
      let unpausedBusy = 0;
      for (let round = 0; round < 30; round++) {
        write(db, 300);
        await new Promise((resolve) => setTimeout(resolve, round % 5));
        if (truncate(db) !== 0) unpausedBusy++;
      }
      // The fight this guards against (80 % of rounds on the reference machine).
      expect(unpausedBusy).toBeGreaterThan(0);
      for (let round = 0; round < 30; round++) {
        write(db, 300);
        await new Promise((resolve) => setTimeout(resolve, round % 5));
        expect(withCheckpointsPaused(db, () => truncate(db))).toBe(0);
        expect(sizeOf(`${path}-wal`)).toBe(0);
      }
    }));
});
