// What provisioning keeps between starts: provisioning.json in the data directory (0600), replaced
// atomically at each step. It holds no secret: keys are in their own files (device-keys.ts).
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { PROVISION_STEPS, assignmentSchema, clockCheckSchema, selfTestScannerSchema } from '../../common/ipc/provision-view.js';
import { writePrivateFile } from './device-keys.js';

export const PROVISION_FILE = 'provisioning.json';

const recordSchema = z
  .object({
    v: z.literal(1),
    step: z.enum(PROVISION_STEPS),
    hubUrl: z.string(),
    deviceId: z.string(),
    /** The ticket's fingerprint and the root key the hub sent (hex): pinned once confirmed. */
    ticketRoot: z.string(),
    rootPublicKey: z.string().regex(/^[0-9a-f]{64}$/),
    enrolledAt: z.number(),
    fingerprintConfirmedAt: z.number().nullable(),
    assignment: assignmentSchema.nullable(),
    firstSync: z.object({ at: z.number(), bundlesInstalled: z.number().int().nonnegative(), policyId: z.string().nullable() }).nullable(),
    selfTest: z.array(selfTestScannerSchema),
    clock: clockCheckSchema,
    keyRotatedAt: z.number().nullable(),
  })
  .strict();
export type ProvisionRecord = z.infer<typeof recordSchema>;

export class ProvisionRecordError extends Error {
  override name = 'ProvisionRecordError';
}

export function readProvisionRecord(dataDir: string): ProvisionRecord | null {
  const path = join(dataDir, PROVISION_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ProvisionRecordError(`${path} cannot be read (${(error as Error).message}); check the data directory's owner.`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = recordSchema.safeParse(json);
  if (!parsed.success) {
    throw new ProvisionRecordError(`${path} is damaged (${parsed.error.issues[0]?.message ?? 'invalid'}); factory-reset the kiosk (pccovid-kiosk reset) and provision it again.`);
  }
  return parsed.data;
}

export function writeProvisionRecord(dataDir: string, record: ProvisionRecord): void {
  writePrivateFile(join(dataDir, PROVISION_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

export function deleteProvisionRecord(dataDir: string): void {
  rmSync(join(dataDir, PROVISION_FILE), { force: true });
}
