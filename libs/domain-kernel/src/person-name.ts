// A person's name as people type it: one spelling for searching, looking up and verifying a name, so a
// name the search finds is never one the lookup or a certificate's verification refuses.

/** Dots between the parts of a transliterated name (买买提·艾力) as keyboards and fonts give them. */
const NAME_DOTS = /[.\u00b7\u2022\u2027\u2219\u22c5\u30fb]/g;

/**
 * One spelling per name: compatibility forms folded (NFKC: full-width letters and spaces), case and
 * whitespace ignored, and any of the dots between a name's parts made the middle dot (U+00B7).
 * The trainee search index holds keyed hashes of this spelling: changing it changes every token, so
 * a change here needs a new TOKEN_SCHEME in trainee-service's search-tokens.ts (it re-indexes at start).
 */
export function normalisePersonName(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/g, '').replace(NAME_DOTS, '\u00b7');
}

/** Whether `given` is the `registered` name as people type it; nothing is the name of someone with none. */
export function samePersonName(registered: string, given: string): boolean {
  const expected = normalisePersonName(registered);
  return expected.length > 0 && expected === normalisePersonName(given);
}
