// The technician console: behind a PIN checked in main (console:unlock, rate-limited there),
// it shows the scanners and their last raw scans, the upload queue's health and check-ins per
// hour over 24 hours. Closing it locks it again. Text goes in through textContent only.
import type { ConsoleUnlockResult, HourlyCheckins, KioskHealth, SyncStatus } from '../common/ipc/contract.js';
import type { DeviceView } from '../common/ipc/device-view.js';
import type { FactoryResetResult, ResetPrepare } from '../common/ipc/provision-view.js';
import type { KioskLeaveResult } from '../common/ipc/contract.js';
import type { Locale } from '../common/types/reasons.js';
import { drawHourlyChart, hourBuckets } from './hourly-chart.js';
import { type UiTextKey, uiText, uiTextWith } from './ui-text.js';
import { byId } from './dom.js';

export interface ConsoleData {
  devices: DeviceView[];
  sync: SyncStatus | null;
  health: KioskHealth | null;
  /** checkins:hourly: counted in main over the whole log. */
  hourly: HourlyCheckins;
}

export interface ConsoleDeps {
  unlock(pin: string): Promise<ConsoleUnlockResult>;
  load(): Promise<ConsoleData>;
  /** Factory reset, step one: a short-lived token and what would be lost. */
  resetPrepare(): Promise<ResetPrepare>;
  /** Step two: the PIN again and the token; main wipes and answers the unprovisioned state. */
  factoryReset(pin: string, token: string): Promise<FactoryResetResult>;
  /** After a wipe: the page starts again (the wizard opens on an unprovisioned kiosk). */
  onWiped(): void;
  /** Leaves kiosk mode with the PIN (the app exits). */
  leave(pin: string): Promise<KioskLeaveResult>;
  /** Opens the provisioning wizard; null hides the console's button (a provisioned kiosk). */
  openProvisioning: (() => void) | null;
  locale(): Locale;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const RAW_HEX_SHOWN = 96;

export class ConsoleScreen {
  readonly #doc: Document;
  readonly #deps: ConsoleDeps;
  readonly #openButton: HTMLButtonElement;
  readonly #screen: HTMLElement;
  readonly #pinInput: HTMLInputElement;
  readonly #pinMessage: HTMLElement;
  readonly #pinBox: HTMLElement;
  readonly #body: HTMLElement;
  #data: ConsoleData | null = null;
  #pinMessageKey: { key: UiTextKey; seconds?: number } | null = null;
  /**
   * An action waiting for the PIN again: a factory reset (with the token main gave, and what it
   * loses) or leaving kiosk mode. The same confirmation panel serves both.
   */
  #pending: { action: 'reset'; prepared: ResetPrepare } | { action: 'leave' } | null = null;
  #resetMessage: { key: UiTextKey; seconds?: number } | null = null;
  readonly #resetPin: HTMLInputElement;

  constructor(doc: Document, deps: ConsoleDeps) {
    this.#doc = doc;
    this.#deps = deps;
    this.#openButton = byId(doc, 'console-button', HTMLButtonElement);
    this.#screen = byId(doc, 'console-screen', HTMLElement);
    this.#pinInput = byId(doc, 'console-pin-input', HTMLInputElement);
    this.#pinMessage = byId(doc, 'console-pin-message', HTMLElement);
    this.#pinBox = byId(doc, 'console-pin', HTMLElement);
    this.#body = byId(doc, 'console-body', HTMLElement);
    this.#resetPin = byId(doc, 'console-reset-pin', HTMLInputElement);
    byId(doc, 'console-reset', HTMLButtonElement).addEventListener('click', () => this.#prepareReset());
    byId(doc, 'console-leave', HTMLButtonElement).addEventListener('click', () => {
      this.#resetMessage = null;
      this.#pending = { action: 'leave' };
      this.render();
      this.#resetPin.focus();
    });
    byId(doc, 'console-reset-cancel', HTMLButtonElement).addEventListener('click', () => {
      this.#pending = null;
      this.#resetMessage = null;
      this.render();
    });
    byId(doc, 'console-reset-go', HTMLButtonElement).addEventListener('click', () => this.#confirmPending());
    this.#resetPin.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') this.#confirmPending();
    });
    byId(doc, 'console-provision', HTMLButtonElement).addEventListener('click', () => {
      const open = this.#deps.openProvisioning;
      if (open === null) return;
      this.close();
      open();
    });
    this.#openButton.addEventListener('click', () => {
      this.#openButton.blur();
      this.open();
    });
    byId(doc, 'console-close', HTMLButtonElement).addEventListener('click', () => this.close());
    byId(doc, 'console-unlock', HTMLButtonElement).addEventListener('click', () => this.#tryUnlock());
    this.#pinInput.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') this.#tryUnlock();
    });
  }

  /** Inputs a technician types into: the keyboard wedge leaves them alone. */
  owns(target: EventTarget | null): boolean {
    return target === this.#pinInput || target === this.#resetPin;
  }

  showButton(): void {
    this.#openButton.hidden = false;
    this.render();
  }

  open(): void {
    this.#data = null;
    this.#pinMessageKey = null;
    this.#pinInput.value = '';
    this.#screen.hidden = false;
    this.render();
    this.#pinInput.focus();
  }

  /** Locks again: the next opening asks for the PIN. */
  close(): void {
    this.#data = null;
    this.#pending = null;
    this.#resetMessage = null;
    this.#resetPin.value = '';
    this.#pinInput.value = '';
    this.#screen.hidden = true;
    this.render();
  }

  #tryUnlock(): void {
    const pin = this.#pinInput.value.trim();
    this.#pinInput.value = '';
    this.#deps.unlock(pin).then(
      (result) => {
        switch (result.result) {
          case 'unlocked':
            this.#pinMessageKey = null;
            this.#refresh();
            return;
          case 'refused':
            this.#pinMessageKey =
              result.code === 'rate_limited' ? { key: 'consoleRateLimited', seconds: Math.ceil(result.retryAfterMs / 1000) } : { key: 'consoleWrongPin' };
            this.render();
            return;
          default: {
            const unreachable: never = result;
            throw new Error(`unknown unlock result ${String(unreachable)}`);
          }
        }
      },
      () => {
        // A PIN that is not 4 to 12 digits is refused by the contract's schema: same words.
        this.#pinMessageKey = { key: pin === '' || !/^\d{4,12}$/.test(pin) ? 'consoleWrongPin' : 'consoleFailed' };
        this.render();
      },
    );
  }

  #prepareReset(): void {
    this.#resetMessage = null;
    this.#deps.resetPrepare().then(
      (prepared) => {
        this.#pending = { action: 'reset', prepared };
        this.render();
        this.#resetPin.focus();
      },
      () => {
        this.#resetMessage = { key: 'consoleFailed' };
        this.render();
      },
    );
  }

  #refused(code: 'wrong_pin' | 'rate_limited', retryAfterMs: number): void {
    this.#resetMessage = code === 'rate_limited' ? { key: 'consoleRateLimited', seconds: Math.ceil(retryAfterMs / 1000) } : { key: 'consoleWrongPin' };
    this.render();
  }

  #confirmPending(): void {
    const pending = this.#pending;
    if (pending === null) return;
    const pin = this.#resetPin.value.trim();
    this.#resetPin.value = '';
    // A PIN that is not 4 to 12 digits is refused by the contract's schema: same words.
    const callFailed = (): void => {
      this.#resetMessage = { key: /^\d{4,12}$/.test(pin) ? 'consoleFailed' : 'consoleWrongPin' };
      this.render();
    };
    if (pending.action === 'leave') {
      this.#deps.leave(pin).then((result) => {
        if (result.result === 'leaving') {
          this.#pending = null;
          this.#resetMessage = { key: 'consoleLeaving' };
          this.render();
        } else if (result.code === 'not_supported') {
          this.#resetMessage = { key: 'consoleLeaveUnsupported' };
          this.render();
        } else this.#refused(result.code, result.retryAfterMs);
      }, callFailed);
      return;
    }
    this.#deps.factoryReset(pin, pending.prepared.token).then(
      (result) => {
        switch (result.result) {
          case 'wiped':
            this.#pending = null;
            this.#resetMessage = { key: 'consoleResetDone' };
            this.render();
            this.#deps.onWiped();
            return;
          case 'refused':
            if (result.code === 'bad_token') {
              this.#pending = null;
              this.#resetMessage = { key: 'consoleResetExpired' };
              this.render();
            } else this.#refused(result.code, result.retryAfterMs);
            return;
          default: {
            const unreachable: never = result;
            throw new Error(`unknown reset result ${String(unreachable)}`);
          }
        }
      },
      callFailed,
    );
  }

  #refresh(): void {
    this.#deps.load().then(
      (data) => {
        if (this.#screen.hidden) return;
        this.#data = data;
        this.render();
      },
      () => {
        this.#pinMessageKey = { key: 'consoleFailed' };
        this.render();
      },
    );
  }

  render(): void {
    const locale = this.#deps.locale();
    const doc = this.#doc;
    const text = (id: string, key: UiTextKey): void => {
      byId(doc, id, HTMLElement).textContent = uiText(key, locale);
    };
    this.#openButton.textContent = uiText('consoleOpen', locale);
    text('console-title', 'consoleTitle');
    text('console-pin-label', 'consolePin');
    text('console-unlock', 'consoleUnlock');
    text('console-close', 'consoleClose');
    text('console-devices-title', 'consoleDevices');
    text('console-sync-title', 'consoleSync');
    text('console-chart-title', 'consoleChart');
    text('console-reset', 'consoleReset');
    text('console-reset-note', 'consoleResetNote');
    text('console-reset-pin-label', 'consoleResetPin');
    text('console-leave', 'consoleLeave');
    text('console-reset-cancel', 'consoleResetCancel');
    text('console-provision', 'consoleProvision');
    byId(doc, 'console-provision', HTMLButtonElement).hidden = this.#deps.openProvisioning === null;
    const pending = this.#pending;
    const confirm = byId(doc, 'console-reset-confirm', HTMLElement);
    confirm.hidden = pending === null;
    confirm.dataset['action'] = pending?.action ?? '';
    text('console-reset-go', pending?.action === 'leave' ? 'consoleLeaveGo' : 'consoleResetGo');
    byId(doc, 'console-reset-warning', HTMLElement).textContent =
      pending === null
        ? ''
        : pending.action === 'leave'
          ? uiText('consoleLeaveWarning', locale)
          : uiTextWith('consoleResetWarning', locale, { pending: pending.prepared.pendingCheckins });
    const resetMessage = this.#resetMessage;
    byId(doc, 'console-reset-message', HTMLElement).textContent =
      resetMessage === null
        ? ''
        : resetMessage.seconds === undefined
          ? uiText(resetMessage.key, locale)
          : uiTextWith(resetMessage.key, locale, { seconds: resetMessage.seconds });
    const message = this.#pinMessageKey;
    this.#pinMessage.textContent =
      message === null ? '' : message.seconds === undefined ? uiText(message.key, locale) : uiTextWith(message.key, locale, { seconds: message.seconds });

    const data = this.#data;
    this.#pinBox.hidden = data !== null;
    this.#body.hidden = data === null;
    if (data === null) return;
    this.#renderDevices(data.devices, locale);
    this.#renderSync(data, locale);
    const chart = byId(doc, 'console-chart', HTMLElement);
    chart.replaceChildren(drawHourlyChart(doc, hourBuckets(data.hourly), uiText('consoleChart', locale)));
  }

  #renderDevices(devices: readonly DeviceView[], locale: Locale): void {
    const list = byId(this.#doc, 'console-devices', HTMLElement);
    if (devices.length === 0) {
      const item = this.#doc.createElement('li');
      item.textContent = uiText('consoleNoDevices', locale);
      list.replaceChildren(item);
      return;
    }
    list.replaceChildren(
      ...devices.map((device) => {
        const item = this.#doc.createElement('li');
        item.dataset['device'] = device.id;
        const state = uiText(device.connected ? 'consoleConnected' : 'consoleDisconnected', locale);
        const head = this.#doc.createElement('strong');
        head.textContent = `${device.name} (${device.mode}) · ${state} · ${String(device.scanCount)}`;
        item.append(head);
        if (device.lastScan !== null) {
          const raw = this.#doc.createElement('code');
          // The first bytes tell a technician what the scanner sends (prefix, framing): enough here.
          const hex = device.lastScan.hex.length > RAW_HEX_SHOWN ? `${device.lastScan.hex.slice(0, RAW_HEX_SHOWN)}…` : device.lastScan.hex;
          raw.textContent = `${uiText('consoleLastScan', locale)}: ${device.lastScan.symbology} · ${String(device.lastScan.byteLength)} B · ${hex}`;
          item.append(this.#doc.createElement('br'), raw);
        }
        return item;
      }),
    );
  }

  #renderSync(data: ConsoleData, locale: Locale): void {
    const facts = byId(this.#doc, 'console-sync', HTMLElement);
    const sync = data.sync;
    const when = (at: number | null): string => (at === null ? uiText('consoleNever', locale) : new Date(at).toISOString().replace('T', ' ').slice(0, 19));
    const rows: [UiTextKey, string][] =
      sync === null
        ? []
        : [
            ['consolePending', String(sync.pendingCount)],
            ['consoleOldestPending', sync.oldestPendingAgeMs === null ? '–' : String(Math.floor(sync.oldestPendingAgeMs / MINUTE_MS))],
            ['consoleParked', String(sync.parkedCount)],
            ['consoleUploaded', String(sync.uploadedCount)],
            ['consoleLastUpload', when(sync.lastSuccessAt)],
            ['consoleLastError', sync.lastError === null ? '–' : `${sync.lastError.code}: ${sync.lastError.message}`],
          ];
    const age = data.health?.statusData.ageMs ?? null;
    rows.push(['consoleDataAge', age === null ? uiText('consoleNever', locale) : String(Math.floor(age / HOUR_MS))]);
    // Where check-ins' identities go: the authority's key, the demo's, or (a warning) nowhere.
    const sealing = data.health?.sealing;
    if (sealing !== undefined) {
      const value =
        sealing.state === 'authority'
          ? uiTextWith('consoleSealingAuthority', locale, { keyId: sealing.keyId ?? '' })
          : uiText(sealing.state === 'demo' ? 'consoleSealingDemo' : 'consoleSealingMissing', locale);
      rows.push(['consoleSealing', value]);
    }
    // Each installed bundle and its age: what the verdicts rest on, for the technician.
    const bundles = (data.health?.bundles ?? []).map((bundle) => {
      const term = this.#doc.createElement('dt');
      term.textContent = uiTextWith('consoleBundle', locale, { type: bundle.type, sequence: bundle.sequence });
      const detail = this.#doc.createElement('dd');
      detail.dataset['bundle'] = bundle.type;
      detail.textContent = `${String(Math.floor(bundle.ageMs / HOUR_MS))}${bundle.stale ? ` · ${uiText('consoleBundleStale', locale)}` : ''}`;
      return [term, detail];
    });
    facts.replaceChildren(
      ...rows.flatMap(([key, value]) => {
        const term = this.#doc.createElement('dt');
        term.textContent = uiText(key, locale);
        const detail = this.#doc.createElement('dd');
        detail.dataset['fact'] = key;
        detail.textContent = value;
        return [term, detail];
      }),
      ...bundles.flat(),
    );
  }
}
