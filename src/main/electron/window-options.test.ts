import { EventEmitter } from 'node:events';
import type { WebContents } from 'electron';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { RENDERER_CSP_HEADER } from '../../common/security/renderer-csp.js';
import { hardenWebContents, kioskWindowOptions } from './window-options.js';

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
  permissionRequest: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null;
  permissionCheck: (() => boolean) | null = null;
  devicePermission: (() => boolean) | null = null;
  headersListener: HeadersListener | null = null;
  readonly session = {
    setPermissionRequestHandler: (handler: FakeContents['permissionRequest']) => {
      this.permissionRequest = handler;
    },
    setPermissionCheckHandler: (handler: () => boolean) => {
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
  hardenWebContents(fake as unknown as WebContents, pino({ level: 'silent' }));
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

  it('denies every permission', () => {
    const fake = hardened();
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      fake.permissionRequest?.(null, permission, (granted) => answers.push(granted));
    }
    expect(answers).toEqual([false, false, false, false]);
    expect(fake.permissionCheck?.()).toBe(false);
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
