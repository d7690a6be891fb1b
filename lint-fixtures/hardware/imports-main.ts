// expect: crossLayer
import { x } from '../src/main/x.js';

export const y = x;
