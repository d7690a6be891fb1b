// The download side of the hub protocol: an index of the bundles a device should hold, then each
// bundle's bytes by hash. Both are signed device requests and both answer conditional requests
// (ETag / If-None-Match → 304 Not Modified).
import { z } from 'zod';
import { BUNDLE_TYPES } from '../bundle/bundle-types.js';

export const BUNDLE_INDEX_PATH = '/v1/bundles';
/** Bundle bytes: BUNDLE_PATH_PREFIX + bundle hash (64 lower-case hex digits). */
export const BUNDLE_PATH_PREFIX = '/v1/bundles/';
/** Query parameter of the index: the device's status head sequence; deltas after it are listed. */
export const STATUS_SINCE_PARAM = 'status-since';

export const bundleIndexEntrySchema = z
  .object({
    type: z.enum(BUNDLE_TYPES),
    sequence: z.number().int().positive(),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    epoch: z.number().int().nonnegative().nullable(),
    size: z.number().int().positive(),
  })
  .strict();
export type BundleIndexEntry = z.infer<typeof bundleIndexEntrySchema>;

/** Bundles in install order: key list, signer list, policy, epoch key, status, alias map. */
export const bundleIndexSchema = z.object({ bundles: z.array(bundleIndexEntrySchema) }).strict();
export type BundleIndex = z.infer<typeof bundleIndexSchema>;

export function bundleIndexPath(statusSince: number): string {
  return `${BUNDLE_INDEX_PATH}?${STATUS_SINCE_PARAM}=${statusSince}`;
}
