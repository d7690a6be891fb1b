import { describe, expect, it } from 'vitest';
import { createKeyboardWedge, type KeyboardWedge, type WedgeResult } from './keyboard-wedge.js';

/** Feeds `keys` starting at `start`, `gapMs` apart; returns every non-'none' result. */
function feed(wedge: KeyboardWedge, keys: readonly string[], gapMs: number, start = 1000): WedgeResult[] {
  const results: WedgeResult[] = [];
  keys.forEach((key, index) => {
    const result = wedge.push({ key, at: start + index * gapMs });
    if (result.kind !== 'none') results.push(result);
  });
  return results;
}

const chars = (text: string): string[] => [...text];

describe('keyboard wedge', () => {
  it('turns a fast burst ending in Enter into one scan', () => {
    const wedge = createKeyboardWedge();
    expect(feed(wedge, [...chars('PC1:ABC123'), 'Enter'], 5)).toEqual([
      { kind: 'scan', text: 'PC1:ABC123', terminator: 'Enter' },
    ]);
  });

  it('also ends a scan on a Tab suffix', () => {
    const wedge = createKeyboardWedge();
    expect(feed(wedge, [...chars('HC1:XYZ'), 'Tab'], 10)).toEqual([
      { kind: 'scan', text: 'HC1:XYZ', terminator: 'Tab' },
    ]);
  });

  it('drops a slow typist whose keys are 300 ms apart', () => {
    const wedge = createKeyboardWedge();
    expect(feed(wedge, [...chars('PC1:ABC123'), 'Enter'], 300)).toEqual([]);
  });

  it('keeps only the fast burst that follows slow keys', () => {
    const wedge = createKeyboardWedge();
    expect(feed(wedge, chars('xyz'), 500, 0)).toEqual([]);
    // The last slow key was at 1000; the scanner starts 400 ms later.
    expect(feed(wedge, [...chars('CODE42'), 'Enter'], 3, 1400)).toEqual([
      { kind: 'scan', text: 'CODE42', terminator: 'Enter' },
    ]);
  });

  it('drops a burst when the Enter itself comes too late', () => {
    const wedge = createKeyboardWedge();
    const keys = chars('ABCDEFG');
    expect(feed(wedge, keys, 5)).toEqual([]);
    expect(wedge.push({ key: 'Enter', at: 1000 + keys.length * 5 + 200 })).toEqual({ kind: 'none' });
  });

  it('drops the whole burst when one gap inside it is too long', () => {
    const wedge = createKeyboardWedge();
    const results: WedgeResult[] = [];
    const times = [0, 5, 10, 200, 205, 210, 215];
    [...'ABCDEF', 'Enter'].forEach((key, index) => {
      const result = wedge.push({ key, at: times[index] ?? 0 });
      if (result.kind !== 'none') results.push(result);
    });
    // After the 190 ms gap only "DEF" is a burst, shorter than the minimum of 4.
    expect(results).toEqual([]);
  });

  it('ignores bursts shorter than the minimum length', () => {
    const wedge = createKeyboardWedge();
    expect(feed(wedge, [...chars('ABC'), 'Enter'], 5)).toEqual([]);
    expect(feed(wedge, [...chars('ABCD'), 'Enter'], 5, 5000)).toEqual([
      { kind: 'scan', text: 'ABCD', terminator: 'Enter' },
    ]);
  });

  it('honours a configured threshold and minimum length', () => {
    const wedge = createKeyboardWedge({ maxGapMs: 20, minLength: 2 });
    expect(feed(wedge, [...chars('ABCD'), 'Enter'], 30)).toEqual([]);
    expect(feed(wedge, [...chars('AB'), 'Enter'], 15, 9000)).toEqual([
      { kind: 'scan', text: 'AB', terminator: 'Enter' },
    ]);
  });

  it('lets Shift through inside a burst (scanners press it for capitals)', () => {
    const wedge = createKeyboardWedge();
    const keys = ['Shift', 'P', 'Shift', 'C', '1', 'Shift', ':', 'a', 'Enter'];
    expect(feed(wedge, keys, 4)).toEqual([{ kind: 'scan', text: 'PC1:a', terminator: 'Enter' }]);
  });

  it('breaks a burst on a named key such as Backspace', () => {
    const wedge = createKeyboardWedge();
    expect(feed(wedge, [...chars('ABCDE'), 'Backspace', 'Enter'], 5)).toEqual([]);
  });

  it('reports a burst longer than maxLength instead of truncating it', () => {
    const wedge = createKeyboardWedge({ maxLength: 8 });
    expect(feed(wedge, [...chars('0123456789'), 'Enter'], 2)).toEqual([{ kind: 'too_long', length: 10 }]);
    // The wedge is ready for the next scan afterwards.
    expect(feed(wedge, [...chars('ABCDE'), 'Enter'], 2, 9000)).toEqual([
      { kind: 'scan', text: 'ABCDE', terminator: 'Enter' },
    ]);
  });

  it('forgets a burst on reset()', () => {
    const wedge = createKeyboardWedge();
    expect(feed(wedge, chars('ABCDEF'), 5)).toEqual([]);
    wedge.reset();
    expect(wedge.push({ key: 'Enter', at: 1031 })).toEqual({ kind: 'none' });
  });

  it('treats a clock that goes backwards as a break, not as a burst', () => {
    const wedge = createKeyboardWedge();
    const results = [
      wedge.push({ key: 'A', at: 1000 }),
      wedge.push({ key: 'B', at: 1005 }),
      wedge.push({ key: 'C', at: 10 }),
      wedge.push({ key: 'D', at: 15 }),
      wedge.push({ key: 'Enter', at: 20 }),
    ];
    expect(results.every((result) => result.kind === 'none')).toBe(true);
  });

  it('splits off an AIM id the scanner prefixes, and reports it', () => {
    const wedge = createKeyboardWedge();
    expect(feed(wedge, [...chars(']Q1PC1:ABC'), 'Enter'], 3)).toEqual([{ kind: 'scan', text: 'PC1:ABC', terminator: 'Enter', symbology: ']Q1' }]);
  });

  it('does not take a held-down key for a scanner, however fast it repeats', () => {
    const wedge = createKeyboardWedge();
    const results: WedgeResult[] = [];
    // A person holds "a" (auto-repeat every 30 ms), then hits Enter.
    results.push(wedge.push({ key: 'a', at: 1000 }));
    for (let i = 1; i <= 12; i++) results.push(wedge.push({ key: 'a', at: 1500 + i * 30, repeat: true }));
    results.push(wedge.push({ key: 'Enter', at: 1900 }));
    expect(results.every((result) => result.kind === 'none')).toBe(true);
    // A real scan right after is still read.
    expect(feed(wedge, [...chars('PC1:OK'), 'Enter'], 4, 5000)).toEqual([{ kind: 'scan', text: 'PC1:OK', terminator: 'Enter' }]);
  });

  it('drops a burst that a held key interrupts', () => {
    const wedge = createKeyboardWedge();
    expect(feed(wedge, chars('PC1:AB'), 4)).toEqual([]);
    expect(wedge.push({ key: 'B', at: 1030, repeat: true })).toEqual({ kind: 'none' });
    expect(wedge.push({ key: 'Enter', at: 1034 })).toEqual({ kind: 'none' });
  });

  it('refuses nonsensical options', () => {
    expect(() => createKeyboardWedge({ maxGapMs: 0 })).toThrow(RangeError);
    expect(() => createKeyboardWedge({ minLength: 10, maxLength: 5 })).toThrow(RangeError);
  });
});
