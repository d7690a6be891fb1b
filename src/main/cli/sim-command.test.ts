// The simulator as a person runs it: a pty scanner fed with the sample passes of the kiosk's own
// data directory, answering the kiosk's trigger; its passes verify on that kiosk.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serialPortDriver } from '../../../hardware/serial/drivers/serialport-driver.js';
import { startSerialReader } from '../../../hardware/serial/serial-reader.js';
import { SIMULATOR_TRIGGER } from '../../../hardware/sim/serial-simulator.js';
import { waitFor } from '../../../hardware/testing/wait-for.js';
import type { RawScan } from '../../../hardware/types.js';
import { openKioskCore } from '../core/open-kiosk-core.js';
import { EXIT } from './output.js';
import { parseSimArgs, runSim, runSimCli } from './sim-command.js';

describe('npm run sim -- serial', () => {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('feeds sample passes that verify on the kiosk of the same data directory', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'pccovid-sim-'));
    folders.push(folder);
    const dataDir = join(folder, 'data');
    const ptyDir = join(folder, 'pty');
    const out: string[] = [];
    const done = runSim(parseSimArgs(['serial', '--data-dir', dataDir, '--pty-dir', ptyDir, '--interval', '0', '--count', '2']), {
      out: (text) => out.push(text),
      err: () => undefined,
    });
    await waitFor(() => out.some((line) => line.startsWith("The kiosk's end: ")), 'the simulator to print its port');
    const kioskPath = join(ptyDir, 'kiosk-end');
    expect(out.join('\n')).toContain(`pccovid-kiosk start --serial ${kioskPath}`);

    const channel = await serialPortDriver.open(kioskPath, { baudRate: 9600 });
    const scans: RawScan[] = [];
    const closed: string[] = [];
    const reader = startSerialReader(channel, {
      framing: 'auto',
      triggerOn: SIMULATOR_TRIGGER,
      onScan: (scan) => scans.push(scan),
      onProblem: () => undefined,
      onClosed: (error) => closed.push(error?.code ?? 'closed'),
    });
    try {
      await reader.trigger();
      await waitFor(() => scans.length === 1, 'the first sample');
      await reader.trigger();
      expect(await done).toBe(0);
      await waitFor(() => scans.length === 2, 'the second sample');
      // The simulator stopped its socat: for the kiosk, the scanner was unplugged.
      await waitFor(() => closed.length === 1, 'the unplug');
      expect(closed).toEqual(['disconnected']);
    } finally {
      await reader.close();
    }

    const kiosk = openKioskCore({ dataDir });
    try {
      const verdicts = scans.map((scan) => kiosk.checkOnly({ source: 'serial', symbology: scan.symbology, text: scan.text, receivedAt: Date.now() }).outcome);
      expect(verdicts).toEqual(['admit', 'review']);
    } finally {
      kiosk.close();
    }
  });

  it('refuses bad arguments with the usage', async () => {
    const err: string[] = [];
    const io = { out: () => undefined, err: (text: string) => err.push(text) };
    expect(await runSimCli([], io)).toBe(EXIT.usage);
    expect(await runSimCli(['serial', '--framing', 'morse'], io)).toBe(EXIT.usage);
    expect(await runSimCli(['serial', '--count', '0'], io)).toBe(EXIT.usage);
    expect(await runSimCli(['serial', '--bogus'], io)).toBe(EXIT.usage);
    expect(err.join('\n')).toContain('Usage: npm run sim -- serial');
    expect(parseSimArgs(['serial', '--framing', 'mrz-3m', '--interval', '1.5'])).toMatchObject({ framing: 'mrz-3m', intervalMs: 1500, count: null });
  });
});
