import { describe, expect, it } from 'vitest';
import { decodeUtf8, encodeUtf8, fromHex } from '../bytes.js';
import { HardwareError } from '../hardware-error.js';
import { loadProfiles, type DeviceProfile } from '../profiles/device-profiles.js';
import type { RawScan } from '../types.js';
import { encodeHidPosReports, FakeHidDriver, FakeHidScanner, fakeHidInfo } from './fake-hid-pos.js';
import { HONEYWELL_LOREM, HONEYWELL_UPC, LOREM_IPSUM, ZEBRA_LOREM, ZEBRA_UPC } from './fixtures/captured-reports.js';
import { createHidPosAssembler, type AssemblerEvent } from './hid-pos-assembler.js';
import { startHidPosReader } from './hid-pos-reader.js';
import { parseHidPosReport, type HidPosLayout } from './hid-pos-report.js';

function layoutOf(id: string): HidPosLayout {
  const profile: DeviceProfile | undefined = loadProfiles().profiles.find((candidate) => candidate.id === id);
  if (profile?.hidPos === null || profile?.hidPos === undefined) throw new Error(`no HID POS layout for ${id}`);
  return profile.hidPos;
}

function feed(layout: HidPosLayout, reports: readonly Uint8Array[], start = 1000, gapMs = 2): AssemblerEvent[] {
  const assembler = createHidPosAssembler(layout);
  return reports.flatMap((report, index) => assembler.push(report, start + index * gapMs));
}

function scans(events: readonly AssemblerEvent[]): RawScan[] {
  return events.flatMap((event) => (event.kind === 'scan' ? [event.scan] : []));
}

function problems(events: readonly AssemblerEvent[]): string[] {
  return events.flatMap((event) => (event.kind === 'problem' ? [event.error.code] : []));
}

// A citizen-ID QR as the CCCD carries it: 12 digits, the old id, the name in Vietnamese.
const CCCD_TEXT = '079190012345|025123456|Nguyễn Thị Ánh Tuyết|15081990|Nữ|Số 12, Đường Lê Lợi, Phường Bến Thành, Quận 1, TP.HCM|01022021';

describe('HID POS reports captured from real scanners', () => {
  it('reads a Honeywell single-report UPC with its AIM id', () => {
    const events = feed(layoutOf('honeywell'), HONEYWELL_UPC.map(fromHex));
    expect(problems(events)).toEqual([]);
    expect(scans(events).map(({ text, symbology, frame }) => ({ text, symbology, frame }))).toEqual([
      { text: '306030209223', symbology: ']E0', frame: 'hid-pos' },
    ]);
  });

  it('reads the same UPC from a Zebra, whose fields sit one byte later', () => {
    const events = feed(layoutOf('zebra'), ZEBRA_UPC.map(fromHex));
    expect(scans(events).map((scan) => scan.text)).toEqual(['306030209223']);
  });

  it.each([
    ['honeywell', HONEYWELL_LOREM],
    ['zebra', ZEBRA_LOREM],
  ])('joins the %s continuation reports of a long QR code into one scan', (profile, hex) => {
    const assembler = createHidPosAssembler(layoutOf(profile));
    const reports = hex.map(fromHex);
    // Nothing comes out until the report without "more follows".
    const early = reports.slice(0, -1).flatMap((report, index) => assembler.push(report, 1000 + index));
    expect(early).toEqual([]);
    const last = reports.at(-1);
    if (last === undefined) throw new Error('no reports');
    const events = assembler.push(last, 1010);
    expect(scans(events).map(({ text, symbology }) => ({ text, symbology }))).toEqual([{ text: LOREM_IPSUM, symbology: ']Q1' }]);
  });

  it('reads Zebra reports wrongly with the Honeywell offsets (why profiles carry them)', () => {
    const [scan] = scans(feed(layoutOf('honeywell'), ZEBRA_UPC.map(fromHex)));
    expect(scan?.text).not.toBe('306030209223');
  });
});

describe('HID POS assembly', () => {
  const honeywell = layoutOf('honeywell');

  it('decodes Vietnamese only once the reports are joined, whatever the boundary', () => {
    // Every shift of the text moves the report boundary through a different UTF-8 sequence.
    for (let pad = 0; pad < 60; pad++) {
      const text = `${'x'.repeat(pad)}${CCCD_TEXT}`;
      const reports = encodeHidPosReports(honeywell, text);
      expect(scans(feed(honeywell, reports)).map((scan) => scan.text)).toEqual([text]);
    }
  });

  it('would break a letter split across two reports if each report were decoded alone', () => {
    // "ễ" is three bytes; put its first byte last in report one.
    const text = `${'a'.repeat(55)}ễ and more`;
    const reports = encodeHidPosReports(honeywell, text);
    expect(reports).toHaveLength(2);
    const naive = reports.map((report) => decodeUtf8(report.subarray(5, 5 + (report[1] ?? 0)))).join('');
    expect(naive).toContain('\uFFFD');
    const [scan] = scans(feed(honeywell, reports));
    expect(scan?.text).toBe(text);
    expect(scan?.bytes).toEqual(encodeUtf8(text));
  });

  it('round-trips every length through every built-in layout', () => {
    for (const profile of loadProfiles().profiles) {
      if (profile.hidPos === null) continue;
      for (const length of [0, 1, 55, 56, 57, 111, 112, 113, 500]) {
        const text = 'Đ'.repeat(Math.floor(length / 2)) + 'z'.repeat(length % 2);
        const reports = encodeHidPosReports(profile.hidPos, text);
        const out = scans(feed(profile.hidPos, reports)).map((scan) => scan.text);
        expect(out, `${profile.id}, ${length} characters`).toEqual(text === '' ? [] : [text]);
      }
    }
  });

  it('drops a scan whose last report never came, and reads the next one', () => {
    const assembler = createHidPosAssembler(honeywell, { maxReportGapMs: 500 });
    const [first] = encodeHidPosReports(honeywell, 'A'.repeat(80));
    if (first === undefined) throw new Error('no report');
    expect(assembler.push(first, 1000)).toEqual([]);
    const next = encodeHidPosReports(honeywell, 'PC1:NEXT').flatMap((report) => assembler.push(report, 3000));
    expect(problems(next)).toEqual(['scan_incomplete']);
    expect(scans(next).map((scan) => scan.text)).toEqual(['PC1:NEXT']);
  });

  it('ignores reports of other ids and refuses a report too short for its layout', () => {
    const assembler = createHidPosAssembler(honeywell);
    expect(assembler.push(Uint8Array.from([0x05, 1, 2, 3]), 1)).toEqual([]);
    expect(problems(assembler.push(Uint8Array.from([0x02, 4, 0x5d]), 2))).toEqual(['report_malformed']);
    expect(() => parseHidPosReport(new Uint8Array(0), honeywell)).toThrow(HardwareError);
  });

  it('clamps a length byte larger than the data field, and says so', () => {
    const [report] = encodeHidPosReports(honeywell, 'HELLO');
    if (report === undefined) throw new Error('no report');
    report[1] = 200;
    const events = feed(honeywell, [report]);
    expect(problems(events)).toEqual(['report_malformed']);
    expect(scans(events)[0]?.bytes.length).toBe(56);
  });

  it('drops a scan longer than the limit and reads the next one', () => {
    const assembler = createHidPosAssembler(honeywell, { maxScanBytes: 100 });
    const long = encodeHidPosReports(honeywell, 'L'.repeat(300)).flatMap((report) => assembler.push(report, 1));
    expect(problems(long)).toEqual(['frame_too_long']);
    expect(scans(long)).toEqual([]);
    expect(scans(encodeHidPosReports(honeywell, 'OK!!').flatMap((report) => assembler.push(report, 2))).map((scan) => scan.text)).toEqual(['OK!!']);
  });

  it('takes the symbology from an AIM prefix in the data when the layout has no AIM field', () => {
    const newland = layoutOf('newland');
    const [scan] = scans(feed(newland, encodeHidPosReports(newland, ']Q1PC1:ABC')));
    expect(scan).toMatchObject({ text: 'PC1:ABC', symbology: ']Q1' });
  });
});

describe('HID POS reader over a fake scanner', () => {
  const honeywell = layoutOf('honeywell');

  async function open(scanner: FakeHidScanner, driver = new FakeHidDriver()) {
    driver.plug(scanner);
    const seen: RawScan[] = [];
    const issues: HardwareError[] = [];
    const closed: (HardwareError | null)[] = [];
    const channel = await driver.open(scanner.info.path);
    const reader = await startHidPosReader(channel, {
      layout: honeywell,
      enableFeatureReports: [fromHex('FE 01')],
      now: () => 0,
      onScan: (scan) => seen.push(scan),
      onProblem: (error) => issues.push(error),
      onClosed: (error) => closed.push(error),
    });
    return { reader, seen, issues, closed, driver };
  }

  it('sends the profile feature report, then turns reports into scans', async () => {
    const scanner = new FakeHidScanner(fakeHidInfo({ path: '/dev/hidraw7', vendorId: 0x0c2e }), honeywell);
    const { seen, issues } = await open(scanner);
    expect(scanner.featureReports).toEqual([fromHex('FE01')]);
    scanner.scan(CCCD_TEXT);
    expect(seen.map((scan) => scan.text)).toEqual([CCCD_TEXT]);
    expect(issues).toEqual([]);
  });

  it('keeps working when the scanner refuses the feature report', async () => {
    const scanner = new FakeHidScanner(fakeHidInfo({ path: '/dev/hidraw7', vendorId: 0x0c2e }), honeywell);
    scanner.refuseFeatureReports = true;
    const { seen, issues } = await open(scanner);
    expect(issues.map((issue) => issue.code)).toEqual(['write_failed']);
    scanner.scan('PC1:STILL');
    expect(seen.map((scan) => scan.text)).toEqual(['PC1:STILL']);
  });

  it('reports a scan cut by an unplug, then the close', async () => {
    const scanner = new FakeHidScanner(fakeHidInfo({ path: '/dev/hidraw7', vendorId: 0x0c2e }), honeywell);
    const { seen, issues, closed, driver } = await open(scanner);
    const reports = encodeHidPosReports(honeywell, 'Z'.repeat(100));
    scanner.replay(reports.slice(0, 1));
    driver.unplug('/dev/hidraw7');
    expect(seen).toEqual([]);
    expect(issues.map((issue) => issue.code)).toEqual(['scan_incomplete']);
    expect(closed.map((error) => error?.code)).toEqual(['disconnected']);
    expect(scanner.replay(reports.slice(1))).toBe(false);
  });

  it('closes cleanly on request', async () => {
    const scanner = new FakeHidScanner(fakeHidInfo({ path: '/dev/hidraw7', vendorId: 0x0c2e }), honeywell);
    const { reader, closed } = await open(scanner);
    await reader.close();
    await reader.close();
    expect(closed).toEqual([null]);
  });
});
