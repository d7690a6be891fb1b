// The hub (issue 10):
//  1. import: N rows (default 10,000,000) of a vaccination-app export generated on the fly (never
//     on disk), streamed through `pccovid-hub import`'s code into a fresh hub database; rows/s and
//     the process's peak RSS (bounded memory: it must not grow with N);
//  2. ingest: M check-ins (default 1,000,000) stored through the ingest function in batches of
//     1,000, as the server does after authenticating a batch; records/s.
//   npm run bench -- hub [--rows N] [--checkins M] [--dir D]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { monotonicFactory } from 'ulid';
import { importExport } from '../src/hub/import/importer.js';
import { addDevice } from '../src/hub/ingest/devices.js';
import { ingestCheckins } from '../src/hub/ingest/store-checkins.js';
import { openHubDataDir } from '../src/hub/store/hub-database.js';
import { printFigures } from './stats.js';

function* exportLines(rows: number): Generator<string> {
  for (let i = 0; i < rows; i++) {
    const citizen = `0791${String(i).padStart(8, '0')}`;
    yield `${JSON.stringify({
      record_id: `SK-${i}`,
      citizen_id: citizen,
      phone: `09${String(i % 100_000_000).padStart(8, '0')}`,
      full_name: `Người Thứ ${i}`,
      date_of_birth: '1990-04-12',
      doses: [{ date: '2021-08-01' }, { date: '2021-09-15' }],
    })}\n`;
  }
}

export async function runHubBench(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: { rows: { type: 'string', default: '10000000' }, checkins: { type: 'string', default: '1000000' }, dir: { type: 'string' } },
  });
  const rows = Number(values.rows);
  const checkins = Number(values.checkins);
  if (!Number.isInteger(rows) || rows < 1000 || !Number.isInteger(checkins) || checkins < 1000) {
    throw new Error('--rows and --checkins must be whole numbers of at least 1000');
  }
  const root = mkdtempSync(join(values.dir ?? tmpdir(), 'pccovid-bench-hub-'));
  try {
    const db = openHubDataDir(join(root, 'hub'));
    let peakRss = process.memoryUsage.rss();
    const tty = process.stderr.isTTY;
    const started = performance.now();
    const summary = await importExport(db, 'sskdt', '(generated)', {
      input: Readable.from(exportLines(rows)),
      onProgress: (s) => {
        peakRss = Math.max(peakRss, process.memoryUsage.rss());
        if (tty && s.lines % 500_000 < 5_000) process.stderr.write(`\rimport: ${s.lines} rows`);
      },
    });
    const importSeconds = (performance.now() - started) / 1000;
    if (tty) process.stderr.write('\n');

    const deviceId = addDevice(db, randomBytes(32), 'bench', Date.now());
    const ulid = monotonicFactory();
    const sealed = randomBytes(120).toString('base64');
    const ingestStarted = performance.now();
    for (let done = 0; done < checkins; done += 1000) {
      const records = Array.from({ length: Math.min(1000, checkins - done) }, () => ({
        nonce: ulid(),
        kind: 'verdict',
        venue: 'HN-01',
        lane: 'L1',
        at: Date.now(),
        monotonicMs: 1,
        bootId: 'bench',
        outcome: 'admit',
        readable: true,
        reasonCodes: [],
        credentialKind: null,
        source: 'camera',
        subject: { suite: 'x25519-hkdf-sha256-aes128gcm', keyId: '0011223344556677', sealed },
        overrides: null,
        overrideReason: null,
      }));
      ingestCheckins(db, { deviceId, batchId: `b${done}`, records, receivedAt: Date.now() });
    }
    const ingestSeconds = (performance.now() - ingestStarted) / 1000;
    db.close();
    printFigures({
      bench: 'hub',
      import_rows: summary.lines,
      import_subjects_created: summary.created,
      import_s: Number(importSeconds.toFixed(1)),
      import_rows_per_s: Math.round(summary.lines / importSeconds),
      import_peak_rss_mb: Math.round(peakRss / 1048576),
      process_max_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      ingest_records: checkins,
      ingest_records_per_s: Math.round(checkins / ingestSeconds),
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
