import { describe, expect, it } from 'vitest';
import type { VerdictView } from '../common/ipc/contract.js';
import { REASON_MESSAGES } from '../common/types/reasons.js';
import { describeVerdict } from './verdict-display.js';

function verdict(overrides: Partial<VerdictView>): VerdictView {
  return {
    outcome: 'admit',
    readable: true,
    reasons: [],
    credentialKind: 'pc1',
    holder: null,
    status: null,
    decidedAt: 0,
    checkinId: 'c',
    ...overrides,
  };
}

describe('describeVerdict', () => {
  it('gives each outcome its own icon shape and words, not only a colour', () => {
    const admit = describeVerdict(verdict({ outcome: 'admit' }), 'vi');
    const deny = describeVerdict(verdict({ outcome: 'deny' }), 'vi');
    const review = describeVerdict(verdict({ outcome: 'review' }), 'vi');
    expect([admit.style.icon, deny.style.icon, review.style.icon]).toEqual(['✓', '✕', '!']);
    expect(admit.headline).toEqual({ primary: 'Được vào', secondary: 'Admitted' });
    expect(deny.headline.primary).not.toBe(admit.headline.primary);
    expect(review.headline.primary).not.toBe(deny.headline.primary);
  });

  it('puts the current language first', () => {
    expect(describeVerdict(verdict({ outcome: 'admit' }), 'en').headline).toEqual({
      primary: 'Admitted',
      secondary: 'Được vào',
    });
  });

  it('shows the reasons from the catalogue in the current language', () => {
    const display = describeVerdict(
      verdict({ outcome: 'deny', reasons: [{ code: 'signature_invalid', detail: 'Ed25519 check failed' }] }),
      'en',
    );
    expect(display.reasons).toEqual([{ code: 'signature_invalid', text: REASON_MESSAGES.signature_invalid.en }]);
  });

  it('says a sentence shared by several codes once', () => {
    const display = describeVerdict(
      verdict({ outcome: 'deny', readable: false, reasons: [{ code: 'base45_invalid' }, { code: 'zlib_invalid' }] }),
      'vi',
    );
    expect(display.reasons.map((reason) => reason.code)).toEqual(['base45_invalid']);
  });

  it('shows an unreadable scan as "could not read" in the deny style', () => {
    const display = describeVerdict(verdict({ outcome: 'review', readable: false, reasons: [{ code: 'unknown_format' }] }), 'vi');
    expect(display.style).toEqual({ outcome: 'deny', icon: '✕' });
    expect(display.headline).toEqual({ primary: 'Không đọc được', secondary: 'Could not read' });
  });

  it('keeps the masked holder when present', () => {
    const display = describeVerdict(verdict({ holder: { maskedName: 'N*** A', birthYear: '1990' } }), 'vi');
    expect(display.holder).toEqual({ maskedName: 'N*** A', birthYear: '1990' });
    expect(describeVerdict(verdict({}), 'vi').holder).toBeNull();
  });
});
