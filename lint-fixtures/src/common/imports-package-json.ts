// expect: crossLayer
// Outside src/common, even at the repository root.
import pkg from '../../package.json' with { type: 'json' };

export const version: unknown = pkg;
