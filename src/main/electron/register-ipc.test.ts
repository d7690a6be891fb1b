import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../../common/ipc/contract.js';
import { createFakeKioskCore, FAKE_INFO, sampleVerdict } from '../testing/fake-kiosk-core.js';
import { type InvokeEventLike, type IpcMainLike, isRendererFileSender, type PushTarget, registerIpcHandlers } from './register-ipc.js';

const logger = pino({ level: 'silent' });
const INDEX_URL = 'file:///opt/pccovid-kiosk/dist/renderer/index.html';

type Handler = (event: InvokeEventLike, ...args: unknown[]) => unknown;

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, event: InvokeEventLike, ...args: unknown[]): unknown {
    const handler = this.handlers.get(channel);
    if (handler === undefined) throw new Error(`no handler for ${channel}`);
    return handler(event, ...args);
  }
}

class FakeWebContents implements PushTarget {
  readonly sent: [string, unknown[]][] = [];
  destroyed = false;
  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, args]);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

function eventFrom(url: string, parent: unknown = null): InvokeEventLike {
  return { senderFrame: { url, parent } };
}

function setup() {
  const ipcMain = new FakeIpcMain();
  const core = createFakeKioskCore();
  const contents = new FakeWebContents();
  const dispose = registerIpcHandlers(ipcMain, core, logger, isRendererFileSender(INDEX_URL), contents);
  return { ipcMain, core, contents, dispose };
}

describe('registerIpcHandlers', () => {
  it('registers one handler per contract channel', () => {
    const { ipcMain } = setup();
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...CHANNELS].sort());
  });

  it('answers a valid call from the kiosk page', () => {
    const { ipcMain, core } = setup();
    expect(ipcMain.invoke('kiosk:info', eventFrom(INDEX_URL), {})).toEqual({ ok: true, value: FAKE_INFO });
    const result = ipcMain.invoke('scan:submit', eventFrom(`${INDEX_URL}#x`), { text: 'PC1:ABC', source: 'keyboard-wedge' });
    expect(result).toMatchObject({ ok: true, value: { outcome: 'admit' } });
    expect(core.scans.map((scan) => scan.text)).toEqual(['PC1:ABC']);
  });

  it.each([
    ['another file', eventFrom('file:///tmp/evil.html')],
    ['a web page', eventFrom('https://evil.example/dist/renderer/index.html')],
    ['a frame inside the kiosk page', eventFrom(INDEX_URL, { url: INDEX_URL })],
    ['a destroyed frame', { senderFrame: null }],
    ['an unparsable URL', eventFrom('not a url')],
  ])('refuses a call from %s with bad_sender and does not run it', (_name, event) => {
    const { ipcMain, core } = setup();
    const result = ipcMain.invoke('scan:submit', event, { text: 'PC1:ABC', source: 'keyboard-wedge' });
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_sender' } });
    expect(core.scans).toHaveLength(0);
  });

  it('answers a request that breaks the schema with bad_request', () => {
    const { ipcMain, core } = setup();
    const result = ipcMain.invoke('scan:submit', eventFrom(INDEX_URL), { text: 'PC1:ABC', source: 'telepathy' });
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(ipcMain.invoke('checkins:recent', eventFrom(INDEX_URL))).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(core.scans).toHaveLength(0);
  });

  it('forwards pushed verdicts to the window while it lives', () => {
    const { core, contents } = setup();
    const verdict = sampleVerdict({ checkinId: 'pushed' });
    core.push(verdict);
    contents.destroyed = true;
    core.push(sampleVerdict({ checkinId: 'after-close' }));
    expect(contents.sent).toEqual([['verdict:pushed', [verdict]]]);
  });

  it('removes its handlers and its core listener on dispose', () => {
    const { ipcMain, core, dispose } = setup();
    expect(core.listenerCount()).toBe(1);
    dispose();
    expect(ipcMain.handlers.size).toBe(0);
    expect(core.listenerCount()).toBe(0);
  });
});
