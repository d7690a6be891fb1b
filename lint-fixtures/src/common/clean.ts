// expect: clean
import { z } from 'zod';
import { KIND, type SubjectId } from './types.js';
import type { X } from '../common/types.js';

export const schema = z.object({ kind: z.literal(KIND) });
export type Both = SubjectId | X;
