// Files that survive a power cut: written under a temporary name in the same directory,
// fsynced, renamed over the final name, and the directory fsynced. A reader sees the old file or
// the new one, never a part.
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const TEMP_MARK = '.tmp-';
const CHUNK_BYTES = 1 << 20;

export interface WriteProgress {
  (bytesWritten: number, totalBytes: number): void;
}

export function fsyncDirectory(dir: string): void {
  // Windows cannot open a directory for fsync; NTFS orders its metadata itself.
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function temporaryName(path: string): string {
  return join(dirname(path), `${basename(path)}${TEMP_MARK}${process.pid}-${Date.now().toString(36)}`);
}

/** Writes `parts` in order as the file `path`, durably and atomically. */
export function writeFileDurably(path: string, parts: readonly Uint8Array[], onProgress?: WriteProgress): void {
  const dir = dirname(path);
  const temp = temporaryName(path);
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  let written = 0;
  const fd = openSync(temp, 'w', 0o600);
  try {
    for (const part of parts) {
      for (let at = 0; at < part.length; ) {
        const n = writeSync(fd, part, at, Math.min(CHUNK_BYTES, part.length - at));
        at += n;
        written += n;
        onProgress?.(written, total);
      }
    }
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temp, path);
  fsyncDirectory(dir);
}

/**
 * writeFileDurably without blocking the thread: the writes and fsyncs run on libuv's thread pool
 * (for a small file on the kiosk's main thread, where an fsync may wait on a disk still busy
 * with a gigabyte just written).
 */
export async function writeFileDurablyAsync(path: string, bytes: Uint8Array): Promise<void> {
  const dir = dirname(path);
  const temp = temporaryName(path);
  const file = await open(temp, 'w', 0o600);
  try {
    for (let at = 0; at < bytes.length; ) at += (await file.write(bytes, at, bytes.length - at)).bytesWritten;
    await file.sync();
  } catch (error) {
    await file.close();
    await rm(temp, { force: true });
    throw error;
  }
  await file.close();
  await rename(temp, path);
  if (process.platform === 'win32') return;
  const folder = await open(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

/** Deletes the temporary files an interrupted write left behind. */
export function removeTemporaryFiles(dir: string): number {
  let removed = 0;
  for (const name of readdirSync(dir)) {
    if (name.includes(TEMP_MARK)) {
      rmSync(join(dir, name), { force: true });
      removed++;
    }
  }
  return removed;
}
