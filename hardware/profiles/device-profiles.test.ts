import { describe, expect, it } from 'vitest';
import { BUILT_IN_PROFILE_FILES, findProfile, formatUsbId, loadProfiles } from './device-profiles.js';

describe('device profiles', () => {
  it('loads every built-in profile without a problem, each id once', () => {
    const { profiles, problems } = loadProfiles();
    expect(problems).toEqual([]);
    expect(profiles).toHaveLength(Object.keys(BUILT_IN_PROFILE_FILES).length);
    expect(new Set(profiles.map((profile) => profile.id)).size).toBe(profiles.length);
  });

  it('knows the vendors checkpoints buy', () => {
    const { profiles } = loadProfiles();
    const expected: [number, string][] = [
      [0x0c2e, 'honeywell'],
      [0x0536, 'honeywell'],
      [0x05e0, 'zebra'],
      [0x05f9, 'datalogic'],
      [0x080c, 'datalogic'],
      [0x1eab, 'newland'],
      [0x0db5, 'access-is'],
    ];
    for (const [vendorId, id] of expected) expect(findProfile(profiles, vendorId, 0x1234)?.id, formatUsbId(vendorId)).toBe(id);
    expect(findProfile(profiles, 0x046d, 0xc077)).toBeNull();
    expect(findProfile(profiles, null, null)).toBeNull();
  });

  it('lets a product-specific profile win over the vendor-wide one', () => {
    const { profiles } = loadProfiles({
      ...BUILT_IN_PROFILE_FILES,
      'honeywell-1950.json': { id: 'honeywell-1950', vendor: 'Honeywell', vendorIds: ['0x0C2E'], productIds: ['0x0B07'] },
    });
    expect(findProfile(profiles, 0x0c2e, 0x0b07)?.id).toBe('honeywell-1950');
    expect(findProfile(profiles, 0x0c2e, 0x0b01)?.id).toBe('honeywell');
  });

  it('reports a bad profile file and keeps the good ones', () => {
    const { profiles, problems } = loadProfiles({
      'broken.json': { id: 'broken', vendor: 'X', vendorIds: ['0C2E'] },
      'overlap.json': {
        id: 'overlap',
        vendor: 'Y',
        vendorIds: ['0x1111'],
        hidPos: { reportId: 2, lengthOffset: 1, aimOffset: null, dataOffset: 2, dataCapacity: 62, continuationOffset: 63, continuationMask: 1 },
      },
      'bad-hex.json': { id: 'bad-hex', vendor: 'Z', vendorIds: ['0x2222'], serial: { baudRate: 9600, framing: 'auto', triggerOn: 'zz' } },
      'good.json': { id: 'good', vendor: 'Good', vendorIds: ['0x3333'], serial: { baudRate: 9600, framing: 'crlf', triggerOn: '16 54 0D' } },
    });
    expect(problems.map((problem) => problem.code)).toEqual(['profile_invalid', 'profile_invalid', 'profile_invalid']);
    expect(problems[0]?.message).toContain('broken.json');
    expect(profiles.map((profile) => profile.id)).toEqual(['good']);
    expect(Array.from(profiles[0]?.serial?.triggerOn ?? [])).toEqual([0x16, 0x54, 0x0d]);
  });
});
