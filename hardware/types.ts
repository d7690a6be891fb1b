// What every driver shares: the channel an opened device is read through, what enumeration
// reports, the raw scan a driver hands to main, and the logger main injects. hardware/ never
// imports src/main: main passes these in.
import type { FrameKind } from '../src/common/ipc/device-view.js';
import type { HardwareError } from './hardware-error.js';

export type { FrameKind };

/** The subset of main's pino logger that drivers use. */
export interface HardwareLogger {
  debug(details: object, message: string): void;
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export const SILENT_LOGGER: HardwareLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** One scan as the device sent it, before any decoding. */
export interface RawScan {
  /** The payload bytes exactly as sent (framing removed, AIM prefix kept when it was in the data). */
  bytes: Uint8Array;
  /** The bytes decoded as UTF-8, after the whole scan arrived; a leading AIM id removed. */
  text: string;
  /** AIM id ("]Q1") from the report or from a prefix in the data; "unknown" when neither. */
  symbology: string;
  frame: FrameKind;
}

/**
 * An opened device: HID input reports (one chunk per report, report id first) or serial bytes
 * (chunks of any size). onClose fires exactly once: with an error when the device went away,
 * with null when close() was called.
 */
export interface DeviceChannel {
  onData(listener: (chunk: Uint8Array) => void): void;
  onClose(listener: (error: HardwareError | null) => void): void;
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export interface HidChannel extends DeviceChannel {
  /** Feature report, report id first. */
  sendFeatureReport(bytes: Uint8Array): Promise<void>;
}

export interface HidDeviceInfo {
  path: string;
  vendorId: number;
  productId: number;
  /** From the report descriptor; null when the platform does not say. */
  usagePage: number | null;
  usage: number | null;
  product: string | null;
  manufacturer: string | null;
  serialNumber: string | null;
  interfaceNumber: number | null;
}

export interface SerialPortInfo {
  path: string;
  vendorId: number | null;
  productId: number | null;
  manufacturer: string | null;
  serialNumber: string | null;
}

export interface SerialOpenOptions {
  baudRate: number;
}

/** node-hid behind an interface: the real driver or a fake. */
export interface HidDriver {
  list(): Promise<HidDeviceInfo[]>;
  open(path: string): Promise<HidChannel>;
}

/** serialport behind an interface: the real driver or a fake. */
export interface SerialDriver {
  list(): Promise<SerialPortInfo[]>;
  open(path: string, options: SerialOpenOptions): Promise<DeviceChannel>;
}
