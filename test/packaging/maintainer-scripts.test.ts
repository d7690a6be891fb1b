// The deb's maintainer scripts, the update helper and the systemd units: shellcheck-clean, and
// doing what Debian asks of each step, run against stub commands that only record their calls
// (PATH holds nothing but the stubs, so nothing on this machine is touched).
import { execFileSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EXECUTABLE,
  INSTALL_DIR,
  renderedScript,
  renderTemplate,
  requireShellcheck,
  ROOT,
  runScript,
  shellcheck,
  type StubRun,
  writeStubs,
} from './package-kit.js';
import { handOffDebUpdate } from '../../src/main/electron/deb-update-handoff.js';

const SCRIPTS = ['build/deb/postinst', 'build/deb/prerm', 'build/deb/postrm', 'build/linux/install-update'];
const MAINTAINER_COMMANDS = [
  'update-alternatives',
  'unshare',
  'chmod',
  'getent',
  'adduser',
  'addgroup',
  'deluser',
  'delgroup',
  'install',
  'udevadm',
  'systemctl',
  'rm',
  'ln',
  'cp',
];
// getent answers from the environment (is the kiosk user there, are our groups there) until
// addgroup has created the group.
const GETENT = `case "$1 $2" in
  "passwd pccovid-kiosk") exit "\${STUB_USER_MISSING:-0}" ;;
  "group pccovid-kiosk"|"group pccovid-scanner") [ -e "$STUB_LOG.group" ] && exit 0; exit "\${STUB_GROUP_MISSING:-0}" ;;
  *) exit 0 ;;
esac`;
const ADDGROUP = ': > "$STUB_LOG.group"';

let work: string;
const rendered = new Map<string, string>();

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'pccovid-deb-scripts-'));
  for (const script of SCRIPTS) {
    const file = join(work, script.replaceAll('/', '_'));
    writeFileSync(file, renderedScript(script));
    rendered.set(script, file);
  }
  writeStubs(join(work, 'stubs'), MAINTAINER_COMMANDS, { getent: GETENT, addgroup: ADDGROUP });
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

function script(name: string): string {
  const file = rendered.get(name);
  if (file === undefined) throw new Error(`not rendered: ${name}`);
  return file;
}

function maintainer(name: string, args: readonly string[], env: Record<string, string> = {}): StubRun {
  return runScript(script(name), args, { PATH: join(work, 'stubs'), ...env }, join(work, 'calls.log'));
}

function called(run: StubRun, prefix: string): boolean {
  return run.calls.some((call) => call.startsWith(prefix));
}

describe('shellcheck', () => {
  it('is installed (CI: apt-get install shellcheck in .ci/run)', () => {
    expect(requireShellcheck()).toMatch(/ShellCheck/);
  });

  it.each(SCRIPTS)('finds nothing in %s (templates checked as electron-builder fills them)', (name) => {
    requireShellcheck();
    const result = shellcheck(script(name));
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  });
});

describe('templates', () => {
  it('use no macro electron-builder does not know', () => {
    for (const name of ['build/deb/postinst', 'build/deb/postrm']) {
      expect(() => renderedScript(name)).not.toThrow();
    }
    expect(() => renderTemplate('echo ${HOME}', {})).toThrow(/Macro HOME is not defined/);
  });

  it('name the installed app where electron-builder puts it', () => {
    expect(readFileSync(script('build/deb/postinst'), 'utf8')).toContain(`APP_DIR='${INSTALL_DIR}'`);
    expect(readFileSync(script('build/deb/postrm'), 'utf8')).toContain(`EXECUTABLE='${EXECUTABLE}'`);
  });

  it('are executable in git, as dpkg needs the helper to be', () => {
    for (const name of SCRIPTS) expect(statSync(join(ROOT, name)).mode & 0o111, name).not.toBe(0);
  });
});

describe('postinst', () => {
  it('on a first install creates the kiosk user, its groups and folders, reloads udev and enables the units', () => {
    const run = maintainer('build/deb/postinst', ['configure', ''], { STUB_USER_MISSING: '2', STUB_GROUP_MISSING: '2' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.calls).toContain(`update-alternatives --install /usr/bin/${EXECUTABLE} ${EXECUTABLE} ${INSTALL_DIR}/${EXECUTABLE} 100`);
    expect(run.calls).toContain('addgroup --system pccovid-scanner');
    expect(run.calls).toContain(
      'adduser --system --group --home /var/lib/pccovid-kiosk --no-create-home --shell /usr/sbin/nologin --gecos PC-Covid Checkpoint kiosk pccovid-kiosk',
    );
    expect(run.calls).toContain('adduser pccovid-kiosk pccovid-scanner');
    expect(run.calls).toContain('adduser pccovid-kiosk dialout');
    expect(run.calls).toContain(
      'install -d -o pccovid-kiosk -g pccovid-kiosk -m 0700 /var/lib/pccovid-kiosk /var/lib/pccovid-kiosk/data /var/lib/pccovid-kiosk/update',
    );
    expect(run.calls).toContain('udevadm control --reload-rules');
    expect(run.calls).toContain('systemctl enable pccovid-kiosk.service pccovid-kiosk-update.path');
    // A first install does not restart anything: the kiosk starts at boot or when asked.
    expect(called(run, 'systemctl try-restart')).toBe(false);
  });

  it('on an upgrade keeps the existing user', () => {
    const run = maintainer('build/deb/postinst', ['configure', '0.1.0']);
    expect(run.status).toBe(0);
    expect(called(run, 'adduser --system')).toBe(false);
    expect(called(run, 'addgroup')).toBe(false);
    expect(run.calls).toContain('systemctl enable pccovid-kiosk.service pccovid-kiosk-update.path');
  });

  it('does nothing on abort-upgrade and refuses an unknown action', () => {
    expect(maintainer('build/deb/postinst', ['abort-upgrade', '0.2.0'])).toMatchObject({ status: 0, calls: [] });
    const run = maintainer('build/deb/postinst', ['reconfigure-everything']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/unknown argument 'reconfigure-everything'/);
  });
});

describe('prerm', () => {
  it('on removal disables the kiosk and the update watcher', () => {
    const run = maintainer('build/deb/prerm', ['remove']);
    expect(run.status).toBe(0);
    expect(run.calls).toContain('systemctl disable pccovid-kiosk.service pccovid-kiosk-update.path');
  });

  it('on an upgrade leaves them running', () => {
    expect(maintainer('build/deb/prerm', ['upgrade', '0.2.0'])).toMatchObject({ status: 0, calls: [] });
  });
});

describe('postrm', () => {
  it('on remove forgets the command link but keeps the user and the data', () => {
    const run = maintainer('build/deb/postrm', ['remove']);
    expect(run.status).toBe(0);
    expect(run.calls).toContain(`update-alternatives --remove ${EXECUTABLE} ${INSTALL_DIR}/${EXECUTABLE}`);
    expect(run.calls).toContain('udevadm control --reload-rules');
    expect(called(run, 'deluser')).toBe(false);
    expect(called(run, 'delgroup')).toBe(false);
    expect(called(run, 'rm -rf')).toBe(false);
  });

  it('on purge deletes the kiosk user, its group and all its data', () => {
    const run = maintainer('build/deb/postrm', ['purge']);
    expect(run.status).toBe(0);
    expect(run.calls).toContain('deluser --system --quiet pccovid-kiosk');
    expect(run.calls).toContain('delgroup --system --quiet pccovid-kiosk');
    expect(run.calls).toContain('delgroup --system --only-if-empty --quiet pccovid-scanner');
    expect(run.calls).toContain('rm -rf /var/lib/pccovid-kiosk /var/lib/pccovid-kiosk-update');
  });

  it('touches nothing during an upgrade or a failed install', () => {
    for (const action of ['upgrade', 'failed-upgrade', 'abort-install', 'abort-upgrade']) {
      expect(maintainer('build/deb/postrm', [action, '0.2.0']), action).toMatchObject({ status: 0, calls: [] });
    }
  });
});

describe('install-update (the root helper)', () => {
  // dpkg is stubbed; mv, rm, mkdir, chmod, sha512sum and openssl are the real ones, on temporary
  // folders. Packages are signed with a release key made for the test by sign-update.mjs.
  const DPKG = `case "$1" in
  --compare-versions) exit "\${STUB_NOT_NEWER:-0}" ;;
  --install) exit "\${STUB_DPKG_FAILS:-0}" ;;
esac`;
  const DPKG_DEB = `case "$3" in
  Package) printf '%s\\n' "\${STUB_PACKAGE:-pccovid-kiosk}" ;;
  Version) printf '%s\\n' "\${STUB_VERSION:-0.2.0}" ;;
esac`;
  const DPKG_QUERY = `printf '%s' "\${STUB_INSTALLED:-0.1.0}"`;
  const SIGN = join(ROOT, 'build', 'scripts', 'sign-update.mjs');
  let release: { privatePath: string; publicPath: string };
  let other: { privatePath: string; publicPath: string };

  function newKey(dir: string): { privatePath: string; publicPath: string } {
    execFileSync(process.execPath, [SIGN, '--new-key', dir]);
    return { privatePath: join(dir, 'release-key.pem'), publicPath: join(dir, 'release-key.pub.pem') };
  }

  beforeAll(() => {
    release = newKey(join(work, 'release-key'));
    other = newKey(join(work, 'other-key'));
  });

  interface HelperSetup {
    pending?: 'file' | 'symlink' | 'none';
    /** Who signed the package: the release key (default), another key, or nobody. */
    signer?: 'release' | 'other' | 'none';
    /** Installed public keys: the release key (default), none at all. */
    keys?: 'release' | 'none';
    /** The package changed after it was signed. */
    tampered?: boolean;
    /** Put into the spool by the kiosk's own hand-over (deb-update-handoff.ts), signature fetched as it would be. */
    viaKiosk?: boolean;
    /** The signature is a symbolic link to a root-only file. */
    signatureLink?: boolean;
  }

  function helper(env: Record<string, string>, setup: HelperSetup = {}) {
    const dir = mkdtempSync(join(work, 'helper-'));
    const spool = join(dir, 'spool');
    const state = join(dir, 'state');
    const keys = join(dir, 'keys');
    mkdirSync(spool);
    mkdirSync(keys);
    if ((setup.keys ?? 'release') === 'release') copyFileSync(release.publicPath, join(keys, 'release-2026.pem'));
    const pending = join(spool, 'pending.deb');
    if (setup.viaKiosk === true) {
      const downloaded = join(dir, 'pccovid-kiosk_0.2.0_amd64.deb');
      writeFileSync(downloaded, 'a package from the update server');
      execFileSync(process.execPath, [SIGN, '--key', release.privatePath, downloaded]);
      handOffDebUpdate(downloaded, new Uint8Array(readFileSync(`${downloaded}.sig`)), spool);
    } else if ((setup.pending ?? 'file') === 'file') {
      writeFileSync(pending, 'a package');
      const signer = setup.signer ?? 'release';
      if (signer !== 'none') execFileSync(process.execPath, [SIGN, '--key', (signer === 'release' ? release : other).privatePath, pending]);
      if (setup.tampered === true) appendFileSync(pending, ' with something added');
    }
    if (setup.pending === 'symlink') symlinkSync('/etc/shadow', pending);
    if (setup.signatureLink === true) {
      rmSync(`${pending}.sig`, { force: true });
      symlinkSync('/etc/shadow', `${pending}.sig`);
    }
    const stubs = join(dir, 'stubs');
    writeStubs(stubs, ['dpkg', 'dpkg-deb', 'dpkg-query'], { dpkg: DPKG, 'dpkg-deb': DPKG_DEB, 'dpkg-query': DPKG_QUERY });
    const run = runScript(
      script('build/linux/install-update'),
      [],
      { PATH: `${stubs}:/usr/bin:/bin`, PCCOVID_UPDATE_SPOOL: spool, PCCOVID_UPDATE_WORK: state, PCCOVID_UPDATE_KEYS: keys, ...env },
      join(dir, 'calls.log'),
    );
    return { run, spool, state };
  }

  it('installs a newer pccovid-kiosk package signed by the release key, taking it out of the spool first', () => {
    const { run, spool, state } = helper({});
    expect(run.stdout).toMatch(/signed by release-2026\.pem/);
    expect(run.stdout).toMatch(/installing pccovid-kiosk 0.2.0 \(installed: 0.1.0\)/);
    expect(run.status).toBe(0);
    expect(run.calls).toContain(`dpkg --install ${join(state, 'candidate.deb')}`);
    expect(existsSync(join(spool, 'pending.deb'))).toBe(false);
    expect(existsSync(join(spool, 'pending.deb.sig'))).toBe(false);
    expect(existsSync(join(state, 'candidate.deb'))).toBe(false);
    expect(existsSync(join(state, 'candidate.deb.sig'))).toBe(false);
  });

  it('installs what the kiosk hands over: its spool file names are the helper’s', () => {
    const { run, spool } = helper({}, { viaKiosk: true });
    expect(run.stdout).toMatch(/signed by release-2026\.pem/);
    expect(run.status).toBe(0);
    expect(called(run, 'dpkg --install')).toBe(true);
    expect(existsSync(join(spool, 'pending.deb.sig'))).toBe(false);
  });

  it('refuses a package without its signature, before reading it', () => {
    const { run, spool } = helper({}, { signer: 'none' });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/refused: the package came without its signature/);
    expect(run.calls).toEqual([]);
    expect(existsSync(join(spool, 'pending.deb'))).toBe(false);
  });

  it('never follows a signature that is a symbolic link: it goes, and the package is refused unsigned', () => {
    const { run, spool } = helper({}, { signatureLink: true });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/refused: the package came without its signature/);
    expect(existsSync(join(spool, 'pending.deb.sig'))).toBe(false);
    expect(existsSync('/etc/shadow')).toBe(true);
  });

  it('refuses a package signed by another key: whoever runs as the kiosk user cannot install one', () => {
    const { run } = helper({}, { signer: 'other' });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/refused: the signature does not verify with any release key/);
    expect(run.calls).toEqual([]);
  });

  it('refuses a package changed after it was signed', () => {
    const { run } = helper({}, { tampered: true });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/refused: the signature does not verify/);
    expect(called(run, 'dpkg --install')).toBe(false);
  });

  it('installs nothing when the package installed no release key, and says how to fix it', () => {
    const { run } = helper({}, { keys: 'none' });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/refused: no release key is installed in .*build\/update-keys/);
    expect(run.calls).toEqual([]);
  });

  it('refuses another package, even signed', () => {
    const { run, spool } = helper({ STUB_PACKAGE: 'openssh-server' });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/refused: the file is not a pccovid-kiosk package/);
    expect(called(run, 'dpkg --install')).toBe(false);
    expect(existsSync(join(spool, 'pending.deb'))).toBe(false);
  });

  it('refuses a version that is not newer, even signed (no downgrades)', () => {
    const { run } = helper({ STUB_NOT_NEWER: '1', STUB_VERSION: '0.0.9' });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/refused: 0.0.9 is not newer than the installed 0.1.0/);
    expect(called(run, 'dpkg --install')).toBe(false);
  });

  it('refuses a symbolic link in the spool', () => {
    const { run, spool } = helper({}, { pending: 'symlink' });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/is not a regular file/);
    expect(run.calls).toEqual([]);
    expect(existsSync(join(spool, 'pending.deb'))).toBe(false);
  });

  it('reports a failed dpkg and keeps the installed version', () => {
    const { run } = helper({ STUB_DPKG_FAILS: '1' });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/dpkg could not install 0.2.0; the kiosk keeps running the installed version/);
  });

  it('does nothing when there is nothing to install', () => {
    const { run } = helper({}, { pending: 'none' });
    expect(run).toMatchObject({ status: 0, calls: [] });
  });

  it('the release key pair: private key readable by its owner only, never overwritten', () => {
    expect(statSync(release.privatePath).mode & 0o777).toBe(0o600);
    expect(() => execFileSync(process.execPath, [SIGN, '--new-key', join(work, 'release-key')], { stdio: 'pipe' })).toThrow(/already holds a release key/);
  });
});

describe('systemd units', () => {
  function unit(name: string): Map<string, string[]> {
    const entries = new Map<string, string[]>();
    let section = '';
    for (const raw of readFileSync(join(ROOT, 'build', 'linux', name), 'utf8').split('\n')) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const header = /^\[(.+)\]$/.exec(line);
      if (header?.[1] !== undefined) {
        section = header[1];
        continue;
      }
      const eq = line.indexOf('=');
      const key = `${section}.${line.slice(0, eq)}`;
      entries.set(key, [...(entries.get(key) ?? []), line.slice(eq + 1)]);
    }
    return entries;
  }

  it('run the kiosk in cage as the kiosk user, after logind, brought back whenever it stops', () => {
    const kiosk = unit('pccovid-kiosk.service');
    expect(kiosk.get('Service.User')).toEqual(['pccovid-kiosk']);
    expect(kiosk.get('Service.Restart')).toEqual(['always']);
    expect(kiosk.get('Unit.StartLimitIntervalSec')).toEqual(['0']);
    expect(kiosk.get('Service.ExecStart')).toEqual([`/usr/bin/cage -d -- "${INSTALL_DIR}/${EXECUTABLE}" --ozone-platform=wayland`]);
    expect(kiosk.get('Unit.After')?.join(' ')).toMatch(/systemd-logind\.service/);
    expect(kiosk.get('Unit.After')?.join(' ')).toMatch(/systemd-user-sessions\.service/);
    expect(kiosk.get('Service.PAMName')).toEqual(['pccovid-kiosk']);
    expect(kiosk.get('Install.WantedBy')).toEqual(['multi-user.target']);
    expect(kiosk.get('Service.Environment')).toContain('PCCOVID_DATA_DIR=/var/lib/pccovid-kiosk/data');
  });

  it('let staff leave kiosk mode with the PIN: the app writes the marker, no restart, tty1 gets a login', () => {
    const kiosk = unit('pccovid-kiosk.service');
    const marker = kiosk.get('Service.Environment')?.find((value) => value.startsWith('PCCOVID_LEAVE_MARKER='))?.split('=')[1];
    expect(marker).toBe('/run/pccovid-kiosk/left-by-staff');
    // The marker sits in the unit's runtime directory, kept between restarts, emptied at boot.
    expect(kiosk.get('Service.RuntimeDirectory')).toEqual(['pccovid-kiosk']);
    expect(kiosk.get('Service.RuntimeDirectoryPreserve')).toEqual(['yes']);
    expect(kiosk.get('Service.ExecCondition')).toEqual([`/bin/sh -c 'test ! -e ${String(marker)}'`]);
    const stopPost = kiosk.get('Service.ExecStopPost')?.join(' ') ?? '';
    expect(stopPost).toMatch(/^\+/u);
    expect(stopPost).toContain(`test -e ${String(marker)}`);
    expect(stopPost).toContain('systemctl --no-block start getty@tty1.service');
    // The app writes where the unit looks (src/main/electron/leave-marker.ts).
    expect(readFileSync(join(ROOT, 'src/main/electron/leave-marker.ts'), 'utf8')).toContain("LEAVE_MARKER_ENV = 'PCCOVID_LEAVE_MARKER'");
  });

  it('agree with the helper on the update spool', () => {
    const spoolEnv = unit('pccovid-kiosk.service').get('Service.Environment')?.find((value) => value.startsWith('PCCOVID_UPDATE_SPOOL='));
    expect(spoolEnv).toBe('PCCOVID_UPDATE_SPOOL=/var/lib/pccovid-kiosk/update');
    expect(unit('pccovid-kiosk-update.path').get('Path.PathExists')).toEqual(['/var/lib/pccovid-kiosk/update/pending.deb']);
    expect(unit('pccovid-kiosk-update.service').get('Service.ExecStart')).toEqual(['/usr/lib/pccovid-kiosk/install-update']);
    expect(unit('pccovid-kiosk-update.service').get('Service.StateDirectory')).toEqual(['pccovid-kiosk-update']);
    expect(readFileSync(join(ROOT, 'build/linux/install-update'), 'utf8')).toContain('SPOOL=${PCCOVID_UPDATE_SPOOL:-/var/lib/pccovid-kiosk/update}');
  });
});
