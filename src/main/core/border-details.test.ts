import { describe, expect, it } from 'vitest';
import type { Credential, SignatureFacts } from '../../common/types/credential.js';
import { borderDetailsOf } from './border-details.js';

const signature: SignatureFacts = { alg: 'EdDSA', kid: new Uint8Array(8), toBeSigned: new Uint8Array(0), signature: new Uint8Array(0) };

describe('borderDetailsOf', () => {
  it('gives a PC-Covid pass holder, doses, issuer and validity', () => {
    const credential: Credential = {
      kind: 'pc1',
      subjectIds: ['VN-ID:001090000001'],
      holder: { name: 'Trần Thị Bích Ngọc', dateOfBirth: '1990-04-12' },
      issuer: 'VN-MOH',
      issuedAt: 1_700_000_000,
      expiresAt: 1_800_000_000,
      signature,
      statusAtIssue: 'green',
      vaccination: { doses: 3, lastDoseDate: '2022-03-15' },
    };
    expect(borderDetailsOf(credential)).toEqual({
      fullName: 'Trần Thị Bích Ngọc',
      dateOfBirth: '1990-04-12',
      issuer: 'VN-MOH',
      validUntil: 1_800_000_000_000,
      vaccination: { doses: 3, lastDoseDate: '2022-03-15' },
    });
  });

  it('reads names, doses, test and issuer from a DCC payload, ignoring what is malformed', () => {
    const credential: Credential = {
      kind: 'dcc',
      subjectIds: ['DCC:URN:UVCI:01:VN:1'],
      holder: { name: 'Nguyen Van An', dateOfBirth: '1985' },
      issuer: 'VN',
      issuedAt: 1,
      expiresAt: 2,
      signature,
      certificateType: 'test',
      payload: { nam: { fn: 'Nguyen', gn: 'Van An' }, v: 'not a list', t: [{ tt: 'LP6464-4', tr: '260415000', sc: '2021-08-01T10:00:00Z', is: 'Ministry of Health' }] },
    };
    expect(borderDetailsOf(credential)).toEqual({
      fullName: 'Nguyen Van An',
      dateOfBirth: '1985',
      surname: 'Nguyen',
      givenNames: 'Van An',
      issuer: 'Ministry of Health',
      validUntil: 2000,
      certificateType: 'test',
      test: { type: 'LP6464-4', result: '260415000', sampledAt: '2021-08-01T10:00:00Z' },
    });
  });

  it('gives a travel document its identity fields', () => {
    const credential: Credential = {
      kind: 'mrz',
      subjectIds: ['DOC:UTO:L898902C3'],
      holder: { name: 'ANNA MARIA ERIKSSON', dateOfBirth: '1974-08-12' },
      identity: { documentNumber: 'L898902C3', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', nationality: 'UTO', sex: 'F', expiryDate: '2030-04-15' },
    };
    expect(borderDetailsOf(credential)).toEqual({
      fullName: 'ANNA MARIA ERIKSSON',
      dateOfBirth: '1974-08-12',
      surname: 'ERIKSSON',
      givenNames: 'ANNA MARIA',
      nationality: 'UTO',
      sex: 'F',
      documentNumber: 'L898902C3',
      documentExpiry: '2030-04-15',
    });
  });
});
