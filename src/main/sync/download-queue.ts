// The download side of the sync client: bundles and anything else the kiosk fetches from the
// hub. It runs on its own loop with its own transport (own connections), so it never waits
// behind an upload, however stuck. Signed bundles come with src/main/bundles; a task here is only
// "fetch and install what is new", the bundle code decides what that means.
import type { Logger } from '../log.js';
import { backoffDelayMs, sleep, type BackoffPolicy } from './backoff.js';
import type { HubTransport } from './hub-transport.js';

/** 'busy': the store could not take a bundle yet (a status compaction runs); the next pass comes sooner. */
export type DownloadResult = 'installed' | 'up-to-date' | 'busy';

/** The longest pause before the next pass after a task answered 'busy'. */
export const BUSY_RETRY_MS = 15_000;

export interface DownloadTask {
  readonly name: string;
  run(hub: HubTransport, signal: AbortSignal): Promise<DownloadResult>;
}

export interface DownloadLoopOptions {
  tasks: readonly DownloadTask[];
  transport: HubTransport;
  /** Pause between two passes over the tasks when all went well. */
  intervalMs: number;
  backoff: BackoffPolicy;
  logger: Logger;
  onResult?: (task: string, result: DownloadResult | { error: string }) => void;
}

export async function runDownloadLoop(options: DownloadLoopOptions, signal: AbortSignal): Promise<void> {
  let failures = 0;
  while (!signal.aborted) {
    let failed = false;
    let busy = false;
    for (const task of options.tasks) {
      if (signal.aborted) return;
      try {
        const result = await task.run(options.transport, signal);
        if (result === 'busy') busy = true;
        options.onResult?.(task.name, result);
      } catch (error) {
        if (signal.aborted) return;
        failed = true;
        const message = error instanceof Error ? error.message : String(error);
        options.logger.warn({ task: task.name, err: message }, 'a download failed; it will be tried again');
        options.onResult?.(task.name, { error: message });
      }
    }
    failures = failed ? failures + 1 : 0;
    const pause = failed ? backoffDelayMs(options.backoff, failures) : options.intervalMs;
    await sleep(busy ? Math.min(pause, BUSY_RETRY_MS) : pause, signal);
  }
}
