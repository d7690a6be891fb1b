import { describe, expect, it } from 'vitest';
import { birthDatesAgree, combineLaneHalves, nameTokens, namesAgree, worstOutcome, type LaneHalf } from './lane.js';

describe('border lane: do the two documents name one person?', () => {
  it.each([
    ['Trần Thị Bích Ngọc', ['TRAN', 'THI', 'BICH', 'NGOC']],
    ['Nguyễn  Đức-Anh', ['NGUYEN', 'DUC', 'ANH']],
    ['Gößinger', ['GOSSINGER']],
    ['MUSTERFRAU<GOESSINGER', ['MUSTERFRAU', 'GOESSINGER']],
  ])('spells %j as %j', (name, tokens) => {
    expect(nameTokens(name)).toEqual(tokens);
  });

  it.each<[string, string, boolean]>([
    ['TRAN THI BICH NGOC', 'Trần Thị Bích Ngọc', true],
    ['ERIKA MUSTERMANN', 'Mustermann Erika', true],
    ['NGUYEN VAN AN', 'Nguyễn An', true], // a middle name left out
    ['NGUYEN VAN AN', 'Nguyễn Văn Anh', false], // An is not Anh
    ['NGUYEN NGUYEN AN', 'Nguyễn Văn An', false], // each word counts once
    ['ERIKA MUSTERMANN', 'Max Mustermann', false],
    ['', 'Max Mustermann', false],
  ])('%j and %j agree: %s', (left, right, agree) => {
    expect(namesAgree(left, right)).toBe(agree);
    expect(namesAgree(right, left)).toBe(agree);
  });

  it.each<[string | null, string | null, boolean]>([
    ['1990-04-12', '1990-04-12', true],
    ['1990', '1990-04-12', true],
    ['1990-04', '1990-04-12', true],
    ['1990-04-12', '1990-04-21', false],
    ['1991', '1990-04-12', false],
    [null, '1990-04-12', true],
  ])('dates of birth %j and %j agree: %s', (left, right, agree) => {
    expect(birthDatesAgree(left, right)).toBe(agree);
  });

  const half = (role: LaneHalf['role'], outcome: 'admit' | 'review' | 'deny', names: string[], dateOfBirth: string | null): LaneHalf => ({
    role,
    decision: { outcome, reasons: [{ code: role === 'travel-document' ? 'travel_document_valid' : 'dcc_rules_passed' }] },
    names,
    dateOfBirth,
  });

  it('puts the travel document first, whichever came first, and takes the worse outcome', () => {
    const document = half('travel-document', 'admit', ['ERIKA MUSTERMANN'], '1983-08-12');
    const certificate = half('health-certificate', 'review', ['Mustermann Erika', 'MUSTERMANN ERIKA'], '1983-08-12');
    expect(combineLaneHalves(certificate, document)).toEqual({
      outcome: 'review',
      reasons: [{ code: 'travel_document_valid' }, { code: 'dcc_rules_passed' }],
    });
    expect(worstOutcome('admit', 'deny', 'review')).toBe('deny');
  });

  it('denies a pair whose dates of birth differ, even when the names agree', () => {
    const document = half('travel-document', 'admit', ['ERIKA MUSTERMANN'], '1983-08-12');
    const certificate = half('health-certificate', 'admit', ['Mustermann Erika'], '1984-08-12');
    expect(combineLaneHalves(document, certificate)).toMatchObject({ outcome: 'deny', reasons: [{}, {}, { code: 'holder_birth_date_mismatch' }] });
  });
});
