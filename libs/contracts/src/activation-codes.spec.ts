import { activationCodeHash, newActivationCode, normaliseActivationCode } from './activation-codes';

describe('activation codes', () => {
  it('are four groups of four Crockford base32 symbols, different every time, with the hash of their canonical form', () => {
    const codes = Array.from({ length: 200 }, () => newActivationCode());
    for (const { code, codeHash } of codes) {
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
      expect(codeHash).toBe(activationCodeHash(code.replace(/-/g, '')));
      expect(codeHash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(new Set(codes.map(({ code }) => code)).size).toBe(codes.length);
  });

  it('are read whatever the case, dashes and spaces, with O, I and L as 0, 1 and 1', () => {
    expect(normaliseActivationCode('7k3m-q9zd-0011-abcd')).toBe('7K3MQ9ZD0011ABCD');
    expect(normaliseActivationCode(' 7K3M Q9ZD oIlI ABCD ')).toBe('7K3MQ9ZD0111ABCD');
  });

  it('refuse what cannot be a code: the wrong length, or a symbol outside the alphabet (U)', () => {
    expect(normaliseActivationCode('7K3M-Q9ZD-0011')).toBeUndefined();
    expect(normaliseActivationCode('7K3M-Q9ZD-0011-ABCDE')).toBeUndefined();
    expect(normaliseActivationCode('7K3M-Q9ZD-0011-ABCU')).toBeUndefined();
  });
});
