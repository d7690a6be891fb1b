// expect: electron
import { ipcRenderer } from 'electron';

export const send = ipcRenderer.send;
