import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { handOffDebUpdate, PENDING_DEB, UpdateHandoffError } from './deb-update-handoff.js';

describe('handOffDebUpdate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pccovid-handoff-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('puts the downloaded package in the spool as pending.deb, leaving no partial file', () => {
    const spool = mkdtempSync(join(dir, 'spool-'));
    const downloaded = join(dir, 'pccovid-kiosk_0.2.0_amd64.deb');
    writeFileSync(downloaded, 'the package');
    expect(handOffDebUpdate(downloaded, spool)).toBe(join(spool, PENDING_DEB));
    expect(readdirSync(spool)).toEqual([PENDING_DEB]);
    expect(readFileSync(join(spool, PENDING_DEB), 'utf8')).toBe('the package');
    // A second hand-over (the next night) replaces the first.
    writeFileSync(downloaded, 'a newer package');
    handOffDebUpdate(downloaded, spool);
    expect(readFileSync(join(spool, PENDING_DEB), 'utf8')).toBe('a newer package');
    expect(readdirSync(spool)).toEqual([PENDING_DEB]);
  });

  it('says to reinstall when the spool is missing', () => {
    expect(() => handOffDebUpdate(join(dir, 'x.deb'), join(dir, 'no-spool'))).toThrow(/reinstall the pccovid-kiosk package/);
  });

  it('fails with a sentence and leaves nothing behind when the download is gone', () => {
    const spool = mkdtempSync(join(dir, 'spool-'));
    let caught: unknown;
    try {
      handOffDebUpdate(join(dir, 'vanished.deb'), spool);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UpdateHandoffError);
    expect(readdirSync(spool)).toEqual([]);
  });
});
