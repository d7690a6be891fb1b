// The demo authority: an Ed25519 key made on first start in the data directory, so a fresh
// kiosk can issue and verify sample passes with no upstream. Its key is trusted only as
// "demo" (provisioning replaces it with the real authority's keys).
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { base45Encode } from '../../common/formats/base45.js';
import { encodePc1Pass, type Pc1Claims } from '../../common/formats/pc1/pc1-claims.js';
import type { HealthStatus } from '../../common/types/credential.js';
import { toHex, type IssuerKey } from '../pipeline/verify.js';
import { addIssuerKey } from '../store/queries/issuer-keys.js';
import type { WritableDB } from '../store/database.js';
import { keyIdOf } from '../trust/trust-store.js';

export const DEMO_ISSUER = 'VN-MOH-DEMO';
export const DEMO_KEY_FILE = 'demo-authority-key.pem';
const DAY_SECONDS = 86_400;

export interface DemoAuthority {
  issuer: string;
  kid: Uint8Array;
  privateKey: KeyObject;
  publicKeyDer: Buffer;
}

function loadOrCreateKey(dataDir: string): KeyObject {
  const path = join(dataDir, DEMO_KEY_FILE);
  try {
    return createPrivateKey(readFileSync(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`The demo authority key ${path} is unreadable; delete it to make a new one.`, { cause: error });
    }
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' });
  try {
    // 'wx': if another process created it meanwhile, theirs wins and is read back.
    writeFileSync(path, pem, { flag: 'wx', mode: 0o600 });
    return privateKey;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return createPrivateKey(readFileSync(path, 'utf8'));
  }
}

/** Loads (creating on first use) the demo authority and trusts its key in this database. */
export function ensureDemoAuthority(dataDir: string, db: WritableDB, nowMs: number): DemoAuthority {
  const privateKey = loadOrCreateKey(dataDir);
  const publicKeyDer = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const kid = keyIdOf(publicKeyDer);
  addIssuerKey(db, { kid: toHex(kid), issuer: DEMO_ISSUER, alg: 'EdDSA', publicKeyDer, origin: 'demo' }, nowMs);
  return { issuer: DEMO_ISSUER, kid, privateKey, publicKeyDer };
}

export interface DemoPassOptions {
  status?: HealthStatus;
  expired?: boolean;
  nowMs: number;
  subjectId?: string;
  name?: string;
  dateOfBirth?: string;
  doses?: number;
}

export function demoPassClaims(authority: DemoAuthority, options: DemoPassOptions): Pc1Claims {
  const now = Math.floor(options.nowMs / 1000);
  // An expired pass was issued 60 days ago for 30 days; a current one is good for 30 days.
  const issuedAt = options.expired === true ? now - 60 * DAY_SECONDS : now;
  return {
    issuer: authority.issuer,
    issuedAt,
    expiresAt: issuedAt + 30 * DAY_SECONDS,
    subjectId: options.subjectId ?? 'VN-ID:079190001234',
    name: options.name ?? 'Trần Thị Bích Ngọc',
    dateOfBirth: options.dateOfBirth ?? '1990-04-12',
    status: options.status ?? 'green',
    vaccination: { doses: options.doses ?? 3, lastDoseDate: '2022-03-15' },
  };
}

export function signPc1Pass(authority: DemoAuthority, claims: Pc1Claims): string {
  return encodePc1Pass(
    claims,
    { kid: authority.kid, sign: (toBeSigned) => sign(null, toBeSigned, authority.privateKey) },
    (bytes) => deflateSync(bytes, { level: 9 }),
    base45Encode,
  );
}

export function issueDemoPass(authority: DemoAuthority, options: DemoPassOptions): string {
  return signPc1Pass(authority, demoPassClaims(authority, options));
}

/** An authority whose key lives only in memory: for tests, benchmarks and impostors. */
export function createEphemeralAuthority(issuer: string = DEMO_ISSUER): DemoAuthority {
  const { privateKey } = generateKeyPairSync('ed25519');
  const publicKeyDer = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return { issuer, kid: keyIdOf(publicKeyDer), privateKey, publicKeyDer };
}

/** The trusted-key entry of an authority, as the trust store holds it. */
export function issuerKeyOf(authority: DemoAuthority): IssuerKey {
  return { kidHex: toHex(authority.kid), issuer: authority.issuer, alg: 'EdDSA', publicKey: createPublicKey(authority.privateKey) };
}
