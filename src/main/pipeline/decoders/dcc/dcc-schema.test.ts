// Run in its own file: vitest isolates each file's modules, so the validator starts uncompiled.
import { describe, expect, it } from 'vitest';
import { dccSchemaPrepared, prepareDccSchema, validateDccPayload } from './dcc-schema.js';

describe('the DCC schema warm-up', () => {
  it('compiles the validator before any payload is validated, and the validator then works', () => {
    expect(dccSchemaPrepared()).toBe(false);
    prepareDccSchema();
    expect(dccSchemaPrepared()).toBe(true);
    const result = validateDccPayload({ ver: '1.3.0', nam: { fnt: 'NGUYEN' }, dob: '1990-04-12' });
    // No v, t or r entry: the schema requires one certificate.
    expect(result.ok).toBe(false);
  });
});
