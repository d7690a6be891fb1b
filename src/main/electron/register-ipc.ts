// Main's end of the IPC contract in the Electron shell: one ipcMain.handle per channel, every
// call checked for its sender (only the kiosk page itself) and then for its schema (in
// handleIpcRequest), and the core's pushed verdicts forwarded to the window.
import { CHANNELS, type IpcResult } from '../../common/ipc/contract.js';
import type { KioskCore } from '../core/kiosk-core.js';
import { handleIpcRequest, type ShellHooks } from '../ipc/handle-request.js';
import type { Logger } from '../log.js';

/** The part of an IpcMainInvokeEvent the sender check reads. */
export interface InvokeEventLike {
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

/** The part of Electron's ipcMain used here (a fake in tests). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** The window's webContents, as far as pushing events goes. */
export interface PushTarget {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

export type SenderCheck = (event: InvokeEventLike) => boolean;

/**
 * Trusts only the top frame of the kiosk page itself (its file:// URL, any fragment or query
 * ignored): not a frame it might embed, not a page it was somehow navigated to.
 */
export function isRendererFileSender(rendererIndexUrl: string): SenderCheck {
  const expected = new URL(rendererIndexUrl);
  return (event) => {
    const frame = event.senderFrame;
    if (frame === null || frame.parent !== null) return false;
    let actual: URL;
    try {
      actual = new URL(frame.url);
    } catch {
      return false;
    }
    return actual.protocol === expected.protocol && actual.host === expected.host && actual.pathname === expected.pathname;
  };
}

const BAD_SENDER: IpcResult<never> = {
  ok: false,
  error: { code: 'bad_sender', message: 'Only the kiosk screen may call the kiosk.' },
};

export function registerIpcHandlers(
  ipcMain: IpcMainLike,
  core: KioskCore,
  logger: Logger,
  isTrustedSender: SenderCheck,
  pushTarget: PushTarget,
  shell: ShellHooks = {},
): () => void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, request) => {
      if (!isTrustedSender(event)) {
        logger.warn({ channel, url: event.senderFrame?.url.slice(0, 200) ?? null }, 'refused an IPC call from a foreign frame');
        return BAD_SENDER;
      }
      return handleIpcRequest(core, channel, request, logger, Date.now, shell);
    });
  }
  const unsubscribe = core.onVerdict((verdict) => {
    if (!pushTarget.isDestroyed()) pushTarget.send('verdict:pushed', verdict);
  });
  return () => {
    unsubscribe();
    for (const channel of CHANNELS) ipcMain.removeHandler(channel);
  };
}
