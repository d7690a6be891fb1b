// Main's side of the IPC contract, shared by both shells: validate the request against its
// schema, run it on the core, answer {ok, value} or {ok: false, error}. Never throws.
import {
  type Channel,
  type IpcResult,
  type KioskLeaveResult,
  type RequestOf,
  type ResponseOf,
  ipcContract,
  isChannel,
} from '../../common/ipc/contract.js';
import { describeSchemaIssues } from '../../common/types/schema-issues.js';
import type { KioskCore } from '../core/kiosk-core.js';
import type { Logger } from '../log.js';

/** What only the shell can do, for the channels that need it. */
export interface ShellHooks {
  /** Ends the app with KIOSK_LEAVE_EXIT_CODE after the answer is sent; absent: not supported. */
  leaveKiosk?: () => void;
}

function leave(core: KioskCore, pin: string, shell: ShellHooks): KioskLeaveResult {
  const leaveKiosk = shell.leaveKiosk;
  if (leaveKiosk === undefined) return { result: 'refused', code: 'not_supported', retryAfterMs: 0 };
  // The console's PIN check, so its rate limit counts these attempts too.
  const unlocked = core.unlockConsole(pin);
  if (unlocked.result === 'refused') return unlocked;
  // After this answer has gone out.
  setImmediate(leaveKiosk);
  return { result: 'leaving' };
}

function run<C extends Channel>(core: KioskCore, channel: C, request: unknown, now: number, shell: ShellHooks): unknown {
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
    case 'kiosk:leave':
      return leave(core, (request as RequestOf<'kiosk:leave'>).pin, shell);
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
  shell: ShellHooks = {},
): IpcResult<ResponseOf<Channel>> {
  if (!isChannel(channel)) {
    return { ok: false, error: { code: 'unknown_channel', message: `no such channel: ${String(channel).slice(0, 40)}` } };
  }
  const parsed = ipcContract[channel].request.safeParse(request);
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: 'bad_request', message: `${channel}: ${describeSchemaIssues(parsed.error.issues, '(request)')}` },
    };
  }
  try {
    return { ok: true, value: run(core, channel, parsed.data, now(), shell) as ResponseOf<Channel> };
  } catch (error) {
    logger.error({ err: error, channel }, 'IPC handler failed');
    return {
      ok: false,
      error: { code: 'internal_error', message: 'The kiosk could not complete this request; see its log.' },
    };
  }
}
