import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openKioskCore } from '../core/open-kiosk-core.js';
import { scanOf } from '../pipeline/test-fixtures.js';
import { samplePasses, writeSamplesPage } from './sample-passes.js';

describe('sample passes', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pccovid-samples-'));
  const kiosk = openKioskCore({ dataDir });
  const samples = samplePasses(kiosk.demoAuthority, Date.now());

  it.each(samples.map((sample) => [sample.id, sample] as const))('%s gets the verdict the page promises', (_id, sample) => {
    const verdict = kiosk.checkOnly(scanOf(sample.text));
    expect(verdict.readable ? verdict.outcome : 'unreadable').toBe(sample.expected);
  });

  it('covers every outcome a person can see', () => {
    expect(new Set(samples.map((s) => s.expected))).toEqual(new Set(['admit', 'review', 'deny', 'unreadable']));
  });

  it('writes a page with a QR code and the text of every sample', async () => {
    const path = await writeSamplesPage(dataDir, kiosk.demoAuthority, 'Chợ Bến Thành', Date.now());
    const html = readFileSync(path, 'utf8');
    expect(html.match(/<svg/g)).toHaveLength(samples.length);
    for (const sample of samples) expect(html).toContain(`id="${sample.id}"`);
    expect(html.match(/<textarea readonly rows="4">PC1:/g)).toHaveLength(samples.filter((s) => s.text.startsWith('PC1:')).length);
    expect(html).toContain('Chợ Bến Thành');
  });
});
