// The channel every fake device hands out: what the kiosk reads, what it wrote, and an unplug.
import { HardwareError } from '../hardware-error.js';
import type { DeviceChannel } from '../types.js';

export class FakeChannel implements DeviceChannel {
  private dataListener: ((chunk: Uint8Array) => void) | null = null;
  private closeListener: ((error: HardwareError | null) => void) | null = null;
  private closed = false;
  readonly written: Uint8Array[] = [];
  /** Called with each write, so a fake device can answer a command. */
  onWrite: ((bytes: Uint8Array) => void) | null = null;

  constructor(readonly path: string) {}

  get isClosed(): boolean {
    return this.closed;
  }

  onData(listener: (chunk: Uint8Array) => void): void {
    this.dataListener = listener;
  }

  onClose(listener: (error: HardwareError | null) => void): void {
    this.closeListener = listener;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.closed) throw new HardwareError('write_failed', `${this.path} is closed.`);
    this.written.push(Uint8Array.from(bytes));
    this.onWrite?.(bytes);
  }

  async close(): Promise<void> {
    this.finish(null);
  }

  /** Delivers bytes as the device would; false when the channel is closed. */
  deliver(chunk: Uint8Array): boolean {
    if (this.closed) return false;
    this.dataListener?.(Uint8Array.from(chunk));
    return true;
  }

  /** The device went away. */
  unplug(): void {
    this.finish(new HardwareError('disconnected', `${this.path} was unplugged.`));
  }

  private finish(error: HardwareError | null): void {
    if (this.closed) return;
    this.closed = true;
    this.closeListener?.(error);
  }
}
