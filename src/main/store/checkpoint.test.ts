import { build } from 'esbuild';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { CHECKPOINT_WORKER_BUNDLE, startCheckpointer, withCheckpointsPaused, type Checkpointer, type CheckpointerOptions } from './checkpoint.js';
import { openWritableDatabase, type WritableDB } from './database.js';

const work = mkdtempSync(join(tmpdir(), 'pccovid-checkpoint-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Opened {
  db: WritableDB;
  path: string;
  logs: { level: number; msg: string }[];
  logger: CheckpointerOptions['logger'];
}

function openDb(): Opened {
  const path = join(mkdtempSync(join(work, 'db-')), 'kiosk.db');
  const db = openWritableDatabase(path);
  db.exec('CREATE TABLE scratch (x BLOB)');
  const logs: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line) as { level: number; msg: string }) });
  return { db, path, logs, logger };
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

describe('WAL checkpoints in a worker thread', () => {
  it('moves the WAL frames into the database file while the main thread only writes', async () => {
    const { db, path, logger, logs } = openDb();
    const checkpointer = startCheckpointer(db, { path, intervalMs: 20, logger });
    try {
      const before = sizeOf(path);
      write(db, 200);
      // The main connection never checkpoints this little (its backstop is 20,000 pages).
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(20_000);
      expect(sizeOf(path)).toBe(before);
      // (The worker counts a checkpoint once it returned, after its pages were written.)
      await until(() => checkpointer.runsOn === 'worker' && sizeOf(path) >= before + 200 * 4000 && checkpointer.workerCheckpoints > 0, 'the pages in the database file');
      // Everything in the log is already in the database: nothing left for a checkpoint to copy.
      await until(() => {
        const [result] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
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
    } finally {
      checkpointer.stop();
      db.close();
    }
  });

  it('stop() closes the worker connection before it returns and ends the thread', async () => {
    const { db, path, logger } = openDb();
    const checkpointer = startCheckpointer(db, { path, intervalMs: 10, logger });
    await until(() => checkpointer.runsOn === 'worker', 'the worker');
    write(db, 50);
    checkpointer.stop();
    expect(checkpointer.runsOn).toBe('stopped');
    // The main connection is the last one: closing it checkpoints and deletes the WAL, which
    // SQLite does only when no other connection is open.
    db.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
    await checkpointer.threadEnded;
  });

  it('stopped before the worker started (a core open for a moment): no thread at all', async () => {
    const { db, path, logger } = openDb();
    const checkpointer = startCheckpointer(db, { path, intervalMs: 1_000, logger });
    checkpointer.stop();
    await checkpointer.threadEnded;
    db.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('stopped while the worker is still loading: it never opens the database, and stop() does not wait for it', async () => {
    const { db, path, logger } = openDb();
    const checkpointer = startCheckpointer(db, { path, intervalMs: 1, logger });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const started = Date.now();
    checkpointer.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    await checkpointer.threadEnded;
    db.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('runs the built bundle (better-sqlite3 external, required from the starter folder) as an eval\'d worker', async () => {
    // As build/scripts/build.mjs builds it.
    const bundle = join(work, CHECKPOINT_WORKER_BUNDLE);
    await build({
      entryPoints: [join(import.meta.dirname, 'checkpoint-worker.ts')],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['better-sqlite3'],
      logLevel: 'error',
    });
    expect(readFileSync(bundle, 'utf8')).not.toContain('sqlite3_open');
    const { db, path, logger } = openDb();
    const checkpointer = startCheckpointer(db, { path, intervalMs: 20, logger, workerCode: () => readFileSync(bundle, 'utf8') });
    try {
      const before = sizeOf(path);
      write(db, 100);
      await until(() => checkpointer.runsOn === 'worker' && sizeOf(path) >= before + 100 * 4000, 'the bundled worker checkpointing');
    } finally {
      checkpointer.stop();
      db.close();
    }
    await checkpointer.threadEnded;
  });
});

describe('falling back to the main thread', () => {
  const cases: [string, Partial<CheckpointerOptions>][] = [
    ['its code cannot be found', { workerCode: () => { throw new Error('no worker bundle here'); } }],
    ['its code throws', { workerCode: () => 'throw new Error("broken bundle")' }],
    ['better-sqlite3 does not load in it', { nativeBinding: join(work, 'no-such-addon.node') }],
  ];
  for (const [what, options] of cases) {
    it(`checkpoints on the main thread when ${what}, and says so once`, async () => {
      const { db, path, logger, logs } = openDb();
      const checkpointer: Checkpointer = startCheckpointer(db, { path, intervalMs: 20, logger, ...options });
      try {
        const before = sizeOf(path);
        write(db, 100);
        await until(() => checkpointer.runsOn === 'main-thread' && sizeOf(path) >= before + 100 * 4000, 'the main-thread checkpoints');
        await new Promise((resolve) => setTimeout(resolve, 100));
        const warnings = logs.filter((line) => line.level >= 40);
        expect(warnings.map((line) => line.msg)).toEqual(['the WAL checkpoint worker did not start; checkpoints run on the main thread']);
        expect(checkpointer.workerCheckpoints).toBe(0);
      } finally {
        checkpointer.stop();
        db.close();
      }
      await checkpointer.threadEnded;
      expect(existsSync(`${path}-wal`)).toBe(false);
    });
  }
});

describe('pausing (a wipe truncating the WAL)', () => {
  it('runs no checkpoint while paused, and again after', async () => {
    const { db, path, logger } = openDb();
    const checkpointer = startCheckpointer(db, { path, intervalMs: 5, logger });
    try {
      await until(() => checkpointer.runsOn === 'worker' && checkpointer.workerCheckpoints > 0, 'the worker');
      withCheckpointsPaused(db, () => {
        const runs = checkpointer.workerCheckpoints;
        // Blocks this thread for 20 intervals: the worker would have run some meanwhile.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
        expect(checkpointer.workerCheckpoints).toBe(runs);
      });
      const runs = checkpointer.workerCheckpoints;
      await until(() => checkpointer.workerCheckpoints > runs, 'a checkpoint after the pause');
    } finally {
      checkpointer.stop();
      db.close();
    }
  });

  it('a TRUNCATE checkpoint beside a busy worker: busy and the WAL left as it was unless paused', async () => {
    const { db, path, logger } = openDb();
    // A checkpoint every millisecond: the worker nearly always holds the checkpoint lock.
    const checkpointer = startCheckpointer(db, { path, intervalMs: 1, logger });
    const truncate = (): { busy: number } => (db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[])[0] ?? { busy: -1 };
    try {
      await until(() => checkpointer.runsOn === 'worker' && checkpointer.workerCheckpoints > 0, 'the worker');
      let unpausedBusy = 0;
      for (let round = 0; round < 30; round++) {
        write(db, 300);
        await new Promise((resolve) => setTimeout(resolve, round % 5));
        if (truncate().busy !== 0) unpausedBusy++;
      }
      // The fight this guards against (80 % of rounds on the reference machine).
      expect(unpausedBusy).toBeGreaterThan(0);
      for (let round = 0; round < 30; round++) {
        write(db, 300);
        await new Promise((resolve) => setTimeout(resolve, round % 5));
        expect(withCheckpointsPaused(db, truncate).busy).toBe(0);
        expect(sizeOf(`${path}-wal`)).toBe(0);
      }
    } finally {
      checkpointer.stop();
      db.close();
    }
  });
});
