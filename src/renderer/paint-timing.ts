// Scan-to-paint timing of the kiosk screen, read by bench/ui.ts through the Performance API.
//
// "Painted" is timed the accepted way: a requestAnimationFrame callback, then a task posted from
// it (MessageChannel), which runs once that frame's style, layout and paint are done
// ("requestPostAnimationFrame"). Marks, in order, for one scan:
//   scan-received     the scanner's Enter (or the paste) reached the renderer
//   verdict-received  main's answer arrived (WebSocket or Electron IPC round trip, pipeline, log)
//   verdict-drawn     the DOM holds the verdict (and its sound was started)
//   verdict-frame     the next frame's requestAnimationFrame callback ran (its rendering starts)
// and the measure scan-to-paint, from scan-received to the task after that frame. (The rAF
// callback's own argument is the frame clock's tick, often earlier than the task that drew the
// verdict ran: it says when the frame was due, not when the main thread began it.)
// Only the latest scan's entries are kept, so nothing accumulates on a kiosk that runs for weeks.

export const SCAN_MARK = 'scan-received';
export const VERDICT_MARK = 'verdict-received';
export const DRAWN_MARK = 'verdict-drawn';
export const FRAME_MARK = 'verdict-frame';
export const PAINT_MEASURE = 'scan-to-paint';
export const TIMING_MARKS = [SCAN_MARK, VERDICT_MARK, DRAWN_MARK, FRAME_MARK] as const;

/** The parts of the browser this uses (injected in tests). */
export interface PaintTimingHost {
  performance: Pick<Performance, 'mark' | 'measure' | 'clearMarks' | 'clearMeasures'>;
  requestAnimationFrame: (callback: () => void) => unknown;
  /** Runs the callback in a task of its own, queued now (MessageChannel in a browser). */
  postTask: (callback: () => void) => void;
}

/** A task queued through a MessageChannel: not clamped like setTimeout, not run before the frame's rendering. */
export function messageChannelPostTask(): (callback: () => void) => void {
  const channel = new MessageChannel();
  const waiting: (() => void)[] = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return (callback) => {
    waiting.push(callback);
    channel.port2.postMessage(null);
  };
}

/**
 * `onFrame` runs in the next frame's requestAnimationFrame callbacks; `onPainted` in the first
 * task after that frame is rendered.
 */
export function afterNextPaint(host: PaintTimingHost, onFrame: () => void, onPainted: () => void): void {
  host.requestAnimationFrame(() => {
    onFrame();
    host.postTask(onPainted);
  });
}

export interface ScanTiming {
  scanReceived(): void;
  verdictReceived(): void;
  /** Marks verdict-drawn, then measures scan-to-paint after the next frame while `current()` holds. */
  verdictDrawn(current: () => boolean): void;
}

export function createScanTiming(host: PaintTimingHost): ScanTiming {
  const { performance } = host;
  return {
    scanReceived() {
      for (const name of TIMING_MARKS) performance.clearMarks(name);
      performance.clearMeasures(PAINT_MEASURE);
      performance.mark(SCAN_MARK);
    },
    verdictReceived() {
      performance.mark(VERDICT_MARK);
    },
    verdictDrawn(current) {
      performance.mark(DRAWN_MARK);
      // A newer scan cleared these marks: its own measure will be taken.
      afterNextPaint(
        host,
        () => {
          if (current()) performance.mark(FRAME_MARK);
        },
        () => {
          if (current()) performance.measure(PAINT_MEASURE, SCAN_MARK);
        },
      );
    },
  };
}
