// What the verdict screen shows for one verdict, decided apart from the DOM so that it can be
// tested alone: the style (colour AND icon shape), the headline in both languages, the reasons'
// sentences in the current language, and the masked holder.
import type { VerdictView } from '../common/ipc/contract.js';
import { type Locale, type ReasonCode, reasonMessage } from '../common/types/reasons.js';
import type { Outcome } from '../common/types/verdict.js';
import { otherLocale, type UiTextKey, uiText } from './ui-text.js';

/** Each style pairs a colour with an icon of its own shape, so colour is never the only cue. */
export interface VerdictStyle {
  outcome: Outcome;
  icon: '✓' | '✕' | '!';
}

export interface VerdictDisplay {
  style: VerdictStyle;
  readable: boolean;
  /** The headline in the current language, then in the other one. */
  headline: { primary: string; secondary: string };
  reasons: { code: ReasonCode; text: string }[];
  holder: { maskedName: string; birthYear: string | null } | null;
}

export function verdictStyle(outcome: Outcome): VerdictStyle {
  switch (outcome) {
    case 'admit':
      return { outcome, icon: '✓' };
    case 'deny':
      return { outcome, icon: '✕' };
    case 'review':
      return { outcome, icon: '!' };
    default: {
      const unreachable: never = outcome;
      throw new Error(`unknown outcome ${String(unreachable)}`);
    }
  }
}

function headlineKey(verdict: VerdictView): UiTextKey {
  if (!verdict.readable) return 'unreadable';
  switch (verdict.outcome) {
    case 'admit':
      return 'admitted';
    case 'deny':
      return 'denied';
    case 'review':
      return 'review';
    default: {
      const unreachable: never = verdict.outcome;
      throw new Error(`unknown outcome ${String(unreachable)}`);
    }
  }
}

export function describeVerdict(verdict: VerdictView, locale: Locale): VerdictDisplay {
  const key = headlineKey(verdict);
  // An unreadable scan is never admitted, whatever the outcome field says: show it as a denial.
  const style = verdictStyle(verdict.readable ? verdict.outcome : 'deny');
  const seen = new Set<string>();
  const reasons: VerdictDisplay['reasons'] = [];
  for (const reason of verdict.reasons) {
    const text = reasonMessage(reason.code, locale);
    // Several decode failures share one sentence; say it once.
    if (seen.has(text)) continue;
    seen.add(text);
    reasons.push({ code: reason.code, text });
  }
  return {
    style,
    readable: verdict.readable,
    headline: { primary: uiText(key, locale), secondary: uiText(key, otherLocale(locale)) },
    reasons,
    holder: verdict.holder === null ? null : { ...verdict.holder },
  };
}
