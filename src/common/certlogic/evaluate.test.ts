import { describe, expect, it } from 'vitest';
import { evaluateCertLogic, type CertLogicErrorCode, type CertLogicResult } from './evaluate.js';
import { CertLogicDateTime } from './values.js';

function valueOf(expression: unknown, data: unknown = {}): unknown {
  const result = evaluateCertLogic(expression, data);
  if (!result.ok) throw new Error(`expected a value, got error ${result.error.code}: ${result.error.message}`);
  return result.value;
}

function errorOf(expression: unknown, data: unknown = {}): CertLogicErrorCode {
  const result: CertLogicResult = evaluateCertLogic(expression, data);
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error.code;
}

function instantOf(expression: unknown, data: unknown = {}): string {
  const value = valueOf(expression, data);
  if (!(value instanceof CertLogicDateTime)) throw new Error(`expected a date-time, got ${JSON.stringify(value)}`);
  return value.toISOString();
}

const plusTime = (date: unknown, amount: number, unit: string) => ({ plusTime: [date, amount, unit] });

describe('CertLogic literals and arrays', () => {
  it.each([true, false, 0, 17, -3, '', 'apple'])('evaluates the literal %j to itself', (literal) => {
    expect(valueOf(literal)).toBe(literal);
  });

  it('evaluates every item of an array', () => {
    expect(valueOf([1, { var: 'x' }, 'three'], { x: 2 })).toEqual([1, 2, 'three']);
  });

  it.each([null, 3.14, { a: 1, b: 2 }, {}])('rejects %j as an expression', (expression) => {
    expect(errorOf(expression)).toBe('invalid_expression');
  });
});

describe('var', () => {
  const data = { a: { b: [10, { c: 'deep' }] }, n: null, zero: 0 };

  it.each([
    ['a.b.0', 10],
    ['a.b.1.c', 'deep'],
    ['a.b.2', null],
    ['a.x', null],
    ['a.b.c', null],
    ['n.x', null],
    ['zero', 0],
    ['missing.path', null],
    ['a.b.length', null],
  ])('reads %s', (path, expected) => {
    expect(valueOf({ var: path }, data)).toEqual(expected);
  });

  it('reads the whole data context with ""', () => {
    expect(valueOf({ var: '' }, data)).toEqual(data);
    expect(valueOf({ var: '' }, 'text')).toBe('text');
  });

  it('reads null from null, undefined and primitive data', () => {
    expect(valueOf({ var: 'x' }, null)).toBeNull();
    expect(valueOf({ var: 'x' }, undefined)).toBeNull();
    expect(valueOf({ var: 'x.0' }, { x: 'abc' })).toBeNull();
  });

  it('reads only own members of objects', () => {
    expect(valueOf({ var: 'toString' }, {})).toBeNull();
    expect(valueOf({ var: 'x.constructor' }, { x: {} })).toBeNull();
  });

  it.each([{ var: 0 }, { var: null }, { var: 'x.' }, { var: '.x' }, { var: 'x..y' }, { var: ['x'] }])(
    'rejects %j',
    (expression) => {
      expect(errorOf(expression)).toBe('invalid_expression');
    },
  );
});

describe('truthiness', () => {
  it.each([false, null, '', 0, [], {}])('treats %j as falsy', (value) => {
    expect(valueOf({ '!': [{ var: 'v' }] }, { v: value })).toBe(true);
    expect(valueOf({ if: [{ var: 'v' }, 'T', 'F'] }, { v: value })).toBe('F');
  });

  it.each([true, 'x', '0', 1, -1, [0], { a: null }])('treats %j as truthy', (value) => {
    expect(valueOf({ '!': [{ var: 'v' }] }, { v: value })).toBe(false);
    expect(valueOf({ if: [{ var: 'v' }, 'T', 'F'] }, { v: value })).toBe('T');
  });

  it('treats non-integer numbers and date-times as neither truthy nor falsy', () => {
    expect(errorOf({ '!': [{ var: 'v' }] }, { v: 1.5 })).toBe('invalid_operand');
    expect(errorOf({ if: [{ var: 'v' }, 'T', 'F'] }, { v: 0.1 })).toBe('invalid_operand');
    expect(errorOf({ '!': [plusTime('2021-01-01', 0, 'day')] })).toBe('invalid_operand');
    expect(errorOf({ and: [true, plusTime('2021-01-01', 0, 'day')] })).toBe('invalid_operand');
  });
});

describe('if', () => {
  it('evaluates only the branch the guard picks', () => {
    const failingBranch = plusTime('not a date', 0, 'day');
    expect(valueOf({ if: [true, 'then', failingBranch] })).toBe('then');
    expect(valueOf({ if: [false, failingBranch, 'else'] })).toBe('else');
  });

  it.each([[[true, 1]], [[true, 1, 2, 3]]])('needs exactly three operands: %j', (operands) => {
    expect(errorOf({ if: operands })).toBe('invalid_expression');
  });
});

describe('and', () => {
  it('returns the first falsy operand, else the last one', () => {
    expect(valueOf({ and: [true, { var: 'missing' }, false] })).toBeNull();
    expect(valueOf({ and: ['', true] })).toBe('');
    expect(valueOf({ and: [true, true, 1] })).toBe(1);
    expect(valueOf({ and: [[1], 'x', { var: 'o' }] }, { o: { a: 1 } })).toEqual({ a: 1 });
  });

  it('evaluates lazily, in order', () => {
    expect(valueOf({ and: [{ var: 'x' }, { after: [plusTime({ var: 'x' }, 0, 'hour'), plusTime('1970-01-01', 0, 'hour')] }] }, { x: '' })).toBe('');
  });

  it('fails on an operand that is neither truthy nor falsy', () => {
    expect(errorOf({ and: [{ var: 'x' }, true] }, { x: 2.5 })).toBe('invalid_operand');
  });

  it('needs at least two operands', () => {
    expect(errorOf({ and: [true] })).toBe('invalid_expression');
  });
});

describe('!', () => {
  it('negates', () => {
    expect(valueOf({ '!': [true] })).toBe(false);
    expect(valueOf({ '!': [[]] })).toBe(true);
  });

  it('needs exactly one operand', () => {
    expect(errorOf({ '!': [true, false] })).toBe('invalid_expression');
  });
});

describe('===', () => {
  it.each([
    [1, 1, true],
    [1, '1', false],
    [0, '0', false],
    ['foo', 'foo', true],
    ['foo', 'bar', false],
    [true, true, true],
  ])('%j === %j is %j', (left, right, expected) => {
    expect(valueOf({ '===': [left, right] })).toBe(expected);
  });

  it('compares null, arrays and objects by value, not by reference', () => {
    expect(valueOf({ '===': [{ var: 'a' }, { var: 'b' }] }, { a: null, b: null })).toBe(true);
    expect(valueOf({ '===': [{ var: 'a' }, { var: 'b' }] }, { a: { x: [1] }, b: { x: [1] } })).toBe(true);
    expect(valueOf({ '===': [{ var: 'a' }, { var: 'b' }] }, { a: [1, 2], b: [2, 1] })).toBe(false);
  });

  it('compares date-times by instant', () => {
    expect(valueOf({ '===': [plusTime('2021-06-01T02:00:00+02:00', 0, 'day'), plusTime('2021-06-01', 0, 'day')] })).toBe(true);
  });

  it('needs exactly two operands', () => {
    expect(errorOf({ '===': [1, 1, 1] })).toBe('invalid_expression');
  });
});

describe('in', () => {
  it('checks membership of an array', () => {
    expect(valueOf({ in: ['Bart', ['Bart', 'Homer']] })).toBe(true);
    expect(valueOf({ in: ['Milhouse', ['Bart', 'Homer']] })).toBe(false);
    expect(valueOf({ in: [{ var: 'x' }, []] }, { x: 'a' })).toBe(false);
    expect(valueOf({ in: [{ var: 'x' }, { var: 'y' }] }, { x: null, y: [null] })).toBe(true);
    expect(valueOf({ in: [{ var: 'x' }, { var: 'y' }] }, { x: { a: 1 }, y: [{ a: 1 }] })).toBe(true);
    expect(valueOf({ in: [1, ['1']] })).toBe(false);
  });

  it('fails when the right-hand side is not an array', () => {
    expect(errorOf({ in: ['a', 'abc'] })).toBe('invalid_operand');
    expect(errorOf({ in: ['a', { var: 'y' }] }, { y: null })).toBe('invalid_operand');
  });
});

describe('+', () => {
  it('adds integers', () => {
    expect(valueOf({ '+': [1, 2] })).toBe(3);
    expect(valueOf({ '+': [{ var: 'a' }, -5] }, { a: 2 })).toBe(-3);
  });

  it.each([[['1', 2]], [[1, { var: 'missing' }]], [[{ var: 'f' }, 1]]])('fails on non-integers: %j', (operands) => {
    expect(errorOf({ '+': operands }, { f: 0.5 })).toBe('invalid_operand');
  });
});

describe('integer comparisons', () => {
  it.each([
    ['<', [1, 2], true],
    ['<', [2, 2], false],
    ['<=', [2, 2], true],
    ['>', [3, 2], true],
    ['>=', [2, 3], false],
    ['<', [1, 2, 3], true],
    ['<', [1, 3, 3], false],
    ['<=', [1, 3, 3], true],
    ['<=', [1, 4, 3], false],
    ['>', [3, 2, 1], true],
  ])('%s %j is %j', (operator, operands, expected) => {
    expect(valueOf({ [operator]: operands })).toBe(expected);
  });

  it('fails unless every operand is an integer', () => {
    expect(errorOf({ '<': [1, '2'] })).toBe('invalid_operand');
    expect(errorOf({ '<': [{ var: 'x' }, 2] }, {})).toBe('invalid_operand');
    expect(errorOf({ '<=': [1, 2, { var: 'f' }] }, { f: 2.5 })).toBe('invalid_operand');
    expect(errorOf({ '>': [plusTime('2021-01-01', 0, 'day'), plusTime('2020-01-01', 0, 'day')] })).toBe('invalid_operand');
  });

  it('takes two or three operands', () => {
    expect(errorOf({ '<': [1] })).toBe('invalid_expression');
    expect(errorOf({ '<': [1, 2, 3, 4] })).toBe('invalid_expression');
  });
});

describe('date-time comparisons', () => {
  const d = (date: string) => plusTime(date, 0, 'day');

  it.each([
    ['after', ['2021-01-02', '2021-01-01'], true],
    ['after', ['2021-01-01', '2021-01-01'], false],
    ['before', ['2021-01-01', '2021-01-02'], true],
    ['not-after', ['2021-01-01', '2021-01-01'], true],
    ['not-after', ['2021-01-02', '2021-01-01'], false],
    ['not-before', ['2021-01-01', '2021-01-01'], true],
    ['not-before', ['2020-12-31', '2021-01-01'], false],
    ['not-after', ['2021-01-01', '2021-01-05', '2021-01-05'], true],
    ['not-after', ['2021-01-01', '2021-01-06', '2021-01-05'], false],
    ['before', ['2021-01-01', '2021-01-02', '2021-01-03'], true],
  ])('%s %j is %j', (operator, dates, expected) => {
    expect(valueOf({ [operator]: dates.map(d) })).toBe(expected);
  });

  it('compares instants, whatever the offsets were', () => {
    expect(valueOf({ before: [d('2021-06-01T23:30:00-01:00'), d('2021-06-02T01:00:00+00:00')] })).toBe(true);
  });

  it('fails unless every operand is a date-time', () => {
    expect(errorOf({ after: ['2021-01-02', '2021-01-01'] })).toBe('invalid_operand');
    expect(errorOf({ before: [1, 2] })).toBe('invalid_operand');
    expect(errorOf({ 'not-before': [d('2021-01-01'), { var: 'x' }] }, {})).toBe('invalid_operand');
  });
});

describe('plusTime', () => {
  it.each([
    ['2021-06-01T00:00:00Z', 40, 'hour', '2021-06-02T16:00:00.000Z'],
    ['2021-06-01', 14, 'day', '2021-06-15T00:00:00.000Z'],
    ['2021-06-01', -180, 'day', '2020-12-03T00:00:00.000Z'],
    ['2021-06-01', 1, 'month', '2021-07-01T00:00:00.000Z'],
    ['2022-01-01T00:00:00Z', -18, 'year', '2004-01-01T00:00:00.000Z'],
    // SPEC.md, "Leap days"
    ['2020-02-29', 1, 'day', '2020-03-01T00:00:00.000Z'],
    ['2020-02-29', 1, 'month', '2020-03-29T00:00:00.000Z'],
    ['2020-02-29', 1, 'year', '2021-03-01T00:00:00.000Z'],
    // ECMAScript month overflow, as the spec prescribes
    ['2021-01-31', 1, 'month', '2021-03-03T00:00:00.000Z'],
    // no daylight saving: a day is always 24 hours
    ['2021-03-27T12:00:00+01:00', 1, 'day', '2021-03-28T11:00:00.000Z'],
  ])('%s plus %d %s is %s', (date, amount, unit, expected) => {
    expect(instantOf(plusTime(date, amount, unit))).toBe(expected);
  });

  it('reads the operand from the data', () => {
    expect(instantOf(plusTime({ var: 'd' }, 0, 'day'), { d: '2021-05-01' })).toBe('2021-05-01T00:00:00.000Z');
  });

  it('fails on a date operand that is not a string', () => {
    expect(errorOf(plusTime({ var: 'd' }, 0, 'day'), {})).toBe('invalid_operand');
    expect(errorOf(plusTime({ var: 'd' }, 0, 'day'), { d: 20210501 })).toBe('invalid_operand');
    expect(errorOf(plusTime(plusTime('2021-01-01', 0, 'day'), 1, 'day'))).toBe('invalid_operand');
  });

  it('fails on a string that is not an allowed date(-time)', () => {
    for (const text of ['', '2021-6-1', '2021-06-01 10:00:00', '2021-13', '2021-02-30', '2021-06-01T25:00:00Z', 'yesterday']) {
      expect(errorOf(plusTime(text, 0, 'day'))).toBe('invalid_date_time');
    }
  });

  it('needs an integer literal amount and a time unit literal', () => {
    expect(errorOf({ plusTime: ['2021-01-01', 1.5, 'day'] })).toBe('invalid_expression');
    expect(errorOf({ plusTime: ['2021-01-01', { var: 'n' }, 'day'] }, { n: 1 })).toBe('invalid_expression');
    expect(errorOf({ plusTime: ['2021-01-01', 1, 'week'] })).toBe('invalid_expression');
    expect(errorOf({ plusTime: ['2021-01-01', 1] })).toBe('invalid_expression');
  });
});

describe('dccDateOfBirth', () => {
  it.each([
    ['2004', '2004-12-31T00:00:00.000Z'],
    ['2004-02', '2004-02-29T00:00:00.000Z'],
    ['2003-02', '2003-02-28T00:00:00.000Z'],
    ['2004-01-15', '2004-01-15T00:00:00.000Z'],
  ])('reads %s as the last date it allows: %s', (dob, expected) => {
    expect(instantOf({ dccDateOfBirth: [{ var: 'dob' }] }, { dob })).toBe(expected);
  });

  it('recognises a minor as SPEC.md shows', () => {
    const isMinor = {
      after: [{ dccDateOfBirth: [{ var: 'payload.dob' }] }, plusTime({ var: 'external.validationClock' }, -18, 'year')],
    };
    const data = (dob: string, clock: string) => ({ payload: { dob }, external: { validationClock: clock } });
    expect(valueOf(isMinor, data('2004', '2022-12-30T13:37:00.042Z'))).toBe(true);
    expect(valueOf(isMinor, data('2004', '2022-12-31T00:00:00.000Z'))).toBe(false);
  });

  it('fails on anything but a date of birth string', () => {
    expect(errorOf({ dccDateOfBirth: [{ var: 'dob' }] }, { dob: null })).toBe('invalid_operand');
    expect(errorOf({ dccDateOfBirth: [{ var: 'dob' }] }, { dob: '' })).toBe('invalid_date_time');
    expect(errorOf({ dccDateOfBirth: [{ var: 'dob' }] }, { dob: '2004-01-01T00:00:00Z' })).toBe('invalid_date_time');
    expect(errorOf({ dccDateOfBirth: ['2004', '2005'] })).toBe('invalid_expression');
  });
});

describe('reduce', () => {
  const sum = { reduce: [{ var: 'xs' }, { '+': [{ var: 'accumulator' }, { var: 'current' }] }, 0] };

  it('folds left over the array, starting from the initial value', () => {
    expect(valueOf(sum, { xs: [1, 2, 3, 4] })).toBe(10);
    expect(valueOf(sum, { xs: [] })).toBe(0);
  });

  it('evaluates to the initial value on null', () => {
    expect(valueOf(sum, null)).toBe(0);
    expect(valueOf(sum, { xs: null })).toBe(0);
  });

  it('gives the lambda only current and accumulator', () => {
    const outer = { reduce: [{ var: 'xs' }, { var: 'data' }, 'start'] };
    expect(valueOf(outer, { xs: [1], data: 'outer' })).toBeNull();
  });

  it('fails on a non-array operand', () => {
    expect(errorOf(sum, { xs: 'abc' })).toBe('invalid_operand');
    expect(errorOf(sum, { xs: { a: 1 } })).toBe('invalid_operand');
  });

  it('needs three operands', () => {
    expect(errorOf({ reduce: [[], 0] })).toBe('invalid_expression');
  });
});

describe('extractFromUVCI', () => {
  const extract = (index: number) => ({ extractFromUVCI: [{ var: '' }, index] });

  it.each([
    ['URN:UVCI:01:NL:187/37512422923', 1, 'NL'],
    ['01:NL:187/37512422923', 1, 'NL'],
    ['URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B', 3, 'B'],
    ['a::c/#/f', 3, ''],
    ['a::c/#/f', 5, 'f'],
    ['a::c/#/f', 6, null],
    ['URN:UVCI:01:NL:187/37512422923', -1, null],
    ['', 0, ''],
  ])('fragment of %s at %d is %j', (uvci, index, expected) => {
    expect(valueOf(extract(index), uvci)).toBe(expected);
  });

  it('evaluates to null on null', () => {
    expect(valueOf(extract(0), null)).toBeNull();
  });

  it('fails on a non-string operand or a non-integer index', () => {
    expect(errorOf(extract(0), 42)).toBe('invalid_operand');
    expect(errorOf({ extractFromUVCI: [{ var: '' }, '1'] }, 'a:b')).toBe('invalid_expression');
  });
});

describe('errors are results, never throws', () => {
  it('reports an unknown operator', () => {
    const result = evaluateCertLogic({ all: [[1], true] }, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_expression', issues: [{ message: 'unrecognised operator: "all"' }] } });
  });

  it('validates the whole expression before evaluating, whatever the data', () => {
    expect(errorOf({ if: [true, 1, { unknown: [] }] })).toBe('invalid_expression');
  });

  it('stops at absurd nesting instead of exhausting the stack', () => {
    let deep: unknown = true;
    for (let level = 0; level < 10_000; level += 1) deep = { '!': [deep] };
    expect(errorOf(deep)).toBe('invalid_expression');
  });

  it('stops at an expression graph built in code that would take forever to walk', () => {
    const wide: unknown[] = [];
    wide.push(wide, wide);
    expect(errorOf(wide)).toBe('invalid_expression');
  });

  it('turns data that is not JSON into an error', () => {
    expect(errorOf({ var: 'f' }, { f: () => 1 })).toBe('invalid_data');
    expect(errorOf({ var: 'b' }, { b: 10n })).toBe('invalid_data');
    expect(errorOf({ var: 'n' }, { n: Number.NaN })).toBe('invalid_data');
  });

  it('turns cyclic data (which CertLogic excludes) into an error', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const other: Record<string, unknown> = {};
    other.self = other;
    expect(errorOf({ '===': [{ var: 'a' }, { var: 'b' }] }, { a: cyclic, b: other })).toBe('internal_error');
  });

  it.each([undefined, Symbol('x'), () => 1, new Map(), { var: 'a', extra: 1 }, { '': [] }])(
    'never throws on the expression %s',
    (expression) => {
      expect(() => evaluateCertLogic(expression, {})).not.toThrow();
      expect(evaluateCertLogic(expression, {}).ok).toBe(false);
    },
  );
});
