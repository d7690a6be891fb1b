// The renderer's web bridge against the real web shell on loopback: the two halves of the
// WebSocket protocol must agree (they live in layers that may not import each other).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { VerdictView } from '../../src/common/ipc/contract.js';
import { createFakeKioskCore, FAKE_INFO, type FakeKioskCore, sampleVerdict } from '../../src/main/testing/fake-kiosk-core.js';
import { startWebShell, type WebShell } from '../../src/main/web/web-shell.js';
import { createWebBridge, type WebBridgeResult, type WebSocketLike } from '../../src/renderer/web-bridge.js';

describe('web bridge over the web shell', () => {
  let folder: string;
  let core: FakeKioskCore;
  let shell: WebShell;
  let bridge: WebBridgeResult;
  const sockets: WebSocket[] = [];

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'pccovid-bridge-'));
    await writeFile(join(folder, 'index.html'), '<!doctype html>');
    core = createFakeKioskCore();
    shell = await startWebShell({ core, logger: pino({ level: 'silent' }), rendererDir: folder });
    const page = new URL(shell.url);
    // What the browser does: same host, the fragment as the page got it, Origin set by itself.
    bridge = createWebBridge({ protocol: page.protocol, host: page.host, hash: page.hash }, (url) => {
      const socket = new WebSocket(url, { origin: page.origin });
      sockets.push(socket);
      return socket satisfies WebSocketLike;
    });
  });

  afterEach(async () => {
    if (bridge.ok) bridge.transport.close();
    for (const socket of sockets.splice(0)) socket.terminate();
    await shell.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('calls every channel of the contract', async () => {
    if (!bridge.ok) throw new Error('the bridge found no token in the shell URL');
    expect(await bridge.api.kiosk.info()).toEqual(FAKE_INFO);
    const verdict = await bridge.api.scan.submit({ text: 'hello world', source: 'keyboard-wedge' });
    expect(verdict.outcome).toBe('deny');
    expect(verdict.reasons.map((reason) => reason.code)).toEqual(['unknown_format']);
    expect(core.scans.map((scan) => scan.text)).toEqual(['hello world']);
    expect(await bridge.api.checkins.recent({ limit: 5 })).toHaveLength(1);
  });

  it('turns a refused request into a KioskCallError with its code', async () => {
    if (!bridge.ok) throw new Error('the bridge found no token in the shell URL');
    await expect(bridge.api.checkins.recent({ limit: 0 })).rejects.toMatchObject({
      name: 'KioskCallError',
      code: 'bad_request',
    });
  });

  it('delivers pushed verdicts to subscribers', async () => {
    if (!bridge.ok) throw new Error('the bridge found no token in the shell URL');
    const api = bridge.api;
    // The first call opens the connection; pushes flow once it is open.
    await api.kiosk.info();
    const received: VerdictView[] = [];
    const arrived = new Promise<void>((resolve) => {
      api.verdicts.onPushed((verdict) => {
        received.push(verdict);
        resolve();
      });
    });
    core.push(sampleVerdict({ checkinId: 'pushed-1', outcome: 'review' }));
    await arrived;
    expect(received.map((verdict) => [verdict.checkinId, verdict.outcome])).toEqual([['pushed-1', 'review']]);
  });
});
