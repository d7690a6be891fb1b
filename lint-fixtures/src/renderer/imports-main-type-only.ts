// expect: crossLayer, crossLayer
// Type-only imports count too: the renderer's types come from src/common.
import type { X } from '../main/x.js';

export type Y = X | import('../main/x.js').X;
