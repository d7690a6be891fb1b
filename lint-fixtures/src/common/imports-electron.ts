// expect: electron
import type { IpcMainInvokeEvent } from 'electron';

export type Sender = IpcMainInvokeEvent['sender'];
