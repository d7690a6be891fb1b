// The kiosk renderer's entry (bundled to dist/renderer/renderer.js). Picks window.kiosk (the
// Electron preload's) or builds the web bridge, turns keyboard-wedge bursts and pastes into
// scans, and shows each verdict until it times out or the next one replaces it.
import {
  MAX_SCAN_TEXT,
  type KioskHealth,
  type KioskInfo,
  type RequestOf,
  type SyncStatus,
  type VerdictView,
} from '../common/ipc/contract.js';
import type { KioskApi } from '../common/ipc/kiosk-api.js';
import { CameraInput } from './camera-input.js';
import { ProvisionScreen } from './provision-screen.js';
import { ConsoleScreen } from './console-screen.js';
import { CLOCK_WARNINGS, clockWarning, describeFreshness } from './freshness.js';
import { createKeyboardWedge } from './keyboard-wedge.js';
import { KioskScreen } from './kiosk-screen.js';
import { createScanTiming, messageChannelPostTask } from './paint-timing.js';
import { otherLocale } from './ui-text.js';
import { createVerdictSoundPlayer } from './verdict-sound.js';
import { createWebBridge } from './web-bridge.js';

declare global {
  interface Window {
    /** Defined by the Electron preload; absent in the web shell. */
    readonly kiosk?: KioskApi;
  }
}

type ScanSource = RequestOf<'scan:submit'>['source'];

const RECONNECT_DELAY_MS = 5000;
/** How often the screen asks whether a scanner went missing (staff must see it, not only the log). */
const DEVICE_CHECK_MS = 3000;
/** How often the screen asks whether the kiosk clock agrees with its newest signed data. */
const CLOCK_CHECK_MS = 30_000;
/** How often the offline / data-age indicator is refreshed. */
const FRESHNESS_CHECK_MS = 30_000;

/** A scan too long for the contract never reaches main: the screen says so itself. */
function tooLongVerdict(now: number): VerdictView {
  return {
    outcome: 'deny',
    readable: false,
    reasons: [{ code: 'input_too_long' }],
    credentialKind: null,
    holder: null,
    status: null,
    decidedAt: now,
    checkinId: '',
  };
}

function resolveApi(screen: KioskScreen): KioskApi | null {
  if (window.kiosk !== undefined) return window.kiosk;
  let reconnecting = false;
  const bridge = createWebBridge(
    window.location,
    (url) => new WebSocket(url),
    () => {
      screen.showError('connectionLost');
      if (reconnecting) return;
      reconnecting = true;
      // A call reopens the socket; success means the kiosk is back.
      setTimeout(() => {
        reconnecting = false;
        if (!bridge.ok) return;
        bridge.api.kiosk.info().then(
          () => screen.clearError('connectionLost'),
          () => undefined,
        );
      }, RECONNECT_DELAY_MS);
    },
  );
  if (!bridge.ok) {
    screen.showError('missingToken');
    return null;
  }
  return bridge.api;
}

/** In a border lane a review waits for the guard's decision instead of timing out. */
function needsGuard(info: KioskInfo, verdict: VerdictView): boolean {
  return info.mode === 'border' && verdict.readable && verdict.outcome === 'review' && verdict.checkinId !== '';
}

function runKiosk(api: KioskApi, screen: KioskScreen, info: KioskInfo, overrides: OverrideHook, input: ScanInput): void {
  const settle = <T>(promise: Promise<T>): Promise<T | null> => promise.catch(() => null);
  const provisioned = info.provisioning === 'ready';
  // A page reload is how the screen picks up a new venue and mode (after provisioning) or none
  // (after a wipe): kiosk:info is read once, at start.
  const restart = (): void => window.location.reload();
  const wizard = new ProvisionScreen(document, {
    state: () => api.provision.state(),
    enrol: (text) => api.provision.enrol({ text }),
    confirmFingerprint: (answer, fingerprint) => api.provision.confirmFingerprint(fingerprint === undefined ? { answer } : { answer, fingerprint }),
    sync: () => api.provision.sync(),
    finish: (skipScanners) => api.provision.finish({ skipScanners }),
    testScan: (text, source) => api.scan.submit({ text, source }),
    readers: async () =>
      (await api.devices.list())
        .filter((device) => device.mode !== 'keyboard-wedge' && device.connected)
        .map(({ id, name, mode }) => ({ id, name, mode })),
    locale: () => screen.locale,
    onReady: restart,
  });
  const technician = new ConsoleScreen(document, {
    unlock: (pin) => api.console.unlock({ pin }),
    load: async () => {
      const [devices, sync, health, hourly] = await Promise.all([
        api.devices.list(),
        settle(api.sync.status()),
        settle(api.kiosk.health()),
        api.checkins.hourly(),
      ]);
      return { devices, sync, health, hourly };
    },
    resetPrepare: () => api.provision.resetPrepare(),
    factoryReset: (pin, token) => api.provision.factoryReset({ pin, token }),
    leave: (pin) => api.console.leave({ pin }),
    // The "wiped" words stay a moment, then the page starts again, unprovisioned.
    onWiped: () => setTimeout(restart, 1500),
    openProvisioning: provisioned ? null : () => wizard.open({ closable: info.demo }),
    locale: () => screen.locale,
  });
  technician.showButton();
  // First start of a real kiosk: the technician's wizard, before anything else. A demo kiosk
  // runs its door screen and offers the wizard in the console.
  if (!provisioned && !info.demo) wizard.open({ closable: false });
  // The camera fallback submits what it reads as a scan from the camera (function submit below).
  const camera = new CameraInput(document, { locale: () => screen.locale, scan: (text) => submit(text, 'camera') });
  camera.showButton();
  // The technician console (and the wizard it opens) covers the door screen: the camera stops.
  document.getElementById('console-button')?.addEventListener('click', () => camera.stop());
  screen.onLocaleChanged = () => {
    technician.render();
    camera.render();
    wizard.render();
  };
  let holdTimer: ReturnType<typeof setTimeout> | undefined;
  let lastSubmission = 0;
  let shown: VerdictView | null = null;
  const sound = createVerdictSoundPlayer(() => (typeof AudioContext === 'function' ? new AudioContext() : null));
  const timing = createScanTiming({ performance, requestAnimationFrame: (callback) => requestAnimationFrame(callback), postTask: messageChannelPostTask() });

  function holdThenIdle(): void {
    clearTimeout(holdTimer);
    holdTimer = setTimeout(() => {
      shown = null;
      screen.showIdle();
    }, info.verdictHoldMs);
  }

  function show(verdict: VerdictView): void {
    clearTimeout(holdTimer);
    // Whichever scanner gave this verdict, the camera is no longer needed: give it back.
    camera.reset();
    shown = verdict;
    screen.showVerdict(verdict);
    screen.setOverrideOpen(needsGuard(info, verdict));
    document.body.dataset['lastSound'] = verdict.readable ? verdict.outcome : 'deny';
    sound.play(verdict.readable ? verdict.outcome : 'deny');
    if (!needsGuard(info, verdict)) holdThenIdle();
  }

  overrides.decide = (outcome, reason) => {
    const verdict = shown;
    if (verdict === null) return;
    api.checkins.override({ checkinId: verdict.checkinId, outcome, reason }).then(
      (result) => {
        if (shown !== verdict) return;
        switch (result.result) {
          case 'overridden':
            screen.lockOverride();
            screen.setOverrideMessage({ kind: 'text', key: 'overrideDone' });
            holdThenIdle();
            return;
          case 'refused':
            screen.setOverrideMessage({ kind: 'refused', detail: result.message });
            return;
          default: {
            const unreachable: never = result;
            throw new Error(`unknown override result ${String(unreachable)}`);
          }
        }
      },
      () => {
        if (shown === verdict) screen.setOverrideMessage({ kind: 'text', key: 'overrideFailed' });
      },
    );
  };

  function submit(text: string, source: ScanSource, symbology?: string): void {
    const submission = ++lastSubmission;
    // bench/ui.ts reads "scan-to-paint" (paint-timing.ts): from here to the verdict painted.
    timing.scanReceived();
    if (text.length > MAX_SCAN_TEXT) {
      show(tooLongVerdict(Date.now()));
      return;
    }
    api.scan.submit(symbology === undefined ? { text, source } : { text, source, symbology }).then(
      (verdict) => {
        // A newer scan was made meanwhile: its verdict is the one to show.
        if (submission !== lastSubmission) return;
        timing.verdictReceived();
        screen.clearError('submitFailed');
        screen.clearError('connectionLost');
        show(verdict);
        timing.verdictDrawn(() => submission === lastSubmission);
      },
      () => {
        if (submission !== lastSubmission) return;
        screen.showIdle();
        screen.showError('submitFailed');
      },
    );
  }

  // Scans that arrived while the kiosk was starting are taken now, the latest one only.
  input.ignores = (target) => target === screen.overrideInput || technician.owns(target) || wizard.owns(target);
  // While the wizard is open it takes the window's scans: the enrolment ticket, then test scans.
  input.scan = (text, source, symbology) => {
    if ((source === 'keyboard-wedge' || source === 'paste') && wizard.takeScan(text, source)) return;
    submit(text, source, symbology);
  };
  input.tooLong = () => show(tooLongVerdict(Date.now()));
  const early = input.early;
  input.early = null;
  if (early?.kind === 'scan') input.scan(early.text, early.source, early.symbology);
  else if (early?.kind === 'too_long') input.tooLong();
  document.body.dataset['ready'] = 'true';

  api.verdicts.onPushed((verdict) => show(verdict));

  // A USB or serial scanner that was seen and is gone: staff see it on the screen itself.
  let scannerMissing = false;
  setInterval(() => {
    api.devices.list().then(
      (devices) => {
        const missing = devices.some((device) => device.path !== null && !device.connected);
        if (missing === scannerMissing) return;
        scannerMissing = missing;
        if (missing) screen.showError('scannerMissing');
        else screen.clearError('scannerMissing');
      },
      () => undefined,
    );
  }, DEVICE_CHECK_MS);

  // A clock behind the newest signed bundle, or far ahead of it, or off the hub's clock at the
  // last sync (kiosk:health): staff see it here, and every verdict carries the reason too.
  let clockShown = '';
  const checkClock = (): void => {
    api.kiosk.health().then(
      (health) => {
        const warning = clockWarning(health);
        const shown = warning === null ? '' : JSON.stringify(warning);
        if (shown === clockShown) return;
        clockShown = shown;
        if (warning === null) screen.clearError(...CLOCK_WARNINGS);
        else screen.showError(warning.key, warning.values);
      },
      () => undefined,
    );
  };
  checkClock();
  setInterval(checkClock, CLOCK_CHECK_MS);

  // Offline / "data N hours old": from the upload queue and the status data's age.
  const checkFreshness = (): void => {
    void Promise.all([settle<SyncStatus>(api.sync.status()), settle<KioskHealth>(api.kiosk.health())]).then(([sync, health]) =>
      screen.setFreshness(describeFreshness(sync, health)),
    );
  };
  checkFreshness();
  setInterval(checkFreshness, FRESHNESS_CHECK_MS);
}

/** A scan (or a too-long burst) that came before the kiosk was ready to take it. */
type EarlyScan = { kind: 'scan'; text: string; source: ScanSource; symbology?: string } | { kind: 'too_long' };

/**
 * Where keyboard-wedge bursts and pastes go. The listeners are attached as soon as the screen
 * exists, so a pass scanned while the kiosk is still starting (a queue at opening time) is held
 * and verified once the kiosk is ready, never dropped.
 */
interface ScanInput {
  ignores: (target: EventTarget | null) => boolean;
  scan: (text: string, source: ScanSource, symbology?: string) => void;
  tooLong: () => void;
  /** A scan made before the kiosk ran; the latest wins (a person rescans, the last one counts). */
  early: EarlyScan | null;
}

function listenForScans(input: ScanInput): void {
  const wedge = createKeyboardWedge({ maxLength: MAX_SCAN_TEXT });
  window.addEventListener(
    'keydown',
    (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
      // A guard typing an override reason, or a technician the PIN, is not a scanner.
      if (input.ignores(event.target)) return;
      const result = wedge.push({ key: event.key, at: event.timeStamp, repeat: event.repeat });
      switch (result.kind) {
        case 'none':
          return;
        case 'scan':
          event.preventDefault();
          input.scan(result.text, 'keyboard-wedge', result.symbology);
          return;
        case 'too_long':
          event.preventDefault();
          input.tooLong();
          return;
        default: {
          const unreachable: never = result;
          throw new Error(`unknown wedge result ${String(unreachable)}`);
        }
      }
    },
    { capture: true },
  );
  window.addEventListener('blur', () => wedge.reset());

  document.addEventListener('paste', (event) => {
    if (input.ignores(event.target)) return;
    event.preventDefault();
    const text = (event.clipboardData?.getData('text/plain') ?? '').trim();
    if (text !== '') input.scan(text, 'paste');
  });
}

/** The screen is made before the API exists; the override buttons reach the API through this. */
interface OverrideHook {
  decide: (outcome: 'admit' | 'deny', reason: string) => void;
}

async function start(): Promise<void> {
  let screen: KioskScreen;
  const overrides: OverrideHook = { decide: () => undefined };
  try {
    screen = new KioskScreen(document, {
      onLocaleToggle: () => screen.setLocale(otherLocale(screen.locale)),
      onOverride: (outcome, reason) => overrides.decide(outcome, reason),
    });
  } catch (error) {
    // Without its elements the screen cannot even show an error: say it in plain text.
    document.body.textContent = `The kiosk screen is broken (${String(error)}). Call staff.`;
    return;
  }
  const input: ScanInput = {
    ignores: (target) => target === screen.overrideInput,
    // Until runKiosk replaces these two, a scan is only remembered.
    scan: (text, source, symbology) => {
      input.early = symbology === undefined ? { kind: 'scan', text, source } : { kind: 'scan', text, source, symbology };
    },
    tooLong: () => {
      input.early = { kind: 'too_long' };
    },
    early: null,
  };
  // Attached before the first await: see ScanInput.
  listenForScans(input);
  const api = resolveApi(screen);
  if (api === null) return;
  let info: KioskInfo;
  try {
    info = await api.kiosk.info();
  } catch {
    screen.showError('startFailed');
    return;
  }
  screen.setLocale(info.defaultLocale);
  screen.setInfo(info);
  document.body.dataset['mode'] = info.mode;
  runKiosk(api, screen, info, overrides, input);
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', () => void start(), { once: true });
} else {
  void start();
}
