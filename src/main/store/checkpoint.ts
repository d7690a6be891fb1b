// WAL checkpoints off the commit path. SQLite's automatic checkpoint runs inside whichever commit
// crosses the threshold, adding its page copies and database fsync to that one check-in (the
// p99 of the log). Instead a timer checkpoints between scans; the automatic one stays only as a
// backstop far above what the timer leaves behind.
import type Database from 'better-sqlite3';
import type { Logger } from '../log.js';

export const BACKSTOP_AUTOCHECKPOINT_PAGES = 20_000;

export interface CheckpointTimer {
  stop(): void;
}

export function startCheckpointTimer(db: Database.Database, intervalMs: number, logger: Logger): CheckpointTimer {
  db.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
  const timer = setInterval(() => {
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
