// A fault-injecting TCP proxy for the sync tests: between the kiosk and the hub on loopback, it
// decides per connection whether to pass it, reset it (before, in the middle of the request, in
// the middle of the answer), stall it, or answer 5xx itself (before the hub saw the request, or
// after the hub stored it). It can also stop listening (connection refused) and start again.
import net from 'node:net';

export type Fault =
  | 'pass'
  | 'reset-on-connect'
  | 'reset-mid-request'
  | 'reset-mid-response'
  | 'stall-then-close'
  | 'stall-then-pass'
  | 'error-503-before'
  | 'error-500-after';

export interface FaultProxyOptions {
  targetPort: number;
  decide: (connection: number) => Fault;
  stallMs: number;
  /** For stall-then-pass: stall only connections whose first bytes match (default: all). */
  stallIf?: (firstChunk: Buffer) => boolean;
}

export interface FaultProxy {
  readonly port: number;
  readonly url: string;
  readonly counts: Map<Fault | 'refused-window', number>;
  /** Connections a stall-then-pass actually held. */
  readonly stalled: number;
  setDecide(decide: (connection: number) => Fault): void;
  /** Stops listening: new connections are refused until up(). */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

function listen(server: net.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    });
  });
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  let decide = options.decide;
  let connections = 0;
  let stalled = 0;
  const counts = new Map<Fault | 'refused-window', number>();
  const open = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const later = (ms: number, action: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, ms);
    timers.add(timer);
  };

  function track(socket: net.Socket): net.Socket {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => undefined);
    return socket;
  }

  function connectUpstream(client: net.Socket, firstChunks: Buffer[], onResponse?: (chunk: Buffer, upstream: net.Socket) => boolean): void {
    const upstream = track(net.connect(options.targetPort, '127.0.0.1'));
    for (const chunk of firstChunks) upstream.write(chunk);
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    client.on('end', () => upstream.end());
    client.on('close', () => upstream.destroy());
    upstream.on('data', (chunk: Buffer) => {
      if (onResponse !== undefined && !onResponse(chunk, upstream)) return;
      client.write(chunk);
    });
    upstream.on('end', () => client.end());
    upstream.on('close', () => client.destroy());
  }

  function handle(client: net.Socket): void {
    track(client);
    const fault = decide(connections++);
    counts.set(fault, (counts.get(fault) ?? 0) + 1);
    switch (fault) {
      case 'pass':
        connectUpstream(client, []);
        return;
      case 'reset-on-connect':
        client.resetAndDestroy();
        return;
      case 'reset-mid-request':
        client.once('data', (chunk: Buffer) => {
          const upstream = track(net.connect(options.targetPort, '127.0.0.1'));
          upstream.write(chunk.subarray(0, Math.max(1, Math.floor(chunk.length / 2))), () => {
            upstream.resetAndDestroy();
            client.resetAndDestroy();
          });
        });
        return;
      case 'reset-mid-response':
        connectUpstream(client, [], (chunk) => {
          client.write(chunk.subarray(0, Math.max(1, Math.floor(chunk.length / 3))), () => client.resetAndDestroy());
          return false;
        });
        return;
      case 'stall-then-close':
        client.pause();
        later(options.stallMs, () => client.destroy());
        return;
      case 'stall-then-pass': {
        const held: Buffer[] = [];
        const hold = (chunk: Buffer): void => {
          held.push(chunk);
        };
        client.once('data', (first: Buffer) => {
          if (options.stallIf !== undefined && !options.stallIf(first)) {
            connectUpstream(client, [first]);
            return;
          }
          stalled++;
          held.push(first);
          client.on('data', hold);
          later(options.stallMs, () => {
            client.off('data', hold);
            if (!client.destroyed) connectUpstream(client, held);
          });
        });
        return;
      }
      case 'error-503-before':
        client.once('data', () => {
          client.end('HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 11\r\nConnection: close\r\n\r\nunavailable');
        });
        return;
      case 'error-500-after':
        connectUpstream(client, [], (_chunk, upstream) => {
          // The hub has answered (so it has stored the batch); the kiosk hears a failure.
          upstream.destroy();
          client.end('HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
          return false;
        });
        return;
      default: {
        const unreachable: never = fault;
        throw new Error(`unknown fault ${String(unreachable)}`);
      }
    }
  }

  let server = net.createServer(handle);
  const port = await listen(server, 0);

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    counts,
    get stalled() {
      return stalled;
    },
    setDecide(next) {
      decide = next;
    },
    down() {
      counts.set('refused-window', (counts.get('refused-window') ?? 0) + 1);
      // close() stops accepting at once; its callback waits for open connections, which we don't.
      server.close();
      return Promise.resolve();
    },
    async up() {
      server = net.createServer(handle);
      await listen(server, port);
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
    },
  };
}

/** A small seeded generator (mulberry32): the same seed injects the same faults. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
