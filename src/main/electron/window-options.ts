// The kiosk window's security settings, in one place: the BrowserWindow options (a pure
// function, tested flag by flag) and the hardening applied to every webContents.
import type { BrowserWindowConstructorOptions, WebContents } from 'electron';
import { RENDERER_CSP_HEADER } from '../../common/security/renderer-csp.js';
import type { Logger } from '../log.js';

export interface KioskWindowSettings {
  /** --dev: an ordinary window with devtools; otherwise locked kiosk, full screen. */
  dev: boolean;
  preloadPath: string;
}

export function kioskWindowOptions(settings: KioskWindowSettings): BrowserWindowConstructorOptions {
  const locked = !settings.dev;
  return {
    title: 'PC-Covid Checkpoint',
    show: false,
    kiosk: locked,
    fullscreen: locked,
    autoHideMenuBar: true,
    backgroundColor: '#f6f7f9',
    webPreferences: {
      preload: settings.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: settings.dev,
    },
  };
}

/**
 * Locks a webContents down: it never navigates away from the kiosk page, opens no window or
 * webview, is granted no permission (the camera comes later, through its own check), and every
 * response carries the renderer's CSP.
 */
export function hardenWebContents(contents: WebContents, logger: Logger): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    logger.warn({ url: url.slice(0, 200) }, 'blocked a navigation away from the kiosk page');
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    logger.warn({ url: url.slice(0, 200) }, 'blocked a new window');
    return { action: 'deny' };
  });

  const session = contents.session;
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    logger.warn({ permission }, 'denied a permission request');
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [RENDERER_CSP_HEADER],
        'X-Content-Type-Options': ['nosniff'],
      },
    });
  });
}
