import { describe, expect, it } from 'vitest';
import { readHubErrorBody } from './hub-error-body.js';

describe('readHubErrorBody', () => {
  it('reads the code, the sentence and the hub clock from text or parsed JSON', () => {
    const body = { error: { code: 'clock_skew', message: 'Your clock is 10 min ahead.', serverTime: 1_700_000_000_000 } };
    const expected = { code: 'clock_skew', message: 'Your clock is 10 min ahead.', serverTime: 1_700_000_000_000 };
    expect(readHubErrorBody(JSON.stringify(body))).toEqual(expected);
    expect(readHubErrorBody(body)).toEqual(expected);
  });

  it('keeps an unknown code and a missing sentence', () => {
    expect(readHubErrorBody('{"error":{"code":"token_used"}}')).toEqual({ code: 'token_used', message: null, serverTime: null });
  });

  it.each(['<html>502 Bad Gateway</html>', '', 'null', '{"error":"nope"}', '{"error":{"code":7}}', '[1]'])('gives null for %j', (text) => {
    expect(readHubErrorBody(text)).toBeNull();
  });
});
