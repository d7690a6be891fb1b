// GET /v1/bundles?status-since=N (the index of what this device should hold) and
// GET /v1/bundles/<hash> (a bundle's bytes). Both signed device requests; both conditional:
// an If-None-Match naming the current ETag is answered 304 with no body.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BUNDLE_INDEX_PATH, STATUS_SINCE_PARAM, type BundleIndex } from '../../common/sync/bundle-wire.js';
import type { DeviceRegistry } from '../enrolment/device-registry.js';
import type { HubReadableDB } from '../store/hub-database.js';
import { bundleIndexFor, shelvedBundle } from './bundle-shelf.js';
import { keyIdOfRaw } from './signing-key.js';

export interface BundleRouteOptions {
  db: HubReadableDB;
  dataDir: string;
  registry: DeviceRegistry;
}

function notModified(request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match'];
  const values = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((v) => v.trim());
  return values.includes(etag) || values.includes('*');
}

function notFound(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(404).send({ error: { code: 'bundle_not_found', message } });
}

export function registerBundleRoutes(app: FastifyInstance, options: BundleRouteOptions): void {
  const { db, dataDir, registry } = options;
  const deviceKidOf = (deviceId: string): string | null => {
    const sealing = registry.sealingKey(deviceId);
    return sealing === undefined ? null : Buffer.from(keyIdOfRaw(sealing)).toString('hex');
  };

  app.get(BUNDLE_INDEX_PATH, async (request, reply) => {
    const deviceId = request.deviceId;
    if (deviceId === undefined) return reply.code(401).send({ error: { code: 'missing_auth', message: 'The request is not signed by a device key.' } });
    const query = request.query as Record<string, unknown>;
    const sinceText = query[STATUS_SINCE_PARAM];
    const since = typeof sinceText === 'string' && /^\d{1,15}$/.test(sinceText) ? Number(sinceText) : 0;
    const index: BundleIndex = { bundles: bundleIndexFor(db, deviceKidOf(deviceId), since) };
    const body = JSON.stringify(index);
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
    void reply.header('etag', etag).header('cache-control', 'no-cache');
    if (notModified(request, etag)) return reply.code(304).send();
    return reply.type('application/json').send(body);
  });

  app.get(`${BUNDLE_INDEX_PATH}/:hash`, async (request, reply) => {
    const deviceId = request.deviceId;
    if (deviceId === undefined) return reply.code(401).send({ error: { code: 'missing_auth', message: 'The request is not signed by a device key.' } });
    const { hash } = request.params as { hash: string };
    if (!/^[0-9a-f]{64}$/.test(hash)) return notFound(reply, 'A bundle is named by its hash, 64 lower-case hex digits.');
    const etag = `"${hash}"`;
    void reply.header('etag', etag).header('cache-control', 'private, max-age=31536000, immutable');
    // A bundle's bytes never change under its hash; still check it is one this device may have.
    const bytes = shelvedBundle(db, dataDir, hash, deviceKidOf(deviceId));
    if (bytes === undefined) return notFound(reply, `The hub serves no bundle ${hash} to this device; fetch the index again.`);
    if (notModified(request, etag)) return reply.code(304).send();
    return reply.type('application/octet-stream').send(bytes);
  });
}
