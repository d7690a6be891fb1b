// Signed HTTP requests from this device to the hub. Each queue (uploads, downloads) owns its own
// transport and so its own connection pool: a stalled upload never holds a download's socket.
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { AUTH_HEADERS, canonicalRequestString } from '../../common/sync/checkin-wire.js';
import type { DeviceKey } from './device-key.js';
import { SyncError } from './sync-error.js';

export interface HubResponse {
  status: number;
  body: Buffer;
  /** The ETag header, for conditional requests. */
  etag?: string;
}

export interface HubRequest {
  method: 'GET' | 'POST';
  /** Path and query, starting with "/". */
  path: string;
  body?: Buffer;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Unsigned extra headers (If-None-Match). */
  headers?: Readonly<Record<string, string>>;
}

/** The request did not get an HTTP answer: refused, reset, timed out, aborted. */
export class HubUnreachableError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HubUnreachableError';
  }
}

export interface HubTransportOptions {
  hubUrl: string;
  deviceKey: DeviceKey;
  /** Keep connections open between requests (default true). */
  keepAlive?: boolean;
  /** Largest answer accepted, bytes. */
  maxResponseBytes?: number;
  now?: () => number;
}

export interface HubTransport {
  request(request: HubRequest): Promise<HubResponse>;
  /** Added to the local clock when signing; set from the hub's clock after a clock_skew refusal. */
  clockOffsetMs: number;
  close(): void;
}

export function parseHubUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw new SyncError('hub_url_invalid', `The hub address "${value}" is not a URL; use e.g. https://hub.example.vn/`, { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SyncError('hub_url_invalid', `The hub address must start with http:// or https://, not ${url.protocol}`);
  }
  return url;
}

export function createHubTransport(options: HubTransportOptions): HubTransport {
  const base = parseHubUrl(options.hubUrl);
  const secure = base.protocol === 'https:';
  const keepAlive = options.keepAlive ?? true;
  const agent = secure ? new https.Agent({ keepAlive, maxSockets: 2 }) : new http.Agent({ keepAlive, maxSockets: 2 });
  const maxResponseBytes = options.maxResponseBytes ?? 16 * 1024 * 1024;
  const now = options.now ?? Date.now;
  const prefix = base.pathname.replace(/\/$/, '');

  const transport: HubTransport = {
    clockOffsetMs: 0,
    request(request) {
      const body = request.body ?? Buffer.alloc(0);
      const path = `${prefix}${request.path}`;
      const timestamp = Math.round(now() + transport.clockOffsetMs);
      const nonce = randomBytes(16).toString('hex');
      const bodySha256Hex = createHash('sha256').update(body).digest('hex');
      const signature = options.deviceKey.sign(
        Buffer.from(canonicalRequestString({ method: request.method, path, bodySha256Hex, timestamp, nonce }), 'utf8'),
      );
      const headers: http.OutgoingHttpHeaders = {
        [AUTH_HEADERS.device]: options.deviceKey.deviceId,
        [AUTH_HEADERS.timestamp]: String(timestamp),
        [AUTH_HEADERS.nonce]: nonce,
        [AUTH_HEADERS.signature]: signature.toString('base64'),
        accept: 'application/json',
        ...request.headers,
      };
      if (request.method === 'POST') {
        headers['content-type'] = 'application/json';
        headers['content-length'] = body.length;
      }
      return new Promise<HubResponse>((resolve, reject) => {
        let settled = false;
        const fail = (code: string, message: string, cause?: unknown): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          request.signal?.removeEventListener('abort', onAbort);
          req.destroy();
          reject(new HubUnreachableError(code, message, { cause }));
        };
        const onAbort = (): void => fail('aborted', 'the request was stopped');
        const req = (secure ? https : http).request(
          { protocol: base.protocol, hostname: base.hostname, port: base.port, method: request.method, path, headers, agent },
          (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (chunk: Buffer) => {
              size += chunk.length;
              if (size > maxResponseBytes) fail('response_too_large', `the hub answered more than ${maxResponseBytes} bytes`);
              else chunks.push(chunk);
            });
            res.on('end', () => {
              if (settled) return;
              if (!res.complete) {
                fail('ECONNRESET', 'the connection closed before the whole answer arrived');
                return;
              }
              settled = true;
              clearTimeout(timer);
              request.signal?.removeEventListener('abort', onAbort);
              const etag = res.headers.etag;
              resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), ...(etag === undefined ? {} : { etag }) });
            });
            res.on('aborted', () => fail('ECONNRESET', 'the connection closed in the middle of the answer'));
            res.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? 'response_error', error.message, error));
          },
        );
        const timer = setTimeout(() => fail('timeout', `no answer from the hub within ${request.timeoutMs} ms`), request.timeoutMs);
        req.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? 'request_error', error.message, error));
        if (request.signal?.aborted === true) {
          onAbort();
          return;
        }
        request.signal?.addEventListener('abort', onAbort, { once: true });
        req.end(body);
      });
    },
    close() {
      agent.destroy();
    },
  };
  return transport;
}
