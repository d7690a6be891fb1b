// expect: clean
import type { SubjectId } from '../common/types.js';

export function showSubject(id: SubjectId): string {
  return id;
}
