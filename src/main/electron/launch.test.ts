import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAppRoot, findElectronBinary } from './launch.js';

describe('findElectronBinary', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'pccovid-electron-'));
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  async function fakeElectronPackage(app: string, main: string): Promise<string> {
    const pkg = join(folder, app, 'node_modules', 'electron');
    await mkdir(pkg, { recursive: true });
    await writeFile(join(pkg, 'package.json'), JSON.stringify({ name: 'electron', main: 'index.js' }));
    await writeFile(join(pkg, 'index.js'), main);
    return join(folder, app, 'cli.js');
  }

  it('returns the binary path the electron package gives', async () => {
    const binary = join(folder, 'electron-bin');
    await writeFile(binary, '');
    const from = await fakeElectronPackage('installed', `module.exports = ${JSON.stringify(binary)};`);
    expect(findElectronBinary(from)).toBe(binary);
  });

  it('returns null when the package throws (download skipped)', async () => {
    const from = await fakeElectronPackage('skipped', "throw new Error('Electron failed to install correctly');");
    expect(findElectronBinary(from)).toBeNull();
  });

  it('returns null when the path it gives does not exist', async () => {
    const from = await fakeElectronPackage('vanished', `module.exports = ${JSON.stringify(join(folder, 'gone'))};`);
    expect(findElectronBinary(from)).toBeNull();
  });

  it('returns null when there is no electron package at all', () => {
    expect(findElectronBinary(join(folder, 'nothing-here', 'cli.js'))).toBeNull();
  });
});

describe('findAppRoot', () => {
  it('finds the kiosk package folder from a file inside it', () => {
    const root = findAppRoot(join(import.meta.dirname, 'launch.ts'));
    expect(root).toBe(join(import.meta.dirname, '..', '..', '..'));
  });

  it('says to reinstall when there is none', () => {
    expect(() => findAppRoot('/no/such/place/cli.js')).toThrow(/reinstall/);
  });
});
