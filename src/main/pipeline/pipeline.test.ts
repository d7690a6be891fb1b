import { describe, expect, it } from 'vitest';
import { DEFAULT_VENUE_POLICY } from '../../common/types/policy.js';
import { tamperedPass, untrustedIssuerPass } from '../demo/sample-passes.js';
import { moduleLogger } from '../log.js';
import { EMPTY_STATUS_CACHE, MemoryStatusCache } from '../status/memory-status-cache.js';
import { pc1Decoder } from './decoders/pc1/pc1-decoder.js';
import { createPipeline, type PipelineState } from './pipeline.js';
import { FIXED_NOW_MS, pipelineFixture, scanOf } from './test-fixtures.js';

describe('pipeline', () => {
  const fixture = pipelineFixture();
  const state: PipelineState = {
    decoders: [pc1Decoder],
    trust: fixture.trust,
    status: EMPTY_STATUS_CACHE,
    policy: DEFAULT_VENUE_POLICY,
    now: () => FIXED_NOW_MS,
    logger: moduleLogger('test'),
  };
  const pipeline = createPipeline(state);
  const check = (text: string) => pipeline.check(scanOf(text));

  it('admits a valid green pass, showing only a masked name', () => {
    const verdict = check(fixture.pass());
    expect(verdict).toMatchObject({
      outcome: 'admit',
      readable: true,
      credentialKind: 'pc1',
      status: 'green',
      holder: { maskedName: 'T*** T** B*** N***', birthYear: '1990' },
      decidedAt: FIXED_NOW_MS,
    });
  });

  it.each([
    ['yellow', 'review'],
    ['red', 'deny'],
    ['unknown', 'review'],
  ] as const)('sends a %s pass to %s', (status, outcome) => {
    expect(check(fixture.pass({ status })).outcome).toBe(outcome);
  });

  it('denies an expired pass with its reason', () => {
    const verdict = check(fixture.pass({ expired: true }));
    expect(verdict.outcome).toBe('deny');
    expect(verdict.reasons.map((r) => r.code)).toEqual(['expired']);
    expect(verdict.holder).toEqual({ maskedName: 'T*** T** B*** N***', birthYear: '1990' });
  });

  it('denies a forgery (red rewritten to green) on its signature', () => {
    const verdict = check(tamperedPass(fixture.authority, FIXED_NOW_MS));
    expect(verdict).toMatchObject({ outcome: 'deny', readable: true, reasons: [{ code: 'signature_invalid' }] });
    expect(verdict.holder).toBeNull();
  });

  it('denies a pass from an untrusted issuer', () => {
    expect(check(untrustedIssuerPass(fixture.authority, FIXED_NOW_MS)).reasons[0]?.code).toBe('unknown_issuer');
  });

  it('never admits a pass with any single character changed', () => {
    const pass = fixture.pass();
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
    for (let i = 4; i < pass.length; i++) {
      const replacement = alphabet[(alphabet.indexOf(pass.charAt(i)) + 7) % alphabet.length] ?? '0';
      const verdict = check(pass.slice(0, i) + replacement + pass.slice(i + 1));
      expect(verdict.outcome, `character ${i}`).toBe('deny');
    }
  });

  it('takes the status from the cache when it has one', () => {
    const cache = new MemoryStatusCache(new Uint8Array(32), FIXED_NOW_MS);
    cache.set('VN-ID:079190001234', { status: 'red', validUntil: FIXED_NOW_MS + 1000 });
    const withCache = createPipeline({ ...state, status: cache });
    expect(withCache.check(scanOf(fixture.pass({ status: 'green' }))).outcome).toBe('deny');
  });

  it('turns a bug inside a stage into a review verdict instead of a crash', () => {
    const broken = createPipeline({
      ...state,
      decoders: [{ name: 'broken', claims: () => true, decode: () => { throw new Error('boom'); } }],
    });
    expect(broken.check(scanOf('PC1:ANYTHING'))).toMatchObject({ outcome: 'review', reasons: [{ code: 'internal_error' }] });
  });
});
