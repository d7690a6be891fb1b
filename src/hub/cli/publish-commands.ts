// pccovid-hub publish and pccovid-hub publish-epoch-keys: what the hub server hands to devices.
// Bundles are signed by the publisher commands (main.ts) into files; `publish` puts them on the
// hub's shelf; `publish-epoch-keys` seals an epoch's key to every enrolled device and shelves each.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { toHexString } from '../../common/bundle/bundle-types.js';
import { encodeSealedEpochKey } from '../../common/bundle/epoch-key-payload.js';
import { createSqliteDeviceRegistry } from '../enrolment/device-registry.js';
import { shelveBundle } from '../publisher/bundle-shelf.js';
import { epochKeyOf, openPublisherDirectory } from '../publisher/publisher-directory.js';
import { bundleBytes } from '../publisher/publisher.js';
import { sealEpochKey } from '../publisher/seal-epoch-key.js';
import { keyIdOfRaw } from '../publisher/signing-key.js';
import { openHubDataDir } from '../store/hub-database.js';
import type { HubCliIo } from './ingest-commands.js';

export const PUBLISH_USAGE = `Serving bundles to devices:
  publish --data-dir D F.bundle...
                                Serve these signed bundles (any order of streams; within a stream
                                in the order they were signed). The same bundle twice is a no-op.
  publish-epoch-keys --data-dir D --dir P --epoch N [--valid-hours H]
                                Seal epoch N's key to every enrolled device and serve each. Run it
                                after enrolling devices and when an epoch starts.`;

export class PublishUsageError extends Error {
  override name = 'PublishUsageError';
}

export function publishCommand(argv: readonly string[], io: HubCliIo): number {
  const { values, positionals } = parseArgs({ args: [...argv], options: { 'data-dir': { type: 'string' } }, allowPositionals: true, strict: true });
  const dataDir = values['data-dir'];
  if (dataDir === undefined || positionals.length === 0) throw new PublishUsageError('publish needs --data-dir and at least one bundle file');
  const db = openHubDataDir(dataDir);
  try {
    for (const file of positionals) io.out(JSON.stringify({ file, ...shelveBundle(db, dataDir, readFileSync(file), Date.now()) }));
    return 0;
  } finally {
    db.close();
  }
}

export function publishEpochKeysCommand(argv: readonly string[], io: HubCliIo): number {
  const { values } = parseArgs({
    args: [...argv],
    options: { 'data-dir': { type: 'string' }, dir: { type: 'string' }, epoch: { type: 'string' }, 'valid-hours': { type: 'string' } },
    strict: true,
  });
  const dataDir = values['data-dir'];
  const dir = values.dir;
  const epoch = Number(values.epoch);
  const hours = values['valid-hours'] === undefined ? 24 * 30 : Number(values['valid-hours']);
  if (dataDir === undefined || dir === undefined) throw new PublishUsageError('publish-epoch-keys needs --data-dir and --dir');
  if (!Number.isSafeInteger(epoch) || epoch < 0) throw new PublishUsageError('--epoch must be a whole number');
  if (!Number.isFinite(hours) || hours <= 0) throw new PublishUsageError('--valid-hours must be more than 0');
  const db = openHubDataDir(dataDir);
  try {
    const directory = openPublisherDirectory(dir);
    const epochKey = epochKeyOf(dir, epoch, true);
    let sealed = 0;
    for (const device of createSqliteDeviceRegistry(db).activeSealingKeys()) {
      const bundle = directory.publisher.publish({
        type: 'epoch-key',
        payload: encodeSealedEpochKey(sealEpochKey(epochKey, epoch, device.sealing)),
        validForMs: hours * 3_600_000,
        epoch,
        device: keyIdOfRaw(device.sealing),
      });
      // The chain head is saved before the bundle is served: a crash between the two re-signs
      // with a higher sequence, never serves two bundles with one sequence.
      directory.save();
      const entry = shelveBundle(db, dataDir, bundleBytes(bundle), Date.now());
      io.out(JSON.stringify({ deviceId: device.deviceId, epoch, sequence: entry.sequence, hash: toHexString(bundle.hash) }));
      sealed += 1;
    }
    if (sealed === 0) io.err('pccovid-hub: no enrolled device has a sealing key yet; nothing was sealed.');
    return 0;
  } finally {
    db.close();
  }
}
