import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpdateHandoffError } from './deb-update-handoff.js';
import { fetchUpdateSignature, signatureUrlFor } from './update-signature.js';

describe('the release signature next to a package on the update server', () => {
  it('is the package address plus .sig, relative to the server base with or without its slash', () => {
    expect(signatureUrlFor('https://updates.example.gov.vn/pccovid-kiosk/', 'pccovid-kiosk_0.2.0_amd64.deb')).toBe(
      'https://updates.example.gov.vn/pccovid-kiosk/pccovid-kiosk_0.2.0_amd64.deb.sig',
    );
    expect(signatureUrlFor('https://updates.example.gov.vn/pccovid-kiosk', 'pccovid-kiosk_0.2.0_amd64.deb')).toBe(
      'https://updates.example.gov.vn/pccovid-kiosk/pccovid-kiosk_0.2.0_amd64.deb.sig',
    );
    // An index naming the package by a full address, query kept out of the signature's path.
    expect(signatureUrlFor('https://u.example/', 'https://cdn.example/k/p.deb?x=1')).toBe('https://cdn.example/k/p.deb.sig?x=1');
  });

  describe('fetched from a server on loopback', () => {
    let server: Server;
    let base: string;
    beforeAll(async () => {
      server = createServer((request, response) => {
        if (request.url === '/good.deb.sig') response.end(Buffer.alloc(64, 3));
        else if (request.url === '/short.deb.sig') response.end(Buffer.alloc(10, 3));
        else if (request.url === '/broken.deb.sig') {
          response.statusCode = 503;
          response.end('busy');
        } else {
          response.statusCode = 404;
          response.end('not found');
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('returns its 64 bytes', async () => {
      expect(await fetchUpdateSignature(`${base}good.deb.sig`)).toEqual(new Uint8Array(64).fill(3));
    });

    it('says to sign and publish when the server has none', async () => {
      await expect(fetchUpdateSignature(`${base}unsigned.deb.sig`)).rejects.toThrow(/has no signature at .*sign the package with build\/scripts\/sign-update\.mjs/);
    });

    it('refuses a file that is not a signature, and reports a server error as one to retry', async () => {
      await expect(fetchUpdateSignature(`${base}short.deb.sig`)).rejects.toThrow(/is 10 bytes, not a 64-byte signature/);
      await expect(fetchUpdateSignature(`${base}broken.deb.sig`)).rejects.toThrow(/answered 503 .*tries again later/);
    });

    it('reports an unreachable server as one to retry', async () => {
      const error: unknown = await fetchUpdateSignature('http://127.0.0.1:9/x.deb.sig').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UpdateHandoffError);
      expect(String(error)).toMatch(/could not be downloaded .*tries again later/);
    });
  });
});
