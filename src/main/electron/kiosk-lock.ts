// What keeps a locked kiosk locked besides the window options: one instance per machine (a
// second would fight over the scanner and the database), and no keyboard way out of the kiosk
// page. Electron's own accelerators (reload, devtools, close, quit, full screen) would let anyone
// with a USB keyboard leave it; staff leave only through the technician console and its PIN.

/** The part of Electron's app used for the single-instance lock (a fake in tests). */
export interface SingleInstanceApp {
  requestSingleInstanceLock(): boolean;
  quit(): void;
}

/** Runs `start` only in the first instance; a second one quits at once. True when it started. */
export function runSingleInstance(app: SingleInstanceApp, start: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  start();
  return true;
}

/** A key press as Electron's before-input-event reports it. */
export interface KeyInput {
  type: string;
  key: string;
  control: boolean;
  meta: boolean;
  alt: boolean;
  shift: boolean;
}

const FUNCTION_KEYS = new Set(['F5', 'F11', 'F12', 'BrowserBack', 'BrowserForward', 'BrowserRefresh']);
/** With Ctrl (Cmd on macOS): reload, devtools, close, quit, print, zoom, find, open, save, new window. */
const CONTROL_KEYS = new Set(['r', 'i', 'j', 'w', 'q', 'p', 'o', 's', 'n', 't', 'f', 'g', 'u', '+', '-', '=', '0']);

/**
 * Whether a key press must not reach Electron's accelerators in a locked kiosk. Typing (a
 * keyboard-mode scanner's characters, Enter, Tab) passes: only the combinations that reload,
 * open tools, close, quit or leave full screen are stopped.
 */
export function isBlockedKioskShortcut(input: KeyInput): boolean {
  if (input.type !== 'keyDown') return false;
  if (FUNCTION_KEYS.has(input.key)) return true;
  if (input.alt && (input.key === 'F4' || input.key === 'ArrowLeft' || input.key === 'ArrowRight' || input.key === 'Home')) return true;
  if ((input.control || input.meta) && CONTROL_KEYS.has(input.key.toLowerCase())) return true;
  return false;
}

/** The part of a webContents used to stop the shortcuts (a fake in tests). */
export interface KeyEventSource {
  on(event: 'before-input-event', listener: (event: { preventDefault(): void }, input: KeyInput) => void): unknown;
}

export function blockKioskShortcuts(contents: KeyEventSource, onBlocked?: (input: KeyInput) => void): void {
  contents.on('before-input-event', (event, input) => {
    if (!isBlockedKioskShortcut(input)) return;
    event.preventDefault();
    onBlocked?.(input);
  });
}
