// expect: nodeBuiltin, nodeBuiltin
import { readFileSync } from 'node:fs';
import { createHash } from 'crypto';

export const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest();
