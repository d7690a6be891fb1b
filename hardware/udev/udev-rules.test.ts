// The udev rules and the device profiles must name the same vendors: a profile without its rules
// is a scanner the kiosk may not open (permission denied) on a fresh install.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadProfiles } from '../profiles/device-profiles.js';

const RULES = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '70-pccovid-scanners.rules'), 'utf8');
const rules = RULES.split('\n').filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));

function hex(id: number): string {
  return id.toString(16).padStart(4, '0');
}

describe('udev rules', () => {
  const vendorIds = [...new Set(loadProfiles().profiles.flatMap((profile) => profile.vendorIds))];

  it.each(vendorIds.map((id) => [hex(id)]))('give the kiosk group hidraw and tty access to vendor %s, with stable names', (vid) => {
    const match = `ATTRS{idVendor}=="${vid}"`;
    const hidraw = rules.filter((line) => line.includes('SUBSYSTEM=="hidraw"') && line.includes(match));
    const tty = rules.filter((line) => line.includes('SUBSYSTEM=="tty"') && line.includes(match));
    for (const line of [...hidraw, ...tty]) {
      expect(line).toContain('GROUP="pccovid-scanner"');
      expect(line).toContain('MODE="0660"');
    }
    expect(hidraw.some((line) => line.includes('SYMLINK+="pccovid/hid-'))).toBe(true);
    expect(tty.some((line) => line.includes('SYMLINK+="pccovid/serial-') && line.includes('ENV{ID_MM_DEVICE_IGNORE}="1"'))).toBe(true);
  });

  it.each(vendorIds.map((id) => [hex(id)]))('tell ModemManager to leave vendor %s alone', (vid) => {
    expect(rules.some((line) => line.includes(`ATTR{idVendor}=="${vid}"`) && line.includes('ENV{ID_MM_DEVICE_IGNORE}="1"'))).toBe(true);
  });

  it('name no vendor without a profile', () => {
    const named = [...RULES.matchAll(/^[^#\n]*ATTRS?\{idVendor\}=="([0-9a-f]{4})"/gm)].map((match) => match[1]);
    expect(new Set(named)).toEqual(new Set(vendorIds.map(hex)));
  });

  it('use only keys and quotes udev understands on each rule line', () => {
    for (const line of rules) {
      expect(line, line).toMatch(/^(\s*[A-Z_]+(\{[A-Za-z_]+\})?(==|!=|=|\+=|:=)"[^"]*"\s*,?)+\s*$/);
    }
  });
});
