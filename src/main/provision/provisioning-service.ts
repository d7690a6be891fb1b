// The provisioning state machine (states and channels: src/common/ipc/provision-view.ts) and what
// a provisioned kiosk runs on: the pinned root key, the bundle store, the signer list as trust,
// the assignment (venue or lane, mode), and the background sync with its revocation and clock
// checks. One per data directory, owned by the kiosk core.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ConsoleUnlockResult, RequestOf } from '../../common/ipc/contract.js';
import type {
  Assignment,
  ClockCheck,
  FactoryResetResult,
  ProvisionErrorCode,
  ProvisionState,
  ProvisionStep,
  ResetPrepare,
  SelfTestScanner,
} from '../../common/ipc/provision-view.js';
import { REQUEST_CLOCK_TOLERANCE_MS } from '../../common/sync/checkin-wire.js';
import type { ScanEvent } from '../../common/types/credential.js';
import { BundleError } from '../bundles/bundle-error.js';
import { keyIdOfRaw } from '../bundles/bundle-crypto.js';
import { BundleStore } from '../bundles/bundle-store.js';
import { moduleLogger, type Logger } from '../log.js';
import type { TrustStore } from '../pipeline/verify.js';
import { outboxSummary, parkWaitingCheckins } from '../store/queries/outbox.js';
import type { WritableDB } from '../store/database.js';
import { createBundleDownloadTask } from '../sync/bundle-download.js';
import type { DeviceKey } from '../sync/device-key.js';
import type { DownloadTask } from '../sync/download-queue.js';
import { enrolDevice, EnrolmentError, parseEnrolmentTicket } from '../sync/enrol.js';
import { createHubTransport, type HubTransport } from '../sync/hub-transport.js';
import { createSyncClient, type SyncClient, type SyncClientOptions } from '../sync/sync-client.js';
import { followSignerList } from '../trust/signer-list-trust.js';
import {
  createDeviceKeys,
  createNextSigningKey,
  KeyStorageError,
  NEXT_DEVICE_KEY_FILE,
  loadDeviceKeys,
  loadOrCreateSigningKey,
  promoteNextSigningKey,
  type DeviceKeys,
  type KeyProtector,
} from './device-keys.js';
import { fetchDeviceConfig, HubRefusal, registerNextKey } from './hub-config.js';
import { applyFleetUpdates } from './update-file.js';
import type { DeviceConfig } from '../../common/sync/enrolment-wire.js';
import { readProvisionRecord, writeProvisionRecord, type ProvisionRecord } from './provision-record.js';
import { groupedFingerprint, provisionError, UNKNOWN_CLOCK, unprovisionedState } from './provision-state.js';
import type { ProvisioningControl } from './provisioning-control.js';
import { BUNDLES_DIR, wipePersonalData } from './wipe.js';

const RESET_TOKEN_TTL_MS = 120_000;
const SELF_TEST_TEXT_CHARS = 24;

const SOURCE_NAMES: Record<SelfTestScanner['source'], string> = {
  'keyboard-wedge': 'Keyboard-mode scanner',
  paste: 'Pasted text',
  'hid-pos': 'HID POS scanner',
  serial: 'Serial scanner or document reader',
  camera: 'Camera',
};

/** What the pipeline decides with once the kiosk is provisioned (from its first sync on). */
export interface ProvisionedContext {
  readonly bundles: BundleStore;
  readonly trust: TrustStore;
  readonly assignment: Assignment | null;
  readonly deviceId: string;
  readonly hubUrl: string;
}

export interface ProvisioningServiceOptions {
  dataDir: string;
  db: WritableDB;
  now?: () => number;
  logger?: Logger;
  /** Wraps the private keys (Electron safeStorage); null or absent: files mode 0600. */
  keyProtector?: KeyProtector | null;
  /** The console PIN check (the same rate limit as console:unlock). */
  unlockConsole: (pin: string) => ConsoleUnlockResult;
  /** Run uploads, bundle downloads and config/clock checks in the background while provisioned. */
  backgroundSync?: boolean;
  /** Tuning of the background sync (tests: fast back-off, short intervals). */
  sync?: Pick<SyncClientOptions, 'backoff' | 'downloadIntervalMs' | 'idlePollMs' | 'keepAlive' | 'upload'>;
  /** Told after each change of state (the core refreshes what it shows). */
  onChange?: () => void;
}

export interface ProvisioningService extends ProvisioningControl {
  /** The provisioned trust, bundles and assignment; null until the first sync is done. */
  context(): ProvisionedContext | null;
  /** The key requests and check-ins are made with: the enrolled one, or a demo key. */
  signingKey(): DeviceKey;
  /** state().step without building the state (read at every check-in). */
  step(): ProvisionStep;
  /** During self_test every scan is a test scan: recorded here, not decided. True when it was one. */
  recordSelfTestScan(scan: ScanEvent): boolean;
  /** Resolves when no step is running (the CLI and tests wait on it). */
  idle(): Promise<void>;
  /** Makes a new signing key and has the hub accept it (signed by the old key). */
  rotateKey(): Promise<void>;
  /** Wipes personal data and keys, back to unprovisioned (decommission without the PIN: the CLI). */
  wipe(reason: 'revoked' | 'reset'): Promise<void>;
  /** Starts the background sync when provisioned and asked to (idempotent). */
  startBackgroundSync(): void;
  close(): Promise<void>;
}

class StepFailure extends Error {
  constructor(
    readonly code: ProvisionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StepFailure';
  }
}

function clockCheck(nowMs: number, hubTime: number | null, newestBundleAt: number | null, previous: ClockCheck): ClockCheck {
  const hubOffsetMs = hubTime === null ? previous.hubOffsetMs : nowMs - hubTime;
  const checkedAt = hubTime === null ? previous.checkedAt : nowMs;
  const bundleOffsetMs = newestBundleAt === null ? previous.bundleOffsetMs : nowMs - newestBundleAt;
  let message: string | null = null;
  if (hubOffsetMs !== null && Math.abs(hubOffsetMs) > REQUEST_CLOCK_TOLERANCE_MS) {
    const minutes = Math.round(Math.abs(hubOffsetMs) / 60_000);
    message = `The kiosk clock is ${minutes} min ${hubOffsetMs > 0 ? 'ahead of' : 'behind'} the hub's. Set the date, time and time zone (or turn on network time: timedatectl set-ntp true); the hub refuses requests more than 5 min off.`;
  } else if (bundleOffsetMs !== null && bundleOffsetMs < -REQUEST_CLOCK_TOLERANCE_MS) {
    message = 'The kiosk clock is behind the time its newest signed data was issued: it is wrong or was set back. Set the date and time.';
  }
  const state = hubOffsetMs === null && bundleOffsetMs === null ? 'unknown' : message === null ? 'ok' : 'wrong';
  return { state, hubOffsetMs, checkedAt, bundleOffsetMs, message };
}

function enrolmentFailure(error: EnrolmentError): StepFailure {
  switch (error.code) {
    case 'ticket_unreadable':
    case 'hub_unreachable':
    case 'hub_answer_unreadable':
    case 'root_key_mismatch':
    case 'token_unknown':
    case 'token_used':
    case 'token_expired':
    case 'device_already_enrolled':
      return new StepFailure(error.code, error.message);
    case 'device_key_invalid':
    case 'bad_proof':
    case 'malformed_request':
      return new StepFailure('hub_refused', `${error.message} (${error.code}); update the kiosk software.`);
    default: {
      const unreachable: never = error.code;
      return new StepFailure('internal_error', String(unreachable));
    }
  }
}

function hubFailure(error: HubRefusal, hubUrl: string): StepFailure {
  switch (error.code) {
    case 'unreachable':
      return new StepFailure('hub_unreachable', `The hub at ${hubUrl} did not answer (${error.message}). Check the network cable or Wi-Fi, then try again.`);
    case 'clock_skew':
      return new StepFailure('clock_wrong', `${error.message} Set the kiosk's date, time and time zone, then try again.`);
    case 'device_revoked':
      return new StepFailure('device_revoked', error.message);
    case 'answer_unreadable':
      return new StepFailure('hub_answer_unreadable', error.message);
    default:
      return new StepFailure('hub_refused', `The hub refused this kiosk (${error.code}: ${error.message}).`);
  }
}

function bundleFailure(error: unknown): StepFailure {
  if (error instanceof BundleError) {
    if (error.code === 'not_yet_valid') return new StepFailure('clock_wrong', `A bundle from the hub is dated in the future for this kiosk: ${error.message}`);
    if (error.code === 'epoch_key_missing') {
      // The hub seals each epoch key to the devices enrolled when it was published: a new kiosk waits for the next run.
      return new StepFailure(
        'bundle_refused',
        'The hub has status data, but not yet sealed to this new kiosk. The operator runs "pccovid-hub publish-epoch-keys --epoch <current>"; then try again.',
      );
    }
    return new StepFailure('bundle_refused', `A bundle from the hub was refused (${error.code}): ${error.message}`);
  }
  return new StepFailure('hub_refused', `The first sync failed: ${error instanceof Error ? error.message : String(error)}`);
}

function normalisedHex(text: string): string {
  return text.replace(/\s+/g, '').toLowerCase();
}

export function createProvisioningService(options: ProvisioningServiceOptions): ProvisioningService {
  const { dataDir, db } = options;
  const now = options.now ?? Date.now;
  const logger = options.logger ?? moduleLogger('provision');
  const protector = options.keyProtector ?? null;
  const bundlesDir = join(dataDir, BUNDLES_DIR);

  let error: ProvisionState['error'] = null;
  let record: ProvisionRecord | null = null;
  try {
    record = readProvisionRecord(dataDir);
  } catch (caught) {
    // A damaged record must not keep the kiosk from starting: it runs unprovisioned and says why.
    logger.error({ err: caught }, 'the provisioning record is unreadable; the kiosk starts unprovisioned');
    error = provisionError('internal_error', caught instanceof Error ? caught.message : String(caught), now());
  }
  let keys: DeviceKeys | null = null;
  /** The enrolled keys could not be loaded: said once, then check-ins use a demo key. */
  let keysBroken = false;
  let demoKey: DeviceKey | null = null;
  let context: ProvisionedContext | null = null;
  let sync: SyncClient | null = null;
  let transport: HubTransport | null = null;
  let busy = false;
  let work: Promise<void> = Promise.resolve();
  /** An enrolment in flight, before the record exists (enrolling). */
  let enrolling: { hubUrl: string } | null = null;
  let resetToken: { token: Buffer; expiresAt: number } | null = null;
  let wiping: Promise<void> | null = null;
  let closed = false;

  const changed = (): void => options.onChange?.();

  function save(next: ProvisionRecord): void {
    writeProvisionRecord(dataDir, next);
    record = next;
    changed();
  }

  function loadKeys(): DeviceKeys {
    if (record === null) throw new StepFailure('wrong_step', 'This kiosk is not enrolled.');
    if (keys !== null) return keys;
    const loaded = loadDeviceKeys(dataDir, record.deviceId, protector);
    if (loaded === undefined) throw new StepFailure('key_storage_failed', 'The device keys are missing from the data directory; factory-reset the kiosk and provision it again.');
    keys = loaded;
    return loaded;
  }

  function hubTransport(): HubTransport {
    if (record === null) throw new StepFailure('wrong_step', 'This kiosk is not enrolled.');
    if (transport === null) transport = createHubTransport({ hubUrl: record.hubUrl, deviceKey: loadKeys().signing, now, keepAlive: false });
    return transport;
  }

  function openContext(): ProvisionedContext {
    if (record === null) throw new StepFailure('wrong_step', 'This kiosk is not enrolled.');
    if (context !== null) return context;
    const rootPublicKey = Buffer.from(record.rootPublicKey, 'hex');
    mkdirSync(bundlesDir, { recursive: true, mode: 0o700 });
    const bundles = BundleStore.open({
      dir: bundlesDir,
      rootKeys: [{ kid: keyIdOfRaw(rootPublicKey), publicKey: rootPublicKey }],
      deviceKey: loadKeys().sealing,
      now,
      logger: moduleLogger('bundles'),
    });
    const opened: ProvisionedContext = {
      bundles,
      trust: followSignerList(() => bundles.signerList, logger),
      get assignment() {
        return record?.assignment ?? null;
      },
      deviceId: record.deviceId,
      hubUrl: record.hubUrl,
    };
    context = opened;
    return opened;
  }

  function newestBundleIssuedAt(): number | null {
    if (context === null) return null;
    const ages = context.bundles.ages(now());
    return ages.length === 0 ? null : Math.max(...ages.map((age) => age.issuedAt));
  }

  function noteClock(hubTime: number | null): void {
    if (record === null) return;
    const clock = clockCheck(now(), hubTime, newestBundleIssuedAt(), record.clock);
    if (clock.state === 'wrong' && record.clock.state !== 'wrong') logger.warn({ clock }, 'the kiosk clock is wrong');
    save({ ...record, clock });
  }

  /** Runs one step's work in the background; the state says busy until it ends. */
  function run(step: () => Promise<void>): void {
    busy = true;
    error = null;
    changed();
    work = (async () => {
      try {
        await step();
      } catch (caught) {
        const failure =
          caught instanceof StepFailure
            ? caught
            : caught instanceof KeyStorageError
              ? new StepFailure('key_storage_failed', caught.message)
              : new StepFailure('internal_error', `The kiosk could not complete this step (${caught instanceof Error ? caught.message : String(caught)}); see its log.`);
        if (!(caught instanceof StepFailure)) logger.error({ err: caught }, 'a provisioning step failed');
        error = provisionError(failure.code, failure.message, now());
        if (failure.code === 'device_revoked') await wipe('revoked');
      } finally {
        busy = false;
        changed();
      }
    })();
  }

  async function enrolWith(text: string, label: string | undefined): Promise<void> {
    const ticket = parseEnrolmentTicket(text);
    enrolling = { hubUrl: ticket.hub };
    changed();
    // A fresh start: keys of an earlier enrolment and its bundles are gone.
    rmSync(bundlesDir, { recursive: true, force: true });
    const fresh = createDeviceKeys(dataDir, protector);
    demoKey = null;
    try {
      const answer = await enrolDevice(ticket, fresh.signing, fresh.sealingPublicHex, label === undefined ? {} : { label });
      if (answer.rootPublicKey === null) {
        throw new StepFailure('hub_answer_unreadable', 'The hub did not send its root key with the enrolment; the operator must issue the token with --dir (pccovid-hub enrol-token). Ask for a new QR code.');
      }
      keys = fresh;
      const at = now();
      save({
        v: 1,
        step: 'awaiting_fingerprint',
        hubUrl: ticket.hub,
        deviceId: answer.deviceId,
        ticketRoot: normalisedHex(ticket.root),
        rootPublicKey: answer.rootPublicKey.toString('hex'),
        enrolledAt: at,
        fingerprintConfirmedAt: null,
        assignment: null,
        firstSync: null,
        selfTest: [],
        clock: clockCheck(at, answer.serverTime, null, UNKNOWN_CLOCK),
        keyRotatedAt: null,
      });
      logger.info({ device: answer.deviceId, hub: ticket.hub }, 'enrolled; waiting for the technician to confirm the root key fingerprint');
    } catch (caught) {
      keys = null;
      if (caught instanceof EnrolmentError) throw enrolmentFailure(caught);
      throw caught;
    } finally {
      enrolling = null;
    }
  }

  /** The hub's fleet update settings into update.json; a disk error is logged, never fatal to the sync. */
  function noteFleetUpdates(updates: DeviceConfig['updates']): void {
    try {
      const change = applyFleetUpdates(dataDir, updates);
      if (change !== 'unchanged') logger.info({ change, url: updates?.url ?? null }, 'fleet update settings from the hub (the Electron shell reads them at its next start)');
    } catch (error) {
      logger.error({ err: error }, 'the fleet update settings from the hub could not be written to update.json');
    }
  }

  async function configure(): Promise<void> {
    if (record === null) throw new StepFailure('wrong_step', 'This kiosk is not enrolled.');
    let config;
    try {
      config = await fetchDeviceConfig(hubTransport());
    } catch (caught) {
      if (caught instanceof HubRefusal) throw hubFailure(caught, record.hubUrl);
      throw caught;
    }
    noteClock(config.serverTime);
    noteFleetUpdates(config.updates);
    if (config.assignment === null) {
      throw new StepFailure(
        'not_assigned',
        `The hub has not placed this kiosk (${record.deviceId}) at a venue or lane. The operator issues the ticket with --venue (pccovid-hub enrol-token --venue <id>); factory-reset and enrol with the new ticket.`,
      );
    }
    save({ ...record, step: 'first_sync', assignment: config.assignment });
  }

  async function firstSync(): Promise<void> {
    if (record === null) throw new StepFailure('wrong_step', 'This kiosk is not enrolled.');
    const opened = openContext();
    let installed = 0;
    try {
      const task = createBundleDownloadTask({ store: opened.bundles, onInstalled: () => void (installed += 1) });
      await task.run(hubTransport(), new AbortController().signal);
    } catch (caught) {
      throw bundleFailure(caught);
    }
    if (opened.bundles.keyList === null) {
      throw new StepFailure('bundle_refused', 'The hub has published no key list yet, so nothing it sends can be trusted. The operator publishes one (pccovid-hub key-list, then publish); then try again.');
    }
    if (opened.bundles.keyList.sealingKey === undefined) {
      // A kiosk never goes live sealing check-ins to nobody (or to a key of its own).
      throw new StepFailure(
        'bundle_refused',
        "The hub's key list carries no health-authority sealing key, so this kiosk's check-ins could not be traced. The operator makes one (pccovid-hub authority-key), then signs and publishes a new key list (key-list, publish); then try again.",
      );
    }
    noteClock(null);
    if (record === null) return;
    // From here on the kiosk decides with the hub's data. What it logged before (demo passes, its
    // own demo authority, sealed to its demo key) is kept on the kiosk but never uploaded.
    const parked = parkWaitingCheckins(db, 'logged before this kiosk was provisioned (demo): kept on the kiosk, not uploaded', now());
    if (parked > 0) logger.warn({ parked }, 'check-ins from before provisioning are kept on the kiosk and will not be uploaded');
    save({
      ...record,
      step: 'self_test',
      firstSync: { at: now(), bundlesInstalled: installed, policyId: opened.bundles.policy?.policy.id ?? null },
      selfTest: [],
    });
    logger.info({ installed, policy: opened.bundles.policy?.policy.id ?? null }, 'first sync done; scanner self-test next');
  }

  /** Configuration (if not done) then the first sync: what provision:sync and a confirmation run. */
  async function hubSteps(): Promise<void> {
    if (record?.step === 'configuring') await configure();
    if (record?.step === 'first_sync') await firstSync();
  }

  async function stopSync(): Promise<void> {
    const running = sync;
    sync = null;
    if (running !== null) await running.stop();
  }

  /**
   * A rotation the hub accepted but the kiosk did not finish (it stopped before renaming the next
   * key, or never heard the answer): the hub now refuses the current key's signature. The next
   * key is the one; true when there was one to promote.
   */
  function recoverRotation(): boolean {
    if (!existsSync(join(dataDir, NEXT_DEVICE_KEY_FILE))) return false;
    promoteNextSigningKey(dataDir);
    keys = null;
    transport?.close();
    transport = null;
    if (record !== null) save({ ...record, keyRotatedAt: now() });
    logger.warn({ device: record?.deviceId }, 'the hub refused the device key and a rotated key was waiting: it is the key now');
    return true;
  }

  function configTask(): DownloadTask {
    return {
      name: 'device-config',
      async run(hub) {
        try {
          const config = await fetchDeviceConfig(hub);
          noteClock(config.serverTime);
          noteFleetUpdates(config.updates);
          if (record !== null && config.assignment !== null && JSON.stringify(config.assignment) !== JSON.stringify(record.assignment)) {
            logger.info({ assignment: config.assignment }, 'the hub moved this kiosk');
            save({ ...record, assignment: config.assignment });
          }
          return 'up-to-date';
        } catch (caught) {
          if (caught instanceof HubRefusal && caught.code === 'device_revoked') void wipe('revoked');
          if (caught instanceof HubRefusal && caught.code === 'bad_signature' && recoverRotation()) {
            // The sync client signs with the old key: restart it (not awaited here: this runs inside its loop).
            void stopSync().then(() => startBackgroundSync());
          }
          if (caught instanceof HubRefusal && caught.code === 'clock_skew' && caught.serverTime !== undefined) noteClock(caught.serverTime);
          throw caught;
        }
      },
    };
  }

  function startBackgroundSync(): void {
    if (options.backgroundSync !== true || closed || sync !== null || record?.step !== 'ready' || wiping !== null) return;
    const opened = openContext();
    sync = createSyncClient({
      db,
      deviceKey: loadKeys().signing,
      hubUrl: record.hubUrl,
      now,
      logger: moduleLogger('sync'),
      downloads: [configTask(), createBundleDownloadTask({ store: opened.bundles, onInstalled: () => noteClock(null) })],
      ...options.sync,
      onUploadRound(round) {
        if (round.kind === 'failed' && round.code === 'device_revoked') void wipe('revoked');
      },
    });
    sync.start();
    logger.info({ hub: record.hubUrl, device: record.deviceId }, 'background sync started');
  }

  function wipe(reason: 'revoked' | 'reset'): Promise<void> {
    if (wiping !== null) return wiping;
    wiping = (async () => {
      await stopSync();
      transport?.close();
      transport = null;
      // A compaction worker must not write a table into the folder being wiped.
      await context?.bundles.close();
      context = null;
      keys = null;
      demoKey = null;
      const deviceId = record?.deviceId ?? null;
      let report;
      try {
        report = wipePersonalData(dataDir, db);
      } catch (caught) {
        // Never thrown into the sync loop that found the revocation: said, and tried again at the next.
        logger.error({ err: caught }, 'wiping the kiosk failed');
        error = provisionError('internal_error', `Wiping the kiosk failed (${caught instanceof Error ? caught.message : String(caught)}); run "pccovid-kiosk reset --yes".`, now());
        changed();
        return;
      }
      record = null;
      keysBroken = false;
      resetToken = null;
      if (reason === 'revoked') {
        error = provisionError(
          'device_revoked',
          `The hub revoked this kiosk${deviceId === null ? '' : ` (${deviceId})`}: its check-ins, keys and data were wiped. Provision it again with a new ticket.`,
          now(),
        );
      }
      logger.warn({ reason, device: deviceId, checkinsDeleted: report.checkinsDeleted }, 'kiosk wiped');
      changed();
    })().finally(() => {
      wiping = null;
    });
    return wiping;
  }

  function state(): ProvisionState {
    if (record === null) {
      return { ...unprovisionedState(true), step: enrolling === null ? 'unprovisioned' : 'enrolling', busy, error, hubUrl: enrolling?.hubUrl ?? null };
    }
    return {
      step: record.step,
      busy,
      error,
      hubUrl: record.hubUrl,
      deviceId: record.deviceId,
      rootFingerprint: groupedFingerprint(createHashHex(record.rootPublicKey)),
      assignment: record.assignment,
      firstSync: record.firstSync,
      selfTest: record.selfTest,
      clock: record.clock,
      demo: context === null,
    };
  }

  function wrongStep(expected: string): ProvisionState {
    error = provisionError('wrong_step', `This needs the kiosk to be ${expected}; it is at "${state().step}".`, now());
    return state();
  }

  // A kiosk provisioned before this start opens its bundles at once (the pipeline needs them).
  if (record !== null && (record.step === 'self_test' || record.step === 'ready')) {
    try {
      openContext();
    } catch (caught) {
      logger.error({ err: caught }, 'the provisioned state could not be opened; the kiosk runs unprovisioned until it is fixed');
      error = provisionError(caught instanceof KeyStorageError ? 'key_storage_failed' : 'internal_error', caught instanceof Error ? caught.message : String(caught), now());
    }
  }

  // A kiosk that was ready when it stopped syncs again at once (the shells ask for backgroundSync).
  queueMicrotask(() => startBackgroundSync());

  const service: ProvisioningService = {
    state,
    enrol(request) {
      if (busy) return state();
      if (record !== null) return wrongStep('unprovisioned (factory-reset it first)');
      try {
        parseEnrolmentTicket(request.text);
      } catch (caught) {
        error = provisionError('ticket_unreadable', caught instanceof Error ? caught.message : 'This is not an enrolment ticket.', now());
        return state();
      }
      run(() => enrolWith(request.text, request.label));
      return state();
    },
    confirmFingerprint(request) {
      if (busy) return state();
      if (record === null || record.step !== 'awaiting_fingerprint') return wrongStep('waiting for the fingerprint');
      const actual = createHashHex(record.rootPublicKey);
      const typed = request.fingerprint === undefined ? null : normalisedHex(request.fingerprint);
      if (request.answer === 'mismatch' || record.ticketRoot !== actual) {
        const deviceId = record.deviceId;
        run(async () => {
          await wipe('reset');
          throw new StepFailure(
            'fingerprint_mismatch',
            `Enrolment abandoned: the hub's root key is not the one the authority printed, so this hub is not trusted. Its keys were wiped. Tell the operator to revoke ${deviceId} (pccovid-hub device revoke) and check the hub address.`,
          );
        });
        return state();
      }
      if (typed !== null && !actual.startsWith(typed)) {
        error = provisionError('fingerprint_mismatch', 'The fingerprint typed is not the start of the one shown: check the digits again, or answer that they do not match.', now());
        return state();
      }
      save({ ...record, step: 'configuring', fingerprintConfirmedAt: now() });
      logger.info({ device: record.deviceId }, 'root key fingerprint confirmed by the technician; root key pinned');
      run(hubSteps);
      return state();
    },
    sync() {
      if (busy) return state();
      if (record === null || (record.step !== 'configuring' && record.step !== 'first_sync')) return wrongStep('configuring or at its first sync');
      run(hubSteps);
      return state();
    },
    finish(request) {
      if (busy) return state();
      if (record === null || record.step !== 'self_test') return wrongStep('at the scanner self-test');
      if (request.skipScanners !== true && !record.selfTest.some((scanner) => scanner.passed)) {
        error = provisionError('no_scanner', 'No scanner has read a test code yet. Scan any code on each scanner (check the cable and that it is in keyboard, HID POS or serial mode); or skip the test if this kiosk has none yet.', now());
        return state();
      }
      error = null;
      save({ ...record, step: 'ready' });
      logger.info({ device: record.deviceId, scanners: record.selfTest.filter((s) => s.passed).map((s) => s.id) }, 'kiosk provisioned and ready');
      startBackgroundSync();
      return state();
    },
    resetPrepare(): ResetPrepare {
      const token = randomBytes(9);
      resetToken = { token, expiresAt: now() + RESET_TOKEN_TTL_MS };
      return { token: token.toString('base64url'), expiresAt: resetToken.expiresAt, deviceId: record?.deviceId ?? null, pendingCheckins: outboxSummary(db).pendingCount };
    },
    factoryReset(request: RequestOf<'provision:factory-reset'>): FactoryResetResult {
      const unlocked = options.unlockConsole(request.pin);
      if (unlocked.result === 'refused') {
        return { result: 'refused', code: unlocked.code, retryAfterMs: unlocked.retryAfterMs, message: unlocked.code === 'wrong_pin' ? 'Wrong PIN; nothing was wiped.' : 'Too many wrong PINs: wait, then try again. Nothing was wiped.' };
      }
      const given = Buffer.from(request.token, 'base64url');
      const expected = resetToken;
      resetToken = null;
      if (expected === null || expected.expiresAt < now() || given.length !== expected.token.length || !timingSafeEqual(given, expected.token)) {
        return { result: 'refused', code: 'bad_token', retryAfterMs: 0, message: 'The confirmation has expired or does not match: start the reset again. Nothing was wiped.' };
      }
      error = null;
      busy = true;
      work = wipe('reset').finally(() => {
        busy = false;
        changed();
      });
      return { result: 'wiped', state: { ...unprovisionedState(true), busy: true } };
    },
    context: () => (wiping === null ? context : null),
    step: () => record?.step ?? (enrolling === null ? 'unprovisioned' : 'enrolling'),
    signingKey() {
      if (record !== null && keys !== null) return keys.signing;
      if (record !== null && !keysBroken) {
        try {
          return loadKeys().signing;
        } catch (caught) {
          keysBroken = true;
          logger.error({ err: caught }, 'the enrolled device key cannot be loaded; check-ins are made with a demo key');
        }
      }
      demoKey ??= loadOrCreateSigningKey(dataDir, protector);
      return demoKey;
    },
    recordSelfTestScan(scan) {
      if (record === null || record.step !== 'self_test' || scan.source === 'cli') return false;
      const source = scan.source;
      // A hardware reader by its own id (two HID scanners are two entries); the window's input by source.
      const id = scan.device?.id ?? source;
      const entry: SelfTestScanner = {
        id,
        name: scan.device?.name ?? SOURCE_NAMES[source],
        source,
        passed: scan.text.length > 0,
        lastScanAt: scan.receivedAt,
        lastText: scan.text.slice(0, SELF_TEST_TEXT_CHARS),
      };
      save({ ...record, selfTest: [...record.selfTest.filter((s) => s.id !== id), entry] });
      error = null;
      return true;
    },
    idle: async () => {
      // A step may chain another (confirmation → configuration → first sync): wait until none runs.
      for (;;) {
        const current = work;
        await current;
        if (current === work && wiping === null) return;
        if (wiping !== null) await wiping;
      }
    },
    async rotateKey() {
      if (record === null || (record.step !== 'ready' && record.step !== 'self_test')) throw new StepFailure('wrong_step', 'Only a provisioned kiosk rotates its key.');
      const hub = hubTransport();
      const next = createNextSigningKey(dataDir, protector);
      try {
        await registerNextKey(hub, record.deviceId, next);
      } catch (caught) {
        // Refused: the next key is dropped. No answer: the hub may have taken it, so it is kept;
        // a later bad_signature then promotes it (recoverRotation).
        if (!(caught instanceof HubRefusal && caught.code === 'unreachable')) rmSync(join(dataDir, NEXT_DEVICE_KEY_FILE), { force: true });
        if (caught instanceof HubRefusal) throw hubFailure(caught, record.hubUrl);
        throw caught;
      }
      const restart = sync !== null;
      await stopSync();
      promoteNextSigningKey(dataDir);
      keys = null;
      transport?.close();
      transport = null;
      save({ ...record, keyRotatedAt: now() });
      logger.info({ device: record.deviceId }, 'device key rotated');
      if (restart) startBackgroundSync();
    },
    wipe,
    startBackgroundSync,
    async close() {
      closed = true;
      // stopSync aborts the loops synchronously: the core may close the database right after.
      const stopping = stopSync();
      transport?.close();
      transport = null;
      // A status compaction in its worker is stopped; its partial file is swept at the next open.
      await Promise.allSettled([work, stopping, context?.bundles.close()]);
    },
  };
  return service;
}

function createHashHex(rootPublicKeyHex: string): string {
  return createHash('sha256').update(Buffer.from(rootPublicKeyHex, 'hex')).digest('hex');
}
