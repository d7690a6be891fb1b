// The kiosk screen's DOM: finds the elements index.html declares and fills them. Text only goes
// in through textContent, never as markup. Knows nothing of scanners or transports.
import type { KioskInfo, VerdictView } from '../common/ipc/contract.js';
import type { Locale } from '../common/types/reasons.js';
import type { Freshness } from './freshness.js';
import { otherLocale, type UiTextKey, uiText, uiTextWith } from './ui-text.js';
import { describeVerdict } from './verdict-display.js';
import { byId } from './dom.js';

interface Elements {
  demoBadge: HTMLElement;
  localeButton: HTMLButtonElement;
  idle: HTMLElement;
  venue: HTMLElement;
  promptPrimary: HTMLElement;
  promptSecondary: HTMLElement;
  hint: HTMLElement;
  verdict: HTMLElement;
  verdictIcon: HTMLElement;
  verdictOutcome: HTMLElement;
  verdictPrimary: HTMLElement;
  verdictSecondary: HTMLElement;
  holder: HTMLElement;
  reasons: HTMLElement;
  errorBanner: HTMLElement;
  errorPrimary: HTMLElement;
  errorSecondary: HTMLElement;
  borderDetails: HTMLElement;
  freshness: HTMLElement;
  freshnessIcon: HTMLElement;
  freshnessState: HTMLElement;
  freshnessAge: HTMLElement;
  override: HTMLElement;
  overrideTitle: HTMLElement;
  overrideLabel: HTMLElement;
  overrideReason: HTMLInputElement;
  overrideAdmit: HTMLButtonElement;
  overrideDeny: HTMLButtonElement;
  overrideMessage: HTMLElement;
}

/** What the override panel says under its buttons. */
export type OverrideMessage =
  | { kind: 'none' }
  | { kind: 'text'; key: 'overrideNeedsReason' | 'overrideDone' | 'overrideFailed' }
  | { kind: 'refused'; detail: string };

/**
 * Writes the text only when it changed. Every render rewrites the whole screen's words; an
 * unchanged text node left alone is not invalidated, so the frame that shows a verdict restyles
 * and lays out only what the verdict changed.
 */
function setText(node: HTMLElement, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

function findElements(doc: Document): Elements {
  return {
    demoBadge: byId(doc, 'demo-badge', HTMLElement),
    localeButton: byId(doc, 'locale-button', HTMLButtonElement),
    idle: byId(doc, 'idle-screen', HTMLElement),
    venue: byId(doc, 'venue-name', HTMLElement),
    promptPrimary: byId(doc, 'prompt-primary', HTMLElement),
    promptSecondary: byId(doc, 'prompt-secondary', HTMLElement),
    hint: byId(doc, 'scan-hint', HTMLElement),
    verdict: byId(doc, 'verdict-screen', HTMLElement),
    verdictIcon: byId(doc, 'verdict-icon', HTMLElement),
    verdictOutcome: byId(doc, 'verdict-outcome', HTMLElement),
    verdictPrimary: byId(doc, 'verdict-primary', HTMLElement),
    verdictSecondary: byId(doc, 'verdict-secondary', HTMLElement),
    holder: byId(doc, 'verdict-holder', HTMLElement),
    reasons: byId(doc, 'verdict-reasons', HTMLElement),
    errorBanner: byId(doc, 'error-banner', HTMLElement),
    errorPrimary: byId(doc, 'error-primary', HTMLElement),
    errorSecondary: byId(doc, 'error-secondary', HTMLElement),
    borderDetails: byId(doc, 'border-details', HTMLElement),
    freshness: byId(doc, 'freshness', HTMLElement),
    freshnessIcon: byId(doc, 'freshness-icon', HTMLElement),
    freshnessState: byId(doc, 'freshness-state', HTMLElement),
    freshnessAge: byId(doc, 'freshness-age', HTMLElement),
    override: byId(doc, 'override-panel', HTMLElement),
    overrideTitle: byId(doc, 'override-title', HTMLElement),
    overrideLabel: byId(doc, 'override-reason-label', HTMLElement),
    overrideReason: byId(doc, 'override-reason', HTMLInputElement),
    overrideAdmit: byId(doc, 'override-admit', HTMLButtonElement),
    overrideDeny: byId(doc, 'override-deny', HTMLButtonElement),
    overrideMessage: byId(doc, 'override-message', HTMLElement),
  };
}

export interface KioskScreenOptions {
  /** Called when a person presses the language button. */
  onLocaleToggle: () => void;
  /** A guard decided a review verdict (border lane); the reason is the input's trimmed text. */
  onOverride?: (outcome: 'admit' | 'deny', reason: string) => void;
}

export class KioskScreen {
  readonly #doc: Document;
  readonly #el: Elements;
  #locale: Locale = 'vi';
  #info: KioskInfo | null = null;
  #verdict: VerdictView | null = null;
  #error: UiTextKey | null = null;
  #errorValues: Readonly<Record<string, string | number>> = {};
  #freshness: Freshness = { state: 'unknown' };
  #overrideOpen = false;
  #overrideMessage: OverrideMessage = { kind: 'none' };

  constructor(doc: Document, options: KioskScreenOptions) {
    this.#doc = doc;
    this.#el = findElements(doc);
    this.#el.localeButton.addEventListener('click', () => {
      // A focused button would "press" itself on the scanner's Enter: never keep the focus.
      this.#el.localeButton.blur();
      options.onLocaleToggle();
    });
    this.#el.localeButton.addEventListener('focus', () => this.#el.localeButton.blur());
    const decide = (outcome: 'admit' | 'deny'): void => {
      const reason = this.#el.overrideReason.value.trim();
      if (reason === '') {
        this.setOverrideMessage({ kind: 'text', key: 'overrideNeedsReason' });
        this.#el.overrideReason.focus();
        return;
      }
      options.onOverride?.(outcome, reason);
    };
    this.#el.overrideAdmit.addEventListener('click', () => decide('admit'));
    this.#el.overrideDeny.addEventListener('click', () => decide('deny'));
  }

  /** The element a guard types an override reason into: scans are not taken from it. */
  get overrideInput(): HTMLInputElement {
    return this.#el.overrideReason;
  }

  setFreshness(freshness: Freshness): void {
    this.#freshness = freshness;
    this.#render();
  }

  /** Shows (with an empty reason) or hides the override panel under the current verdict. */
  setOverrideOpen(open: boolean): void {
    this.#overrideOpen = open;
    this.#overrideMessage = { kind: 'none' };
    this.#el.overrideReason.value = '';
    this.#el.overrideAdmit.disabled = false;
    this.#el.overrideDeny.disabled = false;
    this.#render();
  }

  setOverrideMessage(message: OverrideMessage): void {
    this.#overrideMessage = message;
    this.#render();
  }

  /** After a logged decision the buttons stay disabled: a verdict is overridden once. */
  lockOverride(): void {
    this.#el.overrideAdmit.disabled = true;
    this.#el.overrideDeny.disabled = true;
    this.#el.overrideReason.blur();
  }

  get locale(): Locale {
    return this.#locale;
  }

  setInfo(info: KioskInfo): void {
    this.#info = info;
    this.#el.localeButton.hidden = false;
    this.#el.demoBadge.hidden = !info.demo;
    this.#render();
  }

  /** Called after the language changed, for the parts of the page this class does not draw. */
  onLocaleChanged: () => void = () => undefined;

  setLocale(locale: Locale): void {
    this.#locale = locale;
    this.#render();
    this.onLocaleChanged();
  }

  showVerdict(verdict: VerdictView): void {
    this.#verdict = verdict;
    this.#render();
  }

  showIdle(): void {
    this.#verdict = null;
    this.#overrideOpen = false;
    this.#render();
  }

  /** A message that stays until cleared; shown in both languages, with its arguments if it takes any. */
  showError(key: UiTextKey, values: Readonly<Record<string, string | number>> = {}): void {
    this.#error = key;
    this.#errorValues = values;
    this.#render();
  }

  /** Clears the message shown; with keys, only when it is one of them. */
  clearError(...keys: UiTextKey[]): void {
    if (keys.length > 0 && (this.#error === null || !keys.includes(this.#error))) return;
    this.#error = null;
    this.#errorValues = {};
    this.#render();
  }

  #render(): void {
    const el = this.#el;
    const locale = this.#locale;
    const other = otherLocale(locale);
    if (this.#doc.documentElement.lang !== locale) this.#doc.documentElement.lang = locale;

    setText(el.localeButton, uiText('switchLanguage', locale));
    setText(el.demoBadge, uiText('demoBadge', locale));
    setText(el.venue, this.#info?.venueName ?? '');
    setText(el.promptPrimary, uiText('scanPrompt', locale));
    setText(el.promptSecondary, uiText('scanPrompt', other));
    setText(el.hint, uiText('scanHint', locale));

    this.#renderFreshness();

    const verdict = this.#verdict;
    el.idle.hidden = verdict !== null;
    el.verdict.hidden = verdict === null;
    if (verdict !== null) this.#renderVerdict(verdict);

    if (this.#error === null) {
      el.errorBanner.hidden = true;
    } else {
      setText(el.errorPrimary, uiTextWith(this.#error, locale, this.#errorValues));
      setText(el.errorSecondary, uiTextWith(this.#error, other, this.#errorValues));
      el.errorBanner.hidden = false;
    }
  }

  #renderFreshness(): void {
    const el = this.#el;
    const locale = this.#locale;
    const freshness = this.#freshness;
    el.freshness.dataset['state'] = freshness.state;
    switch (freshness.state) {
      case 'unknown':
        el.freshness.hidden = true;
        return;
      case 'online':
        setText(el.freshnessIcon, '●');
        setText(el.freshnessState, uiText('online', locale));
        break;
      case 'offline':
        setText(el.freshnessIcon, '○');
        setText(el.freshnessState, uiText('offline', locale));
        break;
      case 'stale':
        setText(el.freshnessIcon, '▲');
        setText(el.freshnessState, `${uiText('staleData', locale)}${freshness.offline ? ` · ${uiText('offline', locale)}` : ''}`);
        break;
      default: {
        const unreachable: never = freshness;
        throw new Error(`unknown freshness ${String(unreachable)}`);
      }
    }
    el.freshness.hidden = false;
    setText(el.freshnessAge, freshness.dataAgeHours === null ? uiText('dataAgeNone', locale) : uiTextWith('dataAgeHours', locale, { hours: freshness.dataAgeHours }));
  }

  #renderOverride(): void {
    const el = this.#el;
    const locale = this.#locale;
    el.override.hidden = !this.#overrideOpen;
    setText(el.overrideTitle, uiText('overrideTitle', locale));
    setText(el.overrideLabel, uiText('overrideReason', locale));
    setText(el.overrideAdmit, uiText('overrideAdmit', locale));
    setText(el.overrideDeny, uiText('overrideDeny', locale));
    const message = this.#overrideMessage;
    switch (message.kind) {
      case 'none':
        setText(el.overrideMessage, '');
        return;
      case 'text':
        setText(el.overrideMessage, uiText(message.key, locale));
        return;
      case 'refused':
        setText(el.overrideMessage, `${uiText('overrideRefused', locale)} ${message.detail}`);
        return;
      default: {
        const unreachable: never = message;
        throw new Error(`unknown override message ${String(unreachable)}`);
      }
    }
  }

  #renderBorderDetails(verdict: VerdictView): void {
    const el = this.#el;
    const details = verdict.border;
    if (details === undefined) {
      el.borderDetails.hidden = true;
      el.borderDetails.replaceChildren();
      return;
    }
    // The guard compares the full fields; the masked line would only repeat them.
    el.holder.hidden = true;
    const locale = this.#locale;
    const rows: [UiTextKey, string | undefined][] = [
      ['fieldName', details.fullName],
      ['fieldSurname', details.surname],
      ['fieldGivenNames', details.givenNames],
      ['fieldDob', details.dateOfBirth ?? undefined],
      ['fieldNationality', details.nationality],
      ['fieldSex', details.sex],
      ['fieldDocument', details.documentNumber],
      ['fieldDocumentExpiry', details.documentExpiry],
      ['fieldCertificate', details.certificateType],
      [
        'fieldDoses',
        details.vaccination === undefined
          ? undefined
          : [String(details.vaccination.doses), details.vaccination.lastDoseDate].filter((part) => part !== undefined).join(' / '),
      ],
      [
        'fieldTest',
        details.test === undefined
          ? undefined
          : [details.test.type, details.test.result, details.test.sampledAt].filter((part) => part !== undefined).join(', '),
      ],
      ['fieldIssuer', details.issuer],
      ['fieldValidUntil', details.validUntil === undefined ? undefined : new Date(details.validUntil).toISOString().slice(0, 10)],
    ];
    const children: HTMLElement[] = [];
    for (const [key, value] of rows) {
      if (value === undefined || value === '') continue;
      const term = this.#doc.createElement('dt');
      term.textContent = uiText(key, locale);
      const data = this.#doc.createElement('dd');
      data.dataset['field'] = key;
      data.textContent = value;
      children.push(term, data);
    }
    el.borderDetails.replaceChildren(...children);
    el.borderDetails.hidden = false;
  }

  #renderVerdict(verdict: VerdictView): void {
    this.#renderOverride();
    const el = this.#el;
    const display = describeVerdict(verdict, this.#locale);
    el.verdict.dataset['outcome'] = display.style.outcome;
    el.verdict.dataset['readable'] = String(display.readable);
    el.verdictOutcome.dataset['outcome'] = display.style.outcome;
    setText(el.verdictIcon, display.style.icon);
    setText(el.verdictPrimary, display.headline.primary);
    setText(el.verdictSecondary, display.headline.secondary);

    if (display.holder === null) {
      el.holder.hidden = true;
      setText(el.holder, '');
    } else {
      el.holder.hidden = false;
      const { maskedName, birthYear } = display.holder;
      setText(el.holder, birthYear === null ? maskedName : `${maskedName} · ${uiText('birthYear', this.#locale)} ${birthYear}`);
    }

    this.#renderBorderDetails(verdict);

    el.reasons.replaceChildren(
      ...display.reasons.map((reason) => {
        const item = this.#doc.createElement('li');
        item.dataset['testid'] = 'verdict-reason';
        item.dataset['code'] = reason.code;
        item.textContent = reason.text;
        return item;
      }),
    );
  }
}
