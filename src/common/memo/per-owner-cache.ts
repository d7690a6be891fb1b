// A value made once per (owner, key) and forgotten with its owner: prepared SQL statements per
// database connection, in the kiosk's store and the hub's alike.
const caches = new WeakMap<object, Map<string, unknown>>();

export function cachedPerOwner<T>(owner: object, key: string, make: () => T): T {
  let cache = caches.get(owner);
  if (cache === undefined) {
    cache = new Map();
    caches.set(owner, cache);
  }
  if (cache.has(key)) return cache.get(key) as T;
  const value = make();
  cache.set(key, value);
  return value;
}
