// Resident identity number (GB 11643): 6-digit region, birth date YYYYMMDD, 3-digit sequence
// (odd = male), ISO 7064 MOD 11-2 check character. Residence permits of Hong Kong, Macao and Taiwan
// residents have the same form with the region codes 810000, 820000, 830000 (domain.md section 1).
import { isRealDate } from './business-date';
import { isProvincePrefix } from './codes';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';
const SHAPE = /^\d{17}[\dX]$/;

export type IdentityNumberProblem = 'format' | 'checksum' | 'region' | 'birth_date' | 'birth_date_in_future';

/** The region codes of residence permits: Hong Kong, Macao, Taiwan (the whole SAR or province, never a district). */
export const RESIDENCE_PERMIT_REGIONS = ['810000', '820000', '830000'] as const;

/**
 * A mainland number starts with a mainland province; a permit has exactly one of the permit codes.
 * `71` (Taiwan) and `81`/`82` below the SAR level name no issuing office of either kind.
 */
function isIdentityRegion(region: string): boolean {
  if ((RESIDENCE_PERMIT_REGIONS as readonly string[]).includes(region)) return true;
  const province = region.slice(0, 2);
  return isProvincePrefix(province) && !['71', '81', '82'].includes(province);
}

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
  if (!isIdentityRegion(value.slice(0, 6))) return { ok: false, problem: 'region' };
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

/** No one under 16 may be hired (Labour Law, article 15; domain.md section 4). */
export const MINIMUM_WORKING_AGE = 16;

/**
 * The first day a person born on `birthDate` may be hired: their 16th birthday. Said only when it falls after `today`: for anyone of working age
 * already, nothing of the birth date needs to leave trainee-service (null).
 */
export function workingAgeFrom(birthDate: string, today: string): string | null {
  const birthday = sixteenthBirthday(birthDate);
  return birthday > today ? birthday : null;
}

const sixteenthBirthday = (birthDate: string): string => {
  const [year, month, day] = birthDate.split('-').map(Number);
  return new Date(Date.UTC(year + MINIMUM_WORKING_AGE, month - 1, day)).toISOString().slice(0, 10);
};

/** What a rule of another context may learn of a person's age on a date: never the birth date itself. */
export type AgeOnDate = 'not_yet_born' | 'under_working_age' | 'of_working_age';

export function ageOnDate(birthDate: string, date: string): AgeOnDate {
  if (date < birthDate) return 'not_yet_born';
  return date < sixteenthBirthday(birthDate) ? 'under_working_age' : 'of_working_age';
}
