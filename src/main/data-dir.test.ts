import { describe, expect, it } from 'vitest';
import { defaultDataDir, resolveDataDir } from './data-dir.js';

describe('data directory', () => {
  it('prefers --data-dir, then PCCOVID_DATA_DIR, then the user data folder', () => {
    expect(resolveDataDir('/srv/kiosk', { PCCOVID_DATA_DIR: '/env/kiosk' })).toBe('/srv/kiosk');
    expect(resolveDataDir(undefined, { PCCOVID_DATA_DIR: '/env/kiosk' })).toBe('/env/kiosk');
    expect(resolveDataDir(undefined, { PCCOVID_DATA_DIR: '' })).toBe(defaultDataDir());
  });

  it('makes a relative --data-dir absolute', () => {
    expect(resolveDataDir('kiosk-data', {})).toBe(`${process.cwd()}/kiosk-data`);
  });

  it.each([
    ['linux', { XDG_CONFIG_HOME: '/home/k/.cfg' }, '/home/k/.cfg/pccovid-kiosk'],
    ['linux', {}, '/home/k/.config/pccovid-kiosk'],
    ['darwin', {}, '/home/k/Library/Application Support/pccovid-kiosk'],
  ] as const)('uses the %s user data folder (%j)', (platform, env, expected) => {
    expect(defaultDataDir(platform, env, '/home/k')).toBe(expected);
  });
});
