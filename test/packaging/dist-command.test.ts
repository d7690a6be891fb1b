// `npm run dist` where Electron's binary cannot be had (this machine: no download server): it must
// stop before building anything, with a sentence that says what to do, not a stack trace. And the
// icons it draws first are real PNGs at every size the installers want.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './package-kit.js';

const work = mkdtempSync(join(tmpdir(), 'pccovid-dist-command-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A local port nothing listens on: connections to it are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('npm run dist without Electron', () => {
  it('stops with a sentence saying what is missing and what to do, before building anything', async () => {
    const port = await closedPort();
    const emptyCache = mkdtempSync(join(work, 'electron-cache-'));
    const result = spawnSync(process.execPath, [join(ROOT, 'build', 'scripts', 'dist.mjs'), '--linux', 'deb'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_CACHE: emptyCache, ELECTRON_MIRROR: `http://127.0.0.1:${port}/` },
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const version = (JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
    expect(result.stderr).toContain(`npm run dist: cannot build the installers here: Electron ${version} (electron-v${version}-linux-${process.arch}.zip)`);
    expect(result.stderr).toContain(`is not in Electron's download cache (${emptyCache})`);
    expect(result.stderr).toContain(`127.0.0.1:${port} cannot be reached`);
    expect(result.stderr).toMatch(/Build them on a machine with internet access/);
    // A sentence, not a stack trace.
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stderr.trim().split('\n').length).toBeLessThanOrEqual(3);
  });
});

describe('make-icons', () => {
  it('draws square PNG icons from 16 to 512 pixels, transparent outside the rounded square', () => {
    const folder = join(work, 'icons');
    const result = spawnSync(process.execPath, [join(ROOT, 'build', 'scripts', 'make-icons.mjs'), folder], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    const sizes = readdirSync(folder)
      .map((name) => Number(/^(\d+)x\1\.png$/.exec(name)?.[1]))
      .sort((a, b) => a - b);
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256, 512]);
    for (const size of sizes) {
      const png = PNG.sync.read(readFileSync(join(folder, `${size}x${size}.png`)));
      expect([png.width, png.height]).toEqual([size, size]);
      const alpha = (x: number, y: number): number => png.data[(y * size + x) * 4 + 3] ?? -1;
      expect(alpha(0, 0), `corner of ${size}`).toBe(0);
      expect(alpha(size >> 1, size >> 1), `centre of ${size}`).toBe(255);
    }
  });
});
