import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VerdictView } from '../../common/ipc/contract.js';
import type { ScanEvent } from '../../common/types/credential.js';
import { openKioskCore, type OpenedKiosk } from '../core/open-kiosk-core.js';
import { issueDemoPass } from '../demo/demo-authority.js';
import { handleIpcRequest } from '../ipc/handle-request.js';
import { FakeHidDriver, FakeHidScanner, fakeHidInfo } from '../../../hardware/hid-pos/fake-hid-pos.js';
import { loadProfiles } from '../../../hardware/profiles/device-profiles.js';
import { FakeSerialDriver, FakeSerialScanner, fakeSerialInfo } from '../../../hardware/serial/fake-serial.js';
import { attachHardware, type KioskHardware } from './kiosk-hardware.js';

const logger = pino({ level: 'silent' });
const { profiles } = loadProfiles();
const zebra = profiles.find((profile) => profile.id === 'zebra')?.hidPos;

describe('kiosk with hardware attached', () => {
  let folder: string;
  let kiosk: OpenedKiosk;
  let hardware: KioskHardware;
  let hid: FakeHidDriver;
  let serial: FakeSerialDriver;
  let clock: number;
  const pushed: VerdictView[] = [];

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'pccovid-hw-'));
    kiosk = openKioskCore({ dataDir: join(folder, 'data') });
    hid = new FakeHidDriver();
    serial = new FakeSerialDriver();
    clock = Date.now();
    hardware = attachHardware(kiosk, { logger, hid, serial, profiles, now: () => clock, pollIntervalMs: 60_000 });
    hardware.core.onVerdict((verdict) => pushed.push(verdict));
    await hardware.manager.pollOnce();
  });

  afterEach(async () => {
    await hardware.stop();
    hardware.core.close();
    pushed.length = 0;
    rmSync(folder, { recursive: true, force: true });
  });

  it('turns a HID POS scan into a check-in whose verdict is pushed to the screen', async () => {
    if (zebra === undefined || zebra === null) throw new Error('no zebra layout');
    const scanner = hid.plug(new FakeHidScanner(fakeHidInfo({ path: '/dev/hidraw2', vendorId: 0x05e0, productId: 0x1300, serialNumber: 'Z1' }), zebra));
    await hardware.manager.pollOnce();
    const pass = issueDemoPass(kiosk.demoAuthority, { nowMs: Date.now(), name: 'Trần Thị Bích Ngọc' });
    scanner.scan(pass);
    expect(pushed.map((verdict) => verdict.outcome)).toEqual(['admit']);
    expect(hardware.core.recentCheckins(5).map((row) => row.source)).toEqual(['hid-pos']);

    // The phone stays in front of the scanner: re-reads are not new check-ins.
    clock += 1000;
    scanner.scan(pass);
    expect(pushed).toHaveLength(1);
    const [view] = hardware.core.devices().filter((device) => device.mode === 'hid-pos');
    expect(view).toMatchObject({ connected: true, scanCount: 2, lastScan: { disposition: 'duplicate', symbology: ']Q1' } });
  });

  it('tells the kiosk which reader read each scan, so two scanners of one model stay apart', async () => {
    if (zebra === undefined || zebra === null) throw new Error('no zebra layout');
    const seen: ScanEvent[] = [];
    // The same kiosk, its submitScan watched.
    const watched = new Proxy(kiosk, {
      get(target, property) {
        if (property === 'submitScan') {
          return (scan: ScanEvent) => {
            seen.push(scan);
            return target.submitScan(scan);
          };
        }
        const value: unknown = Reflect.get(target, property);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const driver = new FakeHidDriver();
    const twoLanes = attachHardware(watched, { logger, hid: driver, serial: null, profiles, now: () => clock, pollIntervalMs: 60_000 });
    try {
      await twoLanes.manager.pollOnce();
      const left = driver.plug(new FakeHidScanner(fakeHidInfo({ path: '/dev/hidraw3', vendorId: 0x05e0, productId: 0x1300, serialNumber: 'L1' }), zebra));
      const right = driver.plug(new FakeHidScanner(fakeHidInfo({ path: '/dev/hidraw4', vendorId: 0x05e0, productId: 0x1300, serialNumber: 'L2' }), zebra));
      await twoLanes.manager.pollOnce();
      left.scan('PC1:LEFT');
      right.scan('PC1:RIGHT');
      const readers = twoLanes.core.devices().filter((device) => device.mode === 'hid-pos');
      expect(readers).toHaveLength(2);
      const idOf = (path: string): string | undefined => readers.find((device) => device.path === path)?.id;
      expect(seen.map((scan) => [scan.source, scan.text, scan.device?.id])).toEqual([
        ['hid-pos', 'PC1:LEFT', idOf('/dev/hidraw3')],
        ['hid-pos', 'PC1:RIGHT', idOf('/dev/hidraw4')],
      ]);
      expect(idOf('/dev/hidraw3')).not.toBe(idOf('/dev/hidraw4'));
      expect(seen[0]?.device?.name).toBe(readers[0]?.name);
    } finally {
      await twoLanes.stop();
    }
  });

  it('submits serial scans as source "serial", unreadable ones included', async () => {
    const scanner = serial.plug(new FakeSerialScanner(fakeSerialInfo({ path: '/dev/ttyACM0', vendorId: 0x1eab, productId: 0x0d10 }), 'crlf'));
    await hardware.manager.pollOnce();
    scanner.scan('https://example.org/menu', [5, 5, 5]);
    expect(pushed.map((verdict) => [verdict.outcome, verdict.readable])).toEqual([['deny', false]]);
    expect(hardware.core.recentCheckins(5).map((row) => row.source)).toEqual(['serial']);
  });

  it('answers devices:list through the IPC contract, with the window\'s wedge scans', async () => {
    hardware.core.submitScan({ source: 'keyboard-wedge', symbology: 'unknown', text: 'PC1:TYPED', receivedAt: clock });
    hardware.core.submitScan({ source: 'paste', symbology: 'unknown', text: 'PC1:PASTED', receivedAt: clock });
    const result = handleIpcRequest(hardware.core, 'devices:list', {}, logger);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value).toEqual([expect.objectContaining({ id: 'keyboard:window', scanCount: 1, lastScan: expect.objectContaining({ text: 'PC1:TYPED' }) })]);
    expect(handleIpcRequest(hardware.core, 'devices:list', { extra: 1 }, logger)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    // Pushed verdicts are for hardware scans only: the renderer got its own answers.
    expect(pushed).toEqual([]);
  });

  it('leaves a bare core without devices', () => {
    const bare = openKioskCore({ dataDir: join(folder, 'bare') });
    try {
      expect(bare.devices()).toEqual([]);
    } finally {
      bare.close();
    }
  });
});
