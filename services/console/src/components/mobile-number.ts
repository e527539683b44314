/**
 * A mobile number as it is sent, from whatever was typed or pasted: read in NFKC (full-width digits of a
 * Chinese input method), without the spaces, dashes and dots of a number copied from a contact card, and
 * without China's country code (+86, 0086). The field has no maxLength: the browser would cut a pasted
 * `138 0000 3333` to `138 0000 33` before this leaves the spaces out.
 */
export function mobileNumberTyped(value: string): string {
  return value
    .normalize('NFKC')
    .replace(/[\s\-.()]/g, '')
    .replace(/^(\+86|0086)(?=1\d{10}$)/, '');
}
