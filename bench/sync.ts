// The check-in log and its upload (issue 6):
//  1. durable commits: check-ins logged as the kiosk logs them (subject sealed with HPKE,
//     pseudonym, insert; WAL, synchronous=FULL, one transaction each), per second and p99;
//  2. drain: N queued check-ins (default 1,000,000) uploaded to the hub on loopback, the hub in
//     its own process; seconds and records/s;
//  3. hub ingest records/s per core: records stored divided by the hub process's CPU seconds.
// Targets: >= 2,000 commits/s with p99 <= 10 ms; 1M drained in <= 60 s.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { monotonicFactory } from 'ulid';
import { addDevice, parseDevicePublicKey } from '../src/hub/ingest/devices.js';
import { openHubDataDir } from '../src/hub/store/hub-database.js';
import { openKioskCore } from '../src/main/core/open-kiosk-core.js';
import { issueDemoPass } from '../src/main/demo/demo-authority.js';
import { insertCheckin } from '../src/main/store/queries/checkins.js';
import { sealSubject } from '../src/main/sync/checkin-sealer.js';
import { createSyncClient } from '../src/main/sync/sync-client.js';
import { printFigures, printTable, summarise } from './stats.js';

function hubProcess(dataDir: string): Promise<{ url: string; stop(): Promise<number> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'sync-hub-process.ts'), dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PCCOVID_LOG_LEVEL: 'error' },
  });
  const lines = createInterface({ input: child.stdout });
  const next = (): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      lines.once('line', (line) => resolve(JSON.parse(line) as Record<string, unknown>));
      child.once('exit', (code) => reject(new Error(`the hub process exited (${code})`)));
    });
  return next().then((ready) => ({
    url: String(ready['url']),
    async stop() {
      const figures = next();
      child.kill('SIGTERM');
      return Number((await figures)['cpuSeconds']);
    },
  }));
}

export async function runSyncBench(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: { commits: { type: 'string', default: '5000' }, records: { type: 'string', default: '1000000' }, dir: { type: 'string' } },
  });
  const commits = Number(values.commits);
  const records = Number(values.records);
  if (!Number.isInteger(commits) || commits < 100 || !Number.isInteger(records) || records < 1000) {
    throw new Error('--commits must be at least 100 and --records at least 1000');
  }
  const root = mkdtempSync(join(values.dir ?? tmpdir(), 'pccovid-bench-sync-'));
  try {
    const hubDir = join(root, 'hub');
    const kiosk = openKioskCore({ dataDir: join(root, 'kiosk'), authorityKeyDir: hubDir });
    const sealingKey = kiosk.sealingKey;
    if (sealingKey === null) throw new Error('a demo kiosk seals to its demo authority key');
    const nowMs = Date.now();
    const passes = Array.from({ length: 64 }, (_, i) =>
      issueDemoPass(kiosk.demoAuthority, { nowMs, subjectId: `VN-ID:0791900${String(i).padStart(5, '0')}` }),
    );

    // 1. Durable commits, as submitScan makes them (pipeline excluded: see the pipeline bench).
    const checked = passes.map((text) => ({ verdict: kiosk.checkOnly({ source: 'serial', symbology: ']Q1', text, receivedAt: nowMs }), text }));
    const nextId = monotonicFactory();
    const commitMicros = new Float64Array(commits);
    const scanMicros = new Float64Array(Math.min(commits, 2000));
    const started = process.hrtime.bigint();
    for (let i = 0; i < commits; i++) {
      const item = checked[i % checked.length];
      if (item === undefined) continue;
      const t0 = process.hrtime.bigint();
      const id = nextId();
      const sealed = sealSubject(sealingKey, id, [`VN-ID:0791900${String(i % 64).padStart(5, '0')}`]);
      insertCheckin(kiosk.db, {
        id,
        verdict: item.verdict,
        source: 'serial',
        venue: 'bench',
        device: kiosk.deviceKey.deviceId,
        lane: null,
        monotonicMs: performance.now(),
        bootId: 'bench',
        sealedSubject: sealed.sealed,
        sealKeyId: sealed.keyId,
        pseudonym: Buffer.alloc(16, i % 64),
      });
      commitMicros[i] = Number(process.hrtime.bigint() - t0) / 1000;
      // Between scans, as at a door (the kiosk's checkpoints run meanwhile in their worker thread,
      // or here on the main-thread fallback), never inside a commit.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const commitSeconds = commitMicros.reduce((sum, micros) => sum + micros, 0) / 1e6;
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    // The whole submitScan (decode, verify, status, policy, seal, commit), for comparison.
    for (let i = 0; i < scanMicros.length; i++) {
      const t0 = process.hrtime.bigint();
      kiosk.submitScan({ source: 'serial', symbology: ']Q1', text: passes[i % passes.length] ?? '', receivedAt: Date.now() });
      scanMicros[i] = Number(process.hrtime.bigint() - t0) / 1000;
    }
    const commit = summarise(commitMicros);
    const scan = summarise(scanMicros);
    console.log(`Durable check-in commits (WAL, synchronous=FULL, ${root}): ${commits} in ${wallSeconds.toFixed(1)} s wall`);
    printTable([
      ['what', 'count', 'p50 µs', 'p99 µs', 'max µs'],
      ['seal + commit', commits, commit.p50, commit.p99, commit.max],
      ['submitScan', scanMicros.length, scan.p50, scan.p99, scan.max],
    ]);

    // 2. A week offline: `records` check-ins queued (sealed subjects reused from a pool of 256:
    // sealing a million takes minutes and the upload does not look inside them).
    const pool = Array.from({ length: 256 }, (_, i) => sealSubject(sealingKey, nextId(), [`VN-ID:0791900${String(i).padStart(5, '0')}`]));
    const queued = Number(kiosk.db.prepare('SELECT count(*) FROM checkins WHERE uploaded_at IS NULL').pluck().get());
    const toQueue = Math.max(0, records - queued);
    const fillStarted = Date.now();
    const verdict = checked[0]?.verdict;
    if (verdict === undefined) throw new Error('no verdict to queue');
    const fill = kiosk.db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const sealed = pool[i % pool.length] ?? pool[0];
        insertCheckin(kiosk.db, {
          id: nextId(nowMs - 7 * 86_400_000 + i),
          verdict: { ...verdict, decidedAt: nowMs - 7 * 86_400_000 + i },
          source: 'serial',
          venue: 'bench',
          device: kiosk.deviceKey.deviceId,
          lane: null,
          monotonicMs: i,
          bootId: 'bench',
          sealedSubject: sealed?.sealed ?? null,
          sealKeyId: sealed?.keyId ?? null,
          pseudonym: Buffer.alloc(16, i % 251),
        });
      }
    });
    for (let i = 0; i < toQueue; i += 50_000) fill(i, Math.min(toQueue, i + 50_000));
    const pending = kiosk.syncStatus().pendingCount;
    console.log(`queued ${pending} check-ins in ${((Date.now() - fillStarted) / 1000).toFixed(1)} s`);

    const hubDb = openHubDataDir(hubDir);
    addDevice(hubDb, parseDevicePublicKey(kiosk.deviceKey.publicKeyBase64), 'bench', Date.now());
    hubDb.close();
    const hub = await hubProcess(hubDir);
    const sync = createSyncClient({
      db: kiosk.db,
      deviceKey: kiosk.deviceKey,
      hubUrl: hub.url,
      upload: { maxRecords: 2000, maxBytes: 4 * 1024 * 1024, maxBatchAgeMs: 0, requestTimeoutMs: 60_000 },
    });
    const drainStarted = process.hrtime.bigint();
    const last = await sync.drainOnce(new AbortController().signal);
    const drainSeconds = Number(process.hrtime.bigint() - drainStarted) / 1e9;
    const hubCpuSeconds = await hub.stop();
    await sync.stop();
    const after = kiosk.syncStatus();
    if (last.kind !== 'idle' || after.pendingCount !== 0) {
      throw new Error(`the drain stopped early: ${JSON.stringify(last)}, ${after.pendingCount} still waiting`);
    }
    const stored = openHubDataDir(hubDir);
    const atHub = Number(stored.prepare('SELECT count(*) FROM checkins').pluck().get());
    stored.close();
    kiosk.close();
    if (atHub !== pending) throw new Error(`the hub holds ${atHub} check-ins, ${pending} were queued`);

    const commitsPerSecond = commits / commitSeconds;
    console.log(`drained ${pending} check-ins in ${drainSeconds.toFixed(1)} s (${Math.round(pending / drainSeconds)}/s); hub CPU ${hubCpuSeconds.toFixed(1)} s`);
    console.log(`target >= 2,000 commits/s with p99 <= 10 ms: ${commitsPerSecond >= 2000 && commit.p99 <= 10_000 ? 'met' : 'NOT met'}`);
    console.log(`target 1,000,000 drained in <= 60 s: ${pending >= 1_000_000 ? (drainSeconds <= 60 ? 'met' : 'NOT met') : 'not measured (fewer records)'}`);
    printFigures({
      bench: 'sync',
      commits,
      commits_per_s: Math.round(commitsPerSecond),
      commits_per_s_wall_with_checkpoints: Math.round(commits / wallSeconds),
      commit_p50_ms: Number((commit.p50 / 1000).toFixed(3)),
      commit_p99_ms: Number((commit.p99 / 1000).toFixed(3)),
      commit_max_ms: Number((commit.max / 1000).toFixed(3)),
      submit_scan_p99_ms: Number((scan.p99 / 1000).toFixed(3)),
      drain_records: pending,
      drain_s: Number(drainSeconds.toFixed(2)),
      drain_records_per_s: Math.round(pending / drainSeconds),
      hub_cpu_s: Number(hubCpuSeconds.toFixed(2)),
      hub_ingest_records_per_core_s: Math.round(pending / hubCpuSeconds),
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
