import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../common/types/reasons.js';
import { UI_MESSAGES, type UiTextKey, uiText, uiTextWith } from './ui-text.js';

/** The argument names a message takes, plural ones included. */
function argumentsOf(elements: readonly MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const element of elements) {
    if (element.type === TYPE.argument || element.type === TYPE.number || element.type === TYPE.date || element.type === TYPE.time) into.add(element.value);
    if (element.type === TYPE.plural || element.type === TYPE.select) {
      into.add(element.value);
      for (const option of Object.values(element.options)) argumentsOf(option.value, into);
    }
  }
  return into;
}

const keys = Object.keys(UI_MESSAGES) as UiTextKey[];

describe('the screen catalogue (ICU MessageFormat)', () => {
  it.each(keys)('%s parses in both locales, which take the same arguments', (key) => {
    const [vi, en] = LOCALES.map((locale) => [...argumentsOf(parse(UI_MESSAGES[key][locale]))].sort());
    expect(vi).toEqual(en);
  });

  it("formats plurals by each language's rules", () => {
    expect(uiTextWith('dataAgeHours', 'en', { hours: 1 })).toBe('Data 1 hour old');
    expect(uiTextWith('dataAgeHours', 'en', { hours: 5 })).toBe('Data 5 hours old');
    expect(uiTextWith('dataAgeHours', 'vi', { hours: 1 })).toBe('Dữ liệu cập nhật 1 giờ trước');
    expect(uiTextWith('consoleResetWarning', 'en', { pending: 1 })).toContain(' 1 check-in not yet');
  });

  it('keeps apostrophes and quotes as written', () => {
    for (const key of keys) {
      for (const locale of LOCALES) {
        const message = UI_MESSAGES[key][locale];
        if (argumentsOf(parse(message)).size > 0) continue;
        expect(uiText(key, locale)).toBe(message);
      }
    }
  });

  it('throws on a missing argument rather than showing a raw placeholder', () => {
    expect(() => uiTextWith('dataAgeHours', 'en', {})).toThrow();
  });
});
