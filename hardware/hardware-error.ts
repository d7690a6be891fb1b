// Errors of scanners and readers. Each carries a code (shown on the technician view and in logs)
// and a sentence a technician can act on; none of them is allowed to stop the kiosk.

export type HardwareErrorCode =
  /** The native module (node-hid, serialport) is missing or built for another runtime. */
  | 'driver_unavailable'
  /** Listing the devices failed (udev or the OS refused). */
  | 'enumerate_failed'
  | 'permission_denied'
  | 'device_busy'
  | 'device_not_found'
  | 'open_failed'
  /** Unplugged, or the device stopped answering. */
  | 'disconnected'
  | 'write_failed'
  /** A frame arrived damaged: its block check character does not match. */
  | 'frame_checksum_invalid'
  | 'frame_malformed'
  | 'frame_too_long'
  /** A scan's reports or bytes stopped before its end. */
  | 'scan_incomplete'
  | 'report_malformed'
  /** A device of a known vendor without a profile for its interface, or a bad profile file. */
  | 'no_profile'
  | 'profile_invalid'
  /** Test and simulator tooling: a helper program is missing. */
  | 'tool_missing';

export class HardwareError extends Error {
  readonly code: HardwareErrorCode;

  constructor(code: HardwareErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HardwareError';
    this.code = code;
  }
}

const UDEV_HINT = 'install hardware/udev/70-pccovid-scanners.rules (see hardware/README.md, "Hardware setup"), then unplug and replug the device';

/**
 * Turns what a native driver threw while opening a device into a HardwareError whose sentence
 * says what to do. Errno codes are the same for node-hid (via hidapi's message) and serialport.
 */
export function openError(path: string, error: unknown): HardwareError {
  if (error instanceof HardwareError) return error;
  const text = error instanceof Error ? `${error.message} ${String((error as { code?: unknown }).code ?? '')}` : String(error);
  if (/EACCES|permission denied/i.test(text)) {
    return new HardwareError('permission_denied', `The kiosk may not open ${path} (permission denied): ${UDEV_HINT}.`, { cause: error });
  }
  if (/EBUSY|resource busy|cannot lock|exclusive/i.test(text)) {
    return new HardwareError(
      'device_busy',
      `${path} is already open in another program (ModemManager, a second kiosk, a terminal): close it, or ${UDEV_HINT}.`,
      { cause: error },
    );
  }
  if (/ENOENT|no such file|not found|could not open/i.test(text)) {
    return new HardwareError('device_not_found', `No device answers at ${path}: check that it is plugged in (or that the simulator is running).`, {
      cause: error,
    });
  }
  return new HardwareError('open_failed', `The kiosk could not open ${path} (${text.trim().slice(0, 160)}): unplug and replug the device; if it persists, ${UDEV_HINT}.`, {
    cause: error,
  });
}
