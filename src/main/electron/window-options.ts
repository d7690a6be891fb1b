// The kiosk window's security settings, in one place: the BrowserWindow options (a pure
// function, tested flag by flag) and the hardening applied to every webContents.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
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

/** The kiosk page's file: URL, from the app's root (the folder holding dist/). */
export function kioskPageUrl(appRoot: string): string {
  return pathToFileURL(join(appRoot, 'dist', 'renderer', 'index.html')).href;
}

/** Whether `url` is the kiosk page itself (same scheme, host and path; query and fragment aside). */
export function isKioskPage(url: string | undefined, pageUrl: string): boolean {
  if (url === undefined) return false;
  try {
    const actual = new URL(url);
    const expected = new URL(pageUrl);
    return actual.protocol === expected.protocol && actual.host === expected.host && actual.pathname === expected.pathname;
  } catch {
    return false;
  }
}

/** What a permission request says about itself (Electron's PermissionRequest and its media variant). */
export interface PermissionAsk {
  requestingUrl?: string;
  isMainFrame?: boolean;
  /** A getUserMedia request: which devices. */
  mediaTypes?: readonly string[];
  /** A permission check: which device. */
  mediaType?: string;
}

/**
 * The kiosk's one permission: the camera (video only, never the microphone) for the kiosk page
 * in its main frame, for the camera fallback. Everything else, and everything asked by another
 * page, is refused.
 */
export function allowsPermission(permission: string, ask: PermissionAsk, pageUrl: string): boolean {
  if (permission !== 'media') return false;
  if (ask.isMainFrame === false || !isKioskPage(ask.requestingUrl, pageUrl)) return false;
  const types = ask.mediaTypes ?? (ask.mediaType === undefined ? [] : [ask.mediaType]);
  return types.length > 0 && types.every((type) => type === 'video');
}

/**
 * Locks a webContents down: it never navigates away from the kiosk page, opens no window or
 * webview, is granted no permission but the camera for the kiosk page (`allowsPermission`), and
 * every response carries the renderer's CSP.
 */
export function hardenWebContents(contents: WebContents, logger: Logger, pageUrl: string): void {
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
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    if (allowsPermission(permission, details, pageUrl)) {
      callback(true);
      return;
    }
    logger.warn({ permission, url: details.requestingUrl.slice(0, 200) }, 'denied a permission request');
    callback(false);
  });
  session.setPermissionCheckHandler((_contents, permission, _origin, details) => allowsPermission(permission, details, pageUrl));
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
