// The DownloadTask that keeps the bundle store current: ask the hub for the index of what this
// device should hold (with the status head it has, so only newer deltas come), fetch each bundle
// not installed yet by its hash, and install it. The store verifies everything (signature, chain,
// dates); a refused bundle fails the task, and the loop retries with back-off. While the store
// compacts its status cache it answers status bundles 'busy': the pass stops there (the later
// deltas chain on that one) and reports 'busy', and the loop comes back sooner.
import { toHexString } from '../../common/bundle/bundle-types.js';
import { BUNDLE_PATH_PREFIX, bundleIndexPath, bundleIndexSchema, type BundleIndexEntry } from '../../common/sync/bundle-wire.js';
import type { BundleStore } from '../bundles/bundle-store.js';
import type { InstalledBundle, Manifest } from '../bundles/manifest.js';
import type { DownloadResult, DownloadTask } from './download-queue.js';
import type { HubTransport } from './hub-transport.js';
import { readHubErrorBody } from '../../common/sync/hub-error-body.js';

export interface BundleDownloadOptions {
  store: BundleStore;
  timeoutMs?: number;
  /** Told of each bundle installed (type, sequence). */
  onInstalled?: (entry: BundleIndexEntry) => void;
}

export class BundleDownloadError extends Error {
  constructor(
    readonly code: 'hub_refused' | 'index_malformed',
    message: string,
  ) {
    super(message);
    this.name = 'BundleDownloadError';
  }
}

function installedHashes(manifest: Manifest): Set<string> {
  const hashes = new Set<string>();
  const add = (bundle: InstalledBundle | null): void => {
    if (bundle !== null) hashes.add(toHexString(bundle.hash));
  };
  [manifest.keyList, manifest.signerList, manifest.policy, manifest.aliasMap, manifest.epochKeyHead, manifest.statusHead].forEach(add);
  manifest.epochKeys.forEach(add);
  if (manifest.status !== null) {
    add(manifest.status.snapshot);
    manifest.status.deltas.forEach(add);
  }
  return hashes;
}

function refused(what: string, status: number, body: Buffer): BundleDownloadError {
  // Not JSON, or no sentence: the status says enough.
  const error = readHubErrorBody(body.toString('utf8'));
  const detail = error?.message == null ? '' : `: ${error.code}: ${error.message}`;
  return new BundleDownloadError('hub_refused', `The hub answered ${status} to ${what}${detail}`);
}

export function createBundleDownloadTask(options: BundleDownloadOptions): DownloadTask {
  const timeoutMs = options.timeoutMs ?? 60_000;
  let lastIndex: { path: string; etag: string } | null = null;
  return {
    name: 'bundles',
    async run(hub: HubTransport, signal: AbortSignal): Promise<DownloadResult> {
      const since = options.store.installed().statusHead?.sequence ?? 0;
      const path = bundleIndexPath(since);
      const headers: Record<string, string> = lastIndex !== null && lastIndex.path === path ? { 'if-none-match': lastIndex.etag } : {};
      const answer = await hub.request({ method: 'GET', path, timeoutMs, signal, headers });
      if (answer.status === 304) return 'up-to-date';
      if (answer.status !== 200) throw refused('the bundle index request', answer.status, answer.body);
      let json: unknown;
      try {
        json = JSON.parse(answer.body.toString('utf8'));
      } catch {
        json = undefined;
      }
      const index = bundleIndexSchema.safeParse(json);
      if (!index.success) throw new BundleDownloadError('index_malformed', 'The hub sent a bundle index this kiosk cannot read; update the kiosk or the hub.');
      let installed = 0;
      let busy = false;
      const have = installedHashes(options.store.installed());
      for (const entry of index.data.bundles) {
        if (have.has(entry.hash)) continue;
        if (busy && (entry.type === 'status-snapshot' || entry.type === 'status-delta')) continue;
        const bundle = await hub.request({ method: 'GET', path: `${BUNDLE_PATH_PREFIX}${entry.hash}`, timeoutMs, signal });
        if (bundle.status !== 200) throw refused(`bundle ${entry.type} ${entry.sequence}`, bundle.status, bundle.body);
        const result = options.store.install(new Uint8Array(bundle.body.buffer, bundle.body.byteOffset, bundle.body.length));
        if (result.outcome === 'busy') {
          busy = true; // not installed: fetched again next pass
          continue;
        }
        installed += 1;
        options.onInstalled?.(entry);
      }
      // An index whose every bundle is installed is asked for again conditionally (304 while it
      // holds); after installs the status head moved, so the next index is a new one.
      lastIndex = installed === 0 && !busy && answer.etag !== undefined ? { path, etag: answer.etag } : null;
      if (busy) return 'busy';
      return installed > 0 ? 'installed' : 'up-to-date';
    },
  };
}
