import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScanDisposition } from '../../common/ipc/device-view.js';
import { fromHex } from '../../../hardware/bytes.js';
import { HardwareError } from '../../../hardware/hardware-error.js';
import { FakeHidDriver, FakeHidScanner, fakeHidInfo } from '../../../hardware/hid-pos/fake-hid-pos.js';
import { loadProfiles } from '../../../hardware/profiles/device-profiles.js';
import { FakeSerialDriver, FakeSerialScanner, fakeSerialInfo } from '../../../hardware/serial/fake-serial.js';
import { encodeSerialFrame } from '../../../hardware/serial/serial-framer.js';
import { SILENT_LOGGER, type RawScan } from '../../../hardware/types.js';
import { createDeviceManager, type DeviceManager, type ScanningDevice } from './device-manager.js';

const { profiles } = loadProfiles();
const honeywellLayout = profiles.find((profile) => profile.id === 'honeywell')?.hidPos ?? null;
if (honeywellLayout === null) throw new Error('the honeywell profile has no HID POS layout');

interface Harness {
  manager: DeviceManager;
  hid: FakeHidDriver;
  serial: FakeSerialDriver;
  scans: { device: ScanningDevice; scan: RawScan }[];
  setNow(ms: number): void;
}

const managers: DeviceManager[] = [];
const folders: string[] = [];

afterEach(async () => {
  for (const manager of managers.splice(0)) await manager.stop();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function harness(options: { serialPorts?: string[]; answer?: (device: ScanningDevice, scan: RawScan) => ScanDisposition } = {}): Harness {
  let clock = 1_000_000;
  const hid = new FakeHidDriver();
  const serial = new FakeSerialDriver();
  const scans: Harness['scans'] = [];
  const manager = createDeviceManager({
    hid,
    serial,
    profiles,
    serialPorts: (options.serialPorts ?? []).map((path) => ({ path, baudRate: 9600, framing: 'auto' })),
    logger: SILENT_LOGGER,
    now: () => clock,
    retryDelayMs: 2000,
    onScan(device, scan) {
      scans.push({ device, scan });
      return options.answer?.(device, scan) ?? 'submitted';
    },
  });
  managers.push(manager);
  return { manager, hid, serial, scans, setNow: (ms) => (clock = ms) };
}

function honeywellScanner(path: string, serialNumber: string | null = '21012B0123'): FakeHidScanner {
  return new FakeHidScanner(
    fakeHidInfo({ path, vendorId: 0x0c2e, productId: 0x0b07, serialNumber, product: 'Honeywell Xenon 1950g' }),
    honeywellLayout ?? fail(),
  );
}

function fail(): never {
  throw new Error('unreachable');
}

function device(h: Harness, id: string) {
  const view = h.manager.list().find((candidate) => candidate.id === id);
  if (view === undefined) throw new Error(`no device ${id} in ${h.manager.list().map((d) => d.id).join(', ')}`);
  return view;
}

const HONEYWELL_ID = 'hid-pos:0x0C2E:0x0B07:21012B0123';

describe('device manager: HID POS', () => {
  it('finds a known scanner, opens it by profile, and hands its scans on', async () => {
    const h = harness();
    const scanner = h.hid.plug(honeywellScanner('/dev/hidraw3'));
    await h.manager.pollOnce();
    expect(device(h, HONEYWELL_ID)).toMatchObject({ mode: 'hid-pos', profile: 'honeywell', connected: true, path: '/dev/hidraw3', problem: null });
    expect(scanner.featureReports).toEqual([fromHex('FE01')]);

    scanner.scan('PC1:Nguyễn Văn A');
    expect(h.scans.map(({ device: d, scan }) => [d.id, d.mode, scan.text, scan.symbology])).toEqual([[HONEYWELL_ID, 'hid-pos', 'PC1:Nguyễn Văn A', ']Q1']]);
    expect(device(h, HONEYWELL_ID)).toMatchObject({
      scanCount: 1,
      lastScan: { text: 'PC1:Nguyễn Văn A', symbology: ']Q1', frame: 'hid-pos', disposition: 'submitted', truncated: false },
    });
    expect(device(h, HONEYWELL_ID).lastScan?.hex.startsWith('50 43 31 3a 4e 67 75 79 e1 bb 85 6e')).toBe(true);
  });

  it('shows an unplugged scanner as missing, never stops, and reopens it when it is back', async () => {
    const h = harness();
    h.hid.plug(honeywellScanner('/dev/hidraw3'));
    await h.manager.pollOnce();
    h.setNow(1_005_000);
    h.hid.unplug('/dev/hidraw3');
    // The read error closes it at once, before any poll.
    expect(device(h, HONEYWELL_ID)).toMatchObject({ connected: false, changedAt: 1_005_000, problem: { code: 'disconnected' } });
    await h.manager.pollOnce();
    expect(device(h, HONEYWELL_ID).connected).toBe(false);

    // Plugged into another port: a new hidraw node, the same scanner.
    h.setNow(1_010_000);
    const back = h.hid.plug(honeywellScanner('/dev/hidraw5'));
    await h.manager.pollOnce();
    expect(device(h, HONEYWELL_ID)).toMatchObject({ connected: true, path: '/dev/hidraw5', changedAt: 1_010_000, problem: null });
    back.scan('PC1:AGAIN');
    expect(h.scans.map(({ scan }) => scan.text)).toEqual(['PC1:AGAIN']);
  });

  it('notices a scanner gone from the list even when its channel said nothing', async () => {
    const h = harness();
    const scanner = h.hid.plug(honeywellScanner('/dev/hidraw3'));
    await h.manager.pollOnce();
    const channel = scanner.channel;
    // Gone from the list while its channel reported nothing (the read error can lag behind).
    const list = h.hid.list.bind(h.hid);
    h.hid.list = async () => (await list()).filter((info) => info.path !== '/dev/hidraw3');
    await h.manager.pollOnce();
    expect(device(h, HONEYWELL_ID).connected).toBe(false);
    expect(channel?.isClosed).toBe(true);
  });

  it('says what to do when the scanner may not be opened, and retries later', async () => {
    const h = harness();
    h.hid.plug(honeywellScanner('/dev/hidraw3'));
    h.hid.openFailures.set('/dev/hidraw3', new HardwareError('permission_denied', 'The kiosk may not open /dev/hidraw3 (permission denied): install hardware/udev/70-pccovid-scanners.rules.'));
    await h.manager.pollOnce();
    expect(device(h, HONEYWELL_ID)).toMatchObject({ connected: false, problem: { code: 'permission_denied' } });
    expect(device(h, HONEYWELL_ID).problem?.message).toContain('70-pccovid-scanners.rules');

    h.hid.openFailures.clear();
    await h.manager.pollOnce();
    expect(h.hid.opens).toBe(1); // still within the retry delay
    h.setNow(1_002_000);
    await h.manager.pollOnce();
    expect(device(h, HONEYWELL_ID)).toMatchObject({ connected: true, problem: null });
  });

  it('lists a keyboard-mode scanner without opening it', async () => {
    const h = harness();
    h.hid.plug(
      new FakeHidScanner(fakeHidInfo({ path: '/dev/hidraw1', vendorId: 0x05e0, productId: 0x1200, usagePage: 0x01, usage: 0x06, product: 'Symbol Bar Code Scanner' }), honeywellLayout),
    );
    // An ordinary keyboard is none of the kiosk's business.
    h.hid.plug(new FakeHidScanner(fakeHidInfo({ path: '/dev/hidraw0', vendorId: 0x046d, usagePage: 0x01, usage: 0x06 }), honeywellLayout));
    await h.manager.pollOnce();
    const keyboards = h.manager.list().filter((view) => view.mode === 'keyboard-wedge');
    expect(keyboards.map((view) => [view.id, view.connected, view.profile])).toEqual([
      ['keyboard:window', true, null],
      ['keyboard:0x05E0:0x1200:if0', true, 'zebra'],
    ]);
    expect(h.hid.opens).toBe(0);
  });

  it('opens a device listed once per collection only once', async () => {
    const h = harness();
    const scanner = h.hid.plug(honeywellScanner('/dev/hidraw3'));
    const list = h.hid.list.bind(h.hid);
    h.hid.list = async () => {
      const infos = await list();
      return [...infos, ...infos.map((info) => ({ ...info, usage: 0x12 }))];
    };
    await h.manager.pollOnce();
    expect(h.hid.opens).toBe(1);
    expect(h.manager.list().filter((view) => view.mode === 'hid-pos')).toHaveLength(1);
    expect(scanner.channel?.isClosed).toBe(false);
  });

  it('lists a HID POS scanner without a profile, with what to do', async () => {
    const h = harness();
    h.hid.plug(new FakeHidScanner(fakeHidInfo({ path: '/dev/hidraw4', vendorId: 0x1234, productId: 0x5678 }), honeywellLayout));
    await h.manager.pollOnce();
    expect(device(h, 'hid-pos:0x1234:0x5678:if0')).toMatchObject({ profile: null, problem: { code: 'no_profile' } });
    expect(h.hid.opens).toBe(0);
  });

  it('keeps the kiosk going when node-hid cannot even list devices', async () => {
    const h = harness();
    h.hid.listFailure = new HardwareError('driver_unavailable', 'The HID driver (node-hid) could not be loaded: reinstall the kiosk.');
    h.serial.plug(new FakeSerialScanner(fakeSerialInfo({ path: '/dev/ttyACM0', vendorId: 0x1eab, productId: 0x0d10 })));
    await h.manager.pollOnce();
    expect(device(h, 'driver:hid')).toMatchObject({ connected: false, problem: { code: 'driver_unavailable' } });
    expect(device(h, 'serial:0x1EAB:0x0D10:port').connected).toBe(true);
    h.hid.listFailure = null;
    await h.manager.pollOnce();
    expect(h.manager.list().some((view) => view.id === 'driver:hid')).toBe(false);
  });

  it('forgets a last raw scan after five minutes (it holds a person\'s pass)', async () => {
    const h = harness();
    const scanner = h.hid.plug(honeywellScanner('/dev/hidraw3'));
    await h.manager.pollOnce();
    scanner.scan('PC1:PRIVATE');
    expect(device(h, HONEYWELL_ID).lastScan?.text).toBe('PC1:PRIVATE');
    h.setNow(1_000_000 + 5 * 60 * 1000 + 1);
    expect(device(h, HONEYWELL_ID)).toMatchObject({ lastScan: null, scanCount: 1 });
  });

  it('shows what the gate decided, and survives a failing receiver', async () => {
    let calls = 0;
    const h = harness({
      answer: () => {
        calls += 1;
        if (calls === 2) throw new Error('receiver broke');
        return calls === 1 ? 'duplicate' : 'submitted';
      },
    });
    const scanner = h.hid.plug(honeywellScanner('/dev/hidraw3'));
    await h.manager.pollOnce();
    scanner.scan('PC1:ONE');
    expect(device(h, HONEYWELL_ID).lastScan?.disposition).toBe('duplicate');
    scanner.scan('PC1:TWO');
    scanner.scan('PC1:THREE');
    expect(h.scans.map(({ scan }) => scan.text)).toEqual(['PC1:ONE', 'PC1:TWO', 'PC1:THREE']);
    expect(device(h, HONEYWELL_ID).connected).toBe(true);
  });

  it('truncates the raw view of a long scan', async () => {
    const h = harness();
    const scanner = h.hid.plug(honeywellScanner('/dev/hidraw3'));
    await h.manager.pollOnce();
    scanner.scan('X'.repeat(5000));
    expect(device(h, HONEYWELL_ID).lastScan).toMatchObject({ byteLength: 5000, truncated: true });
    expect(device(h, HONEYWELL_ID).lastScan?.text).toHaveLength(2048);
    expect(h.scans[0]?.scan.text).toHaveLength(5000);
  });
});

describe('device manager: serial', () => {
  it('opens a CDC scanner by vendor id with its profile, and triggers it', async () => {
    const h = harness();
    const scanner = h.serial.plug(new FakeSerialScanner(fakeSerialInfo({ path: '/dev/ttyACM0', vendorId: 0x0c2e, productId: 0x0b0a, serialNumber: 'SN1' }), 'crlf'));
    scanner.answer = (command, self) => {
      if (command[0] === 0x16 && command[1] === 0x54) self.scan(']Q1PC1:ON-TRIGGER', [4, 4]);
    };
    await h.manager.pollOnce();
    const id = 'serial:0x0C2E:0x0B0A:SN1';
    expect(device(h, id)).toMatchObject({ mode: 'serial', profile: 'honeywell', connected: true });
    expect(scanner.openedWith).toEqual([{ baudRate: 115200 }]);
    await h.manager.trigger(id);
    expect(scanner.received).toEqual([fromHex('16 54 0D')]);
    expect(h.scans.map(({ device: d, scan }) => [d.mode, scan.text, scan.symbology, scan.frame])).toEqual([['serial', 'PC1:ON-TRIGGER', ']Q1', 'line']]);
    await expect(h.manager.trigger('serial:nope')).rejects.toMatchObject({ code: 'device_not_found' });
  });

  it('ignores serial ports of unknown vendors (modems, consoles)', async () => {
    const h = harness();
    h.serial.plug(new FakeSerialScanner(fakeSerialInfo({ path: '/dev/ttyS0' })));
    h.serial.plug(new FakeSerialScanner(fakeSerialInfo({ path: '/dev/ttyUSB0', vendorId: 0x0403, productId: 0x6001 })));
    await h.manager.pollOnce();
    expect(h.manager.list().map((view) => view.id)).toEqual(['keyboard:window']);
  });

  it('waits for a configured port to appear, opens it, and drops a frame cut by its loss', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'pccovid-devices-'));
    folders.push(folder);
    const path = join(folder, 'scanner');
    const h = harness({ serialPorts: [path] });
    await h.manager.pollOnce();
    expect(device(h, `serial:${path}`)).toMatchObject({ connected: false, problem: { code: 'device_not_found' } });

    writeFileSync(path, '');
    const scanner = h.serial.plug(new FakeSerialScanner(fakeSerialInfo({ path }), 'mrz-access-is'), { listed: false });
    await h.manager.pollOnce();
    expect(device(h, `serial:${path}`)).toMatchObject({ connected: true, problem: null, profile: null });
    scanner.scan('P<UTOERIKSSON<<ANNA<MARIA\nL898902C36UTO7408122F');
    expect(h.scans.map(({ scan }) => [scan.frame, scan.text])).toEqual([['mrz-access-is', 'P<UTOERIKSSON<<ANNA<MARIA\nL898902C36UTO7408122F']]);

    scanner.send(encodeSerialFrame('mrz-access-is', 'P<UTO').subarray(0, 4));
    h.serial.unplug(path);
    rmSync(path);
    expect(device(h, `serial:${path}`)).toMatchObject({ connected: false, problem: { code: 'disconnected' } });
    expect(h.scans).toHaveLength(1);
  });
});

describe('device manager: the window and stopping', () => {
  it('shows keyboard-wedge scans on the window\'s entry', () => {
    const h = harness();
    h.manager.noteKeyboardScan({ source: 'keyboard-wedge', symbology: ']Q1', text: 'PC1:ĐỨC', receivedAt: 1_000_000 });
    expect(device(h, 'keyboard:window')).toMatchObject({
      connected: true,
      scanCount: 1,
      lastScan: { frame: 'keys', text: 'PC1:ĐỨC', symbology: ']Q1', hex: '50 43 31 3a c4 90 e1 bb a8 43', byteLength: 10 },
    });
  });

  it('closes every device on stop and polls no more', async () => {
    const h = harness();
    const scanner = h.hid.plug(honeywellScanner('/dev/hidraw3'));
    await h.manager.pollOnce();
    await h.manager.stop();
    expect(scanner.channel?.isClosed).toBe(true);
    h.hid.plug(honeywellScanner('/dev/hidraw4', 'OTHER'));
    await h.manager.pollOnce();
    expect(h.hid.opens).toBe(1);
  });
});
