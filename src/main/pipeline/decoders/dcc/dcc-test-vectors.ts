// Signed EU DCC vectors from test/fixtures/dcc (dgc-testdata subset) for the decoder's tests,
// fuzz tests and the formats benchmark: the code as scanned, its signer and its clock.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IssuerKey } from '../../verify.js';
import { dccSignerKey } from '../../../trust/dcc-signers.js';

export const DCC_FIXTURES_DIR = fileURLToPath(new URL('../../../../../test/fixtures/dcc/', import.meta.url));

export interface DccVector {
  name: string;
  prefix: string;
  signer: IssuerKey;
  /** TESTCTX.VALIDATIONCLOCK in milliseconds (UTC when it names no offset). */
  clockMs: number;
  certificateDer: Uint8Array;
}

/** Loads one test file (path relative to test/fixtures/dcc); throws when the fixture is broken. */
export function loadDccVector(path: string): DccVector {
  const json = JSON.parse(readFileSync(join(DCC_FIXTURES_DIR, path), 'utf8')) as {
    PREFIX: string;
    TESTCTX: { CERTIFICATE: string; VALIDATIONCLOCK: string };
  };
  const certificateDer = Uint8Array.from(Buffer.from(json.TESTCTX.CERTIFICATE, 'base64'));
  const signer = dccSignerKey(certificateDer);
  if (!signer.ok) throw new Error(`fixture ${path}: ${signer.reason.code}`);
  const clock = json.TESTCTX.VALIDATIONCLOCK;
  const clockMs = Date.parse(/Z|[+-]\d{2}:?\d{2}$/.test(clock) ? clock : `${clock}Z`);
  return { name: path, prefix: json.PREFIX, signer: signer.value, clockMs, certificateDer };
}

/** Valid signed vectors of every type and both algorithms, each verifiable at its clock. */
export const VALID_DCC_VECTOR_PATHS: readonly string[] = [
  'AT/2DCode/raw/1.json',
  'AT/2DCode/raw/2.json',
  'AT/2DCode/raw/3.json',
  'CH/2DCode/raw/1.json',
  'CH/2DCode/raw/2.json',
  'CH/2DCode/raw/3.json',
  'DK/2DCode/raw/1.json',
  'IE/2DCode/Raw/1.json',
  'IS/2DCode/raw/4.json',
  'IS/2DCode/raw/5.json',
  'ES/2DCode/raw/1501.json',
  'common/2DCode/raw/CO1.json',
  'common/2DCode/raw/CO2.json',
  'common/2DCode/raw/CO3.json',
];
