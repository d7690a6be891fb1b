// expect: electron
// electron-updater loads 'electron' itself: outside the Electron shell it would break the web shell and the tests.
import { autoUpdater } from 'electron-updater';

export const check = () => autoUpdater.checkForUpdates();
