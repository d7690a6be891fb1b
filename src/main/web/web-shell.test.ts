// Integration tests: the real web shell on loopback, a real ws client, a fake core.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { RENDERER_CSP_HEADER } from '../../common/security/renderer-csp.js';
import { createFakeKioskCore, FAKE_INFO, type FakeKioskCore, sampleVerdict } from '../testing/fake-kiosk-core.js';
import { MAX_MESSAGE_BYTES, startWebShell, type WebShell } from './web-shell.js';

const logger = pino({ level: 'silent' });

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends the path exactly as given (no normalisation), as an attacker's client would. */
function rawGet(port: number, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: 'GET', headers: { host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

type Outcome = { kind: 'open'; socket: WebSocket } | { kind: 'refused'; status: number };

function connect(url: string, origin: string | undefined): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, origin === undefined ? {} : { origin });
    socket.once('open', () => resolve({ kind: 'open', socket }));
    socket.once('unexpected-response', (_request, response) => {
      resolve({ kind: 'refused', status: response.statusCode ?? 0 });
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

function nextMessage(socket: WebSocket): Promise<unknown> {
  return new Promise((resolve) => {
    socket.once('message', (data: Buffer) => resolve(JSON.parse(data.toString('utf8'))));
  });
}

async function call(socket: WebSocket, message: unknown): Promise<unknown> {
  const reply = nextMessage(socket);
  socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  return reply;
}

describe('web shell', () => {
  let folder: string;
  let rendererDir: string;
  let core: FakeKioskCore;
  let shell: WebShell;
  let port: number;
  let origin: string;
  let ipcUrl: string;
  const sockets: WebSocket[] = [];

  async function open(): Promise<WebSocket> {
    const outcome = await connect(ipcUrl, origin);
    if (outcome.kind !== 'open') throw new Error(`refused with ${outcome.status}`);
    sockets.push(outcome.socket);
    return outcome.socket;
  }

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'pccovid-web-shell-'));
    rendererDir = join(folder, 'renderer');
    await mkdir(join(rendererDir, 'sub'), { recursive: true });
    await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>kiosk</title>');
    await writeFile(join(rendererDir, 'renderer.js'), 'export {};');
    await writeFile(join(rendererDir, 'sub', 'styles.css'), 'body{}');
    await writeFile(join(rendererDir, '.hidden.js'), 'secret');
    await writeFile(join(folder, 'secret.js'), 'the kiosk private key');
    core = createFakeKioskCore();
    shell = await startWebShell({ core, logger, port: 0, rendererDir });
    const parsed = new URL(shell.url);
    port = Number(parsed.port);
    origin = parsed.origin;
    ipcUrl = `ws://127.0.0.1:${port}/ipc?token=${encodeURIComponent(shell.token)}`;
  });

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.terminate();
    await shell.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('gives a loopback URL carrying a 32-byte base64url token in its fragment', () => {
    expect(shell.url).toBe(`http://127.0.0.1:${port}/#token=${shell.token}`);
    expect(shell.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(port).toBeGreaterThan(0);
  });

  it('serves index.html at / with the CSP and nosniff headers', async () => {
    const response = await rawGet(port, '/');
    expect(response.status).toBe(200);
    expect(response.body).toContain('<title>kiosk</title>');
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toBe(RENDERER_CSP_HEADER);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves files in sub-folders with their content type', async () => {
    const response = await rawGet(port, '/sub/styles.css');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it.each([
    '/../secret.js',
    '/%2e%2e/secret.js',
    '/..%2fsecret.js',
    '/sub/../../secret.js',
    '/%2e%2e%5csecret.js',
    '//etc/passwd',
  ])('refuses the path traversal %s with 404', async (path) => {
    const response = await rawGet(port, path);
    expect(response.status).toBe(404);
    expect(response.body).not.toContain('private key');
  });

  it('lists no directory and serves no dot-file', async () => {
    expect((await rawGet(port, '/sub/')).status).toBe(404);
    expect((await rawGet(port, '/sub')).status).toBe(404);
    expect((await rawGet(port, '/.hidden.js')).status).toBe(404);
  });

  it('answers nothing to a request for another host name (DNS rebinding)', async () => {
    const response = await rawGet(port, '/', { host: `evil.example:${port}` });
    expect(response.status).toBe(403);
  });

  it('refuses a WebSocket with a wrong or missing token', async () => {
    const wrong = await connect(`ws://127.0.0.1:${port}/ipc?token=${'A'.repeat(43)}`, origin);
    expect(wrong).toEqual({ kind: 'refused', status: 403 });
    const missing = await connect(`ws://127.0.0.1:${port}/ipc`, origin);
    expect(missing).toEqual({ kind: 'refused', status: 403 });
  });

  it('refuses a WebSocket from another origin, even with the token', async () => {
    expect(await connect(ipcUrl, 'http://evil.example')).toEqual({ kind: 'refused', status: 403 });
    expect(await connect(ipcUrl, `http://localhost:${port}`)).toEqual({ kind: 'refused', status: 403 });
    expect(await connect(ipcUrl, undefined)).toEqual({ kind: 'refused', status: 403 });
  });

  it('refuses a WebSocket on another path', async () => {
    const outcome = await connect(`ws://127.0.0.1:${port}/other?token=${shell.token}`, origin);
    expect(outcome).toEqual({ kind: 'refused', status: 404 });
  });

  it('answers kiosk:info over the WebSocket', async () => {
    const socket = await open();
    expect(await call(socket, { id: 1, channel: 'kiosk:info', request: {} })).toEqual({
      id: 1,
      result: { ok: true, value: FAKE_INFO },
    });
  });

  it('answers a request that breaks the schema with bad_request', async () => {
    const socket = await open();
    const reply = (await call(socket, { id: 7, channel: 'scan:submit', request: { text: 42, source: 'keyboard-wedge' } })) as {
      id: number;
      result: { ok: boolean; error: { code: string } };
    };
    expect(reply.id).toBe(7);
    expect(reply.result.ok).toBe(false);
    expect(reply.result.error.code).toBe('bad_request');
    expect(core.scans).toHaveLength(0);
  });

  it('answers non-JSON and id-less messages with bad_request', async () => {
    const socket = await open();
    expect(await call(socket, 'not json')).toMatchObject({ id: null, result: { ok: false, error: { code: 'bad_request' } } });
    expect(await call(socket, { channel: 'kiosk:info', request: {} })).toMatchObject({
      id: null,
      result: { ok: false, error: { code: 'bad_request' } },
    });
    expect(await call(socket, { id: 3, channel: 'kiosk:erase', request: {} })).toMatchObject({
      id: 3,
      result: { ok: false, error: { code: 'unknown_channel' } },
    });
  });

  it('hands scan:submit to the core and returns its verdict', async () => {
    const socket = await open();
    const reply = await call(socket, { id: 2, channel: 'scan:submit', request: { text: 'PC1:XYZ', source: 'paste' } });
    expect(core.scans).toHaveLength(1);
    expect(core.scans[0]).toMatchObject({ text: 'PC1:XYZ', source: 'paste', symbology: 'unknown' });
    expect(reply).toMatchObject({ id: 2, result: { ok: true, value: { outcome: 'admit', checkinId: sampleVerdict().checkinId } } });
  });

  it('pushes verdicts from the core to every connected screen', async () => {
    const first = await open();
    const second = await open();
    const pushed = sampleVerdict({ outcome: 'review', reasons: [{ code: 'status_yellow' }] });
    const received = Promise.all([nextMessage(first), nextMessage(second)]);
    core.push(pushed);
    expect(await received).toEqual([
      { event: 'verdict:pushed', payload: pushed },
      { event: 'verdict:pushed', payload: pushed },
    ]);
  });

  it('closes a connection that sends a message above the size bound', async () => {
    const socket = await open();
    const closed = new Promise<number>((resolve) => socket.once('close', (code: number) => resolve(code)));
    socket.send(JSON.stringify({ id: 1, channel: 'scan:submit', request: { text: 'x'.repeat(MAX_MESSAGE_BYTES), source: 'paste' } }));
    expect(await closed).toBe(1009);
    expect(core.scans).toHaveLength(0);
  });

  it('stops listening to the core when closed', async () => {
    expect(core.listenerCount()).toBe(1);
    await shell.close();
    expect(core.listenerCount()).toBe(0);
    await expect(rawGet(port, '/')).rejects.toThrow();
  });
});
