import { describe, expect, it } from 'vitest';
import { dccDateOfBirth, parseCertLogicDateTime, plusTime } from './date-time.js';
import { CertLogicDateTime } from './values.js';

function iso(text: string): string | undefined {
  return parseCertLogicDateTime(text)?.toISOString();
}

describe('parseCertLogicDateTime: the formats SPEC.md allows', () => {
  it.each([
    ['2021', '2021-12-31T00:00:00.000Z'],
    ['2021-02', '2021-02-28T00:00:00.000Z'],
    ['2020-02', '2020-02-29T00:00:00.000Z'],
    ['2021-06-01', '2021-06-01T00:00:00.000Z'],
    ['2021-06-01T10:20:30', '2021-06-01T10:20:30.000Z'],
    ['2021-06-01T10:20:30Z', '2021-06-01T10:20:30.000Z'],
    ['2021-06-01T10:20:30+2', '2021-06-01T08:20:30.000Z'],
    ['2021-06-01T10:20:30-02', '2021-06-01T12:20:30.000Z'],
    ['2021-06-01T10:20:30+130', '2021-06-01T08:50:30.000Z'],
    ['2021-06-01T10:20:30+0130', '2021-06-01T08:50:30.000Z'],
    ['2021-06-01T10:20:30+1:30', '2021-06-01T08:50:30.000Z'],
    ['2021-06-01T10:20:30+01:30', '2021-06-01T08:50:30.000Z'],
    ['2021-06-01T10:20:30.5', '2021-06-01T10:20:30.500Z'],
    ['2021-06-01T10:20:30.5Z', '2021-06-01T10:20:30.500Z'],
    ['2021-06-01T10:20:30.12+01', '2021-06-01T09:20:30.120Z'],
    ['2021-06-01T10:20:30.123456789-0100', '2021-06-01T11:20:30.123Z'],
    ['2021-06-01T10:20:30.9999+01:00', '2021-06-01T09:20:30.999Z'],
    ['0050-01-01', '0050-01-01T00:00:00.000Z'],
  ])('%s is %s', (text, expected) => {
    expect(iso(text)).toBe(expected);
  });

  it.each([
    '',
    '21',
    '2021-1',
    '2021-06-1',
    '2021-06-01T10:20',
    '2021-06-01 10:20:30',
    '2021-06-01t10:20:30z',
    '2021-06-01T10:20:30.',
    '2021-06-01T10:20:30+',
    '2021-06-01T10:20:30+01:3',
    '2021-06-01T10:20:30+12345',
    '2021-06-01T10:20:30GMT',
    ' 2021-06-01',
  ])('rejects the format %j', (text) => {
    expect(parseCertLogicDateTime(text)).toBeUndefined();
  });

  it.each(['2021-00', '2021-13', '2021-02-29', '2021-04-31', '2021-06-00', '2021-06-01T24:00:00Z', '2021-06-01T10:60:00Z', '2021-06-01T10:00:60Z', '2021-06-01T10:00:00+24:00'])(
    'rejects the non-existent %s',
    (text) => {
      expect(parseCertLogicDateTime(text)).toBeUndefined();
    },
  );
});

describe('dccDateOfBirth', () => {
  it('reads YYYY-MM-DD as plusTime does', () => {
    expect(dccDateOfBirth('1990-04-12')?.epochMillis).toBe(parseCertLogicDateTime('1990-04-12')?.epochMillis);
  });

  it('takes no time part', () => {
    expect(dccDateOfBirth('1990-04-12T00:00:00')).toBeUndefined();
  });
});

describe('plusTime', () => {
  it('refuses to leave the date range instead of producing an invalid date', () => {
    const late = parseCertLogicDateTime('9999-12-31');
    expect(late).toBeInstanceOf(CertLogicDateTime);
    if (late === undefined) return;
    expect(plusTime(late, 300_000_000, 'year')).toBeUndefined();
  });
});
