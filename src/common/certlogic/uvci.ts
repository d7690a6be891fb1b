// extractFromUVCI (SPEC.md "Extract data from an UCI"): the UCI is not checked against Annex 2 of
// the eHealth Network guidelines on purpose; it is only split on its separators.

const OPTIONAL_PREFIX = 'URN:UVCI:';
const SEPARATORS = /[/#:]/;

/**
 * The fragment at `index` (0-based) of a UCI split on "/", "#" and ":", after dropping an
 * optional "URN:UVCI:" prefix; null when there is no such fragment. "a::c/#/f" has 6 fragments:
 * "a", "", "c", "", "", "f".
 */
export function extractFromUvci(uvci: string, index: number): string | null {
  if (index < 0) return null;
  const withoutPrefix = uvci.startsWith(OPTIONAL_PREFIX) ? uvci.slice(OPTIONAL_PREFIX.length) : uvci;
  return withoutPrefix.split(SEPARATORS)[index] ?? null;
}
