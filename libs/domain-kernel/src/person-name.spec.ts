import { normalisePersonName, samePersonName } from './person-name';

describe('a person’s name as people type it', () => {
  it('spells a name one way whatever its spaces, width, case or dot', () => {
    expect(normalisePersonName(' 王 建国 ')).toBe('王建国');
    expect(normalisePersonName('ＡＮＮＡ　Lee')).toBe('annalee');
    const dotted = normalisePersonName('买买提·艾力');
    expect(['买买提•艾力', '买买提・艾力', '买买提･艾力', '买买提.艾力', '买买提 · 艾力'].map(normalisePersonName)).toEqual(Array(5).fill(dotted));
  });

  it('keeps apart names that differ in a character, or that a dot splits differently', () => {
    expect(samePersonName('王建国', '王建军')).toBe(false);
    expect(samePersonName('王建国', '王建')).toBe(false);
    expect(samePersonName('买买提·艾力', '买买提艾力')).toBe(false);
    expect(samePersonName('Ali Hasan', 'Ali Hassan')).toBe(false);
  });

  it('takes the registered name however it is typed', () => {
    expect(samePersonName('Ali Hasan', 'ali hasan')).toBe(true);
    expect(samePersonName('Ali Hasan', 'Ａｌｉ　Ｈａｓａｎ')).toBe(true);
    expect(samePersonName('买买提·艾力', '买买提•艾力')).toBe(true);
  });

  it('is nobody’s name when nothing is registered', () => {
    expect(samePersonName('', '')).toBe(false);
    expect(samePersonName(' ', '')).toBe(false);
  });
});
