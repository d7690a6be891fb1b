// pccovid-kiosk: the kiosk's command line. Bad input gets a sentence and an exit code, never a
// stack trace.
import { parseArgs } from 'node:util';
import { StoreError } from '../store/store-error.js';
import { resolveDataDir } from '../data-dir.js';
import { parseStatus, runIssueDemoPass } from './issue-demo-pass-command.js';
import { EXIT, processIo, UsageError, type CliIo } from './output.js';
import { parsePort, parseSerialPorts, parseShell, runStart } from './start-command.js';
import { runDecode } from './decode-command.js';
import { HUB_URL_ENV, runDeviceKey, runSyncOnce } from './sync-command.js';
import { runVerify } from './verify-command.js';
import { PROVISION_USAGE, runProvision, runReset, runRotateKey } from './provision-command.js';
import { CONFORMANCE_SUITES, type ConformanceOptions, type ConformanceSuite } from '../conformance/suites.js';
import { KnownIssuesError } from '../conformance/dcc-known-issues.js';
import { KIOSK_VERSION } from '../core/open-kiosk-core.js';

export const USAGE = `Usage: pccovid-kiosk <command> [options]

Commands:
  start [--shell electron|web] [--data-dir D] [--no-open] [--no-demo] [--port N] [--serial PATH[@BAUD]]...
      Start the kiosk. Electron when its binary is installed, else the web shell on
      127.0.0.1 (opened in Chromium when installed; --no-open only prints the address).
      USB scanners are found by themselves; --serial (or $PCCOVID_SERIAL, comma-separated)
      adds a serial scanner or document reader by path, such as the simulator's pty.
      An unprovisioned kiosk decides with the demo authority (shown as DEMO); --no-demo makes
      the web shell behave as a packaged kiosk: it refuses scans and opens the technician's
      provisioning wizard until it is provisioned.
  issue-demo-pass [--data-dir D] [--status green|yellow|red|unknown] [--expired]
      Print a PC1 pass signed by this data directory's demo authority.
  verify [--data-dir D] <payload | @file>
      Check one pass offline; print the verdict as JSON.
      Exit 0 admit, 1 deny, 2 review, 3 unreadable.
  decode [--data-dir D] <payload | @file>
      Read one pass or document without checking it; print the credential as JSON (kind,
      subject ids, holder, identity or claims, signature alg and kid in hex) or the reason it
      cannot be read. Exit 0 read, 3 unreadable. Reads nothing from the data directory.
  device-key [--data-dir D]
      Print this kiosk's device id and public key (JSON), to register it at the hub.
  sync [--data-dir D] [--hub URL]
      Upload the check-ins waiting on this kiosk (hub: --hub, else $PCCOVID_HUB_URL, else the
      hub it was provisioned with); print the outbox's state as JSON. Exit 0 when nothing waits.
      "start" uploads in the background once provisioned (or when $PCCOVID_HUB_URL is set).
${PROVISION_USAGE}
  conformance <suite> <dir> [--strict] [--known-issues FILE]
      Run every test file of a conformance suite's layout found under <dir> (suites: dcc,
      certlogic, rules); prints each failure, then "N passed, N failed". Exit 0 only when none
      failed. dcc: a test file whose own JSON contradicts its signed payload, as reported
      upstream, is shown as KNOWN and counted neither way (the shipped list names such files by
      SHA-256); --strict counts them as failed, --known-issues adds entries of the same format.

The data directory is --data-dir, else $PCCOVID_DATA_DIR, else the user data folder.`;

function run(argv: readonly string[], io: CliIo): Promise<number> | number {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start': {
      const { values } = parseArgs({
        args: rest,
        options: {
          shell: { type: 'string' },
          'data-dir': { type: 'string' },
          'no-open': { type: 'boolean', default: false },
          'no-demo': { type: 'boolean', default: false },
          port: { type: 'string' },
          serial: { type: 'string', multiple: true },
        },
        strict: true,
      });
      return runStart(
        {
          dataDir: resolveDataDir(values['data-dir']),
          shell: parseShell(values.shell),
          open: values['no-open'] !== true,
          demo: values['no-demo'] !== true,
          port: parsePort(values.port),
          serialPorts: parseSerialPorts(values.serial),
        },
        io,
      );
    }
    case 'issue-demo-pass': {
      const { values } = parseArgs({
        args: rest,
        options: {
          'data-dir': { type: 'string' },
          status: { type: 'string' },
          expired: { type: 'boolean', default: false },
        },
        strict: true,
      });
      return runIssueDemoPass(resolveDataDir(values['data-dir']), parseStatus(values.status), values.expired === true, io);
    }
    case 'verify': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { 'data-dir': { type: 'string' } },
        allowPositionals: true,
        strict: true,
      });
      const [payload, extra] = positionals;
      if (payload === undefined) throw new UsageError('verify needs a payload, or @file to read it from a file');
      if (extra !== undefined) throw new UsageError('verify takes one payload; quote it if it contains spaces');
      return runVerify(resolveDataDir(values['data-dir']), payload, io);
    }
    case 'decode': {
      const { positionals } = parseArgs({
        args: rest,
        options: { 'data-dir': { type: 'string' } },
        allowPositionals: true,
        strict: true,
      });
      const [payload, extra] = positionals;
      if (payload === undefined) throw new UsageError('decode needs a payload, or @file to read it from a file');
      if (extra !== undefined) throw new UsageError('decode takes one payload; quote it if it contains spaces');
      return runDecode(payload, io);
    }
    case 'device-key': {
      const { values } = parseArgs({ args: rest, options: { 'data-dir': { type: 'string' } }, strict: true });
      return runDeviceKey(resolveDataDir(values['data-dir']), io);
    }
    case 'sync': {
      const { values } = parseArgs({ args: rest, options: { 'data-dir': { type: 'string' }, hub: { type: 'string' } }, strict: true });
      const hub = values.hub ?? process.env[HUB_URL_ENV];
      // Without one, a provisioned kiosk's own hub (runSyncOnce refuses when there is none).
      return runSyncOnce(resolveDataDir(values['data-dir']), hub === '' ? undefined : hub, io);
    }
    case 'provision': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: {
          'data-dir': { type: 'string' },
          enrol: { type: 'string' },
          label: { type: 'string' },
          fingerprint: { type: 'string' },
          yes: { type: 'boolean', default: false },
          'skip-scanner-test': { type: 'boolean', default: false },
        },
        allowPositionals: true,
        strict: true,
      });
      if (positionals.length > 0) throw new UsageError('provision takes the ticket with --enrol (quote it: it is JSON)');
      return runProvision(
        {
          dataDir: resolveDataDir(values['data-dir']),
          ...(values.enrol === undefined ? {} : { enrol: values.enrol }),
          ...(values.label === undefined ? {} : { label: values.label }),
          ...(values.fingerprint === undefined ? {} : { fingerprint: values.fingerprint }),
          yes: values.yes === true,
          skipScannerTest: values['skip-scanner-test'] === true,
        },
        io,
      );
    }
    case 'reset': {
      const { values } = parseArgs({ args: rest, options: { 'data-dir': { type: 'string' }, yes: { type: 'boolean', default: false } }, strict: true });
      return runReset(resolveDataDir(values['data-dir']), values.yes === true, io);
    }
    case 'rotate-key': {
      const { values } = parseArgs({ args: rest, options: { 'data-dir': { type: 'string' } }, strict: true });
      return runRotateKey(resolveDataDir(values['data-dir']), io);
    }
    case 'conformance': {
      const { positionals, values } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { strict: { type: 'boolean', default: false }, 'known-issues': { type: 'string' } },
        strict: true,
      });
      const [suiteName, dir, extra] = positionals;
      const names = Object.keys(CONFORMANCE_SUITES).join(', ') || '(none yet)';
      const suite = suiteName === undefined ? undefined : CONFORMANCE_SUITES[suiteName];
      if (suite === undefined) throw new UsageError(`conformance needs a suite: ${names}`);
      if (dir === undefined || extra !== undefined) throw new UsageError('conformance takes one folder to search for test files');
      const knownIssues = values['known-issues'];
      if (!suite.knownIssues && (values.strict === true || knownIssues !== undefined)) {
        throw new UsageError(`--strict and --known-issues apply to the dcc suite only; ${suiteName} has no list of known test-file errors`);
      }
      if (values.strict === true && knownIssues !== undefined) throw new UsageError('--strict applies no known-issue list, so it cannot be given with --known-issues');
      return runConformance(suite, dir, io, { strict: values.strict === true, ...(knownIssues === undefined ? {} : { knownIssues }) });
    }
    case '--version':
    case 'version':
      io.out(KIOSK_VERSION);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.out(USAGE);
      return command === undefined ? EXIT.usage : 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

function isArgumentError(error: unknown): error is Error {
  const code = (error as { code?: unknown }).code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

async function runConformance(suite: ConformanceSuite, dir: string, io: CliIo, options: ConformanceOptions): Promise<number> {
  try {
    return await suite.run(dir, io, options);
  } catch (error) {
    if (!(error instanceof KnownIssuesError)) throw error;
    io.err(`pccovid-kiosk: ${error.message}`);
    return EXIT.usage;
  }
}

export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    if (error instanceof UsageError || isArgumentError(error)) {
      io.err(`pccovid-kiosk: ${error.message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    if (error instanceof StoreError) {
      io.err(`pccovid-kiosk: ${error.message}`);
      return EXIT.kioskError;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.err(`pccovid-kiosk: the kiosk could not run this command: ${message}`);
    return EXIT.kioskError;
  }
}
