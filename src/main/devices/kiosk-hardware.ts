// Wires scanners into a kiosk: the device manager's scans pass the gate (duplicates, rate) and
// become ScanEvents submitted to the core, whose verdicts the shells already push to the screen;
// the core the shells see also answers devices:list and shows keyboard-wedge scans on the
// window's entry.
import type { KioskCore } from '../core/kiosk-core.js';
import type { Logger } from '../log.js';
import { nodeHidDriver } from '../../../hardware/hid-pos/drivers/node-hid-driver.js';
import { loadProfiles, type DeviceProfile } from '../../../hardware/profiles/device-profiles.js';
import { serialPortDriver } from '../../../hardware/serial/drivers/serialport-driver.js';
import type { HidDriver, SerialDriver } from '../../../hardware/types.js';
import { type ConfiguredSerialPort, createDeviceManager, type DeviceManager } from './device-manager.js';
import { createScanGate, type ScanGateOptions } from './scan-gate.js';

export interface KioskHardwareOptions {
  logger: Logger;
  serialPorts?: readonly ConfiguredSerialPort[];
  /** Injected in tests and the demo; the real node-hid and serialport drivers otherwise. */
  hid?: HidDriver | null;
  serial?: SerialDriver | null;
  profiles?: readonly DeviceProfile[];
  gate?: ScanGateOptions;
  now?: () => number;
  pollIntervalMs?: number;
  retryDelayMs?: number;
}

export interface KioskHardware {
  /** The core with hardware attached: what the shells are given. */
  readonly core: KioskCore;
  readonly manager: DeviceManager;
  /** Closes every device; the core stays open. */
  stop(): Promise<void>;
}

export function attachHardware(core: KioskCore, options: KioskHardwareOptions): KioskHardware {
  const logger = options.logger;
  let profiles = options.profiles;
  if (profiles === undefined) {
    const loaded = loadProfiles();
    for (const problem of loaded.problems) logger.error({ code: problem.code }, problem.message);
    profiles = loaded.profiles;
  }
  const gate = createScanGate(options.gate);
  const manager = createDeviceManager({
    hid: options.hid === undefined ? nodeHidDriver : options.hid,
    serial: options.serial === undefined ? serialPortDriver : options.serial,
    profiles,
    serialPorts: options.serialPorts ?? [],
    logger,
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
    ...(options.retryDelayMs === undefined ? {} : { retryDelayMs: options.retryDelayMs }),
    onScan(device, scan, at) {
      const disposition = gate.admit(device.id, scan.text, at);
      if (disposition !== 'submitted') {
        logger.debug({ device: device.id, disposition }, 'hardware scan not submitted');
        return disposition;
      }
      try {
        // The verdict reaches the screen through core.onVerdict (hardware sources are pushed).
        core.submitScan({ source: device.mode, symbology: scan.symbology, text: scan.text, receivedAt: at, device });
      } catch (error) {
        logger.error({ err: error, device: device.id }, 'the kiosk could not check a hardware scan');
      }
      return 'submitted';
    },
  });
  manager.start();

  const withHardware: KioskCore = {
    info: () => core.info(),
    submitScan(scan) {
      if (scan.source === 'keyboard-wedge') manager.noteKeyboardScan(scan);
      return core.submitScan(scan);
    },
    recentCheckins: (limit) => core.recentCheckins(limit),
    hourlyCheckins: () => core.hourlyCheckins(),
    syncStatus: () => core.syncStatus(),
    onVerdict: (listener) => core.onVerdict(listener),
    devices: () => manager.list(),
    health: () => core.health(),
    overrideCheckin: (request) => core.overrideCheckin(request),
    unlockConsole: (pin) => core.unlockConsole(pin),
    provisioning: core.provisioning,
    close() {
      void manager.stop();
      core.close();
    },
  };
  return { core: withHardware, manager, stop: () => manager.stop() };
}
