// kill -9 the kiosk process at random points while it scans and uploads (200 times here, 1,000
// in `npm run soak`), restart it, and at the end drain: every check-in id the kiosk printed (so
// reported to a screen) is at the hub exactly once, nothing else is, and both databases pass
// PRAGMA integrity_check.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKioskCore } from '../../src/main/core/open-kiosk-core.js';
import { openWritableDatabase } from '../../src/main/store/database.js';
import { seededRandom } from './fault-proxy.js';
import { startTestHub, tempRoot, type TestHub } from './harness.js';

const KILLS = Number(process.env['PCCOVID_CRASH_KILLS'] ?? 200);
const LANES = Number(process.env['PCCOVID_CRASH_LANES'] ?? 4);
const SEED = Number(process.env['PCCOVID_CRASH_SEED'] ?? 6021);
// Bundled once, inside the repository so that its packages resolve from node_modules.
const SCRIPT = join(import.meta.dirname, '..', '..', 'node_modules', '.cache', 'pccovid-test', `kiosk-process-${process.pid}.mjs`);

interface Run {
  printed: string[];
  stdout: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

function runKiosk(args: string[], killAfterReadyMs: number | null): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PCCOVID_LOG_LEVEL: 'silent' } });
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      if (killAfterReadyMs !== null && timer === undefined && stdout.includes('ready\n')) {
        timer = setTimeout(() => child.kill('SIGKILL'), killAfterReadyMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      if (timer !== undefined) clearTimeout(timer);
      if (signal !== 'SIGKILL' && code !== 0) {
        reject(new Error(`kiosk process exited with ${code}: ${stderr.slice(0, 2000)}`));
        return;
      }
      // Only whole lines count: a line cut by the kill was never fully reported.
      const lines = stdout.split('\n');
      lines.pop();
      resolve({ printed: lines.filter((line) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(line)), stdout, code, signal });
    });
  });
}

let hub: TestHub;

beforeAll(async () => {
  mkdirSync(join(SCRIPT, '..'), { recursive: true });
  await build({
    entryPoints: [join(import.meta.dirname, 'kiosk-process.ts')],
    outfile: SCRIPT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  hub = await startTestHub();
});

afterAll(async () => {
  await hub.stop();
  rmSync(SCRIPT, { force: true });
});

describe('kill -9 while scanning and uploading', () => {
  it(`loses and duplicates nothing over ${KILLS} kills`, async () => {
    const random = seededRandom(SEED);
    const root = tempRoot('crash');
    const lanes = Array.from({ length: LANES }, (_, lane) => {
      const dataDir = join(root, `kiosk-${lane}`);
      // First start in-process: makes the device key, which the hub is told about.
      const kiosk = openKioskCore({ dataDir, authorityKeyDir: hub.dataDir });
      const deviceId = hub.register(kiosk);
      kiosk.close();
      return { dataDir, deviceId, printed: [] as string[], kills: 0 };
    });

    const perLane = Math.ceil(KILLS / LANES);
    await Promise.all(
      lanes.map(async (lane, index) => {
        for (let i = 0; i < perLane; i++) {
          const killAfter = Math.floor(random() * 250);
          const run = await runKiosk(['scan', lane.dataDir, hub.dataDir, hub.url, String(SEED + index * 100_000 + i)], killAfter);
          expect(run.signal, `lane ${index} run ${i} should have been killed`).toBe('SIGKILL');
          lane.printed.push(...run.printed);
          lane.kills++;
        }
      }),
    );

    let printedTotal = 0;
    for (const lane of lanes) {
      const drained = await runKiosk(['drain', lane.dataDir, hub.dataDir, hub.url, '1'], null);
      expect(drained.stdout).toContain('drained 0 0');
      const kioskDb = openWritableDatabase(join(lane.dataDir, 'kiosk.db'));
      expect(kioskDb.pragma('integrity_check', { simple: true })).toBe('ok');
      const logged = kioskDb.prepare('SELECT id FROM checkins ORDER BY id').pluck().all() as string[];
      kioskDb.close();
      const atHub = hub.db.prepare('SELECT nonce FROM checkins WHERE device_id = ? ORDER BY nonce').pluck().all(lane.deviceId) as string[];
      // Everything the kiosk logged is at the hub, once; every id it reported is among them.
      expect(atHub).toEqual(logged);
      const atHubSet = new Set(atHub);
      expect(lane.printed.filter((id) => !atHubSet.has(id))).toEqual([]);
      expect(new Set(lane.printed).size).toBe(lane.printed.length);
      printedTotal += lane.printed.length;
    }
    expect(lanes.reduce((n, lane) => n + lane.kills, 0)).toBeGreaterThanOrEqual(KILLS);
    expect(printedTotal).toBeGreaterThan(KILLS);
    expect(hub.db.pragma('integrity_check', { simple: true })).toBe('ok');
  }, 15 * 60_000);
});
