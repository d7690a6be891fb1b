import { describe, expect, it } from 'vitest';
import { captureIo } from './cli-io.js';

describe('captureIo', () => {
  it('keeps each stream apart, one line per call', () => {
    const io = captureIo();
    io.out('{"a":1}');
    io.err('first problem');
    io.out('second');
    expect(io.lines.out).toEqual(['{"a":1}', 'second']);
    expect(io.stdout).toBe('{"a":1}\nsecond\n');
    expect(io.stderr).toBe('first problem\n');
  });
});
