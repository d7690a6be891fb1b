// The hub's HTTP server (fastify): signed check-in ingest and the hub's clock. It listens on
// 127.0.0.1 unless told otherwise; TLS and a public address belong to the deployment in front.
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  CHECKIN_UPLOAD_PATH,
  HUB_TIME_PATH,
  MAX_RECORDS_PER_BATCH,
  checkinBatchSchema,
  type HubErrorCode,
} from '../common/sync/checkin-wire.js';
import { ENROL_PATH } from '../common/sync/enrolment-wire.js';
import { createSqliteDeviceRegistry, type DeviceRegistry } from './enrolment/device-registry.js';
import { registerEnrolmentRoutes } from './enrolment/enrolment-routes.js';
import { readFleetUpdates } from './enrolment/fleet-updates.js';
import { registerBundleRoutes } from './publisher/bundle-routes.js';
import { createRequestAuthenticator, DEFAULT_MAX_CLOCK_SKEW_MS } from './ingest/request-auth.js';
import { ingestCheckins } from './ingest/store-checkins.js';
import { hubLogger, type HubLogger } from './log.js';
import type { HubWritableDB } from './store/hub-database.js';

export const DEFAULT_BODY_LIMIT_BYTES = 8 * 1024 * 1024;

export interface HubServerOptions {
  db: HubWritableDB;
  now?: () => number;
  maxClockSkewMs?: number;
  bodyLimitBytes?: number;
  logger?: HubLogger;
  /** Devices and enrolment tokens; the SQLite registry on db unless given. */
  registry?: DeviceRegistry;
  /** The hub's data directory: published bundles are served from <dataDir>/bundles; none without it. */
  dataDir?: string;
}

function sendError(reply: FastifyReply, status: number, code: HubErrorCode, message: string, serverTime?: number): FastifyReply {
  return reply.code(status).send({ error: { code, message, ...(serverTime === undefined ? {} : { serverTime }) } });
}

declare module 'fastify' {
  interface FastifyRequest {
    deviceId?: string;
  }
}

export function createHubServer(options: HubServerOptions): FastifyInstance {
  const now = options.now ?? Date.now;
  const logger = options.logger ?? hubLogger('server');
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const auth = createRequestAuthenticator(options.db, now, options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS);
  const fastifyLogger: FastifyBaseLogger = logger;
  const app = Fastify({ loggerInstance: fastifyLogger, bodyLimit });

  // The signature covers the body's exact bytes: keep them, parse after verifying.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, (_request, body, done) => done(null, body));

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    // Enrolment is the one unsigned route: the one-time token is its credential.
    if (request.routeOptions.url === ENROL_PATH) return undefined;
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const result = auth.authenticate({ method: request.method, url: request.raw.url ?? request.url, headers: request.headers, body });
    if (!result.ok) {
      logger.warn({ code: result.code, device: request.headers['x-pccovid-device'] }, 'refused a device request');
      return sendError(reply, result.status, result.code, result.message, result.serverTime);
    }
    request.deviceId = result.deviceId;
    return undefined;
  });

  const registry = options.registry ?? createSqliteDeviceRegistry(options.db);
  // Damaged settings must not cost every kiosk its configuration (venue, clock): said, and left out.
  const fleetUpdates = (): ReturnType<typeof readFleetUpdates> | undefined => {
    try {
      return readFleetUpdates(options.db);
    } catch (error) {
      logger.error({ err: error }, 'the fleet update settings cannot be read; kiosks keep theirs until they are set again');
      return undefined;
    }
  };
  registerEnrolmentRoutes(app, { registry, now, logger, fleetUpdates });
  if (options.dataDir !== undefined) registerBundleRoutes(app, { db: options.db, dataDir: options.dataDir, registry });

  app.get(HUB_TIME_PATH, async () => ({ serverTime: now() }));

  app.post(CHECKIN_UPLOAD_PATH, async (request, reply) => {
    const deviceId = request.deviceId;
    if (deviceId === undefined) return sendError(reply, 401, 'missing_auth', 'The request is not signed by a device key.');
    let json: unknown;
    try {
      json = JSON.parse((request.body as Buffer).toString('utf8'));
    } catch {
      return sendError(reply, 400, 'malformed_batch', 'The batch is not JSON.');
    }
    const batch = checkinBatchSchema.safeParse(json);
    if (!batch.success) {
      return sendError(
        reply,
        400,
        'malformed_batch',
        `The batch must be {batchId, records[1..${MAX_RECORDS_PER_BATCH}]}: ${batch.error.issues[0]?.message ?? 'invalid'}.`,
      );
    }
    const results = ingestCheckins(options.db, {
      deviceId,
      batchId: batch.data.batchId,
      records: batch.data.records,
      receivedAt: now(),
    });
    return { batchId: batch.data.batchId, results };
  });

  app.setErrorHandler((error: { code?: string; statusCode?: number; message: string }, _request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendError(reply, 413, 'too_large', `The request is larger than ${bodyLimit} bytes; send smaller batches.`);
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return sendError(reply, 400, 'malformed_batch', 'A batch is sent as application/json.');
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(reply, error.statusCode, 'malformed_batch', error.message);
    }
    logger.error({ err: error }, 'request failed');
    return sendError(reply, 500, 'internal_error', 'The hub could not process this request; it was not stored. Retry later.');
  });
  return app;
}

export interface RunningHub {
  app: FastifyInstance;
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts the hub on 127.0.0.1 (port 0: any free port). */
export async function startHubServer(options: HubServerOptions & { port?: number; host?: string }): Promise<RunningHub> {
  const app = createHubServer(options);
  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the hub did not get a TCP port');
  return {
    app,
    port: address.port,
    url: `http://127.0.0.1:${address.port}`,
    close: () => app.close(),
  };
}
