// The renderer's Content Security Policy, in one place: the <meta> tag in
// src/renderer/static/index.html repeats it (a test keeps the two equal), the web shell sends it
// as a header and the Electron shell adds it to every response. No inline script or style, no
// remote anything: the kiosk's only connection is its own WebSocket on the loopback.
export const RENDERER_CSP_DIRECTIVES: readonly string[] = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self' ws://127.0.0.1:*",
  "base-uri 'none'",
  "form-action 'none'",
];

/** The policy as the <meta http-equiv> tag carries it. */
export const RENDERER_CSP = RENDERER_CSP_DIRECTIVES.join('; ');

/**
 * The policy as an HTTP header: the same directives plus frame-ancestors, which browsers
 * honour only in a header (never in a <meta> tag), so nothing can frame the kiosk screen.
 */
export const RENDERER_CSP_HEADER = [...RENDERER_CSP_DIRECTIVES, "frame-ancestors 'none'"].join('; ');
