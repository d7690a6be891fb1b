// checkins:hourly end to end in main: request validated, counted in SQL by the real core, answer
// matching the contract's schema. The hour arithmetic itself: store/queries/hourly-checkins.test.ts.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hourlyCheckinsSchema } from '../../common/ipc/contract.js';
import { openKioskCore } from '../core/open-kiosk-core.js';
import { issueDemoPass } from '../demo/demo-authority.js';
import { moduleLogger } from '../log.js';
import { FIXED_NOW_MS, scanOf } from '../pipeline/test-fixtures.js';
import { handleIpcRequest } from './handle-request.js';

describe('checkins:hourly', () => {
  it('answers 24 hours counted by the core, an overridden review counted once', () => {
    const kiosk = openKioskCore({ dataDir: join(mkdtempSync(join(tmpdir(), 'pccovid-hourly-')), 'data'), now: () => FIXED_NOW_MS });
    try {
      const logger = moduleLogger('test');
      kiosk.submitScan(scanOf(issueDemoPass(kiosk.demoAuthority, { nowMs: FIXED_NOW_MS })));
      const review = kiosk.submitScan(scanOf(issueDemoPass(kiosk.demoAuthority, { nowMs: FIXED_NOW_MS, status: 'yellow', subjectId: 'VN-ID:079190009999' })));
      expect(review.outcome).toBe('review');
      expect(kiosk.overrideCheckin({ checkinId: review.checkinId, outcome: 'admit', reason: 'documents seen' })).toMatchObject({ result: 'overridden' });

      const answer = handleIpcRequest(kiosk, 'checkins:hourly', {}, logger, () => FIXED_NOW_MS);
      expect(answer.ok).toBe(true);
      const hourly = hourlyCheckinsSchema.parse(answer.ok ? answer.value : undefined);
      expect(hourly.counts.at(-1)).toBe(2);
      expect(hourly.counts.reduce((sum, n) => sum + n, 0)).toBe(2);
      expect(handleIpcRequest(kiosk, 'checkins:hourly', { hours: 48 }, logger)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    } finally {
      kiosk.close();
    }
  });
});
