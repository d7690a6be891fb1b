import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SOCAT_MISSING_MESSAGE, startPtyPair } from './socat-pty.js';

describe('socat pty pair', () => {
  it('says to install socat when it is missing', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'pccovid-socat-'));
    try {
      await expect(startPtyPair(join(folder, 'a'), join(folder, 'b'), { socat: join(folder, 'no-such-socat') })).rejects.toMatchObject({
        code: 'tool_missing',
        message: SOCAT_MISSING_MESSAGE,
      });
      expect(SOCAT_MISSING_MESSAGE).toContain('apt-get install socat');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('starts, reports running, and stops', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'pccovid-socat-'));
    try {
      const pair = await startPtyPair(join(folder, 'a'), join(folder, 'b'));
      expect(pair.running).toBe(true);
      await pair.stop();
      expect(pair.running).toBe(false);
      await pair.stop();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
