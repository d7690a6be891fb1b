// The download task meets a store that is compacting its status cache: status bundles are
// answered 'busy' (nothing written, nothing applied), the task says 'busy', and the next pass
// installs each of them exactly once.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parseBundlePrefix } from '../../src/common/bundle/bundle-format.js';
import { toHexString } from '../../src/common/bundle/bundle-types.js';
import { DEFAULT_VENUE_POLICY } from '../../src/common/types/policy.js';
import { BUNDLE_INDEX_PATH, BUNDLE_PATH_PREFIX, type BundleIndexEntry } from '../../src/common/sync/bundle-wire.js';
import { sha256 } from '../../src/main/bundles/bundle-crypto.js';
import { BundleStore } from '../../src/main/bundles/bundle-store.js';
import { moduleLogger } from '../../src/main/log.js';
import { createBundleDownloadTask } from '../../src/main/sync/bundle-download.js';
import { BUSY_RETRY_MS, runDownloadLoop, type DownloadResult } from '../../src/main/sync/download-queue.js';
import type { HubRequest, HubResponse, HubTransport } from '../../src/main/sync/hub-transport.js';
import { DAY_MS, idOf, recordOf, TestAuthority } from './test-authority.js';

/** A hub that serves an index of the given bundles and each bundle by its hash. */
function fakeHub(bundles: Uint8Array[]): HubTransport {
  const byHash = new Map<string, Uint8Array>();
  const entries: BundleIndexEntry[] = bundles.map((bytes) => {
    const parsed = parseBundlePrefix(bytes, bytes.length);
    if (!parsed.ok) throw new Error(parsed.detail);
    const hash = toHexString(sha256(parsed.value.headerBytes));
    byHash.set(hash, bytes);
    const { header } = parsed.value;
    return { type: header.type, sequence: header.sequence, hash, epoch: header.epoch, size: bytes.length };
  });
  return {
    clockOffsetMs: 0,
    request(request: HubRequest): Promise<HubResponse> {
      if (request.path.startsWith(`${BUNDLE_INDEX_PATH}?`)) return Promise.resolve({ status: 200, body: Buffer.from(JSON.stringify({ bundles: entries })) });
      const bytes = byHash.get(request.path.slice(BUNDLE_PATH_PREFIX.length));
      return Promise.resolve(bytes === undefined ? { status: 404, body: Buffer.alloc(0) } : { status: 200, body: Buffer.from(bytes) });
    },
    close: () => undefined,
  };
}

describe('bundle download during a status compaction', () => {
  it('answers busy, installs the other streams, and installs each delta once on the next pass', async () => {
    const authority = new TestAuthority();
    const validUntil = authority.clock.now + 10 * DAY_MS;
    const store = BundleStore.open({
      dir: mkdtempSync(join(tmpdir(), 'pccovid-busy-')),
      rootKeys: authority.rootKeys,
      deviceKey: authority.device.privateKey,
      now: () => authority.clock.now,
      compactAbove: 5,
    });
    store.install(authority.keyList());
    store.install(authority.epochKeyBundle());
    store.install(authority.snapshot(Array.from({ length: 1_000 }, (_, i) => ({ id: idOf(i), record: recordOf('green', validUntil) }))));
    const changes = Array.from({ length: 10 }, (_, i) => ({ id: idOf(2_000 + i), record: recordOf('yellow', validUntil) }));
    expect(store.install(authority.delta(changes)).compacting).toBe(true);

    const policy = authority.policy({ ...DEFAULT_VENUE_POLICY, id: 'lane-2' });
    const deltas = [authority.delta([{ id: idOf(1), record: recordOf('red', validUntil) }]), authority.delta([{ id: idOf(2), record: null }])];
    const installed: string[] = [];
    const task = createBundleDownloadTask({ store, onInstalled: (entry) => installed.push(`${entry.type} ${entry.sequence}`) });
    const hub = fakeHub([policy, ...deltas]);
    const signal = new AbortController().signal;

    expect(await task.run(hub, signal)).toBe('busy');
    expect(installed).toEqual(['policy 1']);
    expect(store.installed().statusHead?.sequence).toBe(2);
    expect(store.status.lookup([idOf(1)])?.status).toBe('green');

    expect(await store.whenCompacted()).toBe(true);
    expect(await task.run(hub, signal)).toBe('installed');
    expect(installed).toEqual(['policy 1', 'status-delta 3', 'status-delta 4']);
    expect(store.status.lookup([idOf(1)])?.status).toBe('red');
    expect(store.status.lookup([idOf(2)])).toBeUndefined();
    expect(store.status.lookup([idOf(2_003)])?.status).toBe('yellow');
    expect(store.installed().status?.deltas.map((d) => d.sequence)).toEqual([3, 4]);
    expect(await task.run(hub, signal)).toBe('up-to-date');
  });

  it('comes back within BUSY_RETRY_MS after a busy pass, at its own interval otherwise', async () => {
    vi.useFakeTimers();
    try {
      const answers: DownloadResult[] = ['busy', 'installed', 'up-to-date'];
      const passes: number[] = [];
      const controller = new AbortController();
      const loop = runDownloadLoop(
        {
          tasks: [{ name: 'bundles', run: () => Promise.resolve(answers[passes.push(Date.now()) - 1] ?? 'up-to-date') }],
          transport: fakeHub([]),
          intervalMs: 3_600_000,
          backoff: { baseMs: 1_000, maxMs: 300_000 },
          logger: moduleLogger('test'),
        },
        controller.signal,
      );
      await vi.advanceTimersByTimeAsync(BUSY_RETRY_MS);
      expect(passes).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(BUSY_RETRY_MS);
      expect(passes).toHaveLength(2); // after 'installed': the normal interval
      controller.abort();
      await loop;
    } finally {
      vi.useRealTimers();
    }
  });
});
