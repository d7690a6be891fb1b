import { describe, expect, it } from 'vitest';
import type { VerifiedCredential } from '../../common/types/credential.js';
import { EMPTY_ALIAS_MAP, expandSubjectIds, MAX_ALIAS_HOPS, MemoryAliasMap, withAliases } from './alias.js';

const VN = 'VN-ID:079190001234';
const OLD_QID = 'APP:pccovid-v1:QRQG7F3K2M9A';
const OLD_VHD = 'APP:vhd:HN7K2M9QAX';

describe('alias map', () => {
  it("resolves a person's old app id to their VN-ID", () => {
    const aliases = new MemoryAliasMap([[OLD_QID, VN]]);
    expect(aliases.resolve(OLD_QID)).toBe(VN);
    expect(aliases.resolve(VN)).toBeUndefined();
    expect(expandSubjectIds([OLD_QID], aliases)).toEqual([OLD_QID, VN]);
  });

  it('follows a chain of aliases, keeps each id once and stops on a cycle', () => {
    const aliases = new MemoryAliasMap([
      [OLD_VHD, OLD_QID],
      [OLD_QID, VN],
      [VN, OLD_VHD],
    ]);
    expect(expandSubjectIds([OLD_VHD], aliases)).toEqual([OLD_VHD, OLD_QID, VN]);
    expect(expandSubjectIds([OLD_QID, VN], aliases)).toEqual([OLD_QID, VN, OLD_VHD]);
  });

  it(`follows at most ${MAX_ALIAS_HOPS} hops`, () => {
    const ids = Array.from({ length: MAX_ALIAS_HOPS + 3 }, (_, i) => `APP:chain:${i}`);
    const aliases = new MemoryAliasMap(ids.slice(1).map((id, i) => [ids[i] ?? '', id] as const));
    expect(expandSubjectIds([ids[0] ?? ''], aliases)).toEqual(ids.slice(0, MAX_ALIAS_HOPS + 1));
  });

  it('accepts only canonical ids and no self-links', () => {
    const aliases = new MemoryAliasMap();
    expect(() => aliases.set('QRQG7F3K2M9A', VN)).toThrow(RangeError);
    expect(() => aliases.set(OLD_QID, '079190001234')).toThrow(RangeError);
    expect(() => aliases.set(VN, VN)).toThrow(RangeError);
    expect(aliases.size).toBe(0);
  });

  it("extends a verified credential's subject ids and leaves everything else as it was", () => {
    const verified: VerifiedCredential = {
      credential: {
        kind: 'pccovid-v1',
        subjectIds: [OLD_QID],
        holder: { name: 'TRAN THI BICH NGOC', dateOfBirth: '1990' },
        identity: { documentNumber: '******001234' },
      },
      issuerKeyId: null,
    };
    const extended = withAliases(verified, new MemoryAliasMap([[OLD_QID, VN]]));
    expect(extended.credential).toEqual({ ...verified.credential, subjectIds: [OLD_QID, VN] });
    expect(verified.credential.subjectIds).toEqual([OLD_QID]);
    expect(withAliases(verified, EMPTY_ALIAS_MAP)).toBe(verified);
  });
});
