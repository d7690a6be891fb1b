// Shared by the packaging tests: where things are, electron-builder's template filling, shellcheck,
// and running a shell script against stub commands that only record what they were asked.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PRODUCT_DIR = 'PC-Covid Checkpoint';
export const EXECUTABLE = 'pccovid-kiosk';
export const INSTALL_DIR = `/opt/${PRODUCT_DIR}`;

/**
 * Fills a maintainer-script template the way electron-builder does (FpmTarget's writeConfigFile):
 * every ${letters} must be a known macro, or packaging fails.
 */
export function renderTemplate(text: string, macros: Record<string, string>): string {
  return text.replace(/\${([a-zA-Z]+)}/g, (_match, name: string) => {
    const value = macros[name];
    if (value === undefined) throw new Error(`Macro ${name} is not defined (electron-builder would refuse to package)`);
    return value;
  });
}

export const DEB_MACROS = { executable: EXECUTABLE, sanitizedProductName: PRODUCT_DIR, productFilename: PRODUCT_DIR };

export function renderedScript(relativePath: string): string {
  const text = readFileSync(join(ROOT, relativePath), 'utf8');
  return relativePath.endsWith('/prerm') || relativePath.includes('/linux/') ? text : renderTemplate(text, DEB_MACROS);
}

/** shellcheck's version, or a failure that says how to install it. */
export function requireShellcheck(): string {
  try {
    return execFileSync('shellcheck', ['--version'], { encoding: 'utf8' });
  } catch {
    throw new Error(
      'shellcheck is not installed, so the deb maintainer scripts cannot be checked: apt-get install shellcheck ' +
        '(.ci/run installs it; on a workstation: sudo apt-get install shellcheck).',
    );
  }
}

export interface ShellcheckResult {
  ok: boolean;
  output: string;
}

export function shellcheck(file: string): ShellcheckResult {
  const result = spawnSync('shellcheck', ['--shell=sh', '--severity=style', '--format=gcc', file], { encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

export interface StubRun {
  status: number | null;
  /** One line per stub call: "command arg1 arg2 ...". */
  calls: string[];
  stdout: string;
  stderr: string;
}

/**
 * Writes one recording stub per command into `dir`: it appends "name args" to $STUB_LOG, then
 * runs its body from `bodies` if any (shell builtins only), else exits 0. Builtins only, so the
 * stubs work with PATH holding nothing but `dir`, and nothing real is ever run.
 */
export function writeStubs(dir: string, commands: readonly string[], bodies: Record<string, string> = {}): void {
  mkdirSync(dir, { recursive: true });
  for (const command of commands) {
    const file = join(dir, command);
    writeFileSync(file, `#!/bin/sh\nprintf '%s\\n' "${command} $*" >> "$STUB_LOG"\n${bodies[command] ?? 'exit 0'}\n`);
    chmodSync(file, 0o755);
  }
}

export function runScript(script: string, args: readonly string[], env: Record<string, string>, logFile: string): StubRun {
  writeFileSync(logFile, '');
  rmSync(`${logFile}.group`, { force: true });
  const result = spawnSync('/bin/sh', [script, ...args], { env: { ...env, STUB_LOG: logFile }, encoding: 'utf8' });
  const calls = readFileSync(logFile, 'utf8').split('\n').filter((line) => line !== '');
  return { status: result.status, calls, stdout: result.stdout, stderr: result.stderr };
}
