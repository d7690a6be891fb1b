// expect: clean
import { app } from 'electron';
import { autoUpdater } from 'electron-updater';

export const check = () => (app.isPackaged ? autoUpdater.checkForUpdates() : Promise.resolve(null));
