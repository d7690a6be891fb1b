import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXED_NOW_MS, pipelineFixture } from '../pipeline/test-fixtures.js';
import {
  NGOC_CITIZEN_ID,
  NGOC_QID,
  SAMPLE_CCCD,
  SAMPLE_PCCOVID_V1_MASKED,
  SAMPLE_TD1_VN,
  SAMPLE_TD3,
} from '../pipeline/decoders/identity-samples.js';
import { runDecode } from './decode-command.js';
import { runCli } from './main.js';
import { captureIo } from '../../common/cli/cli-io.js';

function decode(payload: string): { code: number; json: Record<string, unknown> } {
  const io = captureIo();
  const code = runDecode(payload, io, () => FIXED_NOW_MS);
  return { code, json: JSON.parse(io.stdout) as Record<string, unknown> };
}

describe('pccovid-kiosk decode', () => {
  const fixture = pipelineFixture();

  it('prints a PC1 pass: kind, subject ids, holder, claims, signature alg and kid in hex', () => {
    const result = decode(fixture.pass({ status: 'yellow' }));
    expect(result.code).toBe(0);
    expect(result.json).toEqual({
      readable: true,
      kind: 'pc1',
      subjectIds: [`VN-ID:${NGOC_CITIZEN_ID}`],
      holder: { name: 'Trần Thị Bích Ngọc', dateOfBirth: '1990-04-12' },
      issuer: 'VN-MOH-DEMO',
      issuedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
      expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
      signature: { alg: 'EdDSA', kid: Buffer.from(fixture.authority.kid).toString('hex') },
      claims: { statusAtIssue: 'yellow', vaccination: { doses: 3, lastDoseDate: '2022-03-15' } },
    });
  });

  it('prints a CCCD with its canonical id and identity, and no signature', () => {
    const result = decode(SAMPLE_CCCD);
    expect(result.code).toBe(0);
    expect(result.json).toMatchObject({
      kind: 'cccd',
      subjectIds: [`VN-ID:${NGOC_CITIZEN_ID}`],
      holder: { name: 'Trần Thị Bích Ngọc', dateOfBirth: '1990-04-12' },
      identity: { documentNumber: NGOC_CITIZEN_ID, formerNumber: '025123456', sex: 'F', issueDate: '2021-07-10' },
      signature: null,
    });
  });

  it('prints an old app code with its app id, and an MRZ with its document id', () => {
    expect(decode(SAMPLE_PCCOVID_V1_MASKED).json).toMatchObject({ kind: 'pccovid-v1', subjectIds: [`APP:pccovid-v1:${NGOC_QID}`] });
    expect(decode(SAMPLE_TD3).json).toMatchObject({ kind: 'mrz', subjectIds: ['DOC:D:C01X00T47'], holder: { name: 'ERIKA MUSTERMANN' } });
    expect(decode(SAMPLE_TD1_VN).json).toMatchObject({ subjectIds: [`DOC:VNM:${NGOC_CITIZEN_ID.slice(3)}`, `VN-ID:${NGOC_CITIZEN_ID}`] });
  });

  it('reads the payload from a file, MRZ lines and all', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pccovid-decode-')), 'mrz.txt');
    writeFileSync(file, `${SAMPLE_TD3}\r\n`);
    expect(decode(`@${file}`)).toMatchObject({ code: 0, json: { kind: 'mrz' } });
  });

  it('prints the reason with its code and sentences, and exits 3, for what it cannot read', () => {
    const zone = SAMPLE_TD3.split('\r\n');
    const second = zone[1] ?? '';
    const wrong = `${zone[0]}\r\n${second.slice(0, 19)}${second.charAt(19) === '0' ? '1' : '0'}${second.slice(20)}`;
    const result = decode(wrong);
    expect(result.code).toBe(3);
    expect(result.json).toEqual({
      readable: false,
      reason: {
        code: 'check_digit_invalid',
        message: expect.stringContaining('check digits') as unknown,
        messageVi: expect.stringContaining('Số kiểm tra') as unknown,
        detail: expect.stringContaining('date of birth (line 2, character 20)') as unknown,
      },
    });
    expect(decode('hello').json).toMatchObject({ readable: false, reason: { code: 'unknown_format' } });
  });

  it('is wired into the CLI, --data-dir accepted, usage errors exit 64', async () => {
    const io = captureIo();
    expect(await runCli(['decode', '--data-dir', mkdtempSync(join(tmpdir(), 'pccovid-decode-')), SAMPLE_CCCD], io)).toBe(0);
    expect(JSON.parse(io.stdout)).toMatchObject({ kind: 'cccd' });
    const usage = captureIo();
    expect(await runCli(['decode'], usage)).toBe(64);
    expect(usage.stderr).toContain('decode needs a payload');
    expect(await runCli(['decode', 'a', 'b'], captureIo())).toBe(64);
    const help = captureIo();
    await runCli(['help'], help);
    expect(help.stdout).toContain('decode [--data-dir D] <payload | @file>');
  });
});
