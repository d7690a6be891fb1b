import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRendererDir, RendererNotBuiltError, staticFilePath } from './static-files.js';

describe('staticFilePath', () => {
  const root = resolve('/srv/kiosk/renderer');

  it('maps / to index.html and keeps files under the root', () => {
    expect(staticFilePath(root, '/')).toBe(join(root, 'index.html'));
    expect(staticFilePath(root, '/renderer.js?v=2')).toBe(join(root, 'renderer.js'));
    expect(staticFilePath(root, '/fonts/a%20b.woff2')).toBe(join(root, 'fonts', 'a b.woff2'));
  });

  it.each([
    '/../secret.js',
    '/%2e%2e/secret.js',
    '/..%2f..%2fsecret.js',
    '/a/%2e%2e/%2e%2e/secret.js',
    '/..%5csecret.js',
    '/%00.js',
    '/%E0%A4%A.js',
    '/.env.js',
    'renderer.js',
    '/secret',
    '/package.json.exe',
  ])('refuses %s', (target) => {
    expect(staticFilePath(root, target)).toBeNull();
  });
});

describe('findRendererDir', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'pccovid-renderer-dir-'));
    await mkdir(join(folder, 'dist', 'renderer'), { recursive: true });
    await writeFile(join(folder, 'dist', 'renderer', 'index.html'), '');
    await mkdir(join(folder, 'src', 'main', 'web'), { recursive: true });
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('finds the renderer beside the bundled CLI (dist/cli.js)', () => {
    expect(findRendererDir(join(folder, 'dist', 'cli.js'))).toBe(join(folder, 'dist', 'renderer'));
  });

  it('finds the repository build from the source file', () => {
    expect(findRendererDir(join(folder, 'src', 'main', 'web', 'web-shell.ts'))).toBe(join(folder, 'dist', 'renderer'));
  });

  it('says to build when there is no renderer', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'pccovid-no-renderer-'));
    try {
      expect(() => findRendererDir(join(empty, 'x', 'cli.js'))).toThrow(RendererNotBuiltError);
      expect(() => findRendererDir(join(empty, 'x', 'cli.js'))).toThrow(/npm run build/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
