// Before the pipeline, for hardware scans only: the same code read again within a few seconds
// is one person, not two (a phone held in front of a presentation scanner is re-read every
// second), and a device may not flood the kiosk (a stuck trigger, a looping serial line).
import type { ScanDisposition } from '../../common/ipc/device-view.js';

export interface ScanGateOptions {
  /** The same text within this many ms of its last sighting is a duplicate. Default 3000. */
  duplicateWindowMs?: number;
  /** Scans a device may send at once before the rate bound applies. Default 5. */
  burst?: number;
  /** Scans per second a device may sustain. Default 2. */
  perSecond?: number;
  /** Codes remembered for duplicate detection (oldest forgotten first). Default 64. */
  maxRemembered?: number;
}

export interface ScanGate {
  /** Whether a scan from this device goes on to the pipeline, and if not, why. */
  admit(deviceId: string, text: string, at: number): ScanDisposition;
}

export const DEFAULT_DUPLICATE_WINDOW_MS = 3000;

export function createScanGate(options: ScanGateOptions = {}): ScanGate {
  const windowMs = options.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS;
  const burst = options.burst ?? 5;
  const perSecond = options.perSecond ?? 2;
  const maxRemembered = options.maxRemembered ?? 64;
  if (!(windowMs >= 0) || !(burst >= 1) || !(perSecond > 0) || !(maxRemembered >= 1)) {
    throw new RangeError('scan gate: need duplicateWindowMs >= 0, burst >= 1, perSecond > 0, maxRemembered >= 1');
  }

  /** Text -> when it was last seen; Map order is oldest sighting first. */
  const lastSeen = new Map<string, number>();
  const buckets = new Map<string, { tokens: number; at: number }>();

  function remember(text: string, at: number): void {
    lastSeen.delete(text);
    lastSeen.set(text, at);
    for (const [oldText, seenAt] of lastSeen) {
      if (lastSeen.size <= maxRemembered && at - seenAt < windowMs) break;
      lastSeen.delete(oldText);
    }
  }

  function takeToken(deviceId: string, at: number): boolean {
    const bucket = buckets.get(deviceId) ?? { tokens: burst, at };
    const elapsed = Math.max(0, at - bucket.at);
    bucket.tokens = Math.min(burst, bucket.tokens + (elapsed / 1000) * perSecond);
    bucket.at = at;
    buckets.set(deviceId, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  return {
    admit(deviceId, text, at) {
      const seenAt = lastSeen.get(text);
      if (seenAt !== undefined && at - seenAt >= 0 && at - seenAt < windowMs) {
        // Still in front of the scanner: the window runs from the latest sighting.
        remember(text, at);
        return 'duplicate';
      }
      if (!takeToken(deviceId, at)) return 'rate_limited';
      remember(text, at);
      return 'submitted';
    },
  };
}
