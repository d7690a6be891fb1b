// expect: clean
// Tests run under Node (the common tsconfig excludes them) and may use the shared helpers in test/.
import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { fixedClock } from '../../test/helpers/clock.js';
import { KIND } from './types.js';

it('hashes', () => {
  expect(createHash('sha256').update(KIND).digest('hex')).toHaveLength(64);
  expect(fixedClock).toBeDefined();
});
