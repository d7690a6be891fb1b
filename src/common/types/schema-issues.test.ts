import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeSchemaIssues } from './schema-issues.js';

describe('describeSchemaIssues', () => {
  it('says where and what for the first few issues, naming the whole value when there is no path', () => {
    const parsed = z.object({ url: z.string(), hours: z.number().int(), list: z.array(z.string()) }).safeParse({ url: 1, hours: 1.5, list: [2] });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(describeSchemaIssues(parsed.error.issues, 'the file', 2)).toBe('url: Invalid input: expected string, received number; hours: Invalid input: expected int, received number');
    expect(describeSchemaIssues(parsed.error.issues, 'the file')).toMatch(/; list\.0: /);
    const whole = z.string().safeParse(3);
    if (whole.success) throw new Error('a number parsed as a string');
    expect(describeSchemaIssues(whole.error.issues, '(request)')).toMatch(/^\(request\): /);
  });
});
