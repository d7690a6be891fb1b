// A deb-installed kiosk runs as an unprivileged user and cannot run dpkg itself. It hands the
// update electron-updater downloaded (and checked against the server's sha512) to a root helper:
// the file appears at <spool>/pending.deb in one rename, a systemd path unit notices it and
// /usr/lib/pccovid-kiosk/install-update installs it (build/linux/, build/README.md).
import { constants, copyFileSync, existsSync, fsyncSync, openSync, closeSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const PENDING_DEB = 'pending.deb';

export class UpdateHandoffError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UpdateHandoffError';
  }
}

/** Copies the downloaded .deb into the spool so that it appears whole or not at all. */
export function handOffDebUpdate(downloadedFile: string, spoolDir: string): string {
  if (!existsSync(spoolDir)) {
    throw new UpdateHandoffError(
      `The update spool ${spoolDir} does not exist: reinstall the pccovid-kiosk package (its postinst creates it).`,
    );
  }
  const target = join(spoolDir, PENDING_DEB);
  const partial = `${target}.part`;
  try {
    rmSync(partial, { force: true });
    copyFileSync(downloadedFile, partial, constants.COPYFILE_EXCL);
    const fd = openSync(partial, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(partial, target);
  } catch (error) {
    rmSync(partial, { force: true });
    throw new UpdateHandoffError(`The update could not be handed to the installer through ${spoolDir}.`, { cause: error });
  }
  return target;
}
