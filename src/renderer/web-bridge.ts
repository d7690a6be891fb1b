// window.kiosk for the web shell, where there is no preload: the same KioskApi, carried over a
// WebSocket to the page's own origin at /ipc. The per-launch token comes from the URL fragment
// (#token=...), which the browser never sends to any server nor puts in a Referer.
//
// Wire format (one JSON text frame each):
//   page -> kiosk  {id, channel, request}
//   kiosk -> page  {id, result: IpcResult} | {event, payload}
import {
  type Channel,
  type EventName,
  type EventOf,
  type IpcError,
  type IpcResult,
  type RequestOf,
  type ResponseOf,
  eventContract,
} from '../common/ipc/contract.js';
import { createKioskApi, type KioskApi, type KioskTransport } from '../common/ipc/kiosk-api.js';

export const IPC_PATH = '/ipc';
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** The part of the browser's WebSocket (and of the ws package's) that the bridge uses. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

const OPEN = 1;

export interface LocationLike {
  protocol: string;
  host: string;
  hash: string;
}

export type BridgeUrlResult = { ok: true; url: string } | { ok: false; reason: 'missing_token' };

/** ws://<same host>/ipc?token=<token from #token=...>. */
export function bridgeUrlFromLocation(location: LocationLike): BridgeUrlResult {
  const token = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  if (token === null || token === '') return { ok: false, reason: 'missing_token' };
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return { ok: true, url: `${scheme}://${location.host}${IPC_PATH}?token=${encodeURIComponent(token)}` };
}

export interface WebSocketTransportOptions {
  url: string;
  createSocket: (url: string) => WebSocketLike;
  requestTimeoutMs?: number;
  /** Called each time an open connection closes; the next call reconnects. */
  onConnectionLost?: () => void;
}

export interface WebSocketTransport extends KioskTransport {
  close(): void;
}

const CONNECTION_LOST: IpcError = {
  code: 'internal_error',
  message: 'The screen lost its connection to the kiosk.',
};

interface Pending {
  resolve: (result: IpcResult<unknown>) => void;
  timer: ReturnType<typeof setTimeout>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIpcResult(value: unknown): value is IpcResult<unknown> {
  if (!isRecord(value)) return false;
  if (value['ok'] === true) return 'value' in value;
  return value['ok'] === false && isRecord(value['error']) && typeof value['error']['code'] === 'string';
}

function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(eventContract, value);
}

export function createWebSocketTransport(options: WebSocketTransportOptions): WebSocketTransport {
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const pending = new Map<number, Pending>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let socket: WebSocketLike | null = null;
  let queue: string[] = [];
  let nextId = 1;
  let closed = false;

  function settle(id: number, result: IpcResult<unknown>): void {
    const entry = pending.get(id);
    if (entry === undefined) return;
    pending.delete(id);
    clearTimeout(entry.timer);
    entry.resolve(result);
  }

  function dispatch(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (!isRecord(message)) return;
    if (typeof message['id'] === 'number' && isIpcResult(message['result'])) {
      settle(message['id'], message['result']);
      return;
    }
    const event = message['event'];
    if (isEventName(event)) {
      const parsed = eventContract[event].safeParse(message['payload']);
      if (!parsed.success) return;
      for (const listener of listeners.get(event) ?? []) listener(parsed.data);
    }
  }

  function connect(): WebSocketLike {
    const created = options.createSocket(options.url);
    created.addEventListener('open', () => {
      const waiting = queue;
      queue = [];
      for (const frame of waiting) created.send(frame);
    });
    created.addEventListener('message', (event) => dispatch(event.data));
    created.addEventListener('close', () => {
      if (socket !== created) return;
      socket = null;
      queue = [];
      for (const id of [...pending.keys()]) settle(id, { ok: false, error: CONNECTION_LOST });
      if (!closed) options.onConnectionLost?.();
    });
    // 'error' is always followed by 'close', which does the cleanup.
    created.addEventListener('error', () => undefined);
    return created;
  }

  function send(frame: string): void {
    if (socket === null) socket = connect();
    if (socket.readyState === OPEN) socket.send(frame);
    else queue.push(frame);
  }

  return {
    invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<IpcResult<ResponseOf<C>>> {
      if (closed) return Promise.resolve({ ok: false, error: CONNECTION_LOST });
      const id = nextId++;
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          settle(id, {
            ok: false,
            error: { code: 'internal_error', message: `The kiosk did not answer ${channel} in time.` },
          });
        }, timeoutMs);
        // The kiosk answers each channel with that channel's response type (its schema is
        // checked in main before sending).
        pending.set(id, { resolve: resolve as (result: IpcResult<unknown>) => void, timer });
        send(JSON.stringify({ id, channel, request }));
      });
    },
    subscribe<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void {
      const wrapped = listener as (payload: unknown) => void;
      let set = listeners.get(event);
      if (set === undefined) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(wrapped);
      // Pushed events only flow on an open connection: open one now.
      if (socket === null && !closed) socket = connect();
      return () => {
        listeners.get(event)?.delete(wrapped);
      };
    },
    close(): void {
      closed = true;
      const current = socket;
      socket = null;
      for (const id of [...pending.keys()]) settle(id, { ok: false, error: CONNECTION_LOST });
      current?.close(1000, 'closing');
    },
  };
}

export type WebBridgeResult = { ok: true; api: KioskApi; transport: WebSocketTransport } | { ok: false; reason: 'missing_token' };

/** The browser's KioskApi for a page served by the web shell. */
export function createWebBridge(
  location: LocationLike,
  createSocket: (url: string) => WebSocketLike,
  onConnectionLost?: () => void,
): WebBridgeResult {
  const target = bridgeUrlFromLocation(location);
  if (!target.ok) return target;
  const transport = createWebSocketTransport({
    url: target.url,
    createSocket,
    ...(onConnectionLost === undefined ? {} : { onConnectionLost }),
  });
  return { ok: true, api: createKioskApi(transport), transport };
}
