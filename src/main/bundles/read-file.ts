// Reads a whole file into one Buffer (Node has no mmap). Chunked reads avoid readFileSync's 2 GiB
// limit; allocUnsafeSlow skips zero-filling memory every byte of which is overwritten.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const CHUNK_BYTES = 64 << 20;

export function readWholeFile(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const buffer = Buffer.allocUnsafeSlow(size);
    let at = 0;
    while (at < size) {
      const n = readSync(fd, buffer, at, Math.min(CHUNK_BYTES, size - at), at);
      if (n === 0) throw new Error(`${path} ended after ${at} of ${size} bytes`);
      at += n;
    }
    return buffer;
  } finally {
    closeSync(fd);
  }
}

/** The first `max` bytes of a file (fewer if it is shorter) and its size. */
export function readFilePrefix(path: string, max: number): { bytes: Buffer; size: number } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const bytes = Buffer.alloc(Math.min(max, size));
    let at = 0;
    while (at < bytes.length) {
      const n = readSync(fd, bytes, at, bytes.length - at, at);
      if (n === 0) break;
      at += n;
    }
    return { bytes: bytes.subarray(0, at), size };
  } finally {
    closeSync(fd);
  }
}
