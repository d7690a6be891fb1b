// A real hub on loopback set up as an operator would (root key, venue and lane, key list, signer
// list, policy), and the kiosk's CLI run in-process against fresh data directories.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { captureIo } from '../../src/common/cli/cli-io.js';
import { runHubCli } from '../../src/hub/cli/main.js';
import { startHubServer, type RunningHub } from '../../src/hub/server.js';
import { openHubDataDir, type HubWritableDB } from '../../src/hub/store/hub-database.js';
import { runCli } from '../../src/main/cli/main.js';

export async function hubCli(...argv: string[]): Promise<Record<string, unknown>[]> {
  const io = captureIo();
  const code = await runHubCli(argv, io);
  if (code !== 0) throw new Error(`pccovid-hub ${argv.join(' ')} exited ${code}: ${io.stderr}`);
  return io.lines.out.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
}

export async function kioskCli(...argv: string[]): Promise<{ code: number; state: Record<string, unknown> | undefined; stderr: string }> {
  const io = captureIo();
  const code = await runCli(argv, io);
  const last = io.lines.out.filter((line) => line.startsWith('{')).at(-1);
  return { code, state: last === undefined ? undefined : (JSON.parse(last) as Record<string, unknown>), stderr: io.stderr };
}

export interface OperatorHub {
  hub: RunningHub;
  db: HubWritableDB;
  hubDir: string;
  publisherDir: string;
  rootFingerprint: string;
  /** A fresh one-time ticket (the QR code's text) for a kiosk at `venue` (none: unassigned). */
  ticket(venue?: string, extra?: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** `now`: the hub server's clock (Date.now unless given; a test moves it to skew the hub's time). */
export async function startOperatorHub(root: string, options: { now?: () => number } = {}): Promise<OperatorHub> {
  const hubDir = join(root, 'hub');
  const publisherDir = join(root, 'publisher');
  const [init] = await hubCli('init', '--dir', publisherDir);
  const db = openHubDataDir(hubDir);
  const hub = await startHubServer({ db, dataDir: hubDir, ...(options.now === undefined ? {} : { now: options.now }) });
  await hubCli('venue', 'add', '--data-dir', hubDir, '--id', 'HN-01', '--name', 'Nội Bài T2');
  await hubCli('venue', 'add', '--data-dir', hubDir, '--id', 'HN-01-L1', '--name', 'Lane 1', '--lane-of', 'HN-01');
  const policyFile = join(root, 'policy.json');
  writeFileSync(policyFile, JSON.stringify({ id: 'provision-e2e', outcomes: { green: 'admit', yellow: 'review', red: 'deny', unknown: 'review' } }));
  await hubCli('key-list', '--dir', publisherDir, '--out', join(root, 'keys.bundle'));
  await hubCli('policy', '--dir', publisherDir, '--policy', policyFile, '--out', join(root, 'policy.bundle'));
  await hubCli('publish', '--data-dir', hubDir, join(root, 'keys.bundle'), join(root, 'policy.bundle'));
  await hubCli('publish-signer-list', '--data-dir', hubDir, '--dir', publisherDir);
  return {
    hub,
    db,
    hubDir,
    publisherDir,
    rootFingerprint: String(init?.['rootFingerprint']),
    async ticket(venue, extra = []) {
      const [issued] = await hubCli('enrol-token', '--data-dir', hubDir, '--hub-url', hub.url, '--dir', publisherDir, '--no-qr', ...(venue === undefined ? [] : ['--venue', venue]), ...extra);
      return String(issued?.['ticket']);
    },
    async stop() {
      await hub.close();
      db.close();
    },
  };
}

/** Polls until `check` holds (bounded; the kiosk's loops are fast in tests). */
export async function eventually(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const FAST_SYNC = { backoff: { baseMs: 20, maxMs: 200 }, downloadIntervalMs: 200, idlePollMs: 50, keepAlive: false, upload: { maxBatchAgeMs: 0 } };
