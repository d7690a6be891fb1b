import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bridgeUrlFromLocation, createWebSocketTransport, type WebSocketLike } from './web-bridge.js';
import type { VerdictView } from '../common/ipc/contract.js';

/** A WebSocket double: records what the bridge sends, lets the test play the server. */
class FakeSocket implements WebSocketLike {
  readyState = 0;
  readonly sent: unknown[] = [];
  readonly #listeners = new Map<string, ((event: { data: unknown }) => void)[]>();

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(): void {
    this.serverClose();
  }
  addEventListener(type: string, listener: (event: { data: unknown }) => void): void {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
  }
  #emit(type: string, data?: unknown): void {
    for (const listener of this.#listeners.get(type) ?? []) listener({ data });
  }
  serverOpen(): void {
    this.readyState = 1;
    this.#emit('open');
  }
  serverSend(message: unknown): void {
    this.#emit('message', typeof message === 'string' ? message : JSON.stringify(message));
  }
  serverClose(): void {
    this.readyState = 3;
    this.#emit('close');
  }
}

const verdict: VerdictView = {
  outcome: 'admit',
  readable: true,
  reasons: [{ code: 'status_green' }],
  credentialKind: 'pc1',
  holder: null,
  status: 'green',
  decidedAt: 1,
  checkinId: 'c1',
};

describe('bridgeUrlFromLocation', () => {
  it('builds the /ipc URL on the same host with the fragment token', () => {
    expect(bridgeUrlFromLocation({ protocol: 'http:', host: '127.0.0.1:4711', hash: '#token=a-b_c' })).toEqual({
      ok: true,
      url: 'ws://127.0.0.1:4711/ipc?token=a-b_c',
    });
  });

  it('reports a missing or empty token', () => {
    expect(bridgeUrlFromLocation({ protocol: 'http:', host: '127.0.0.1:1', hash: '' })).toEqual({ ok: false, reason: 'missing_token' });
    expect(bridgeUrlFromLocation({ protocol: 'http:', host: '127.0.0.1:1', hash: '#token=' })).toEqual({ ok: false, reason: 'missing_token' });
  });
});

describe('WebSocket transport', () => {
  let sockets: FakeSocket[];
  let lost: number;

  function transport(timeoutMs = 10_000) {
    return createWebSocketTransport({
      url: 'ws://127.0.0.1:1/ipc?token=t',
      createSocket: () => {
        const socket = new FakeSocket();
        sockets.push(socket);
        return socket;
      },
      requestTimeoutMs: timeoutMs,
      onConnectionLost: () => {
        lost += 1;
      },
    });
  }

  function only(): FakeSocket {
    const socket = sockets.at(-1);
    if (socket === undefined) throw new Error('no socket was opened');
    return socket;
  }

  beforeEach(() => {
    sockets = [];
    lost = 0;
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('queues calls until the socket opens, then matches answers by id', async () => {
    const bridge = transport();
    const first = bridge.invoke('kiosk:info', {});
    const second = bridge.invoke('checkins:recent', { limit: 3 });
    const socket = only();
    expect(socket.sent).toEqual([]);
    socket.serverOpen();
    expect(socket.sent).toEqual([
      { id: 1, channel: 'kiosk:info', request: {} },
      { id: 2, channel: 'checkins:recent', request: { limit: 3 } },
    ]);
    socket.serverSend({ id: 2, result: { ok: true, value: [] } });
    socket.serverSend({ id: 1, result: { ok: false, error: { code: 'internal_error', message: 'x' } } });
    expect(await second).toEqual({ ok: true, value: [] });
    expect(await first).toEqual({ ok: false, error: { code: 'internal_error', message: 'x' } });
  });

  it('ignores malformed frames and answers to unknown ids', async () => {
    const bridge = transport();
    const call = bridge.invoke('kiosk:info', {});
    const socket = only();
    socket.serverOpen();
    socket.serverSend('not json');
    socket.serverSend({ id: 99, result: { ok: true, value: 1 } });
    socket.serverSend({ id: 1, result: { nope: true } });
    socket.serverSend({ id: 1, result: { ok: true, value: 'info' } });
    expect(await call).toEqual({ ok: true, value: 'info' });
  });

  it('fails pending calls when the connection drops, and reconnects on the next call', async () => {
    const bridge = transport();
    const call = bridge.invoke('kiosk:info', {});
    only().serverOpen();
    only().serverClose();
    const result = await call;
    expect(result.ok).toBe(false);
    expect(lost).toBe(1);
    const again = bridge.invoke('kiosk:info', {});
    expect(sockets).toHaveLength(2);
    only().serverOpen();
    only().serverSend({ id: 2, result: { ok: true, value: 'back' } });
    expect(await again).toEqual({ ok: true, value: 'back' });
  });

  it('gives up on a call the kiosk never answers', async () => {
    vi.useFakeTimers();
    const bridge = transport(500);
    const call = bridge.invoke('scan:submit', { text: 'PC1:X', source: 'paste' });
    only().serverOpen();
    await vi.advanceTimersByTimeAsync(501);
    const result = await call;
    expect(result).toMatchObject({ ok: false, error: { code: 'internal_error' } });
  });

  it('delivers pushed events that match the contract, and stops after unsubscribe', () => {
    const bridge = transport();
    const seen: string[] = [];
    const unsubscribe = bridge.subscribe('verdict:pushed', (pushed) => seen.push(pushed.checkinId));
    const socket = only();
    socket.serverOpen();
    socket.serverSend({ event: 'verdict:pushed', payload: verdict });
    socket.serverSend({ event: 'verdict:pushed', payload: { ...verdict, outcome: 'maybe' } });
    socket.serverSend({ event: 'kiosk:wipe', payload: {} });
    unsubscribe();
    socket.serverSend({ event: 'verdict:pushed', payload: { ...verdict, checkinId: 'c2' } });
    expect(seen).toEqual(['c1']);
  });

  it('answers calls made after close() with an error, without reconnecting', async () => {
    const bridge = transport();
    bridge.close();
    const result = await bridge.invoke('kiosk:info', {});
    expect(result.ok).toBe(false);
    expect(sockets).toHaveLength(0);
  });
});
