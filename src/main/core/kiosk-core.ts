// What both shells (Electron and web) drive: one kiosk, one data directory, one pipeline.
import type {
  CheckinSummary,
  ConsoleUnlockResult,
  HourlyCheckins,
  KioskHealth,
  KioskInfo,
  OverrideResult,
  RequestOf,
  SyncStatus,
  VerdictView,
} from '../../common/ipc/contract.js';
import type { DeviceView } from '../../common/ipc/device-view.js';
import type { ScanEvent } from '../../common/types/credential.js';
import type { ProvisioningControl } from '../provision/provisioning-control.js';

export interface KioskCore {
  info(): KioskInfo;
  /** Runs the pipeline on one scan and logs the check-in durably before answering. */
  submitScan(scan: ScanEvent): VerdictView;
  recentCheckins(limit: number): CheckinSummary[];
  /** Verdicts per hour over the last 24 hours (overrides not counted again), for the console's chart. */
  hourlyCheckins(): HourlyCheckins;
  /** Check-ins waiting for upload or refused by the hub: their count and age, for staff. */
  syncStatus(): SyncStatus;
  /** Scanners and readers (src/main/devices attaches them; a core without hardware has none). */
  devices(): DeviceView[];
  /** Verdicts of scans that did not come from the renderer (hardware drivers). */
  onVerdict(listener: (verdict: VerdictView) => void): () => void;
  /** Clock against the newest signed bundle, policy in force, status data age: for staff. */
  health(): KioskHealth;
  /** A guard's override of a 'review' verdict, logged as its own row; refused for anything else or twice. */
  overrideCheckin(request: RequestOf<'checkin:override'>): OverrideResult;
  /** The technician console's PIN (held in the settings), with wrong attempts rate-limited. */
  unlockConsole(pin: string): ConsoleUnlockResult;
  /** The technician's provisioning wizard (channels provision:*). */
  readonly provisioning: ProvisioningControl;
  close(): void;
}
