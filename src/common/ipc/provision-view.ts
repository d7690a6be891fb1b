// What the technician's provisioning wizard sees and sends (channels provision:*). Main owns the
// state machine (src/main/provision/); the wizard shows `step`, a spinner while `busy`, and on
// `error` the sentence and the fix, then offers the step's action again.
//
//   unprovisioned --provision:enrol--> enrolling --(hub answered)--> awaiting_fingerprint
//   awaiting_fingerprint --provision:confirm-fingerprint(match)--> configuring --> first_sync
//   first_sync --(bundles installed)--> self_test --provision:finish--> ready
//   any step --provision:factory-reset / device revoked at the hub--> unprovisioned (wiped)
//
// Actions answer at once with the new state (busy while the hub is asked); the wizard polls
// provision:state every ~500 ms while `busy` is true. A failed hub step (configuring,
// first_sync) stays on its step with `error` set; provision:sync runs it again.
//
// Self-test: while the step is self_test, every scan (scan:submit from the window, or a
// hardware scanner) is a test scan: not decided, not logged, answered with a verdict view whose
// one reason is `self_test_scan`; the scanner it came from shows `passed` in `selfTest`.
// kiosk:info().provisioning carries the step too, so the renderer knows at start whether to open
// the wizard; `demo` says the kiosk still decides with its built-in demo authority.
// Step titles and, per error code, a headline and the fix in vi and en: provision-text.ts.
import { z } from 'zod';
import { deviceAssignmentSchema, type DeviceAssignment } from '../sync/enrolment-wire.js';

export const PROVISION_STEPS = [
  'unprovisioned',
  'enrolling',
  'awaiting_fingerprint',
  'configuring',
  'first_sync',
  'self_test',
  'ready',
] as const;
export type ProvisionStep = (typeof PROVISION_STEPS)[number];

/** Every failure the wizard can meet; each comes with a sentence that says what to do. */
export const PROVISION_ERROR_CODES = [
  'ticket_unreadable',
  'hub_unreachable',
  'hub_refused',
  'hub_answer_unreadable',
  'token_unknown',
  'token_used',
  'token_expired',
  'device_already_enrolled',
  'root_key_mismatch',
  'fingerprint_mismatch',
  'clock_wrong',
  'not_assigned',
  'bundle_refused',
  'no_scanner',
  'device_revoked',
  'wrong_step',
  'key_storage_failed',
  'internal_error',
] as const;
export type ProvisionErrorCode = (typeof PROVISION_ERROR_CODES)[number];

export const provisionErrorSchema = z.object({
  code: z.enum(PROVISION_ERROR_CODES),
  /** What went wrong and what to do, for the technician (English; the code picks the vi text). */
  message: z.string(),
  at: z.number(),
});
export type ProvisionError = z.infer<typeof provisionErrorSchema>;

/** The device clock against the hub's (at each sync) and against the newest signed bundle. */
export const clockCheckSchema = z.object({
  state: z.enum(['ok', 'wrong', 'unknown']),
  /** device clock - hub clock, ms (positive: the device is ahead); null before the first check. */
  hubOffsetMs: z.number().nullable(),
  /** When the hub's clock was last read. */
  checkedAt: z.number().nullable(),
  /** device clock - newest installed bundle's issuedAt, ms; negative means the clock is behind signed data. */
  bundleOffsetMs: z.number().nullable(),
  /** A sentence for the technician when state is 'wrong'. */
  message: z.string().nullable(),
});
export type ClockCheck = z.infer<typeof clockCheckSchema>;

/** Where the hub put this kiosk (venue door or border lane) and how it decides: as the hub sends it. */
export const assignmentSchema = deviceAssignmentSchema;
export type Assignment = DeviceAssignment;

export const selfTestScannerSchema = z.object({
  /** devices:list id for hardware scanners; the scan source for the window's own input. */
  id: z.string(),
  name: z.string(),
  source: z.enum(['keyboard-wedge', 'paste', 'hid-pos', 'serial', 'camera']),
  /** A test scan arrived from it during this self-test. */
  passed: z.boolean(),
  lastScanAt: z.number().nullable(),
  /** The first characters of what it read, so the technician sees it read right. */
  lastText: z.string().nullable(),
});
export type SelfTestScanner = z.infer<typeof selfTestScannerSchema>;

export const provisionStateSchema = z.object({
  step: z.enum(PROVISION_STEPS),
  /** Main is talking to the hub for this step; poll provision:state until false. */
  busy: z.boolean(),
  /** The last attempt of this step failed (cleared when it is tried again). */
  error: provisionErrorSchema.nullable(),
  hubUrl: z.string().nullable(),
  /** The id the hub knows this kiosk by ("dev-…"), once enrolled. */
  deviceId: z.string().nullable(),
  /**
   * SHA-256 of the root key the hub sent, hex in groups of four: the technician compares it
   * with the one printed on the ticket or shown by the hub operator (awaiting_fingerprint).
   */
  rootFingerprint: z.string().nullable(),
  assignment: assignmentSchema.nullable(),
  /** Bundles installed by the first sync (key list, signer list, policy, status...). */
  firstSync: z.object({ at: z.number(), bundlesInstalled: z.number().int().nonnegative(), policyId: z.string().nullable() }).nullable(),
  /** Scanners seen during the self-test (self_test and after). */
  selfTest: z.array(selfTestScannerSchema),
  clock: clockCheckSchema,
  /** The kiosk decides with the built-in demo authority (not provisioned). */
  demo: z.boolean(),
});
export type ProvisionState = z.infer<typeof provisionStateSchema>;

/** Fingerprints are compared without spaces or case. */
const HEX_FINGERPRINT = /^[0-9a-fA-F\s]{8,200}$/;

export const provisionRequests = {
  state: z.object({}).strict(),
  /** The enrolment ticket's text as the scanner read it (JSON from pccovid-hub enrol-token). */
  enrol: z.object({ text: z.string().min(1).max(4000), label: z.string().max(200).optional() }).strict(),
  /**
   * 'match' moves on; 'mismatch' abandons the enrolment (keys wiped, back to unprovisioned).
   * With `fingerprint` (what the technician typed from the ticket, at least 8 hex digits, the
   * start or the whole) main compares it too and refuses a match that is not one.
   */
  confirmFingerprint: z
    .object({ answer: z.enum(['match', 'mismatch']), fingerprint: z.string().regex(HEX_FINGERPRINT).optional() })
    .strict(),
  /** Runs the pending hub work again: configuration, then the first (or a fresh) sync. */
  sync: z.object({}).strict(),
  /** self_test → ready; refused with no_scanner unless a scanner passed (or skipScanners). */
  finish: z.object({ skipScanners: z.boolean().optional() }).strict(),
  /** A wipe token valid for 2 minutes, and what a factory reset would lose. */
  resetPrepare: z.object({}).strict(),
  factoryReset: z.object({ pin: z.string().regex(/^\d{4,12}$/, 'the PIN is 4 to 12 digits'), token: z.string().min(1).max(64) }).strict(),
} as const;

export const resetPrepareSchema = z.object({
  /** Pass it back with the PIN to provision:factory-reset within expiresAt. */
  token: z.string(),
  expiresAt: z.number(),
  deviceId: z.string().nullable(),
  /** Check-ins not yet at the hub: they are lost by a reset (the wizard warns). */
  pendingCheckins: z.number().int().nonnegative(),
});
export type ResetPrepare = z.infer<typeof resetPrepareSchema>;

export const factoryResetResultSchema = z.discriminatedUnion('result', [
  z.object({ result: z.literal('wiped'), state: provisionStateSchema }).strict(),
  z
    .object({
      result: z.literal('refused'),
      code: z.enum(['wrong_pin', 'rate_limited', 'bad_token']),
      retryAfterMs: z.number().int().nonnegative(),
      message: z.string(),
    })
    .strict(),
]);
export type FactoryResetResult = z.infer<typeof factoryResetResultSchema>;
