// The alias map (DESIGN.md, "Earlier apps' QR codes"): links the ids of one person, so that a
// code from a replaced app (APP:<app>:<id>) or a travel document (DOC:...) finds the unified
// subject's status (VN-ID:...). It ships in the status cache; until then it sits behind this
// interface, with an in-memory map the tests and the hub's import can fill.
import type { VerifiedCredential } from '../../common/types/credential.js';
import { isCanonicalSubjectId } from '../../common/types/subject-id.js';

export interface AliasLookup {
  /** The canonical id the given id is an alias of, or undefined when it is none. */
  resolve(id: string): string | undefined;
}

/** How many hops an alias may take (old app -> another old app -> unified subject). */
export const MAX_ALIAS_HOPS = 4;

export class MemoryAliasMap implements AliasLookup {
  private readonly targets = new Map<string, string>();

  constructor(entries: Iterable<readonly [alias: string, target: string]> = []) {
    for (const [alias, target] of entries) this.set(alias, target);
  }

  /** Links `alias` to `target`; both must be canonical ids and differ. */
  set(alias: string, target: string): void {
    if (!isCanonicalSubjectId(alias) || !isCanonicalSubjectId(target)) {
      throw new RangeError(`alias map entries link canonical subject ids, not "${alias}" -> "${target}"`);
    }
    if (alias === target) throw new RangeError(`"${alias}" cannot be an alias of itself`);
    this.targets.set(alias, target);
  }

  resolve(id: string): string | undefined {
    return this.targets.get(id);
  }

  get size(): number {
    return this.targets.size;
  }
}

/** A kiosk that has received no alias map yet. */
export const EMPTY_ALIAS_MAP: AliasLookup = { resolve: () => undefined };

/**
 * The subject's own ids, then every id the alias map resolves them to (following chains up to
 * MAX_ALIAS_HOPS, each id once, cycles ignored). Own ids come first: the status stage takes
 * the first id the cache knows.
 */
export function expandSubjectIds(subjectIds: readonly string[], aliases: AliasLookup): string[] {
  const seen = new Set(subjectIds);
  const expanded = [...subjectIds];
  let frontier: readonly string[] = subjectIds;
  for (let hop = 0; hop < MAX_ALIAS_HOPS && frontier.length > 0; hop++) {
    const next: string[] = [];
    for (const id of frontier) {
      const target = aliases.resolve(id);
      if (target === undefined || seen.has(target)) continue;
      seen.add(target);
      expanded.push(target);
      next.push(target);
    }
    frontier = next;
  }
  return expanded;
}

/** The verified credential with its subject ids extended by the alias map; unchanged when none resolve. */
export function withAliases(verified: VerifiedCredential, aliases: AliasLookup): VerifiedCredential {
  const subjectIds = expandSubjectIds(verified.credential.subjectIds, aliases);
  if (subjectIds.length === verified.credential.subjectIds.length) return verified;
  return { ...verified, credential: { ...verified.credential, subjectIds } };
}
