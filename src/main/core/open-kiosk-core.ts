// Opens a kiosk on its data directory: database, trust, pipeline; the same core serves the
// Electron shell, the web shell and the CLI.
import { join } from 'node:path';
import { monotonicFactory } from 'ulid';
import type { KioskInfo, VerdictView } from '../../common/ipc/contract.js';
import type { ScanEvent, ScanSource } from '../../common/types/credential.js';
import { DEFAULT_VENUE_POLICY } from '../../common/types/policy.js';
import { ensureDataDir } from '../data-dir.js';
import { ensureDemoAuthority, type DemoAuthority } from '../demo/demo-authority.js';
import { moduleLogger, type Logger } from '../log.js';
import { EMPTY_ALIAS_MAP } from '../pipeline/alias.js';
import { createDecoderRegistry } from '../pipeline/decoders/registry.js';
import { createPipeline, type Pipeline } from '../pipeline/pipeline.js';
import { EMPTY_STATUS_CACHE } from '../status/memory-status-cache.js';
import { openWritableDatabase, type WritableDB } from '../store/database.js';
import { insertCheckin, recentCheckins } from '../store/queries/checkins.js';
import { listIssuerKeys } from '../store/queries/issuer-keys.js';
import { getSetting, setSettingIfMissing } from '../store/queries/settings.js';
import { trustStoreFromRows } from '../trust/trust-store.js';
import type { KioskCore } from './kiosk-core.js';

export const DATABASE_FILE = 'kiosk.db';
export const DEMO_VENUE_NAME = 'Chợ Bến Thành (demo)';
export const KIOSK_VERSION = '0.1.0';
const DEFAULT_VERDICT_HOLD_MS = 4000;

/** Scans the renderer submits itself; their verdicts are answered, not pushed. */
const RENDERER_SOURCES: ReadonlySet<ScanSource> = new Set(['keyboard-wedge', 'paste', 'camera']);

export interface OpenKioskOptions {
  dataDir: string;
  now?: () => number;
  logger?: Logger;
  /** better-sqlite3 addon for Electron's ABI when running inside Electron in development. */
  sqliteBinding?: string;
}

export interface OpenedKiosk extends KioskCore {
  readonly dataDir: string;
  readonly db: WritableDB;
  readonly demoAuthority: DemoAuthority;
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
  };
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
  try {
    db.transaction(() => {
      setSettingIfMissing(db, 'venue_name', DEMO_VENUE_NAME);
      setSettingIfMissing(db, 'mode', 'venue');
      setSettingIfMissing(db, 'default_locale', 'vi');
      setSettingIfMissing(db, 'verdict_hold_ms', DEFAULT_VERDICT_HOLD_MS);
    })();
    demoAuthority = ensureDemoAuthority(options.dataDir, db, now());
  } catch (error) {
    db.close();
    throw error;
  }
  const info = readInfo(db);
  const pipeline = createPipeline({
    decoders: createDecoderRegistry({ now }),
    trust: trustStoreFromRows(listIssuerKeys(db), logger),
    status: EMPTY_STATUS_CACHE,
    // The alias map ships with the status cache (issue 4); until then no id has an alias.
    aliases: EMPTY_ALIAS_MAP,
    policy: DEFAULT_VENUE_POLICY,
    now,
    logger: moduleLogger('pipeline'),
  });
  const nextId = monotonicFactory();
  const listeners = new Set<(verdict: VerdictView) => void>();

  return {
    dataDir: options.dataDir,
    db,
    demoAuthority,
    info: () => info,
    checkOnly: (scan) => pipeline.check(scan),
    submitScan(scan) {
      const verdict = pipeline.check(scan);
      const id = nextId(verdict.decidedAt);
      // Logged (durably) before anyone sees the verdict: nothing shown is lost.
      insertCheckin(db, { id, verdict, source: scan.source, venue: info.venueName });
      const view: VerdictView = { ...verdict, checkinId: id };
      if (!RENDERER_SOURCES.has(scan.source)) {
        for (const listener of listeners) listener(view);
      }
      return view;
    },
    recentCheckins: (limit) => recentCheckins(db, limit),
    onVerdict(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      listeners.clear();
      db.close();
    },
  };
}
