import { hasUnstorableCharacters, holdsPersonalData, withoutControlCharacters } from '@skills/service-runtime';

/** As long as a file's name needs to be to know it again in the list of jobs. */
const KEPT_CHARACTERS = 120;

/**
 * The name of an uploaded file as the job keeps it, for its organisation's list of jobs (the multipart
 * name is not validated as the body is): without what shows as something else, cut to a length a list
 * shows, and not at all when it holds an identity or mobile number (张三_430202….xlsx), which would be
 * kept beyond the person's erasure; nor when nothing storable is left (a NUL, a lone surrogate).
 */
export function keptFileName(name: string): string | null {
  if (hasUnstorableCharacters(name)) return null;
  // Judged as shown, without controls and format characters (direction marks, zero-width ones), which make a
  // name show as another (or reversed): a number split by a bell or a zero-width space is the number once they are out.
  const shown = Array.from(withoutControlCharacters(name).trim()).slice(0, KEPT_CHARACTERS).join('');
  return shown === '' || holdsPersonalData(shown) ? null : shown;
}
