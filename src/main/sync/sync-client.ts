// The sync client: an upload loop and a download loop, each with its own transport (its own
// connections) and its own back-off, so bundles never wait behind check-ins. Both loops stop by
// themselves when stop() is called; nothing here throws out of a loop.
import type { Logger } from '../log.js';
import { moduleLogger } from '../log.js';
import type { WritableDB } from '../store/database.js';
import { backoffDelayMs, sleep, type BackoffPolicy } from './backoff.js';
import type { DeviceKey } from './device-key.js';
import { runDownloadLoop, type DownloadResult, type DownloadTask } from './download-queue.js';
import { createHubTransport, type HubTransport } from './hub-transport.js';
import { applyRetention, DEFAULT_TRACING_WINDOW_DAYS } from './retention.js';
import { createUploadQueue, DEFAULT_UPLOAD_LIMITS, type UploadLimits, type UploadRound } from './upload-queue.js';

export interface SyncClientOptions {
  db: WritableDB;
  deviceKey: DeviceKey;
  hubUrl: string;
  upload?: Partial<UploadLimits>;
  /** Pause when nothing is waiting, ms (new check-ins are picked up within this). */
  idlePollMs?: number;
  backoff?: BackoffPolicy;
  downloads?: readonly DownloadTask[];
  downloadIntervalMs?: number;
  tracingWindowDays?: number;
  purgeIntervalMs?: number;
  keepAlive?: boolean;
  now?: () => number;
  random?: () => number;
  logger?: Logger;
  onUploadRound?: (round: UploadRound) => void;
  onDownload?: (task: string, result: DownloadResult | { error: string }) => void;
}

export interface SyncClient {
  start(): void;
  /** Stops both loops, aborting requests in flight; resolves when they have ended. */
  stop(): Promise<void>;
  /** Runs upload rounds until the outbox is empty or a round fails; for tests and the CLI. */
  drainOnce(signal?: AbortSignal): Promise<UploadRound>;
  readonly uploadTransport: HubTransport;
  readonly downloadTransport: HubTransport;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 5 * 60_000 };

export function createSyncClient(options: SyncClientOptions): SyncClient {
  const now = options.now ?? Date.now;
  const logger = options.logger ?? moduleLogger('sync');
  const limits: UploadLimits = { ...DEFAULT_UPLOAD_LIMITS, ...options.upload };
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const idlePollMs = options.idlePollMs ?? 1_000;
  const purgeIntervalMs = options.purgeIntervalMs ?? 3_600_000;
  const transportOptions = {
    hubUrl: options.hubUrl,
    deviceKey: options.deviceKey,
    now,
    ...(options.keepAlive === undefined ? {} : { keepAlive: options.keepAlive }),
  };
  const uploadTransport = createHubTransport(transportOptions);
  const downloadTransport = createHubTransport(transportOptions);
  const uploads = createUploadQueue({ db: options.db, transport: uploadTransport, limits, now, logger });
  const controller = new AbortController();
  const running: Promise<void>[] = [];
  let started = false;

  function purge(): void {
    try {
      const purged = applyRetention(options.db, now(), options.tracingWindowDays ?? DEFAULT_TRACING_WINDOW_DAYS);
      if (purged.deletedCheckins > 0) logger.info(purged, 'purged check-ins past the tracing window');
    } catch (error) {
      logger.error({ err: error }, 'purging old check-ins failed; they are kept');
    }
  }

  async function uploadLoop(signal: AbortSignal): Promise<void> {
    let failures = 0;
    let lastPurge = Number.NEGATIVE_INFINITY;
    while (!signal.aborted) {
      if (now() - lastPurge >= purgeIntervalMs) {
        purge();
        lastPurge = now();
      }
      let round: UploadRound;
      try {
        round = await uploads.round(signal);
      } catch (error) {
        // A bug or a database fault: keep the loop alive, back off, say so.
        logger.error({ err: error }, 'an upload round failed unexpectedly');
        round = { kind: 'failed', code: 'internal_error', message: String(error), retryNow: false };
      }
      if (signal.aborted) return;
      options.onUploadRound?.(round);
      switch (round.kind) {
        case 'uploaded':
          failures = 0;
          break;
        case 'idle':
          await sleep(idlePollMs, signal);
          break;
        case 'waiting':
          await sleep(Math.min(round.waitMs, idlePollMs), signal);
          break;
        case 'failed':
          failures++;
          if (!round.retryNow || failures > 3) await sleep(backoffDelayMs(backoff, failures, options.random), signal);
          break;
        default: {
          const unreachable: never = round;
          throw new Error(`unknown upload round ${JSON.stringify(unreachable)}`);
        }
      }
    }
  }

  return {
    uploadTransport,
    downloadTransport,
    start() {
      if (started) return;
      started = true;
      running.push(uploadLoop(controller.signal));
      running.push(
        runDownloadLoop(
          {
            tasks: options.downloads ?? [],
            transport: downloadTransport,
            intervalMs: options.downloadIntervalMs ?? 15 * 60_000,
            backoff,
            logger,
            ...(options.onDownload === undefined ? {} : { onResult: options.onDownload }),
          },
          controller.signal,
        ),
      );
    },
    async stop() {
      controller.abort();
      await Promise.allSettled(running);
      uploadTransport.close();
      downloadTransport.close();
    },
    async drainOnce(signal = controller.signal) {
      for (;;) {
        const round = await uploads.round(signal, true);
        if (round.kind !== 'uploaded') return round;
      }
    },
  };
}
