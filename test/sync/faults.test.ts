// The sync client through a fault-injecting proxy to the real hub: refused connections, resets
// in the middle of a request or an answer, stalls, and 5xx half of the time. After recovery the
// queue drains and the hub holds every check-in exactly once.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HUB_TIME_PATH } from '../../src/common/sync/checkin-wire.js';
import type { OpenedKiosk } from '../../src/main/core/open-kiosk-core.js';
import { issueDemoPass } from '../../src/main/demo/demo-authority.js';
import { scanOf } from '../../src/main/pipeline/test-fixtures.js';
import type { DownloadTask } from '../../src/main/sync/download-queue.js';
import { createSyncClient } from '../../src/main/sync/sync-client.js';
import type { UploadRound } from '../../src/main/sync/upload-queue.js';
import { seededRandom, startFaultProxy, type Fault, type FaultProxy } from './fault-proxy.js';
import { FAST_BACKOFF, hubNonces, openTestKiosk, startTestHub, tempRoot } from './harness.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const SEED = Number(process.env['PCCOVID_FAULT_SEED'] ?? 20211001);

function allRowIds(kiosk: OpenedKiosk): string[] {
  return kiosk.db.prepare('SELECT id FROM checkins ORDER BY id').pluck().all() as string[];
}

async function until(condition: () => boolean, what: string, limitMs: number): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > limitMs) throw new Error(`gave up waiting for ${what} after ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A download that asks the hub for its time: a stand-in for bundle downloads (src/main/bundles). */
function hubTimeTask(onDone: () => void): DownloadTask {
  return {
    name: 'hub-time',
    async run(hub, signal) {
      const response = await hub.request({ method: 'GET', path: HUB_TIME_PATH, timeoutMs: 30_000, signal });
      if (response.status !== 200) throw new Error(`hub time: HTTP ${response.status}`);
      onDone();
      return 'up-to-date';
    },
  };
}

describe('upload through network faults', () => {
  it('drains exactly once after refusals, resets, stalls and 5xx half of the time', async () => {
    const hub = await startTestHub();
    cleanups.push(() => hub.stop());
    const kiosk = openTestKiosk(hub, join(tempRoot('faults'), 'kiosk'));
    cleanups.push(() => kiosk.close());
    hub.register(kiosk);

    const random = seededRandom(SEED);
    // Every fault once first, so each is exercised whatever the random draws; then at random.
    const everyFaultOnce: readonly Fault[] = [
      'error-503-before',
      'error-500-after',
      'reset-on-connect',
      'reset-mid-request',
      'reset-mid-response',
      'stall-then-close',
    ];
    const faulty = (connection: number): Fault => {
      const forced = everyFaultOnce[connection];
      if (forced !== undefined) return forced;
      const r = random();
      if (r < 0.25) return 'error-503-before';
      if (r < 0.5) return 'error-500-after';
      if (r < 0.6) return 'reset-on-connect';
      if (r < 0.7) return 'reset-mid-request';
      if (r < 0.8) return 'reset-mid-response';
      if (r < 0.85) return 'stall-then-close';
      return 'pass';
    };
    const proxy: FaultProxy = await startFaultProxy({ targetPort: hub.port, decide: faulty, stallMs: 1_500 });
    cleanups.push(() => proxy.close());

    const rounds: UploadRound[] = [];
    const sync = createSyncClient({
      db: kiosk.db,
      deviceKey: kiosk.deviceKey,
      hubUrl: proxy.url,
      // One connection per request, so the proxy's per-connection faults hit every request.
      keepAlive: false,
      upload: { maxRecords: 7, maxBatchAgeMs: 0, requestTimeoutMs: 800 },
      idlePollMs: 10,
      backoff: FAST_BACKOFF,
      random: seededRandom(SEED + 1),
      onUploadRound: (round) => rounds.push(round),
    });
    cleanups.push(() => sync.stop());
    sync.start();

    const passes = Array.from({ length: 12 }, (_, i) =>
      issueDemoPass(kiosk.demoAuthority, { nowMs: Date.now(), subjectId: `VN-ID:0791900${String(i).padStart(5, '0')}` }),
    );
    const shown: string[] = [];
    for (let i = 0; i < 240; i++) {
      shown.push(kiosk.submitScan(scanOf(passes[i % passes.length] ?? '')).checkinId);
      if (i % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 15));
    }
    await until(() => rounds.filter((r) => r.kind === 'failed').length >= 40, '40 failed rounds under faults', 60_000);
    // The hub's address stops answering at all for a while: connections are refused.
    const failedWith = (code: string): boolean => rounds.some((r) => r.kind === 'failed' && r.code === code);
    await proxy.down();
    await until(() => failedWith('ECONNREFUSED'), 'a refused connection', 20_000);
    await proxy.up();

    proxy.setDecide(() => 'pass');
    await until(() => kiosk.syncStatus().pendingCount === 0, 'the outbox to drain after recovery', 60_000);
    await sync.stop();

    const expected = allRowIds(kiosk);
    expect(expected).toEqual([...shown].sort());
    expect(hubNonces(hub.db)).toEqual(expected);
    expect(kiosk.syncStatus()).toMatchObject({ pendingCount: 0, parkedCount: 0, uploadedCount: 240 });
    // The faults really happened: a 500 after the hub stored a batch makes the kiosk resend it.
    const resent = hub.db.prepare('SELECT count(*) FROM checkin_batches WHERE deliveries > 1').pluck().get() as number;
    expect(resent).toBeGreaterThan(0);
    for (const fault of ['error-503-before', 'error-500-after', 'reset-on-connect', 'reset-mid-request', 'reset-mid-response', 'stall-then-close'] as const) {
      expect(proxy.counts.get(fault) ?? 0, fault).toBeGreaterThan(0);
    }
    const codes = new Set(rounds.flatMap((r) => (r.kind === 'failed' ? [r.code] : [])));
    expect(codes).toContain('ECONNREFUSED');
    expect(codes).toContain('timeout');
  }, 120_000);

  it('finishes an upload through a real 10 s stall, and downloads do not wait behind it', async () => {
    const hub = await startTestHub();
    cleanups.push(() => hub.stop());
    const kiosk = openTestKiosk(hub, join(tempRoot('stall'), 'kiosk'));
    cleanups.push(() => kiosk.close());
    hub.register(kiosk);
    // The first connection (the upload) stalls for 10 s, then goes through; every other passes.
    // Every connection may stall; only the upload's (a POST) does, once, for 10 s, then goes through.
    let uploadStalled = false;
    const proxy = await startFaultProxy({
      targetPort: hub.port,
      decide: () => 'stall-then-pass',
      stallMs: 10_000,
      stallIf: (first) => {
        if (uploadStalled || !first.subarray(0, 5).equals(Buffer.from('POST '))) return false;
        uploadStalled = true;
        return true;
      },
    });
    cleanups.push(() => proxy.close());

    const pass = issueDemoPass(kiosk.demoAuthority, { nowMs: Date.now() });
    const ids = [kiosk.submitScan(scanOf(pass)).checkinId, kiosk.submitScan(scanOf(pass)).checkinId];

    const events: string[] = [];
    const sync = createSyncClient({
      db: kiosk.db,
      deviceKey: kiosk.deviceKey,
      hubUrl: proxy.url,
      upload: { maxRecords: 10, maxBatchAgeMs: 0, requestTimeoutMs: 30_000 },
      idlePollMs: 20,
      backoff: FAST_BACKOFF,
      downloads: [hubTimeTask(() => events.push('download'))],
      downloadIntervalMs: 60_000,
      onUploadRound: (round) => {
        if (round.kind !== 'idle') events.push(`upload:${round.kind}`);
      },
    });
    cleanups.push(() => sync.stop());
    sync.start();
    await until(() => events.includes('upload:uploaded'), 'the stalled upload to finish', 30_000);
    await sync.stop();

    // The download went out and came back while the upload sat in the stall.
    expect(events[0]).toBe('download');
    expect(events).toContain('upload:uploaded');
    expect(events).not.toContain('upload:failed');
    expect(proxy.stalled).toBe(1);
    expect(hubNonces(hub.db)).toEqual([...ids].sort());
  }, 60_000);
});
