// expect: clean
import { x } from '../../src/main/x.js';
import { server } from '../../src/hub/ingest.js';
import { readFile } from 'node:fs/promises';

export const fixedClock = { x, server, readFile };
