// Signs kiosk update packages with the release key, for the root helper that installs them on a
// Linux kiosk (build/linux/install-update) and checks the signature with the public release keys
// the package installed in /usr/share/pccovid-kiosk/update-keys/ (from build/update-keys/).
//
//   node build/scripts/sign-update.mjs --new-key DIR          a release key pair: DIR/release-key.pem
//                                                              (private, 0600: keep it offline) and
//                                                              DIR/release-key.pub.pem (copy it into
//                                                              build/update-keys/ before building)
//   node build/scripts/sign-update.mjs --key KEY.pem FILE...  FILE.sig for each package: publish it
//                                                              next to the package on the update server
//
// A signature is 64 raw bytes of Ed25519 over the statement
// "pccovid-kiosk update v1\nsha512 <lower-case hex SHA-512 of the file>\n", so the helper checks
// it with sha512sum and `openssl pkeyutl -verify -rawin` (OpenSSL 3), without reading the package
// into memory whole.
import { createHash, createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** What the release key signs for one package. */
export function updateStatement(sha512Hex) {
  return Buffer.from(`pccovid-kiosk update v1\nsha512 ${sha512Hex}\n`, 'utf8');
}

export async function sha512OfFile(path) {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest('hex');
}

/** Writes `<file>.sig`; returns its path. */
export async function signUpdate(file, privateKeyPem) {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`the release key must be Ed25519, not ${key.asymmetricKeyType}`);
  const signature = sign(null, updateStatement(await sha512OfFile(file)), key);
  const out = `${file}.sig`;
  writeFileSync(out, signature);
  return out;
}

/** A new release key pair in `dir`; refuses to overwrite one. */
export function newReleaseKey(dir) {
  const privatePath = join(dir, 'release-key.pem');
  const publicPath = join(dir, 'release-key.pub.pem');
  if (existsSync(privatePath) || existsSync(publicPath)) throw new Error(`${dir} already holds a release key: move it away first`);
  mkdirSync(dir, { recursive: true });
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(privatePath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(publicPath, publicKey.export({ type: 'spki', format: 'pem' }));
  return { privatePath, publicPath };
}

async function main() {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { key: { type: 'string' }, 'new-key': { type: 'string' } } });
  if (values['new-key'] !== undefined) {
    const made = newReleaseKey(values['new-key']);
    process.stdout.write(`private key (keep it offline): ${made.privatePath}\npublic key (copy into build/update-keys/): ${made.publicPath}\n`);
    return;
  }
  if (values.key === undefined || positionals.length === 0) {
    process.stderr.write('usage: node build/scripts/sign-update.mjs --key KEY.pem FILE...   |   --new-key DIR\n');
    process.exitCode = 64;
    return;
  }
  const pem = readFileSync(values.key, 'utf8');
  for (const file of positionals) process.stdout.write(`${await signUpdate(file, pem)}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(`sign-update: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
