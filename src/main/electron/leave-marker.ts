// Leaving kiosk mode on a Linux kiosk: the systemd unit (build/linux/pccovid-kiosk.service) sets
// PCCOVID_LEAVE_MARKER to a file in its runtime directory. The app writes it before it exits;
// the unit's ExecCondition then skips the restart and its ExecStopPost gives tty1 a login for the
// technician. /run is emptied at boot, so a reboot brings the kiosk back.
import { writeFileSync } from 'node:fs';
import type { Logger } from '../log.js';

export const LEAVE_MARKER_ENV = 'PCCOVID_LEAVE_MARKER';

/** Writes the marker the unit looks for; false (logged) when there is none to write or it failed. */
export function markLeftByStaff(env: NodeJS.ProcessEnv, logger: Logger, now: () => number = Date.now): boolean {
  const path = env[LEAVE_MARKER_ENV];
  if (path === undefined || path === '') return false;
  try {
    writeFileSync(path, `${new Date(now()).toISOString()}\n`, { mode: 0o644 });
    return true;
  } catch (error) {
    // The app still exits; systemd then restarts it, and the technician is told in the log.
    logger.error({ err: error, path }, 'could not write the leave marker: the kiosk will be restarted by systemd');
    return false;
  }
}
