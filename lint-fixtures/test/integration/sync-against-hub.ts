// expect: clean
// The harness may import any layer: the sync client is tested against the real hub on loopback.
import { x } from '../../src/main/x.js';
import { server } from '../../src/hub/ingest.js';
import { showSubject } from '../../src/renderer/view.js';
import { ScanEvents } from '../../hardware/scanner-events.js';
import { fixedClock } from '../helpers/clock.js';

export const parts = { x, server, showSubject, ScanEvents, fixedClock };
