import { describe, expect, it } from 'vitest';
import { dccSubjectId, dccHolder } from './dcc-claims.js';
import { allowedDccTypes } from './dcc-key-usage.js';

describe('DCC signer key usage', () => {
  it('lets a certificate without the extension sign every type', () => {
    expect(allowedDccTypes(undefined)).toEqual(['vaccination', 'test', 'recovery']);
  });
  it('restricts to the DCC types listed, on either OID arc, critical or not', () => {
    expect(allowedDccTypes({ oids: ['1.3.6.1.4.1.1847.2021.1.1'], critical: false })).toEqual(['test']);
    expect(allowedDccTypes({ oids: ['1.3.6.1.4.1.0.1847.2021.1.2', '1.3.6.1.4.1.0.1847.2021.1.3'], critical: true })).toEqual(['vaccination', 'recovery']);
  });
  it('treats other purposes as advice when not critical and as a restriction when critical', () => {
    expect(allowedDccTypes({ oids: ['1.3.6.1.5.5.7.3.2'], critical: false })).toHaveLength(3);
    expect(allowedDccTypes({ oids: ['2.23.136.1.1.14.2'], critical: true })).toEqual([]);
    expect(allowedDccTypes({ oids: ['2.23.136.1.1.14.2', '2.5.29.37.0'], critical: true })).toHaveLength(3);
  });
});

describe('DCC subject and holder', () => {
  it('upper-cases the UVCI as issued, with or without the URN prefix', () => {
    expect(dccSubjectId('urn:uvci:01:vn:abc#1')).toBe('DCC:URN:UVCI:01:VN:ABC#1');
    expect(dccSubjectId('dgci:V1:CY:GRHC8O6ECPWMUM16D3WAXOPN4:89')).toBe('DCC:DGCI:V1:CY:GRHC8O6ECPWMUM16D3WAXOPN4:89');
    expect(dccSubjectId('01 IS/ABC4556#8')).toBe('DCC:01 IS/ABC4556#8');
    expect(dccSubjectId('')).toBeNull();
    expect(dccSubjectId('x'.repeat(81))).toBeNull();
    expect(dccSubjectId(42)).toBeNull();
  });
  it('falls back to the transliterated names and keeps a partial date of birth', () => {
    expect(dccHolder({ nam: { fnt: 'NGUYEN', gnt: 'VAN<AN' }, dob: '1990-04' })).toEqual({ name: 'NGUYEN VAN AN', dateOfBirth: '1990-04' });
    expect(dccHolder({ nam: 'x', dob: '' })).toEqual({ name: '', dateOfBirth: null });
  });
});
