// An install killed at any point leaves the previous state whole: a child process installs a
// sequence of bundles (snapshot, deltas, a compaction, a newer snapshot) and is SIGKILLed at every
// progress event of every install in turn, at every progress event of the compaction (which runs
// in a worker thread, after the delta that started it is installed), then at random moments;
// after each death the store is opened and must be exactly one of the states the sequence passes
// through.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthStatus } from '../../src/common/types/credential.js';
import { toHexString } from '../../src/common/bundle/bundle-types.js';
import { BundleStore } from '../../src/main/bundles/bundle-store.js';
import { TEMP_MARK } from '../../src/main/bundles/durable-file.js';
import { COMPACTION_WORKER_BUNDLE } from '../../src/main/status/compaction-runner.js';
import { ALREADY_INSTALLED, type ChildPlan } from './install-child-plan.js';
import { DAY_MS, idOf, recordOf, TestAuthority } from './test-authority.js';

const SNAPSHOT_ENTRIES = 130_000; // about 1.1 MB: its file is written in two chunks
const PROBES = Array.from({ length: 40 }, (_, i) => i * 997);
const COMPACT_ABOVE = 1_500;
/** The bundle (the second delta) whose install takes the overlay past COMPACT_ABOVE. */
const COMPACTING_BUNDLE = 4;

const authority = new TestAuthority({ now: Date.now() });
const workDir = mkdtempSync(join(tmpdir(), 'pccovid-crash-'));
const childScript = join(workDir, 'install-child.mjs');
const bundles: string[] = [];
/** Expected status of each probe once the status stream's head is at a given sequence. */
const expectedByHead = new Map<number, Map<number, HealthStatus | undefined>>();

function statusesOf(version: number, count: number): Map<number, HealthStatus> {
  const statuses = new Map<number, HealthStatus>();
  for (let i = 0; i < count; i++) statuses.set(i, (['green', 'yellow', 'red'] as const)[(i + version) % 3] ?? 'green');
  return statuses;
}

function writeBundle(name: string, bytes: Uint8Array): void {
  const path = join(workDir, name);
  writeFileSync(path, bytes);
  bundles.push(path);
}

function prepareBundles(): void {
  const validUntil = authority.clock.now + 30 * DAY_MS;
  writeBundle('0-key-list', authority.keyList());
  writeBundle('1-epoch-key', authority.epochKeyBundle());
  let current = statusesOf(1, SNAPSHOT_ENTRIES);
  const snapshotOf = (statuses: Map<number, HealthStatus>) =>
    [...statuses].map(([i, status]) => ({ id: idOf(i), record: recordOf(status, validUntil) }));
  const remember = (sequence: number) => expectedByHead.set(sequence, new Map(PROBES.map((p) => [p, current.get(p)])));
  writeBundle('2-snapshot', authority.snapshot(snapshotOf(current)));
  remember(1);
  // Two deltas: the second takes the overlay past COMPACT_ABOVE, so its install compacts.
  for (const [sequence, from] of [
    [2, 0],
    [3, 1000],
  ] as const) {
    const changes = Array.from({ length: 1000 }, (_, k) => {
      const i = (from + k) * 7;
      const record = k % 10 === 0 ? null : recordOf('red', validUntil);
      return { id: idOf(i), record };
    });
    for (const { id, record } of changes) {
      const i = Number(id.slice(6)) - 790000000000;
      if (record === null) current.delete(i);
      else current.set(i, record.status);
    }
    writeBundle(`${sequence + 1}-delta`, authority.delta(changes));
    remember(sequence);
  }
  current = statusesOf(2, SNAPSHOT_ENTRIES);
  writeBundle('5-snapshot', authority.snapshot(snapshotOf(current)));
  remember(4);
  current.set(PROBES[1] ?? 0, 'red');
  writeBundle('6-delta', authority.delta([{ id: idOf(PROBES[1] ?? 0), record: recordOf('red', validUntil) }]));
  remember(5);
}

function planFor(dir: string, killAt: ChildPlan['killAt']): ChildPlan {
  return {
    dir,
    bundles,
    devicePem: authority.device.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    rootKeys: authority.rootKeys.map((k) => ({ kid: toHexString(k.kid), publicKey: toHexString(k.publicKey) })),
    compactAbove: COMPACT_ABOVE,
    killAt,
  };
}

interface ChildRun {
  signal: NodeJS.Signals | null;
  code: number | null;
  stdout: string;
  stderr: string;
}

function runChild(plan: ChildPlan, killAfterMs?: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childScript], {
      env: { ...process.env, PCCOVID_CHILD_PLAN: JSON.stringify(plan), PCCOVID_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Opens the store as a restarted kiosk would, and checks it is one whole state of the sequence. */
function expectWholeState(dir: string): number {
  const store = BundleStore.open({
    dir,
    rootKeys: authority.rootKeys,
    deviceKey: authority.device.privateKey,
    compactAbove: COMPACT_ABOVE,
  });
  expect(store.problems).toEqual([]);
  const manifest = store.installed();
  const head = manifest.statusHead?.sequence ?? 0;
  if (head > 0) {
    const expected = expectedByHead.get(head);
    expect(expected, `status head ${head}`).toBeDefined();
    for (const [probe, status] of expected ?? []) {
      expect(store.status.lookup([idOf(probe)])?.status, `probe ${probe} at head ${head}`).toBe(status);
    }
  } else {
    expect(store.statusCache).toBeNull();
  }
  if (manifest.epochKeyHead !== null) expect(manifest.keyList).not.toBeNull();
  // Leftovers of the killed install are gone, and every file left is one the manifest names.
  const files = readdirSync(join(dir, 'objects'));
  expect(files.filter((f) => f.includes(TEMP_MARK))).toEqual([]);
  expect(files.length).toBeLessThanOrEqual(6);
  const base = manifest.status?.base;
  expect(files.filter((f) => f.endsWith('.table'))).toEqual(base?.kind === 'table' ? [base.file] : []);
  return head;
}

describe('install killed midway', () => {
  let eventsPerBundle: number[] = [];
  let fullRunMs = 0;

  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  beforeAll(async () => {
    prepareBundles();
    await build({
      entryPoints: [join(import.meta.dirname, 'install-child.ts')],
      outfile: childScript,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'error',
      banner: { js: "import { createRequire as childRequire } from 'node:module'; const require = childRequire(import.meta.url);" },
    });
    // The compaction worker beside the child, as build/scripts/build.mjs puts it beside dist/cli.js.
    await build({
      entryPoints: [join(import.meta.dirname, '../../src/main/status/compaction-worker.ts')],
      outfile: join(workDir, COMPACTION_WORKER_BUNDLE),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'error',
    });
    const started = Date.now();
    const dry = await runChild(planFor(mkdtempSync(join(workDir, 'dry-')), null));
    fullRunMs = Date.now() - started;
    expect(dry.stderr).toBe('');
    eventsPerBundle = (JSON.parse(dry.stdout) as { events: number[] }).events;
  });

  it('installs the whole sequence when nobody kills it', () => {
    expect(eventsPerBundle.every((n) => n >= 4)).toBe(true);
    expect(eventsPerBundle[4]).toBeGreaterThan(eventsPerBundle[3] ?? 0); // the compaction's writes
  });

  it('keeps a whole state when killed at every step of every install, one kiosk dying over and over', async () => {
    const dir = mkdtempSync(join(workDir, 'steps-'));
    let kills = 0;
    const heads = new Set<number>();
    for (let bundle = 0; bundle < bundles.length; bundle++) {
      for (let event = 0; event < (eventsPerBundle[bundle] ?? 0); event++) {
        const run = await runChild(planFor(dir, { bundle, event }));
        if (run.code === ALREADY_INSTALLED) continue; // killed after its manifest last time
        expect(run.signal, `bundle ${bundle} event ${event}: ${run.stderr}`).toBe('SIGKILL');
        kills++;
        heads.add(expectWholeState(dir));
      }
    }
    expect(kills, `events per bundle: ${eventsPerBundle.join(", ")}`).toBeGreaterThanOrEqual(25);
    expect([...heads].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const finished = await runChild(planFor(dir, null));
    expect(finished.code).toBe(0);
    expect(expectWholeState(dir)).toBe(5);
  });

  it('keeps a whole state when killed at every step of the compaction a delta starts, and finishes it later', async () => {
    // A kiosk with the snapshot and the first delta, about to install the delta that compacts.
    const ready = mkdtempSync(join(workDir, 'ready-'));
    const upTo = bundles.slice(0, COMPACTING_BUNDLE);
    const prepared = await runChild({ ...planFor(ready, null), bundles: upTo });
    expect(prepared.code, prepared.stderr).toBe(0);
    const events = eventsPerBundle[COMPACTING_BUNDLE] ?? 0;
    const heads = new Set<number>();
    let compactedOnDisk = 0;
    for (let event = 0; event < events; event++) {
      const dir = mkdtempSync(join(workDir, `compact-${event}-`));
      cpSync(ready, dir, { recursive: true });
      const run = await runChild(planFor(dir, { bundle: COMPACTING_BUNDLE, event }));
      expect(run.signal, `event ${event}: ${run.stderr}`).toBe('SIGKILL');
      const head = expectWholeState(dir);
      heads.add(head);
      const store = BundleStore.open({ dir, rootKeys: authority.rootKeys, deviceKey: authority.device.privateKey, compactAbove: COMPACT_ABOVE });
      if (store.installed().status?.base.kind === 'table') compactedOnDisk++;
      // Restarted, the kiosk goes on to the end of the sequence.
      const finished = await runChild(planFor(dir, null));
      expect(finished.code, finished.stderr).toBe(0);
      expect(expectWholeState(dir)).toBe(5);
      rmSync(dir, { recursive: true, force: true });
    }
    // Killed before the delta's manifest (head 2) or after (head 3), with or without the table.
    expect([...heads].sort()).toEqual([2, 3]);
    expect(compactedOnDisk).toBeGreaterThanOrEqual(1);
    expect(compactedOnDisk).toBeLessThan(events);
  });

  it('keeps a whole state when killed at random moments', async () => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const dir = mkdtempSync(join(workDir, 'random-'));
    for (let i = 0; i < 12; i++) {
      await runChild(planFor(dir, null), Math.floor(random() * fullRunMs));
      expectWholeState(dir);
    }
  });
});
