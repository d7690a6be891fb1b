// Local ESLint rule: imports flow one way between the folders of DESIGN.md ("Processes and
// folders"). Each import, export-from, dynamic import(), require() and `import('x').T` type
// specifier is resolved against the importing file and both ends are placed in a layer by their
// path relative to `root` (an option, so the fixtures under lint-fixtures/ can be laid out like
// the real tree). Resolution is lexical: the target need not exist, which keeps the rule fast and
// lets it run without type information.
//
// Test files (*.test.ts) follow their folder's rules with two allowances, the same ones the
// per-layer tsconfigs make by excluding tests: they run under Node, so they may import Node
// builtins, and they may import the shared helpers under test/.
import { builtinModules } from 'node:module';
import path from 'node:path';

/** @typedef {'common' | 'main' | 'renderer' | 'hub' | 'hardware' | 'bench' | 'test' | 'build' | 'other' | 'outside'} Layer */

const LAYER_NAMES = {
  common: 'src/common',
  main: 'src/main',
  renderer: 'src/renderer',
  hub: 'src/hub',
  hardware: 'hardware/',
  bench: 'bench/',
  test: 'test/',
  build: 'build/',
  other: 'a file outside the layered folders',
  outside: 'a file outside the repository',
};

/**
 * Which of our layers each layer may import. Layers missing here (bench, test, other) are the
 * harness around the product and may import any of ours.
 * @type {Partial<Record<Layer, readonly Layer[]>>}
 */
const ALLOWED_LAYERS = {
  common: ['common'],
  renderer: ['common', 'renderer'],
  hub: ['common', 'hub'],
  hardware: ['common', 'hardware'],
  main: ['common', 'main', 'hardware'],
};

/**
 * What to do instead, per importing layer.
 * @type {Partial<Record<Layer, string>>}
 */
const LAYER_ADVICE = {
  common:
    'src/common runs anywhere (no Node, Electron or DOM); move what both sides need into src/common, or have the caller pass it in.',
  renderer:
    'The renderer talks to main only through the IPC contract (window.kiosk, typed in src/common/ipc); add a channel there, and put shared types in src/common.',
  hub: 'The hub is a separate server; share formats and types through src/common, and reach kiosks over the network, not by import.',
  hardware:
    'Drivers only emit ScanEvents; put the types they share with main in src/common and let main inject drivers through constructors.',
  main: 'main reaches the renderer only through the IPC contract and the hub only over the network (sync client); share types through src/common.',
};

/** Layers that must run without Node (browser sandbox or anywhere). */
const NO_NODE_LAYERS = new Set(['common', 'renderer']);
/** Only these layers touch SQLite. */
const SQLITE_LAYERS = new Set(['main', 'hub']);
const SQLITE_PACKAGES = new Set(['better-sqlite3']);
const HARDWARE_PACKAGES = new Set(['node-hid', 'serialport']);
const HARDWARE_SCOPES = ['@serialport/'];

const BUILTINS = new Set(builtinModules);

const TEST_FILE = /\.(test|spec)\.[cm]?[jt]sx?$/;

/** @param {string} p */
function toPosix(p) {
  return p.split(path.sep).join('/');
}

/**
 * Places a root-relative posix path in a layer.
 * @param {string} rel
 * @returns {Layer}
 */
function layerOf(rel) {
  if (rel === '..' || rel.startsWith('../') || path.isAbsolute(rel)) return 'outside';
  const [top, second] = rel.split('/');
  if (top === 'src') {
    switch (second) {
      case 'common':
      case 'main':
      case 'renderer':
      case 'hub':
        return second;
      default:
        return 'other';
    }
  }
  switch (top) {
    case 'hardware':
    case 'bench':
    case 'test':
    case 'build':
      return top;
    default:
      return 'other';
  }
}

/** The package a bare specifier names: 'a/b' -> 'a', '@s/a/b' -> '@s/a'. @param {string} spec */
function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? spec);
}

/** @param {string} spec */
function isNodeBuiltin(spec) {
  return spec.startsWith('node:') || BUILTINS.has(spec) || BUILTINS.has(packageName(spec));
}

/** @param {string} pkg */
function isHardwarePackage(pkg) {
  return HARDWARE_PACKAGES.has(pkg) || HARDWARE_SCOPES.some((scope) => pkg.startsWith(scope));
}

/** Electron itself, and electron-updater, which loads 'electron' as soon as it is used. @param {string} pkg */
function isElectron(pkg) {
  return pkg === 'electron' || pkg === 'electron-updater';
}

/** ['a', 'b', 'c'] -> 'a, b and c'. @param {string[]} items */
function listInWords(items) {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** @param {string} spec */
function isRelativeOrAbsolute(spec) {
  return spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../') || spec.startsWith('/');
}

/** A driver file: under hardware/, with 'driver' in its name or a drivers/ folder on its path. @param {string} rel */
function isDriverFile(rel) {
  if (!rel.startsWith('hardware/')) return false;
  const dirs = rel.split('/').slice(1, -1);
  return path.posix.basename(rel).toLowerCase().includes('driver') || dirs.includes('drivers');
}

/** @param {string} rel */
function isElectronShellFile(rel) {
  return rel.startsWith('src/main/electron/');
}

/**
 * The string a module-specifier node holds, or undefined when it is computed at run time.
 * @param {import('estree').Node | null | undefined} node
 * @returns {string | undefined}
 */
function staticString(node) {
  if (!node) return undefined;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) {
    return node.quasis[0]?.value.cooked ?? undefined;
  }
  return undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: {
      description:
        'Enforce the one-way layering of DESIGN.md: common <- hardware, main, hub, renderer; no Node in common or renderer; SQLite only in main and hub; node-hid/serialport only in hardware drivers; electron and electron-updater only in src/main/electron.',
    },
    schema: [
      {
        type: 'object',
        properties: {
          root: {
            type: 'string',
            description: 'Directory the layer paths (src/common, hardware/, ...) are relative to; absolute, or relative to the cwd.',
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{}],
    messages: {
      crossLayer: "{{from}} may not import {{to}} ('{{spec}}'): {{from}} may import only {{allowed}}. {{advice}}",
      nodeBuiltin:
        "{{from}} may not import the Node builtin '{{spec}}': it runs without Node. Use a platform-neutral API (Uint8Array, TextEncoder, an interface injected from src/main), or move this code to src/main.",
      electron:
        "Only src/main/electron/** may import '{{spec}}'. Keep Electron inside the shell: the rest of the kiosk must also run in the web shell and in tests, so take what you need as an injected interface, or (in the renderer) use window.kiosk.",
      sqlite:
        "Only src/main and src/hub may import '{{spec}}' (only main and hub touch SQLite). Call the query functions of the store in src/main or src/hub instead.",
      hardwareNative:
        "Only hardware driver files (under hardware/, named *driver* or inside a drivers/ folder) may import '{{spec}}'. Depend on the driver's interface (and its fake in tests) instead.",
    },
  },

  create(context) {
    const [options = {}] = context.options;
    const root = path.resolve(context.cwd, options.root ?? '.');
    const filename = context.filename;
    if (!path.isAbsolute(filename)) return {}; // <input> or <text>: nothing to place in a layer
    const fromRel = toPosix(path.relative(root, filename));
    const fromLayer = layerOf(fromRel);
    if (fromLayer === 'outside') return {};
    const isTest = TEST_FILE.test(fromRel);
    const fileDir = path.dirname(filename);

    /**
     * @param {import('estree').Node} node where to report
     * @param {string} spec
     */
    function check(node, spec) {
      if (isRelativeOrAbsolute(spec)) {
        checkOurs(node, spec);
      } else {
        checkPackage(node, spec);
      }
    }

    /** @param {import('estree').Node} node @param {string} spec */
    function checkOurs(node, spec) {
      const allowed = ALLOWED_LAYERS[fromLayer];
      if (!allowed) return;
      const targetRel = toPosix(path.relative(root, path.resolve(fileDir, spec)));
      const toLayer = layerOf(targetRel);
      if (allowed.includes(toLayer)) return;
      if (isTest && toLayer === 'test') return;
      context.report({
        node,
        messageId: 'crossLayer',
        data: {
          from: LAYER_NAMES[fromLayer],
          to: LAYER_NAMES[toLayer],
          spec,
          allowed: listInWords(allowed.map((l) => LAYER_NAMES[l])),
          advice: LAYER_ADVICE[fromLayer] ?? '',
        },
      });
    }

    /** @param {import('estree').Node} node @param {string} spec */
    function checkPackage(node, spec) {
      const pkg = packageName(spec);
      if (isElectron(pkg)) {
        if (!isElectronShellFile(fromRel)) context.report({ node, messageId: 'electron', data: { spec } });
        return;
      }
      if (SQLITE_PACKAGES.has(pkg)) {
        if (!SQLITE_LAYERS.has(fromLayer)) context.report({ node, messageId: 'sqlite', data: { spec } });
        return;
      }
      if (isHardwarePackage(pkg)) {
        if (!isDriverFile(fromRel)) context.report({ node, messageId: 'hardwareNative', data: { spec } });
        return;
      }
      if (NO_NODE_LAYERS.has(fromLayer) && !isTest && isNodeBuiltin(spec)) {
        context.report({ node, messageId: 'nodeBuiltin', data: { from: LAYER_NAMES[fromLayer], spec } });
      }
    }

    /** @param {{ source?: import('estree').Node | null }} node */
    function fromSource(node) {
      const spec = staticString(node.source);
      if (spec !== undefined && node.source) check(node.source, spec);
    }

    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression: fromSource,
      /** @param {import('estree').CallExpression} node */
      CallExpression(node) {
        // require('x') in CommonJS files and createRequire(...)('x') are rare here but load modules all the same.
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') {
          const [arg] = node.arguments;
          const spec = arg && arg.type !== 'SpreadElement' ? staticString(arg) : undefined;
          if (spec !== undefined && arg) check(arg, spec);
        }
      },
      /** `import x = require('x')` (TypeScript). @param {any} node */
      TSExternalModuleReference(node) {
        const spec = staticString(node.expression);
        if (spec !== undefined) check(node.expression, spec);
      },
      /** `type T = import('x').T` (TypeScript). @param {any} node */
      TSImportType(node) {
        const source = node.source ?? undefined; // typescript-eslint >= 8.x; `argument` is deprecated
        const spec = staticString(source);
        if (spec !== undefined) check(source, spec);
      },
    };
  },
};

export default rule;

/** Exposed for the rule's test. */
export const internals = { layerOf, packageName, isNodeBuiltin, isDriverFile };
