// expect: crossLayer
import { x } from '../main/x.js';

export const y = x;
