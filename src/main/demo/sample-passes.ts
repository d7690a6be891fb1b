// Sample passes for trying a fresh kiosk with no upstream: one per verdict a person should see.
// Written as a page of QR codes to print or open on a phone, with the text to paste.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { encode, Tagged } from 'cborg';
import QRCode from 'qrcode';
import { COSE_SIGN1_TAG, parseCoseSign1 } from '../../common/cose/cose-sign1.js';
import { base45Decode, base45Encode } from '../../common/formats/base45.js';
import { encodePc1Claims, PC1_PREFIX } from '../../common/formats/pc1/pc1-claims.js';
import type { Outcome } from '../../common/types/verdict.js';
import {
  createEphemeralAuthority,
  demoPassClaims,
  issueDemoPass,
  signPc1Pass,
  type DemoAuthority,
} from './demo-authority.js';

export const SAMPLES_FILE = 'samples.html';

export interface SamplePass {
  id: string;
  title: string;
  expected: Outcome | 'unreadable';
  text: string;
}

/**
 * A forgery: the pass of a person with red status, its claims rewritten to green, the
 * authority's signature kept. Signature verification must catch it.
 */
export function tamperedPass(authority: DemoAuthority, nowMs: number): string {
  const original = issueDemoPass(authority, { status: 'red', nowMs });
  const decoded = base45Decode(original.slice(PC1_PREFIX.length));
  if (!decoded.ok) throw new Error('demo pass does not decode');
  const cose = parseCoseSign1(inflateSync(decoded.value));
  if (!cose.ok) throw new Error('demo pass is not COSE');
  const forgedPayload = encodePc1Claims(demoPassClaims(authority, { status: 'green', nowMs }));
  const forged = encode(
    new Tagged(COSE_SIGN1_TAG, [cose.value.protectedBytes, new Map(), forgedPayload, cose.value.signature]),
  );
  return PC1_PREFIX + base45Encode(deflateSync(forged, { level: 9 }));
}

/** A well-formed pass signed by a key this kiosk has never trusted. */
export function untrustedIssuerPass(authority: DemoAuthority, nowMs: number): string {
  const impostor = createEphemeralAuthority(authority.issuer);
  return signPc1Pass(impostor, demoPassClaims(impostor, { nowMs }));
}

export function samplePasses(authority: DemoAuthority, nowMs: number): SamplePass[] {
  const valid = issueDemoPass(authority, { nowMs });
  return [
    { id: 'valid-green', title: 'Valid pass, green status', expected: 'admit', text: valid },
    {
      id: 'valid-yellow',
      title: 'Valid pass, yellow status (F1 contact)',
      expected: 'review',
      text: issueDemoPass(authority, { status: 'yellow', nowMs, name: 'Lê Văn Hùng', subjectId: 'VN-ID:001085004321', dateOfBirth: '1985-11-02' }),
    },
    {
      id: 'valid-red',
      title: 'Valid pass, red status (positive)',
      expected: 'deny',
      text: issueDemoPass(authority, { status: 'red', nowMs, name: 'Phạm Minh Đức', subjectId: 'VN-ID:048201009876', dateOfBirth: '2001-07-30' }),
    },
    { id: 'expired', title: 'Expired pass', expected: 'deny', text: issueDemoPass(authority, { expired: true, nowMs }) },
    { id: 'tampered', title: 'Tampered pass (red rewritten to green)', expected: 'deny', text: tamperedPass(authority, nowMs) },
    { id: 'untrusted', title: 'Pass from an unknown issuer', expected: 'deny', text: untrustedIssuerPass(authority, nowMs) },
    { id: 'damaged', title: 'Damaged code (cut short)', expected: 'unreadable', text: valid.slice(0, 60) },
    { id: 'not-a-pass', title: 'A QR code that is not a pass', expected: 'unreadable', text: 'https://example.org/menu' },
  ];
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export async function renderSamplesPage(samples: readonly SamplePass[], venueName: string): Promise<string> {
  const cards = await Promise.all(
    samples.map(async (sample) => {
      const svg = await QRCode.toString(sample.text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      return `<section class="card" id="${sample.id}">
  <h2>${escapeHtml(sample.title)}</h2>
  <p>Expected: <strong>${sample.expected}</strong></p>
  <div class="qr">${svg}</div>
  <textarea readonly rows="4">${escapeHtml(sample.text)}</textarea>
</section>`;
    }),
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PC-Covid sample passes — ${escapeHtml(venueName)}</title>
<style>
body{font-family:sans-serif;margin:1rem}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(18rem,1fr));gap:1rem}
.card{border:1px solid #888;padding:.5rem;break-inside:avoid}
.qr svg{width:100%;height:auto}
textarea{width:100%;font-family:monospace;font-size:.7rem}
</style></head>
<body>
<h1>Sample passes (demo authority of this kiosk)</h1>
<p>Scan a code with the kiosk's scanner or camera, or copy its text and paste it into the kiosk window.
They are signed by this data directory's demo key, valid for 30 days, and accepted by no other kiosk.</p>
<div class="grid">
${cards.join('\n')}
</div></body></html>
`;
}

export async function writeSamplesPage(dataDir: string, authority: DemoAuthority, venueName: string, nowMs: number): Promise<string> {
  const path = join(dataDir, SAMPLES_FILE);
  writeFileSync(path, await renderSamplesPage(samplePasses(authority, nowMs), venueName), { mode: 0o600 });
  return path;
}
