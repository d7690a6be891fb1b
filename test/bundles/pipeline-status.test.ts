// A status change published by the hub reaches a verdict: the real publisher signs a snapshot and
// deltas, the real store installs them, and the real pipeline decides with the store's cache.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_VENUE_POLICY } from '../../src/common/types/policy.js';
import { BundleStore } from '../../src/main/bundles/bundle-store.js';
import { moduleLogger } from '../../src/main/log.js';
import { pc1Decoder } from '../../src/main/pipeline/decoders/pc1/pc1-decoder.js';
import { createPipeline, type PipelineState } from '../../src/main/pipeline/pipeline.js';
import { FIXED_NOW_MS, pipelineFixture, scanOf } from '../../src/main/pipeline/test-fixtures.js';
import { DAY_MS, idOf, recordOf, TestAuthority } from './test-authority.js';

const HOLDER = 'VN-ID:079190001234'; // the subject of the fixture's passes

describe('status bundles through the pipeline', () => {
  const fixture = pipelineFixture();
  const authority = new TestAuthority({ now: FIXED_NOW_MS - 3_600_000 });
  const store = BundleStore.open({
    dir: mkdtempSync(join(tmpdir(), 'pccovid-pipeline-bundles-')),
    rootKeys: authority.rootKeys,
    deviceKey: authority.device.privateKey,
    now: () => authority.clock.now,
  });
  store.install(authority.keyList());
  store.install(authority.epochKeyBundle());
  const validUntil = FIXED_NOW_MS + 7 * DAY_MS;
  store.install(
    authority.snapshot([
      { id: HOLDER, record: recordOf('green', validUntil) },
      ...Array.from({ length: 1000 }, (_, i) => ({ id: idOf(i), record: recordOf('green', validUntil) })),
    ]),
  );
  // Not a literal, so it fits PipelineState with or without optional stages added by others.
  const state = {
    decoders: [pc1Decoder],
    trust: fixture.trust,
    status: store.status,
    aliases: { resolve: () => undefined },
    policy: DEFAULT_VENUE_POLICY,
    now: () => FIXED_NOW_MS,
    logger: moduleLogger('test'),
  };
  const pipeline = createPipeline(state satisfies PipelineState);
  const greenPass = scanOf(fixture.pass({ status: 'green' }));

  it('admits from the cache, then denies the same green pass once a delta turns the holder red', () => {
    const before = pipeline.check(greenPass);
    expect(before.outcome).toBe('admit');
    expect(before.reasons.map((r) => r.code)).toContain('status_green');
    expect(before.reasons.map((r) => r.code)).not.toContain('status_from_pass');

    authority.clock.now = FIXED_NOW_MS - 1_800_000;
    store.install(authority.delta([{ id: HOLDER, record: { ...recordOf('red', validUntil), lastNegativeTestAt: null } }]));
    const after = pipeline.check(greenPass);
    expect(after.outcome).toBe('deny');
    expect(after.reasons.map((r) => r.code)).toContain('status_red');

    authority.clock.now = FIXED_NOW_MS - 600_000;
    store.install(authority.delta([{ id: HOLDER, record: recordOf('green', validUntil) }]));
    expect(pipeline.check(greenPass).outcome).toBe('admit');

    // Removed from the cache: the pass speaks for itself again, and the verdict says so.
    store.install(authority.delta([{ id: HOLDER, record: null }]));
    expect(pipeline.check(greenPass).reasons.map((r) => r.code)).toContain('status_from_pass');
  });

  it('lets the pipeline see how old the status data is', () => {
    expect(state.status.issuedAt).toBe(FIXED_NOW_MS - 600_000);
    const ages = state.status.freshness?.ages(FIXED_NOW_MS) ?? [];
    expect(ages.find((a) => a.type === 'status-snapshot')).toMatchObject({ ageMs: 3_600_000, stale: false });
    expect(ages.find((a) => a.type === 'status-delta')).toMatchObject({ ageMs: 600_000, stale: false });
    expect(state.status.freshness?.ageOf('status-delta', FIXED_NOW_MS + authority.validForMs)?.stale).toBe(true);
  });
});
