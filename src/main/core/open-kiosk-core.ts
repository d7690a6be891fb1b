// Opens a kiosk on its data directory: database, trust, pipeline; the same core serves the
// Electron shell, the web shell and the CLI.
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { monotonicFactory } from 'ulid';
import type { PolicyPayload } from '../../common/bundle/policy-payload.js';
import type { KioskHealth, KioskInfo, OverrideResult, SyncStatus, VerdictView } from '../../common/ipc/contract.js';
import type { ScanEvent, ScanSource } from '../../common/types/credential.js';
import { DEFAULT_VENUE_POLICY, type Policy } from '../../common/types/policy.js';
import { ensureDataDir } from '../data-dir.js';
import { ensureDemoAuthority, type DemoAuthority } from '../demo/demo-authority.js';
import { moduleLogger, type Logger } from '../log.js';
import { EMPTY_ALIAS_MAP } from '../pipeline/alias.js';
import { createDecoderRegistry } from '../pipeline/decoders/registry.js';
import type { Pipeline, PipelineState } from '../pipeline/pipeline.js';
import { createScanSession } from '../pipeline/scan-session.js';
import type { StatusLookup } from '../pipeline/status.js';
import { EMPTY_STATUS_CACHE } from '../status/memory-status-cache.js';
import { startCheckpointer } from '../store/checkpoint.js';
import { openWritableDatabase, type WritableDB } from '../store/database.js';
import { insertCheckin, insertOverride, overrideTarget, recentCheckins } from '../store/queries/checkins.js';
import { hourlyCheckinCounts } from '../store/queries/hourly-checkins.js';
import { getSyncState, outboxSummary } from '../store/queries/outbox.js';
import { systemBootClock, type BootClock } from '../sync/boot-clock.js';
import { createPseudonymizer, sealSubject } from '../sync/checkin-sealer.js';
import type { DeviceKey } from '../sync/device-key.js';
import { ensureSealingKey, type SealingKey } from '../sync/sealing-key.js';
import { createSealingKeySource, type SealingChoice, UNPROVISIONED } from '../sync/sealing-key-source.js';
import { listIssuerKeys } from '../store/queries/issuer-keys.js';
import { getSetting, setSettingIfMissing } from '../store/queries/settings.js';
import { borderDetailsOf } from './border-details.js';
import { createConsoleLock, newConsolePin } from './console-lock.js';
import { trustStoreFromRows } from '../trust/trust-store.js';
import type { KioskCore } from './kiosk-core.js';
import type { KeyProtector } from '../provision/device-keys.js';
import { createProvisioningService, type ProvisioningService, type ProvisioningServiceOptions } from '../provision/provisioning-service.js';

export const DATABASE_FILE = 'kiosk.db';
export const DEMO_VENUE_NAME = 'Chợ Bến Thành (demo)';
/**
 * The installed version: build/scripts/build.mjs writes package.json's version into the bundles
 * (esbuild define, which replaces exactly this spelling), so an updated kiosk shows its own;
 * sources run by tests say "dev".
 */
export const KIOSK_VERSION: string = process.env.PCCOVID_KIOSK_VERSION ?? 'dev';
const DEFAULT_VERDICT_HOLD_MS = 4000;

/** Scans the renderer submits itself; their verdicts are answered, not pushed. */
const RENDERER_SOURCES: ReadonlySet<ScanSource> = new Set(['keyboard-wedge', 'paste', 'camera']);

export interface OpenKioskOptions {
  dataDir: string;
  now?: () => number;
  logger?: Logger;
  /** better-sqlite3 addon for Electron's ABI when running inside Electron in development. */
  sqliteBinding?: string;
  /** Where a new demo sealing authority's private key goes (sealing-key.ts); never the data dir. */
  authorityKeyDir?: string;
  bootClock?: BootClock;
  /**
   * The installed bundles (src/main/bundles: BundleStore fits): the newest policy decides, the
   * status cache answers, and their ages feed the clock and stale-data checks. Without them the
   * venue default policy applies with no status data, as on a kiosk that never synced.
   */
  bundles?: InstalledBundles;
  /** Wraps the device's private keys (Electron safeStorage); absent: files mode 0600. */
  keyProtector?: KeyProtector | null;
  /** Upload, download and check the hub in the background once provisioned (the shells; not the CLI tools). */
  backgroundSync?: boolean;
  /** Background sync tuning (tests). */
  syncTuning?: ProvisioningServiceOptions['sync'];
  /**
   * An unprovisioned kiosk decides with the built-in demo authority (default, `npm start` and the
   * tests); false: it refuses every scan with kiosk_not_provisioned until provisioned.
   */
  allowDemo?: boolean;
}

/** What the core reads of the installed bundles, at every scan (an install may land between two). */
export interface InstalledBundles {
  readonly policy: PolicyPayload | null;
  readonly status: StatusLookup;
}

export interface OpenedKiosk extends KioskCore {
  readonly dataDir: string;
  readonly db: WritableDB;
  readonly demoAuthority: DemoAuthority;
  readonly deviceKey: DeviceKey;
  /**
   * The key the next check-in's subject is sealed to: the authority key of the installed key list
   * once provisioned, the demo authority's before; null when a provisioned kiosk has none (rows
   * are logged without their subject; kiosk:health says so).
   */
  readonly sealingKey: SealingKey | null;
  /** The technician console's PIN when this start created it (first start), for the CLI to print once. */
  readonly consolePinCreated: string | null;
  /** Provisioning, with what a provisioned kiosk runs on (bundles, trust, assignment). */
  readonly provisioning: ProvisioningService;
  /** Stops the background sync, then closes (close() alone aborts the sync without waiting). */
  shutdown(): Promise<void>;
  /** Runs the pipeline without logging a check-in (the CLI's verify). */
  checkOnly(scan: ScanEvent): ReturnType<Pipeline['check']>;
}

function readInfo(db: WritableDB): KioskInfo {
  const venueName = getSetting(db, 'venue_name');
  const mode = getSetting(db, 'mode');
  const locale = getSetting(db, 'default_locale');
  const hold = getSetting(db, 'verdict_hold_ms');
  return {
    venueName: typeof venueName === 'string' ? venueName : DEMO_VENUE_NAME,
    mode: mode === 'border' ? 'border' : 'venue',
    defaultLocale: locale === 'en' ? 'en' : 'vi',
    verdictHoldMs: typeof hold === 'number' && hold > 0 ? hold : DEFAULT_VERDICT_HOLD_MS,
    // Until provisioning exists (issue 10) every kiosk runs on the demo authority.
    demo: true,
    version: KIOSK_VERSION,
    provisioning: 'unprovisioned',
  };
}

/** A scan answered without a decision or a check-in row (scanner self-test, kiosk not provisioned). */
function unloggedView(code: 'self_test_scan' | 'kiosk_not_provisioned', at: number): VerdictView {
  return {
    outcome: code === 'self_test_scan' ? 'review' : 'deny',
    readable: code === 'self_test_scan',
    reasons: [{ code }],
    credentialKind: null,
    holder: null,
    status: null,
    decidedAt: at,
    checkinId: '',
  };
}

function readSyncStatus(db: WritableDB, deviceId: string, nowMs: number): SyncStatus {
  const summary = outboxSummary(db);
  const lastSuccessAt = getSyncState(db, 'last_success_at');
  const lastAttemptAt = getSyncState(db, 'last_attempt_at');
  const lastError = getSyncState(db, 'last_error') as SyncStatus['lastError'] | undefined;
  return {
    deviceId,
    pendingCount: summary.pendingCount,
    oldestPendingAgeMs: summary.oldestPendingAt === null ? null : Math.max(0, nowMs - summary.oldestPendingAt),
    parkedCount: summary.parkedCount,
    oldestParkedAgeMs: summary.oldestParkedAt === null ? null : Math.max(0, nowMs - summary.oldestParkedAt),
    uploadedCount: summary.uploadedCount,
    lastSuccessAt: typeof lastSuccessAt === 'number' ? lastSuccessAt : null,
    lastAttemptAt: typeof lastAttemptAt === 'number' ? lastAttemptAt : null,
    lastError: lastError ?? null,
  };
}

/** The sealing choice as kiosk:health reports it (the key by its id). */
function sealingView({ state, key, message }: SealingChoice): { state: SealingChoice['state']; keyId: string | null; message: string | null } {
  return { state, keyId: key?.keyId ?? null, message };
}

export function openKioskCore(options: OpenKioskOptions): OpenedKiosk {
  const now = options.now ?? Date.now;
  const logger = options.logger ?? moduleLogger('kiosk-core');
  ensureDataDir(options.dataDir);
  const db = openWritableDatabase(
    join(options.dataDir, DATABASE_FILE),
    options.sqliteBinding === undefined ? {} : { nativeBinding: options.sqliteBinding },
  );
  let demoAuthority: DemoAuthority;
  let provisioning: ProvisioningService;
  let consolePinCreated: string | null = null;
  /** The demo authority's sealing key, made only when an unprovisioned kiosk needs it. */
  let demoSealingKey: SealingKey | null = null;
  const demoSealing = (): SealingKey =>
    (demoSealingKey ??= ensureSealingKey(options.dataDir, options.authorityKeyDir === undefined ? {} : { authorityKeyDir: options.authorityKeyDir }));
  try {
    db.transaction(() => {
      setSettingIfMissing(db, 'venue_name', DEMO_VENUE_NAME);
      setSettingIfMissing(db, 'mode', 'venue');
      setSettingIfMissing(db, 'default_locale', 'vi');
      setSettingIfMissing(db, 'verdict_hold_ms', DEFAULT_VERDICT_HOLD_MS);
      if (getSetting(db, 'console_pin') === undefined) {
        consolePinCreated = newConsolePin(randomInt);
        setSettingIfMissing(db, 'console_pin', consolePinCreated);
      }
    })();
    demoAuthority = ensureDemoAuthority(options.dataDir, db, now());
    provisioning = createProvisioningService({
      dataDir: options.dataDir,
      db,
      now,
      keyProtector: options.keyProtector ?? null,
      unlockConsole: (pin) => consoleLock.unlock(pin),
      backgroundSync: options.backgroundSync === true,
      ...(options.syncTuning === undefined ? {} : { sync: options.syncTuning }),
    });
    // Made at the first open, as before provisioning existed: the CLI's device-key prints it.
    provisioning.signingKey();
    // A demo kiosk's sealing key is made (or found unreadable) at open, not at its first scan.
    if ((options.allowDemo ?? true) && provisioning.step() === 'unprovisioned') demoSealing();
  } catch (error) {
    db.close();
    throw error;
  }
  const storedInfo = readInfo(db);
  const allowDemo = options.allowDemo ?? true;
  // A provisioned kiosk shows where the hub put it; an unprovisioned one, its settings (demo).
  const info: KioskInfo = {
    get venueName() {
      const place = provisioning.context()?.assignment;
      if (place === null || place === undefined) return storedInfo.venueName;
      return place.laneName === null ? place.venueName : `${place.venueName} · ${place.laneName}`;
    },
    get mode() {
      return provisioning.context()?.assignment?.mode ?? storedInfo.mode;
    },
    defaultLocale: storedInfo.defaultLocale,
    verdictHoldMs: storedInfo.verdictHoldMs,
    get demo() {
      return allowDemo && provisioning.context() === null;
    },
    version: storedInfo.version,
    get provisioning() {
      return provisioning.step();
    },
  };
  /** What a check-in row records of the place: the hub's venue and lane ids once provisioned. */
  const checkinPlace = (): { venue: string; lane: string | null } => {
    const place = provisioning.context()?.assignment;
    return place === null || place === undefined ? { venue: storedInfo.venueName, lane: null } : { venue: place.venueId, lane: place.laneId };
  };
  const storedPin = getSetting(db, 'console_pin');
  const consoleLock = createConsoleLock(typeof storedPin === 'string' ? storedPin : '', now);
  const bundles = options.bundles;
  const installedPolicy = (): Policy | null => (provisioning.context()?.bundles ?? bundles)?.policy?.policy ?? null;
  const demoTrust = trustStoreFromRows(listIssuerKeys(db), logger);
  const state: PipelineState = {
    decoders: createDecoderRegistry({ now }),
    // Provisioned: the hub's signer list and status data; else the demo authority's keys.
    get trust() {
      return provisioning.context()?.trust ?? demoTrust;
    },
    get status() {
      return provisioning.context()?.bundles.status ?? bundles?.status ?? EMPTY_STATUS_CACHE;
    },
    // The alias map ships with the status cache (issue 4); until then no id has an alias.
    aliases: EMPTY_ALIAS_MAP,
    // The newest installed policy bundle decides; without one, the venue default.
    get policy() {
      return installedPolicy() ?? DEFAULT_VENUE_POLICY;
    },
    now,
    logger: moduleLogger('pipeline'),
  };
  // The pure pipeline, and around it what the kiosk remembers between scans (duplicates, lane).
  const session = createScanSession(state);
  const pipeline = session.pipeline;
  const nextId = monotonicFactory();
  const bootClock = options.bootClock ?? systemBootClock();
  const pseudonymOf = createPseudonymizer(db);
  // Enrolled and past the first sync (self_test, ready): the authority key of its key list, never
  // the demo's, even when the provisioned state failed to open.
  const authorityKey = (): Uint8Array | null | typeof UNPROVISIONED => {
    const context = provisioning.context();
    if (context !== null) return context.bundles.keyList?.sealingKey ?? null;
    const step = provisioning.step();
    return step === 'self_test' || step === 'ready' ? null : UNPROVISIONED;
  };
  const sealing = createSealingKeySource({
    authorityKey,
    demo: demoSealing,
    logger,
  });
  // In a worker thread with its own connection (main thread if it cannot start); stopped before db.close().
  const checkpoints = startCheckpointer(db, {
    path: join(options.dataDir, DATABASE_FILE),
    intervalMs: 1_000,
    logger,
    ...(options.sqliteBinding === undefined ? {} : { nativeBinding: options.sqliteBinding }),
  });
  const logScan = db.transaction((id: string, checked: ReturnType<Pipeline['checkWithSubject']>, scan: ScanEvent) => {
    const { verdict, subjectIds } = checked;
    const subject = subjectIds[0];
    const sealingKey = subject === undefined ? null : sealing.current().key;
    const sealed = subject === undefined || sealingKey === null ? null : sealSubject(sealingKey, id, subjectIds);
    insertCheckin(db, {
      id,
      verdict,
      source: scan.source,
      ...checkinPlace(),
      device: provisioning.signingKey().deviceId,
      monotonicMs: bootClock.monotonicMs(),
      bootId: bootClock.bootId,
      sealedSubject: sealed?.sealed ?? null,
      sealKeyId: sealed?.keyId ?? null,
      pseudonym: subject === undefined ? null : pseudonymOf(subject, verdict.decidedAt),
    });
  });
  const listeners = new Set<(verdict: VerdictView) => void>();
  const push = (scan: ScanEvent, view: VerdictView): void => {
    if (RENDERER_SOURCES.has(scan.source)) return;
    for (const listener of listeners) listener(view);
  };

  const refuse = (code: Extract<OverrideResult, { result: 'refused' }>['code'], message: string): OverrideResult => ({
    result: 'refused',
    code,
    message,
  });
  // Checked and written in one transaction: two overrides of one verdict cannot both pass the
  // check (and migration 0050's unique index refuses the second row anyway).
  const logOverride = db.transaction((request: { checkinId: string; outcome: 'admit' | 'deny'; reason: string }): OverrideResult => {
    const { checkinId } = request;
    const target = overrideTarget(db, checkinId);
    if (target === undefined) return refuse('not_found', `There is no check-in ${checkinId} on this kiosk: only a verdict logged here can be overridden.`);
    if (target.kind !== 'verdict') {
      return refuse('not_a_verdict', `Check-in ${checkinId} is itself an override: a verdict is overridden once, and an override stands.`);
    }
    if (target.outcome !== 'review') {
      return refuse('not_review', `Check-in ${checkinId} was "${target.outcome}", not "review": only a verdict sent to staff can be overridden.`);
    }
    if (target.overridden) return refuse('already_overridden', `Check-in ${checkinId} was already overridden; a verdict is overridden only once.`);
    const at = now();
    const id = nextId(at);
    insertOverride(db, {
      id,
      overrides: checkinId,
      outcome: request.outcome,
      reason: request.reason,
      at,
      source: 'staff',
      ...checkinPlace(),
      device: provisioning.signingKey().deviceId,
      monotonicMs: bootClock.monotonicMs(),
      bootId: bootClock.bootId,
    });
    return { result: 'overridden', checkinId: id, overrides: checkinId, outcome: request.outcome, at };
  });

  return {
    dataDir: options.dataDir,
    db,
    demoAuthority,
    get deviceKey(): DeviceKey {
      return provisioning.signingKey();
    },
    get sealingKey(): SealingKey | null {
      return sealing.current().key;
    },
    info: () => ({ ...info }),
    checkOnly: (scan) => pipeline.check(scan),
    submitScan(scan) {
      // The technician's scanner test, or a kiosk that may not decide yet: shown, never logged.
      const unlogged = provisioning.recordSelfTestScan(scan) ? 'self_test_scan' : !allowDemo && provisioning.context() === null ? 'kiosk_not_provisioned' : null;
      if (unlogged !== null) {
        const view = unloggedView(unlogged, now());
        push(scan, view);
        return view;
      }
      const decision = session.decide(scan);
      if (decision.kind === 'repeat') {
        // Already checked in moments ago: shown again, not logged again.
        push(scan, decision.view);
        return decision.view;
      }
      const { checked } = decision;
      const id = nextId(checked.verdict.decidedAt);
      // Logged (durably, subject sealed) before anyone sees the verdict: nothing shown is lost.
      logScan(id, checked, scan);
      const committed = decision.commit(id);
      // A border guard compares the traveller with the document; a venue door shows the masked holder only.
      const view =
        info.mode === 'border' && checked.credential !== undefined && committed.holder !== null
          ? { ...committed, border: borderDetailsOf(checked.credential) }
          : committed;
      push(scan, view);
      return view;
    },
    consolePinCreated,
    unlockConsole: (pin) => consoleLock.unlock(pin),
    provisioning,
    overrideCheckin(request) {
      const result = logOverride(request);
      if (result.result === 'overridden') {
        session.overridden(result.overrides, result.outcome);
        logger.info({ checkinId: result.checkinId, overrides: result.overrides, outcome: result.outcome }, 'verdict overridden by staff');
      }
      return result;
    },
    health(): KioskHealth {
      const { nowMs, policy, door, laneWaiting } = session.doorState();
      return {
        now: nowMs,
        clock: { state: door.clock.state, newestBundleIssuedAt: door.clock.newestIssuedAt, offsetMs: door.clock.offsetMs, reason: door.clock.reason },
        policy: { id: policy.id, kind: policy.kind, source: installedPolicy() === null ? 'default' : 'bundle' },
        statusData: { ageMs: door.stale.ageMs, stale: door.stale.stale, reason: door.stale.reason },
        bundles: (state.status.freshness?.ages(nowMs) ?? []).map(({ type, sequence, issuedAt, ageMs, stale }) => ({ type, sequence, issuedAt, ageMs, stale })),
        laneWaiting,
        hubClock: provisioning.state().clock,
        // A kiosk that may not run the demo and is not provisioned seals nothing: asking would make a demo key.
        ...(!allowDemo && authorityKey() === UNPROVISIONED ? {} : { sealing: sealingView(sealing.current()) }),
      };
    },
    recentCheckins: (limit) => recentCheckins(db, limit),
    hourlyCheckins: () => hourlyCheckinCounts(db, now()),
    syncStatus: () => readSyncStatus(db, provisioning.signingKey().deviceId, now()),
    devices: () => [],
    onVerdict(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async shutdown() {
      await provisioning.close();
      this.close();
    },
    close() {
      listeners.clear();
      // Aborts the background sync's requests at once; nothing of it touches the database after.
      void provisioning.close();
      checkpoints.stop();
      db.close();
    },
  };
}
