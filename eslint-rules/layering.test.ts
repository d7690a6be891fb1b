// Proves the layering rule on lint-fixtures/ (each fixture's first line says what must be
// reported), and that eslint.config.js wires the rule, ignores the fixtures and keeps its other
// must-have rules.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import layering, { internals } from './layering.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const fixturesRoot = join(repoRoot, 'lint-fixtures');
const RULE_ID = 'pccovid/layering';
const MESSAGE_IDS = Object.keys(layering.meta?.messages ?? {}).sort();

function listTsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return listTsFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** `// expect: a, b` -> ['a', 'b'] (sorted); `// expect: clean` -> []. */
function expectedMessageIds(file: string): string[] {
  const firstLine = readFileSync(file, 'utf8').split('\n', 1)[0] ?? '';
  const match = /^\/\/ expect: (.+)$/.exec(firstLine.trim());
  if (!match?.[1]) throw new Error(`${file}: first line must be "// expect: clean" or "// expect: <messageId>, ..."`);
  const ids = match[1].split(',').map((id) => id.trim());
  return ids.length === 1 && ids[0] === 'clean' ? [] : ids.sort();
}

const fixtures = listTsFiles(fixturesRoot)
  .map((file) => ({
    name: relative(fixturesRoot, file).split(sep).join('/'),
    file,
    expected: expectedMessageIds(file),
  }))
  .sort((a, b) => a.name.localeCompare(b.name));

describe('layering rule on lint-fixtures/', () => {
  let results: Map<string, ESLint.LintResult>;

  beforeAll(async () => {
    const eslint = new ESLint({
      cwd: repoRoot,
      overrideConfigFile: true, // not eslint.config.js: it ignores lint-fixtures/ and roots the rule at the repo
      overrideConfig: [
        {
          files: ['**/*.ts'],
          languageOptions: { parser: tseslint.parser },
          plugins: { pccovid: { rules: { layering } } },
          rules: { [RULE_ID]: ['error', { root: fixturesRoot }] },
        },
      ],
    });
    const linted = await eslint.lintFiles(fixtures.map((f) => f.file));
    results = new Map(linted.map((r) => [r.filePath, r]));
  });

  it('has violating and clean fixtures for every message id', () => {
    const expectedIds = new Set(fixtures.flatMap((f) => f.expected));
    expect([...expectedIds].sort()).toEqual(MESSAGE_IDS);
    expect(fixtures.filter((f) => f.expected.length === 0).length).toBeGreaterThanOrEqual(10);
    expect(fixtures.filter((f) => f.expected.length > 0).length).toBeGreaterThanOrEqual(20);
  });

  it.each(fixtures)('$name reports $expected', ({ file, expected }) => {
    const result = results.get(file);
    expect(result, 'fixture was not linted').toBeDefined();
    const messages = result?.messages ?? [];
    // A parse error would also be a "message"; make it visible instead of a confusing id diff.
    expect(messages.filter((m) => m.fatal)).toEqual([]);
    expect(messages.map((m) => m.ruleId)).toEqual(messages.map(() => RULE_ID));
    expect(messages.map((m) => m.messageId).sort()).toEqual(expected);
  });

  it('says which rule was broken and what to do instead', () => {
    const renderer = results.get(join(fixturesRoot, 'src/renderer/imports-main.ts'));
    expect(renderer?.messages[0]?.message).toBe(
      "src/renderer may not import src/main ('../main/x.js'): src/renderer may import only src/common and src/renderer. " +
        'The renderer talks to main only through the IPC contract (window.kiosk, typed in src/common/ipc); add a channel there, and put shared types in src/common.',
    );
    const common = results.get(join(fixturesRoot, 'src/common/imports-node.ts'));
    expect(common?.messages[0]?.message).toMatch(/^src\/common may not import the Node builtin 'node:fs'.*move this code to src\/main/);
    const serial = results.get(join(fixturesRoot, 'hardware/scanners/serial-reader.ts'));
    expect(serial?.messages[0]?.message).toMatch(/Only hardware driver files .* may import 'serialport'.*driver's interface/);
  });
});

describe('layering rule helpers', () => {
  it('places paths in layers', () => {
    expect(internals.layerOf('src/common/types/verdict.ts')).toBe('common');
    expect(internals.layerOf('src/main/electron/main.ts')).toBe('main');
    expect(internals.layerOf('hardware/profiles/x.ts')).toBe('hardware');
    expect(internals.layerOf('src/other/x.ts')).toBe('other');
    expect(internals.layerOf('package.json')).toBe('other');
    expect(internals.layerOf('../elsewhere/x.ts')).toBe('outside');
  });

  it('recognises packages, builtins and driver files', () => {
    expect(internals.packageName('@serialport/parser-readline/dist/x.js')).toBe('@serialport/parser-readline');
    expect(internals.packageName('zod/v4')).toBe('zod');
    expect(internals.isNodeBuiltin('node:test')).toBe(true);
    expect(internals.isNodeBuiltin('fs/promises')).toBe(true);
    expect(internals.isNodeBuiltin('zod')).toBe(false);
    expect(internals.isDriverFile('hardware/scanners/honeywell-hid-driver.ts')).toBe(true);
    expect(internals.isDriverFile('hardware/drivers/serial.ts')).toBe(true);
    expect(internals.isDriverFile('hardware/scanners/fake-scanner.ts')).toBe(false);
    expect(internals.isDriverFile('src/main/driver.ts')).toBe(false);
  });
});

describe('eslint.config.js', () => {
  const eslint = new ESLint({ cwd: repoRoot });

  async function lint(code: string, path: string) {
    const [result] = await eslint.lintText(code, { filePath: join(repoRoot, path) });
    return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'none'}:${m.messageId ?? m.message}`);
  }

  it('ignores lint-fixtures/', async () => {
    expect(await eslint.isPathIgnored(join(fixturesRoot, 'src/renderer/imports-main.ts'))).toBe(true);
    expect(await eslint.isPathIgnored(join(repoRoot, 'src/renderer/anything.ts'))).toBe(false);
  });

  it('`npx eslint` on a fixture reports it ignored, not broken', async () => {
    const eslintBin = join(createRequire(import.meta.url).resolve('eslint/package.json'), '..', 'bin', 'eslint.js');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [eslintBin, '--format', 'json', 'lint-fixtures/src/renderer/imports-main.ts', 'lint-fixtures/src/common/imports-node.ts'],
      { cwd: repoRoot },
    );
    const results = JSON.parse(stdout) as ESLint.LintResult[];
    expect(results).toHaveLength(2);
    for (const result of results) {
      expect(result.errorCount).toBe(0);
      expect(result.messages.map((m) => m.message)).toEqual([expect.stringMatching(/ignored/i)]);
    }
  });

  it('applies the layering rule to the real tree', async () => {
    const importMain = "import { x } from '../main/x.js';\nexport const y = x;\n";
    expect(await lint(importMain, 'src/renderer/layering-probe.ts')).toEqual([`${RULE_ID}:crossLayer`]);
    expect(await lint(importMain, 'src/main/layering-probe.ts')).toEqual([]);
    expect(await lint("import { readFile } from 'node:fs/promises';\nexport { readFile };\n", 'src/common/layering-probe.ts')).toEqual([
      `${RULE_ID}:nodeBuiltin`,
    ]);
  });

  it('bans focused, skipped and todo tests', async () => {
    const code = [
      "import { describe, it, test } from 'vitest';",
      "describe.only('a', () => {});",
      "it.skip('b', () => {});",
      "test.todo('c');",
      "test.concurrent.only('d', () => {});",
      "it('e', () => {});",
      '',
    ].join('\n');
    expect(await lint(code, 'src/common/probe.test.ts')).toEqual(Array(4).fill('no-restricted-syntax:restrictedSyntax'));
  });

  it('bans console in library code but not in the CLI or benchmarks', async () => {
    const code = "console.log('hi');\n";
    expect(await lint(code, 'src/main/probe.ts')).toEqual(['no-console:unexpected']);
    expect(await lint(code, 'hardware/probe.ts')).toEqual(['no-console:unexpected']);
    expect(await lint(code, 'src/main/cli/probe.ts')).toEqual([]);
    expect(await lint(code, 'bench/probe.ts')).toEqual([]);
  });

  it('bans any, non-null assertions and value imports used only as types', async () => {
    const code = "import { Foo } from './foo.js';\nexport const f = (a: any, b?: Foo): Foo => (a ? b! : a);\n";
    const messages = await lint(code, 'src/main/probe.ts');
    expect(messages).toContain('@typescript-eslint/no-explicit-any:unexpectedAny');
    expect(messages).toContain('@typescript-eslint/no-non-null-assertion:noNonNull');
    expect(messages).toContain('@typescript-eslint/consistent-type-imports:typeOverValue');
  });
});
