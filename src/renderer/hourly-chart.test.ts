import { describe, expect, it } from 'vitest';
import { HOURLY_CHECKIN_HOURS } from '../common/ipc/contract.js';
import { hourBuckets } from './hourly-chart.js';

const HOUR = 3_600_000;
const FIRST = Date.UTC(2026, 10, 26, 18);

describe('hourBuckets', () => {
  it('gives one bucket per counted hour, oldest first, each starting an hour after the previous', () => {
    const counts = Array.from({ length: HOURLY_CHECKIN_HOURS }, (_, i) => i % 3);
    const buckets = hourBuckets({ firstHourStart: FIRST, counts });
    expect(buckets).toHaveLength(HOURLY_CHECKIN_HOURS);
    expect(buckets[0]).toEqual({ start: FIRST, count: 0 });
    expect(buckets.at(-1)).toEqual({ start: FIRST + 23 * HOUR, count: counts.at(-1) });
    expect(buckets.map((bucket) => bucket.count)).toEqual(counts);
  });
});
