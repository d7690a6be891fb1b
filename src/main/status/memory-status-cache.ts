// A status cache held in memory, keyed as DESIGN.md prescribes. The country-scale on-disk cache
// (issue 4) implements the same StatusLookup.
import type { StatusEntry, StatusLookup } from '../pipeline/status.js';
import { subjectKey } from './subject-key.js';

export class MemoryStatusCache implements StatusLookup {
  private readonly entries = new Map<bigint, StatusEntry>();

  constructor(
    private readonly epochKey: Uint8Array,
    readonly issuedAt: number | null,
  ) {}

  set(canonicalId: string, entry: StatusEntry): void {
    this.entries.set(subjectKey(this.epochKey, canonicalId), entry);
  }

  lookup(subjectIds: readonly string[]): StatusEntry | undefined {
    for (const id of subjectIds) {
      const entry = this.entries.get(subjectKey(this.epochKey, id));
      if (entry !== undefined) return entry;
    }
    return undefined;
  }
}

/** The cache of a kiosk that has received no status data yet. */
export const EMPTY_STATUS_CACHE: StatusLookup = { lookup: () => undefined, issuedAt: null };
