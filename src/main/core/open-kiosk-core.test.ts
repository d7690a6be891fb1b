import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { issueDemoPass } from '../demo/demo-authority.js';
import { FIXED_NOW_MS, scanOf } from '../pipeline/test-fixtures.js';
import { wipePersonalData } from '../provision/wipe.js';
import { AUTHORITY_DIR_SUFFIX, SEALING_PUBLIC_KEY_FILE } from '../sync/sealing-key.js';
import { DATABASE_FILE, DEMO_VENUE_NAME, openKioskCore } from './open-kiosk-core.js';

const tempDir = (): string => join(mkdtempSync(join(tmpdir(), 'pccovid-core-')), 'data');

describe('kiosk core', () => {
  it('starts on an empty data directory with the demo venue and authority', () => {
    const dataDir = tempDir();
    const kiosk = openKioskCore({ dataDir, now: () => FIXED_NOW_MS });
    expect(kiosk.info()).toMatchObject({ venueName: DEMO_VENUE_NAME, mode: 'venue', defaultLocale: 'vi', demo: true });
    expect(statSync(dataDir).mode & 0o077).toBe(0);
    kiosk.close();
  });

  it('a kiosk that may not run the demo, not provisioned: its health makes no demo sealing key', () => {
    const dataDir = tempDir();
    const kiosk = openKioskCore({ dataDir, now: () => FIXED_NOW_MS, allowDemo: false });
    try {
      // The door screen asks for health at start and every 30 s.
      expect(kiosk.health().sealing).toBeUndefined();
      kiosk.health();
      expect(existsSync(`${dataDir}${AUTHORITY_DIR_SUFFIX}`)).toBe(false);
      expect(existsSync(join(dataDir, SEALING_PUBLIC_KEY_FILE))).toBe(false);
    } finally {
      kiosk.close();
    }
    // A demo kiosk does seal, to its demo authority's key.
    const demo = openKioskCore({ dataDir: tempDir(), now: () => FIXED_NOW_MS });
    try {
      expect(demo.health().sealing).toMatchObject({ state: 'demo' });
    } finally {
      demo.close();
    }
  });

  it('logs one check-in row per verdict, durably, and keeps them across restarts', () => {
    const dataDir = tempDir();
    const kiosk = openKioskCore({ dataDir, now: () => FIXED_NOW_MS });
    const pass = issueDemoPass(kiosk.demoAuthority, { nowMs: FIXED_NOW_MS });
    const admitted = kiosk.submitScan(scanOf(pass));
    const unreadable = kiosk.submitScan(scanOf('PC1:???'));
    expect(admitted.outcome).toBe('admit');
    expect(unreadable).toMatchObject({ outcome: 'deny', readable: false });
    kiosk.close();

    const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
    const rows = db.prepare('SELECT id, outcome, readable, reason_codes FROM checkins ORDER BY id').all();
    expect(rows).toEqual([
      { id: admitted.checkinId, outcome: 'admit', readable: 1, reason_codes: '["status_green","status_from_pass"]' },
      { id: unreadable.checkinId, outcome: 'deny', readable: 0, reason_codes: '["base45_invalid"]' },
    ]);
    db.close();

    const reopened = openKioskCore({ dataDir, now: () => FIXED_NOW_MS });
    expect(reopened.recentCheckins(10).map((c) => c.id)).toEqual([unreadable.checkinId, admitted.checkinId]);
    // The same demo authority is reloaded: passes issued before the restart still verify.
    expect(reopened.submitScan(scanOf(pass)).outcome).toBe('admit');
    reopened.close();
  });

  it('pushes verdicts of hardware scans to listeners, not those the renderer asked for', () => {
    const kiosk = openKioskCore({ dataDir: tempDir(), now: () => FIXED_NOW_MS });
    const pushed: string[] = [];
    const unsubscribe = kiosk.onVerdict((verdict) => pushed.push(verdict.checkinId));
    kiosk.submitScan(scanOf('x', 'keyboard-wedge'));
    const fromSerial = kiosk.submitScan(scanOf('x', 'serial'));
    unsubscribe();
    kiosk.submitScan(scanOf('x', 'serial'));
    expect(pushed).toEqual([fromSerial.checkinId]);
    kiosk.close();
  });

  it('does not log the CLI check', () => {
    const kiosk = openKioskCore({ dataDir: tempDir(), now: () => FIXED_NOW_MS });
    kiosk.checkOnly(scanOf('x', 'cli'));
    expect(kiosk.recentCheckins(10)).toEqual([]);
    kiosk.close();
  });

  it('checkpoints the WAL off the main thread, lets a wipe truncate it, and closes its connection on close()', async () => {
    const dataDir = tempDir();
    const path = join(dataDir, DATABASE_FILE);
    const kiosk = openKioskCore({ dataDir, now: () => FIXED_NOW_MS });
    const before = statSync(path).size;
    for (let i = 0; i < 200; i++) kiosk.submitScan(scanOf(`not a pass ${i}`, 'serial'));
    // Only a checkpoint moves the rows into the database file; the main thread runs none (the
    // worker starts after one interval, 1 s).
    const deadline = Date.now() + 20_000;
    while (statSync(path).size === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(statSync(path).size).toBeGreaterThan(before);
    wipePersonalData(dataDir, kiosk.db);
    expect(statSync(`${path}-wal`).size).toBe(0);
    expect(kiosk.recentCheckins(10)).toEqual([]);
    kiosk.close();
    // Deleted by the last connection to close: the worker's was closed first.
    expect(existsSync(`${path}-wal`)).toBe(false);
  });
});
