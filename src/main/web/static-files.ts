// The web shell's static files: where the built renderer lives, and which request path maps to
// which file inside it. Anything that could leave the folder, name a directory or hide in a
// dot-file is refused (404), never listed.
import { existsSync } from 'node:fs';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
};

export class RendererNotBuiltError extends Error {
  readonly code = 'renderer_not_built';
  constructor(searchedFrom: string) {
    super(
      `The kiosk screen files (dist/renderer/index.html) were not found near ${searchedFrom}. ` +
        'Run "npm run build" in the pccovid-kiosk folder, then start the kiosk again.',
    );
    this.name = 'RendererNotBuiltError';
  }
}

/**
 * Finds dist/renderer from the running file: dist/cli.js when bundled (its sibling renderer/),
 * src/main/web/ when run from source in tests (the repository's dist/renderer).
 */
export function findRendererDir(fromFile: string = fileURLToPath(import.meta.url)): string {
  let folder = dirname(fromFile);
  for (;;) {
    const candidates =
      basename(folder) === 'dist' ? [join(folder, 'renderer')] : [join(folder, 'dist', 'renderer')];
    for (const candidate of candidates) {
      if (existsSync(join(candidate, 'index.html'))) return candidate;
    }
    const parent = dirname(folder);
    if (parent === folder) throw new RendererNotBuiltError(dirname(fromFile));
    folder = parent;
  }
}

export function contentTypeFor(filePath: string): string | null {
  return CONTENT_TYPES[extname(filePath).toLowerCase()] ?? null;
}

/**
 * Maps a request target ("/", "/styles.css?v=1") to a file inside rootDir, or null when the
 * target is malformed, escapes rootDir, names a dot-file or has a type the shell does not serve.
 */
export function staticFilePath(rootDir: string, requestTarget: string): string | null {
  const root = resolve(rootDir);
  if (!requestTarget.startsWith('/')) return null;
  const rawPath = requestTarget.split(/[?#]/, 1)[0] ?? '/';
  let pathname: string;
  try {
    pathname = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const segments = pathname.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '..' || segment.startsWith('.'))) return null;
  const relative = segments.length === 0 ? ['index.html'] : segments;
  const filePath = resolve(root, ...relative);
  // Belt and braces: whatever the segments were, the result must stay under root.
  if (!filePath.startsWith(root + sep)) return null;
  if (contentTypeFor(filePath) === null) return null;
  return filePath;
}
