// The web shell: the kiosk core behind a loopback HTTP server. It serves the built renderer and
// carries the IPC contract over a WebSocket at /ipc. Only a page that holds this launch's token
// (handed over in the URL fragment) and comes from this very origin may connect; everything is
// bound to 127.0.0.1, never to another interface.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { RENDERER_CSP_HEADER } from '../../common/security/renderer-csp.js';
import type { IpcResult } from '../../common/ipc/contract.js';
import type { KioskCore } from '../core/kiosk-core.js';
import { handleIpcRequest, type ShellHooks } from '../ipc/handle-request.js';
import type { Logger } from '../log.js';
import { contentTypeFor, findRendererDir, staticFilePath } from './static-files.js';

export const LOOPBACK_HOST = '127.0.0.1';
export const IPC_PATH = '/ipc';
/** Largest WebSocket message accepted; a scan is at most 8 KiB of text. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** A kiosk has one screen; a few more connections allow a reload while the old one closes. */
export const MAX_CLIENTS = 8;

export interface WebShellOptions {
  core: KioskCore;
  logger: Logger;
  /** 0 or absent: any free port. */
  port?: number;
  /** The built renderer (dist/renderer); found from the running file when absent. */
  rendererDir?: string;
  /** What `kiosk:leave` does once the PIN is right (absent: the channel answers not_supported). */
  leaveKiosk?: () => void;
}

export interface WebShell {
  /** http://127.0.0.1:PORT/#token=TOKEN: the only address that opens a working screen. */
  url: string;
  token: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS: Readonly<OutgoingHttpHeaders> = {
  'Content-Security-Policy': RENDERER_CSP_HEADER,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Compares digests, so neither the content nor the length of the token leaks through timing. */
function tokenMatches(expected: string, given: string | null): boolean {
  return given !== null && timingSafeEqual(sha256(expected), sha256(given));
}

function sendText(response: ServerResponse, status: number, text: string, extra: OutgoingHttpHeaders = {}): void {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    ...extra,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}

function refuseUpgrade(socket: Duplex, status: 403 | 404 | 503, text: string): void {
  const reason = status === 403 ? 'Forbidden' : status === 404 ? 'Not Found' : 'Service Unavailable';
  // Destroyed only once the answer is flushed, so the client learns why it was refused.
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
    () => socket.destroy(),
  );
}

type MessageId = number | string | null;

function badRequest(message: string): IpcResult<never> {
  return { ok: false, error: { code: 'bad_request', message } };
}

function parseMessage(data: RawData, isBinary: boolean): { id: MessageId; channel: unknown; request: unknown } | { id: MessageId; error: IpcResult<never> } {
  if (isBinary) return { id: null, error: badRequest('Messages must be JSON text, not binary.') };
  let message: unknown;
  try {
    message = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : String(data));
  } catch {
    return { id: null, error: badRequest('The message is not valid JSON.') };
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return { id: null, error: badRequest('The message must be an object {id, channel, request}.') };
  }
  const fields = message as Record<string, unknown>;
  const id = fields['id'];
  const validId =
    (typeof id === 'number' && Number.isSafeInteger(id)) || (typeof id === 'string' && id.length <= 64);
  if (!validId) {
    return { id: null, error: badRequest('The message needs an id: an integer or a short string.') };
  }
  return { id, channel: fields['channel'], request: fields['request'] };
}

function listen(server: ReturnType<typeof createServer>, port: number): Promise<number> {
  return new Promise((resolveListen, rejectListen) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      rejectListen(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${port} on ${LOOPBACK_HOST} is already in use: choose another port or stop the program using it.`)
          : error,
      );
    };
    const onListening = (): void => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string') {
        rejectListen(new Error('The web shell could not learn its own port.'));
        return;
      }
      resolveListen(address.port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, LOOPBACK_HOST);
  });
}

export async function startWebShell(options: WebShellOptions): Promise<WebShell> {
  const { core, logger } = options;
  const shellHooks: ShellHooks = options.leaveKiosk === undefined ? {} : { leaveKiosk: options.leaveKiosk };
  const rendererDir = options.rendererDir ?? findRendererDir();
  const token = randomBytes(32).toString('base64url');
  // Filled in once listening; no request is served before.
  let origin = '';
  let host = '';

  async function serveStatic(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.headers.host !== host) {
      // A page on another name that resolves here (DNS rebinding) gets nothing.
      sendText(response, 403, 'This kiosk answers only at its own address.');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendText(response, 405, 'Only GET and HEAD are served.', { Allow: 'GET, HEAD' });
      return;
    }
    const filePath = staticFilePath(rendererDir, request.url ?? '/');
    const contentType = filePath === null ? null : contentTypeFor(filePath);
    if (filePath === null || contentType === null) {
      sendText(response, 404, 'Not found.');
      return;
    }
    let body: Buffer;
    try {
      const info = await stat(filePath);
      if (!info.isFile()) {
        sendText(response, 404, 'Not found.');
        return;
      }
      body = await readFile(filePath);
    } catch {
      sendText(response, 404, 'Not found.');
      return;
    }
    response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': contentType, 'Content-Length': body.length });
    response.end(request.method === 'HEAD' ? undefined : body);
  }

  const server = createServer((request, response) => {
    serveStatic(request, response).catch((error: unknown) => {
      logger.error({ err: error, url: request.url }, 'web shell failed to serve a file');
      if (!response.headersSent) sendText(response, 500, 'The kiosk could not serve this file; see its log.');
      else response.destroy();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, clientTracking: true });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = new URL(request.url ?? '/', origin);
    if (target.pathname !== IPC_PATH) {
      refuseUpgrade(socket, 404, 'Not found.');
      return;
    }
    if (request.headers.host !== host || request.headers.origin !== origin) {
      logger.warn({ origin: request.headers.origin, host: request.headers.host }, 'refused a WebSocket from a foreign page');
      refuseUpgrade(socket, 403, 'Only the kiosk screen served here may connect.');
      return;
    }
    if (!tokenMatches(token, target.searchParams.get('token'))) {
      logger.warn('refused a WebSocket without this launch\'s token');
      refuseUpgrade(socket, 403, 'The access token is missing or wrong: open the link the kiosk printed.');
      return;
    }
    if (wss.clients.size >= MAX_CLIENTS) {
      refuseUpgrade(socket, 503, 'Too many screens are connected to this kiosk.');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });

  wss.on('connection', (ws: WebSocket) => {
    ws.on('error', (error) => logger.warn({ err: error }, 'web shell connection error'));
    ws.on('message', (data, isBinary) => {
      const parsed = parseMessage(data, isBinary);
      const result = 'error' in parsed ? parsed.error : handleIpcRequest(core, parsed.channel, parsed.request, logger, Date.now, shellHooks);
      ws.send(JSON.stringify({ id: parsed.id, result }));
    });
  });

  const unsubscribe = core.onVerdict((verdict) => {
    const frame = JSON.stringify({ event: 'verdict:pushed', payload: verdict });
    for (const client of wss.clients) {
      if (client.readyState === WebSocket.OPEN) client.send(frame);
    }
  });

  let port: number;
  try {
    port = await listen(server, options.port ?? 0);
  } catch (error) {
    unsubscribe();
    wss.close();
    throw error;
  }
  host = `${LOOPBACK_HOST}:${port}`;
  origin = `http://${host}`;
  logger.info({ origin }, 'web shell listening');

  let closing: Promise<void> | null = null;
  return {
    url: `${origin}/#token=${token}`,
    token,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolveClose) => {
        unsubscribe();
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolveClose());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
