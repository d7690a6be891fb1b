// Signed bundles served by the hub over HTTP and installed by the kiosk's download task: the real
// hub on loopback, the kiosk's transport and bundle store, no mocks.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromHexString } from '../../src/common/bundle/bundle-types.js';
import { captureIo } from '../../src/common/cli/cli-io.js';
import { runHubCli } from '../../src/hub/cli/main.js';
import { startHubServer, type RunningHub } from '../../src/hub/server.js';
import { openHubDataDir, type HubWritableDB } from '../../src/hub/store/hub-database.js';
import { BundleStore } from '../../src/main/bundles/bundle-store.js';
import { createBundleDownloadTask } from '../../src/main/sync/bundle-download.js';
import { deviceKeyFrom } from '../../src/main/sync/device-key.js';
import { createHubTransport, type HubTransport } from '../../src/main/sync/hub-transport.js';
import { tempRoot } from '../sync/harness.js';
import { enrolDevice, makeTestDevice, signedRequest, type TestDevice } from './signed-client.js';

async function hubCli(...argv: string[]): Promise<Record<string, unknown>[]> {
  const io = captureIo();
  const code = await runHubCli(argv, io);
  if (code !== 0) throw new Error(`pccovid-hub ${argv.join(' ')} exited ${code}: ${io.stderr}`);
  return io.lines.out.map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The kiosk's transport, with the status of every answer written down. */
function recordingTransport(hubUrl: string, device: TestDevice, statuses: number[]): HubTransport {
  const inner = createHubTransport({ hubUrl, deviceKey: deviceKeyFrom(device.signingKey), keepAlive: false });
  return {
    get clockOffsetMs() {
      return inner.clockOffsetMs;
    },
    set clockOffsetMs(value: number) {
      inner.clockOffsetMs = value;
    },
    async request(request) {
      const response = await inner.request(request);
      statuses.push(response.status);
      return response;
    },
    close: () => inner.close(),
  };
}

describe('bundles published by the hub, pulled by a kiosk', () => {
  const root = tempRoot('publish');
  const dataDir = join(root, 'hub');
  const publisherDir = join(root, 'publisher');
  const validUntil = new Date(Date.now() + 86_400_000).toISOString();
  const file = (name: string, lines: object[]): string => {
    const path = join(root, name);
    writeFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n'));
    return path;
  };
  const out = (name: string): string => join(root, name);
  let db: HubWritableDB;
  let hub: RunningHub;
  let rootKey: { kid: Uint8Array; publicKey: Uint8Array };

  beforeAll(async () => {
    const [init] = await hubCli('init', '--dir', publisherDir);
    rootKey = {
      kid: fromHexString(String(init?.['rootKid'])) ?? new Uint8Array(),
      publicKey: fromHexString(String(init?.['rootPublicKey'])) ?? new Uint8Array(),
    };
    db = openHubDataDir(dataDir);
    hub = await startHubServer({ db, dataDir });
  });
  afterAll(async () => {
    await hub.close();
    db.close();
    rmSync(root, { recursive: true, force: true });
  });

  async function enrolled(): Promise<TestDevice> {
    const [issued] = await hubCli('enrol-token', '--data-dir', dataDir, '--hub-url', hub.url, '--dir', publisherDir, '--no-qr');
    const ticket = JSON.parse(String(issued?.['ticket'])) as { token: string };
    const device = makeTestDevice();
    expect((await enrolDevice(hub.url, device, ticket.token)).status).toBe(200);
    return device;
  }

  it('installs key list, epoch key, snapshot and policy; then 304; then only the new delta; a status change flips the lookup', async () => {
    const device = await enrolled();
    const other = await enrolled();
    await hubCli('key-list', '--dir', publisherDir, '--out', out('keys.bundle'));
    // Epoch 1's key is made by sealing it to the enrolled devices; a snapshot of epoch 1 needs it.
    const sealed = await hubCli('publish-epoch-keys', '--data-dir', dataDir, '--dir', publisherDir, '--epoch', '1');
    expect(sealed.map((line) => line['deviceId']).sort()).toEqual([device.deviceId, other.deviceId].sort());
    await hubCli('status-snapshot', '--dir', publisherDir, '--epoch', '1', '--records', file('r.jsonl', [{ id: 'VN-ID:079190001234', status: 'green', doses: 2, validUntil }]), '--out', out('snap.bundle'));
    await hubCli('policy', '--dir', publisherDir, '--policy', file('p.json', [{ id: 'lane-1', outcomes: { green: 'admit', yellow: 'review', red: 'deny', unknown: 'deny' } }]), '--out', out('policy.bundle'));
    await hubCli('publish', '--data-dir', dataDir, out('keys.bundle'), out('snap.bundle'), out('policy.bundle'));

    const store = BundleStore.open({ dir: join(root, 'kiosk'), rootKeys: [rootKey], deviceKey: device.sealingPrivateKey });
    const statuses: number[] = [];
    const transport = recordingTransport(hub.url, device, statuses);
    const installed: string[] = [];
    const task = createBundleDownloadTask({ store, onInstalled: (entry) => installed.push(entry.type) });
    const signal = new AbortController().signal;
    try {
      expect(await task.run(transport, signal)).toBe('installed');
      expect(installed).toEqual(['key-list', 'policy', 'epoch-key', 'status-snapshot']);
      expect(store.status.lookup(['VN-ID:079190001234'])?.status).toBe('green');

      statuses.length = 0;
      expect(await task.run(transport, signal)).toBe('up-to-date');
      expect(await task.run(transport, signal)).toBe('up-to-date');
      expect(statuses).toEqual([200, 304]);

      await hubCli('status-delta', '--dir', publisherDir, '--epoch', '1', '--changes', file('c.jsonl', [{ id: 'VN-ID:079190001234', status: 'red', validUntil }]), '--out', out('delta.bundle'));
      // Publishing the same files again changes nothing.
      await hubCli('publish', '--data-dir', dataDir, out('snap.bundle'), out('delta.bundle'), out('delta.bundle'));
      installed.length = 0;
      expect(await task.run(transport, signal)).toBe('installed');
      expect(installed).toEqual(['status-delta']);
      expect(store.status.lookup(['VN-ID:079190001234'])?.status).toBe('red');
    } finally {
      transport.close();
    }

    // A device gets its own epoch key only: the other device's bundle is not served to it.
    const index = await signedRequest(hub.url, other, 'GET', '/v1/bundles?status-since=0');
    const otherEpochKey = (index.json?.['bundles'] as { type: string; hash: string }[]).find((b) => b.type === 'epoch-key');
    expect(otherEpochKey).toBeDefined();
    const stolen = await signedRequest(hub.url, device, 'GET', `/v1/bundles/${otherEpochKey?.hash ?? ''}`);
    expect(stolen.status).toBe(404);
    expect(stolen.json).toMatchObject({ error: { code: 'bundle_not_found' } });
    const own = await signedRequest(hub.url, other, 'GET', `/v1/bundles/${otherEpochKey?.hash ?? ''}`, { headers: { 'if-none-match': `"${otherEpochKey?.hash ?? ''}"` } });
    expect(own.status).toBe(304);
  });

  it('a revoked kiosk gets no bundles: the task fails with the hub\'s device_revoked sentence', async () => {
    const device = await enrolled();
    await hubCli('device', 'revoke', '--data-dir', dataDir, '--device', device.deviceId ?? '');
    const store = BundleStore.open({ dir: join(root, 'kiosk-revoked'), rootKeys: [rootKey], deviceKey: device.sealingPrivateKey });
    const transport = recordingTransport(hub.url, device, []);
    try {
      await expect(createBundleDownloadTask({ store }).run(transport, new AbortController().signal)).rejects.toThrow(/401.*device_revoked/);
    } finally {
      transport.close();
    }
  });
});
