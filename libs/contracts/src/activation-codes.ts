import { createHash, randomInt } from 'node:crypto';

/**
 * A trainee's activation code (api.md: trainee-service issues it, identity-service redeems it). Shared
 * here because both sides must agree on its shape and on the hash, the only form either keeps or
 * publishes: 16 symbols of Crockford's base32 (80 random bits) in groups of four, `7K3M-Q9ZD-…`, read
 * aloud or typed from paper, so case, dashes and spaces do not matter and O, I, L read as 0, 1, 1.
 * 80 bits rather than fewer because the hash travels on a topic that is kept: guessing back from it
 * within the code's lifetime must stay out of reach.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const SYMBOLS = 16;
const GROUP = 4;

/** How long a code may be redeemed after it is issued. */
export const ACTIVATION_CODE_DAYS = 14;

/** A new random code, `XXXX-XXXX-XXXX-XXXX`, and the hash that stands for it everywhere but in the answer. */
export function newActivationCode(): { code: string; codeHash: string } {
  const symbols = Array.from({ length: SYMBOLS }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  const code = Array.from({ length: SYMBOLS / GROUP }, (_, n) => symbols.slice(n * GROUP, (n + 1) * GROUP)).join('-');
  return { code, codeHash: activationCodeHash(symbols) };
}

/** The code as typed, in canonical form (upper case, no separators), or undefined if it cannot be one. */
export function normaliseActivationCode(typed: string): string | undefined {
  const canonical = typed
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  return canonical.length === SYMBOLS && [...canonical].every((symbol) => ALPHABET.includes(symbol)) ? canonical : undefined;
}

/** SHA-256 (hex) of the canonical code: what is recorded, published and looked up instead of the code. */
export function activationCodeHash(canonicalCode: string): string {
  return createHash('sha256').update(canonicalCode).digest('hex');
}
