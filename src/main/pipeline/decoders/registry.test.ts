import { describe, expect, it } from 'vitest';
import { decodeScan } from '../decode.js';
import { FIXED_NOW_MS, pipelineFixture, scanOf } from '../test-fixtures.js';
import {
  NGOC_CITIZEN_ID,
  NGOC_QID,
  NGOC_VHD_CODE,
  SAMPLE_CCCD,
  SAMPLE_MRV_B,
  SAMPLE_PCCOVID_V1_FULL,
  SAMPLE_PCCOVID_V1_MASKED,
  SAMPLE_TD1_VN,
  SAMPLE_TD3,
  SAMPLE_VHD,
} from './identity-samples.js';
import { createDecoderRegistry } from './registry.js';

const decoders = createDecoderRegistry({ now: () => FIXED_NOW_MS });
const fixture = pipelineFixture();

const samples: [string, string, string, string[]][] = [
  ['PC1 pass', fixture.pass(), 'pc1', [NGOC_CITIZEN_ID]],
  ['health-declaration code', SAMPLE_VHD, 'health-declaration', [`APP:vhd:${NGOC_VHD_CODE}`]],
  ['masked personal QR', SAMPLE_PCCOVID_V1_MASKED, 'pccovid-v1', [`APP:pccovid-v1:${NGOC_QID}`]],
  ['full personal QR', SAMPLE_PCCOVID_V1_FULL, 'pccovid-v1', [`APP:pccovid-v1:${NGOC_QID}`, `VN-ID:${NGOC_CITIZEN_ID}`]],
  ['CCCD QR', SAMPLE_CCCD, 'cccd', [`VN-ID:${NGOC_CITIZEN_ID}`]],
  ['passport MRZ', SAMPLE_TD3, 'mrz', ['DOC:D:C01X00T47']],
  ['chip CCCD MRZ', SAMPLE_TD1_VN, 'mrz', [`DOC:VNM:${NGOC_CITIZEN_ID.slice(3)}`, `VN-ID:${NGOC_CITIZEN_ID}`]],
  ['visa MRZ', SAMPLE_MRV_B, 'mrz', ['DOC:FRA:12345678']],
];

describe('decoder registry', () => {
  it('lists the signed passes first, then the identity formats, each decoder once', () => {
    const names = decoders.map((decoder) => decoder.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names[0]).toBe('pc1');
    // The EU DCC decoder sits right after PC1 once it is registered.
    expect(names.filter((name) => name !== 'dcc')).toEqual(['pc1', 'vhd', 'pccovid-v1', 'cccd', 'mrz']);
  });

  it.each(samples)('gives a %s to exactly one decoder, which reads it', (_name, text, kind, subjectIds) => {
    expect(decoders.filter((decoder) => decoder.claims(text)).map((decoder) => decoder.name)).toHaveLength(1);
    const decoded = decodeScan(scanOf(text), decoders);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.value.kind).toBe(kind);
    const expected = kind === 'pc1' ? [`VN-ID:${subjectIds[0] ?? ''}`] : subjectIds;
    expect(decoded.value.subjectIds).toEqual(expected);
  });

  it.each([
    ['an AIM symbology id (]Q1) and a trailing CR LF', (text: string) => `]Q1${text}\r\n`],
    ['a trailing LF', (text: string) => `${text}\n`],
    ['surrounding spaces', (text: string) => `  ${text}  `],
  ])('strips scanner artefacts first: %s', (_name, wrap) => {
    for (const [name, text, kind] of samples) {
      const decoded = decodeScan(scanOf(wrap(text)), decoders);
      expect(decoded.ok && decoded.value.kind, name).toBe(kind);
    }
  });

  it('reads an MRZ whose lines a reader separated with CR only', () => {
    const decoded = decodeScan(scanOf(SAMPLE_TD3.replace('\r\n', '\r')), decoders);
    expect(decoded.ok && decoded.value.kind).toBe('mrz');
  });

  it('keeps the identity fields a guard compares with the person', () => {
    const passport = decodeScan(scanOf(SAMPLE_TD3), decoders);
    expect(passport.ok && passport.value).toMatchObject({
      holder: { name: 'ERIKA MUSTERMANN', dateOfBirth: '1983-08-12' },
      identity: { documentNumber: 'C01X00T47', documentCode: 'P', surname: 'MUSTERMANN', givenNames: 'ERIKA', issuingState: 'D', nationality: 'D', sex: 'F', expiryDate: '2031-01-01' },
    });
    const card = decodeScan(scanOf(SAMPLE_CCCD), decoders);
    expect(card.ok && card.value).toMatchObject({
      holder: { name: 'Trần Thị Bích Ngọc', dateOfBirth: '1990-04-12' },
      identity: { documentNumber: NGOC_CITIZEN_ID, formerNumber: '025123456', sex: 'F', issueDate: '2021-07-10', issuingState: 'VNM' },
    });
    const declaration = decodeScan(scanOf(SAMPLE_VHD), decoders);
    expect(declaration.ok && declaration.value).toMatchObject({ identity: { documentNumber: NGOC_VHD_CODE, issueDate: '2021-09-15', sex: 'F' } });
  });

  it('leaves text no decoder claims as unknown_format', () => {
    const decoded = decodeScan(scanOf('https://example.com/not-a-pass'), decoders);
    expect(decoded.ok ? 'ok' : decoded.reason.code).toBe('unknown_format');
  });
});
