import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { handOffDebUpdate, PENDING_DEB, PENDING_SIGNATURE, UpdateHandoffError } from './deb-update-handoff.js';

const SIGNATURE = new Uint8Array(64).fill(7);

describe('handOffDebUpdate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pccovid-handoff-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('puts the signature, then the downloaded package, in the spool, leaving no partial file', () => {
    const spool = mkdtempSync(join(dir, 'spool-'));
    const downloaded = join(dir, 'pccovid-kiosk_0.2.0_amd64.deb');
    writeFileSync(downloaded, 'the package');
    expect(handOffDebUpdate(downloaded, SIGNATURE, spool)).toBe(join(spool, PENDING_DEB));
    expect(readdirSync(spool).sort()).toEqual([PENDING_DEB, PENDING_SIGNATURE]);
    expect(readFileSync(join(spool, PENDING_DEB), 'utf8')).toBe('the package');
    expect(new Uint8Array(readFileSync(join(spool, PENDING_SIGNATURE)))).toEqual(SIGNATURE);
    // A second hand-over (the next night) replaces the first, signature included.
    writeFileSync(downloaded, 'a newer package');
    handOffDebUpdate(downloaded, new Uint8Array(64).fill(9), spool);
    expect(readFileSync(join(spool, PENDING_DEB), 'utf8')).toBe('a newer package');
    expect(readFileSync(join(spool, PENDING_SIGNATURE))[0]).toBe(9);
    expect(readdirSync(spool).sort()).toEqual([PENDING_DEB, PENDING_SIGNATURE]);
  });

  it('refuses a signature that is not 64 bytes, writing nothing', () => {
    const spool = mkdtempSync(join(dir, 'spool-'));
    const downloaded = join(dir, 'short-sig.deb');
    writeFileSync(downloaded, 'the package');
    expect(() => handOffDebUpdate(downloaded, new Uint8Array(63), spool)).toThrow(/63 bytes, not the 64 of an Ed25519 signature/);
    expect(readdirSync(spool)).toEqual([]);
  });

  it('says to reinstall when the spool is missing', () => {
    expect(() => handOffDebUpdate(join(dir, 'x.deb'), SIGNATURE, join(dir, 'no-spool'))).toThrow(/reinstall the pccovid-kiosk package/);
  });

  it('fails with a sentence and leaves nothing behind when the download is gone', () => {
    const spool = mkdtempSync(join(dir, 'spool-'));
    let caught: unknown;
    try {
      handOffDebUpdate(join(dir, 'vanished.deb'), SIGNATURE, spool);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UpdateHandoffError);
    // Neither file: a signature alone would wait for a package that never comes.
    expect(readdirSync(spool)).toEqual([]);
  });
});
