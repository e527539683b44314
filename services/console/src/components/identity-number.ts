/** An identity number's length: 17 digits and a check character (a digit or X). */
export const IDENTITY_NUMBER_LENGTH = 18;

/**
 * An identity number as the field keeps it, from whatever was typed or pasted: read in NFKC (a Chinese
 * input method in full-width mode types ４３０２…, and ｘ), upper-cased, with everything but digits and
 * X left out (the spaces and dashes of a number copied from a document) and cut to 18 characters.
 * The field has no maxLength: the browser would cut a pasted `430202 19900517 0012` to its first 18
 * characters before this leaves the spaces out, losing the last digits.
 */
export function identityNumberTyped(value: string): string {
  return value
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^0-9X]/g, '')
    .slice(0, IDENTITY_NUMBER_LENGTH);
}
