// expect: electron, sqlite
import { app } from 'electron';
import Database from 'better-sqlite3';

export const where = () => new Database(app.getPath('userData'));
