// HPKE base mode (RFC 9180) for one suite: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
// AES-128-GCM, single-shot (sequence 0). Built on node:crypto so sealing is synchronous and can
// sit inside the check-in write. The kiosk only ever seals; open() exists for the health
// authority's tracing tool and for tests, with a private key the kiosk does not hold.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { SUBJECT_SEAL_ENC_BYTES, SUBJECT_SEAL_SUITE } from '../../common/sync/sealed-subject.js';

const KEM_ID = 0x0020;
const KDF_ID = 0x0001;
const AEAD_ID = 0x0001;
const N_SECRET = 32;
const N_KEY = 16;
const N_NONCE = 12;
const N_TAG = 16;
export const HPKE_ENC_LENGTH = SUBJECT_SEAL_ENC_BYTES;
export const HPKE_SUITE = SUBJECT_SEAL_SUITE;

const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const X25519_SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

function i2osp(value: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  out.writeUIntBE(value, 0, length);
  return out;
}

const KEM_SUITE_ID = Buffer.concat([Buffer.from('KEM'), i2osp(KEM_ID, 2)]);
const HPKE_SUITE_ID = Buffer.concat([Buffer.from('HPKE'), i2osp(KEM_ID, 2), i2osp(KDF_ID, 2), i2osp(AEAD_ID, 2)]);
const VERSION_LABEL = Buffer.from('HPKE-v1');

function hkdfExtract(salt: Buffer, ikm: Buffer): Buffer {
  return createHmac('sha256', salt.length === 0 ? Buffer.alloc(N_SECRET) : salt).update(ikm).digest();
}

function hkdfExpand(prk: Buffer, info: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  for (let i = 1; Buffer.concat(blocks).length < length; i++) {
    previous = createHmac('sha256', prk).update(Buffer.concat([previous, info, Buffer.from([i])])).digest();
    blocks.push(previous);
  }
  return Buffer.concat(blocks).subarray(0, length);
}

function labeledExtract(suiteId: Buffer, salt: Buffer, label: string, ikm: Buffer): Buffer {
  return hkdfExtract(salt, Buffer.concat([VERSION_LABEL, suiteId, Buffer.from(label), ikm]));
}

function labeledExpand(suiteId: Buffer, prk: Buffer, label: string, info: Buffer, length: number): Buffer {
  return hkdfExpand(prk, Buffer.concat([i2osp(length, 2), VERSION_LABEL, suiteId, Buffer.from(label), info]), length);
}

export function x25519PrivateKeyFromRaw(raw: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([X25519_PKCS8_PREFIX, raw]), format: 'der', type: 'pkcs8' });
}

export function x25519PublicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new Error(`an X25519 public key is 32 bytes, not ${raw.length}`);
  return createPublicKey({ key: Buffer.concat([X25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

export function rawX25519PublicKey(key: KeyObject): Buffer {
  // JWK export is ~70 times cheaper than SPKI DER here, and sealing runs on every check-in.
  const { x } = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'jwk' });
  if (x === undefined) throw new Error('not an X25519 key');
  return Buffer.from(x, 'base64url');
}

/** Id of a sealing key: the first 8 bytes of SHA-256 over the raw public key, hex. */
export function sealingKeyIdOf(rawPublicKey: Uint8Array): string {
  return createHash('sha256').update(rawPublicKey).digest().subarray(0, 8).toString('hex');
}

function extractAndExpand(dh: Buffer, kemContext: Buffer): Buffer {
  const eaePrk = labeledExtract(KEM_SUITE_ID, Buffer.alloc(0), 'eae_prk', dh);
  return labeledExpand(KEM_SUITE_ID, eaePrk, 'shared_secret', kemContext, N_SECRET);
}

interface KeySchedule {
  key: Buffer;
  baseNonce: Buffer;
}

/** key_schedule_context depends only on the info (base mode); every check-in uses the same one. */
const contextByInfo = new Map<string, Buffer>();

function scheduleContext(info: Buffer): Buffer {
  const cacheKey = info.toString('hex');
  let context = contextByInfo.get(cacheKey);
  if (context === undefined) {
    const empty = Buffer.alloc(0);
    const pskIdHash = labeledExtract(HPKE_SUITE_ID, empty, 'psk_id_hash', empty);
    const infoHash = labeledExtract(HPKE_SUITE_ID, empty, 'info_hash', info);
    context = Buffer.concat([Buffer.from([0x00]), pskIdHash, infoHash]);
    if (contextByInfo.size < 16) contextByInfo.set(cacheKey, context);
  }
  return context;
}

function keySchedule(sharedSecret: Buffer, info: Buffer): KeySchedule {
  const empty = Buffer.alloc(0);
  const context = scheduleContext(info);
  const secret = labeledExtract(HPKE_SUITE_ID, sharedSecret, 'secret', empty);
  return {
    key: labeledExpand(HPKE_SUITE_ID, secret, 'key', context, N_KEY),
    baseNonce: labeledExpand(HPKE_SUITE_ID, secret, 'base_nonce', context, N_NONCE),
  };
}

export interface HpkeSealInput {
  recipientPublicKey: KeyObject;
  info: Uint8Array;
  aad: Uint8Array;
  plaintext: Uint8Array;
  /** Tests only: a fixed ephemeral key (RFC 9180 test vectors). */
  ephemeralPrivateKey?: KeyObject;
}

export interface HpkeSealed {
  enc: Buffer;
  ciphertext: Buffer;
  /** Exposed for the RFC test vectors. */
  schedule: KeySchedule & { sharedSecret: Buffer };
}

/**
 * Fresh ephemeral key pairs, made between check-ins rather than inside one: each is used for one
 * seal and dropped, exactly as one made on the spot (RFC 9180 asks only that it be fresh and
 * random). Keeps the key generation (~40 µs) off the path from scan to verdict.
 */
const EPHEMERAL_POOL_SIZE = 8;
const ephemeralPool: { privateKey: KeyObject; enc: Buffer }[] = [];
let refillScheduled = false;

function freshEphemeral(): { privateKey: KeyObject; enc: Buffer } {
  const { privateKey } = generateKeyPairSync('x25519');
  return { privateKey, enc: rawX25519PublicKey(privateKey) };
}

function takeEphemeral(): { privateKey: KeyObject; enc: Buffer } {
  const taken = ephemeralPool.pop() ?? freshEphemeral();
  if (!refillScheduled) {
    refillScheduled = true;
    setImmediate(() => {
      refillScheduled = false;
      while (ephemeralPool.length < EPHEMERAL_POOL_SIZE) ephemeralPool.push(freshEphemeral());
    });
  }
  return taken;
}

/** The recipient's raw public key, exported once per key object. */
const rawRecipients = new WeakMap<KeyObject, Buffer>();
function rawRecipient(key: KeyObject): Buffer {
  let raw = rawRecipients.get(key);
  if (raw === undefined) {
    raw = rawX25519PublicKey(key);
    rawRecipients.set(key, raw);
  }
  return raw;
}

export function hpkeSeal(input: HpkeSealInput): HpkeSealed {
  const ephemeral =
    input.ephemeralPrivateKey === undefined ? takeEphemeral() : { privateKey: input.ephemeralPrivateKey, enc: rawX25519PublicKey(input.ephemeralPrivateKey) };
  const enc = ephemeral.enc;
  const dh = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: input.recipientPublicKey });
  const sharedSecret = extractAndExpand(dh, Buffer.concat([enc, rawRecipient(input.recipientPublicKey)]));
  const schedule = keySchedule(sharedSecret, Buffer.from(input.info));
  const cipher = createCipheriv('aes-128-gcm', schedule.key, schedule.baseNonce);
  cipher.setAAD(input.aad);
  const ciphertext = Buffer.concat([cipher.update(input.plaintext), cipher.final(), cipher.getAuthTag()]);
  return { enc, ciphertext, schedule: { ...schedule, sharedSecret } };
}

export interface HpkeOpenInput {
  recipientPrivateKey: KeyObject;
  enc: Uint8Array;
  ciphertext: Uint8Array;
  info: Uint8Array;
  aad: Uint8Array;
}

/** Opens what hpkeSeal sealed; throws when the key, AAD or bytes do not match. */
export function hpkeOpen(input: HpkeOpenInput): Buffer {
  if (input.enc.length !== HPKE_ENC_LENGTH || input.ciphertext.length < N_TAG) {
    throw new Error('sealed data is too short to be an HPKE message');
  }
  const dh = diffieHellman({ privateKey: input.recipientPrivateKey, publicKey: x25519PublicKeyFromRaw(input.enc) });
  const sharedSecret = extractAndExpand(
    dh,
    Buffer.concat([Buffer.from(input.enc), rawX25519PublicKey(input.recipientPrivateKey)]),
  );
  const { key, baseNonce } = keySchedule(sharedSecret, Buffer.from(input.info));
  const decipher = createDecipheriv('aes-128-gcm', key, baseNonce);
  decipher.setAAD(input.aad);
  const body = input.ciphertext.subarray(0, input.ciphertext.length - N_TAG);
  decipher.setAuthTag(input.ciphertext.subarray(input.ciphertext.length - N_TAG));
  return Buffer.concat([decipher.update(body), decipher.final()]);
}
