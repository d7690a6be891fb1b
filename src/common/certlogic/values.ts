// The values CertLogic computes with: JSON values plus date-times. Date-times exist only as
// results of plusTime and dccDateOfBirth (SPEC.md "Dates and date-times"); they are never JSON
// literals, never truthy or falsy, and compare only with after/before/not-after/not-before.

/** A date-time with millisecond precision, as an instant (milliseconds since 1970-01-01Z). */
export class CertLogicDateTime {
  private constructor(readonly epochMillis: number) {}

  /** The date-time at this instant, or undefined outside the range of ECMAScript dates. */
  static fromEpochMillis(epochMillis: number): CertLogicDateTime | undefined {
    if (!Number.isInteger(epochMillis) || Math.abs(epochMillis) > MAX_EPOCH_MILLIS) return undefined;
    return new CertLogicDateTime(epochMillis);
  }

  toISOString(): string {
    return new Date(this.epochMillis).toISOString();
  }

  /** So that results and failure messages print as the instant, not as `{}`. */
  toJSON(): string {
    return this.toISOString();
  }
}

/** ECMAScript's time value range (±100,000,000 days around the epoch). */
const MAX_EPOCH_MILLIS = 8.64e15;

export type CertLogicValue =
  | null
  | boolean
  | number
  | string
  | CertLogicDateTime
  | readonly CertLogicValue[]
  | CertLogicObject;

export interface CertLogicObject {
  readonly [key: string]: CertLogicValue;
}

export function isCertLogicInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

/** A JSON object (not an array, not null, not a date-time). */
export function isCertLogicObject(value: unknown): value is CertLogicObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof CertLogicDateTime);
}

/**
 * CertLogic's truthiness (SPEC.md "Truthy and falsy values"), narrower than JavaScript's and
 * JsonLogic's: falsy are false, null, "", 0, [] and {}; truthy are true, non-empty strings,
 * non-zero integers, non-empty arrays and non-empty objects. Everything else (non-integer
 * numbers, date-times) is neither, and an operation that needs a truth value fails on it.
 */
export type Truthiness = 'truthy' | 'falsy' | 'neither';

export function truthinessOf(value: unknown): Truthiness {
  if (value === null || value === false) return 'falsy';
  if (value === true) return 'truthy';
  if (typeof value === 'string') return value === '' ? 'falsy' : 'truthy';
  if (typeof value === 'number') {
    if (value === 0) return 'falsy';
    return Number.isInteger(value) ? 'truthy' : 'neither';
  }
  if (Array.isArray(value)) return value.length === 0 ? 'falsy' : 'truthy';
  if (isCertLogicObject(value)) return Object.keys(value).length === 0 ? 'falsy' : 'truthy';
  return 'neither';
}

/**
 * Equality without type coercion, used by `===` and `in`. The specification guarantees it only
 * for strings and integers; for the other values this is structural equality (arrays and objects
 * member by member, date-times by instant), never JavaScript's identity of references.
 */
export function certLogicEquals(left: unknown, right: unknown): boolean {
  if (left instanceof CertLogicDateTime || right instanceof CertLogicDateTime) {
    return (
      left instanceof CertLogicDateTime && right instanceof CertLogicDateTime && left.epochMillis === right.epochMillis
    );
  }
  if (Array.isArray(left) || Array.isArray(right)) {
    if (!Array.isArray(left) || !Array.isArray(right) || left.length !== right.length) return false;
    return left.every((item: unknown, index) => certLogicEquals(item, right[index]));
  }
  if (isCertLogicObject(left) || isCertLogicObject(right)) {
    if (!isCertLogicObject(left) || !isCertLogicObject(right)) return false;
    const keys = Object.keys(left);
    if (keys.length !== Object.keys(right).length) return false;
    return keys.every((key) => Object.hasOwn(right, key) && certLogicEquals(left[key], right[key]));
  }
  return left === right;
}

/** A value for people and logs: JSON, with date-times marked as such. */
export function describeCertLogicValue(value: unknown): string {
  if (value instanceof CertLogicDateTime) return `date-time ${value.toISOString()}`;
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch (_error) {
    return String(value);
  }
}
