import { describe, expect, it } from 'vitest';
import { cborToJson } from './dcc-claims.js';

describe('cborToJson', () => {
  it('turns maps with text keys into objects and keeps arrays, text, numbers, booleans and null', () => {
    const value = new Map<unknown, unknown>([
      ['nam', new Map([['fn', 'Nguyễn']])],
      ['v', [new Map<unknown, unknown>([['dn', 2], ['ok', true], ['x', null]])]],
    ]);
    expect(cborToJson(value)).toEqual({ ok: true, value: { nam: { fn: 'Nguyễn' }, v: [{ dn: 2, ok: true, x: null }] } });
  });

  it('keeps a "__proto__" key as an own property, never as the prototype', () => {
    const converted = cborToJson(new Map([['__proto__', new Map([['polluted', true]])]]));
    if (!converted.ok) throw new Error(converted.reason.detail);
    const object = converted.value as Record<string, unknown>;
    expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
    expect(Object.keys(object)).toEqual(['__proto__']);
    expect((object as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it.each([
    ['a key that is not text', new Map([[1, 'x']]), 'not text'],
    ['a byte string', [new Uint8Array(1)], 'a byte string'],
    ['a non-finite number', new Map([['n', Number.NaN]]), 'non-finite'],
    ['an undefined value', [undefined], 'undefined'],
  ])('names %s', (_, value, detail) => {
    const converted = cborToJson(value);
    expect(converted).toMatchObject({ ok: false, reason: { code: 'claims_invalid' } });
    expect(converted.ok ? '' : converted.reason.detail).toContain(detail);
  });

  it('refuses nesting deeper than 16', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 16; i++) deep = [deep];
    expect(cborToJson(deep).ok).toBe(true);
    const deeper = cborToJson([deep]);
    expect(deeper.ok ? '' : deeper.reason.detail).toContain('deeper than 16');
  });
});
