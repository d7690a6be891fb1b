// pccovid-kiosk provision / reset / rotate-key: provisioning without the screen, for a technician
// setting up many devices from a shell (or a script). The same state machine as the wizard
// (src/main/provision); the state is printed as JSON on stdout, sentences go to stderr.
import type { ProvisionState } from '../../common/ipc/provision-view.js';
import { openKioskCore, type OpenedKiosk } from '../core/open-kiosk-core.js';
import { EXIT, UsageError, type CliIo } from './output.js';
import { readPayloadArgument } from './verify-command.js';

export const PROVISION_USAGE = `  provision --enrol <ticket | @file> [--data-dir D] [--label L] [--fingerprint HEX | --yes] [--skip-scanner-test]
      Enrol this kiosk with the ticket pccovid-hub enrol-token printed (the QR code's text),
      then, once the root key fingerprint is confirmed, fetch its venue or lane and run the
      first sync. --fingerprint: the fingerprint printed on the ticket (all of it, or at least
      its first 8 hex digits; spaces ignored), compared here: a mismatch abandons the enrolment;
      --yes: the technician compared it on screen. Without either it stops after enrolling
      (exit 2); run "provision --fingerprint HEX" to go on. The scanner self-test is left for
      the kiosk's first start, unless --skip-scanner-test.
      Exit 0 provisioned (or at the scanner self-test), 1 a step failed (the state's error says
      why and what to do), 2 waiting for the fingerprint confirmation.
  provision [--data-dir D] [--fingerprint HEX | --yes] [--skip-scanner-test]
      Go on from where an earlier run stopped (confirmation, a failed configuration or sync).
  reset --data-dir D --yes
      Factory reset (decommission): wipes the check-in log, the outbox, the device keys, the
      bundles and the provisioning; the kiosk starts unprovisioned.
  rotate-key [--data-dir D]
      Make a new device signing key and have the hub accept it (signed by the current key).`;

export interface ProvisionOptions {
  dataDir: string;
  enrol?: string;
  label?: string;
  fingerprint?: string;
  yes: boolean;
  skipScannerTest: boolean;
}

const HEX = /^[0-9a-f]{8,64}$/;

function describe(state: ProvisionState): string {
  switch (state.step) {
    case 'unprovisioned':
      return 'The kiosk is not provisioned.';
    case 'enrolling':
      return 'Enrolling at the hub.';
    case 'awaiting_fingerprint':
      return `Enrolled at ${state.hubUrl ?? 'the hub'} as ${state.deviceId ?? '?'}. Root key fingerprint: ${state.rootFingerprint ?? '?'}`;
    case 'configuring':
      return 'Fingerprint confirmed; asking the hub where this kiosk stands.';
    case 'first_sync':
      return 'Configured; the first sync has not completed.';
    case 'self_test':
      return 'First sync done. At the first start, scan a test code on each scanner to finish (the kiosk shows the self-test).';
    case 'ready':
      return 'The kiosk is provisioned and ready.';
    default: {
      const unreachable: never = state.step;
      return String(unreachable);
    }
  }
}

function finish(kiosk: OpenedKiosk, io: CliIo, code?: number): number {
  const state = kiosk.provisioning.state();
  io.out(JSON.stringify(state));
  if (state.error !== null) io.err(`pccovid-kiosk: ${state.error.code}: ${state.error.message}`);
  else io.err(describe(state));
  if (state.clock.state === 'wrong' && state.clock.message !== null) io.err(`Warning: ${state.clock.message}`);
  if (code !== undefined) return code;
  return state.error === null ? 0 : 1;
}

export async function runProvision(options: ProvisionOptions, io: CliIo): Promise<number> {
  const fingerprint = options.fingerprint?.replace(/\s+/g, '').toLowerCase();
  if (fingerprint !== undefined && !HEX.test(fingerprint)) throw new UsageError('--fingerprint takes the hex fingerprint printed on the ticket (at least 8 hex digits)');
  if (fingerprint !== undefined && options.yes) throw new UsageError('give --fingerprint or --yes, not both');
  const ticket = options.enrol === undefined ? undefined : readPayloadArgument(options.enrol).trim();
  // Never decides a scan, so it makes no demo authority (nor its sealing key beside the data dir).
  const kiosk = openKioskCore({ dataDir: options.dataDir, allowDemo: false });
  const provisioning = kiosk.provisioning;
  try {
    if (ticket !== undefined) {
      const before = provisioning.state();
      if (before.step !== 'unprovisioned') {
        io.err(`pccovid-kiosk: this kiosk is already enrolled (${before.step}, ${before.deviceId ?? ''}); run "pccovid-kiosk reset --data-dir ${options.dataDir} --yes" first, or "provision" without --enrol to go on.`);
        return finish(kiosk, io, 1);
      }
      io.err('Enrolling…');
      provisioning.enrol(options.label === undefined ? { text: ticket } : { text: ticket, label: options.label });
      await provisioning.idle();
      if (provisioning.state().error !== null) return finish(kiosk, io);
    }
    let state = provisioning.state();
    if (state.step === 'unprovisioned') {
      if (ticket === undefined) throw new UsageError('this kiosk is not enrolled: provision needs --enrol <ticket>');
      return finish(kiosk, io);
    }
    if (state.step === 'awaiting_fingerprint') {
      const shown = (state.rootFingerprint ?? '').replace(/\s+/g, '');
      if (fingerprint === undefined && !options.yes) {
        io.err(`Root key fingerprint: ${state.rootFingerprint ?? '?'}\nCompare it with the one on the ticket, then run: pccovid-kiosk provision --data-dir ${options.dataDir} --fingerprint <the ticket's fingerprint>`);
        return finish(kiosk, io, 2);
      }
      const matches = fingerprint === undefined || shown.startsWith(fingerprint);
      provisioning.confirmFingerprint(matches ? { answer: 'match' } : { answer: 'mismatch' });
      io.err(matches ? 'Fingerprint confirmed; configuring and syncing…' : 'The fingerprint does not match the hub\'s root key: abandoning the enrolment.');
      await provisioning.idle();
      state = provisioning.state();
    } else if (state.step === 'configuring' || state.step === 'first_sync') {
      io.err('Configuring and syncing…');
      provisioning.sync();
      await provisioning.idle();
      state = provisioning.state();
    }
    if (state.step === 'self_test' && options.skipScannerTest) {
      provisioning.finish({ skipScanners: true });
    }
    return finish(kiosk, io);
  } finally {
    await kiosk.shutdown();
  }
}

export async function runReset(dataDir: string, yes: boolean, io: CliIo): Promise<number> {
  if (!yes) throw new UsageError('reset wipes the check-in log, the keys and the provisioning: add --yes to confirm');
  const kiosk = openKioskCore({ dataDir });
  try {
    const pending = kiosk.syncStatus().pendingCount;
    await kiosk.provisioning.wipe('reset');
    if (pending > 0) io.err(`${pending} check-in(s) had not reached the hub; they are wiped with the rest.`);
    io.err('The kiosk is wiped and unprovisioned.');
    io.out(JSON.stringify(kiosk.provisioning.state()));
    return 0;
  } finally {
    await kiosk.shutdown();
  }
}

export async function runRotateKey(dataDir: string, io: CliIo): Promise<number> {
  const kiosk = openKioskCore({ dataDir });
  try {
    const before = kiosk.deviceKey.publicKeyBase64;
    try {
      await kiosk.provisioning.rotateKey();
    } catch (error) {
      io.err(`pccovid-kiosk: the key was not rotated: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
    io.out(JSON.stringify({ deviceId: kiosk.deviceKey.deviceId, previousPublicKey: before, publicKey: kiosk.deviceKey.publicKeyBase64 }));
    return EXIT.admit;
  } finally {
    await kiosk.shutdown();
  }
}
