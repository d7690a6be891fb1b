import { describe, expect, it } from 'vitest';
import { createScanGate } from './scan-gate.js';

describe('scan gate', () => {
  it('lets a code through once, then suppresses it while it stays in front of the scanner', () => {
    const gate = createScanGate({ duplicateWindowMs: 3000 });
    expect(gate.admit('hid', 'PC1:A', 0)).toBe('submitted');
    // Re-read every second for ten seconds: the window runs from the latest sighting.
    for (let at = 1000; at <= 10_000; at += 1000) expect(gate.admit('hid', 'PC1:A', at)).toBe('duplicate');
    expect(gate.admit('hid', 'PC1:A', 13_001)).toBe('submitted');
  });

  it('treats the same code from another device as the same person', () => {
    const gate = createScanGate();
    expect(gate.admit('hid', 'PC1:A', 0)).toBe('submitted');
    expect(gate.admit('serial', 'PC1:A', 500)).toBe('duplicate');
    expect(gate.admit('serial', 'PC1:B', 600)).toBe('submitted');
  });

  it('bounds the rate of distinct codes per device, and refills', () => {
    const gate = createScanGate({ burst: 3, perSecond: 1 });
    const results = ['1', '2', '3', '4'].map((code) => gate.admit('serial', code, 0));
    expect(results).toEqual(['submitted', 'submitted', 'submitted', 'rate_limited']);
    // Another device has its own allowance.
    expect(gate.admit('hid', '5', 0)).toBe('submitted');
    expect(gate.admit('serial', '6', 999)).toBe('rate_limited');
    expect(gate.admit('serial', '7', 2000)).toBe('submitted');
  });

  it('does not remember a rate-limited code as seen', () => {
    const gate = createScanGate({ burst: 1, perSecond: 1 });
    expect(gate.admit('serial', 'A', 0)).toBe('submitted');
    expect(gate.admit('serial', 'B', 10)).toBe('rate_limited');
    expect(gate.admit('serial', 'B', 1500)).toBe('submitted');
  });

  it('remembers a bounded number of codes', () => {
    const gate = createScanGate({ maxRemembered: 2, burst: 100, duplicateWindowMs: 60_000 });
    expect(gate.admit('d', 'A', 0)).toBe('submitted');
    expect(gate.admit('d', 'B', 1)).toBe('submitted');
    expect(gate.admit('d', 'C', 2)).toBe('submitted');
    // A, the oldest, was forgotten to keep two.
    expect(gate.admit('d', 'A', 3)).toBe('submitted');
    expect(gate.admit('d', 'C', 4)).toBe('duplicate');
  });

  it('does not take a clock that went backwards for a duplicate', () => {
    const gate = createScanGate();
    expect(gate.admit('d', 'A', 10_000)).toBe('submitted');
    expect(gate.admit('d', 'A', 5_000)).toBe('submitted');
  });

  it('refuses nonsensical options', () => {
    expect(() => createScanGate({ burst: 0 })).toThrow(RangeError);
    expect(() => createScanGate({ perSecond: 0 })).toThrow(RangeError);
  });
});
