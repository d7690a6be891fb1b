// expect: crossLayer
import { ScanEvents } from '../../hardware/scanner-events.js';

export const events = new ScanEvents();
