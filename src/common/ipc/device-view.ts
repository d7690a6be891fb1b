// What the technician console sees of each scanner and reader (channel devices:list): its mode,
// whether it is connected, its last problem and its last raw scan. Main keeps all of it in
// memory only; the last raw scan holds a person's pass, so it is forgotten after a few minutes.
import { z } from 'zod';

/** How a device reaches the kiosk. A keyboard wedge types into the window; the others talk to main. */
export const DEVICE_MODES = ['keyboard-wedge', 'hid-pos', 'serial'] as const;
export type DeviceMode = (typeof DEVICE_MODES)[number];

/** How the bytes of one scan were delimited. */
export const FRAME_KINDS = ['keys', 'hid-pos', 'line', 'stx-etx', 'mrz-3m', 'mrz-access-is'] as const;
export type FrameKind = (typeof FRAME_KINDS)[number];

/** What main did with a hardware scan before the pipeline. */
export const SCAN_DISPOSITIONS = ['submitted', 'duplicate', 'rate_limited'] as const;
export type ScanDisposition = (typeof SCAN_DISPOSITIONS)[number];

export const rawScanViewSchema = z.object({
  at: z.number(),
  symbology: z.string(),
  frame: z.enum(FRAME_KINDS),
  /** The bytes as the device sent them (payload only, framing removed), in hex. */
  hex: z.string(),
  text: z.string(),
  byteLength: z.number().int().nonnegative(),
  /** hex and text hold only the first bytes of a longer scan. */
  truncated: z.boolean(),
  disposition: z.enum(SCAN_DISPOSITIONS),
});
export type RawScanView = z.infer<typeof rawScanViewSchema>;

export const deviceProblemSchema = z.object({
  code: z.string(),
  /** A sentence a technician can act on. */
  message: z.string(),
  at: z.number(),
});
export type DeviceProblem = z.infer<typeof deviceProblemSchema>;

export const deviceViewSchema = z.object({
  /** Stable across unplug and replug of the same device. */
  id: z.string(),
  name: z.string(),
  mode: z.enum(DEVICE_MODES),
  /** Device profile (hardware/profiles), null when the device was configured by path only. */
  profile: z.string().nullable(),
  /** /dev/hidraw3, /dev/ttyACM0...; null for the window's own keyboard input. */
  path: z.string().nullable(),
  vendorId: z.number().int().nullable(),
  productId: z.number().int().nullable(),
  connected: z.boolean(),
  /** When it last connected or went missing. */
  changedAt: z.number().nullable(),
  problem: deviceProblemSchema.nullable(),
  lastScan: rawScanViewSchema.nullable(),
  /** Scans received since the kiosk started. */
  scanCount: z.number().int().nonnegative(),
});
export type DeviceView = z.infer<typeof deviceViewSchema>;
