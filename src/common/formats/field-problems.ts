// Collects every field a document gets wrong, so one reason names them all: a guard told
// "date of birth, sex" checks both at once instead of rescanning twice.
import type { ReasonCode } from '../types/reasons.js';
import { stageFail, type StageResult } from '../types/result.js';

export class FieldProblems {
  private readonly problems: string[] = [];

  add(field: string, problem: string): void {
    this.problems.push(`${field}: ${problem}`);
  }

  get empty(): boolean {
    return this.problems.length === 0;
  }

  fail<T>(code: ReasonCode = 'document_fields_invalid'): StageResult<T> {
    return stageFail({ code, detail: this.problems.join('; ') });
  }
}
