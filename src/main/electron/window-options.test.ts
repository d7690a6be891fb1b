import { EventEmitter } from 'node:events';
import type { WebContents } from 'electron';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { RENDERER_CSP_HEADER } from '../../common/security/renderer-csp.js';
import { allowsPermission, hardenWebContents, isKioskPage, kioskPageUrl, kioskWindowOptions, type PermissionAsk } from './window-options.js';

const PAGE = kioskPageUrl('/opt/pccovid-kiosk/resources/app.asar');

describe('kioskWindowOptions', () => {
  it('locks the kiosk window down', () => {
    const options = kioskWindowOptions({ dev: false, preloadPath: '/app/dist/electron/preload.cjs' });
    expect(options.kiosk).toBe(true);
    expect(options.fullscreen).toBe(true);
    expect(options.webPreferences).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
  });

  it('gives --dev a normal window with devtools, and no other relaxation', () => {
    const options = kioskWindowOptions({ dev: true, preloadPath: '/p.cjs' });
    expect(options.kiosk).toBe(false);
    expect(options.fullscreen).toBe(false);
    expect(options.webPreferences).toMatchObject({
      devTools: true,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
  });
});

type HeadersListener = (
  details: { responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
) => void;

/** Just enough of a WebContents and its session to observe what hardening installs. */
class FakeContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  permissionRequest: ((contents: unknown, permission: string, callback: (granted: boolean) => void, details: PermissionAsk & { requestingUrl: string }) => void) | null = null;
  permissionCheck: ((contents: unknown, permission: string, origin: string, details: PermissionAsk) => boolean) | null = null;
  devicePermission: (() => boolean) | null = null;
  headersListener: HeadersListener | null = null;
  readonly session = {
    setPermissionRequestHandler: (handler: FakeContents['permissionRequest']) => {
      this.permissionRequest = handler;
    },
    setPermissionCheckHandler: (handler: FakeContents['permissionCheck']) => {
      this.permissionCheck = handler;
    },
    setDevicePermissionHandler: (handler: () => boolean) => {
      this.devicePermission = handler;
    },
    webRequest: {
      onHeadersReceived: (listener: HeadersListener) => {
        this.headersListener = listener;
      },
    },
  };
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
}

function hardened(): FakeContents {
  const fake = new FakeContents();
  hardenWebContents(fake as unknown as WebContents, pino({ level: 'silent' }), PAGE);
  return fake;
}

function preventable(): { prevented: boolean; preventDefault(): void } {
  return {
    prevented: false,
    preventDefault() {
      this.prevented = true;
    },
  };
}

describe('hardenWebContents', () => {
  it('blocks every navigation, redirect and webview', () => {
    const fake = hardened();
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = preventable();
      fake.emit(name, event, 'https://evil.example/');
      expect(event.prevented, name).toBe(true);
    }
  });

  it('denies new windows', () => {
    expect(hardened().windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it('denies every permission but the camera for the kiosk page', () => {
    const fake = hardened();
    const answers: boolean[] = [];
    const ask = (permission: string, details: PermissionAsk & { requestingUrl: string }): void =>
      fake.permissionRequest?.(null, permission, (granted) => answers.push(granted), details);
    ask('media', { requestingUrl: PAGE, isMainFrame: true, mediaTypes: ['video'] });
    ask('media', { requestingUrl: PAGE, isMainFrame: true, mediaTypes: ['video', 'audio'] });
    ask('media', { requestingUrl: 'https://evil.example/', isMainFrame: true, mediaTypes: ['video'] });
    for (const permission of ['geolocation', 'notifications', 'clipboard-read', 'display-capture']) {
      ask(permission, { requestingUrl: PAGE, isMainFrame: true });
    }
    expect(answers).toEqual([true, false, false, false, false, false, false]);
    expect(fake.permissionCheck?.(null, 'media', 'file:///', { requestingUrl: PAGE, isMainFrame: true, mediaType: 'video' })).toBe(true);
    expect(fake.permissionCheck?.(null, 'media', 'file:///', { requestingUrl: PAGE, isMainFrame: true, mediaType: 'audio' })).toBe(false);
    expect(fake.permissionCheck?.(null, 'geolocation', 'file:///', { requestingUrl: PAGE, isMainFrame: true })).toBe(false);
    expect(fake.devicePermission?.()).toBe(false);
  });

  it('adds the CSP header to every response, replacing none of the others', () => {
    const fake = hardened();
    let headers: Record<string, string[]> | undefined;
    fake.headersListener?.({ responseHeaders: { 'Content-Type': ['text/html'] } }, (response) => {
      headers = response.responseHeaders;
    });
    expect(headers).toMatchObject({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [RENDERER_CSP_HEADER],
      'X-Content-Type-Options': ['nosniff'],
    });
  });
});

describe('allowsPermission', () => {
  const camera: PermissionAsk = { requestingUrl: PAGE, isMainFrame: true, mediaTypes: ['video'] };

  it('grants the camera, video only, to the kiosk page in its main frame', () => {
    expect(allowsPermission('media', camera, PAGE)).toBe(true);
    expect(allowsPermission('media', { ...camera, requestingUrl: `${PAGE}#token=x` }, PAGE)).toBe(true);
    expect(allowsPermission('media', { requestingUrl: PAGE, isMainFrame: true, mediaType: 'video' }, PAGE)).toBe(true);
  });

  it('refuses the microphone, an unnamed device, a subframe and any other page', () => {
    expect(allowsPermission('media', { ...camera, mediaTypes: ['audio'] }, PAGE)).toBe(false);
    expect(allowsPermission('media', { ...camera, mediaTypes: ['video', 'audio'] }, PAGE)).toBe(false);
    expect(allowsPermission('media', { ...camera, mediaTypes: [] }, PAGE)).toBe(false);
    expect(allowsPermission('media', { requestingUrl: PAGE, isMainFrame: true, mediaType: 'unknown' }, PAGE)).toBe(false);
    expect(allowsPermission('media', { requestingUrl: PAGE, isMainFrame: true }, PAGE)).toBe(false);
    expect(allowsPermission('media', { ...camera, isMainFrame: false }, PAGE)).toBe(false);
    expect(allowsPermission('media', { ...camera, requestingUrl: 'file:///tmp/other.html' }, PAGE)).toBe(false);
    expect(allowsPermission('media', { ...camera, requestingUrl: 'http://127.0.0.1:8080/' }, PAGE)).toBe(false);
    expect(allowsPermission('media', { isMainFrame: true, mediaTypes: ['video'] }, PAGE)).toBe(false);
  });

  it('refuses every other permission, even to the kiosk page', () => {
    for (const permission of ['display-capture', 'geolocation', 'notifications', 'clipboard-read', 'hid', 'serial', 'usb', 'openExternal']) {
      expect(allowsPermission(permission, camera, PAGE), permission).toBe(false);
    }
  });

  it('compares scheme, host and path of the page', () => {
    expect(PAGE).toBe('file:///opt/pccovid-kiosk/resources/app.asar/dist/renderer/index.html');
    expect(isKioskPage(`${PAGE}?x=1`, PAGE)).toBe(true);
    expect(isKioskPage('file:///opt/pccovid-kiosk/resources/app.asar/dist/renderer/other.html', PAGE)).toBe(false);
    expect(isKioskPage('not a url', PAGE)).toBe(false);
    expect(isKioskPage(undefined, PAGE)).toBe(false);
  });
});
