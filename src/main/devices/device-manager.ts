// Finds scanners and readers, opens them by profile, and keeps them open: it polls the injected
// enumerators (node-hid's device list, serialport's port list), opens what it recognises, notices
// what went missing, and reopens it when it comes back. Nothing a device does can stop the kiosk:
// every failure becomes a problem on that device's entry (devices:list) and a log line.
import { existsSync, realpathSync } from 'node:fs';
import type { DeviceMode, DeviceProblem, DeviceView, FrameKind, RawScanView, ScanDisposition } from '../../common/ipc/device-view.js';
import type { ScanEvent } from '../../common/types/credential.js';
import { encodeUtf8, toHex } from '../../../hardware/bytes.js';
import { HardwareError } from '../../../hardware/hardware-error.js';
import { startHidPosReader } from '../../../hardware/hid-pos/hid-pos-reader.js';
import { HID_POS_USAGE_PAGE } from '../../../hardware/hid-pos/hid-pos-report.js';
import { findProfile, formatUsbId, type DeviceProfile } from '../../../hardware/profiles/device-profiles.js';
import type { SerialFraming } from '../../../hardware/serial/serial-framer.js';
import { startSerialReader } from '../../../hardware/serial/serial-reader.js';
import type { HardwareLogger, HidDeviceInfo, HidDriver, RawScan, SerialDriver, SerialPortInfo } from '../../../hardware/types.js';

/** A serial port named on the command line (--serial) rather than found by its USB ids. */
export interface ConfiguredSerialPort {
  path: string;
  baudRate: number;
  framing: SerialFraming;
}

export interface ScanningDevice {
  id: string;
  name: string;
  mode: 'hid-pos' | 'serial';
}

export interface DeviceManagerOptions {
  /** null: no HID scanners (node-hid not wanted). */
  hid: HidDriver | null;
  serial: SerialDriver | null;
  profiles: readonly DeviceProfile[];
  serialPorts?: readonly ConfiguredSerialPort[];
  /** Every whole scan of a hardware device; answers what became of it. Must not throw. */
  onScan(device: ScanningDevice, scan: RawScan, at: number): ScanDisposition;
  logger: HardwareLogger;
  now?: () => number;
  /** How often devices are listed. Default 1000 ms. */
  pollIntervalMs?: number;
  /** Wait after a failed open or a lost device before trying again. Default 2000 ms. */
  retryDelayMs?: number;
  /** How long a last raw scan (a person's pass) stays visible. Default five minutes. */
  lastScanTtlMs?: number;
}

export interface DeviceManager {
  /** Polls now and then every pollIntervalMs until stop(). */
  start(): void;
  /** One round: list, open what is new, close what went missing. Never throws. */
  pollOnce(): Promise<void>;
  list(): DeviceView[];
  /** Keyboard-wedge scans reach main through the window; shown on the window's own entry. */
  noteKeyboardScan(scan: ScanEvent): void;
  /** Sends a device its trigger command (a technician's "test read"). */
  trigger(id: string): Promise<void>;
  stop(): Promise<void>;
}

export const DEFAULT_POLL_INTERVAL_MS = 1000;
export const DEFAULT_RETRY_DELAY_MS = 2000;
export const DEFAULT_LAST_SCAN_TTL_MS = 5 * 60 * 1000;
/** The technician view shows the first bytes of a scan; a pass fits. */
export const MAX_RAW_VIEW_BYTES = 2048;
const KEYBOARD_PAGE = 0x01;
const KEYBOARD_USAGE = 0x06;
const WINDOW_ID = 'keyboard:window';

interface Session {
  close(): Promise<void>;
  trigger?(): Promise<void>;
}

type Opener =
  | { kind: 'hid-pos'; profile: DeviceProfile }
  | { kind: 'serial'; baudRate: number; framing: SerialFraming; triggerOn: Uint8Array | null }
  /** Listed only: a keyboard-mode scanner (types into the window) or a device without a usable profile. */
  | { kind: 'none' };

interface Entry {
  id: string;
  name: string;
  mode: DeviceMode;
  profileId: string | null;
  path: string | null;
  vendorId: number | null;
  productId: number | null;
  opener: Opener;
  /** Seen by the last enumeration (or, for a configured port, its path exists). */
  present: boolean;
  session: Session | null;
  opening: boolean;
  connected: boolean;
  changedAt: number | null;
  problem: DeviceProblem | null;
  lastScan: RawScanView | null;
  scanCount: number;
  retryAt: number;
}

function problemOf(error: unknown, at: number): DeviceProblem {
  if (error instanceof HardwareError) return { code: error.code, message: error.message, at };
  return { code: 'open_failed', message: `Unexpected device error: ${error instanceof Error ? error.message : String(error)}`, at };
}

function rawView(bytes: Uint8Array, text: string, symbology: string, frame: FrameKind, at: number, disposition: ScanDisposition): RawScanView {
  const truncated = bytes.length > MAX_RAW_VIEW_BYTES;
  return {
    at,
    symbology,
    frame,
    hex: toHex(bytes.subarray(0, MAX_RAW_VIEW_BYTES), ' '),
    text: truncated ? text.slice(0, MAX_RAW_VIEW_BYTES) : text,
    byteLength: bytes.length,
    truncated,
    disposition,
  };
}

function describeHid(info: HidDeviceInfo, profile: DeviceProfile | null): string {
  const product = info.product ?? `${formatUsbId(info.vendorId)}:${formatUsbId(info.productId)}`;
  return profile === null || product.toLowerCase().includes(profile.vendor.toLowerCase()) ? product : `${profile.vendor} ${product}`;
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

export function createDeviceManager(options: DeviceManagerOptions): DeviceManager {
  const now = options.now ?? Date.now;
  const logger = options.logger;
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  const lastScanTtlMs = options.lastScanTtlMs ?? DEFAULT_LAST_SCAN_TTL_MS;
  const entries = new Map<string, Entry>();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let polling: Promise<void> | null = null;

  entries.set(WINDOW_ID, {
    id: WINDOW_ID,
    name: 'Keyboard-mode scanners (typing into the kiosk window)',
    mode: 'keyboard-wedge',
    profileId: null,
    path: null,
    vendorId: null,
    productId: null,
    opener: { kind: 'none' },
    present: true,
    session: null,
    opening: false,
    connected: true,
    changedAt: null,
    problem: null,
    lastScan: null,
    scanCount: 0,
    retryAt: 0,
  });

  function entryFor(id: string, make: () => Omit<Entry, 'present' | 'session' | 'opening' | 'connected' | 'changedAt' | 'problem' | 'lastScan' | 'scanCount' | 'retryAt'>): Entry {
    const existing = entries.get(id);
    if (existing !== undefined) return existing;
    const entry: Entry = { ...make(), present: false, session: null, opening: false, connected: false, changedAt: null, problem: null, lastScan: null, scanCount: 0, retryAt: 0 };
    entries.set(id, entry);
    return entry;
  }

  function setProblem(entry: Entry, problem: DeviceProblem): void {
    const changed = entry.problem?.code !== problem.code;
    entry.problem = problem;
    // Logged when it changes, not on every poll that meets it again.
    if (changed) logger.warn({ device: entry.id, path: entry.path, code: problem.code }, problem.message);
  }

  /** A driver-wide problem (node-hid missing, listing refused) shown as its own entry. */
  function driverProblem(kind: 'hid' | 'serial', error: unknown): void {
    const entry = entryFor(`driver:${kind}`, () => ({
      id: `driver:${kind}`,
      name: kind === 'hid' ? 'HID POS scanners (node-hid)' : 'Serial scanners and readers (serialport)',
      mode: kind === 'hid' ? 'hid-pos' : 'serial',
      profileId: null,
      path: null,
      vendorId: null,
      productId: null,
      opener: { kind: 'none' },
    }));
    entry.present = true;
    setProblem(entry, problemOf(error, now()));
  }

  function clearDriverProblem(kind: 'hid' | 'serial'): void {
    entries.delete(`driver:${kind}`);
  }

  function uniqueId(base: string, path: string, taken: Set<string>): string {
    const id = taken.has(base) ? `${base}@${path}` : base;
    taken.add(id);
    return id;
  }

  function classifyHid(devices: readonly HidDeviceInfo[], seen: Set<string>): void {
    // hidapi lists a device once per top-level collection; one path is opened once.
    const paths = new Set<string>();
    for (const info of devices) {
      if (paths.has(info.path)) continue;
      const profile = findProfile(options.profiles, info.vendorId, info.productId);
      const usb = `${formatUsbId(info.vendorId)}:${formatUsbId(info.productId)}`;
      const unit = info.serialNumber ?? `if${info.interfaceNumber ?? 0}`;
      let id: string;
      let entry: Entry;
      if (info.usagePage === HID_POS_USAGE_PAGE) {
        id = uniqueId(`hid-pos:${usb}:${unit}`, info.path, seen);
        const usable = profile?.hidPos !== null && profile?.hidPos !== undefined;
        entry = entryFor(id, () => ({
          id,
          name: describeHid(info, profile),
          mode: 'hid-pos',
          profileId: profile?.id ?? null,
          path: info.path,
          vendorId: info.vendorId,
          productId: info.productId,
          opener: usable && profile !== null ? { kind: 'hid-pos', profile } : { kind: 'none' },
        }));
        if (!usable && entry.problem === null) {
          setProblem(entry, {
            code: 'no_profile',
            message: `A HID POS scanner ${usb} has no device profile, so the kiosk cannot read its reports: add a file to hardware/profiles (see hardware/README.md), or set the scanner to keyboard mode.`,
            at: now(),
          });
        }
      } else if (profile !== null && info.usagePage === KEYBOARD_PAGE && info.usage === KEYBOARD_USAGE) {
        id = uniqueId(`keyboard:${usb}:${unit}`, info.path, seen);
        entry = entryFor(id, () => ({
          id,
          name: `${describeHid(info, profile)} (keyboard mode)`,
          mode: 'keyboard-wedge',
          profileId: profile.id,
          path: info.path,
          vendorId: info.vendorId,
          productId: info.productId,
          opener: { kind: 'none' },
        }));
      } else {
        continue;
      }
      paths.add(info.path);
      entry.path = info.path;
      entry.present = true;
    }
  }

  function classifySerial(ports: readonly SerialPortInfo[], seen: Set<string>, configured: ReadonlySet<string>): void {
    for (const info of ports) {
      if (configured.has(realPath(info.path))) continue;
      const profile = findProfile(options.profiles, info.vendorId, info.productId);
      if (profile === null || profile.serial === null || info.vendorId === null) continue;
      const serial = profile.serial;
      const usb = `${formatUsbId(info.vendorId)}:${formatUsbId(info.productId ?? 0)}`;
      const id = uniqueId(`serial:${usb}:${info.serialNumber ?? 'port'}`, info.path, seen);
      const entry = entryFor(id, () => ({
        id,
        name: `${profile.vendor} serial ${info.manufacturer === null ? usb : `${info.manufacturer} ${usb}`}`,
        mode: 'serial',
        profileId: profile.id,
        path: info.path,
        vendorId: info.vendorId,
        productId: info.productId,
        opener: { kind: 'serial', baudRate: serial.baudRate, framing: serial.framing, triggerOn: serial.triggerOn },
      }));
      entry.path = info.path;
      entry.present = true;
    }
  }

  function classifyConfigured(seen: Set<string>): Set<string> {
    const real = new Set<string>();
    for (const port of options.serialPorts ?? []) {
      const id = `serial:${port.path}`;
      seen.add(id);
      const entry = entryFor(id, () => ({
        id,
        name: `Serial device at ${port.path}`,
        mode: 'serial',
        profileId: null,
        path: port.path,
        vendorId: null,
        productId: null,
        opener: { kind: 'serial', baudRate: port.baudRate, framing: port.framing, triggerOn: null },
      }));
      // A dangling link (the simulator stopped, the cable out) counts as missing.
      entry.present = existsSync(port.path);
      if (entry.present) real.add(realPath(port.path));
      else if (!entry.connected && entry.session === null) {
        setProblem(entry, { code: 'device_not_found', message: `Nothing is at ${port.path}: plug the device in (or start the simulator); the kiosk opens it as soon as it appears.`, at: now() });
      }
    }
    return real;
  }

  function markConnected(entry: Entry, connected: boolean, at: number): void {
    if (entry.connected === connected) return;
    entry.connected = connected;
    entry.changedAt = at;
    if (connected) logger.info({ device: entry.id, path: entry.path }, `${entry.name} connected`);
    else logger.warn({ device: entry.id, path: entry.path }, `${entry.name} is missing; the kiosk reopens it when it comes back`);
  }

  function handleScan(entry: Entry, scan: RawScan): void {
    const at = now();
    let disposition: ScanDisposition = 'submitted';
    if (entry.mode === 'hid-pos' || entry.mode === 'serial') {
      try {
        disposition = options.onScan({ id: entry.id, name: entry.name, mode: entry.mode }, scan, at);
      } catch (error) {
        logger.error({ err: error, device: entry.id }, 'a hardware scan could not be handed to the kiosk');
      }
    }
    entry.scanCount += 1;
    entry.lastScan = rawView(scan.bytes, scan.text, scan.symbology, scan.frame, at, disposition);
  }

  async function open(entry: Entry): Promise<void> {
    const opener = entry.opener;
    const path = entry.path;
    if (opener.kind === 'none' || path === null) return;
    entry.opening = true;
    let mine: Session | null = null;
    let closed = false;
    const callbacks = {
      onScan: (scan: RawScan) => handleScan(entry, scan),
      onProblem: (error: HardwareError) => setProblem(entry, problemOf(error, now())),
      onClosed: (error: HardwareError | null) => {
        closed = true;
        // A session already replaced or dropped by poll() or stop() has nothing left to say.
        if (mine === null || entry.session !== mine) return;
        entry.session = null;
        entry.retryAt = now() + retryDelayMs;
        if (error !== null) {
          setProblem(entry, problemOf(error, now()));
          markConnected(entry, false, now());
        } else {
          entry.connected = false;
          entry.changedAt = now();
        }
      },
    };
    try {
      let session: Session;
      switch (opener.kind) {
        case 'hid-pos': {
          const driver = options.hid;
          const layout = opener.profile.hidPos;
          if (driver === null || layout === null) return;
          const channel = await driver.open(path);
          session = await startHidPosReader(channel, { layout, enableFeatureReports: layout.enableFeatureReports, now, ...callbacks });
          break;
        }
        case 'serial': {
          const driver = options.serial;
          if (driver === null) return;
          const channel = await driver.open(path, { baudRate: opener.baudRate });
          session = startSerialReader(channel, { framing: opener.framing, triggerOn: opener.triggerOn, ...callbacks });
          break;
        }
        default: {
          const unreachable: never = opener;
          throw new Error(`unknown opener ${String(unreachable)}`);
        }
      }
      if (stopped || !entry.present) {
        await session.close();
        return;
      }
      if (closed) {
        // Gone again before it was even set up: try later.
        entry.retryAt = now() + retryDelayMs;
        return;
      }
      mine = session;
      entry.session = session;
      entry.problem = null;
      markConnected(entry, true, now());
    } catch (error) {
      entry.retryAt = now() + retryDelayMs;
      setProblem(entry, problemOf(error, now()));
    } finally {
      entry.opening = false;
    }
  }

  async function poll(): Promise<void> {
    const seen = new Set<string>();
    for (const entry of entries.values()) if (entry.id !== WINDOW_ID) entry.present = false;
    const configured = classifyConfigured(seen);

    if (options.hid !== null) {
      try {
        classifyHid(await options.hid.list(), seen);
        clearDriverProblem('hid');
      } catch (error) {
        driverProblem('hid', error);
        // Devices of a driver that cannot list are not declared missing on that account.
        for (const entry of entries.values()) if (entry.mode !== 'serial' && entry.connected) entry.present = true;
      }
    }
    if (options.serial !== null) {
      try {
        classifySerial(await options.serial.list(), seen, configured);
        clearDriverProblem('serial');
      } catch (error) {
        driverProblem('serial', error);
        for (const entry of entries.values()) if (entry.mode === 'serial' && entry.connected) entry.present = true;
      }
    }
    if (stopped) return;

    const at = now();
    const opens: Promise<void>[] = [];
    for (const entry of entries.values()) {
      if (entry.id === WINDOW_ID || entry.id.startsWith('driver:')) continue;
      if (!entry.present) {
        markConnected(entry, false, at);
        if (entry.session !== null) {
          const session = entry.session;
          entry.session = null;
          entry.retryAt = at + retryDelayMs;
          void session.close().catch(() => undefined);
        }
        continue;
      }
      if (entry.opener.kind === 'none') {
        // Listed only: present means connected.
        markConnected(entry, true, at);
        continue;
      }
      if (entry.session === null && !entry.opening && at >= entry.retryAt) opens.push(open(entry));
    }
    await Promise.all(opens);
  }

  async function pollOnce(): Promise<void> {
    if (stopped) return;
    // One round at a time: a slow enumeration must not overlap the next.
    polling ??= poll()
      .catch((error: unknown) => logger.error({ err: error }, 'device poll failed'))
      .finally(() => {
        polling = null;
      });
    await polling;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      void pollOnce().then(schedule);
    }, pollIntervalMs);
    timer.unref();
  }

  return {
    start() {
      if (stopped || timer !== null) return;
      void pollOnce().then(schedule);
    },
    pollOnce,
    list() {
      const at = now();
      return [...entries.values()].map((entry) => {
        if (entry.lastScan !== null && at - entry.lastScan.at > lastScanTtlMs) entry.lastScan = null;
        return {
          id: entry.id,
          name: entry.name,
          mode: entry.mode,
          profile: entry.profileId,
          path: entry.path,
          vendorId: entry.vendorId,
          productId: entry.productId,
          connected: entry.connected,
          changedAt: entry.changedAt,
          problem: entry.problem,
          lastScan: entry.lastScan,
          scanCount: entry.scanCount,
        };
      });
    },
    noteKeyboardScan(scan) {
      const entry = entries.get(WINDOW_ID);
      if (entry === undefined) return;
      entry.scanCount += 1;
      const frame: FrameKind = 'keys';
      entry.lastScan = rawView(encodeUtf8(scan.text), scan.text, scan.symbology, frame, scan.receivedAt, 'submitted');
    },
    async trigger(id) {
      const entry = entries.get(id);
      const session = entry?.session ?? null;
      if (entry === undefined || session === null) {
        throw new HardwareError('device_not_found', `No connected device ${id}: plug it in and wait for it to show as connected.`);
      }
      if (session.trigger === undefined) throw new HardwareError('write_failed', `${entry.name} cannot be triggered by the kiosk: scan a code in front of it.`);
      await session.trigger();
    },
    async stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      await polling;
      const sessions = [...entries.values()].flatMap((entry) => (entry.session === null ? [] : [entry.session]));
      for (const entry of entries.values()) {
        if (entry.session !== null) entry.connected = false;
        entry.session = null;
      }
      await Promise.allSettled(sessions.map((session) => session.close()));
    },
  };
}
