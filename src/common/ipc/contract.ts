// The one IPC contract between the renderer and main, for both shells (Electron IPC and the
// web shell's WebSocket). Channels are "area:verb"; every request and response has a runtime
// schema, and main validates every request against it before acting.
import { z } from 'zod';
import { REASON_CODES } from '../types/reasons.js';
import { CREDENTIAL_KINDS, HEALTH_STATUSES } from '../types/credential.js';
import { OUTCOMES } from '../types/verdict.js';
import { POLICY_KINDS } from '../types/policy.js';
import { BUNDLE_TYPES } from '../bundle/bundle-types.js';
import { deviceViewSchema } from './device-view.js';
import {
  PROVISION_STEPS,
  clockCheckSchema,
  factoryResetResultSchema,
  provisionRequests,
  provisionStateSchema,
  resetPrepareSchema,
} from './provision-view.js';

export const MAX_SCAN_TEXT = 8192;

const reasonSchema = z.object({
  code: z.enum(REASON_CODES),
  detail: z.string().optional(),
});

/**
 * Border lanes only (kiosk:info().mode === 'border'): the fields a guard compares with the
 * traveller and the health credential's details. Venue doors never receive it.
 */
export const borderDetailsSchema = z.object({
  fullName: z.string(),
  surname: z.string().optional(),
  givenNames: z.string().optional(),
  dateOfBirth: z.string().nullable(),
  nationality: z.string().optional(),
  sex: z.string().optional(),
  documentNumber: z.string().optional(),
  documentExpiry: z.string().optional(),
  issuer: z.string().optional(),
  validUntil: z.number().optional(),
  certificateType: z.enum(['vaccination', 'test', 'recovery']).optional(),
  vaccination: z.object({ doses: z.number(), lastDoseDate: z.string().optional() }).optional(),
  test: z.object({ type: z.string().optional(), result: z.string().optional(), sampledAt: z.string().optional() }).optional(),
});
export type BorderDetails = z.infer<typeof borderDetailsSchema>;

export const verdictViewSchema = z.object({
  outcome: z.enum(OUTCOMES),
  readable: z.boolean(),
  reasons: z.array(reasonSchema),
  credentialKind: z.enum(CREDENTIAL_KINDS).nullable(),
  holder: z.object({ maskedName: z.string(), birthYear: z.string().nullable() }).nullable(),
  status: z.enum(HEALTH_STATUSES).nullable(),
  decidedAt: z.number(),
  /** The check-in row this verdict was logged as. */
  checkinId: z.string(),
  border: borderDetailsSchema.optional(),
});
export type VerdictView = z.infer<typeof verdictViewSchema>;

export const kioskInfoSchema = z.object({
  venueName: z.string(),
  mode: z.enum(['venue', 'border']),
  defaultLocale: z.enum(['vi', 'en']),
  /** How long a verdict stays on screen before the idle screen returns. */
  verdictHoldMs: z.number().int().positive(),
  demo: z.boolean(),
  version: z.string(),
  /** Where provisioning stands (provision-view.ts); anything but 'ready' means not provisioned. */
  provisioning: z.enum(PROVISION_STEPS),
});
export type KioskInfo = z.infer<typeof kioskInfoSchema>;

export const checkinSummarySchema = z.object({
  id: z.string(),
  at: z.number(),
  outcome: z.enum(OUTCOMES),
  readable: z.boolean(),
  reasonCodes: z.array(z.enum(REASON_CODES)),
  credentialKind: z.enum(CREDENTIAL_KINDS).nullable(),
  source: z.string(),
});
export type CheckinSummary = z.infer<typeof checkinSummarySchema>;

export const HOURLY_CHECKIN_HOURS = 24;

/**
 * Check-ins per hour over the last 24 hours, counted in main over the whole log
 * (src/main/store/queries/hourly-checkins.ts): one per verdict, a guard's override not counted again.
 */
export const hourlyCheckinsSchema = z.object({
  /** Start of the oldest hour, epoch ms (a whole hour); hour i starts i hours later. */
  firstHourStart: z.number().int(),
  /** Oldest first; the last is the current hour, partial. */
  counts: z.array(z.number().int().nonnegative()).length(HOURLY_CHECKIN_HOURS),
});
export type HourlyCheckins = z.infer<typeof hourlyCheckinsSchema>;

/** The check-in log's upload state, for staff: nothing waiting is ever dropped silently. */
export const syncStatusSchema = z.object({
  /** The id the hub knows this kiosk by ("dev-…"). */
  deviceId: z.string(),
  /** Check-ins not yet acknowledged by the hub, and the age of the oldest. */
  pendingCount: z.number().int().nonnegative(),
  oldestPendingAgeMs: z.number().nonnegative().nullable(),
  /** Check-ins the hub refused: kept with their reason, not resent by themselves. */
  parkedCount: z.number().int().nonnegative(),
  oldestParkedAgeMs: z.number().nonnegative().nullable(),
  /** Acknowledged, kept until the tracing window has passed. */
  uploadedCount: z.number().int().nonnegative(),
  lastSuccessAt: z.number().nullable(),
  lastAttemptAt: z.number().nullable(),
  lastError: z.object({ code: z.string(), message: z.string(), at: z.number() }).nullable(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

/**
 * What staff need to trust the kiosk's verdicts: the device clock against the newest signed
 * bundle (behind it, or far ahead: see src/main/pipeline/door-rules.ts), the policy in force and
 * the status data's age.
 */
export const kioskHealthSchema = z.object({
  now: z.number(),
  clock: z.object({
    state: z.enum(['ok', 'behind', 'ahead', 'no_bundles']),
    newestBundleIssuedAt: z.number().nullable(),
    /** now - newestBundleIssuedAt: negative when the clock is behind. */
    offsetMs: z.number().nullable(),
    reason: reasonSchema.nullable(),
  }),
  policy: z.object({ id: z.string(), kind: z.enum(POLICY_KINDS), source: z.enum(['bundle', 'default']) }),
  statusData: z.object({ ageMs: z.number().nullable(), stale: z.boolean(), reason: reasonSchema.nullable() }),
  /** Each installed bundle (newest of its type first as the store lists them): for the console. */
  bundles: z
    .array(
      z.object({
        type: z.enum(BUNDLE_TYPES),
        sequence: z.number().int().nonnegative(),
        issuedAt: z.number(),
        ageMs: z.number().nonnegative(),
        /** Past its expiry: kept and used, but possibly out of date. */
        stale: z.boolean(),
      }),
    )
    .optional(),
  /** In a border lane: the document waiting for its pair. */
  laneWaiting: z.enum(['travel-document', 'health-certificate']).nullable(),
  /** The device clock against the hub's (read at each sync) and the newest signed bundle. */
  hubClock: clockCheckSchema.optional(),
  /**
   * What new check-ins' subjects are sealed to: the health authority's key from the hub's key
   * list ('authority'), the demo authority's ('demo', unprovisioned), or nothing ('missing': a
   * provisioned kiosk without an authority key logs rows without the person; message says why).
   */
  sealing: z
    .object({ state: z.enum(['authority', 'demo', 'missing']), keyId: z.string().nullable(), message: z.string().nullable() })
    .optional(),
});
export type KioskHealth = z.infer<typeof kioskHealthSchema>;

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export const OVERRIDE_REFUSALS = ['not_found', 'not_a_verdict', 'not_review', 'already_overridden'] as const;
export type OverrideRefusal = (typeof OVERRIDE_REFUSALS)[number];

/** A guard's override of a review: logged as its own check-in row, or refused with why. */
export const overrideResultSchema = z.discriminatedUnion('result', [
  z.object({ result: z.literal('overridden'), checkinId: z.string(), overrides: z.string(), outcome: z.enum(['admit', 'deny']), at: z.number() }).strict(),
  z.object({ result: z.literal('refused'), code: z.enum(OVERRIDE_REFUSALS), message: z.string() }).strict(),
]);
export type OverrideResult = z.infer<typeof overrideResultSchema>;

/** The technician console's PIN check: wrong PINs are rate-limited in main. */
export const consoleUnlockResultSchema = z.discriminatedUnion('result', [
  z.object({ result: z.literal('unlocked') }).strict(),
  z.object({ result: z.literal('refused'), code: z.enum(['wrong_pin', 'rate_limited']), retryAfterMs: z.number().int().nonnegative() }).strict(),
]);
export type ConsoleUnlockResult = z.infer<typeof consoleUnlockResultSchema>;

/**
 * Staff leave kiosk mode (the app exits; on a Linux kiosk the systemd unit then gives tty1 a
 * login instead of restarting it) only with the console PIN, under the same rate limit.
 */
export const KIOSK_LEAVE_EXIT_CODE = 78;
export const kioskLeaveResultSchema = z.discriminatedUnion('result', [
  z.object({ result: z.literal('leaving') }).strict(),
  z
    .object({
      result: z.literal('refused'),
      code: z.enum(['wrong_pin', 'rate_limited', 'not_supported']),
      retryAfterMs: z.number().int().nonnegative(),
    })
    .strict(),
]);
export type KioskLeaveResult = z.infer<typeof kioskLeaveResultSchema>;

export const ipcContract = {
  'kiosk:info': {
    request: z.object({}).strict(),
    response: kioskInfoSchema,
  },
  'scan:submit': {
    request: z
      .object({
        text: z.string().max(MAX_SCAN_TEXT),
        source: z.enum(['keyboard-wedge', 'paste', 'camera']),
        symbology: z.string().max(8).optional(),
      })
      .strict(),
    response: verdictViewSchema,
  },
  'checkins:recent': {
    request: z.object({ limit: z.number().int().min(1).max(200) }).strict(),
    response: z.array(checkinSummarySchema),
  },
  'checkins:hourly': {
    request: z.object({}).strict(),
    response: hourlyCheckinsSchema,
  },
  'sync:status': {
    request: z.object({}).strict(),
    response: syncStatusSchema,
  },
  /** Scanners and readers for the technician console: mode, connected, last problem, last raw scan. */
  'devices:list': {
    request: z.object({}).strict(),
    response: z.array(deviceViewSchema),
  },
  'kiosk:health': {
    request: z.object({}).strict(),
    response: kioskHealthSchema,
  },
  /** Only a verdict that was 'review' may be overridden, once; the reason is logged with it. */
  'checkin:override': {
    request: z
      .object({
        checkinId: z.string().regex(ULID),
        outcome: z.enum(['admit', 'deny']),
        reason: z
          .string()
          .trim()
          .min(1, 'say why the verdict is overridden')
          .max(500)
          .regex(/^\P{Cc}*$/u, 'no control characters'),
      })
      .strict(),
    response: overrideResultSchema,
  },
  'console:unlock': {
    request: z.object({ pin: z.string().regex(/^\d{4,12}$/, 'the PIN is 4 to 12 digits') }).strict(),
    response: consoleUnlockResultSchema,
  },
  'kiosk:leave': {
    request: z.object({ pin: z.string().regex(/^\d{4,12}$/, 'the PIN is 4 to 12 digits') }).strict(),
    response: kioskLeaveResultSchema,
  },
  // The technician's provisioning wizard (provision-view.ts has the state machine). Actions
  // answer at once with the new state; poll provision:state while it is busy.
  'provision:state': { request: provisionRequests.state, response: provisionStateSchema },
  'provision:enrol': { request: provisionRequests.enrol, response: provisionStateSchema },
  'provision:confirm-fingerprint': { request: provisionRequests.confirmFingerprint, response: provisionStateSchema },
  'provision:sync': { request: provisionRequests.sync, response: provisionStateSchema },
  'provision:finish': { request: provisionRequests.finish, response: provisionStateSchema },
  /** Step one of a factory reset: a short-lived token, and how many check-ins would be lost. */
  'provision:reset-prepare': { request: provisionRequests.resetPrepare, response: resetPrepareSchema },
  /** Step two: the console PIN again and the token; wipes keys, check-ins, outbox, bundles. */
  'provision:factory-reset': { request: provisionRequests.factoryReset, response: factoryResetResultSchema },
} as const;

export type Channel = keyof typeof ipcContract;
export const CHANNELS = Object.keys(ipcContract) as Channel[];
export type RequestOf<C extends Channel> = z.infer<(typeof ipcContract)[C]['request']>;
export type ResponseOf<C extends Channel> = z.infer<(typeof ipcContract)[C]['response']>;

/** Events main pushes to the renderer (scans from hardware drivers, for instance). */
export const eventContract = {
  'verdict:pushed': verdictViewSchema,
} as const;
export type EventName = keyof typeof eventContract;
export const EVENT_NAMES = Object.keys(eventContract) as EventName[];
export type EventOf<E extends EventName> = z.infer<(typeof eventContract)[E]>;

export interface IpcError {
  code: 'bad_request' | 'bad_sender' | 'unknown_channel' | 'internal_error';
  message: string;
}
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.hasOwn(ipcContract, value);
}
