// expect: clean
import HID from 'node-hid';
import type { SubjectId } from '../../src/common/types.js';
import { ScanEvents } from '../scanner-events.js';

export const parts = { HID, ScanEvents };
export type Id = SubjectId;
