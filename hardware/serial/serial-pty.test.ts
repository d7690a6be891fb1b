// Serial scanners through real ptys: socat plays the USB CDC-ACM device, the kiosk side is the
// real serialport binding. Killing socat is pulling the cable; starting it again on the same
// paths is plugging it back in.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { concatBytes } from '../bytes.js';
import type { HardwareError } from '../hardware-error.js';
import { startPtyPair, type PtyPair } from '../sim/socat-pty.js';
import { waitFor } from '../testing/wait-for.js';
import type { DeviceChannel, RawScan } from '../types.js';
import { serialPortDriver } from './drivers/serialport-driver.js';
import { encodeRte3mFrame, encodeSerialFrame } from './serial-framer.js';
import { startSerialReader, type SerialReader } from './serial-reader.js';

const CCCD = '079190012345|025123456|Nguyễn Thị Ánh Tuyết|15081990|Nữ|Số 12 Lê Lợi, Bến Thành, Quận 1, TP.HCM|01022021';
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];

interface KioskSide {
  reader: SerialReader;
  chunks: Uint8Array[];
  scans: RawScan[];
  problems: HardwareError[];
  closed: (HardwareError | null)[];
}

/** Opens the kiosk's end as the device manager would, recording each chunk as it arrives. */
async function openKioskSide(path: string): Promise<KioskSide> {
  const channel = await serialPortDriver.open(path, { baudRate: 115200 });
  const side: Omit<KioskSide, 'reader'> = { chunks: [], scans: [], problems: [], closed: [] };
  const spy: DeviceChannel = {
    onData: (listener) => channel.onData((chunk) => {
      side.chunks.push(Uint8Array.from(chunk));
      listener(chunk);
    }),
    onClose: (listener) => channel.onClose(listener),
    write: (bytes) => channel.write(bytes),
    close: () => channel.close(),
  };
  const reader = startSerialReader(spy, {
    framing: 'auto',
    triggerOn: Uint8Array.of(0x16, 0x54, 0x0d),
    onScan: (scan) => side.scans.push(scan),
    onProblem: (error) => side.problems.push(error),
    onClosed: (error) => side.closed.push(error),
  });
  return { ...side, reader };
}

describe('serial scanner over a socat pty pair, real serialport binding', () => {
  let folder: string;
  let devicePath: string;
  let kioskPath: string;
  let pair: PtyPair | undefined;
  let device: DeviceChannel | undefined;
  const sides: KioskSide[] = [];

  async function plugIn(): Promise<DeviceChannel> {
    pair = await startPtyPair(devicePath, kioskPath);
    device = await serialPortDriver.open(devicePath, { baudRate: 115200 });
    return device;
  }

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'pccovid-pty-'));
    devicePath = join(folder, 'scanner');
    kioskPath = join(folder, 'kiosk');
  });

  afterEach(async () => {
    for (const side of sides.splice(0)) await side.reader.close();
    await device?.close();
    device = undefined;
    await pair?.stop('SIGKILL');
    pair = undefined;
  });

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('reads a frame that arrives in several chunks, Vietnamese split mid-letter', async () => {
    const scanner = await plugIn();
    const side = await openKioskSide(kioskPath);
    sides.push(side);
    const frame = encodeSerialFrame('crlf', `]Q1${CCCD}`);
    // Cut inside "ễ" (three bytes) and again before the CR LF; each piece is seen before the next is sent.
    const cut = frame.indexOf(0xe1) + 1;
    const pieces = [frame.subarray(0, cut), frame.subarray(cut, frame.length - 1), frame.subarray(frame.length - 1)];
    for (const [index, piece] of pieces.entries()) {
      await scanner.write(piece);
      await waitFor(() => concatBytes(side.chunks).length >= pieces.slice(0, index + 1).reduce((sum, p) => sum + p.length, 0), `piece ${index + 1}`);
    }
    await waitFor(() => side.scans.length === 1, 'the scan');
    expect(side.chunks.length).toBeGreaterThanOrEqual(3);
    expect(side.scans.map(({ text, symbology, frame: kind }) => ({ text, symbology, kind }))).toEqual([{ text: CCCD, symbology: ']Q1', kind: 'line' }]);
  });

  it('reads a 3M document reader frame and two scans sent back to back', async () => {
    const scanner = await plugIn();
    const side = await openKioskSide(kioskPath);
    sides.push(side);
    await scanner.write(concatBytes([encodeRte3mFrame(TD3), encodeSerialFrame('stx-etx', 'PC1:ONE'), encodeSerialFrame('crlf', 'PC1:TWO')]));
    await waitFor(() => side.scans.length === 3, 'three scans');
    expect(side.scans.map((scan) => [scan.frame, scan.text])).toEqual([
      ['mrz-3m', TD3.join('\n')],
      ['stx-etx', 'PC1:ONE'],
      ['line', 'PC1:TWO'],
    ]);
    expect(side.problems).toEqual([]);
  });

  it('sends the trigger command to the scanner', async () => {
    const scanner = await plugIn();
    const received: number[] = [];
    scanner.onData((chunk) => received.push(...chunk));
    const side = await openKioskSide(kioskPath);
    sides.push(side);
    await side.reader.trigger();
    await waitFor(() => received.length >= 3, 'the trigger at the scanner');
    expect(received).toEqual([0x16, 0x54, 0x0d]);
  });

  it('drops a frame cut by unplugging (socat killed), and reads cleanly once plugged back', async () => {
    const scanner = await plugIn();
    const side = await openKioskSide(kioskPath);
    sides.push(side);
    const partial = encodeSerialFrame('crlf', 'PC1:CUT-OFF-IN-THE-MIDDLE').subarray(0, 10);
    await scanner.write(partial);
    await waitFor(() => side.chunks.length > 0, 'the first half of the frame');
    await pair?.stop('SIGKILL');
    await waitFor(() => side.closed.length === 1, 'the kiosk side to notice the unplug');
    expect(side.closed[0]?.code).toBe('disconnected');
    expect(side.problems.map((problem) => problem.code)).toEqual(['scan_incomplete']);
    expect(side.scans).toEqual([]);

    // Plugged back in: socat again on the same paths, the port reopened.
    device = undefined;
    const again = await plugIn();
    const reopened = await openKioskSide(kioskPath);
    sides.push(reopened);
    await again.write(encodeSerialFrame('crlf', 'PC1:AFTER'));
    await waitFor(() => reopened.scans.length === 1, 'the scan after replugging');
    expect(reopened.scans.map((scan) => scan.text)).toEqual(['PC1:AFTER']);
  });
});
