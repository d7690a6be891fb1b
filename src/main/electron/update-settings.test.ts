import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MIN_IDLE_MS, DEFAULT_NIGHT_WINDOW } from './update-schedule.js';
import { DEFAULT_CHECK_INTERVAL_MS, parseUpdateSettings, readUpdateSettings, UPDATE_SETTINGS_FILE } from './update-settings.js';

const PATH = '/var/lib/pccovid-kiosk/data/update.json';

function parse(value: unknown) {
  return parseUpdateSettings(JSON.stringify(value), PATH);
}

describe('parseUpdateSettings', () => {
  it('needs only the server URL and fills in the defaults', () => {
    expect(parse({ url: 'https://updates.example.gov.vn/pccovid-kiosk/' })).toEqual({
      kind: 'ok',
      settings: {
        url: 'https://updates.example.gov.vn/pccovid-kiosk/',
        policy: { window: DEFAULT_NIGHT_WINDOW, minIdleMs: DEFAULT_MIN_IDLE_MS },
        checkIntervalMs: DEFAULT_CHECK_INTERVAL_MS,
      },
    });
  });

  it('reads the night window, the idle time and the check interval', () => {
    const result = parse({
      url: 'https://u.example/',
      nightWindow: { start: '22:30', end: '04:00' },
      minIdleMinutes: 45,
      checkEveryHours: 2,
    });
    expect(result).toMatchObject({
      kind: 'ok',
      settings: { policy: { window: { startMinute: 22 * 60 + 30, endMinute: 4 * 60 }, minIdleMs: 45 * 60_000 }, checkIntervalMs: 2 * 3_600_000 },
    });
  });

  it('allows plain http to this machine only (a lab server)', () => {
    expect(parse({ url: 'http://127.0.0.1:8080/' }).kind).toBe('ok');
    expect(parse({ url: 'http://localhost/' }).kind).toBe('ok');
    const result = parse({ url: 'http://updates.example.gov.vn/' });
    expect(result).toMatchObject({ kind: 'invalid' });
    expect(result.kind === 'invalid' ? result.message : '').toMatch(/must be an https:\/\/ address/);
  });

  it.each([
    ['not JSON', '{url:', /is not JSON/],
    ['no url', JSON.stringify({}), /url/],
    ['not a URL', JSON.stringify({ url: 'updates' }), /is not a URL/],
    ['a file: URL', JSON.stringify({ url: 'file:///tmp/x' }), /https/],
    ['a bad time', JSON.stringify({ url: 'https://u.example/', nightWindow: { start: '1am', end: '05:00' } }), /nightWindow.start: a 24-hour time/],
    ['an empty window', JSON.stringify({ url: 'https://u.example/', nightWindow: { start: '02:00', end: '02:00' } }), /same time/],
    ['a zero idle time', JSON.stringify({ url: 'https://u.example/', minIdleMinutes: 0 }), /minIdleMinutes/],
    ['an unknown key (a typo)', JSON.stringify({ url: 'https://u.example/', nightwindow: {} }), /nightwindow/],
  ])('refuses %s with a sentence naming the file', (_name, text, message) => {
    const result = parseUpdateSettings(text, PATH);
    expect(result.kind).toBe('invalid');
    expect(result.kind === 'invalid' ? result.message : '').toMatch(message);
    expect(result.kind === 'invalid' ? result.message : '').toContain(PATH);
  });
});

describe('readUpdateSettings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pccovid-update-settings-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says "not provisioned" when there is no file', () => {
    expect(readUpdateSettings(join(dir, 'none'))).toEqual({ kind: 'not-provisioned', path: join(dir, 'none', UPDATE_SETTINGS_FILE) });
  });

  it('reads update.json from the data directory', () => {
    writeFileSync(join(dir, UPDATE_SETTINGS_FILE), JSON.stringify({ url: 'https://u.example/kiosk/' }));
    expect(readUpdateSettings(dir)).toMatchObject({ kind: 'ok', settings: { url: 'https://u.example/kiosk/' } });
  });
});
