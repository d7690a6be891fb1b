// The Electron preload (bundled to dist/electron/preload.cjs, run sandboxed): exposes one
// typed window.kiosk built from the IPC contract. ipcRenderer itself never reaches the page.
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import type { Channel, EventName, EventOf, IpcResult, RequestOf, ResponseOf } from '../../common/ipc/contract.js';
import { createKioskApi, type KioskTransport } from '../../common/ipc/kiosk-api.js';

const transport: KioskTransport = {
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<IpcResult<ResponseOf<C>>> {
    // Main answers every channel with an IpcResult of that channel's response type.
    return ipcRenderer.invoke(channel, request) as Promise<IpcResult<ResponseOf<C>>>;
  },
  subscribe<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void {
    // The page's listener sees the payload only, never the IPC event (which holds the sender).
    const wrapped = (_event: IpcRendererEvent, payload: EventOf<E>): void => listener(payload);
    ipcRenderer.on(event, wrapped);
    return () => {
      ipcRenderer.removeListener(event, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('kiosk', createKioskApi(transport));
