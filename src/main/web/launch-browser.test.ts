import { describe, expect, it } from 'vitest';
import { chromiumAppArgs, findChromium } from './launch-browser.js';

function executables(...paths: string[]): (path: string) => boolean {
  const set = new Set(paths);
  return (path) => set.has(path);
}

describe('findChromium', () => {
  it('prefers the path in PCCOVID_CHROMIUM', () => {
    const found = findChromium({
      env: { PCCOVID_CHROMIUM: '/opt/kiosk/chrome', PATH: '/usr/bin' },
      isExecutable: executables('/opt/kiosk/chrome', '/usr/bin/chromium'),
    });
    expect(found).toBe('/opt/kiosk/chrome');
  });

  it('does not fall back when PCCOVID_CHROMIUM names nothing runnable', () => {
    const found = findChromium({ env: { PCCOVID_CHROMIUM: '/nope' }, isExecutable: executables('/usr/bin/chromium') });
    expect(found).toBeNull();
  });

  it('takes /usr/bin/chromium before searching PATH', () => {
    expect(findChromium({ env: { PATH: '/a' }, isExecutable: executables('/usr/bin/chromium', '/a/chromium') })).toBe(
      '/usr/bin/chromium',
    );
  });

  it('searches PATH for chromium, chromium-browser and google-chrome in that order', () => {
    const env = { PATH: '/a:/b' };
    expect(findChromium({ env, isExecutable: executables('/b/google-chrome', '/b/chromium-browser') })).toBe(
      '/b/chromium-browser',
    );
    expect(findChromium({ env, isExecutable: executables('/a/google-chrome') })).toBe('/a/google-chrome');
  });

  it('returns null when no browser is installed', () => {
    expect(findChromium({ env: { PATH: '/a:/b' }, isExecutable: executables() })).toBeNull();
  });
});

describe('chromiumAppArgs', () => {
  it('opens an app window on its own profile with background traffic off', () => {
    const args = chromiumAppArgs('http://127.0.0.1:1/#token=t', { userDataDir: '/data/profile', kiosk: false });
    expect(args).toContain('--app=http://127.0.0.1:1/#token=t');
    expect(args).toContain('--user-data-dir=/data/profile');
    for (const flag of ['--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']) {
      expect(args).toContain(flag);
    }
    expect(args).not.toContain('--kiosk');
  });

  it('adds --kiosk when asked', () => {
    expect(chromiumAppArgs('http://127.0.0.1:1/', { userDataDir: '/p', kiosk: true })).toContain('--kiosk');
  });
});
