// `pccovid-kiosk conformance certlogic <dir>`: runs the CertLogic specification's test files found
// under <dir> (any depth) against src/common/certlogic.
//
// Two layouts, told apart per case (README of the test data, schemas/):
// - evaluator tests: { name, directive?, cases: [{ name, directive?, certLogicExpression?,
//   assertions: [{ data, expected, certLogicExpression?, message?, directive? }] }] }; one test per
//   assertion: the assertion's expression (else the case's) evaluated on `data` must deep-equal
//   `expected` without error.
// - validator tests: { name, directive?, cases: [{ name?, directive?, certLogicExpression,
//   issues: [{ expr, message }] }] }; one test per case: the issues found must match in number and
//   in `expr`, in order (the message wording is certlogic-js's, so it is not compared).
// "skip" on a suite, case or assertion means not run; "only" (a focus marker while writing
// tests) is ignored, so a conformance run always runs everything else. JSON Schema files
// (with "$schema") are not test files; any other .json file must be a test file.
import { extname } from 'node:path';
import { validateCertLogic } from '../../common/certlogic/compile.js';
import { evaluateCertLogic } from '../../common/certlogic/evaluate.js';
import { certLogicEquals, describeCertLogicValue } from '../../common/certlogic/values.js';
import type { CliIo } from '../cli/output.js';
import { ConformanceTally, findFiles, readJsonFile, shorten } from './conformance-run.js';

type Directive = 'skip' | 'only' | undefined;

type Json = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function directiveOf(item: Json): Directive | { invalid: string } {
  const directive = item.directive;
  if (directive === undefined || directive === 'skip' || directive === 'only') return directive;
  return { invalid: `directive must be "skip" or "only", not ${describeCertLogicValue(directive)}` };
}

function countAssertions(cases: readonly unknown[]): number {
  return cases.reduce<number>((total, testCase) => {
    if (!isRecord(testCase)) return total + 1;
    if (Array.isArray(testCase.assertions)) return total + testCase.assertions.length;
    return total + 1;
  }, 0);
}

function show(value: unknown): string {
  return shorten(describeCertLogicValue(value));
}

function runAssertion(tally: ConformanceTally, file: string, name: string, testCase: Json, assertion: unknown): void {
  if (!isRecord(assertion)) {
    tally.fail(file, name, 'the assertion is not a JSON object');
    return;
  }
  const directive = directiveOf(assertion);
  if (typeof directive === 'object') return tally.fail(file, name, directive.invalid);
  if (directive === 'skip') return tally.skip();
  if (!('data' in assertion)) return tally.fail(file, name, 'the assertion has no "data"');
  if (!('expected' in assertion)) return tally.fail(file, name, 'the assertion has no "expected"');
  const expression = 'certLogicExpression' in assertion ? assertion.certLogicExpression : testCase.certLogicExpression;
  if (expression === undefined) return tally.fail(file, name, 'neither the assertion nor its case has a "certLogicExpression"');
  const result = evaluateCertLogic(expression, assertion.data);
  if (!result.ok) {
    return tally.fail(file, name, `evaluation failed (${result.error.code}): ${result.error.message}; expected ${show(assertion.expected)}`);
  }
  if (!certLogicEquals(result.value, assertion.expected)) {
    return tally.fail(file, name, `expected ${show(assertion.expected)}, got ${show(result.value)}`);
  }
  tally.pass();
}

function runValidationCase(tally: ConformanceTally, file: string, name: string, testCase: Json): void {
  if (!('certLogicExpression' in testCase)) return tally.fail(file, name, 'the case has no "certLogicExpression"');
  const expectedIssues = testCase.issues;
  if (!Array.isArray(expectedIssues) || !expectedIssues.every((issue) => isRecord(issue) && 'expr' in issue)) {
    return tally.fail(file, name, '"issues" is not a list of { expr, message }');
  }
  const actual = validateCertLogic(testCase.certLogicExpression);
  const expectedExprs = expectedIssues.map((issue: Json) => issue.expr);
  const actualExprs = actual.map((issue) => issue.expr);
  if (!certLogicEquals(actualExprs, expectedExprs)) {
    const found = actual.length === 0 ? 'no issues' : actual.map((issue) => `${show(issue.expr)} (${issue.message})`).join('; ');
    return tally.fail(file, name, `expected ${expectedIssues.length} issue(s) on ${show(expectedExprs)}, found ${found}`);
  }
  tally.pass();
}

function runCase(tally: ConformanceTally, file: string, suiteName: string, testCase: unknown, index: number): void {
  const label = isRecord(testCase) && typeof testCase.name === 'string' ? testCase.name : `case #${index + 1}`;
  const caseName = `${suiteName} › ${label}`;
  if (!isRecord(testCase)) return tally.fail(file, caseName, 'the case is not a JSON object');
  const directive = directiveOf(testCase);
  if (typeof directive === 'object') return tally.fail(file, caseName, directive.invalid);
  const hasAssertions = 'assertions' in testCase;
  const hasIssues = 'issues' in testCase;
  if (hasAssertions === hasIssues) {
    return tally.fail(file, caseName, 'the case must have either "assertions" (evaluator test) or "issues" (validator test)');
  }
  if (hasIssues) {
    if (directive === 'skip') return tally.skip();
    return runValidationCase(tally, file, caseName, testCase);
  }
  const assertions = testCase.assertions;
  if (!Array.isArray(assertions)) return tally.fail(file, caseName, '"assertions" is not a list');
  if (directive === 'skip') return tally.skip(assertions.length);
  assertions.forEach((assertion: unknown, position) => {
    const message = isRecord(assertion) && typeof assertion.message === 'string' ? ` (${assertion.message})` : '';
    runAssertion(tally, file, `${caseName} › assertion #${position + 1}${message}`, testCase, assertion);
  });
}

async function runFile(tally: ConformanceTally, file: string): Promise<void> {
  const read = await readJsonFile(file);
  if (!read.ok) return tally.fail(file, '(test file)', read.why);
  const suite = read.value;
  if (isRecord(suite) && '$schema' in suite) return; // a JSON Schema of the layout, not a test file
  if (!isRecord(suite)) return tally.fail(file, '(test file)', 'not a CertLogic test suite: the file is not a JSON object');
  const cases = suite.cases;
  if (!Array.isArray(cases)) return tally.fail(file, '(test file)', 'not a CertLogic test suite: "cases" is not a list');
  const suiteName = typeof suite.name === 'string' ? suite.name : '(unnamed suite)';
  const directive = directiveOf(suite);
  if (typeof directive === 'object') return tally.fail(file, suiteName, directive.invalid);
  if (directive === 'skip') return tally.skip(countAssertions(cases));
  cases.forEach((testCase: unknown, index) => runCase(tally, file, suiteName, testCase, index));
}

/** Runs every CertLogic test file under `dir`; prints failures and `N passed, N failed`. */
export async function runCertLogicConformance(dir: string, io: CliIo): Promise<number> {
  const tally = new ConformanceTally(io);
  const found = await findFiles(dir);
  for (const { path, why } of found.unreadable) tally.fail(path, '(folder)', why);
  for (const file of found.files) {
    if (extname(file).toLowerCase() === '.json') await runFile(tally, file);
  }
  return tally.finish(dir);
}
