import { describe, expect, it } from 'vitest';
import { createScanTiming, DRAWN_MARK, FRAME_MARK, PAINT_MEASURE, SCAN_MARK, VERDICT_MARK, type PaintTimingHost } from './paint-timing.js';

function fakeHost(): { host: PaintTimingHost; log: string[]; frame: () => void; task: () => void } {
  const log: string[] = [];
  const frames: (() => void)[] = [];
  const tasks: (() => void)[] = [];
  const host: PaintTimingHost = {
    performance: {
      mark: (name: string) => {
        log.push(`mark ${name}`);
        return undefined as unknown as PerformanceMark;
      },
      measure: (name: string, start?: string | PerformanceMeasureOptions) => {
        log.push(`measure ${name} from ${String(start)}`);
        return undefined as unknown as PerformanceMeasure;
      },
      clearMarks: (name?: string) => void log.push(`clear ${String(name)}`),
      clearMeasures: (name?: string) => void log.push(`clear ${String(name)}`),
    },
    requestAnimationFrame: (callback) => frames.push(callback),
    postTask: (callback) => tasks.push(callback),
  };
  return { host, log, frame: () => frames.shift()?.(), task: () => tasks.shift()?.() };
}

describe('scan timing', () => {
  it('measures scan-to-paint in the task after the frame that renders the verdict, not at the frame', () => {
    const { host, log, frame, task } = fakeHost();
    const timing = createScanTiming(host);
    timing.scanReceived();
    timing.verdictReceived();
    timing.verdictDrawn(() => true);
    frame();
    expect(log.at(-1)).toBe(`mark ${FRAME_MARK}`);
    task();
    expect(log.filter((line) => !line.startsWith('clear'))).toEqual([
      `mark ${SCAN_MARK}`,
      `mark ${VERDICT_MARK}`,
      `mark ${DRAWN_MARK}`,
      `mark ${FRAME_MARK}`,
      `measure ${PAINT_MEASURE} from ${SCAN_MARK}`,
    ]);
  });

  it('keeps only the latest scan: entries cleared at each scan, a superseded scan measures nothing', () => {
    const { host, log, frame, task } = fakeHost();
    const timing = createScanTiming(host);
    timing.scanReceived();
    expect(log.filter((line) => line.startsWith('clear'))).toHaveLength(5);
    timing.verdictDrawn(() => false);
    frame();
    task();
    expect(log.some((line) => line.startsWith('measure') || line === `mark ${FRAME_MARK}`)).toBe(false);
  });
});
