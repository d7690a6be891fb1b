// Main's side of the IPC contract, shared by both shells: validate the request against its
// schema, run it on the core, answer {ok, value} or {ok: false, error}. Never throws.
import {
  type Channel,
  type IpcResult,
  type RequestOf,
  type ResponseOf,
  ipcContract,
  isChannel,
} from '../../common/ipc/contract.js';
import type { KioskCore } from '../core/kiosk-core.js';
import type { Logger } from '../log.js';

function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map(String).join('.') || '(request)'}: ${issue.message}`)
    .join('; ');
}

function run<C extends Channel>(core: KioskCore, channel: C, request: unknown, now: number): unknown {
  switch (channel) {
    case 'kiosk:info':
      return core.info();
    case 'scan:submit': {
      // Already validated against the channel's schema by handleIpcRequest.
      const scan = request as RequestOf<'scan:submit'>;
      return core.submitScan({
        source: scan.source,
        symbology: scan.symbology ?? 'unknown',
        text: scan.text,
        receivedAt: now,
      });
    }
    case 'checkins:recent': {
      const { limit } = request as RequestOf<'checkins:recent'>;
      return core.recentCheckins(limit);
    }
    case 'checkins:hourly':
      return core.hourlyCheckins();
    case 'sync:status':
      return core.syncStatus();
    case 'devices:list':
      return core.devices();
    case 'kiosk:health':
      return core.health();
    case 'checkin:override':
      return core.overrideCheckin(request as RequestOf<'checkin:override'>);
    case 'console:unlock':
      return core.unlockConsole((request as RequestOf<'console:unlock'>).pin);
    case 'provision:state':
      return core.provisioning.state();
    case 'provision:enrol':
      return core.provisioning.enrol(request as RequestOf<'provision:enrol'>);
    case 'provision:confirm-fingerprint':
      return core.provisioning.confirmFingerprint(request as RequestOf<'provision:confirm-fingerprint'>);
    case 'provision:sync':
      return core.provisioning.sync();
    case 'provision:finish':
      return core.provisioning.finish(request as RequestOf<'provision:finish'>);
    case 'provision:reset-prepare':
      return core.provisioning.resetPrepare();
    case 'provision:factory-reset':
      return core.provisioning.factoryReset(request as RequestOf<'provision:factory-reset'>);
    default: {
      const unreachable: never = channel as never;
      throw new Error(`unhandled channel ${String(unreachable)}`);
    }
  }
}

export function handleIpcRequest(
  core: KioskCore,
  channel: unknown,
  request: unknown,
  logger: Logger,
  now: () => number = Date.now,
): IpcResult<ResponseOf<Channel>> {
  if (!isChannel(channel)) {
    return { ok: false, error: { code: 'unknown_channel', message: `no such channel: ${String(channel).slice(0, 40)}` } };
  }
  const parsed = ipcContract[channel].request.safeParse(request);
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: 'bad_request', message: `${channel}: ${describeIssues(parsed.error.issues)}` },
    };
  }
  try {
    return { ok: true, value: run(core, channel, parsed.data, now()) as ResponseOf<Channel> };
  } catch (error) {
    logger.error({ err: error, channel }, 'IPC handler failed');
    return {
      ok: false,
      error: { code: 'internal_error', message: 'The kiosk could not complete this request; see its log.' },
    };
  }
}
