// The kiosk screen's DOM: finds the elements index.html declares and fills them. Text only goes
// in through textContent, never as markup. Knows nothing of scanners or transports.
import type { KioskInfo, VerdictView } from '../common/ipc/contract.js';
import type { Locale } from '../common/types/reasons.js';
import { otherLocale, type UiTextKey, uiText } from './ui-text.js';
import { describeVerdict } from './verdict-display.js';

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
}

function element<T extends HTMLElement>(doc: Document, id: string, type: new () => T): T {
  const found = doc.getElementById(id);
  if (!(found instanceof type)) throw new Error(`index.html lacks the #${id} element`);
  return found;
}

function findElements(doc: Document): Elements {
  return {
    demoBadge: element(doc, 'demo-badge', HTMLElement),
    localeButton: element(doc, 'locale-button', HTMLButtonElement),
    idle: element(doc, 'idle-screen', HTMLElement),
    venue: element(doc, 'venue-name', HTMLElement),
    promptPrimary: element(doc, 'prompt-primary', HTMLElement),
    promptSecondary: element(doc, 'prompt-secondary', HTMLElement),
    hint: element(doc, 'scan-hint', HTMLElement),
    verdict: element(doc, 'verdict-screen', HTMLElement),
    verdictIcon: element(doc, 'verdict-icon', HTMLElement),
    verdictOutcome: element(doc, 'verdict-outcome', HTMLElement),
    verdictPrimary: element(doc, 'verdict-primary', HTMLElement),
    verdictSecondary: element(doc, 'verdict-secondary', HTMLElement),
    holder: element(doc, 'verdict-holder', HTMLElement),
    reasons: element(doc, 'verdict-reasons', HTMLElement),
    errorBanner: element(doc, 'error-banner', HTMLElement),
    errorPrimary: element(doc, 'error-primary', HTMLElement),
    errorSecondary: element(doc, 'error-secondary', HTMLElement),
  };
}

export interface KioskScreenOptions {
  /** Called when a person presses the language button. */
  onLocaleToggle: () => void;
}

export class KioskScreen {
  readonly #doc: Document;
  readonly #el: Elements;
  #locale: Locale = 'vi';
  #info: KioskInfo | null = null;
  #verdict: VerdictView | null = null;
  #error: UiTextKey | null = null;

  constructor(doc: Document, options: KioskScreenOptions) {
    this.#doc = doc;
    this.#el = findElements(doc);
    this.#el.localeButton.addEventListener('click', () => {
      // A focused button would "press" itself on the scanner's Enter: never keep the focus.
      this.#el.localeButton.blur();
      options.onLocaleToggle();
    });
    this.#el.localeButton.addEventListener('focus', () => this.#el.localeButton.blur());
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

  setLocale(locale: Locale): void {
    this.#locale = locale;
    this.#render();
  }

  showVerdict(verdict: VerdictView): void {
    this.#verdict = verdict;
    this.#render();
  }

  showIdle(): void {
    this.#verdict = null;
    this.#render();
  }

  /** A message that stays until cleared; shown in both languages. */
  showError(key: UiTextKey): void {
    this.#error = key;
    this.#render();
  }

  clearError(key?: UiTextKey): void {
    if (key !== undefined && this.#error !== key) return;
    this.#error = null;
    this.#render();
  }

  #render(): void {
    const el = this.#el;
    const locale = this.#locale;
    const other = otherLocale(locale);
    this.#doc.documentElement.lang = locale;

    el.localeButton.textContent = uiText('switchLanguage', locale);
    el.demoBadge.textContent = uiText('demoBadge', locale);
    el.venue.textContent = this.#info?.venueName ?? '';
    el.promptPrimary.textContent = uiText('scanPrompt', locale);
    el.promptSecondary.textContent = uiText('scanPrompt', other);
    el.hint.textContent = uiText('scanHint', locale);

    const verdict = this.#verdict;
    el.idle.hidden = verdict !== null;
    el.verdict.hidden = verdict === null;
    if (verdict !== null) this.#renderVerdict(verdict);

    if (this.#error === null) {
      el.errorBanner.hidden = true;
    } else {
      el.errorPrimary.textContent = uiText(this.#error, locale);
      el.errorSecondary.textContent = uiText(this.#error, other);
      el.errorBanner.hidden = false;
    }
  }

  #renderVerdict(verdict: VerdictView): void {
    const el = this.#el;
    const display = describeVerdict(verdict, this.#locale);
    el.verdict.dataset['outcome'] = display.style.outcome;
    el.verdict.dataset['readable'] = String(display.readable);
    el.verdictOutcome.dataset['outcome'] = display.style.outcome;
    el.verdictIcon.textContent = display.style.icon;
    el.verdictPrimary.textContent = display.headline.primary;
    el.verdictSecondary.textContent = display.headline.secondary;

    if (display.holder === null) {
      el.holder.hidden = true;
      el.holder.textContent = '';
    } else {
      el.holder.hidden = false;
      const { maskedName, birthYear } = display.holder;
      el.holder.textContent =
        birthYear === null ? maskedName : `${maskedName} · ${uiText('birthYear', this.#locale)} ${birthYear}`;
    }

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
