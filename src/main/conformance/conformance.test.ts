import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/main.js';
import type { CliIo } from '../cli/output.js';
import { runCertLogicConformance } from './certlogic.js';
import { runRulesConformance } from './rules.js';
import { CONFORMANCE_SUITES } from './suites.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));
const CERTLOGIC_FIXTURES = join(FIXTURES, 'certlogic');
const RULES_FIXTURES = join(FIXTURES, 'business-rules');

function capture(): CliIo & { lines: string[]; stderr: string[] } {
  const lines: string[] = [];
  const stderr: string[] = [];
  return { lines, stderr, out: (text) => lines.push(text), err: (text) => stderr.push(text) };
}

function summary(io: { lines: string[] }): { passed: number; failed: number } {
  const last = io.lines.at(-1) ?? '';
  const match = /^(\d+) passed, (\d+) failed$/.exec(last);
  if (match === null) throw new Error(`the last line is not the summary: "${last}"`);
  return { passed: Number(match[1]), failed: Number(match[2]) };
}

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'pccovid-conformance-'));

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, JSON.stringify(value, null, 2));
}

describe('conformance certlogic', () => {
  it('passes the whole CertLogic specification test suite (evaluator and validator tests)', async () => {
    const io = capture();
    expect(await runCertLogicConformance(CERTLOGIC_FIXTURES, io)).toBe(0);
    // 218 evaluator assertions that are not skipped + 23 validator cases.
    expect(summary(io)).toEqual({ passed: 241, failed: 0 });
    expect(io.lines).toHaveLength(1);
    expect(io.stderr).toEqual(['14 skipped (marked "skip" in their files)']);
  });

  it('reports broken and failing test files as failures, with path and why, and exits 1', async () => {
    const dir = tempDir();
    cpSync(join(CERTLOGIC_FIXTURES, 'spec-tests', 'if.json'), join(dir, 'if.json'));
    writeFileSync(join(dir, 'truncated.json'), '{ "name": "cut", "cases": [');
    writeJson(join(dir, 'no-cases.json'), { name: 'no cases here' });
    writeJson(join(dir, 'wrong.json'), {
      name: 'wrong expectations',
      cases: [
        { name: 'wrong value', certLogicExpression: { '+': [1, 1] }, assertions: [{ data: {}, expected: 3 }] },
        { name: 'throws', certLogicExpression: { '+': [1, { var: 'x' }] }, assertions: [{ data: {}, expected: 1 }] },
        { name: 'no data', certLogicExpression: true, assertions: [{ expected: true }] },
        { name: 'neither', certLogicExpression: true },
        { certLogicExpression: { var: 0 }, issues: [] },
      ],
    });
    const io = capture();
    expect(await runCertLogicConformance(dir, io)).toBe(1);
    expect(summary(io)).toEqual({ passed: 5, failed: 7 });
    const failures = io.lines.slice(0, -1);
    expect(failures).toHaveLength(7);
    expect(failures).toContainEqual(expect.stringMatching(/^FAIL .*truncated\.json: \(test file\): not valid JSON/));
    expect(failures).toContainEqual(expect.stringMatching(/^FAIL .*no-cases\.json: \(test file\): .*"cases" is not a list/));
    expect(failures).toContainEqual('FAIL ' + join(dir, 'wrong.json') + ': wrong expectations › wrong value › assertion #1: expected 3, got 2');
    expect(failures).toContainEqual(expect.stringMatching(/wrong\.json: wrong expectations › throws › assertion #1: evaluation failed \(invalid_operand\)/));
    expect(failures).toContainEqual(expect.stringMatching(/› no data › assertion #1: the assertion has no "data"/));
    expect(failures).toContainEqual(expect.stringMatching(/› neither: the case must have either "assertions"/));
    expect(failures).toContainEqual(expect.stringMatching(/› case #5: expected 0 issue\(s\) on \[\], found \{"var":0\}/));
  });

  it('reports a folder that does not exist instead of crashing', async () => {
    const io = capture();
    expect(await runCertLogicConformance(join(tempDir(), 'missing'), io)).toBe(1);
    expect(io.lines[0]).toMatch(/^FAIL .*missing: \(folder\): cannot list the folder/);
    expect(summary(io)).toEqual({ passed: 0, failed: 1 });
  });
});

describe('conformance rules', () => {
  it('passes every business rule and rule test of the fixtures', async () => {
    const io = capture();
    expect(await runRulesConformance(RULES_FIXTURES, io)).toBe(0);
    // 9 rules (each checked as a rule) and their 83 tests.
    expect(summary(io)).toEqual({ passed: 92, failed: 0 });
    expect(io.lines).toHaveLength(1);
  });

  it('reports broken rules and tests as failures, with path and why, and exits 1', async () => {
    const dir = tempDir();
    const good = join(dir, 'EU', 'VR-EU-0002');
    cpSync(join(RULES_FIXTURES, 'EU', 'VR-EU-0002'), good, { recursive: true });
    writeFileSync(join(good, 'tests', 'test100.json'), '{"payload": ');
    writeJson(join(good, 'tests', 'test101.json'), { name: 'wrong expectation', payload: { v: [{ dn: 1, sd: 2 }] }, external: {}, expected: true });
    writeJson(join(good, 'tests', 'test102.json'), {
      name: 'clock before the rule',
      payload: {},
      external: { validationClock: '2020-01-01T00:00:00Z' },
      expected: true,
    });
    writeJson(join(good, 'tests', 'test103.json'), { name: 'no expectation', payload: {} });

    const broken = join(dir, 'XX', 'VR-XX-0001');
    mkdirSync(join(broken, 'tests'), { recursive: true });
    writeFileSync(join(broken, 'rule.json'), 'not json');
    writeJson(join(broken, 'tests', 'test001.json'), { payload: {}, external: {}, expected: true });

    const orphan = join(dir, 'XX', 'VR-XX-0002', 'tests');
    mkdirSync(orphan, { recursive: true });
    writeJson(join(orphan, 'test001.json'), { payload: {}, external: {}, expected: true });

    const invalidLogic = join(dir, 'XX', 'VR-XX-0003');
    mkdirSync(invalidLogic, { recursive: true });
    const rule = JSON.parse(readFileSync(join(good, 'rule.json'), 'utf8')) as Record<string, unknown>;
    writeJson(join(invalidLogic, 'rule.json'), { ...rule, Identifier: 'VR-XX-0003', Country: 'XX', Logic: { some: [1] } });

    const io = capture();
    expect(await runRulesConformance(dir, io)).toBe(1);
    const failures = io.lines.slice(0, -1);
    expect(failures).toContainEqual(expect.stringMatching(/test100\.json: VR-EU-0002 › \(no name\): not valid JSON/));
    expect(failures).toContainEqual(expect.stringMatching(/test101\.json: VR-EU-0002 › wrong expectation: expected true, got false$/));
    expect(failures).toContainEqual(expect.stringMatching(/test102\.json: .*validationClock 2020-01-01T00:00:00Z is not in the rule's validity range/));
    expect(failures).toContainEqual(expect.stringMatching(/test103\.json: .*the test has no "expected"/));
    expect(failures).toContainEqual(expect.stringMatching(/VR-XX-0001\/rule\.json: VR-XX-0001: not valid JSON/));
    expect(failures).toContainEqual(expect.stringMatching(/VR-XX-0001\/tests\/test001\.json: .*its rule\.json is unusable/));
    expect(failures).toContainEqual(expect.stringMatching(/VR-XX-0002\/tests\/test001\.json: .*no usable rule\.json/));
    expect(failures).toContainEqual(expect.stringMatching(/VR-XX-0003\/rule\.json: VR-XX-0003 \(rule\): Logic: unrecognised operator: "some"/));
    expect(failures).toHaveLength(8);
    // VR-EU-0002 itself and its 5 original tests still pass.
    expect(summary(io)).toEqual({ passed: 6, failed: 8 });
  });
});

describe('pccovid-kiosk conformance', () => {
  it('registers the certlogic and rules suites', () => {
    expect(CONFORMANCE_SUITES).toMatchObject({ certlogic: { run: runCertLogicConformance }, rules: { run: runRulesConformance } });
  });

  it('refuses --strict for a suite without a known-issue list, saying which suite has one', async () => {
    const io = capture();
    expect(await runCli(['conformance', 'rules', join(RULES_FIXTURES, 'FI'), '--strict'], io)).toBe(64);
    expect(io.stderr.join('\n')).toMatch(/--strict and --known-issues apply to the dcc suite only/);
  });

  it('runs a suite from the command line and exits by its result', async () => {
    const io = capture();
    expect(await runCli(['conformance', 'rules', join(RULES_FIXTURES, 'FI')], io)).toBe(0);
    // 4 rules and their 54 tests.
    expect(io.lines).toEqual(['58 passed, 0 failed']);
  });
});
