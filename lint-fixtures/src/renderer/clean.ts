// expect: clean
import { z } from 'zod';
import { KIND } from '../common/types.js';
import { showSubject } from './view.js';

export const render = () => showSubject(`VN-ID:${z.string().parse(KIND)}`);
