import { creditCheckCharacter, isValidCreditCode } from './credit-code';

describe('unified social credit code (GB 32100, domain.md section 1)', () => {
  it.each(['91350100M000100Y43', '91110108551385082Q', '91430200MA4L00001P'])('accepts %s', (value) => {
    expect(isValidCreditCode(value)).toBe(true);
  });

  it('accepts lowercase input', () => {
    expect(isValidCreditCode('91430200ma4l00001p')).toBe(true);
  });

  it('computes the check character with weights 3^i mod 31', () => {
    expect(creditCheckCharacter('91350100M000100Y4')).toBe('3');
    expect(creditCheckCharacter('91110108551385082')).toBe('Q');
    expect(creditCheckCharacter('91430200MA4L00001')).toBe('P');
  });

  it.each([
    ['91350100M000100Y44', 'a wrong check character'],
    ['91110108551385082R', 'a wrong check letter'],
    ['91350100M000100Y4', '17 characters'],
    ['91350100M000100Y433', '19 characters'],
    ['91350100M000100I43', 'I, which the alphabet leaves out'],
    ['91350100M000100O43', 'O, which the alphabet leaves out'],
    ['9135010-M000100Y43', 'a character outside the alphabet'],
    ['', 'nothing'],
  ])('refuses %s (%s)', (value) => {
    expect(isValidCreditCode(value)).toBe(false);
  });

  it('refuses every single-character change of a valid code', () => {
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    const valid = '91430200MA4L00001P';
    for (let index = 0; index < valid.length; index++) {
      for (const character of alphabet) {
        if (character === valid[index]) continue;
        const changed = valid.slice(0, index) + character + valid.slice(index + 1);
        expect(isValidCreditCode(changed)).toBe(false);
      }
    }
  });
});
