// Errors from installing or opening bundles carry a code and a sentence a technician can act on.
import type { BundleErrorCode } from '../../common/bundle/bundle-types.js';

export type BundleStoreErrorCode = BundleErrorCode | 'state_corrupt' | 'io_failed';

const ADVICE: Record<BundleStoreErrorCode, string> = {
  malformed: 'The file is damaged or is not a PC-Covid bundle. Download it again from the hub.',
  unsupported_version: 'The bundle was made for a newer kiosk. Update the kiosk software, then install it again.',
  unknown_key: 'It is signed by a key this kiosk does not trust. Install the current key list first; if that does not help, the bundle is not from the authority.',
  key_not_endorsed: 'Its signing key is not allowed to sign this kind of bundle at that date. Install the current key list; otherwise the bundle is not genuine.',
  signature_invalid: 'Its signature is wrong: the bundle was changed after signing or forged. Download it again from the hub.',
  payload_mismatch: 'Its content does not match what was signed (damaged or truncated download). Download it again.',
  expired: 'It is past its expiry date. Fetch a current bundle from the hub, and check the kiosk clock.',
  not_yet_valid: 'It is dated in the future. Check the kiosk clock (date, time and time zone).',
  rollback: 'It is not newer than the installed one: an old or replayed bundle was offered. Fetch the latest from the hub.',
  chain_broken: 'It does not follow the installed bundle of its kind. Sync again; the hub will send a full snapshot.',
  epoch_key_missing: 'The key it was built with (its epoch key) is not on this kiosk. Sync the epoch key first.',
  no_device_key: 'This kiosk has no device key to open epoch keys with. Provision the kiosk first.',
  wrong_device: 'It was sealed for another kiosk. Check the device enrolment on the hub.',
  unseal_failed: 'It could not be opened with this kiosk\'s device key. Check the device enrolment on the hub.',
  state_corrupt: 'The installed bundles on disk are damaged; the kiosk runs without them until the next sync.',
  io_failed: 'Writing to the data directory failed (disk full or read-only?). Free space or fix permissions; the previous data stays in use.',
};

export function bundleAdvice(code: BundleStoreErrorCode): string {
  return ADVICE[code];
}

export class BundleError extends Error {
  constructor(
    readonly code: BundleStoreErrorCode,
    /** What was refused and why, for logs. */
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${detail}. ${ADVICE[code]}`, options);
    this.name = 'BundleError';
  }
}
