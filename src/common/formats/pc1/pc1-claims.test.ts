import { decode, encode } from 'cborg';
import { describe, expect, it } from 'vitest';
import { CLAIM_PCCOVID, encodePc1Claims, parsePc1Claims, type Pc1Claims } from './pc1-claims.js';

const claims: Pc1Claims = {
  issuer: 'VN-MOH',
  issuedAt: 1_700_000_000,
  expiresAt: 1_702_592_000,
  subjectId: 'VN-ID:079190001234',
  name: 'Trần Thị Bích Ngọc',
  dateOfBirth: '1990-04-12',
  status: 'green',
  vaccination: { doses: 3, lastDoseDate: '2022-03-15' },
};

function claimsMap(bytes: Uint8Array): Map<unknown, unknown> {
  return decode(bytes, { useMaps: true }) as Map<unknown, unknown>;
}

function withBody(change: (body: Map<unknown, unknown>) => void): Map<unknown, unknown> {
  const map = claimsMap(encodePc1Claims(claims));
  const body = map.get(CLAIM_PCCOVID) as Map<unknown, unknown>;
  change(body);
  return map;
}

describe('PC1 claims', () => {
  it('round-trips every claim', () => {
    const parsed = parsePc1Claims(claimsMap(encodePc1Claims(claims)));
    expect(parsed).toEqual({ ok: true, value: claims });
  });

  it('normalises names to NFC (decomposed Vietnamese input)', () => {
    const decomposed = { ...claims, name: 'Nguyễn Văn Đức'.normalize('NFD') };
    const parsed = parsePc1Claims(claimsMap(encodePc1Claims(decomposed)));
    expect(parsed.ok && parsed.value.name).toBe('Nguyễn Văn Đức'.normalize('NFC'));
  });

  it('keeps a missing last dose date absent', () => {
    const parsed = parsePc1Claims(claimsMap(encodePc1Claims({ ...claims, vaccination: { doses: 0 } })));
    expect(parsed.ok && parsed.value.vaccination).toEqual({ doses: 0 });
  });

  const broken: [string, Map<unknown, unknown>, string][] = [
    ['no issuer', (() => { const m = claimsMap(encodePc1Claims(claims)); m.delete(1); return m; })(), 'iss'],
    ['text expiry', (() => { const m = claimsMap(encodePc1Claims(claims)); m.set(4, 'tomorrow'); return m; })(), 'exp'],
    ['expiry before issue', (() => { const m = claimsMap(encodePc1Claims(claims)); m.set(4, 1); return m; })(), 'exp'],
    ['no PC-Covid claim', (() => { const m = claimsMap(encodePc1Claims(claims)); m.delete(CLAIM_PCCOVID); return m; })(), 'PC-Covid claim'],
    ['future schema', withBody((b) => b.set('v', 2)), 'version'],
    ['raw id', withBody((b) => b.set('sid', '079190001234')), 'sid'],
    ['empty name', withBody((b) => b.set('nam', '')), 'nam'],
    ['blank name', withBody((b) => b.set('nam', '   ')), 'nam'],
    ['name with a control character', withBody((b) => b.set('nam', 'Ngọc\u0000')), 'nam'],
    ['name with a lone surrogate', withBody((b) => b.set('nam', 'Ng\ud800c')), 'nam'],
    ['31 February', withBody((b) => b.set('dob', '1990-02-31')), 'dob'],
    ['status purple', withBody((b) => b.set('hs', 'purple')), 'hs'],
    ['negative doses', withBody((b) => (b.get('vac') as Map<unknown, unknown>).set('n', -1)), 'vac.n'],
    ['bad dose date', withBody((b) => (b.get('vac') as Map<unknown, unknown>).set('ld', 20220315)), 'vac.ld'],
    ['vac not a map', withBody((b) => b.set('vac', [3])), 'vac'],
  ];
  it.each(broken)('rejects %s, naming the claim', (_name, map, detail) => {
    const parsed = parsePc1Claims(map);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.reason.code).toBe('claims_invalid');
      expect(parsed.reason.detail).toContain(detail);
    }
  });

  it('encodes the claims as a deterministic CBOR map with integer CWT keys', () => {
    const map = claimsMap(encodePc1Claims(claims));
    expect([...map.keys()]).toEqual([1, 4, 6, CLAIM_PCCOVID]);
    expect(encode(map)).toEqual(encodePc1Claims(claims));
  });
});
