// Opens a status table from its file without waiting for a gigabyte to be read: the header, the
// bucket table and the dictionaries (tens of MB at 100 M entries) are read at once, the entries
// stream in behind with asynchronous reads, and until they have, a lookup reads just its
// bucket's bytes from the file (one pread). Node has no mmap; this gives its effect at open and
// in-memory lookups a second later.
import { closeSync, fstatSync, openSync, read, readSync } from 'node:fs';
import { bundleFail, type BundleResult } from '../../common/bundle/bundle-types.js';
import { readTableLayout, TABLE_HEADER_BYTES, type TableKind } from '../../common/bundle/status-table.js';
import { TableView, type TablePager } from './table-view.js';

const CHUNK_BYTES = 16 << 20;

export interface LoadingTable {
  view: TableView;
  /** Settles when the whole table is in memory (it never rejects: on a read error, lookups keep reading from the file). */
  loaded: Promise<void>;
}

function readFully(fd: number, into: Uint8Array, start: number, end: number, fileOffset: number): void {
  for (let at = start; at < end; ) {
    const n = readSync(fd, into, at, end - at, fileOffset + at);
    if (n === 0) throw new Error(`the table file ended ${end - at} bytes early`);
    at += n;
  }
}

class FilePager implements TablePager {
  /** Entry bytes below this offset are in memory. */
  private watermark: number;
  private done = false;
  private reading = false;
  private closed = false;
  private settle: () => void = () => undefined;
  readonly loaded: Promise<void>;

  constructor(
    private readonly fd: number,
    private readonly bytes: Uint8Array,
    private readonly fileOffset: number,
    start: number,
    private readonly end: number,
    private readonly view: TableView,
  ) {
    this.watermark = start;
    this.loaded = new Promise((resolve) => {
      this.settle = resolve;
    });
  }

  ensure(start: number, end: number): void {
    if (this.done || end <= this.watermark) return;
    readFully(this.fd, this.bytes, start, end, this.fileOffset);
  }

  ensureAll(): void {
    if (this.done) return;
    readFully(this.fd, this.bytes, this.watermark, this.end, this.fileOffset);
    this.finish();
  }

  start(): void {
    this.next();
  }

  private next(): void {
    if (this.done) return;
    if (this.watermark >= this.end) {
      this.finish();
      return;
    }
    const length = Math.min(CHUNK_BYTES, this.end - this.watermark);
    this.reading = true;
    read(this.fd, this.bytes, this.watermark, length, this.fileOffset + this.watermark, (error, n) => {
      this.reading = false;
      if (this.done) {
        this.close();
        return;
      }
      if (error !== null || n === 0) {
        // Lookups keep reading their bucket from the file; nothing is lost but speed.
        this.settle();
        return;
      }
      this.watermark += n;
      this.next();
    });
  }

  private finish(): void {
    this.done = true;
    this.view.setPager(null);
    // An asynchronous read still in flight owns the descriptor until it returns.
    if (!this.reading) this.close();
    this.settle();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

/**
 * Opens the table stored at [offset, offset + length) of `path` (a bundle's payload, or a whole
 * compacted table file). Checks what it reads at once; the entries were checked at install.
 */
export function openTableFile(path: string, offset: number, length: number, kind: TableKind): BundleResult<LoadingTable> {
  const fd = openSync(path, 'r');
  let handedOver = false;
  try {
    if (fstatSync(fd).size !== offset + length) return bundleFail('malformed', `${path} is not ${offset + length} bytes long`);
    // Shared memory, so a compaction worker can read the table in place rather than a copy.
    const bytes = Buffer.from(new SharedArrayBuffer(length));
    readFully(fd, bytes, 0, Math.min(TABLE_HEADER_BYTES, length), offset);
    const header = readTableLayout(bytes); // header fields only: the rest is not read yet
    if (!header.ok) return header;
    const { entriesOffset, aOffset, byteLength } = header.value;
    readFully(fd, bytes, TABLE_HEADER_BYTES, entriesOffset, offset);
    readFully(fd, bytes, aOffset, byteLength, offset);
    const view = TableView.open(bytes, kind);
    if (!view.ok) return view;
    const pager = new FilePager(fd, bytes, offset, entriesOffset, aOffset, view.value);
    view.value.setPager(pager);
    handedOver = true;
    pager.start();
    return { ok: true, value: { view: view.value, loaded: pager.loaded } };
  } finally {
    if (!handedOver) closeSync(fd);
  }
}
