import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseElectronArgs } from './args.js';

describe('parseElectronArgs', () => {
  it('reads --data-dir and --dev among Electron\'s own arguments', () => {
    expect(parseElectronArgs(['/usr/lib/electron', '/app', '--data-dir', '/var/kiosk', '--dev'], {})).toEqual({
      dataDir: '/var/kiosk',
      dev: true,
      demo: false,
    });
  });

  it('accepts --data-dir=D and resolves a relative folder', () => {
    expect(parseElectronArgs(['e', '--data-dir=data'], {}).dataDir).toBe(resolve('data'));
  });

  it('falls back to PCCOVID_DATA_DIR, then to null (Electron\'s userData)', () => {
    expect(parseElectronArgs(['e'], { PCCOVID_DATA_DIR: '/srv/k' })).toEqual({ dataDir: '/srv/k', dev: false, demo: false });
    expect(parseElectronArgs(['e'], {})).toEqual({ dataDir: null, dev: false, demo: false });
  });

  it('prefers the flag over the environment', () => {
    expect(parseElectronArgs(['e', '--data-dir', '/a'], { PCCOVID_DATA_DIR: '/b' }).dataDir).toBe('/a');
  });

  it('does not take the next switch for a missing folder', () => {
    expect(parseElectronArgs(['e', '--data-dir', '--dev'], {})).toEqual({ dataDir: null, dev: true, demo: false });
  });

  it('reads --demo (an unprovisioned packaged kiosk may then decide with the demo authority)', () => {
    expect(parseElectronArgs(['e', '--demo'], {})).toMatchObject({ demo: true, dev: false });
  });
});
