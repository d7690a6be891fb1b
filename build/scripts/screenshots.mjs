// npm run screenshots: runs the screen tests (test/e2e/screens.e2e.test.ts, the provisioning
// wizard's and the camera's: Chromium through the web shell), then copies the screenshots they took into docs/screenshots/ for the README, at
// half size (a 2x2 box filter: 640x400) so that the repository stays small. Only PNGs written
// by this run are copied; a screen missing from it fails the script.
//   node build/scripts/screenshots.mjs [--no-test]   (--no-test: copy what the last run left)
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const from = join(root, 'test-results', 'screenshots');
const to = join(root, 'docs', 'screenshots');

/** The tests that take the screenshots below. */
const SCREEN_TESTS = ['test/e2e/screens.e2e.test.ts', 'test/e2e/provision-wizard.e2e.test.ts', 'test/e2e/camera.e2e.test.ts'];

/** What those tests keep, in the README's order. */
export const SCREENS = [
  'venue-idle',
  'venue-admit',
  'venue-deny',
  'venue-review',
  'venue-review-en',
  'border-review',
  'border-override-logged',
  'console-pin',
  'console',
  'console-reset',
  'provision-ticket',
  'provision-fingerprint',
  'provision-self-test',
  'provision-ready',
  'provision-token-used',
  'camera-preview',
  'camera-admit',
  'camera-denied',
];

/** Half width and height, each pixel the mean of a 2x2 block (RGBA). */
export function halve(source) {
  const width = Math.floor(source.width / 2);
  const height = Math.floor(source.height / 2);
  const out = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 4; c++) {
        const at = (dx, dy) => source.data[((2 * y + dy) * source.width + 2 * x + dx) * 4 + c];
        out.data[(y * width + x) * 4 + c] = Math.round((at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1)) / 4);
      }
    }
  }
  return out;
}

function runScreenTests() {
  const build = spawnSync(process.execPath, [join(root, 'build', 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) return build.status ?? 1;
  const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
  const run = spawnSync(process.execPath, [vitest, 'run', ...SCREEN_TESTS], { cwd: root, stdio: 'inherit' });
  return run.status ?? 1;
}

function main() {
  const startedAt = Date.now();
  const skipTests = process.argv.includes('--no-test');
  if (!skipTests) {
    const status = runScreenTests();
    if (status !== 0) {
      console.error('screenshots: the screen tests failed; nothing copied.');
      return status;
    }
  }
  mkdirSync(to, { recursive: true });
  const missing = [];
  for (const name of SCREENS) {
    const path = join(from, `${name}.png`);
    let stat;
    try {
      stat = statSync(path);
    } catch {
      missing.push(name);
      continue;
    }
    if (!skipTests && stat.mtimeMs < startedAt) {
      missing.push(name);
      continue;
    }
    const small = PNG.sync.write(halve(PNG.sync.read(readFileSync(path))), { colorType: 2, deflateLevel: 9 });
    writeFileSync(join(to, `${name}.png`), small);
    console.log(`docs/screenshots/${name}.png  ${String(Math.round(small.length / 1024))} KiB`);
  }
  if (missing.length > 0) {
    console.error(`screenshots: not taken by this run: ${missing.join(', ')}`);
    return 1;
  }
  return 0;
}

process.exitCode = main();
