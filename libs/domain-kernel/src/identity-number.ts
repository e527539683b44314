// Resident identity number (GB 11643): 6-digit region, birth date YYYYMMDD, 3-digit sequence
// (odd = male), ISO 7064 MOD 11-2 check character.
import { isRealDate } from './business-date';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';
const SHAPE = /^\d{17}[\dX]$/;

export type IdentityNumberProblem = 'format' | 'checksum' | 'birth_date' | 'birth_date_in_future';

export interface IdentityNumberFacts {
  regionCode: string;
  birthDate: string;
  gender: 'male' | 'female';
}

export function identityCheckCharacter(first17Digits: string): string {
  const sum = WEIGHTS.reduce((total, weight, index) => total + weight * Number(first17Digits[index]), 0);
  return CHECK_CHARACTERS[sum % 11];
}

/**
 * Returns the facts an identity number carries, or the first rule it breaks. Without `today` only the
 * number itself is judged (shape, checksum, a real birth date); with it, a birth date after today too.
 */
export function readIdentityNumber(
  raw: string,
  today?: string,
): { ok: true; facts: IdentityNumberFacts } | { ok: false; problem: IdentityNumberProblem } {
  const value = raw.toUpperCase();
  if (!SHAPE.test(value)) return { ok: false, problem: 'format' };
  if (identityCheckCharacter(value.slice(0, 17)) !== value[17]) return { ok: false, problem: 'checksum' };
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (!isRealDate(birthDate)) return { ok: false, problem: 'birth_date' };
  if (today !== undefined && birthDate > today) return { ok: false, problem: 'birth_date_in_future' };
  const sequence = Number(value.slice(14, 17));
  return {
    ok: true,
    facts: { regionCode: value.slice(0, 6), birthDate, gender: sequence % 2 === 1 ? 'male' : 'female' },
  };
}

/** `430202199001011233` → `430202********1233`: region and last four stay visible. */
export function maskIdentityNumber(value: string): string {
  return `${value.slice(0, 6)}${'*'.repeat(8)}${value.slice(14)}`;
}

/** A name as public verification shows it: the surname (first character) and a star for each further one. */
export function maskName(name: string): string {
  const characters = Array.from(name.trim());
  return characters.length <= 1 ? '*' : characters[0] + '*'.repeat(characters.length - 1);
}
