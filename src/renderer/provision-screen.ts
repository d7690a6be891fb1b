// The technician's provisioning wizard: a full-screen panel over the door screens that follows
// main's state machine (src/common/ipc/provision-view.ts) step by step. It opens by itself on a
// kiosk that is not provisioned (and not a demo), or from the console. Each step shows what to
// do, a spinner while main talks to the hub, and on failure the headline, the fix and main's
// own sentence, with the step's action offered again. Text goes in through textContent only.
import type { ProvisionState, ProvisionStep } from '../common/ipc/provision-view.js';
import { PROVISION_ERROR_TEXT, PROVISION_STEP_TITLES } from '../common/ipc/provision-text.js';
import type { Locale } from '../common/types/reasons.js';
import { type UiTextKey, uiText } from './ui-text.js';
import { byId } from './dom.js';

export interface ProvisionDeps {
  state(): Promise<ProvisionState>;
  enrol(text: string): Promise<ProvisionState>;
  confirmFingerprint(answer: 'match' | 'mismatch', fingerprint?: string): Promise<ProvisionState>;
  sync(): Promise<ProvisionState>;
  finish(skipScanners: boolean): Promise<ProvisionState>;
  /** A test scan from the window's own input (keyboard wedge or paste) while the step is self_test. */
  testScan(text: string, source: 'keyboard-wedge' | 'paste'): Promise<unknown>;
  /** The USB HID and serial readers connected now (devices:list), listed as waiting until each has read. */
  readers(): Promise<readonly SelfTestReader[]>;
  locale(): Locale;
  /** The kiosk is provisioned: reload it so the door screen runs with its venue and mode. */
  onReady(): void;
}

/** A connected hardware reader, by its devices:list id (the self-test's id for its scans). */
export interface SelfTestReader {
  id: string;
  name: string;
  mode: string;
}

/** The steps shown in the progress list (enrolling is part of the first). */
const SHOWN_STEPS: readonly ProvisionStep[] = ['unprovisioned', 'awaiting_fingerprint', 'configuring', 'first_sync', 'self_test', 'ready'];
const POLL_BUSY_MS = 500;
const POLL_SELF_TEST_MS = 1000;

function shownIndex(step: ProvisionStep): number {
  return step === 'enrolling' ? 0 : SHOWN_STEPS.indexOf(step);
}

export class ProvisionScreen {
  readonly #doc: Document;
  readonly #deps: ProvisionDeps;
  readonly #screen: HTMLElement;
  readonly #body: HTMLElement;
  readonly #closeButton: HTMLButtonElement;
  #state: ProvisionState | null = null;
  /** A call failed to reach main at all (not a provisioning error: main answers those in the state). */
  #callFailed = false;
  #pollTimer: ReturnType<typeof setTimeout> | undefined;
  /** Inputs the technician types into; the keyboard wedge leaves them alone. */
  readonly #inputs = new Set<EventTarget>();
  /** Whether the technician may close the wizard (a demo kiosk, opened from the console). */
  #closable = false;
  /** Hardware readers connected during the self-test, so one that has not read yet shows as waiting. */
  #readers: readonly SelfTestReader[] = [];

  constructor(doc: Document, deps: ProvisionDeps) {
    this.#doc = doc;
    this.#deps = deps;
    this.#screen = byId(doc, 'provision-screen', HTMLElement);
    this.#body = byId(doc, 'provision-body', HTMLElement);
    this.#closeButton = byId(doc, 'provision-close', HTMLButtonElement);
    this.#closeButton.addEventListener('click', () => this.close());
  }

  get isOpen(): boolean {
    return !this.#screen.hidden;
  }

  owns(target: EventTarget | null): boolean {
    return target !== null && this.#inputs.has(target);
  }

  open(options: { closable: boolean }): void {
    this.#closable = options.closable;
    this.#screen.hidden = false;
    this.render();
    this.#refresh();
  }

  close(): void {
    clearTimeout(this.#pollTimer);
    this.#screen.hidden = true;
  }

  /**
   * A scan from the window's scanner while the wizard is open: the enrolment ticket on the
   * first step, a test scan during the self-test. Returns false when the wizard does not want it.
   */
  takeScan(text: string, source: 'keyboard-wedge' | 'paste'): boolean {
    if (!this.isOpen) return false;
    if (this.#state?.step === 'self_test') {
      this.#deps.testScan(text, source).then(
        () => this.#refresh(),
        () => this.#failCall(),
      );
      return true;
    }
    // Any other step (or before the first state came back): the ticket. Main checks the step and
    // answers wrong_step, which the wizard shows, for a scan the step does not ask for; a scan
    // while main is busy is left alone. Never taken for a door scan.
    if (this.#state?.busy !== true) this.#act(() => this.#deps.enrol(text));
    return true;
  }

  #act(action: () => Promise<ProvisionState>): void {
    action().then(
      (state) => this.#show(state),
      () => this.#failCall(),
    );
  }

  #refresh(): void {
    clearTimeout(this.#pollTimer);
    this.#deps.state().then(
      (state) => this.#show(state),
      () => this.#failCall(),
    );
  }

  #failCall(): void {
    this.#callFailed = true;
    this.render();
    this.#schedule(POLL_SELF_TEST_MS);
  }

  #show(state: ProvisionState): void {
    this.#callFailed = false;
    const previous = this.#state;
    this.#state = state;
    // Re-render the step's controls only when the step, the spinner or the error changed, so a
    // poll does not wipe what the technician is typing.
    const same =
      previous !== null &&
      previous.step === state.step &&
      previous.busy === state.busy &&
      previous.error?.at === state.error?.at &&
      JSON.stringify(previous.selfTest) === JSON.stringify(state.selfTest) &&
      previous.clock.state === state.clock.state;
    if (!same) this.render();
    if (!this.isOpen) return;
    if (state.busy) this.#schedule(POLL_BUSY_MS);
    else if (state.step === 'self_test') {
      this.#refreshReaders();
      this.#schedule(POLL_SELF_TEST_MS);
    }
  }

  #refreshReaders(): void {
    this.#deps.readers().then(
      (readers) => {
        if (JSON.stringify(readers) === JSON.stringify(this.#readers)) return;
        this.#readers = readers;
        if (this.#state?.step === 'self_test') this.render();
      },
      // The list is only a help: the self-test itself goes on from the scans main records, and a
      // main that does not answer shows on the state poll (#failCall) a second later.
      () => undefined,
    );
  }

  #schedule(ms: number): void {
    clearTimeout(this.#pollTimer);
    if (this.isOpen) this.#pollTimer = setTimeout(() => this.#refresh(), ms);
  }

  render(): void {
    const locale = this.#deps.locale();
    const doc = this.#doc;
    const state = this.#state;
    const t = (key: UiTextKey): string => uiText(key, locale);
    byId(doc, 'provision-title', HTMLElement).textContent = t('provisionTitle');
    this.#closeButton.textContent = t('consoleClose');
    this.#closeButton.hidden = !this.#closable;

    const step = state?.step ?? 'unprovisioned';
    const current = shownIndex(step);
    byId(doc, 'provision-steps', HTMLElement).replaceChildren(
      ...SHOWN_STEPS.map((shown, index) => {
        const item = doc.createElement('li');
        item.textContent = PROVISION_STEP_TITLES[shown][locale];
        item.dataset['state'] = index < current ? 'done' : index === current ? 'current' : 'todo';
        if (index === current) item.setAttribute('aria-current', 'step');
        return item;
      }),
    );
    byId(doc, 'provision-step-title', HTMLElement).textContent = PROVISION_STEP_TITLES[step][locale];
    this.#screen.dataset['step'] = step;
    this.#screen.dataset['busy'] = String(state?.busy ?? false);

    const errorBox = byId(doc, 'provision-error', HTMLElement);
    const error = state?.error ?? null;
    errorBox.hidden = error === null && !this.#callFailed;
    if (error !== null) {
      const text = PROVISION_ERROR_TEXT[error.code];
      errorBox.dataset['code'] = error.code;
      byId(doc, 'provision-error-headline', HTMLElement).textContent = text.headline[locale];
      byId(doc, 'provision-error-fix', HTMLElement).textContent = text.fix[locale];
      byId(doc, 'provision-error-detail', HTMLElement).textContent = error.message;
    } else if (this.#callFailed) {
      errorBox.dataset['code'] = 'call_failed';
      byId(doc, 'provision-error-headline', HTMLElement).textContent = t('provisionCallFailed');
      byId(doc, 'provision-error-fix', HTMLElement).textContent = '';
      byId(doc, 'provision-error-detail', HTMLElement).textContent = '';
    }

    const clock = byId(doc, 'provision-clock', HTMLElement);
    clock.hidden = state?.clock.state !== 'wrong';
    clock.textContent = state?.clock.state === 'wrong' ? `${t('provisionClockWrong')} ${state.clock.message ?? ''}`.trim() : '';

    this.#inputs.clear();
    this.#body.replaceChildren(...(state === null ? [this.#spinner(locale)] : this.#stepControls(state, locale)));
  }

  #spinner(locale: Locale): HTMLElement {
    const busy = this.#doc.createElement('p');
    busy.className = 'provision-busy';
    busy.dataset['testid'] = 'provision-busy';
    busy.setAttribute('role', 'status');
    busy.textContent = uiText('provisionWorking', locale);
    return busy;
  }

  #button(key: UiTextKey, locale: Locale, testId: string, onClick: () => void, danger = false): HTMLButtonElement {
    const button = this.#doc.createElement('button');
    button.type = 'button';
    button.className = danger ? 'console-action console-danger' : 'console-action';
    button.dataset['testid'] = testId;
    button.textContent = uiText(key, locale);
    button.addEventListener('click', onClick);
    return button;
  }

  #labelled(input: HTMLInputElement | HTMLTextAreaElement, id: string, key: UiTextKey, locale: Locale): HTMLElement[] {
    const label = this.#doc.createElement('label');
    label.className = 'console-label';
    label.htmlFor = id;
    label.textContent = uiText(key, locale);
    input.id = id;
    input.autocomplete = 'off';
    input.spellcheck = false;
    this.#inputs.add(input);
    return [label, input];
  }

  #fact(key: UiTextKey, value: string, locale: Locale, fact: string): HTMLElement[] {
    const term = this.#doc.createElement('dt');
    term.textContent = uiText(key, locale);
    const detail = this.#doc.createElement('dd');
    detail.dataset['fact'] = fact;
    detail.textContent = value;
    return [term, detail];
  }

  #stepControls(state: ProvisionState, locale: Locale): HTMLElement[] {
    if (state.busy) return [this.#spinner(locale)];
    const doc = this.#doc;
    switch (state.step) {
      case 'unprovisioned':
      case 'enrolling': {
        const hint = doc.createElement('p');
        hint.textContent = uiText('provisionTicketHint', locale);
        const ticket = doc.createElement('textarea');
        ticket.className = 'provision-ticket';
        ticket.dataset['testid'] = 'provision-ticket';
        ticket.rows = 3;
        ticket.maxLength = 4000;
        const enrol = (): void => {
          const text = ticket.value.trim();
          if (text !== '') this.#act(() => this.#deps.enrol(text));
        };
        ticket.addEventListener('keydown', (event) => {
          if (event.key === 'Enter' && !event.shiftKey) {
            event.preventDefault();
            enrol();
          }
        });
        return [hint, ...this.#labelled(ticket, 'provision-ticket', 'provisionTicketLabel', locale), this.#button('provisionEnrol', locale, 'provision-enrol', enrol)];
      }
      case 'awaiting_fingerprint': {
        const shown = doc.createElement('p');
        shown.className = 'provision-fingerprint';
        shown.dataset['testid'] = 'provision-fingerprint';
        shown.textContent = state.rootFingerprint ?? '';
        const typed = doc.createElement('input');
        typed.type = 'text';
        typed.className = 'console-pin-input provision-fingerprint-input';
        typed.dataset['testid'] = 'provision-fingerprint-input';
        typed.maxLength = 200;
        const confirm = (): void => {
          const value = typed.value.trim();
          this.#act(() => this.#deps.confirmFingerprint('match', value === '' ? undefined : value));
        };
        typed.addEventListener('keydown', (event) => {
          if (event.key === 'Enter') confirm();
        });
        const label = doc.createElement('p');
        label.textContent = uiText('provisionFingerprintShown', locale);
        const actions = doc.createElement('div');
        actions.className = 'provision-actions';
        actions.append(
          this.#button('provisionMatch', locale, 'provision-match', confirm),
          this.#button('provisionMismatch', locale, 'provision-mismatch', () => this.#act(() => this.#deps.confirmFingerprint('mismatch')), true),
        );
        return [label, shown, ...this.#labelled(typed, 'provision-fingerprint-input', 'provisionFingerprintTyped', locale), actions];
      }
      case 'configuring':
      case 'first_sync':
        // Not busy on these steps means the last attempt failed (the error says why): try again.
        return [this.#button('provisionRetry', locale, 'provision-retry', () => this.#act(() => this.#deps.sync()))];
      case 'self_test': {
        const hint = doc.createElement('p');
        hint.textContent = uiText('provisionSelfTestHint', locale);
        const list = doc.createElement('ul');
        list.className = 'console-list';
        list.dataset['testid'] = 'provision-scanners';
        for (const scanner of state.selfTest) {
          const item = doc.createElement('li');
          item.dataset['scanner'] = scanner.id;
          item.dataset['passed'] = String(scanner.passed);
          const read = scanner.lastText === null ? '' : ` · “${scanner.lastText}”`;
          item.textContent = `${scanner.passed ? '✓' : '…'} ${scanner.name} (${scanner.source}) · ${uiText(scanner.passed ? 'provisionScannerPassed' : 'provisionScannerWaiting', locale)}${read}`;
          list.append(item);
        }
        // Readers plugged in that have not read yet: each is its own line, so a second scanner
        // of the same kind that does not work is seen before the kiosk goes to the door.
        for (const reader of this.#readers) {
          if (state.selfTest.some((scanner) => scanner.id === reader.id)) continue;
          const item = doc.createElement('li');
          item.dataset['scanner'] = reader.id;
          item.dataset['passed'] = 'false';
          item.textContent = `… ${reader.name} (${reader.mode}) · ${uiText('provisionScannerWaiting', locale)}`;
          list.append(item);
        }
        const anyPassed = state.selfTest.some((scanner) => scanner.passed);
        const actions = doc.createElement('div');
        actions.className = 'provision-actions';
        const finish = this.#button('provisionFinish', locale, 'provision-finish', () => this.#act(() => this.#deps.finish(false)));
        finish.disabled = !anyPassed;
        actions.append(finish, this.#button('provisionSkipScanners', locale, 'provision-skip-scanners', () => this.#act(() => this.#deps.finish(true))));
        return [hint, list, actions];
      }
      case 'ready': {
        const facts = doc.createElement('dl');
        facts.className = 'console-facts';
        facts.dataset['testid'] = 'provision-summary';
        const assignment = state.assignment;
        facts.append(
          ...this.#fact('provisionDevice', state.deviceId ?? '–', locale, 'device'),
          ...this.#fact(
            'provisionVenue',
            assignment === null ? '–' : assignment.laneName === null ? assignment.venueName : `${assignment.venueName} · ${assignment.laneName}`,
            locale,
            'venue',
          ),
          ...this.#fact('provisionMode', assignment === null ? '–' : uiText(assignment.mode === 'border' ? 'provisionModeBorder' : 'provisionModeVenue', locale), locale, 'mode'),
        );
        return [facts, this.#button('provisionOpenKiosk', locale, 'provision-open-kiosk', () => this.#deps.onReady())];
      }
      default: {
        const unreachable: never = state.step;
        throw new Error(`unknown provisioning step ${String(unreachable)}`);
      }
    }
  }
}
