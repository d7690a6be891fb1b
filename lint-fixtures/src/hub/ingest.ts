// expect: clean
import { createServer } from 'node:http';
import Database from 'better-sqlite3';
import { KIND } from '../common/types.js';

export const server = createServer();
export const db = new Database(':memory:');
export const kind = KIND;
