// A deb-installed kiosk runs as an unprivileged user and cannot run dpkg itself. It hands the
// update electron-updater downloaded (and checked against the server's sha512) to a root helper,
// with the release key's signature fetched from the update server (update-signature.ts): the
// signature appears at <spool>/pending.deb.sig, then the package at <spool>/pending.deb, each in
// one rename; a systemd path unit notices the package and /usr/lib/pccovid-kiosk/install-update
// checks the signature and installs it (build/linux/, build/README.md).
import { constants, copyFileSync, existsSync, fsyncSync, openSync, closeSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PENDING_DEB = 'pending.deb';
export const PENDING_SIGNATURE = 'pending.deb.sig';
/** An Ed25519 signature, raw. */
export const UPDATE_SIGNATURE_BYTES = 64;

export class UpdateHandoffError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UpdateHandoffError';
  }
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Puts the package's signature, then the downloaded .deb, into the spool, each appearing whole or
 * not at all: the helper is started by the package, and finds its signature already there.
 */
export function handOffDebUpdate(downloadedFile: string, signature: Uint8Array, spoolDir: string): string {
  if (signature.length !== UPDATE_SIGNATURE_BYTES) {
    throw new UpdateHandoffError(`The update's signature is ${signature.length} bytes, not the ${UPDATE_SIGNATURE_BYTES} of an Ed25519 signature: it is not one made by build/scripts/sign-update.mjs.`);
  }
  if (!existsSync(spoolDir)) {
    throw new UpdateHandoffError(
      `The update spool ${spoolDir} does not exist: reinstall the pccovid-kiosk package (its postinst creates it).`,
    );
  }
  const target = join(spoolDir, PENDING_DEB);
  const partial = `${target}.part`;
  const signatureTarget = join(spoolDir, PENDING_SIGNATURE);
  const signaturePartial = `${signatureTarget}.part`;
  try {
    rmSync(signaturePartial, { force: true });
    writeFileSync(signaturePartial, signature, { flag: 'wx' });
    syncFile(signaturePartial);
    renameSync(signaturePartial, signatureTarget);
  } catch (error) {
    rmSync(signaturePartial, { force: true });
    throw new UpdateHandoffError(`The update's signature could not be handed to the installer through ${spoolDir}.`, { cause: error });
  }
  try {
    rmSync(partial, { force: true });
    copyFileSync(downloadedFile, partial, constants.COPYFILE_EXCL);
    syncFile(partial);
    renameSync(partial, target);
  } catch (error) {
    rmSync(partial, { force: true });
    rmSync(signatureTarget, { force: true });
    throw new UpdateHandoffError(`The update could not be handed to the installer through ${spoolDir}.`, { cause: error });
  }
  return target;
}
