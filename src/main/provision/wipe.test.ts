import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE, openKioskCore } from '../core/open-kiosk-core.js';
import { issueDemoPass } from '../demo/demo-authority.js';
import { FIXED_NOW_MS, scanOf } from '../pipeline/test-fixtures.js';
import { wipePersonalData } from './wipe.js';

describe('wiping the check-in log', () => {
  it('refuses to say it is done while another process holds the log file, and succeeds once it lets go', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'pccovid-wipe-')), 'data');
    const kiosk = openKioskCore({ dataDir, now: () => FIXED_NOW_MS });
    kiosk.submitScan(scanOf(issueDemoPass(kiosk.demoAuthority, { nowMs: FIXED_NOW_MS })));
    const path = join(dataDir, DATABASE_FILE);
    // Another process (a CLI on the same data directory) in the middle of a read.
    const other = new Database(path, { readonly: true });
    other.prepare('BEGIN').run();
    other.prepare('SELECT count(*) FROM checkins').get();
    try {
      expect(() => wipePersonalData(dataDir, kiosk.db)).toThrow(/held by another process/u);
    } finally {
      other.prepare('COMMIT').run();
      other.close();
    }
    // Wiped again, with the log free: nothing of the rows is left in the WAL.
    wipePersonalData(dataDir, kiosk.db);
    expect(statSync(`${path}-wal`).size).toBe(0);
    expect(kiosk.recentCheckins(10)).toEqual([]);
    kiosk.close();
  });
});
