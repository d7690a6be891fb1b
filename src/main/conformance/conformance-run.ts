// What the conformance suites share: finding files under a folder, reading JSON without
// throwing, and the tally that prints one line per failure and then `N passed, N failed`.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CliIo } from '../cli/output.js';

export type JsonRead = { ok: true; value: unknown } | { ok: false; why: string };

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Reads and parses a JSON file; an unreadable or malformed file is a reason, never a throw. */
export async function readJsonFile(path: string): Promise<JsonRead> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return { ok: false, why: `cannot read the file: ${messageOf(error)}` };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, why: `not valid JSON: ${messageOf(error)}` };
  }
}

export interface FoundFiles {
  /** Every regular file under the folder (symbolic links to files included), sorted. */
  readonly files: readonly string[];
  /** Folders that could not be listed, with why. */
  readonly unreadable: readonly { path: string; why: string }[];
}

/** Walks `dir` recursively. Symbolic links to folders are not followed (no cycles). */
export async function findFiles(dir: string): Promise<FoundFiles> {
  const files: string[] = [];
  const unreadable: { path: string; why: string }[] = [];
  const walk = async (folder: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      unreadable.push({ path: folder, why: `cannot list the folder: ${messageOf(error)}` });
      return;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) files.push(path);
      else if (entry.isSymbolicLink()) {
        const target = await stat(path).catch(() => undefined);
        if (target?.isFile() === true) files.push(path);
      }
    }
  };
  await walk(dir);
  files.sort();
  return { files, unreadable };
}

/** Counts results and prints each failure as `FAIL <file>: <test>: <why>`. */
export class ConformanceTally {
  private passedCount = 0;
  private failedCount = 0;
  private skippedCount = 0;

  constructor(private readonly io: CliIo) {}

  pass(): void {
    this.passedCount += 1;
  }

  skip(count = 1): void {
    this.skippedCount += count;
  }

  fail(file: string, test: string, why: string): void {
    this.failedCount += 1;
    this.io.out(`FAIL ${file}: ${test}: ${oneLine(why)}`);
  }

  get failed(): number {
    return this.failedCount;
  }

  /** Prints the summary line last and returns the exit code: 0 only when tests ran and none failed. */
  finish(dir: string): number {
    if (this.skippedCount > 0) this.io.err(`${this.skippedCount} skipped (marked "skip" in their files)`);
    if (this.passedCount + this.failedCount === 0) this.io.err(`no test files of this suite's layout found under ${dir}`);
    this.io.out(`${this.passedCount} passed, ${this.failedCount} failed`);
    return this.failedCount === 0 && this.passedCount > 0 ? 0 : 1;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

/** At most `max` characters of a JSON rendering, for failure lines. */
export function shorten(text: string, max = 300): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
