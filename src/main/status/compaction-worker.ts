// The status compaction worker, a worker thread (bundled on its own by build/scripts/build.mjs;
// started by compaction-runner.ts): merges a frozen base table and delta overlay into a new
// table, checks every entry of it, and writes it durably under its final name. The main thread
// answers lookups from the old table meanwhile, and switches the manifest and the cache to the
// new one when this reports it.
import { closeSync, openSync, readSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { writeFileDurably } from '../bundles/durable-file.js';
import { mergeIntoTable } from './compaction.js';
import type { CompactionReply, CompactionRequest } from './compaction-protocol.js';
import { slotColumns } from './delta-overlay.js';
import { TableView } from './table-view.js';

function reply(message: CompactionReply): void {
  parentPort?.postMessage(message);
}

function readRange(path: string, offset: number, length: number): Uint8Array {
  const bytes = Buffer.allocUnsafeSlow(length);
  const fd = openSync(path, 'r');
  try {
    for (let at = 0; at < length; ) {
      const n = readSync(fd, bytes, at, length - at, offset + at);
      if (n === 0) throw new Error(`${path} ended ${length - at} bytes early`);
      at += n;
    }
  } finally {
    closeSync(fd);
  }
  return bytes;
}

function compact(request: CompactionRequest): void {
  const bytes = 'bytes' in request.base ? request.base.bytes : readRange(request.base.path, request.base.offset, request.base.length);
  const base = TableView.open(bytes, 'status');
  if (!base.ok) throw new Error(`the base table does not open: ${base.detail}`);
  const table = mergeIntoTable({
    base: base.value,
    overlay: slotColumns(request.overlay),
    overlayCount: request.overlay.count,
    extraTupleWords: request.extraTupleWords,
    // Shared memory: the main thread takes the table as it is, without a copy.
    allocate: (n) => new Uint8Array(new SharedArrayBuffer(n)),
  });
  // Every entry checked here, so the main thread can open the table without a pass of its own.
  const view = TableView.open(table, 'status');
  const checked = view.ok ? view.value.checkEntries() : view;
  if (!checked.ok) throw new Error(`compaction produced an unreadable table: ${checked.detail}`);
  reply({ kind: 'merged', entries: checked.value.entryCount, byteLength: table.length });
  writeFileDurably(request.out, [table], (bytesWritten, totalBytes) => reply({ kind: 'writing', bytesWritten, totalBytes }));
  reply({ kind: 'done', table });
}

// Background work: on Linux, setpriority on "this process" changes only the calling thread, so
// the merge yields the CPU to the main thread's verdicts (on a 2-core kiosk, a busy worker at
// the same priority delayed the main thread's timers by up to 170 ms; niced, about 30 ms as the
// machine's own noise). Elsewhere it would lower the whole kiosk: left alone.
if (process.platform === 'linux') {
  try {
    setPriority(10);
  } catch {
    // not allowed here: the merge runs at the kiosk's priority
  }
}

parentPort?.once('message', (request: CompactionRequest) => {
  try {
    compact(request);
  } catch (error) {
    reply({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
});
