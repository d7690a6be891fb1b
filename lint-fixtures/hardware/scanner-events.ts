// expect: clean
import { EventEmitter } from 'node:events';
import type { SubjectId } from '../src/common/types.js';

export class ScanEvents extends EventEmitter {
  last: SubjectId | undefined;
}
