// pccovid-hub import <app> <file>, import conflicts, publish-aliases: the migration of the
// earlier apps' records (src/hub/import/README.md) and the alias map kiosks resolve old codes by.
import { parseArgs } from 'node:util';
import { openPublisherDirectory, epochKeyOf } from '../publisher/publisher-directory.js';
import { bundleBytes } from '../publisher/publisher.js';
import { shelveBundle } from '../publisher/bundle-shelf.js';
import { buildAliasMapPayload, type AliasRecord } from '../publisher/status-builders.js';
import { IMPORT_APPS, type ImportApp } from '../import/formats.js';
import { importExport, type ImportSummary } from '../import/importer.js';
import { openHubDataDir, type HubReadableDB } from '../store/hub-database.js';
import { cachedStatement } from '../store/statement-cache.js';
import type { HubCliIo } from './ingest-commands.js';

export const IMPORT_USAGE = `Migration of the earlier apps (layouts: src/hub/import/README.md):
  import <${IMPORT_APPS.join('|')}> FILE --data-dir D
                                Streams the export in; prints a summary. Re-running changes nothing.
  import conflicts --data-dir D  The records not linked because name or date of birth differ.
  publish-aliases --data-dir D --dir P --epoch N [--valid-hours H]
                                The alias map (every old id → its subject), signed and served.`;

export class ImportUsageError extends Error {
  override name = 'ImportUsageError';
}

function progressLine(summary: ImportSummary): string {
  return `\r${summary.lines} lines: ${summary.created} new, ${summary.linked} linked, ${summary.unchanged} unchanged, ${summary.conflicts} conflicts, ${summary.rejected.length} rejected`;
}

export async function importCommand(argv: readonly string[], io: HubCliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...argv], options: { 'data-dir': { type: 'string' } }, allowPositionals: true, strict: true });
  const dataDir = values['data-dir'];
  if (dataDir === undefined) throw new ImportUsageError('import needs --data-dir');
  const [app, file, extra] = positionals;
  if (app === 'conflicts') {
    const db = openHubDataDir(dataDir);
    try {
      for (const row of cachedStatement(db, 'SELECT app, record_id AS recordId, subject_id AS subjectId, field, on_file AS onFile, in_import AS inImport, file, line FROM import_conflicts ORDER BY id').iterate()) {
        io.out(JSON.stringify(row));
      }
      return 0;
    } finally {
      db.close();
    }
  }
  if (app === undefined || !(IMPORT_APPS as readonly string[]).includes(app) || file === undefined || extra !== undefined) {
    throw new ImportUsageError(`import takes an app (${IMPORT_APPS.join(', ')}) and one file`);
  }
  const db = openHubDataDir(dataDir);
  try {
    const tty = process.stderr.isTTY;
    const summary = await importExport(db, app as ImportApp, file, tty ? { onProgress: (s) => process.stderr.write(progressLine(s)) } : {});
    if (tty) process.stderr.write('\n');
    io.out(JSON.stringify({ app, file, ...summary }));
    if (summary.conflicts > 0) io.err(`pccovid-hub: ${summary.conflicts} records differ from the subject on file and were not linked; see "pccovid-hub import conflicts".`);
    return summary.rejected.length > 0 ? 65 : 0;
  } finally {
    db.close();
  }
}

function* aliasesOf(db: HubReadableDB): Generator<AliasRecord> {
  for (const row of cachedStatement(db, 'SELECT alias, subject_id AS id FROM subject_aliases ORDER BY alias').iterate()) yield row as AliasRecord;
}

export function publishAliasesCommand(argv: readonly string[], io: HubCliIo): number {
  const { values } = parseArgs({
    args: [...argv],
    options: { 'data-dir': { type: 'string' }, dir: { type: 'string' }, epoch: { type: 'string' }, 'valid-hours': { type: 'string' } },
    strict: true,
  });
  const dataDir = values['data-dir'];
  const dir = values.dir;
  const epoch = Number(values.epoch);
  const hours = values['valid-hours'] === undefined ? 24 : Number(values['valid-hours']);
  if (dataDir === undefined || dir === undefined || !Number.isSafeInteger(epoch) || epoch < 0) {
    throw new ImportUsageError('publish-aliases needs --data-dir, --dir and --epoch N');
  }
  if (!Number.isFinite(hours) || hours <= 0) throw new ImportUsageError('--valid-hours must be more than 0');
  const db = openHubDataDir(dataDir);
  try {
    const directory = openPublisherDirectory(dir);
    const aliases = [...aliasesOf(db)];
    const payload = buildAliasMapPayload(aliases, { epoch, epochKey: epochKeyOf(dir, epoch, false) });
    const bundle = directory.publisher.publish({ type: 'alias-map', payload, validForMs: hours * 3_600_000, epoch });
    directory.save();
    io.out(JSON.stringify({ ...shelveBundle(db, dataDir, bundleBytes(bundle), Date.now()), entries: aliases.length }));
    return 0;
  } finally {
    db.close();
  }
}
