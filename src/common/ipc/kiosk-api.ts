// window.kiosk: the renderer's only door to main. Built the same way by the Electron preload
// and by the web shell's bridge, from a transport that carries the contract's messages.
import type {
  Channel,
  EventName,
  EventOf,
  IpcError,
  IpcResult,
  RequestOf,
  ResponseOf,
} from './contract.js';

export interface KioskTransport {
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<IpcResult<ResponseOf<C>>>;
  subscribe<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
}

export class KioskCallError extends Error {
  readonly code: IpcError['code'];
  constructor(error: IpcError) {
    super(error.message);
    this.name = 'KioskCallError';
    this.code = error.code;
  }
}

export interface KioskApi {
  kiosk: { info(): Promise<ResponseOf<'kiosk:info'>>; health(): Promise<ResponseOf<'kiosk:health'>> };
  scan: { submit(request: RequestOf<'scan:submit'>): Promise<ResponseOf<'scan:submit'>> };
  checkins: {
    recent(request: RequestOf<'checkins:recent'>): Promise<ResponseOf<'checkins:recent'>>;
    /** Check-ins per hour over the last 24 hours, counted in main. */
    hourly(): Promise<ResponseOf<'checkins:hourly'>>;
    override(request: RequestOf<'checkin:override'>): Promise<ResponseOf<'checkin:override'>>;
  };
  sync: { status(): Promise<ResponseOf<'sync:status'>> };
  devices: { list(): Promise<ResponseOf<'devices:list'>> };
  console: {
    unlock(request: RequestOf<'console:unlock'>): Promise<ResponseOf<'console:unlock'>>;
    /** Leaves kiosk mode (the app exits) after the PIN is checked again. */
    leave(request: RequestOf<'kiosk:leave'>): Promise<ResponseOf<'kiosk:leave'>>;
  };
  /** The technician's provisioning wizard (src/common/ipc/provision-view.ts). */
  provision: {
    state(): Promise<ResponseOf<'provision:state'>>;
    enrol(request: RequestOf<'provision:enrol'>): Promise<ResponseOf<'provision:enrol'>>;
    confirmFingerprint(request: RequestOf<'provision:confirm-fingerprint'>): Promise<ResponseOf<'provision:confirm-fingerprint'>>;
    sync(): Promise<ResponseOf<'provision:sync'>>;
    finish(request: RequestOf<'provision:finish'>): Promise<ResponseOf<'provision:finish'>>;
    resetPrepare(): Promise<ResponseOf<'provision:reset-prepare'>>;
    factoryReset(request: RequestOf<'provision:factory-reset'>): Promise<ResponseOf<'provision:factory-reset'>>;
  };
  /** Listeners return their unsubscribe function. */
  verdicts: { onPushed(listener: (verdict: EventOf<'verdict:pushed'>) => void): () => void };
}

export function createKioskApi(transport: KioskTransport): KioskApi {
  async function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    const result = await transport.invoke(channel, request);
    if (!result.ok) throw new KioskCallError(result.error);
    return result.value;
  }
  return {
    kiosk: { info: () => call('kiosk:info', {}), health: () => call('kiosk:health', {}) },
    scan: { submit: (request) => call('scan:submit', request) },
    checkins: {
      recent: (request) => call('checkins:recent', request),
      hourly: () => call('checkins:hourly', {}),
      override: (request) => call('checkin:override', request),
    },
    sync: { status: () => call('sync:status', {}) },
    devices: { list: () => call('devices:list', {}) },
    console: { unlock: (request) => call('console:unlock', request), leave: (request) => call('kiosk:leave', request) },
    provision: {
      state: () => call('provision:state', {}),
      enrol: (request) => call('provision:enrol', request),
      confirmFingerprint: (request) => call('provision:confirm-fingerprint', request),
      sync: () => call('provision:sync', {}),
      finish: (request) => call('provision:finish', request),
      resetPrepare: () => call('provision:reset-prepare', {}),
      factoryReset: (request) => call('provision:factory-reset', request),
    },
    verdicts: { onPushed: (listener) => transport.subscribe('verdict:pushed', listener) },
  };
}
