// The real serial driver: serialport (USB CDC-ACM scanners at /dev/ttyACM*, USB-serial cables at
// /dev/ttyUSB*, ptys from the simulator). Loaded on first use, like node-hid, so a broken native
// build costs serial scanners only, never the kiosk.
import type * as SerialPortPackage from 'serialport';
import { HardwareError, openError } from '../../hardware-error.js';
import type { DeviceChannel, SerialDriver, SerialOpenOptions, SerialPortInfo } from '../../types.js';

type SerialPortModule = typeof SerialPortPackage;
type Port = InstanceType<SerialPortModule['SerialPort']>;

let loading: Promise<SerialPortModule> | null = null;

function loadSerialPort(): Promise<SerialPortModule> {
  loading ??= import('serialport').then(
    (module) => module,
    (error: unknown) => {
      loading = null;
      throw new HardwareError(
        'driver_unavailable',
        'The serial driver (serialport) could not be loaded: reinstall the kiosk ("npm ci"; for Electron, "npm start" rebuilds native modules). Keyboard-mode scanners still work.',
        { cause: error },
      );
    },
  );
  return loading;
}

function usbId(hex: string | undefined): number | null {
  if (hex === undefined || !/^[0-9a-f]{1,4}$/i.test(hex)) return null;
  return Number.parseInt(hex, 16);
}

class SerialPortChannel implements DeviceChannel {
  private closeListener: ((error: HardwareError | null) => void) | null = null;
  private finished = false;
  private closing = false;

  constructor(
    private readonly port: Port,
    private readonly path: string,
  ) {
    port.on('error', (error: unknown) => {
      this.finish(new HardwareError('disconnected', `${path} reported an error and was closed; it is reopened when it answers again.`, { cause: error }));
    });
    port.on('close', (error: unknown) => {
      this.finish(
        this.closing ? null : new HardwareError('disconnected', `${path} went away (unplugged?); it is reopened when it comes back.`, { cause: error }),
      );
    });
  }

  onData(listener: (chunk: Uint8Array) => void): void {
    this.port.on('data', (data: Buffer) => listener(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
  }

  onClose(listener: (error: HardwareError | null) => void): void {
    this.closeListener = listener;
  }

  write(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.port.write(Buffer.from(bytes), (error) => {
        if (error !== null && error !== undefined) {
          reject(new HardwareError('write_failed', `The kiosk could not write to ${this.path}.`, { cause: error }));
          return;
        }
        this.port.drain(() => resolve());
      });
    });
  }

  close(): Promise<void> {
    if (this.finished || !this.port.isOpen) {
      this.finish(null);
      return Promise.resolve();
    }
    this.closing = true;
    return new Promise((resolve) => {
      this.port.close(() => {
        this.finish(null);
        resolve();
      });
    });
  }

  private finish(error: HardwareError | null): void {
    if (this.finished) return;
    this.finished = true;
    if (error !== null && this.port.isOpen) this.port.close(() => undefined);
    this.closeListener?.(error);
  }
}

export const serialPortDriver: SerialDriver = {
  async list(): Promise<SerialPortInfo[]> {
    const { SerialPort } = await loadSerialPort();
    let ports;
    try {
      ports = await SerialPort.list();
    } catch (error) {
      throw new HardwareError('enumerate_failed', 'The kiosk could not list serial ports: restart the kiosk; if it persists, check "udevadm monitor".', { cause: error });
    }
    return ports.map((port) => ({
      path: port.path,
      vendorId: usbId(port.vendorId),
      productId: usbId(port.productId),
      manufacturer: port.manufacturer ?? null,
      serialNumber: port.serialNumber === undefined || port.serialNumber === '' ? null : port.serialNumber,
    }));
  },

  async open(path: string, options: SerialOpenOptions): Promise<DeviceChannel> {
    const { SerialPort } = await loadSerialPort();
    const port: Port = new SerialPort({ path, baudRate: options.baudRate, autoOpen: false, lock: true });
    try {
      await new Promise<void>((resolve, reject) => port.open((error) => (error === null || error === undefined ? resolve() : reject(error))));
    } catch (error) {
      throw openError(path, error);
    }
    return new SerialPortChannel(port, path);
  },
};
