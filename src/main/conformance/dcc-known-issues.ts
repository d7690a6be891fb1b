// Known errors in DCC test files themselves. The dgc-testdata repository keeps such a list for its
// own test run (tests/known_issues.csv: each row an upstream issue, the file expected to fail);
// `conformance dcc` keeps the same knowledge, narrower: a file is named by the SHA-256 of its
// content, not its name, so a corrected file (or an unseen one that happens to share the name) is
// checked in full, and an entry excuses a flag only when the step failed because the file's JSON
// differs from the signed payload at the listed paths and nowhere else. `--strict` applies none.
// The content hash is over canonical JSON (keys sorted, no spaces), so a copy saved with other
// line endings or indentation is still the same file.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { describeSchemaIssues } from '../../common/types/schema-issues.js';
import { readJsonFile } from './conformance-run.js';
import shipped from './dcc-known-issues.json' with { type: 'json' };

const FLAG = z.enum(['EXPECTEDDECODE', 'EXPECTEDVALIDJSON', 'EXPECTEDENCODE']);

const KNOWN_ISSUES_FILE = z.strictObject({
  $comment: z.string().optional(),
  issues: z.array(
    z.strictObject({
      file: z.string().min(1),
      sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be the 64 lower-case hex digits of a SHA-256 (of the file’s JSON with keys sorted and no spaces)'),
      issue: z.string().min(1),
      why: z.string().min(1),
      flags: z.partialRecord(FLAG, z.array(z.string().regex(/^(\/[^/]*)+$/, 'must be a JSON pointer such as /t/0/sc')).min(1)),
    }),
  ),
});

export type KnownIssueFlag = z.infer<typeof FLAG>;

export interface KnownIssue {
  /** Where the file sat in the corpus it was found in; for people, never matched. */
  readonly file: string;
  /** SHA-256 of the file's canonical JSON (knownIssueHash). */
  readonly sha256: string;
  /** The upstream report. */
  readonly issue: string;
  readonly why: string;
  /** Per flag, the JSON pointers at which the file's JSON may differ from the signed payload. */
  readonly flags: Readonly<Partial<Record<KnownIssueFlag, readonly string[]>>>;
}

/** JSON with object keys sorted and no spaces: the same text for the same content, however saved. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What names a test file in the list: the SHA-256 (hex) of its parsed content as canonical JSON. */
export function knownIssueHash(content: unknown): string {
  return createHash('sha256').update(canonicalJson(content), 'utf8').digest('hex');
}

export class KnownIssuesError extends Error {
  override name = 'KnownIssuesError';
}

function parseKnownIssues(json: unknown, source: string): KnownIssue[] {
  const parsed = KNOWN_ISSUES_FILE.safeParse(json);
  if (!parsed.success) {
    throw new KnownIssuesError(`${source} is not a list of known test-file errors (${describeSchemaIssues(parsed.error.issues, 'the file')})`);
  }
  return parsed.data.issues;
}

/** The list shipped with the kiosk. */
export function shippedKnownIssues(): KnownIssue[] {
  return parseKnownIssues(shipped, 'the shipped dcc-known-issues.json');
}

/** A list of the same format from a file (`--known-issues FILE`), added to the shipped one. */
export async function readKnownIssues(path: string): Promise<KnownIssue[]> {
  const read = await readJsonFile(path);
  if (!read.ok) throw new KnownIssuesError(`${path}: ${read.why}`);
  return parseKnownIssues(read.value, path);
}

/** Known issues by the SHA-256 of their file's content (knownIssueHash). */
export type KnownIssues = ReadonlyMap<string, KnownIssue>;

export function knownIssuesBySha(issues: readonly KnownIssue[]): KnownIssues {
  return new Map(issues.map((issue) => [issue.sha256, issue]));
}

/**
 * Whether a known issue excuses a failed step: the flag is listed and the step failed only
 * because JSON and the decoded payload differ, at listed paths alone.
 */
export function excuses(issue: KnownIssue, flag: string, differences: readonly string[] | undefined): boolean {
  const allowed = issue.flags[flag as KnownIssueFlag];
  if (allowed === undefined || differences === undefined || differences.length === 0) return false;
  return differences.every((path) => allowed.includes(path));
}
