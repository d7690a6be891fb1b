// The "kiosk process" of the crash test: the real kiosk core and sync client on a data
// directory. In scan mode it scans passes in a loop and prints each check-in id once submitScan
// has returned it (so: once it is committed); the test kills it with SIGKILL at random moments.
// In drain mode it uploads until nothing is waiting, prints "drained", and exits.
//   node kiosk-process.mjs <scan|drain> <dataDir> <authorityDir> <hubUrl> <seed>
import { openKioskCore } from '../../src/main/core/open-kiosk-core.js';
import { issueDemoPass } from '../../src/main/demo/demo-authority.js';
import { createSyncClient } from '../../src/main/sync/sync-client.js';

function randomFrom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const [mode, dataDir, authorityDir, hubUrl, seedText] = process.argv.slice(2);
if ((mode !== 'scan' && mode !== 'drain') || dataDir === undefined || authorityDir === undefined || hubUrl === undefined) {
  process.stderr.write('usage: kiosk-process <scan|drain> <dataDir> <authorityDir> <hubUrl> <seed>\n');
  process.exit(64);
}
const random = randomFrom(Number(seedText ?? '1'));
const kiosk = openKioskCore({ dataDir, authorityKeyDir: authorityDir });
const sync = createSyncClient({
  db: kiosk.db,
  deviceKey: kiosk.deviceKey,
  hubUrl,
  // Small, varied batches and short pauses: kills land before, during and after uploads.
  upload: { maxRecords: 1 + Math.floor(random() * 30), maxBatchAgeMs: Math.floor(random() * 20), requestTimeoutMs: 5_000 },
  idlePollMs: 5,
  backoff: { baseMs: 5, maxMs: 100 },
  random,
});

if (mode === 'drain') {
  for (let attempt = 0; attempt < 200; attempt++) {
    const round = await sync.drainOnce(new AbortController().signal);
    if (round.kind === 'idle' && kiosk.syncStatus().pendingCount === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const status = kiosk.syncStatus();
  process.stdout.write(`drained ${status.pendingCount} ${status.parkedCount}\n`);
  await sync.stop();
  kiosk.close();
} else {
  const nowMs = Date.now();
  const passes = Array.from({ length: 16 }, (_, i) =>
    issueDemoPass(kiosk.demoAuthority, { nowMs, subjectId: `VN-ID:0791900${String(i).padStart(5, '0')}` }),
  );
  sync.start();
  process.stdout.write('ready\n');
  // Bounded: the test kills it long before; if not, it stops by itself.
  for (let i = 0; i < 20_000; i++) {
    const pass = passes[Math.floor(random() * passes.length)] ?? '';
    const view = kiosk.submitScan({ source: 'serial', symbology: ']Q1', text: pass, receivedAt: Date.now() });
    process.stdout.write(`${view.checkinId}\n`);
    await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 3)));
  }
  await sync.stop();
  kiosk.close();
}
