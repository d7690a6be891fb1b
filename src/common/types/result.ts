// A stage either succeeds with a value or fails with a reason; stages never throw on bad input.
import type { Reason } from './reasons.js';

export type StageResult<T> = { ok: true; value: T } | { ok: false; reason: Reason };

export function stageOk<T>(value: T): StageResult<T> {
  return { ok: true, value };
}

export function stageFail<T>(reason: Reason): StageResult<T> {
  return { ok: false, reason };
}
