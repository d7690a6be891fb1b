// pccovid-kiosk issue-demo-pass: a signed PC1 pass from this data directory's demo authority.
import { HEALTH_STATUSES, type HealthStatus } from '../../common/types/credential.js';
import { openKioskCore } from '../core/open-kiosk-core.js';
import { issueDemoPass } from '../demo/demo-authority.js';
import { UsageError, type CliIo } from './output.js';

export function parseStatus(value: string | undefined): HealthStatus {
  if (value === undefined) return 'green';
  if ((HEALTH_STATUSES as readonly string[]).includes(value)) return value as HealthStatus;
  throw new UsageError(`--status must be one of ${HEALTH_STATUSES.join(', ')}; got "${value}"`);
}

export function runIssueDemoPass(dataDir: string, status: HealthStatus, expired: boolean, io: CliIo): number {
  const kiosk = openKioskCore({ dataDir });
  try {
    io.out(issueDemoPass(kiosk.demoAuthority, { status, expired, nowMs: Date.now() }));
    return 0;
  } finally {
    kiosk.close();
  }
}
