// `pccovid-kiosk conformance rules <dir>`: runs EU DCC business-rule tests found under <dir> (any
// depth), in the layout of the DCC business-rules test data: `<RuleID>/rule.json` beside
// `<RuleID>/tests/*.json`.
//
// Each rule.json is one test: it must be a rule in the Gateway's validation-rule format whose
// Logic is valid CertLogic. Each tests/*.json ({ name?, payload, expected, external? }) is one
// test, run as upstream does: if external.validationClock is given, it must lie in the rule's
// [ValidFrom, ValidTo); the rule's Logic, evaluated on { payload, external } exactly as in the
// file (nothing added), must deep-equal `expected` without error.
import { basename, dirname, extname, join } from 'node:path';
import { compileCertLogic } from '../../common/certlogic/compile.js';
import { parseCertLogicDateTime } from '../../common/certlogic/date-time.js';
import { evaluateCompiledCertLogic } from '../../common/certlogic/evaluate.js';
import { certLogicEquals, describeCertLogicValue } from '../../common/certlogic/values.js';
import { parseBusinessRule } from '../../common/rules/business-rule.js';
import { ruleDataContext } from '../../common/rules/validate-rules.js';
import type { CliIo } from '../cli/output.js';
import { ConformanceTally, findFiles, readJsonFile, shorten, type JsonRead } from './conformance-run.js';

type Json = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return shorten(describeCertLogicValue(value));
}

/** What a rule's tests need from its rule.json: the Logic and the validity window. */
type RuleForTests =
  | { ok: true; name: string; logic: ReturnType<typeof compileCertLogic>; validFrom: unknown; validTo: unknown }
  | { ok: false; why: string };

function checkRule(tally: ConformanceTally, file: string, read: JsonRead): RuleForTests {
  const fallbackName = basename(dirname(file));
  if (!read.ok) {
    tally.fail(file, fallbackName, read.why);
    return { ok: false, why: `its rule.json is unusable: ${read.why}` };
  }
  const json = read.value;
  const name = isRecord(json) && typeof json.Identifier === 'string' ? json.Identifier : fallbackName;
  if (!isRecord(json)) {
    tally.fail(file, name, 'a rule must be a JSON object');
    return { ok: false, why: 'its rule.json is not a JSON object' };
  }
  const logic = compileCertLogic(json.Logic);
  const parsed = parseBusinessRule(json);
  const problems = [
    ...(parsed.ok ? [] : parsed.problems),
    ...(logic.ok ? [] : logic.issues.map((issue) => `Logic: ${issue.message} at ${show(issue.expr)}`)),
  ];
  if (problems.length > 0) tally.fail(file, `${name} (rule)`, problems.join('; '));
  else tally.pass();
  return { ok: true, name, logic, validFrom: json.ValidFrom, validTo: json.ValidTo };
}

/** Why the test's validation clock cannot apply to the rule, or undefined when it can. */
function clockProblem(clock: unknown, rule: { validFrom: unknown; validTo: unknown }): string | undefined {
  if (clock === undefined) return undefined;
  if (typeof clock !== 'string') return `external.validationClock is not a string: ${show(clock)}`;
  const now = parseCertLogicDateTime(clock);
  if (now === undefined) return `external.validationClock is not a date-time: "${clock}"`;
  const from = typeof rule.validFrom === 'string' ? parseCertLogicDateTime(rule.validFrom) : undefined;
  const to = typeof rule.validTo === 'string' ? parseCertLogicDateTime(rule.validTo) : undefined;
  if (from === undefined || to === undefined) return 'the rule has no valid ValidFrom/ValidTo to check the validation clock against';
  if (!(from.epochMillis <= now.epochMillis && now.epochMillis < to.epochMillis)) {
    return `external.validationClock ${clock} is not in the rule's validity range [${String(rule.validFrom)}, ${String(rule.validTo)})`;
  }
  return undefined;
}

async function runTest(tally: ConformanceTally, file: string, rule: RuleForTests): Promise<void> {
  const read = await readJsonFile(file);
  const testName = read.ok && isRecord(read.value) && typeof read.value.name === 'string' ? read.value.name : '(no name)';
  const name = `${rule.ok ? rule.name : basename(dirname(dirname(file)))} › ${testName}`;
  if (!rule.ok) return tally.fail(file, name, rule.why);
  if (!read.ok) return tally.fail(file, name, read.why);
  const test = read.value;
  if (!isRecord(test)) return tally.fail(file, name, 'a rule test must be a JSON object');
  if (!('payload' in test)) return tally.fail(file, name, 'the test has no "payload"');
  if (!('expected' in test)) return tally.fail(file, name, 'the test has no "expected"');
  const external = test.external;
  if (external !== undefined && !isRecord(external)) return tally.fail(file, name, '"external" is not a JSON object');
  const clock = clockProblem(external?.validationClock, rule);
  if (clock !== undefined) return tally.fail(file, name, clock);
  if (!rule.logic.ok) return tally.fail(file, name, `the rule's Logic is not valid CertLogic: ${rule.logic.issues[0]?.message ?? ''}`);
  const result = evaluateCompiledCertLogic(rule.logic.value, ruleDataContext(test.payload, external));
  if (!result.ok) {
    return tally.fail(file, name, `evaluation failed (${result.error.code}): ${result.error.message}; expected ${show(test.expected)}`);
  }
  if (!certLogicEquals(result.value, test.expected)) {
    return tally.fail(file, name, `expected ${show(test.expected)}, got ${show(result.value)}`);
  }
  tally.pass();
}

/** Runs every business-rule test under `dir`; prints failures and `N passed, N failed`. */
export async function runRulesConformance(dir: string, io: CliIo): Promise<number> {
  const tally = new ConformanceTally(io);
  const found = await findFiles(dir);
  for (const { path, why } of found.unreadable) tally.fail(path, '(folder)', why);
  const rules = new Map<string, RuleForTests>();
  for (const file of found.files) {
    if (basename(file) === 'rule.json') rules.set(dirname(file), checkRule(tally, file, await readJsonFile(file)));
  }
  for (const file of found.files) {
    const folder = dirname(file);
    if (basename(folder) !== 'tests' || extname(file).toLowerCase() !== '.json') continue;
    await runTest(tally, file, rules.get(dirname(folder)) ?? (await ruleBeside(dirname(folder))));
  }
  return tally.finish(dir);
}

/** A tests/ folder whose rule.json was not under <dir> (e.g. <dir> is the tests/ folder itself). */
async function ruleBeside(ruleFolder: string): Promise<RuleForTests> {
  const read = await readJsonFile(join(ruleFolder, 'rule.json'));
  if (!read.ok) return { ok: false, why: `no usable rule.json in the folder above tests/: ${read.why}` };
  const json = read.value;
  if (!isRecord(json)) return { ok: false, why: 'its rule.json is not a JSON object' };
  return {
    ok: true,
    name: typeof json.Identifier === 'string' ? json.Identifier : basename(ruleFolder),
    logic: compileCertLogic(json.Logic),
    validFrom: json.ValidFrom,
    validTo: json.ValidTo,
  };
}
