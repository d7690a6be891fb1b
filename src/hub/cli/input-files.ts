// The files the publisher commands read: JSON Lines of status records, changes and aliases
// (one object a line, so a country's worth streams), JSON for signer lists and policies.
// A bad line is reported by number, never by its content: it may hold a person's id.
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { SignerListPayload } from '../../common/bundle/signer-list.js';
import type { StatusRecord } from '../../common/bundle/status-record.js';
import { HEALTH_STATUSES } from '../../common/types/credential.js';
import { isIsoDate } from '../../common/types/dates.js';
import type { StatusPolicy } from '../../common/types/policy.js';
import { OUTCOMES } from '../../common/types/verdict.js';
import type { AliasRecord, StatusChange, SubjectStatusRecord } from '../publisher/status-builders.js';

export class InputError extends Error {
  override name = 'InputError';
}

const isoDate = z.string().refine(isIsoDate, 'a YYYY-MM-DD date');
/** Instants are ISO 8601 with a zone ("2026-11-27T07:00:00Z") or milliseconds since the epoch. */
const instant = z.union([
  z.number().int().nonnegative(),
  z
    .string()
    .refine((s) => /[zZ]|[+-]\d\d:\d\d$/.test(s) && !Number.isNaN(Date.parse(s)), 'an ISO 8601 instant with a time zone')
    .transform((s) => Date.parse(s)),
]);

const recordFields = {
  id: z.string().min(1),
  status: z.enum(HEALTH_STATUSES),
  doses: z.number().int().min(0).max(255).default(0),
  lastDoseDate: isoDate.nullable().default(null),
  lastNegativeTestAt: instant.nullable().default(null),
  recoveryDate: isoDate.nullable().default(null),
  validUntil: instant,
};
const recordLine = z.object(recordFields).strict();
const changeLine = z.union([recordLine, z.object({ id: z.string().min(1), removed: z.literal(true) }).strict()]);
const aliasLine = z.object({ alias: z.string().min(1), id: z.string().min(1) }).strict();

function toRecord(line: z.infer<typeof recordLine>): StatusRecord {
  return {
    status: line.status,
    doses: line.doses,
    lastDoseDate: line.lastDoseDate,
    lastNegativeTestAt: line.lastNegativeTestAt,
    recoveryDate: line.recoveryDate,
    validUntil: line.validUntil,
  };
}

async function* jsonLines<T>(path: string, schema: z.ZodType<T>): AsyncGenerator<T> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number++;
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new InputError(`${path}, line ${number}: not JSON`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InputError(`${path}, line ${number}: ${issue?.path.join('.') || 'line'}: ${issue?.message ?? 'invalid'}`);
    }
    yield parsed.data;
  }
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

export async function readStatusRecords(path: string): Promise<SubjectStatusRecord[]> {
  const lines = await collect(jsonLines(path, recordLine));
  return lines.map((line) => ({ id: line.id, record: toRecord(line) }));
}

export async function readStatusChanges(path: string): Promise<StatusChange[]> {
  const lines = await collect(jsonLines(path, changeLine));
  return lines.map((line) => ('removed' in line ? { id: line.id, record: null } : { id: line.id, record: toRecord(line) }));
}

export async function readAliases(path: string): Promise<AliasRecord[]> {
  return collect(jsonLines(path, aliasLine));
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError(`${path}: ${(error as Error).message}`);
  }
}

function parsed<T>(path: string, schema: z.ZodType<T>): T {
  const result = schema.safeParse(readJson(path));
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InputError(`${path}: ${issue?.path.join('.') || 'file'}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

const base64 = z.string().transform((s) => new Uint8Array(Buffer.from(s, 'base64')));
const hex = z.string().regex(/^([0-9a-fA-F]{2})+$/, 'hex bytes').transform((s) => new Uint8Array(Buffer.from(s, 'hex')));

const signersFile = z
  .object({
    issuerKeys: z
      .array(z.object({ kid: hex, issuer: z.string().min(1), alg: z.enum(['EdDSA', 'ES256', 'PS256']), publicKey: base64 }).strict())
      .default([]),
    dccSigners: z.array(z.object({ kid: base64, country: z.string().regex(/^[A-Z]{2}$/), certificate: base64 }).strict()).default([]),
  })
  .strict();

/** {"issuerKeys": [{kid (hex), issuer, alg, publicKey (SPKI DER, base64)}], "dccSigners": [{kid (base64), country, certificate (DER, base64)}]} */
export function readSignerList(path: string): SignerListPayload {
  const file = parsed(path, signersFile);
  return {
    issuerKeys: file.issuerKeys.map((k) => ({ kid: k.kid, issuer: k.issuer, alg: k.alg, publicKeySpki: k.publicKey })),
    dccSigners: file.dccSigners,
  };
}

const policyFile = z
  .object({
    id: z.string().min(1),
    outcomes: z.object(Object.fromEntries(HEALTH_STATUSES.map((s) => [s, z.enum(OUTCOMES)])) as Record<(typeof HEALTH_STATUSES)[number], z.ZodEnum<{ [K in (typeof OUTCOMES)[number]]: K }>>),
  })
  .strict();

/** {"id": "...", "outcomes": {"green": "admit", "yellow": "review", "red": "deny", "unknown": "review"}} */
export function readPolicy(path: string): StatusPolicy {
  const file = parsed(path, policyFile);
  return { kind: 'status', id: file.id, outcomes: file.outcomes };
}
