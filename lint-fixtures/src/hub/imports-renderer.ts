// expect: crossLayer
import { showSubject } from '../renderer/view.js';

export const show = showSubject;
