// Device profiles: what the kiosk knows of each vendor's scanners, by USB vendor id (and product
// id when one vendor's models differ). Each profile is a JSON file next to this one, so a new
// model needs a file, not code. Profiles are checked when loaded; a bad file is reported and
// skipped, never fatal.
import { z } from 'zod';
import { fromHex } from '../bytes.js';
import { HardwareError } from '../hardware-error.js';
import type { HidPosLayout } from '../hid-pos/hid-pos-report.js';
import { SERIAL_FRAMINGS, type SerialFraming } from '../serial/serial-framer.js';
import accessIs from './access-is.json' with { type: 'json' };
import datalogic from './datalogic.json' with { type: 'json' };
import honeywell from './honeywell.json' with { type: 'json' };
import newland from './newland.json' with { type: 'json' };
import zebra from './zebra.json' with { type: 'json' };

export const BUILT_IN_PROFILE_FILES: Readonly<Record<string, unknown>> = {
  'access-is.json': accessIs,
  'datalogic.json': datalogic,
  'honeywell.json': honeywell,
  'newland.json': newland,
  'zebra.json': zebra,
};

export interface DeviceProfile {
  id: string;
  vendor: string;
  vendorIds: readonly number[];
  /** Empty: every product of these vendors. */
  productIds: readonly number[];
  hidPos: (HidPosLayout & { enableFeatureReports: readonly Uint8Array[] }) | null;
  serial: {
    baudRate: number;
    framing: SerialFraming;
    triggerOn: Uint8Array | null;
    triggerOff: Uint8Array | null;
  } | null;
}

const usbId = z
  .string()
  .regex(/^0x[0-9a-fA-F]{4}$/, 'a USB id is written 0xABCD')
  .transform((text) => Number.parseInt(text.slice(2), 16));

const hexBytes = z.string().transform((text, context) => {
  try {
    return fromHex(text);
  } catch {
    context.addIssue({ code: 'custom', message: `"${text}" is not a hex byte string such as "16 54 0D"` });
    return z.NEVER;
  }
});

const byteOffset = z.number().int().min(0).max(63);

const hidPosSchema = z
  .object({
    reportId: z.number().int().min(1).max(255),
    lengthOffset: byteOffset,
    aimOffset: byteOffset.nullable(),
    dataOffset: byteOffset,
    dataCapacity: z.number().int().min(1).max(63),
    continuationOffset: byteOffset,
    continuationMask: z.number().int().min(1).max(255),
    enableFeatureReports: z.array(hexBytes).default([]),
  })
  .strict()
  .refine((layout) => layout.dataOffset + layout.dataCapacity <= 64, 'the data field runs past a 64-byte report')
  .refine(
    (layout) =>
      layout.continuationOffset < layout.dataOffset || layout.continuationOffset >= layout.dataOffset + layout.dataCapacity,
    'the continuation flag sits inside the data field',
  );

const profileSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    vendor: z.string().min(1),
    vendorIds: z.array(usbId).min(1),
    productIds: z.array(usbId).default([]),
    hidPos: hidPosSchema.nullable().default(null),
    serial: z
      .object({
        baudRate: z.number().int().positive(),
        framing: z.enum(SERIAL_FRAMINGS),
        triggerOn: hexBytes.optional(),
        triggerOff: hexBytes.optional(),
      })
      .strict()
      .nullable()
      .default(null),
    notes: z.array(z.string()).default([]),
  })
  .strict();

export interface LoadedProfiles {
  profiles: DeviceProfile[];
  problems: HardwareError[];
}

/** Checks profile files (name -> parsed JSON); the bad ones come back as problems. */
export function loadProfiles(files: Readonly<Record<string, unknown>> = BUILT_IN_PROFILE_FILES): LoadedProfiles {
  const profiles: DeviceProfile[] = [];
  const problems: HardwareError[] = [];
  for (const [file, json] of Object.entries(files)) {
    const parsed = profileSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue === undefined ? '' : `${issue.path.map(String).join('.') || '(file)'}: ${issue.message}`;
      problems.push(new HardwareError('profile_invalid', `Device profile ${file} is not valid (${where}); fix the file: its devices are ignored until then.`));
      continue;
    }
    const { notes: _notes, ...profile } = parsed.data;
    profiles.push({
      ...profile,
      serial:
        profile.serial === null
          ? null
          : {
              baudRate: profile.serial.baudRate,
              framing: profile.serial.framing,
              triggerOn: profile.serial.triggerOn ?? null,
              triggerOff: profile.serial.triggerOff ?? null,
            },
    });
  }
  return { profiles, problems };
}

/** The profile for a USB device; a profile naming product ids wins over a vendor-wide one. */
export function findProfile(profiles: readonly DeviceProfile[], vendorId: number | null, productId: number | null): DeviceProfile | null {
  if (vendorId === null) return null;
  const ofVendor = profiles.filter((profile) => profile.vendorIds.includes(vendorId));
  const exact = ofVendor.find((profile) => productId !== null && profile.productIds.includes(productId));
  return exact ?? ofVendor.find((profile) => profile.productIds.length === 0) ?? null;
}

export function formatUsbId(id: number): string {
  return `0x${id.toString(16).padStart(4, '0').toUpperCase()}`;
}
