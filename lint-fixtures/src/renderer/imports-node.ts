// expect: nodeBuiltin, nodeBuiltin
import { readFile } from 'node:fs/promises';
import path from 'path';

export const load = (name: string) => readFile(path.join('.', name));
