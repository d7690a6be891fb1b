// index.html is static markup; these checks keep it in line with the policy and the code.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RENDERER_CSP } from '../common/security/renderer-csp.js';

const html = readFileSync(new URL('./static/index.html', import.meta.url), 'utf8');

describe('index.html', () => {
  it('carries exactly the shared Content Security Policy', () => {
    const match = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
    expect(match?.[1]).toBe(RENDERER_CSP);
  });

  it('has no inline script, inline style or event-handler attribute', () => {
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style/);
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/\son[a-z]+=/);
  });

  it('loads the bundle as a module script', () => {
    expect(html).toContain('<script type="module" src="renderer.js"></script>');
  });

  it.each(['idle-screen', 'verdict-screen', 'verdict-outcome', 'verdict-reasons', 'venue-name', 'demo-badge', 'freshness', 'override-panel', 'override-reason', 'border-details', 'console-screen', 'console-pin-input', 'console-body', 'camera-button', 'camera-panel', 'camera-video', 'camera-stop', 'camera-message', 'console-reset', 'console-reset-confirm', 'console-reset-pin', 'console-provision', 'provision-screen', 'provision-steps', 'provision-error', 'provision-body'])(
    'declares the %s test id',
    (id) => {
      expect(html).toContain(`data-testid="${id}"`);
    },
  );
});
