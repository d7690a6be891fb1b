// expect: clean
import Database from 'better-sqlite3';
import { KIND } from '../common/types.js';
import { server } from './ingest.js';

export const parts = { Database, KIND, server };
