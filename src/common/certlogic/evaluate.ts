// The CertLogic evaluator (specification 1.3.3). It never throws: an invalid expression, a type
// mismatch, a malformed date or anything unexpected comes back as an error result, which a
// business rule treats as "failed".
import { compileCertLogic, type CertLogicIssue, type CertLogicNode, type CompiledCertLogic } from './compile.js';
import { dccDateOfBirth, parseCertLogicDateTime, plusTime } from './date-time.js';
import { extractFromUvci } from './uvci.js';
import {
  CertLogicDateTime,
  certLogicEquals,
  describeCertLogicValue,
  isCertLogicInteger,
  isCertLogicObject,
  truthinessOf,
  type CertLogicObject,
  type CertLogicValue,
} from './values.js';

export type CertLogicErrorCode =
  /** The expression is not valid CertLogic (see `issues`). */
  | 'invalid_expression'
  /** An operand evaluated to a value the operation does not accept. */
  | 'invalid_operand'
  /** A string given to plusTime or dccDateOfBirth is not a date(-time) in an allowed format. */
  | 'invalid_date_time'
  /** The data context holds something that is not JSON. */
  | 'invalid_data'
  /** Anything else (e.g. data nested too deeply to compare): a defect to report, still not a crash. */
  | 'internal_error';

export interface CertLogicError {
  readonly code: CertLogicErrorCode;
  readonly message: string;
  readonly issues?: readonly CertLogicIssue[];
}

export type CertLogicResult =
  | { readonly ok: true; readonly value: CertLogicValue }
  | { readonly ok: false; readonly error: CertLogicError };

/** Carries an evaluation error from deep in the tree to the one place that turns it into a result. */
class EvaluationFailure extends Error {
  constructor(
    readonly code: CertLogicErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function fail(code: CertLogicErrorCode, message: string): never {
  throw new EvaluationFailure(code, message);
}

/** A value read from the data context; undefined (a missing member) reads as null. */
function fromData(raw: unknown): CertLogicValue {
  if (raw === undefined || raw === null) return null;
  switch (typeof raw) {
    case 'string':
    case 'boolean':
      return raw;
    case 'number':
      return Number.isFinite(raw) ? raw : fail('invalid_data', `the data holds a number JSON cannot: ${raw}`);
    case 'object':
      if (raw instanceof CertLogicDateTime) return raw;
      if (Array.isArray(raw)) return raw;
      // A plain object: its members are checked as they are read, like everything in the data.
      return raw as CertLogicObject;
    default:
      return fail('invalid_data', `the data holds a ${typeof raw}, which is not a JSON value`);
  }
}

const ARRAY_INDEX = /^\d+$/;

function access(data: CertLogicValue, path: readonly string[]): CertLogicValue {
  let current = data;
  for (const fragment of path) {
    if (Array.isArray(current)) {
      current = ARRAY_INDEX.test(fragment) ? fromData(current[Number(fragment)]) : null;
    } else if (isCertLogicObject(current)) {
      current = Object.hasOwn(current, fragment) ? fromData(current[fragment]) : null;
    } else {
      return null;
    }
  }
  return current;
}

function truthValue(value: CertLogicValue, operation: string): boolean {
  const truthiness = truthinessOf(value);
  if (truthiness === 'neither') {
    fail('invalid_operand', `${operation} needs a truthy or falsy value, but got ${describeCertLogicValue(value)}`);
  }
  return truthiness === 'truthy';
}

function compareInOrder(values: readonly number[], inOrder: (left: number, right: number) => boolean): boolean {
  for (let index = 1; index < values.length; index += 1) {
    const left = values[index - 1];
    const right = values[index];
    if (left === undefined || right === undefined || !inOrder(left, right)) return false;
  }
  return true;
}

function integerOrder(operator: '<' | '>' | '<=' | '>='): (left: number, right: number) => boolean {
  switch (operator) {
    case '<':
      return (left, right) => left < right;
    case '>':
      return (left, right) => left > right;
    case '<=':
      return (left, right) => left <= right;
    case '>=':
      return (left, right) => left >= right;
    default: {
      const unknown: never = operator;
      return fail('internal_error', `unhandled comparison ${String(unknown)}`);
    }
  }
}

function dateTimeOrder(operator: 'after' | 'before' | 'not-after' | 'not-before'): (left: number, right: number) => boolean {
  switch (operator) {
    case 'after':
      return integerOrder('>');
    case 'before':
      return integerOrder('<');
    case 'not-after':
      return integerOrder('<=');
    case 'not-before':
      return integerOrder('>=');
    default: {
      const unknown: never = operator;
      return fail('internal_error', `unhandled date-time comparison ${String(unknown)}`);
    }
  }
}

function evaluateNode(node: CertLogicNode, data: CertLogicValue): CertLogicValue {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'array':
      return node.items.map((item) => evaluateNode(item, data));
    case 'var':
      return access(data, node.path);
    case 'if':
      return truthValue(evaluateNode(node.guard, data), 'the guard of "if"')
        ? evaluateNode(node.then, data)
        : evaluateNode(node.otherwise, data);
    case 'and': {
      // Lazy and in order: the first falsy operand is the result, else the last operand.
      let value: CertLogicValue = true;
      for (const operand of node.operands) {
        value = evaluateNode(operand, data);
        if (!truthValue(value, 'each operand of "and"')) return value;
      }
      return value;
    }
    case 'not':
      return !truthValue(evaluateNode(node.operand, data), 'the operand of "!"');
    case 'binary': {
      const left = evaluateNode(node.left, data);
      const right = evaluateNode(node.right, data);
      const operator = node.operator;
      switch (operator) {
        case '===':
          return certLogicEquals(left, right);
        case 'in':
          if (!Array.isArray(right)) {
            return fail('invalid_operand', `the right-hand side of "in" must be an array, but got ${describeCertLogicValue(right)}`);
          }
          return right.some((item: unknown) => certLogicEquals(left, item));
        case '+':
          if (!isCertLogicInteger(left) || !isCertLogicInteger(right)) {
            return fail(
              'invalid_operand',
              `both operands of "+" must be integers, but got ${describeCertLogicValue(left)} and ${describeCertLogicValue(right)}`,
            );
          }
          return left + right;
        default: {
          const unknown: never = operator;
          return fail('internal_error', `unhandled operator ${String(unknown)}`);
        }
      }
    }
    case 'compare': {
      const values = node.operands.map((operand) => evaluateNode(operand, data));
      const integers = values.filter(isCertLogicInteger);
      if (integers.length !== values.length) {
        return fail(
          'invalid_operand',
          `all operands of "${node.operator}" must be integers, but got ${values.map(describeCertLogicValue).join(', ')}`,
        );
      }
      return compareInOrder(integers, integerOrder(node.operator));
    }
    case 'compare-date-times': {
      const values = node.operands.map((operand) => evaluateNode(operand, data));
      const instants = values.flatMap((value) => (value instanceof CertLogicDateTime ? [value.epochMillis] : []));
      if (instants.length !== values.length) {
        return fail(
          'invalid_operand',
          `all operands of "${node.operator}" must be date-times (from plusTime or dccDateOfBirth), but got ${values
            .map(describeCertLogicValue)
            .join(', ')}`,
        );
      }
      return compareInOrder(instants, dateTimeOrder(node.operator));
    }
    case 'plusTime': {
      const text = evaluateNode(node.operand, data);
      if (typeof text !== 'string') {
        return fail('invalid_operand', `the date argument of "plusTime" must be a string, but got ${describeCertLogicValue(text)}`);
      }
      const dateTime = parseCertLogicDateTime(text);
      if (dateTime === undefined) return fail('invalid_date_time', `"plusTime" got no date or date-time in an allowed format: "${text}"`);
      const result = plusTime(dateTime, node.amount, node.unit);
      if (result === undefined) return fail('invalid_date_time', `"${text}" plus ${node.amount} ${node.unit} is outside the date range`);
      return result;
    }
    case 'reduce': {
      const operand = evaluateNode(node.operand, data);
      if (operand === null) return evaluateNode(node.initial, data);
      if (!Array.isArray(operand)) {
        return fail('invalid_operand', `the operand of "reduce" must be an array or null, but got ${describeCertLogicValue(operand)}`);
      }
      let accumulator = evaluateNode(node.initial, data);
      for (const item of operand) {
        accumulator = evaluateNode(node.lambda, { current: fromData(item), accumulator });
      }
      return accumulator;
    }
    case 'extractFromUVCI': {
      const uvci = evaluateNode(node.operand, data);
      if (uvci !== null && typeof uvci !== 'string') {
        return fail('invalid_operand', `the UVCI argument of "extractFromUVCI" must be a string or null, but got ${describeCertLogicValue(uvci)}`);
      }
      return uvci === null ? null : extractFromUvci(uvci, node.index);
    }
    case 'dccDateOfBirth': {
      const text = evaluateNode(node.operand, data);
      if (typeof text !== 'string') {
        return fail('invalid_operand', `the operand of "dccDateOfBirth" must be a string, but got ${describeCertLogicValue(text)}`);
      }
      const dateOfBirth = dccDateOfBirth(text);
      if (dateOfBirth === undefined) return fail('invalid_date_time', `"dccDateOfBirth" got no date of birth (YYYY, YYYY-MM or YYYY-MM-DD): "${text}"`);
      return dateOfBirth;
    }
    default: {
      const unknown: never = node;
      return fail('internal_error', `unhandled expression ${describeCertLogicValue(unknown)}`);
    }
  }
}

/** Evaluates a compiled expression against a data context. Never throws. */
export function evaluateCompiledCertLogic(compiled: CompiledCertLogic, data: unknown): CertLogicResult {
  try {
    return { ok: true, value: evaluateNode(compiled.root, fromData(data)) };
  } catch (error) {
    if (error instanceof EvaluationFailure) return { ok: false, error: { code: error.code, message: error.message } };
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: 'internal_error', message: `evaluation stopped: ${message}` } };
  }
}

/**
 * Evaluates `expression` against the data context `data` (SPEC.md): validates the whole
 * expression first, then evaluates. Never throws.
 */
export function evaluateCertLogic(expression: unknown, data: unknown): CertLogicResult {
  const compiled = compileCertLogic(expression);
  if (!compiled.ok) {
    const [first] = compiled.issues;
    return {
      ok: false,
      error: {
        code: 'invalid_expression',
        message: `not a valid CertLogic expression: ${first?.message ?? 'invalid'}`,
        issues: compiled.issues,
      },
    };
  }
  return evaluateCompiledCertLogic(compiled.value, data);
}
