import { describe, expect, it } from 'vitest';
import { compileCertLogic, validateCertLogic } from './compile.js';

const exprs = (expression: unknown) => validateCertLogic(expression).map((issue) => issue.expr);

describe('validateCertLogic', () => {
  it.each(['', 'foo', 0, 42, true, false, [], [1, 'a'], { var: '' }, { var: 'x.0.y' }])('accepts %j', (expression) => {
    expect(validateCertLogic(expression)).toEqual([]);
  });

  it.each([null, 3.14, {}, { foo: 'bar', alice: 'bob' }, { all: 'foo' }, { all: null }, { all: [] }, { var: 0 }, { var: 'x.' }])(
    'reports %j itself',
    (expression) => {
      expect(exprs(expression)).toEqual([expression]);
    },
  );

  it('reports the offending sub-expressions in order, and the operation before its operands', () => {
    const badAnd = { and: [null] };
    expect(exprs(badAnd)).toEqual([badAnd, null]);
    expect(exprs([1, null, { if: [true, 2.5, 'x'] }])).toEqual([null, 2.5]);
  });

  it('checks the literal operands of plusTime and extractFromUVCI', () => {
    const badPlusTime = { plusTime: [{ var: 'd' }, '1', 'week'] };
    expect(validateCertLogic(badPlusTime).map((issue) => issue.message)).toEqual([
      '"amount" argument (#2) of "plusTime" must be an integer, but it is: 1',
      '"unit" argument (#3) of "plusTime" must be a string equal to one of year, month, day, hour, but it is: week',
    ]);
    expect(exprs({ extractFromUVCI: [{ var: 'u' }, null] })).toHaveLength(1);
  });

  it.each([
    { if: [true, 1] },
    { '!': [] },
    { '===': [1] },
    { in: [1, [], 3] },
    { '<': [1] },
    { after: [1, 2, 3, 4] },
    { reduce: [[], 0] },
    { dccDateOfBirth: [] },
    { extractFromUVCI: ['x'] },
  ])('checks the number of operands of %j', (expression) => {
    expect(validateCertLogic(expression).length).toBeGreaterThan(0);
  });

  it('compiles a valid expression into a tree', () => {
    const compiled = compileCertLogic({ and: [{ var: 'a.b' }, { plusTime: ['2021', 1, 'day'] }] });
    expect(compiled).toMatchObject({
      ok: true,
      value: { root: { kind: 'and', operands: [{ kind: 'var', path: ['a', 'b'] }, { kind: 'plusTime', amount: 1, unit: 'day' }] } },
    });
  });
});
