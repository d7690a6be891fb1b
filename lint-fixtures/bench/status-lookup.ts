// expect: clean
import { performance } from 'node:perf_hooks';
import { x } from '../src/main/x.js';
import { KIND } from '../src/common/types.js';

export const parts = { performance, x, KIND };
