import { describe, expect, it } from 'vitest';
import { encodeUtf8, fromHex } from '../bytes.js';
import type { HardwareError } from '../hardware-error.js';
import type { RawScan } from '../types.js';
import { FakeSerialDriver, FakeSerialScanner, fakeSerialInfo } from './fake-serial.js';
import { encodeSerialFrame } from './serial-framer.js';
import { startSerialReader } from './serial-reader.js';

const TRIGGER = fromHex('16 54 0D');

async function open(scanner: FakeSerialScanner, triggerOn: Uint8Array | null = TRIGGER) {
  const driver = new FakeSerialDriver();
  driver.plug(scanner);
  const seen: RawScan[] = [];
  const issues: HardwareError[] = [];
  const closed: (HardwareError | null)[] = [];
  const channel = await driver.open(scanner.info.path, { baudRate: 115200 });
  const reader = startSerialReader(channel, {
    framing: 'auto',
    triggerOn,
    onScan: (scan) => seen.push(scan),
    onProblem: (error) => issues.push(error),
    onClosed: (error) => closed.push(error),
  });
  return { driver, reader, seen, issues, closed };
}

describe('serial reader over a fake scanner', () => {
  it('turns frames split across chunks into scans, raw bytes kept', async () => {
    const scanner = new FakeSerialScanner(fakeSerialInfo({ path: '/dev/ttyACM0' }), 'crlf');
    const { seen } = await open(scanner);
    scanner.scan(']Q1Nguyễn Văn Đức', [3, 1, 1, 5, 2]);
    expect(seen).toEqual([{ bytes: encodeUtf8(']Q1Nguyễn Văn Đức'), text: 'Nguyễn Văn Đức', symbology: ']Q1', frame: 'line' }]);
  });

  it('sends the trigger command, and the scanner answers with a scan', async () => {
    const scanner = new FakeSerialScanner(fakeSerialInfo({ path: '/dev/ttyACM0' }), 'stx-etx');
    scanner.answer = (command, self) => {
      if (command.length === 3 && command[1] === 0x54) self.scan('PC1:TRIGGERED');
    };
    const { reader, seen } = await open(scanner);
    await reader.trigger();
    expect(scanner.received).toEqual([TRIGGER]);
    expect(seen.map((scan) => scan.text)).toEqual(['PC1:TRIGGERED']);
  });

  it('says what to do when the profile has no trigger command', async () => {
    const scanner = new FakeSerialScanner(fakeSerialInfo({ path: '/dev/ttyACM0' }));
    const { reader } = await open(scanner, null);
    await expect(reader.trigger()).rejects.toMatchObject({ code: 'write_failed' });
  });

  it('drops a frame cut by an unplug and says so', async () => {
    const scanner = new FakeSerialScanner(fakeSerialInfo({ path: '/dev/ttyACM0' }));
    const { driver, seen, issues, closed } = await open(scanner);
    scanner.send(encodeSerialFrame('crlf', 'PC1:CUT').subarray(0, 5));
    driver.unplug('/dev/ttyACM0');
    expect(seen).toEqual([]);
    expect(issues.map((issue) => issue.code)).toEqual(['scan_incomplete']);
    expect(closed.map((error) => error?.code)).toEqual(['disconnected']);
  });

  it('reports damaged frames as problems, never as scans', async () => {
    const scanner = new FakeSerialScanner(fakeSerialInfo({ path: '/dev/ttyACM0' }), 'mrz-3m');
    const { seen, issues } = await open(scanner);
    const frame = encodeSerialFrame('mrz-3m', 'P<UTOERIKSSON<<ANNA\nL898902C36UTO');
    frame[12] = (frame[12] ?? 0) ^ 1;
    scanner.send(frame);
    expect(seen).toEqual([]);
    expect(issues.map((issue) => issue.code)).toEqual(['frame_checksum_invalid']);
  });
});
