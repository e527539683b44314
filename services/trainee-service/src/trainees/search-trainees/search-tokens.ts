import { FieldRefusal, normalisePersonName } from '@skills/domain-kernel';
import { createHmac, hkdfSync } from 'node:crypto';
import { identityHashSecret } from '../identity-hash';

/**
 * A blind index of a trainee's name and identity number: keyed hashes (HMAC-SHA256) of the normalised
 * full name, of its beginnings and of the number's last 4 and 6 characters. Without the key the tokens
 * say only which trainees share one of these; they are never reversed, a search hashes its term the
 * same way and compares. The key is derived from IDENTITY_HASH_KEY for this use alone, so no token
 * equals an identity claim's hash. Names are spelled as normalisePersonName spells them, the spelling
 * the lookup and certificate verification compare, so a name found here is accepted there.
 */

/** Beginnings of a name are indexed up to this many characters; a longer term must be the whole name. */
export const NAME_START_MAX = 10;
/** A name term has at least this many characters (a single character would list a whole surname). */
export const NAME_TERM_MIN = 2;
/** A digits term has at least this many characters (the last four are what masked numbers show). */
export const DIGITS_TERM_MIN = 4;
const IDENTITY_NUMBER_LENGTH = 18;

/** What a person is found by; decrypted from the sealed record, held only in memory. */
export interface Searchable {
  name: string;
  idNumber: string;
}

export type SearchTerm = { kind: 'name'; text: string } | { kind: 'digits'; text: string };

/** The tokens a person is found by (each once). */
export function searchTokensOf(person: Searchable): string[] {
  const name = Array.from(normalisePersonName(person.name));
  const idNumber = person.idNumber.toUpperCase();
  const starts = [];
  for (let length = NAME_TERM_MIN; length <= Math.min(name.length, NAME_START_MAX); length++) starts.push(token('name-start', name.slice(0, length).join('')));
  return [...new Set([token('name', name.join('')), ...starts, token('id-last4', idNumber.slice(-4)), token('id-last6', idNumber.slice(-6))])];
}

/**
 * The `q` of a search: digits (and a final X) are the end of an identity number, anything else a name
 * or its beginning. Too short to be one or the other is refused 400 naming `q`. Read in NFKC first:
 * a Chinese input method in full-width mode types ２５８１１７ (and Ｘ), which are the same digits, not a name.
 */
export function searchTermOf(q: string): SearchTerm {
  const compact = q.normalize('NFKC').replace(/\s+/g, '');
  if (/^\d+[Xx]?$/.test(compact)) {
    if (compact.length < DIGITS_TERM_MIN) throw new FieldRefusal('q', 'too_few_digits', `q must give at least the last ${DIGITS_TERM_MIN} characters of an identity number`);
    if (compact.length > IDENTITY_NUMBER_LENGTH) throw new FieldRefusal('q', 'too_many_digits', `an identity number has ${IDENTITY_NUMBER_LENGTH} characters`);
    return { kind: 'digits', text: compact.toUpperCase() };
  }
  const name = normalisePersonName(q);
  if (Array.from(name).length < NAME_TERM_MIN) throw new FieldRefusal('q', 'too_short', `q must be a name of at least ${NAME_TERM_MIN} characters or the last ${DIGITS_TERM_MIN} or more characters of an identity number`);
  return { kind: 'name', text: name };
}

/** Any of these tokens makes a trainee a candidate for the term; `matches` then confirms it. */
export function tokensOfTerm(term: SearchTerm): string[] {
  if (term.kind === 'name') return [token('name', term.text), token('name-start', term.text)];
  return [term.text.length >= 6 ? token('id-last6', term.text.slice(-6)) : token('id-last4', term.text.slice(-4))];
}

/**
 * Whether the person really answers the term, judged on the decrypted record: the tokens only narrow
 * (5 digits are looked up by the last 4, 7 to 18 by the last 6).
 */
export function matches(term: SearchTerm, person: Searchable): boolean {
  if (term.kind === 'digits') return person.idNumber.toUpperCase().endsWith(term.text);
  const name = normalisePersonName(person.name);
  return name === term.text || (Array.from(term.text).length <= NAME_START_MAX && name.startsWith(term.text));
}

/**
 * The way tokens are made from a name and a number: raise it when that changes (normalisePersonName,
 * the kinds, the lengths indexed), and every row is re-indexed at the next start, as for a new key.
 */
const TOKEN_SCHEME = 1;

/**
 * Names the key (and TOKEN_SCHEME) a row's tokens were made with, kept beside them: a row made under
 * another IDENTITY_HASH_KEY is found by no search, and is re-indexed at start (SearchIndexBackfill).
 * 16 hex characters of a keyed hash of a fixed text: they tell keys apart and say nothing of the key.
 */
export function searchKeyFingerprint(): string {
  return createHmac('sha256', searchKey()).update(`search-index-key-check:${TOKEN_SCHEME}`).digest('hex').slice(0, 16);
}

let derived: { secret: string; key: Buffer } | undefined;

/** The index's own key, derived once per secret (HKDF), apart from the identity claims' hashes. */
function searchKey(): Buffer {
  const secret = identityHashSecret();
  if (derived?.secret !== secret) derived = { secret, key: Buffer.from(hkdfSync('sha256', secret, 'trainee-search-index', 'blind index tokens', 32)) };
  return derived.key;
}

/** The kind is hashed with the value: a name's token never equals a number's, nor a beginning's. */
function token(kind: string, value: string): string {
  return createHmac('sha256', searchKey()).update(`${kind}:${value}`).digest('hex');
}
