// Validation of a CertLogic expression (its format, SPEC.md "Operations") into a typed tree the
// evaluator walks. The evaluator only ever sees a validated tree, so an invalid expression is an
// error before any operand is evaluated, whatever the data.
import { isTimeUnit, TIME_UNITS, type TimeUnit } from './date-time.js';
import { isCertLogicInteger } from './values.js';

export const INTEGER_COMPARISON_OPERATORS = ['<', '>', '<=', '>='] as const;
export type IntegerComparisonOperator = (typeof INTEGER_COMPARISON_OPERATORS)[number];
export const DATE_TIME_COMPARISON_OPERATORS = ['after', 'before', 'not-after', 'not-before'] as const;
export type DateTimeComparisonOperator = (typeof DATE_TIME_COMPARISON_OPERATORS)[number];
export const BINARY_OPERATORS = ['===', 'in', '+'] as const;
export type BinaryOperator = (typeof BINARY_OPERATORS)[number];

/** Every operation CertLogic 1.3.3 knows, `var` included. */
export const CERTLOGIC_OPERATORS = [
  'var',
  'if',
  'and',
  '!',
  ...BINARY_OPERATORS,
  ...INTEGER_COMPARISON_OPERATORS,
  ...DATE_TIME_COMPARISON_OPERATORS,
  'plusTime',
  'reduce',
  'extractFromUVCI',
  'dccDateOfBirth',
] as const;

export type CertLogicNode =
  | { readonly kind: 'literal'; readonly value: string | number | boolean }
  | { readonly kind: 'array'; readonly items: readonly CertLogicNode[] }
  /** path: the fragments of the data access path; empty for "" (the whole data context). */
  | { readonly kind: 'var'; readonly path: readonly string[] }
  | { readonly kind: 'if'; readonly guard: CertLogicNode; readonly then: CertLogicNode; readonly otherwise: CertLogicNode }
  | { readonly kind: 'and'; readonly operands: readonly CertLogicNode[] }
  | { readonly kind: 'not'; readonly operand: CertLogicNode }
  | { readonly kind: 'binary'; readonly operator: BinaryOperator; readonly left: CertLogicNode; readonly right: CertLogicNode }
  | { readonly kind: 'compare'; readonly operator: IntegerComparisonOperator; readonly operands: readonly CertLogicNode[] }
  | {
      readonly kind: 'compare-date-times';
      readonly operator: DateTimeComparisonOperator;
      readonly operands: readonly CertLogicNode[];
    }
  | { readonly kind: 'plusTime'; readonly operand: CertLogicNode; readonly amount: number; readonly unit: TimeUnit }
  | { readonly kind: 'reduce'; readonly operand: CertLogicNode; readonly lambda: CertLogicNode; readonly initial: CertLogicNode }
  | { readonly kind: 'extractFromUVCI'; readonly operand: CertLogicNode; readonly index: number }
  | { readonly kind: 'dccDateOfBirth'; readonly operand: CertLogicNode };

/** One problem with an expression: the offending sub-expression and what is wrong with it. */
export interface CertLogicIssue {
  readonly expr: unknown;
  readonly message: string;
}

/** A validated expression, ready to evaluate any number of times. */
export interface CompiledCertLogic {
  readonly expression: unknown;
  readonly root: CertLogicNode;
}

export type CompileResult =
  | { readonly ok: true; readonly value: CompiledCertLogic }
  | { readonly ok: false; readonly issues: readonly CertLogicIssue[] };

/** Deeper nesting than any real rule; beyond it, validation stops instead of exhausting the stack. */
export const MAX_EXPRESSION_DEPTH = 200;
/** More sub-expressions than any real rule (they have hundreds); beyond it, validation stops. */
export const MAX_EXPRESSION_NODES = 100_000;

/** What one validation may still spend: JSON trees are small, object graphs built in code need not be. */
interface Budget {
  nodesLeft: number;
}

// A data access path: "" or non-empty fragments separated by single periods.
const VAR_PATH = /^[^.]+(\.[^.]+)*$/;

type Compiled = { node: CertLogicNode | undefined; issues: CertLogicIssue[] };

function invalid(expr: unknown, message: string): Compiled {
  return { node: undefined, issues: [{ expr, message }] };
}

/** Compiles operands in order; the node is built only when every operand compiled. */
function compileAll(values: readonly unknown[], depth: number, budget: Budget): { nodes: CertLogicNode[] | undefined; issues: CertLogicIssue[] } {
  const nodes: CertLogicNode[] = [];
  const issues: CertLogicIssue[] = [];
  let complete = true;
  for (const value of values) {
    const compiled = compileNode(value, depth + 1, budget);
    issues.push(...compiled.issues);
    if (compiled.node === undefined) complete = false;
    else nodes.push(compiled.node);
  }
  return { nodes: complete ? nodes : undefined, issues };
}

function arityIssue(expr: unknown, operator: string, expected: string, actual: number): CertLogicIssue {
  return { expr, message: `an operation with operator "${operator}" must have ${expected}, but it has ${actual}` };
}

function compileOperation(expr: unknown, operator: string, values: readonly unknown[], depth: number, budget: Budget): Compiled {
  const issues: CertLogicIssue[] = [];
  const operands = (count: number) => {
    const compiled = compileAll(values.slice(0, count), depth, budget);
    issues.push(...compiled.issues);
    return compiled.nodes;
  };
  const done = (build: () => CertLogicNode | undefined): Compiled => {
    const node = issues.length === 0 ? build() : undefined;
    return { node, issues };
  };

  switch (operator) {
    case 'if': {
      if (values.length !== 3) issues.push(arityIssue(expr, operator, 'exactly 3 operands', values.length));
      const nodes = operands(3);
      return done(() => {
        const [guard, then, otherwise] = nodes ?? [];
        return guard && then && otherwise ? { kind: 'if', guard, then, otherwise } : undefined;
      });
    }
    case 'and': {
      if (values.length < 2) issues.push(arityIssue(expr, operator, 'at least 2 operands', values.length));
      const nodes = operands(values.length);
      return done(() => (nodes ? { kind: 'and', operands: nodes } : undefined));
    }
    case '!': {
      if (values.length !== 1) {
        return invalid(expr, `a !-operation (logical negation) must have exactly 1 operand, but it has ${values.length}`);
      }
      const nodes = operands(1);
      return done(() => (nodes?.[0] ? { kind: 'not', operand: nodes[0] } : undefined));
    }
    case '===':
    case 'in':
    case '+': {
      if (values.length !== 2) issues.push(arityIssue(expr, operator, 'exactly 2 operands', values.length));
      const nodes = operands(2);
      return done(() => {
        const [left, right] = nodes ?? [];
        return left && right ? { kind: 'binary', operator, left, right } : undefined;
      });
    }
    case '<':
    case '>':
    case '<=':
    case '>=':
    case 'after':
    case 'before':
    case 'not-after':
    case 'not-before': {
      if (values.length < 2 || values.length > 3) issues.push(arityIssue(expr, operator, '2 or 3 operands', values.length));
      const nodes = operands(3);
      return done(() => {
        if (nodes === undefined) return undefined;
        switch (operator) {
          case '<':
          case '>':
          case '<=':
          case '>=':
            return { kind: 'compare', operator, operands: nodes };
          default:
            return { kind: 'compare-date-times', operator, operands: nodes };
        }
      });
    }
    case 'plusTime': {
      if (values.length !== 3) issues.push(arityIssue(expr, operator, 'exactly 3 operands', values.length));
      const nodes = values.length > 0 ? operands(1) : undefined;
      const [, amount, unit] = values;
      if (amount !== undefined && !isCertLogicInteger(amount)) {
        issues.push({ expr, message: `"amount" argument (#2) of "plusTime" must be an integer, but it is: ${String(amount)}` });
      }
      if (unit !== undefined && !isTimeUnit(unit)) {
        issues.push({
          expr,
          message: `"unit" argument (#3) of "plusTime" must be a string equal to one of ${TIME_UNITS.join(', ')}, but it is: ${String(unit)}`,
        });
      }
      return done(() =>
        nodes?.[0] && isCertLogicInteger(amount) && isTimeUnit(unit)
          ? { kind: 'plusTime', operand: nodes[0], amount, unit }
          : undefined,
      );
    }
    case 'reduce': {
      if (values.length !== 3) issues.push(arityIssue(expr, operator, 'exactly 3 operands', values.length));
      const nodes = operands(3);
      return done(() => {
        const [operand, lambda, initial] = nodes ?? [];
        return operand && lambda && initial ? { kind: 'reduce', operand, lambda, initial } : undefined;
      });
    }
    case 'extractFromUVCI': {
      if (values.length !== 2) issues.push(arityIssue(expr, operator, 'exactly 2 operands', values.length));
      const nodes = values.length > 0 ? operands(1) : undefined;
      const [, index] = values;
      if (index !== undefined && !isCertLogicInteger(index)) {
        issues.push({ expr, message: `"index" argument (#2) of "extractFromUVCI" must be an integer, but it is: ${String(index)}` });
      }
      return done(() =>
        nodes?.[0] && isCertLogicInteger(index) ? { kind: 'extractFromUVCI', operand: nodes[0], index } : undefined,
      );
    }
    case 'dccDateOfBirth': {
      if (values.length !== 1) issues.push(arityIssue(expr, operator, 'exactly 1 operand', values.length));
      const nodes = operands(1);
      return done(() => (nodes?.[0] ? { kind: 'dccDateOfBirth', operand: nodes[0] } : undefined));
    }
    default:
      return invalid(expr, `unrecognised operator: "${operator}"`);
  }
}

function compileNode(expr: unknown, depth: number, budget: Budget): Compiled {
  if (depth > MAX_EXPRESSION_DEPTH) return invalid(expr, `expression nested deeper than ${MAX_EXPRESSION_DEPTH} levels`);
  budget.nodesLeft -= 1;
  if (budget.nodesLeft < 0) {
    return budget.nodesLeft === -1 ? invalid(expr, `expression larger than ${MAX_EXPRESSION_NODES} sub-expressions`) : { node: undefined, issues: [] };
  }
  if (typeof expr === 'string' || typeof expr === 'boolean' || isCertLogicInteger(expr)) {
    return { node: { kind: 'literal', value: expr }, issues: [] };
  }
  if (typeof expr === 'number') return invalid(expr, `${expr} is a non-integer number`);
  if (Array.isArray(expr)) {
    const { nodes, issues } = compileAll(expr, depth, budget);
    return { node: nodes ? { kind: 'array', items: nodes } : undefined, issues };
  }
  if (typeof expr !== 'object' || expr === null) return invalid(expr, 'invalid CertLogic expression');
  const entries = Object.entries(expr);
  const [entry] = entries;
  if (entry === undefined || entries.length !== 1) {
    return invalid(expr, `expression object must have exactly one key, but it has ${entries.length}`);
  }
  const [operator, values] = entry;
  if (operator === 'var') {
    if (typeof values !== 'string') return invalid(expr, 'not of the form { "var": "<path>" }');
    if (values !== '' && !VAR_PATH.test(values)) return invalid(expr, `data access path doesn't have a valid format: ${values}`);
    return { node: { kind: 'var', path: values === '' ? [] : values.split('.') }, issues: [] };
  }
  if (!Array.isArray(values)) return invalid(expr, 'operation not of the form { "<operator>": [ <values...> ] }');
  return compileOperation(expr, operator, values, depth, budget);
}

/** Validates `expression` as CertLogic and, when it is valid, returns it compiled. */
export function compileCertLogic(expression: unknown): CompileResult {
  const { node, issues } = compileNode(expression, 0, { nodesLeft: MAX_EXPRESSION_NODES });
  if (node === undefined || issues.length > 0) {
    return { ok: false, issues: issues.length > 0 ? issues : [{ expr: expression, message: 'invalid CertLogic expression' }] };
  }
  return { ok: true, value: { expression, root: node } };
}

/** Every issue with `expression` as CertLogic, in the order met; empty when it is valid. */
export function validateCertLogic(expression: unknown): readonly CertLogicIssue[] {
  const result = compileCertLogic(expression);
  return result.ok ? [] : result.issues;
}
