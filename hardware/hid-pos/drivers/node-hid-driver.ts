// The real HID driver: node-hid (hidapi; on Linux the hidraw backend, hence the udev rules for
// /dev/hidraw*). The native module is loaded on first use, so a kiosk whose node-hid binary is
// missing or built for another runtime still starts: HID scanners are then reported as
// unavailable, with what to do.
import type * as NodeHidModule from 'node-hid';
import { HardwareError, openError } from '../../hardware-error.js';
import type { HidChannel, HidDeviceInfo, HidDriver } from '../../types.js';

type NodeHid = typeof NodeHidModule;
type HidAsyncDevice = Awaited<ReturnType<NodeHid['HIDAsync']['open']>>;

let loading: Promise<NodeHid> | null = null;

function loadNodeHid(): Promise<NodeHid> {
  loading ??= import('node-hid').then(
    (module) => module,
    (error: unknown) => {
      loading = null;
      throw new HardwareError(
        'driver_unavailable',
        'The HID driver (node-hid) could not be loaded: reinstall the kiosk ("npm ci"; for Electron, "npm start" rebuilds native modules). Keyboard-mode scanners still work.',
        { cause: error },
      );
    },
  );
  return loading;
}

function orNull<T>(value: T | undefined): T | null {
  return value === undefined ? null : value;
}

class NodeHidChannel implements HidChannel {
  private closeListener: ((error: HardwareError | null) => void) | null = null;
  private finished = false;

  constructor(
    private readonly device: HidAsyncDevice,
    private readonly path: string,
  ) {
    // An 'error' event is how node-hid reports an unplugged device; unhandled, it would crash.
    device.on('error', (error: unknown) => {
      void this.finish(new HardwareError('disconnected', `The scanner at ${path} stopped answering (unplugged?); it is reopened when it comes back.`, { cause: error }));
    });
  }

  onData(listener: (chunk: Uint8Array) => void): void {
    this.device.on('data', (data: Buffer) => listener(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
  }

  onClose(listener: (error: HardwareError | null) => void): void {
    this.closeListener = listener;
  }

  async write(bytes: Uint8Array): Promise<void> {
    try {
      await this.device.write(Buffer.from(bytes));
    } catch (error) {
      throw new HardwareError('write_failed', `The kiosk could not send a report to ${this.path}.`, { cause: error });
    }
  }

  async sendFeatureReport(bytes: Uint8Array): Promise<void> {
    try {
      await this.device.sendFeatureReport(Buffer.from(bytes));
    } catch (error) {
      throw new HardwareError('write_failed', `The kiosk could not send a feature report to ${this.path}.`, { cause: error });
    }
  }

  close(): Promise<void> {
    return this.finish(null);
  }

  private async finish(error: HardwareError | null): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    try {
      await this.device.close();
    } catch {
      // Already gone: closing an unplugged device may fail, and nothing is left to release.
    }
    this.closeListener?.(error);
  }
}

export const nodeHidDriver: HidDriver = {
  async list(): Promise<HidDeviceInfo[]> {
    const hid = await loadNodeHid();
    let devices;
    try {
      devices = await hid.devicesAsync();
    } catch (error) {
      throw new HardwareError('enumerate_failed', 'The kiosk could not list HID devices (udev not running?): restart the kiosk; if it persists, check "udevadm monitor".', {
        cause: error,
      });
    }
    return devices.flatMap((device) =>
      device.path === undefined
        ? []
        : [
            {
              path: device.path,
              vendorId: device.vendorId,
              productId: device.productId,
              usagePage: orNull(device.usagePage),
              usage: orNull(device.usage),
              product: orNull(device.product),
              manufacturer: orNull(device.manufacturer),
              serialNumber: device.serialNumber === undefined || device.serialNumber === '' ? null : device.serialNumber,
              interfaceNumber: device.interface >= 0 ? device.interface : null,
            },
          ],
    );
  },

  async open(path: string): Promise<HidChannel> {
    const hid = await loadNodeHid();
    try {
      return new NodeHidChannel(await hid.HIDAsync.open(path), path);
    } catch (error) {
      throw openError(path, error);
    }
  },
};
