// expect: electron
// Only src/main/electron/** is the Electron shell; main's core must also run in the web shell.
import { ipcMain } from 'electron';

export const handle = ipcMain.handle;
