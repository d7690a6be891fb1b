// Prepared statements, prepared once per connection: ingest runs thousands of inserts a second
// and preparing costs as much as running.
import type Database from 'better-sqlite3';
import { cachedPerOwner } from '../../common/memo/per-owner-cache.js';

export function cachedStatement(db: Database.Database, sql: string): Database.Statement {
  return cachedPerOwner(db, sql, () => db.prepare(sql));
}
