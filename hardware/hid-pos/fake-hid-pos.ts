// A fake HID POS scanner that speaks the protocol: it cuts a scan into input reports laid out
// as its profile says (report id, length, AIM id, 56 data bytes, "more follows" bit), or
// replays reports captured from real devices. Used by tests and the demo instead of node-hid.
import { encodeUtf8 } from '../bytes.js';
import { FakeChannel } from '../fakes/fake-channel.js';
import { HardwareError } from '../hardware-error.js';
import type { HidChannel, HidDeviceInfo, HidDriver } from '../types.js';
import { HID_POS_USAGE_PAGE, type HidPosLayout } from './hid-pos-report.js';

export const HID_REPORT_SIZE = 64;

export interface EncodeReportsOptions {
  /** AIM id written in the layout's AIM field (when it has one). Default "]Q1". */
  aim?: string | null;
  /** Vendor symbology byte after the data field (Honeywell's code id, 's' for QR). */
  vendorSymbology?: number;
}

/** The input reports a scanner with this layout sends for one scan. */
export function encodeHidPosReports(layout: HidPosLayout, data: Uint8Array | string, options: EncodeReportsOptions = {}): Uint8Array[] {
  const bytes = typeof data === 'string' ? encodeUtf8(data) : data;
  const aim = options.aim === undefined ? ']Q1' : options.aim;
  const reports: Uint8Array[] = [];
  let offset = 0;
  do {
    const chunk = bytes.subarray(offset, offset + layout.dataCapacity);
    offset += chunk.length;
    const report = new Uint8Array(HID_REPORT_SIZE);
    report[0] = layout.reportId;
    report[layout.lengthOffset] = chunk.length;
    if (layout.aimOffset !== null && aim !== null) report.set(encodeUtf8(aim).subarray(0, 3), layout.aimOffset);
    report.set(chunk, layout.dataOffset);
    const afterData = layout.dataOffset + layout.dataCapacity;
    if (options.vendorSymbology !== undefined && afterData < layout.continuationOffset) report[afterData] = options.vendorSymbology;
    if (offset < bytes.length) report[layout.continuationOffset] = (report[layout.continuationOffset] ?? 0) | layout.continuationMask;
    reports.push(report);
  } while (offset < bytes.length);
  return reports;
}

class FakeHidChannel extends FakeChannel implements HidChannel {
  constructor(
    path: string,
    private readonly scanner: FakeHidScanner,
  ) {
    super(path);
  }

  async sendFeatureReport(bytes: Uint8Array): Promise<void> {
    if (this.scanner.refuseFeatureReports) throw new HardwareError('write_failed', 'feature report refused');
    this.scanner.featureReports.push(Uint8Array.from(bytes));
  }
}

export class FakeHidScanner {
  readonly featureReports: Uint8Array[] = [];
  refuseFeatureReports = false;
  channel: FakeChannel | null = null;

  constructor(
    readonly info: HidDeviceInfo,
    readonly layout: HidPosLayout,
  ) {}

  /** Sends reports as they are (captured bytes); false when nobody has the device open. */
  replay(reports: readonly Uint8Array[]): boolean {
    const channel = this.channel;
    if (channel === null || channel.isClosed) return false;
    return reports.every((report) => channel.deliver(report));
  }

  scan(data: Uint8Array | string, options: EncodeReportsOptions = {}): boolean {
    return this.replay(encodeHidPosReports(this.layout, data, options));
  }
}

export function fakeHidInfo(overrides: Partial<HidDeviceInfo> & { path: string; vendorId: number }): HidDeviceInfo {
  return {
    productId: 0x0001,
    usagePage: HID_POS_USAGE_PAGE,
    usage: 0x02,
    product: 'Fake HID POS scanner',
    manufacturer: 'Fake',
    serialNumber: null,
    interfaceNumber: 0,
    ...overrides,
  };
}

/** node-hid's stand-in: devices appear and disappear as a test plugs and unplugs them. */
export class FakeHidDriver implements HidDriver {
  private readonly scanners = new Map<string, FakeHidScanner>();
  /** Paths whose open() fails with this error (a permission problem, say). */
  readonly openFailures = new Map<string, HardwareError>();
  listFailure: HardwareError | null = null;
  opens = 0;

  plug(scanner: FakeHidScanner): FakeHidScanner {
    this.scanners.set(scanner.info.path, scanner);
    return scanner;
  }

  unplug(path: string): void {
    const scanner = this.scanners.get(path);
    this.scanners.delete(path);
    scanner?.channel?.unplug();
  }

  async list(): Promise<HidDeviceInfo[]> {
    if (this.listFailure !== null) throw this.listFailure;
    return [...this.scanners.values()].map((scanner) => ({ ...scanner.info }));
  }

  async open(path: string): Promise<HidChannel> {
    this.opens += 1;
    const failure = this.openFailures.get(path);
    if (failure !== undefined) throw failure;
    const scanner = this.scanners.get(path);
    if (scanner === undefined) throw new HardwareError('device_not_found', `No device answers at ${path}.`);
    const channel = new FakeHidChannel(path, scanner);
    scanner.channel = channel;
    return channel;
  }
}
