// A USB scanner in keyboard mode types a whole code within a few milliseconds. Playwright's
// keyboard.type leaves gaps of its own between keys, and on a loaded 2-core machine those gaps
// can exceed the wedge's threshold, which would make a scanner look like a person typing. So a
// scanner's burst is dispatched inside the page in one task: the same keydown events the
// renderer listens to, with no gaps. People typing are still simulated with keyboard.type.
import type { Page } from 'playwright-core';

export async function typeAsScanner(page: Page, text: string, suffix: 'Enter' | 'Tab' = 'Enter'): Promise<void> {
  await page.evaluate(
    ({ keys }) => {
      for (const key of keys) {
        window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
      }
    },
    { keys: [...Array.from(text), suffix] },
  );
}
