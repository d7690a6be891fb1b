import { describe, expect, it } from 'vitest';
import { CHART_HOURS, hourlyCounts } from './hourly-chart.js';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 10, 27, 17, 30);

describe('hourlyCounts', () => {
  it('gives 24 buckets, oldest first, the current hour last', () => {
    const buckets = hourlyCounts([], NOW);
    expect(buckets).toHaveLength(CHART_HOURS);
    expect(buckets.at(-1)?.start).toBe(Date.UTC(2026, 10, 27, 17));
    expect(buckets[0]?.start).toBe(Date.UTC(2026, 10, 26, 18));
  });

  it('counts each check-in in its hour and leaves out older or future ones', () => {
    const at = [NOW, NOW - 10 * 60_000, NOW - HOUR, NOW - 23 * HOUR, NOW - 24 * HOUR, NOW + HOUR];
    const buckets = hourlyCounts(at.map((value) => ({ at: value })), NOW);
    expect(buckets.at(-1)?.count).toBe(2);
    expect(buckets.at(-2)?.count).toBe(1);
    expect(buckets.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(4);
  });
});
