// Unified social credit code (GB 32100): 18 characters from a 31-letter alphabet; the last one is
// a check character over the first 17 with weights 3^i mod 31.
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = Array.from({ length: 17 }, (_, index) => 3 ** index % 31);
const SHAPE = /^[0-9ABCDEFGHJKLMNPQRTUWXY]{18}$/;

export function creditCheckCharacter(first17: string): string {
  const sum = [...first17].reduce((total, character, index) => total + ALPHABET.indexOf(character) * WEIGHTS[index], 0);
  return ALPHABET[(31 - (sum % 31)) % 31];
}

export function isValidCreditCode(raw: string): boolean {
  const value = raw.toUpperCase();
  return SHAPE.test(value) && creditCheckCharacter(value.slice(0, 17)) === value[17];
}
