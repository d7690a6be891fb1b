import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPackageType, updateInstallKind } from './update-install-kind.js';

describe('updateInstallKind', () => {
  it('updates through NSIS on Windows', () => {
    expect(updateInstallKind('win32', {}, () => null)).toBe('nsis');
  });

  it('replaces the AppImage when running from one', () => {
    expect(updateInstallKind('linux', { APPIMAGE: '/opt/kiosk/pccovid-kiosk.AppImage' }, () => 'deb')).toBe('appimage');
  });

  it('goes through the root helper when installed from the deb', () => {
    expect(updateInstallKind('linux', {}, () => 'deb')).toBe('deb');
    expect(updateInstallKind('linux', { APPIMAGE: '' }, () => 'deb')).toBe('deb');
  });

  it('cannot update an unpacked folder, an rpm or a Mac', () => {
    expect(updateInstallKind('linux', {}, () => null)).toBeNull();
    expect(updateInstallKind('linux', {}, () => 'rpm')).toBeNull();
    expect(updateInstallKind('darwin', {}, () => null)).toBeNull();
  });
});

describe('readPackageType', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pccovid-package-type-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the file electron-builder writes, or null', () => {
    expect(readPackageType(dir)).toBeNull();
    writeFileSync(join(dir, 'package-type'), 'deb\n');
    expect(readPackageType(dir)).toBe('deb');
  });
});
