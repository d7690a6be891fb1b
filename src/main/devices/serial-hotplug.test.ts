// Hot-plug end to end on real ptys: the device manager with the real serialport driver watches
// a configured port; socat is the scanner. Killed mid-frame it is "unplugged"; restarted on the
// same paths it is "plugged back", and the manager reopens it by itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serialPortDriver } from '../../../hardware/serial/drivers/serialport-driver.js';
import { encodeSerialFrame } from '../../../hardware/serial/serial-framer.js';
import { startPtyPair, type PtyPair } from '../../../hardware/sim/socat-pty.js';
import { waitFor } from '../../../hardware/testing/wait-for.js';
import { SILENT_LOGGER, type DeviceChannel, type RawScan } from '../../../hardware/types.js';
import { loadProfiles } from '../../../hardware/profiles/device-profiles.js';
import { createDeviceManager, type DeviceManager } from './device-manager.js';

describe('device manager on a real pty: unplug and replug', () => {
  const cleanups: (() => Promise<void> | void)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('never stops, shows the scanner missing, and reconnects by itself', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'pccovid-hotplug-'));
    cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
    const devicePath = join(folder, 'scanner');
    const kioskPath = join(folder, 'kiosk');
    let pair: PtyPair | undefined;
    let scanner: DeviceChannel | undefined;
    cleanups.push(async () => {
      await scanner?.close();
      await pair?.stop('SIGKILL');
    });
    const plugIn = async (): Promise<DeviceChannel> => {
      pair = await startPtyPair(devicePath, kioskPath);
      scanner = await serialPortDriver.open(devicePath, { baudRate: 9600 });
      return scanner;
    };

    const scans: RawScan[] = [];
    const manager: DeviceManager = createDeviceManager({
      hid: null,
      serial: serialPortDriver,
      profiles: loadProfiles().profiles,
      serialPorts: [{ path: kioskPath, baudRate: 9600, framing: 'auto' }],
      logger: SILENT_LOGGER,
      pollIntervalMs: 50,
      retryDelayMs: 50,
      onScan: (_device, scan) => {
        scans.push(scan);
        return 'submitted';
      },
    });
    cleanups.push(() => manager.stop());
    const id = `serial:${kioskPath}`;
    const view = () => manager.list().find((device) => device.id === id);

    // Started before the scanner is there: missing, with what to do.
    manager.start();
    await waitFor(() => view()?.problem?.code === 'device_not_found', 'the port to be reported missing');
    expect(view()?.connected).toBe(false);

    let port = await plugIn();
    await waitFor(() => view()?.connected === true, 'the manager to open the port');
    await port.write(encodeSerialFrame('crlf', 'PC1:FIRST'));
    await waitFor(() => scans.length === 1, 'the first scan');

    // Pulled out in the middle of a frame (hardware/serial/serial-pty.test.ts proves the half
    // frame is dropped; here, it must not leak into the next scan).
    await port.write(encodeSerialFrame('crlf', 'PC1:NEVER-FINISHED').subarray(0, 8));
    await pair?.stop('SIGKILL');
    scanner = undefined;
    await waitFor(() => view()?.connected === false, 'the scanner to show as missing');

    // Plugged back in: the same link paths, a new pty behind them.
    port = await plugIn();
    await waitFor(() => view()?.connected === true, 'the manager to reopen the port');
    await port.write(encodeSerialFrame('crlf', 'PC1:AFTER-REPLUG'));
    await waitFor(() => scans.length === 2, 'the scan after replugging');
    expect(scans.map((scan) => scan.text)).toEqual(['PC1:FIRST', 'PC1:AFTER-REPLUG']);
    expect(view()).toMatchObject({ connected: true, scanCount: 2, lastScan: { text: 'PC1:AFTER-REPLUG' } });
  });
});
