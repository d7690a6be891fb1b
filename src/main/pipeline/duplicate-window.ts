// Stateful, in main: the same code scanned again within the policy's window is the same
// check-in ("already checked in"), not a second row. Kept in memory only, for minutes, and keyed
// by a pseudonym of the code (HMAC with a key made at start and never stored), never the code's
// text: a memory dump does not list who came in.
import { createHmac, randomBytes } from 'node:crypto';
import type { VerdictView } from '../../common/ipc/contract.js';
import type { Outcome } from '../../common/types/verdict.js';
import { stripScannerArtefacts } from './decode.js';

const PSEUDONYM_BYTES = 16;
export const DEFAULT_MAX_REMEMBERED = 4096;

export interface RememberedCheckin {
  view: VerdictView;
  /** When it was checked in (ms). */
  at: number;
}

export interface DuplicateWindowOptions {
  /** HMAC key of the pseudonyms; default: 32 random bytes per process. */
  key?: Uint8Array;
  /** Codes remembered at most (the oldest are forgotten first). */
  maxEntries?: number;
}

export class DuplicateWindow {
  private readonly key: Uint8Array;
  private readonly maxEntries: number;
  /** Pseudonym -> check-in; Map order is oldest first. */
  private readonly entries = new Map<string, RememberedCheckin>();

  constructor(options: DuplicateWindowOptions = {}) {
    this.key = options.key ?? randomBytes(32);
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_REMEMBERED;
    if (!(this.maxEntries >= 1) || this.key.length < 16) throw new RangeError('duplicate window: needs maxEntries >= 1 and a key of at least 16 bytes');
  }

  /** The pseudonym of a code as scanned: scanner artefacts (AIM id, CR/LF) do not change it. */
  pseudonymOf(text: string): string {
    return createHmac('sha256', this.key).update(stripScannerArtefacts(text), 'utf8').digest().subarray(0, PSEUDONYM_BYTES).toString('base64url');
  }

  /** The check-in of this code within the last `windowMs` before `nowMs`, if any. */
  find(pseudonym: string, nowMs: number, windowMs: number): RememberedCheckin | undefined {
    const entry = this.entries.get(pseudonym);
    if (entry === undefined) return undefined;
    // A clock stepped back is not a reason to call a scan a repeat.
    return nowMs >= entry.at && nowMs - entry.at < windowMs ? entry : undefined;
  }

  remember(pseudonym: string, view: VerdictView, nowMs: number, windowMs: number): void {
    this.entries.delete(pseudonym);
    this.entries.set(pseudonym, { view, at: nowMs });
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && nowMs - entry.at < windowMs) break;
      this.entries.delete(key);
    }
  }

  /** A staff override changes what a repeat of that code shows. */
  overridden(checkinId: string, outcome: Outcome): void {
    for (const entry of this.entries.values()) {
      if (entry.view.checkinId === checkinId) entry.view = { ...entry.view, outcome };
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
