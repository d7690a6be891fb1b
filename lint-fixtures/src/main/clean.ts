// expect: clean
import { readFile } from 'node:fs/promises';
import os from 'os';
import Database from 'better-sqlite3';
import pino from 'pino';
import { KIND } from '../common/types.js';
import { ScanEvents } from '../../hardware/scanner-events.js';
import { x } from './x.js';

export const parts = { readFile, os, Database, pino, KIND, ScanEvents, x };
export const later = () => import('./x.js');
