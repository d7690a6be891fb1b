import { describe, expect, it } from 'vitest';
import { DEFAULT_VENUE_POLICY } from '../../common/types/policy.js';
import { tamperedPass, untrustedIssuerPass } from '../demo/sample-passes.js';
import { moduleLogger } from '../log.js';
import { EMPTY_STATUS_CACHE, MemoryStatusCache } from '../status/memory-status-cache.js';
import { EMPTY_ALIAS_MAP, MemoryAliasMap } from './alias.js';
import {
  NGOC_CITIZEN_ID,
  NGOC_QID,
  NGOC_VHD_CODE,
  SAMPLE_CCCD,
  SAMPLE_PCCOVID_V1_MASKED,
  SAMPLE_TD3,
  SAMPLE_VHD,
} from './decoders/identity-samples.js';
import { pc1Decoder } from './decoders/pc1/pc1-decoder.js';
import { createDecoderRegistry } from './decoders/registry.js';
import { createPipeline, type PipelineState } from './pipeline.js';
import { FIXED_NOW_MS, pipelineFixture, scanOf } from './test-fixtures.js';

describe('pipeline', () => {
  const fixture = pipelineFixture();
  const state: PipelineState = {
    decoders: [pc1Decoder],
    trust: fixture.trust,
    status: EMPTY_STATUS_CACHE,
    aliases: EMPTY_ALIAS_MAP,
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

describe('pipeline: the earlier apps\' codes and identity documents', () => {
  const fixture = pipelineFixture();
  const NGOC = `VN-ID:${NGOC_CITIZEN_ID}`;
  const OLD_VHD = `APP:vhd:${NGOC_VHD_CODE}`;
  const OLD_QID = `APP:pccovid-v1:${NGOC_QID}`;

  function pipelineWith(status: 'green' | 'red' | null, aliases: [string, string][]) {
    const cache = new MemoryStatusCache(new Uint8Array(32), FIXED_NOW_MS - 3_600_000);
    if (status !== null) cache.set(NGOC, { status, validUntil: FIXED_NOW_MS + 86_400_000 });
    return createPipeline({
      decoders: createDecoderRegistry({ now: () => FIXED_NOW_MS }),
      trust: fixture.trust,
      status: cache,
      aliases: new MemoryAliasMap(aliases),
      policy: DEFAULT_VENUE_POLICY,
      now: () => FIXED_NOW_MS,
      logger: moduleLogger('test'),
    });
  }

  it.each([
    ['health-declaration code', SAMPLE_VHD, OLD_VHD],
    ['masked PC-Covid v1.1 personal QR', SAMPLE_PCCOVID_V1_MASKED, OLD_QID],
  ])("decides an old %s by the cache entry of the VN-ID its app id is an alias of", (_name, code, oldId) => {
    const red = pipelineWith('red', [[oldId, NGOC]]).check(scanOf(code));
    expect(red).toMatchObject({ outcome: 'deny', readable: true, status: 'red', reasons: [{ code: 'status_red' }] });
    const green = pipelineWith('green', [[oldId, NGOC]]).check(scanOf(code));
    expect(green).toMatchObject({ outcome: 'admit', status: 'green', holder: { maskedName: expect.any(String) as unknown, birthYear: '1990' } });
  });

  it('knows nothing of an old code whose id the alias map does not link: staff decide', () => {
    const verdict = pipelineWith('green', []).check(scanOf(SAMPLE_VHD));
    expect(verdict).toMatchObject({ outcome: 'review', status: 'unknown', reasons: [{ code: 'status_unknown' }] });
  });

  it('follows an old app id through another old app id to the unified subject', () => {
    const verdict = pipelineWith('red', [[OLD_VHD, OLD_QID], [OLD_QID, NGOC]]).check(scanOf(SAMPLE_VHD));
    expect(verdict.outcome).toBe('deny');
  });

  it('decides a citizen ID card by the cache entry of its VN-ID, without any alias', () => {
    expect(pipelineWith('red', []).check(scanOf(SAMPLE_CCCD))).toMatchObject({ outcome: 'deny', credentialKind: 'cccd' });
    expect(pipelineWith('green', []).check(scanOf(SAMPLE_CCCD))).toMatchObject({ outcome: 'admit', credentialKind: 'cccd' });
  });

  it('sends a passport nobody linked to staff, with its holder', () => {
    expect(pipelineWith('green', []).check(scanOf(SAMPLE_TD3))).toMatchObject({
      outcome: 'review',
      credentialKind: 'mrz',
      holder: { maskedName: 'E**** M*********', birthYear: '1983' },
    });
  });

  it('denies a CCCD whose id does not match its holder, with a reason a guard understands', () => {
    const verdict = pipelineWith('green', []).check(scanOf(SAMPLE_CCCD.replace('|Nữ|', '|Nam|')));
    expect(verdict).toMatchObject({ outcome: 'deny', readable: false, reasons: [{ code: 'citizen_id_invalid' }] });
  });
});
